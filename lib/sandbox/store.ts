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
    c.byKey.set(rec.encodedKey, rec);
    return rec;
  }

  /** Removes a record; returns whether it existed. */
  remove(coll: CollectionName, encodedKey: string): boolean {
    const c = this.coll(coll);
    const old = c.byKey.get(encodedKey);
    if (!old) return false;
    if (old.id !== undefined) c.idIndex.delete(String(old.id));
    c.byKey.delete(encodedKey);
    return true;
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
