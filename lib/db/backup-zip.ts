/**
 * Reading a database backup (a zip holding one mysqldump `.sql` file) from disk, bounded and verified before
 * anything reaches a database: the zip's directory is read from the end of the file (a truncated download
 * has none), the entry count, the declared size and the compression ratio are bounded, and the `.sql` entry
 * is inflated once in full — counting what it REALLY inflates to (a zip lying about its sizes is stopped at
 * the bound) and checking its CRC-32 and size — before {@link BackupZip.open} streams it again for the restore.
 * Nothing is held in memory but the directory and one chunk.
 */
import { createReadStream, promises as fsp } from "node:fs";
import type { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import * as zlib from "node:zlib";
import { BackupZipError, type BackupZipProblem } from "../errors";

export { BackupZipError, type BackupZipProblem };

/** The refusal of `file` (one class with `backupDatabase`'s: lib/errors.ts). */
function refused(problem: BackupZipProblem, file: string, message: string): BackupZipError {
  return new BackupZipError(`backup ${file} refused: ${message}`, { problem, file });
}

/** Bounds of a backup zip. */
export interface BackupZipBounds {
  /** Most entries (default 1000). */
  maxEntries?: number;
  /** Most bytes the `.sql` entry may inflate to (default 64 GiB). */
  maxBytes?: number;
  /** Highest inflated/compressed ratio (default 1000: dumps compress about 5 to 20 times). */
  maxRatio?: number;
}

const DEFAULTS = { maxEntries: 1000, maxBytes: 64 * 1024 ** 3, maxRatio: 1000 };

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32 = 0xffffffff;

/** The `.sql` entry of a backup. */
export interface BackupEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Where its compressed bytes start in the file. */
  dataOffset: number;
}

/** A CRC-32 (zlib's when this Node has it). */
const crc32: (data: Buffer, value: number) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === "function"
    ? (data, value) => (zlib as unknown as { crc32: (d: Buffer, v: number) => number }).crc32(data, value)
    : (() => {
        const table = new Int32Array(256);
        for (let n = 0; n < 256; n++) {
          let c = n;
          for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
          table[n] = c;
        }
        return (data: Buffer, value: number): number => {
          let c = ~value;
          for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
          return ~c >>> 0;
        };
      })();

/** A backup zip whose `.sql` entry was found and verified: see the module comment. */
export class BackupZip {
  /** The file. */
  readonly file: string;
  /** The dump's entry. */
  readonly entry: BackupEntry;

  private constructor(file: string, entry: BackupEntry) {
    this.file = file;
    this.entry = entry;
  }

  /**
   * Reads the directory, checks the bounds and verifies the `.sql` entry (inflated in full: size and CRC-32).
   * @param onProgress called with the compressed bytes read so far and the total, while verifying.
   * @throws BackupZipError when the file is missing, not a zip, truncated, corrupt, past a bound, or holds no
   *   (or more than one) `.sql` file.
   */
  static async verify(file: string, bounds: BackupZipBounds = {}, onProgress?: (done: number, total: number) => void): Promise<BackupZip> {
    const b = { ...DEFAULTS, ...bounds };
    const entry = await findSqlEntry(file, b);
    const zip = new BackupZip(file, entry);
    let crc = 0;
    let size = 0;
    for await (const chunk of zip.#inflated(b, onProgress)) {
      crc = crc32(chunk, crc);
      size += chunk.length;
    }
    if (size !== entry.size) throw refused("truncated", file, `${entry.name} inflates to ${size} bytes, its directory says ${entry.size}`);
    if (crc >>> 0 !== entry.crc >>> 0) throw refused("corrupt", file, `${entry.name} fails its CRC-32 check (the file is damaged)`);
    return zip;
  }

  /** The dump's bytes, inflated chunk by chunk (bounded as when verified). */
  open(bounds: BackupZipBounds = {}, onProgress?: (done: number, total: number) => void): AsyncIterable<Buffer> {
    return this.#inflated({ ...DEFAULTS, ...bounds }, onProgress);
  }

  async *#inflated(b: typeof DEFAULTS, onProgress?: (done: number, total: number) => void): AsyncGenerator<Buffer> {
    const e = this.entry;
    const limit = Math.min(e.size, b.maxBytes);
    if (e.compressedSize === 0) {
      if (e.size !== 0) throw refused("corrupt", this.file, `${e.name} has no data`);
      return;
    }
    const raw: Readable = createReadStream(this.file, { start: e.dataOffset, end: e.dataOffset + e.compressedSize - 1, highWaterMark: 1 << 20 });
    let read = 0;
    raw.on("data", (c: Buffer) => {
      read += c.length;
      onProgress?.(read, e.compressedSize);
    });
    const source: Readable = e.method === 0 ? raw : raw.pipe(createInflateRaw({ chunkSize: 1 << 20 }));
    if (source !== raw) raw.on("error", (err) => source.destroy(err));
    let out = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        out += chunk.length;
        if (out > limit) {
          throw refused("bounds", this.file, `${e.name} inflates to more than ${e.size < b.maxBytes ? `the ${e.size} bytes its directory declares` : `${b.maxBytes} bytes`}`);
        }
        yield chunk;
      }
    } catch (err) {
      if (err instanceof BackupZipError) throw err;
      const code = (err as { code?: string }).code ?? "";
      if (code === "Z_BUF_ERROR" || /unexpected end/i.test(String((err as Error).message))) {
        throw refused("truncated", this.file, `${e.name} is cut short (an incomplete download?)`);
      }
      throw refused("corrupt", this.file, `${e.name} cannot be inflated (${(err as Error).message ?? String(err)})`);
    } finally {
      raw.destroy();
      if (source !== raw) source.destroy();
    }
    if (read < e.compressedSize) throw refused("truncated", this.file, `${e.name} is cut short`);
  }
}

async function readAt(fh: fsp.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

function u64(b: Buffer, at: number, fail: () => never): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail();
  return Number(v);
}

/** Finds the single `.sql` entry through the central directory, checking the bounds. */
async function findSqlEntry(file: string, b: typeof DEFAULTS): Promise<BackupEntry> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, "r");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw refused("missing", file, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(err)})`);
  }
  try {
    const { size } = await fh.stat();
    const truncated = (what: string): never => {
      throw refused("truncated", file, `${what} (the file is cut short or is not a zip)`);
    };
    if (size < 22) truncated("it is too small to be a zip");
    const tailLength = Math.min(size, 22 + 0xffff + 20);
    const tail = await readAt(fh, size - tailLength, tailLength);
    let e = tail.length - 22;
    while (e >= 0 && tail.readUInt32LE(e) !== EOCD) e--;
    if (e < 0) {
      const head = await readAt(fh, 0, 4);
      if (head.length === 4 && head.readUInt32LE(0) === LOCAL) truncated("its end (the zip's directory) is missing");
      throw refused("not-zip", file, "it is not a zip file");
    }
    let count = tail.readUInt16LE(e + 10);
    let dirSize = tail.readUInt32LE(e + 12);
    let dirOffset = tail.readUInt32LE(e + 16);
    if (count === 0xffff || dirOffset === U32 || dirSize === U32) {
      const l = e - 20;
      if (l < 0 || tail.readUInt32LE(l) !== EOCD64_LOCATOR) truncated("its zip64 directory locator is missing");
      const at = u64(tail, l + 8, () => truncated("its zip64 directory is out of range"));
      const z = await readAt(fh, at, 56);
      if (z.length < 56 || z.readUInt32LE(0) !== EOCD64) truncated("its zip64 directory is missing");
      count = u64(z, 32, () => truncated("bad zip64 count"));
      dirSize = u64(z, 40, () => truncated("bad zip64 size"));
      dirOffset = u64(z, 48, () => truncated("bad zip64 offset"));
    }
    if (count > b.maxEntries) throw refused("bounds", file, `it has ${count} entries (at most ${b.maxEntries})`);
    if (dirOffset + dirSize > size || dirSize > 64 * 1024 * 1024) truncated("its directory lies outside the file");
    const dir = await readAt(fh, dirOffset, dirSize);
    const sql: BackupEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw refused("corrupt", file, "its directory is damaged");
      const flags = dir.readUInt16LE(p + 8);
      const method = dir.readUInt16LE(p + 10);
      const crc = dir.readUInt32LE(p + 16);
      let compressedSize = dir.readUInt32LE(p + 20);
      let entrySize = dir.readUInt32LE(p + 24);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      let local = dir.readUInt32LE(p + 42);
      const nameEnd = p + 46 + nameLength;
      const extraEnd = nameEnd + extraLength;
      if (extraEnd + commentLength > dir.length) throw refused("corrupt", file, "its directory is damaged");
      const name = dir.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, nameEnd);
      if (entrySize === U32 || compressedSize === U32 || local === U32) {
        let x = nameEnd;
        while (x + 4 <= extraEnd && dir.readUInt16LE(x) !== 0x0001) x += 4 + dir.readUInt16LE(x + 2);
        if (x + 4 > extraEnd) throw refused("corrupt", file, "zip64 sizes missing");
        let f = x + 4;
        const next = (): number => {
          const v = u64(dir, f, () => {
            throw refused("corrupt", file, "zip64 size out of range");
          });
          f += 8;
          return v;
        };
        if (entrySize === U32) entrySize = next();
        if (compressedSize === U32) compressedSize = next();
        if (local === U32) local = next();
      }
      p = extraEnd + commentLength;
      if (!/\.sql$/i.test(name) || name.endsWith("/")) continue;
      const shown = JSON.stringify(name.slice(0, 200));
      if (flags & 0x1) throw refused("unsupported", file, `${shown} is encrypted`);
      if (method !== 0 && method !== 8) throw refused("unsupported", file, `${shown} uses compression method ${method} (only stored and deflated are read)`);
      if (entrySize > b.maxBytes) throw refused("bounds", file, `${shown} declares ${entrySize} bytes (at most ${b.maxBytes})`);
      if (compressedSize > 0 && entrySize / compressedSize > b.maxRatio) {
        throw refused("bounds", file, `${shown} declares a compression ratio above ${b.maxRatio} (a zip bomb?)`);
      }
      if (local + 30 > size) truncated(`${shown} lies outside the file`);
      const header = await readAt(fh, local, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw refused("corrupt", file, `the local header of ${shown} is missing`);
      const dataOffset = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (dataOffset + compressedSize > size) truncated(`${shown} lies outside the file`);
      sql.push({ name, method, compressedSize, size: entrySize, crc, dataOffset });
    }
    if (sql.length === 0) throw refused("no-sql", file, "it holds no .sql file (a Mambu backup is a zip of one mysqldump .sql file)");
    if (sql.length > 1) throw refused("no-sql", file, `it holds ${sql.length} .sql files; a backup has one`);
    return sql[0]!;
  } finally {
    await fh.close();
  }
}
