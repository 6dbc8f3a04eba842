/**
 * Checking a downloaded database backup before it gets its final name: the file must be a whole zip — its end of
 * central directory record found (zip64 too: backups pass 4 GiB), every entry of the central directory inside the
 * file, each entry inflated (fflate, in chunks: memory stays small whatever the size) to exactly its declared size
 * with its declared CRC-32 — and hold at least one `.sql` entry. A truncated or corrupt download fails here with a
 * {@link BackupZipError} saying what is wrong.
 */
import * as fs from "node:fs";
import type { Inflate as InflateClass } from "fflate";
import { BackupZipError } from "../errors";

export { BackupZipError };

let inflateClass: typeof InflateClass | undefined;
/** fflate's streaming inflater, loaded with the first backup checked (not with the library: see yaml-config.ts's `yaml`). */
function inflate(): typeof InflateClass {
  return (inflateClass ??= (require("fflate") as typeof import("fflate")).Inflate);
}

/** A downloaded backup that is not a whole zip with a `.sql` dump (one class with `restoreBackup`'s: lib/errors.ts). */
function notZip(detail: string): BackupZipError {
  return new BackupZipError(`the downloaded backup is not a valid zip: ${detail}`);
}

/** One entry of a checked backup zip. */
export interface BackupZipEntry {
  name: string;
  /** Bytes once inflated. */
  size: number;
}

/** Largest central directory read (a backup has a handful of entries). */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
/** Largest number of entries accepted. */
const MAX_ENTRIES = 10_000;
const CHUNK = 1024 * 1024;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Running CRC-32 (zip's): `crc32Update(0xffffffff, data)`... then `^ 0xffffffff`. */
function crc32Update(crc: number, data: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, off, length - off, position + off);
    if (n === 0) throw notZip(`the file ends at byte ${position + off}, before the data it declares`);
    off += n;
  }
  return buf;
}

const u64 = (b: Buffer, at: number): number => {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw notZip("a zip64 size or offset is out of range");
  return Number(v);
};

interface Directory {
  offset: number;
  size: number;
  count: number;
}

function findDirectory(fd: number, fileSize: number): Directory {
  if (fileSize < 22) throw notZip(`${fileSize} bytes is too short for a zip (truncated?)`);
  const tailLen = Math.min(fileSize, 22 + 0xffff);
  const tail = readAt(fd, fileSize - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50 && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw notZip("no end of central directory record (the download is truncated, or not a zip)");
  let count = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locAt = fileSize - tailLen + at - 20;
    if (locAt < 0) throw notZip("zip64 end of central directory locator missing");
    const loc = readAt(fd, locAt, 20);
    if (loc.readUInt32LE(0) !== 0x07064b50) throw notZip("zip64 end of central directory locator missing");
    const recAt = u64(loc, 8);
    if (recAt + 56 > fileSize) throw notZip("zip64 end of central directory record outside the file");
    const rec = readAt(fd, recAt, 56);
    if (rec.readUInt32LE(0) !== 0x06064b50) throw notZip("zip64 end of central directory record missing");
    count = u64(rec, 32);
    size = u64(rec, 40);
    offset = u64(rec, 48);
  }
  if (count > MAX_ENTRIES) throw notZip(`${count} entries (more than ${MAX_ENTRIES})`);
  if (size > MAX_DIRECTORY_BYTES || offset + size > fileSize) throw notZip("the central directory lies outside the file (truncated?)");
  return { offset, size, count };
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
}

function readEntries(fd: number, dir: Directory): Entry[] {
  const buf = readAt(fd, dir.offset, dir.size);
  const out: Entry[] = [];
  let p = 0;
  for (let n = 0; n < dir.count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw notZip(`central directory entry ${n + 1} is damaged`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > buf.length) throw notZip(`central directory entry ${n + 1} is damaged`);
    const e: Entry = {
      name: buf.toString("utf8", p + 46, p + 46 + nameLen),
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      local: buf.readUInt32LE(p + 42),
    };
    // zip64 extra field: the 0xffffffff values, in order size, compressed, local offset
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const take = (): number => {
          if (q + 8 > x + 4 + len) throw notZip(`entry ${e.name}: damaged zip64 field`);
          const v = u64(buf, q);
          q += 8;
          return v;
        };
        if (e.size === 0xffffffff) e.size = take();
        if (e.compressed === 0xffffffff) e.compressed = take();
        if (e.local === 0xffffffff) e.local = take();
      }
      x += 4 + len;
    }
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function checkEntry(fd: number, fileSize: number, e: Entry): void {
  if (e.flags & 0x1) throw notZip(`entry ${e.name} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw notZip(`entry ${e.name} uses compression method ${e.method} (only stored and deflated are read)`);
  if (e.local + 30 > fileSize) throw notZip(`entry ${e.name} lies outside the file (truncated?)`);
  const head = readAt(fd, e.local, 30);
  if (head.readUInt32LE(0) !== 0x04034b50) throw notZip(`entry ${e.name}: no local header where the directory says`);
  const start = e.local + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + e.compressed > fileSize) throw notZip(`entry ${e.name} lies outside the file (truncated?)`);
  let crc = 0xffffffff;
  let size = 0;
  let failure: string | undefined;
  const take = (data: Uint8Array): void => {
    size += data.length;
    if (size > e.size) failure ??= `entry ${e.name} inflates to more than the ${e.size} bytes it declares`;
    else crc = crc32Update(crc, data);
  };
  const inflater = e.method === 8 ? new (inflate())((data) => take(data)) : undefined;
  const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, e.compressed)));
  let done = 0;
  try {
    while (done < e.compressed && failure === undefined) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, e.compressed - done), start + done);
      if (n === 0) throw notZip(`entry ${e.name} is cut short (truncated?)`);
      done += n;
      const chunk = Uint8Array.from(buf.subarray(0, n)); // a copy: the buffer is reused for the next read
      if (inflater) inflater.push(chunk, done === e.compressed);
      else take(chunk);
    }
    if (inflater && e.compressed === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof BackupZipError) throw err;
    throw notZip(`entry ${e.name} cannot be inflated (${(err as Error).message})`);
  }
  if (failure) throw notZip(failure);
  if (size !== e.size) throw notZip(`entry ${e.name} inflates to ${size} bytes, not the ${e.size} it declares`);
  if ((crc ^ 0xffffffff) >>> 0 !== e.crc) throw notZip(`entry ${e.name} fails its CRC-32 check (corrupt download)`);
}

/**
 * Checks that the file at `path` is a whole zip whose every entry inflates to its declared size and CRC-32 and
 * that holds a `.sql` entry; returns its entries.
 * @throws BackupZipError saying what is wrong.
 */
export function verifyBackupZip(path: string): BackupZipEntry[] {
  const fd = fs.openSync(path, "r");
  try {
    const fileSize = fs.fstatSync(fd).size;
    const entries = readEntries(fd, findDirectory(fd, fileSize));
    for (const e of entries) if (!e.name.endsWith("/")) checkEntry(fd, fileSize, e);
    if (!entries.some((e) => e.name.toLowerCase().endsWith(".sql"))) {
      throw notZip(`no .sql dump inside (entries: ${entries.slice(0, 5).map((e) => JSON.stringify(e.name)).join(", ") || "none"})`);
    }
    return entries.filter((e) => !e.name.endsWith("/")).map((e) => ({ name: e.name, size: e.size }));
  } finally {
    fs.closeSync(fd);
  }
}
