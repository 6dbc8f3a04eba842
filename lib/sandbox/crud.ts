/**
 * Generic handlers over the declarations of resources.ts: list (filters, sortBy, paging, detailsLevel), get by
 * id or encodedKey, create, PUT, PATCH, DELETE and `:search` — registered only where the contract has the
 * operation (plus `GET /customfields`, which the Swagger files lack). Also the nested lists
 * `GET /loans/{id}/transactions`, `GET /deposits/{id}/transactions` and `GET /customfieldsets/{id}/customfields`.
 */
import { operation } from "../contract/schema";
import { readOnlyFields, validateBody, validateQuery } from "./contract";
import { validateCustomFields } from "./customfields";
import { loadEngine } from "./engine-bridge";
import { invalidParameters, mambuError } from "./errors";
import { insertSorted, removeSorted, replaceSorted, parsePaging, parseSortBy, SortKey, sortRecords } from "./list";
import { applyPatch } from "./patch";
import { pageAnswer, recordAnswer, requireRecord, shape } from "./records";
import type { ResourceDecl } from "./resource-decl";
import { RESOURCES } from "./resources";
import type { RouteRequest, Router, SandboxContext } from "./router";
import { runSearch } from "./search";
import type { SandboxStore } from "./store";
import type { CollectionName, WireRecord } from "./types";

/** `detailsLevel` of a request: true for FULL (default BASIC); 400 for anything else. */
export function isFull(query: Record<string, string>): boolean {
  const d = query.detailsLevel;
  if (d === undefined || d === "BASIC") return false;
  if (d === "FULL") return true;
  throw invalidParameters(`detailsLevel: expected one of BASIC, FULL, got "${d}"`);
}

const SERVER_FIELDS = ["encodedKey", "creationDate", "lastModifiedDate"];

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) throw invalidParameters("a JSON body is required");
  if (typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object");
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

function newId(ctx: SandboxContext, decl: ResourceDecl): string | number {
  const id = ctx.store.nextId(decl.coll);
  return decl.numericId ? Number(id) : id;
}

/** Creates a record of a declaration from a request body (validation, defaults, ids, dates); returns it stored. */
export function createRecord(ctx: SandboxContext, decl: ResourceDecl, body: unknown): WireRecord {
  const input = asObject(body);
  validateBody(decl.swagger, decl.createDefinition ?? decl.definition, input, ctx.clock.offset);
  for (const f of SERVER_FIELDS) delete input[f];
  validateCustomFields(ctx, decl.customFieldsFor, input);
  const engine = loadEngine();
  let rec = input as WireRecord;
  decl.prepare?.(ctx, rec, undefined);
  if ((decl.coll === "loans" || decl.coll === "deposits") && engine) {
    rec = { ...engine.prepareCreate(ctx, decl.coll, rec) };
  } else if (decl.coll === "loans" || decl.coll === "deposits") {
    rec.accountState ??= "PENDING_APPROVAL";
  }
  if (rec.id !== undefined && rec.id !== null && rec.id !== "") {
    if (ctx.store.find(decl.coll, String(rec.id))) throw mambuError(decl.idInUse ?? "INVALID_PARAMETERS", `id ${String(rec.id)} is already in use`);
  } else {
    rec.id = newId(ctx, decl) as string;
  }
  const now = ctx.clock.nowIso();
  rec.encodedKey ||= ctx.store.newEncodedKey();
  rec.creationDate ??= now;
  rec.lastModifiedDate = now;
  const stored = ctx.store.insert(decl.coll, rec);
  decl.afterWrite?.(ctx, stored, undefined);
  return stored;
}

function immutableFields(decl: ResourceDecl): Set<string> {
  return new Set([...readOnlyFields(decl.swagger, decl.definition), ...(decl.immutable ?? []), ...SERVER_FIELDS]);
}

/** Replaces a record (PUT): read-only and immutable fields keep their stored values. */
export function replaceRecord(ctx: SandboxContext, decl: ResourceDecl, old: WireRecord, body: unknown): WireRecord {
  const input = asObject(body);
  validateBody(decl.swagger, decl.definition, input, ctx.clock.offset, { baseline: old });
  validateCustomFields(ctx, decl.customFieldsFor, input);
  const rec = input as WireRecord;
  for (const f of immutableFields(decl)) {
    if (old[f] !== undefined) rec[f] = old[f];
    else delete rec[f];
  }
  rec.encodedKey = old.encodedKey;
  if (rec.id === undefined || rec.id === null || rec.id === "") rec.id = old.id;
  else if (String(rec.id) !== String(old.id) && ctx.store.find(decl.coll, String(rec.id))) {
    throw mambuError(decl.idInUse ?? "INVALID_PARAMETERS", `id ${String(rec.id)} is already in use`);
  }
  for (const f of decl.hidden ?? []) if (old[f] !== undefined) rec[f] = old[f];
  decl.prepare?.(ctx, rec, old);
  rec.lastModifiedDate = ctx.clock.nowIso();
  const stored = ctx.store.replace(decl.coll, rec);
  decl.afterWrite?.(ctx, stored, old);
  return stored;
}

/** Applies a JSON Patch to a record and stores the result. */
export function patchRecord(ctx: SandboxContext, decl: ResourceDecl, old: WireRecord, ops: unknown): WireRecord {
  const next = applyPatch(old, ops, immutableFields(decl), ctx.limits?.maxJsonDepth) as WireRecord;
  validateBody(decl.swagger, decl.definition, next, ctx.clock.offset, { baseline: old });
  validateCustomFields(ctx, decl.customFieldsFor, next);
  if (String(next.id) !== String(old.id) && ctx.store.find(decl.coll, String(next.id))) {
    throw mambuError(decl.idInUse ?? "INVALID_PARAMETERS", `id ${String(next.id)} is already in use`);
  }
  decl.prepare?.(ctx, next, old);
  next.lastModifiedDate = ctx.clock.nowIso();
  const stored = ctx.store.replace(decl.coll, next);
  decl.afterWrite?.(ctx, stored, old);
  return stored;
}

/** Sorted orders of whole collections, per store: (collection, sort keys) → the order and the version it is of. */
const SORTED = new WeakMap<SandboxStore, Map<string, { version: number; recs: WireRecord[] }>>();
/** Sorted orders kept per store (the least recently computed goes first). */
const MAX_SORTED = 16;

/**
 * A whole collection sorted by `keys`, kept until the collection changes (so that pages of a large collection do
 * not sort it for each page). The caller must not change the array.
 */
function sortedCollection(ctx: SandboxContext, coll: CollectionName, keys: SortKey[]): WireRecord[] {
  let cache = SORTED.get(ctx.store);
  if (!cache) SORTED.set(ctx.store, (cache = new Map()));
  const id = `${coll}|${keys.map((k) => `${k.field}:${k.desc ? "D" : "A"}`).join(",")}`;
  const version = ctx.store.version(coll);
  const hit = cache.get(id);
  if (hit && hit.version === version) return hit.recs;
  const changes = hit ? ctx.store.changesSince(coll, hit.version) : undefined;
  let recs: WireRecord[];
  if (hit && changes) {
    // Follow the changes in place (no request keeps the array: pages are copies): take out the records replaced
    // or removed, where their sort values place them, then place the new ones.
    recs = hit.recs;
    const rank = (r: WireRecord): number | undefined => ctx.store.orderOfRecord(coll, r.encodedKey);
    for (const ch of changes) {
      if (ch.old && ch.rec && replaceSorted(recs, ch.old, ch.rec, keys, rank)) continue; // same place (e.g. a repayment)
      if (ch.old) removeSorted(recs, [ch.old], keys, rank);
      if (ch.rec) insertSorted(recs, [ch.rec], keys, rank);
    }
  } else {
    recs = sortRecords(ctx.store.all(coll), keys);
  }
  cache.delete(id);
  cache.set(id, { version, recs });
  if (cache.size > MAX_SORTED) cache.delete(cache.keys().next().value as string);
  return recs;
}

function listHandler(decl: ResourceDecl, template: string, records?: (ctx: SandboxContext, req: RouteRequest) => WireRecord[]) {
  return (ctx: SandboxContext, req: RouteRequest) => {
    validateQuery(decl.swagger, "GET", template, req.query);
    const paging = parsePaging(req.query);
    const full = isFull(req.query);
    let keys: SortKey[] = [];
    let sortError: unknown; // thrown after the filters, whose errors come first
    try {
      if (decl.sortFields) {
        keys = parseSortBy(req.query.sortBy, decl.sortFields);
        if (!keys.length && decl.defaultSort) keys = parseSortBy(decl.defaultSort, decl.sortFields);
      }
    } catch (e) {
      sortError = e;
      keys = [];
    }
    // The whole collection sorted once (kept while it does not change), then filtered: a stable sort keeps the
    // collection's order among ties, so filtering after sorting gives what sorting after filtering gives.
    let recs = records ? records(ctx, req) : keys.length ? sortedCollection(ctx, decl.coll, keys) : ctx.store.all(decl.coll);
    for (const [name, f] of Object.entries(decl.filters ?? {})) {
      const v = req.query[name];
      if (v !== undefined && v !== "") recs = recs.filter((r) => f(r, v, ctx, req.query));
    }
    if (sortError !== undefined) throw sortError;
    if (records && keys.length) recs = sortRecords(recs, keys);
    return pageAnswer(ctx, decl, recs, paging, full);
  };
}

/** Registers the generic routes of every declaration that the contract (or the sandbox's extensions) has. */
export function registerCrudRoutes(router: Router): void {
  for (const decl of Object.values(RESOURCES)) {
    if (!decl) continue;
    const item = `${decl.path}/{${decl.idParam}}`;
    const has = (method: string, template: string): boolean => !!operation(decl.swagger, method, template);

    if (has("GET", decl.path) || decl.coll === "customfields") router.add("GET", decl.path, listHandler(decl, decl.path));
    if (has("GET", item)) {
      router.add("GET", item, (ctx, req) => {
        validateQuery(decl.swagger, "GET", item, req.query);
        const full = isFull(req.query);
        return recordAnswer(ctx, decl, requireRecord(ctx, decl, req.params[decl.idParam]), full);
      });
    }
    if (has("POST", decl.path) && decl.coll !== "comments") {
      router.add("POST", decl.path, (ctx, req) => {
        const stored = createRecord(ctx, decl, req.body);
        // the record as stored is answered from its kept JSON (the same bytes as its shape); one that a hook of the
        // declaration has replaced already is answered as it was inserted, without keeping its JSON
        if (ctx.store.coll(decl.coll).byKey.get(stored.encodedKey) === stored) return recordAnswer(ctx, decl, stored, true, 201);
        return { status: 201, body: shape(decl, stored, true) };
      });
    }
    if (has("PUT", item)) {
      router.add("PUT", item, (ctx, req) => {
        const old = requireRecord(ctx, decl, req.params[decl.idParam]);
        return { status: 200, body: shape(decl, replaceRecord(ctx, decl, old, req.body), true) };
      });
    }
    if (has("PATCH", item)) {
      router.add("PATCH", item, (ctx, req) => {
        const old = requireRecord(ctx, decl, req.params[decl.idParam]);
        patchRecord(ctx, decl, old, req.body);
        return { status: 204 };
      });
    }
    if (has("DELETE", item)) {
      router.add("DELETE", item, (ctx, req) => {
        const rec = requireRecord(ctx, decl, req.params[decl.idParam]);
        decl.beforeDelete?.(ctx, rec);
        ctx.store.remove(decl.coll, rec.encodedKey);
        decl.afterDelete?.(ctx, rec);
        return { status: 204 };
      });
    }
    const spec = decl.search;
    if (spec) {
      const template = `${decl.path}:search`;
      router.add("POST", template, (ctx, req) => {
        validateQuery(decl.swagger, "POST", template, req.query);
        const paging = parsePaging(req.query);
        const full = isFull(req.query);
        // without the total (paginationDetails), the search stops at the page's last record
        const found = runSearch(spec, () => ctx.store.all(decl.coll), req.body, ctx, decl.coll, paging.details ? undefined : paging.offset + paging.limit);
        return pageAnswer(ctx, decl, found, paging, full);
      });
    }
  }

  // Transactions of one account.
  const nested = (accountColl: "loans" | "deposits", txColl: "loanTransactions" | "depositTransactions", idParam: string) => {
    const accDecl = RESOURCES[accountColl]!;
    const txDecl = RESOURCES[txColl]!;
    const template = `/${accountColl}/{${idParam}}/transactions`;
    router.add(
      "GET",
      template,
      listHandler({ ...txDecl, filters: {} }, template, (ctx, req) => {
        const acc = requireRecord(ctx, accDecl, req.params[idParam]);
        return ctx.store.all(txColl).filter((t) => t.parentAccountKey === acc.encodedKey);
      }),
    );
  };
  nested("loans", "loanTransactions", "loanAccountId");
  nested("deposits", "depositTransactions", "depositAccountId");

  // Custom fields of a set.
  const sets = RESOURCES.customfieldsets!;
  const fields = RESOURCES.customfields!;
  const template = "/customfieldsets/{customFieldSetId}/customfields";
  router.add(
    "GET",
    template,
    listHandler({ ...fields, swagger: "customfieldsets", filters: {} }, template, (ctx, req) => {
      const set = requireRecord(ctx, sets, req.params.customFieldSetId);
      return ((set.customFields as Array<{ id?: string; encodedKey?: string }> | undefined) ?? [])
        .map((f) => ctx.store.find("customfields", String(f.encodedKey ?? f.id)) ?? ctx.store.find("customfields", String(f.id)))
        .filter((f): f is WireRecord => !!f);
    }),
  );
}
