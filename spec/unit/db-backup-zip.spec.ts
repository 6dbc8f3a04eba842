/**
 * A backup zip is read from disk bounded and verified before a restore sends anything: the `.sql` entry found
 * through the directory, inflated once in full with its CRC-32 and size checked; truncated, corrupt, foreign,
 * lying and oversized files refused with a typed error saying what is wrong.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync, type Zippable } from "fflate";
import { BackupZip, BackupZipError, BackupZipProblem } from "../../lib/db";

const dir = mkdtempSync(join(tmpdir(), "mambu-db-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DUMP = `-- dump\nCREATE TABLE x (a INT);\nINSERT INTO x VALUES ${Array.from({ length: 500 }, (_, i) => `(${i})`).join(",")};\n`;

function write(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

function zip(files: Zippable, level: 0 | 6 = 6): Uint8Array {
  return zipSync(files, { level });
}

async function problemOf(file: string, bounds = {}): Promise<BackupZipProblem | undefined> {
  const err = await BackupZip.verify(file, bounds).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BackupZipError);
  return (err as BackupZipError).problem;
}

async function text(z: BackupZip): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of z.open()) parts.push(c);
  return Buffer.concat(parts).toString("utf8");
}

test("a backup (deflated or stored, the dump anywhere in the zip) verifies, and opens to exactly its dump", async () => {
  for (const level of [6, 0] as const) {
    const file = write(`ok-${level}.zip`, zip({ "tenant/": {}, "tenant/sandbox-MANUAL-DATABASE-BACKUP.sql": strToU8(DUMP), "README.txt": strToU8("hi") }, level));
    const z = await BackupZip.verify(file);
    expect(z.entry.name).toBe("tenant/sandbox-MANUAL-DATABASE-BACKUP.sql");
    expect(z.entry.size).toBe(Buffer.byteLength(DUMP));
    expect(await text(z)).toBe(DUMP);
  }
});

test("a truncated download, a damaged byte, a file that is no zip, a missing file", async () => {
  const good = Buffer.from(zip({ "d.sql": strToU8(DUMP) }, 0));
  expect(await problemOf(write("cut.zip", good.subarray(0, good.length - 30)))).toBe("truncated");
  expect(await problemOf(write("half.zip", good.subarray(0, good.length >> 1)))).toBe("truncated");
  const damaged = Buffer.from(good);
  damaged[good.indexOf("INSERT")] = "X".charCodeAt(0);
  const err = await BackupZip.verify(write("damaged.zip", damaged)).catch((e: unknown) => e);
  expect((err as BackupZipError).problem).toBe("corrupt");
  expect((err as Error).message).toMatch(/damaged\.zip refused: d\.sql fails its CRC-32 check/);
  expect(await problemOf(write("plain.zip", DUMP))).toBe("not-zip");
  expect(await problemOf(join(dir, "nothing-here.zip"))).toBe("missing");
});

test("a zip without one .sql file is not a backup", async () => {
  expect(await problemOf(write("none.zip", zip({ "a.txt": strToU8("x") })))).toBe("no-sql");
  expect(await problemOf(write("two.zip", zip({ "a.sql": strToU8("x"), "b.SQL": strToU8("y") })))).toBe("no-sql");
});

test("bounds: entries, declared size, compression ratio — and a directory lying about the size is stopped at it", async () => {
  const three = write("three.zip", zip({ "a.sql": strToU8(DUMP), "b.txt": strToU8("b"), "c.txt": strToU8("c") }));
  expect(await problemOf(three, { maxEntries: 2 })).toBe("bounds");
  expect(await problemOf(three, { maxBytes: 100 })).toBe("bounds");
  const bomb = write("bomb.zip", zip({ "a.sql": new Uint8Array(4 * 1024 * 1024) }));
  expect(await problemOf(bomb, { maxRatio: 100 })).toBe("bounds");

  // The directory says 100 bytes; the entry inflates to far more.
  const liar = Buffer.from(readFileSync(bomb));
  const central = liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  liar.writeUInt32LE(100, central + 24);
  const err = await BackupZip.verify(write("liar.zip", liar)).catch((e: unknown) => e);
  expect((err as BackupZipError).problem).toBe("bounds");
  expect((err as Error).message).toMatch(/inflates to more than the 100 bytes its directory declares/);
});

test("one BackupZipError class: what restoreBackup refuses is caught as the error backupDatabase throws", async () => {
  const lib = await import("../../lib");
  const db = await import("../../lib/db");
  expect(db.BackupZipError).toBe(lib.BackupZipError);
  const err = await db.BackupZip.verify(__filename).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(lib.BackupZipError);
  expect(err).toBeInstanceOf(lib.MambuTsError);
  expect((err as InstanceType<typeof lib.BackupZipError>).name).toBe("BackupZipError");
});
