/**
 * The JSON of stored records as the sandbox answers them (records.ts `shapeForAnswer`), kept so that a record
 * served again — in a page, a search, a GET — is not shaped and serialised again: a page is the concatenation of
 * its records' JSON.
 *
 * Correctness: the store replaces a record on every change (a new object; a stored record is never changed in
 * place) and drops the cached JSON of the record it replaces or removes ({@link AnswerCache.drop}); an entry is
 * found by the record object itself, so a replaced record can never be answered with its old JSON. With
 * {@link AnswerCache.verify} (on when answers are checked against the contract, as in the project's tests), every
 * hit is compared with a fresh serialisation and a difference throws — a stored record changed in place is a bug
 * found where it is served.
 *
 * Memory is bounded: at most {@link MAX_ANSWER_CACHE_BYTES} of JSON per store; the records cached first leave first.
 */
import type { WireRecord } from "./types";

/** Bytes of cached JSON a store keeps at most (the oldest entries leave first). */
export const MAX_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

/** The JSON of one record, per answer shape (index: the shape's number, see {@link AnswerCache.get}). */
type Entry = Array<Buffer | undefined>;

/** Cached answers of one store's records (see the module comment). */
export class AnswerCache {
  private readonly entries = new Map<WireRecord, Entry>();
  private bytes = 0;
  /** Whether each hit is checked against a fresh serialisation (a mismatch throws). */
  verify = false;

  constructor(private readonly maxBytes = MAX_ANSWER_CACHE_BYTES) {}

  /**
   * The JSON of `rec` in answer shape number `shape` (a small integer naming how it is shaped), from the cache or
   * made with `make` (which must be a pure function of the record) and kept.
   */
  get(rec: WireRecord, shape: number, make: () => unknown): Buffer {
    let entry = this.entries.get(rec);
    const hit = entry?.[shape];
    if (hit !== undefined) {
      if (this.verify) this.check(rec, hit, make);
      return hit;
    }
    const json = Buffer.from(JSON.stringify(make()), "utf8");
    if (json.length > this.maxBytes) return json;
    if (!entry) this.entries.set(rec, (entry = []));
    entry[shape] = json;
    this.bytes += json.length;
    while (this.bytes > this.maxBytes) this.evictOldest();
    return json;
  }

  /** Forgets the JSON of a record (the store calls it for the record it replaces or removes). */
  drop(rec: WireRecord): void {
    const entry = this.entries.get(rec);
    if (!entry) return;
    this.entries.delete(rec);
    for (const b of entry) if (b) this.bytes -= b.length;
  }

  /** Bytes of JSON kept now. */
  get size(): number {
    return this.bytes;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (oldest.done) {
      this.bytes = 0;
      return;
    }
    this.drop(oldest.value);
  }

  private check(rec: WireRecord, hit: Buffer, make: () => unknown): void {
    const fresh = Buffer.from(JSON.stringify(make()), "utf8");
    if (!fresh.equals(hit)) {
      this.drop(rec);
      throw new Error(`sandbox: the cached answer of record ${String(rec.id ?? rec.encodedKey)} is stale (a stored record was changed in place)`);
    }
  }
}
