/**
 * Bounded reading of an uploaded zip (the data import's .xlsx workbook): walks the zip's central directory and
 * inflates every entry itself, counting the bytes each entry REALLY inflates to, so that a zip lying about its sizes
 * (a zip bomb: a small file whose entries inflate to gigabytes) is stopped after at most the bound, not inflated.
 *
 * - at most `maxEntries` entries (the directory's count is checked before any entry is read);
 * - the sizes the directory declares add up to at most `maxBytes` (checked before anything is inflated);
 * - each entry inflates to at most the size it declares (so in all at most `maxBytes`), the inflation is stopped
 *   as soon as it passes it (node's zlib `maxOutputLength`), the total is counted again as a second guard;
 * - an entry name appears once; only stored (0) and deflated (8), unencrypted entries; everything the directory
 *   points at lies inside the file.
 * The entries come back as a Map (names are the sender's). {@link rebuildZip} turns them into a plain stored zip,
 * so that a reader behind the check reads exactly the bytes that were counted, whatever else the file holds
 * (local headers that disagree with the directory, entries the directory does not list, overlapping entries).
 */
import { inflateRawSync } from "node:zlib";
import { zipSync, type Zippable } from "fflate";

/** Why a zip was refused: the bound passed, or a zip that cannot be read. */
export type ZipRefusal =
  | { kind: "entries"; count: number }
  | { kind: "declared"; bytes: number }
  | { kind: "entry"; name: string; declared: number }
  | { kind: "inflated" }
  | { kind: "unreadable"; detail: string };

/** Thrown by {@link readBoundedZip}: the refusal, for the caller to word. */
export class ZipBoundsError extends Error {
  /** What was refused. */
  readonly refusal: ZipRefusal;

  constructor(refusal: ZipRefusal) {
    super(refusal.kind === "unreadable" ? refusal.detail : `zip refused: ${refusal.kind}`);
    this.name = "ZipBoundsError";
    this.refusal = refusal;
  }
}

/** The bounds of {@link readBoundedZip}. */
export interface ZipBounds {
  /** Most entries in the zip. */
  maxEntries: number;
  /** Most bytes all entries inflate to, together. */
  maxBytes: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

function unreadable(detail: string): ZipBoundsError {
  return new ZipBoundsError({ kind: "unreadable", detail });
}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw unreadable("a zip64 size is out of range");
  return Number(v);
}

/** The directory: where its entries start and how many there are. */
function directory(b: Buffer): { count: number; offset: number } {
  let e = b.length - 22;
  const stop = Math.max(0, b.length - 22 - 0xffff);
  while (e >= stop && b.readUInt32LE(e) !== EOCD) e--;
  if (e < stop) throw unreadable("not a zip file (no end of central directory)");
  let count = b.readUInt16LE(e + 10);
  let offset = b.readUInt32LE(e + 16);
  if (count === 0xffff || offset === U32_MAX) {
    const l = e - 20;
    if (l < 0 || b.readUInt32LE(l) !== EOCD64_LOCATOR) throw unreadable("zip64 end of central directory locator missing");
    const z = u64(b, l + 8);
    if (z + 56 > b.length || b.readUInt32LE(z) !== EOCD64) throw unreadable("zip64 end of central directory missing");
    count = u64(b, z + 32);
    offset = u64(b, z + 48);
  }
  return { count, offset };
}

interface Entry {
  name: string;
  method: number;
  compressed: number;
  size: number;
  local: number;
}

/** The directory's entries (at most `maxEntries`: refused before reading them otherwise). */
function entries(b: Buffer, maxEntries: number): Entry[] {
  const { count, offset } = directory(b);
  if (count > maxEntries) throw new ZipBoundsError({ kind: "entries", count });
  const out: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== CENTRAL) throw unreadable("central directory entry missing");
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    let compressed = b.readUInt32LE(p + 20);
    let size = b.readUInt32LE(p + 24);
    const nameLength = b.readUInt16LE(p + 28);
    const extraLength = b.readUInt16LE(p + 30);
    const commentLength = b.readUInt16LE(p + 32);
    let local = b.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLength;
    const extraEnd = nameEnd + extraLength;
    if (extraEnd + commentLength > b.length) throw unreadable("central directory entry cut short");
    const name = b.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, nameEnd);
    if (size === U32_MAX || compressed === U32_MAX || local === U32_MAX) {
      // zip64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order
      let x = nameEnd;
      while (x + 4 <= extraEnd && b.readUInt16LE(x) !== 0x0001) x += 4 + b.readUInt16LE(x + 2);
      if (x + 4 > extraEnd) throw unreadable(`zip64 sizes of entry ${JSON.stringify(name.slice(0, 100))} missing`);
      let f = x + 4;
      const end = f + b.readUInt16LE(x + 2);
      if (end > extraEnd) throw unreadable("zip64 extra field cut short");
      const next = (): number => {
        if (f + 8 > end) throw unreadable("zip64 extra field cut short");
        const v = u64(b, f);
        f += 8;
        return v;
      };
      if (size === U32_MAX) size = next();
      if (compressed === U32_MAX) compressed = next();
      if (local === U32_MAX) local = next();
    }
    if (flags & 0x1) throw unreadable(`entry ${JSON.stringify(name.slice(0, 100))} is encrypted`);
    if (method !== 0 && method !== 8) throw unreadable(`entry ${JSON.stringify(name.slice(0, 100))} uses compression method ${method}`);
    out.push({ name, method, compressed, size, local });
    p = extraEnd + commentLength;
  }
  return out;
}

/** The compressed bytes of an entry, found through its local header. */
function dataOf(b: Buffer, e: Entry): Buffer {
  if (e.local + 30 > b.length || b.readUInt32LE(e.local) !== LOCAL) throw unreadable(`local header of entry ${JSON.stringify(e.name.slice(0, 100))} missing`);
  const start = e.local + 30 + b.readUInt16LE(e.local + 26) + b.readUInt16LE(e.local + 28);
  if (start + e.compressed > b.length) throw unreadable(`entry ${JSON.stringify(e.name.slice(0, 100))} lies outside the file`);
  return b.subarray(start, start + e.compressed);
}

/** Inflates an entry, stopping as soon as it passes `limit` bytes; `undefined` when it does. */
function inflateAtMost(e: Entry, data: Buffer, limit: number): Buffer | undefined {
  if (e.method === 0) return data.length > limit ? undefined : data;
  try {
    const out = inflateRawSync(data, { maxOutputLength: Math.max(1, limit) });
    return out.length > limit ? undefined : out;
  } catch (err) {
    if ((err as { code?: unknown })?.code === "ERR_BUFFER_TOO_LARGE") return undefined;
    throw unreadable(`entry ${JSON.stringify(e.name.slice(0, 100))}: ${(err as Error)?.message ?? String(err)}`);
  }
}

/**
 * Reads a zip's entries within the bounds (see the module comment), inflating each at most to its declared size.
 * Throws {@link ZipBoundsError} when a bound is passed or the zip cannot be read; never inflates more than
 * `maxBytes` (plus one zlib chunk) in all.
 */
export function readBoundedZip(data: Uint8Array, bounds: ZipBounds): Map<string, Uint8Array> {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const list = (() => {
    try {
      return entries(b, bounds.maxEntries);
    } catch (e) {
      if (e instanceof ZipBoundsError) throw e;
      throw unreadable(`not a zip file (${(e as Error)?.message ?? String(e)})`);
    }
  })();
  const declared = list.reduce((sum, e) => sum + e.size, 0);
  if (declared > bounds.maxBytes) throw new ZipBoundsError({ kind: "declared", bytes: declared });
  const out = new Map<string, Uint8Array>();
  let total = 0;
  for (const e of list) {
    if (out.has(e.name)) throw unreadable(`entry ${JSON.stringify(e.name.slice(0, 100))} is repeated`);
    const compressed = (() => {
      try {
        return dataOf(b, e);
      } catch (err) {
        if (err instanceof ZipBoundsError) throw err;
        throw unreadable(`not a zip file (${(err as Error)?.message ?? String(err)})`);
      }
    })();
    const left = bounds.maxBytes - total;
    const inflated = inflateAtMost(e, compressed, Math.min(e.size, left));
    if (inflated === undefined) {
      throw new ZipBoundsError(e.size <= left ? { kind: "entry", name: e.name, declared: e.size } : { kind: "inflated" });
    }
    total += inflated.length;
    out.set(e.name, inflated);
  }
  return out;
}

/** A plain zip of the given entries, stored (not compressed): what a reader behind {@link readBoundedZip} reads. */
export function rebuildZip(files: Map<string, Uint8Array>): Buffer {
  const z: Zippable = Object.create(null) as Zippable;
  for (const [name, bytes] of files) z[name] = bytes;
  return Buffer.from(zipSync(z, { level: 0 }));
}
