/**
 * The sandbox's state: collections of wire records, looked up by id or encodedKey.
 * Deliberately simple (Maps in insertion order) so that it can be persisted as JSON and reloaded.
 */
import { randomFillSync } from "node:crypto";
import { AnswerCache } from "./answer-cache";
import { findProtoKey, isForbiddenSegment } from "./safe-keys";
import { Collection, CollectionName, SandboxError, WireRecord } from "./types";

const ALL: CollectionName[] = [
  "branches", "centres", "clients", "groups", "loans", "deposits", "loanproducts", "depositproducts",
  "users", "userroles", "tasks", "loanTransactions", "depositTransactions", "installments",
  "customfields", "customfieldsets", "documents", "comments",
  "cards", "authorizationholds", "blockfunds", "creditarrangements", "bulks",
  "glaccounts", "gljournalentries", "accountingreports", "currencies", "indexratesources", "transactionchannels", "holidays", "idtemplates",
  "apiconsumers", "apikeys", "dataimports", "messages",
  "svccurrencies", "svcaccountingrates", "svcexchangerates", "svcsources", "svcindexrates",
  "payidentifications", "payblockingrules", "paypayments", "payincoming", "paycollections", "paystandingorders", "paysoexecutions",
];

/**
 * Fields a search may look records up by (see {@link SandboxStore.candidates}): fields that change only through
 * `insert`, `replace` and `remove` — never in place — so that an index of them stays right.
 */
export const INDEXED_FIELDS: ReadonlySet<string> = new Set(["id", "encodedKey", "accountHolderKey", "parentAccountKey"]);
/** Fields indexed in some collections only (the accounts' state: the engines replace accounts, never change them). */
const INDEXED_IN: ReadonlyMap<string, ReadonlySet<CollectionName>> = new Map([["accountState", new Set<CollectionName>(["loans", "deposits"])]]);

/** Whether {@link SandboxStore.candidates} can look records of a collection up by a field. */
export function isIndexed(coll: CollectionName, field: string): boolean {
  return INDEXED_FIELDS.has(field) || (INDEXED_IN.get(field)?.has(coll) ?? false);
}

/** The records of one index value: their encodedKeys, and (once asked) the same in insertion order with those of `nonScalar`. */
interface IndexEntry {
  keys: Set<string>;
  /** Changes of `keys` (what `ordered` is valid for, with the `nonScalar` entry's). */
  version: number;
  ordered?: { version: number; nonScalarVersion: number; keys: string[] };
}

/** A secondary index of one field: lower-cased text of a scalar value → its entry; records holding a list or object. */
interface FieldIndex {
  byValue: Map<string, IndexEntry>;
  nonScalar: IndexEntry;
}

function newEntry(): IndexEntry {
  return { keys: new Set(), version: 0 };
}

const NON_SCALAR = Symbol("non-scalar");

/** The index text of a value: lower-cased for a scalar, NON_SCALAR for a list or object, undefined when absent. */
function indexText(v: unknown): string | undefined | typeof NON_SCALAR {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return NON_SCALAR;
  return String(v).toLowerCase();
}

/** The index text of a record's own field. */
function fieldText(rec: WireRecord, field: string): string | undefined | typeof NON_SCALAR {
  return indexText(Object.prototype.hasOwnProperty.call(rec, field) ? rec[field] : undefined);
}

function addToIndex(ix: FieldIndex, t: string | undefined | typeof NON_SCALAR, key: string): void {
  if (t === undefined) return;
  let e = ix.nonScalar;
  if (t !== NON_SCALAR) {
    const found = ix.byValue.get(t);
    if (!found) ix.byValue.set(t, (e = newEntry()));
    else e = found;
  }
  e.keys.add(key);
  e.version++;
}

function deleteFromIndex(ix: FieldIndex, t: string | undefined | typeof NON_SCALAR, key: string): void {
  if (t === undefined) return;
  if (t === NON_SCALAR) {
    if (ix.nonScalar.keys.delete(key)) ix.nonScalar.version++;
    return;
  }
  const e = ix.byValue.get(t);
  if (!e?.keys.delete(key)) return;
  e.version++;
  if (!e.keys.size) ix.byValue.delete(t);
}

/** One change of a collection: a record inserted (`rec`), replaced (`old` → `rec`) or removed (`old`). */
export interface StoreChange {
  old?: WireRecord;
  rec?: WireRecord;
}

/** encodedKeys drawn per call of the random source (16 random bytes each). */
const KEY_POOL = 256;

/** Changes kept per collection for {@link SandboxStore.changesSince}. */
const CHANGE_LOG = 256;

/** Serialised form of a store (what `--persist` writes and `--seed` reads). */
export interface StoreSnapshot {
  collections: Partial<Record<CollectionName, WireRecord[]>>;
  counters?: Record<string, number>;
  /** Any extra engine state (e.g. schedules keyed by loan encodedKey). */
  extra?: Record<string, unknown>;
}

/** In-memory state of the sandbox tenant. */
export class SandboxStore {
  private readonly colls = new Map<CollectionName, Collection>();
  private readonly counters = new Map<string, number>();
  /** Insertion order of each record (encodedKey → sequence number), per collection. */
  private readonly order = new Map<CollectionName, Map<string, number>>();
  private seq = 0;
  /** Changes of each collection (insert, replace, remove): what a cache of a collection's order is valid for. */
  private readonly versions = new Map<CollectionName, number>();
  /** The last changes of each collection (at most CHANGE_LOG), for caches that follow them: see changesSince. */
  private readonly changeLog = new Map<CollectionName, { from: number; entries: StoreChange[] }>();
  /** Secondary indexes, built on first use (collection → field → index). */
  private readonly indexes = new Map<CollectionName, Map<string, FieldIndex>>();
  /** Free-form engine state that must be persisted with the records (e.g. schedules). */
  extra: Record<string, unknown> = {};
  /** The JSON of records as answered (answer-cache.ts): a record's is dropped when it is replaced or removed. */
  readonly answers = new AnswerCache();
  /** Random bytes drawn ahead for {@link newEncodedKey} (one draw per {@link KEY_POOL} keys), and the next unused. */
  private keyPool = Buffer.alloc(0);
  private keyPoolAt = 0;

  constructor(snapshot?: StoreSnapshot) {
    for (const name of ALL) this.colls.set(name, { byKey: new Map(), idIndex: new Map() });
    if (snapshot) this.load(snapshot);
  }

  /**
   * Source of new encodedKeys when set (e.g. a seeded generator while loading seed data, so that the demo
   * tenant's keys are the same on every start); random keys otherwise.
   */
  keyGenerator?: () => string;

  /** A fresh 32-hex-digit encodedKey, as Mambu's. */
  newEncodedKey(): string {
    if (this.keyGenerator) return this.keyGenerator();
    if (this.keyPoolAt + 16 > this.keyPool.length) {
      this.keyPool = randomFillSync(Buffer.allocUnsafe(16 * KEY_POOL));
      this.keyPoolAt = 0;
    }
    const key = this.keyPool.toString("hex", this.keyPoolAt, this.keyPoolAt + 16);
    this.keyPool.fill(0, this.keyPoolAt, this.keyPoolAt + 16); // a key handed out is not kept in the pool
    this.keyPoolAt += 16;
    return key;
  }

  /** The next numeric id for a collection (as a string), skipping ids already taken. */
  nextId(coll: CollectionName, start = 10000): string {
    let n = this.counters.get(coll) ?? start;
    const c = this.coll(coll);
    do n += 1; while (c.idIndex.has(String(n)));
    this.counters.set(coll, n);
    return String(n);
  }

  /** The collection object (records by key, id index). */
  coll(name: CollectionName): Collection {
    const c = this.colls.get(name);
    if (!c) throw new Error(`unknown sandbox collection ${name}`);
    return c;
  }

  /** A record by id or encodedKey, or undefined. */
  find(coll: CollectionName, idOrKey: string): WireRecord | undefined {
    const c = this.coll(coll);
    const byKey = c.byKey.get(idOrKey);
    if (byKey) return byKey;
    const key = c.idIndex.get(idOrKey);
    return key ? c.byKey.get(key) : undefined;
  }

  /** A record by id or encodedKey, or a SandboxError(404) with the given Mambu code and reason. */
  require(coll: CollectionName, idOrKey: string, errorCode: number, errorReason: string): WireRecord {
    const rec = this.find(coll, idOrKey);
    if (!rec) throw new SandboxError(404, errorCode, errorReason);
    return rec;
  }

  /**
   * Inserts a new record (must have encodedKey, which may not be `__proto__`, `constructor` or `prototype`, as
   * engine tables are keyed by it; id must be unique in the collection).
   */
  insert(coll: CollectionName, rec: WireRecord): WireRecord {
    const c = this.coll(coll);
    if (typeof rec.encodedKey !== "string" || isForbiddenSegment(rec.encodedKey)) {
      throw new SandboxError(400, 4, "INVALID_PARAMETERS", `invalid encodedKey ${String(rec.encodedKey)}`);
    }
    if (c.byKey.has(rec.encodedKey)) throw new SandboxError(400, 4, "INVALID_PARAMETERS", `duplicate encodedKey ${rec.encodedKey}`);
    if (rec.id !== undefined) {
      if (c.idIndex.has(String(rec.id))) throw new SandboxError(400, 4, "INVALID_PARAMETERS", `id ${rec.id} already exists`);
      c.idIndex.set(String(rec.id), rec.encodedKey);
    }
    c.byKey.set(rec.encodedKey, rec);
    this.orderOf(coll).set(rec.encodedKey, ++this.seq);
    this.indexAdd(coll, rec);
    this.bump(coll, { rec });
    return rec;
  }

  /** Replaces a stored record (same encodedKey), keeping the id index right. */
  replace(coll: CollectionName, rec: WireRecord): WireRecord {
    const c = this.coll(coll);
    const old = c.byKey.get(rec.encodedKey);
    if (!old) throw new Error(`replace of unknown record ${rec.encodedKey} in ${coll}`);
    if (old.id !== rec.id) {
      if (rec.id !== undefined && c.idIndex.has(String(rec.id))) {
        throw new SandboxError(400, 4, "INVALID_PARAMETERS", `id ${rec.id} already exists`);
      }
      if (old.id !== undefined) c.idIndex.delete(String(old.id));
      if (rec.id !== undefined) c.idIndex.set(String(rec.id), rec.encodedKey);
    }
    this.indexReplace(coll, old, rec);
    c.byKey.set(rec.encodedKey, rec);
    this.answers.drop(old);
    this.bump(coll, { old, rec });
    return rec;
  }

  /** Removes a record; returns whether it existed. */
  remove(coll: CollectionName, encodedKey: string): boolean {
    const c = this.coll(coll);
    const old = c.byKey.get(encodedKey);
    if (!old) return false;
    if (old.id !== undefined) c.idIndex.delete(String(old.id));
    c.byKey.delete(encodedKey);
    this.orderOf(coll).delete(encodedKey);
    this.indexDelete(coll, old);
    this.answers.drop(old);
    this.bump(coll, { old });
    return true;
  }

  /**
   * How many times a collection changed through `insert`, `replace` and `remove`: a cache of something computed
   * from its records (e.g. their sorted order) is valid while this number stays the same (records are replaced,
   * never changed in place, once stored).
   */
  version(coll: CollectionName): number {
    return this.versions.get(coll) ?? 0;
  }

  private bump(coll: CollectionName, change: StoreChange): void {
    const v = this.version(coll);
    this.versions.set(coll, v + 1);
    let log = this.changeLog.get(coll);
    if (!log) this.changeLog.set(coll, (log = { from: v, entries: [] }));
    log.entries.push(change);
    if (log.entries.length > CHANGE_LOG) {
      log.entries.shift();
      log.from++;
    }
  }

  /**
   * The changes of a collection since it was at `version` (oldest first), or undefined when they are no longer
   * all kept (the caller then starts again from {@link all}).
   */
  changesSince(coll: CollectionName, version: number): StoreChange[] | undefined {
    const now = this.version(coll);
    if (version === now) return [];
    const log = this.changeLog.get(coll);
    if (!log || version < log.from || version > now) return undefined;
    return log.entries.slice(version - log.from);
  }

  /** The insertion order of a stored record (what {@link all} lists it by), or undefined. */
  orderOfRecord(coll: CollectionName, encodedKey: string): number | undefined {
    return this.order.get(coll)?.get(encodedKey);
  }

  private orderOf(coll: CollectionName): Map<string, number> {
    let m = this.order.get(coll);
    if (!m) this.order.set(coll, (m = new Map()));
    return m;
  }

  private indexAdd(coll: CollectionName, rec: WireRecord): void {
    const byField = this.indexes.get(coll);
    if (byField) for (const [field, ix] of byField) addToIndex(ix, fieldText(rec, field), rec.encodedKey);
  }

  private indexDelete(coll: CollectionName, rec: WireRecord): void {
    const byField = this.indexes.get(coll);
    if (byField) for (const [field, ix] of byField) deleteFromIndex(ix, fieldText(rec, field), rec.encodedKey);
  }

  /** Moves a replaced record in the indexes whose value it changed (an unchanged value leaves its entry as it is). */
  private indexReplace(coll: CollectionName, old: WireRecord, rec: WireRecord): void {
    const byField = this.indexes.get(coll);
    if (!byField) return;
    for (const [field, ix] of byField) {
      const was = fieldText(old, field);
      const now = fieldText(rec, field);
      if (was === now) continue;
      deleteFromIndex(ix, was, old.encodedKey);
      addToIndex(ix, now, rec.encodedKey);
    }
  }

  /**
   * The encodedKeys of the records that may hold `value` in `field` (one of {@link INDEXED_FIELDS}, or one
   * {@link isIndexed} there), compared as text without case: every record whose scalar value's text equals it
   * case-insensitively, and every record holding a list or object there (for the caller to test), in insertion
   * order — a superset for a caller that still applies its own test; undefined for a field that is not indexed.
   * Kept between calls while the index entries they come from do not change (a replaced record whose indexed value
   * stays the same changes none). The caller must not change the array, and must look each key up (the records
   * themselves may have been replaced since).
   */
  candidateKeys(coll: CollectionName, field: string, value: unknown): readonly string[] | undefined {
    if (!isIndexed(coll, field)) return undefined;
    const c = this.coll(coll);
    let byField = this.indexes.get(coll);
    if (!byField) this.indexes.set(coll, (byField = new Map()));
    let ix = byField.get(field);
    if (!ix) {
      ix = { byValue: new Map(), nonScalar: newEntry() };
      for (const rec of c.byKey.values()) addToIndex(ix, fieldText(rec, field), rec.encodedKey);
      byField.set(field, ix);
    }
    const entry = ix.byValue.get(String(value).toLowerCase());
    const nonScalar = ix.nonScalar;
    if (!entry) return this.inOrder(coll, [...nonScalar.keys]);
    const o = entry.ordered;
    if (o && o.version === entry.version && o.nonScalarVersion === nonScalar.version) return o.keys;
    const keys = this.inOrder(coll, nonScalar.keys.size ? [...entry.keys, ...nonScalar.keys] : [...entry.keys]);
    entry.ordered = { version: entry.version, nonScalarVersion: nonScalar.version, keys };
    return keys;
  }

  /** Stored keys sorted by insertion order (in place). */
  private inOrder(coll: CollectionName, keys: string[]): string[] {
    const order = this.orderOf(coll);
    const ranked = keys.map((k) => ({ k, n: order.get(k) ?? 0 }));
    ranked.sort((a, b) => a.n - b.n);
    for (let i = 0; i < ranked.length; i++) keys[i] = ranked[i].k;
    return keys;
  }

  /** All records of a collection, in insertion order. */
  all(coll: CollectionName): WireRecord[] {
    return [...this.coll(coll).byKey.values()];
  }

  /** Number of records in a collection. */
  count(coll: CollectionName): number {
    return this.coll(coll).byKey.size;
  }

  /** A JSON-serialisable copy of the whole state. */
  snapshot(): StoreSnapshot {
    const collections: Partial<Record<CollectionName, WireRecord[]>> = {};
    for (const name of ALL) collections[name] = this.all(name);
    return { collections, counters: Object.fromEntries(this.counters), extra: this.extra };
  }

  /** Loads a snapshot on top of the current state; throws on a `"__proto__"` key anywhere in it. */
  load(snapshot: StoreSnapshot): void {
    const proto = findProtoKey(snapshot, "snapshot");
    if (proto) throw new Error(`${proto}: "__proto__" is not allowed as a key`);
    for (const [name, recs] of Object.entries(snapshot.collections ?? {})) {
      for (const rec of recs ?? []) this.insert(name as CollectionName, rec);
    }
    for (const [k, v] of Object.entries(snapshot.counters ?? {})) this.counters.set(k, v);
    if (snapshot.extra) this.extra = { ...this.extra, ...snapshot.extra };
  }
}
