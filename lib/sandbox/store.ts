/**
 * The sandbox's state: collections of wire records, looked up by id or encodedKey.
 * Deliberately simple (Maps in insertion order) so that it can be persisted as JSON and reloaded.
 */
import { randomBytes } from "node:crypto";
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

/** A secondary index of one field: lower-cased text of a scalar value → encodedKeys; records holding a list or object. */
interface FieldIndex {
  byValue: Map<string, Set<string>>;
  nonScalar: Set<string>;
}

const NON_SCALAR = Symbol("non-scalar");

/** The index text of a value: lower-cased for a scalar, NON_SCALAR for a list or object, undefined when absent. */
function indexText(v: unknown): string | undefined | typeof NON_SCALAR {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return NON_SCALAR;
  return String(v).toLowerCase();
}

function addToIndex(ix: FieldIndex, field: string, rec: WireRecord): void {
  const t = indexText(Object.prototype.hasOwnProperty.call(rec, field) ? rec[field] : undefined);
  if (t === undefined) return;
  if (t === NON_SCALAR) ix.nonScalar.add(rec.encodedKey);
  else {
    let keys = ix.byValue.get(t);
    if (!keys) ix.byValue.set(t, (keys = new Set()));
    keys.add(rec.encodedKey);
  }
}

/** One change of a collection: a record inserted (`rec`), replaced (`old` → `rec`) or removed (`old`). */
export interface StoreChange {
  old?: WireRecord;
  rec?: WireRecord;
}

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
    return this.keyGenerator ? this.keyGenerator() : randomBytes(16).toString("hex");
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
    this.indexDelete(coll, old);
    c.byKey.set(rec.encodedKey, rec);
    this.indexAdd(coll, rec);
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
    if (byField) for (const [field, ix] of byField) addToIndex(ix, field, rec);
  }

  private indexDelete(coll: CollectionName, rec: WireRecord): void {
    const byField = this.indexes.get(coll);
    if (!byField) return;
    for (const [field, ix] of byField) {
      const t = indexText(Object.prototype.hasOwnProperty.call(rec, field) ? rec[field] : undefined);
      if (t === undefined) continue;
      if (t === NON_SCALAR) ix.nonScalar.delete(rec.encodedKey);
      else {
        const keys = ix.byValue.get(t);
        keys?.delete(rec.encodedKey);
        if (keys && !keys.size) ix.byValue.delete(t);
      }
    }
  }

  /**
   * The records that may hold `value` in `field` (one of {@link INDEXED_FIELDS}, or one {@link isIndexed} there), compared as text without
   * case: every record whose scalar value's text equals it case-insensitively, and every record holding a list
   * or object there (for the caller to test), in insertion order. A superset for a caller that still applies its
   * own test. Undefined for a field that is not indexed.
   */
  candidates(coll: CollectionName, field: string, value: unknown): WireRecord[] | undefined {
    if (!isIndexed(coll, field)) return undefined;
    const c = this.coll(coll);
    let byField = this.indexes.get(coll);
    if (!byField) this.indexes.set(coll, (byField = new Map()));
    let ix = byField.get(field);
    if (!ix) {
      ix = { byValue: new Map(), nonScalar: new Set() };
      for (const rec of c.byKey.values()) addToIndex(ix, field, rec);
      byField.set(field, ix);
    }
    const keys = [...(ix.byValue.get(String(value).toLowerCase()) ?? []), ...ix.nonScalar];
    const order = this.orderOf(coll);
    const recs: Array<[number, WireRecord]> = [];
    for (const k of keys) {
      const rec = c.byKey.get(k);
      if (rec) recs.push([order.get(k) ?? 0, rec]);
    }
    return recs.sort((a, b) => a[0] - b[0]).map((e) => e[1]);
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
