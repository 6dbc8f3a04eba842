/**
 * The data import's workbook is bounded by what its zip REALLY inflates to, not only by the sizes it declares: a zip
 * bomb (an entry declaring a few bytes that inflates to 60 MiB) is refused with a 400 once the entry passes its
 * declared size, without inflating it all; a zip of more than 1,000 entries is refused before any entry is read;
 * a normal workbook still reads; and the workbook is read from the counted entries only (a local entry the zip's
 * directory does not list is never read). The bomb is deflated 1 MiB at a time: this spec never holds 60 MiB.
 */
import { crc32 } from "node:zlib";
import { Deflate, unzipSync, zipSync } from "fflate";
import writeXlsxFile from "write-excel-file/node";
import { SandboxError } from "../../lib/sandbox/types";
import {
  checkWorkbookBounds,
  MAX_IMPORT_UNZIPPED_BYTES,
  MAX_IMPORT_ZIP_ENTRIES,
  readImportWorkbook,
} from "../../lib/sandbox/platform/data-import-workbook";
import { readBoundedZip, ZipBoundsError } from "../../lib/sandbox/platform/zip-bounds";

/** An entry as written in a crafted zip: its stored bytes, method, and the uncompressed size both headers declare. */
interface Crafted {
  name: string;
  method: 0 | 8;
  payload: Uint8Array;
  declared: number;
  crc?: number;
}

function local(e: Crafted): Buffer {
  const name = Buffer.from(e.name, "utf8");
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x800, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(e.crc ?? 0, 14);
  h.writeUInt32LE(e.payload.length, 18);
  h.writeUInt32LE(e.declared, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name, e.payload]);
}

function central(e: Crafted, offset: number): Buffer {
  const name = Buffer.from(e.name, "utf8");
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x800, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt32LE(e.crc ?? 0, 16);
  h.writeUInt32LE(e.payload.length, 20);
  h.writeUInt32LE(e.declared, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}

/** A zip of `entries` (listed in its directory) and `hidden` local entries after them that the directory omits. */
function craftZip(entries: Crafted[], hidden: Crafted[] = []): Buffer {
  const parts: Buffer[] = [];
  const dir: Buffer[] = [];
  let at = 0;
  for (const e of entries) {
    const l = local(e);
    dir.push(central(e, at));
    parts.push(l);
    at += l.length;
  }
  for (const e of hidden) {
    const l = local(e);
    parts.push(l);
    at += l.length;
  }
  const cd = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** Raw deflate of `mib` MiB of zeros, made 1 MiB at a time (~1 KiB per MiB). */
function deflatedZeros(mib: number): Uint8Array {
  const out: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (chunk) => out.push(chunk));
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mib; i++) d.push(zeros);
  d.push(new Uint8Array(0), true);
  return Buffer.concat(out);
}

/** The errorSource of the 400 `fn` throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SandboxError);
    const err = e as SandboxError;
    expect(err.status).toBe(400);
    expect(err.errorReason).toBe("INVALID_PARAMETERS");
    return err.errorSource ?? "";
  }
  throw new Error("not refused");
}

async function clientsWorkbook(): Promise<Buffer> {
  const rows = [["id", "firstName", "lastName"], ["ZB1", "Ana", "Lopes"]].map((r) => r.map((value) => ({ value })));
  return writeXlsxFile([{ sheet: "Clients", data: rows }] as never).toBuffer();
}

describe("the data import's zip bounds", () => {
  const bomb = deflatedZeros(60);

  it("refuses an entry that inflates past the size it declares, stopping at that size (zip bomb)", () => {
    expect(bomb.length).toBeLessThan(256 * 1024);
    const zip = craftZip([{ name: "xl/worksheets/sheet1.xml", method: 8, payload: bomb, declared: 1000 }]);
    expect(refusal(() => checkWorkbookBounds(zip))).toBe(
      'file: the workbook\'s zip entry "xl/worksheets/sheet1.xml" inflates to more than the 1000 bytes it declares',
    );
    // declaring 40 MiB (within the 50 MiB bound) does not let it inflate to 60 MiB either
    const within = craftZip([{ name: "xl/worksheets/sheet1.xml", method: 8, payload: bomb, declared: 40 * 1024 * 1024 }]);
    expect(refusal(() => checkWorkbookBounds(within))).toContain("inflates to more than the 41943040 bytes it declares");
    const before = process.memoryUsage().arrayBuffers;
    expect(() => readBoundedZip(zip, { maxEntries: 10, maxBytes: MAX_IMPORT_UNZIPPED_BYTES })).toThrow(ZipBoundsError);
    // nothing near the 60 MiB was kept (the inflation stopped at 1000 bytes and was dropped)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
  });

  it("refuses a stored entry longer than it declares, and entries declaring more than 50 MiB before inflating", () => {
    const stored = craftZip([{ name: "a.xml", method: 0, payload: new Uint8Array(100), declared: 10 }]);
    expect(refusal(() => checkWorkbookBounds(stored))).toContain('entry "a.xml" inflates to more than the 10 bytes it declares');
    const declared = craftZip([
      { name: "a.xml", method: 8, payload: bomb, declared: 30 * 1024 * 1024 },
      { name: "b.xml", method: 8, payload: bomb, declared: 30 * 1024 * 1024 },
    ]);
    expect(refusal(() => checkWorkbookBounds(declared))).toBe(
      `file: the workbook unzips to ${60 * 1024 * 1024} bytes, more than the 52428800 (50 MiB) allowed`,
    );
  });

  it("refuses a zip of more than 1,000 entries, and takes 1,000", () => {
    const files = (n: number): Record<string, Uint8Array> => {
      const f: Record<string, Uint8Array> = {};
      for (let i = 0; i < n; i++) f[`f${i}.xml`] = new Uint8Array([60, 97, 47, 62]);
      return f;
    };
    expect(MAX_IMPORT_ZIP_ENTRIES).toBe(1000);
    const many = Buffer.from(zipSync(files(1001)));
    expect(refusal(() => checkWorkbookBounds(many))).toBe("file: the workbook's zip has 1001 entries, more than the 1000 allowed");
    expect(readBoundedZip(zipSync(files(1000)), { maxEntries: 1000, maxBytes: 1024 * 1024 }).size).toBe(1000);
  });

  it("refuses repeated entry names and a directory pointing outside the file as not readable", () => {
    const twice = craftZip([
      { name: "a.xml", method: 0, payload: new Uint8Array(1), declared: 1 },
      { name: "a.xml", method: 0, payload: new Uint8Array(1), declared: 1 },
    ]);
    expect(refusal(() => checkWorkbookBounds(twice))).toBe('file: not a readable .xlsx workbook (entry "a.xml" is repeated)');
    const cut = craftZip([{ name: "a.xml", method: 8, payload: bomb, declared: 1000 }]);
    cut.writeUInt32LE(cut.length, cut.length - 22 - 46 - 5 + 42); // the entry's local header offset: past the end
    expect(refusal(() => checkWorkbookBounds(cut))).toContain("not a readable .xlsx workbook");
  });

  it("still reads a normal workbook", async () => {
    const wb = await clientsWorkbook();
    expect(() => checkWorkbookBounds(wb)).not.toThrow();
    const read = await readImportWorkbook(wb);
    expect(read.rows).toEqual([
      { sheet: "Clients", row: 2, cells: [{ name: "id", index: 1, value: "ZB1" }, { name: "firstName", index: 2, value: "Ana" }, { name: "lastName", index: 3, value: "Lopes" }] },
    ]);
  });

  it("reads the workbook from the counted entries only, not from a local entry the directory omits", async () => {
    const files = unzipSync(await clientsWorkbook());
    const listed: Crafted[] = Object.entries(files).map(([name, data]) => ({ name, method: 0, payload: data, declared: data.length, crc: crc32(data) }));
    // the cells' text is in the shared strings: a second, unlisted copy of them renames the client
    const strings = Buffer.from(files["xl/sharedStrings.xml"]).toString("utf8").replace(/ZB1/g, "EVIL").replace(/Ana/g, "Eve");
    expect(strings).toContain("EVIL");
    const payload = Buffer.from(strings, "utf8");
    const hidden: Crafted = { name: "xl/sharedStrings.xml", method: 0, payload, declared: payload.length, crc: crc32(payload) };
    const zip = craftZip(listed, [hidden]);
    const read = await readImportWorkbook(zip);
    expect(read.rows.map((r) => r.cells.map((c) => c.value))).toEqual([["ZB1", "Ana", "Lopes"]]);
  });
});
