/**
 * verifyBackupZip (lib/core/backup-zip.ts): a backup is kept only when it is a whole zip — read through its central
 * directory (zip64 too: backups pass 4 GiB), every entry inflating to its declared size and CRC-32, a .sql inside.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { zipSync } from "fflate";
import { BackupZipError, verifyBackupZip } from "../../lib/core/backup-zip";

const SQL = Buffer.from("INSERT INTO `client` (`id`) VALUES ('1');\n".repeat(500));

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "mambu-zip-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

/** The same one-entry zip written with zip64 records: sizes and offset 0xffffffff in the directory, the real ones in its zip64 field. */
function asZip64(zip: Buffer): Buffer {
  const eocd = zip.length - 22;
  expect(zip.readUInt32LE(eocd)).toBe(0x06054b50);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const cd = zip.subarray(cdOffset, eocd);
  const nameLen = cd.readUInt16LE(28);
  expect(cd.readUInt16LE(30)).toBe(0); // no extra field to keep
  const entry = Buffer.from(cd.subarray(0, 46 + nameLen));
  const csize = entry.readUInt32LE(20);
  const usize = entry.readUInt32LE(24);
  const local = entry.readUInt32LE(42);
  entry.writeUInt32LE(0xffffffff, 20);
  entry.writeUInt32LE(0xffffffff, 24);
  entry.writeUInt32LE(0xffffffff, 42);
  entry.writeUInt16LE(28, 30);
  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(usize), 4);
  extra.writeBigUInt64LE(BigInt(csize), 12);
  extra.writeBigUInt64LE(BigInt(local), 20);
  const newCd = Buffer.concat([entry, extra]);
  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  rec.writeBigUInt64LE(44n, 4);
  rec.writeUInt16LE(45, 12);
  rec.writeUInt16LE(45, 14);
  rec.writeBigUInt64LE(1n, 24);
  rec.writeBigUInt64LE(1n, 32);
  rec.writeBigUInt64LE(BigInt(newCd.length), 40);
  rec.writeBigUInt64LE(BigInt(cdOffset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(cdOffset + newCd.length), 8);
  loc.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([zip.subarray(0, cdOffset), newCd, rec, loc, end]);
}

describe("verifyBackupZip", () => {
  it("reads a whole zip and lists its entries", () => {
    const zip = Buffer.from(zipSync({ "a.sql": [new Uint8Array(SQL), { level: 9 }], "notes.txt": new Uint8Array(Buffer.from("hi")) }));
    expect(verifyBackupZip(file("ok.zip", zip))).toEqual([{ name: "a.sql", size: SQL.length }, { name: "notes.txt", size: 2 }]);
  });

  it("reads stored (not deflated) entries too", () => {
    const zip = Buffer.from(zipSync({ "a.sql": [new Uint8Array(SQL), { level: 0 }] }));
    expect(verifyBackupZip(file("stored.zip", zip))).toEqual([{ name: "a.sql", size: SQL.length }]);
  });

  it("reads a zip64 zip (sizes and offsets in the zip64 records)", () => {
    const zip = asZip64(Buffer.from(zipSync({ "big.sql": [new Uint8Array(SQL), { level: 6 }] })));
    expect(verifyBackupZip(file("z64.zip", zip))).toEqual([{ name: "big.sql", size: SQL.length }]);
  });

  it("refuses a stored entry whose bytes changed (CRC-32)", () => {
    const zip = Buffer.from(zipSync({ "a.sql": [new Uint8Array(SQL), { level: 0 }] }));
    zip[30 + 5 + 10] ^= 0x01; // a byte of the data, after the local header (30) and the name (5)
    expect(() => verifyBackupZip(file("crc.zip", zip))).toThrow(new BackupZipError("the downloaded backup is not a valid zip: entry a.sql fails its CRC-32 check (corrupt download)"));
  });

  it("refuses a file that is not a zip, or too short to be one", () => {
    expect(() => verifyBackupZip(file("text.zip", Buffer.from("<html>maintenance</html>".repeat(10))))).toThrow(/no end of central directory record/);
    expect(() => verifyBackupZip(file("tiny.zip", Buffer.from("PK")))).toThrow(/too short for a zip/);
  });

  it("refuses a zip whose central directory points outside the file", () => {
    const zip = Buffer.from(zipSync({ "a.sql": new Uint8Array(SQL) }));
    zip.writeUInt32LE(zip.length + 1000, zip.length - 22 + 16);
    expect(() => verifyBackupZip(file("out.zip", zip))).toThrow(/central directory lies outside the file/);
  });
});
