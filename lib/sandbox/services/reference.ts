/**
 * The reference-data half of the Services API: currencies (`/currencies`), their accounting rates and exchange
 * rates (`/currencies/{code}/accounting_rate`, `/exchange_rate`), index rate sources (`/sources`) and their index
 * rates (`/sources/{source_id}/indexrates`), with the decisions of services-v1.json:
 * - a currency's code and a source's source_id are chosen by the caller: a second create is 409;
 * - rate ids are assigned by the server; `start_time` is required; an accounting or exchange rate's `end_time` is
 *   the `start_time` of the next later rate of its currency (set, or moved, whenever a rate is added; two rates of
 *   one currency cannot start at the same instant); `from_currency` is the organisation's base currency and
 *   `to_currency` the path's code;
 * - an identifier repeated in a body must equal the path's (400 otherwise);
 * - deleting a currency or a source deletes its rates too (the API has no other way to delete a currency's rates);
 * - one index, two APIs (decision `index-rates-drive-loans`): a source whose source_id equals an API v2 index rate
 *   source's id or encodedKey is that index (its type must correspond: InterestRate ↔ INTEREST_RATE, ...; 400
 *   otherwise), and a loan product may name a source by its source_id. Its rates count wherever v2 looks up the
 *   rate in force (a new indexed loan's rate: ../reference/index-rates.ts), and running indexed loans follow each
 *   rate as it comes into force — at once for a rate in force when written, at its start when the clock reaches it
 *   (../reference/index-repricing.ts) — through the engine's interest rate change (schedule tail recomputed).
 * Stored in their own collections (svc*), apart from API v2's `currencies` and `indexratesources`: the two APIs'
 * objects have different shapes and identities (v2 keys rates by encodedKey, this API by rate_id).
 */
import Decimal from "decimal.js";
import { mambuError, invalidParameters } from "../errors";
import { baseCurrency } from "../reference/currencies";
import type { RouteRequest, RouteResponse, Router, SandboxContext } from "../router";
import type { CollectionName } from "../types";
import { checkServicesBody, servicesFields } from "./contract";
import { ExactNumber, exactBodyOf } from "./exact-json";
import { noteIndexRateWrite, servicesSourceType, v2SourceType } from "../reference/index-rates";
import { followIndexRates } from "../reference/index-repricing";
import { Listing, pageOf } from "./paging";
import { answerOf, findObject, insertObject, objectsOf, removeObject, replaceObject, ServicesRecord, utc } from "./store";

const CURRENCIES: CollectionName = "svccurrencies";
const ACCOUNTING: CollectionName = "svcaccountingrates";
const EXCHANGE: CollectionName = "svcexchangerates";
const SOURCES: CollectionName = "svcsources";
const INDEX_RATES: CollectionName = "svcindexrates";

const ok = (body: unknown, status = 200): RouteResponse => ({ status, body });

/** A list of stored objects: in order of creation, told apart by identifier; `list` names the list for its page tokens. */
const listing = (list: string): Listing<ServicesRecord> => ({ list, wire: answerOf, tie: (r) => [r.seq ?? 0, r.id] });

/** A 409: the caller's identifier is taken. */
function taken(what: string): never {
  throw mambuError("INVALID_PARAMETERS", `${what} already exists`, 409);
}

/** The identifier a body repeats must equal the path's; returns the body without readOnly fields. */
function samePathId(body: Record<string, unknown>, field: string, value: string): void {
  if (body[field] !== undefined && body[field] !== value) {
    throw invalidParameters(`${field}: must equal the path's ${field} "${value}", got ${JSON.stringify(body[field])}`);
  }
}

function pick(body: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (Object.prototype.hasOwnProperty.call(body, f) && body[f] !== undefined && body[f] !== null) out[f] = body[f];
  return out;
}

function positive(field: string, value: unknown): void {
  const d = typeof value === "number" || typeof value === "string" ? new Decimal(value) : value instanceof ExactNumber ? new Decimal(value.text) : undefined;
  if (!d || !d.isFinite() || d.lte(0)) throw mambuError("INVALID_AMOUNT", `${field}: must be greater than 0, got ${String(value)}`);
}

function currency(ctx: SandboxContext, code: string): ServicesRecord {
  const rec = findObject(ctx, CURRENCIES, code);
  if (!rec) throw mambuError("CURRENCY_DOES_NOT_EXIST", `currency ${code} does not exist`);
  return rec;
}

function source(ctx: SandboxContext, id: string): ServicesRecord {
  const rec = findObject(ctx, SOURCES, id);
  if (!rec) throw mambuError("INVALID_INDEX_RATE_SOURCE_ID", `index rate source ${id} does not exist`);
  return rec;
}

/** After an index rate write: running loans of that index follow its rate in force (../reference/index-repricing.ts). */
function indexChanged(ctx: SandboxContext): void {
  noteIndexRateWrite(ctx);
  followIndexRates(ctx);
}

/** A source whose source_id names an API v2 source is that index: its type must correspond (400 otherwise). */
function sameIndexType(ctx: SandboxContext, body: Record<string, unknown>): void {
  const v2 = ctx.store.find("indexratesources", String(body.source_id));
  if (v2 && v2SourceType(body.type) !== v2.type) {
    throw invalidParameters(`type: source_id ${String(body.source_id)} names the API v2 index rate source of type ${String(v2.type)}, the same index: give the corresponding type ${servicesSourceType(v2.type) ?? String(v2.type)}, got ${JSON.stringify(body.type)}`);
  }
}

function rateOf(ctx: SandboxContext, coll: CollectionName, parent: string, rateId: string): ServicesRecord {
  const rec = findObject(ctx, coll, rateId);
  if (!rec || rec.parent !== parent) throw mambuError("OBJECT_NOT_FOUND", `rate ${rateId} of ${parent} does not exist`);
  return rec;
}

/** Sets each rate's end_time to the next later rate's start_time (the last one has none). */
function chainEndTimes(ctx: SandboxContext, coll: CollectionName, parent: string): void {
  const rates = objectsOf(ctx, coll, parent).sort((a, b) => Date.parse(String(a.wire.start_time)) - Date.parse(String(b.wire.start_time)));
  rates.forEach((r, i) => {
    const { end_time: _old, ...rest } = r.wire;
    const next = rates[i + 1];
    replaceObject(ctx, coll, r, next ? { ...rest, end_time: next.wire.start_time } : rest);
  });
}

function createCurrencyRate(ctx: SandboxContext, req: RouteRequest, coll: CollectionName, definition: string, values: string[]): RouteResponse {
  const code = req.params.code;
  currency(ctx, code);
  const body = checkServicesBody("currencies", definition, req.body);
  samePathId(body, "to_currency", code);
  const base = baseCurrency(ctx);
  samePathId(body, "from_currency", base);
  if (code === base) throw invalidParameters(`code: ${code} is the organisation's base currency; rates are to a foreign currency`);
  const exact = exactBodyOf(req.body) as Record<string, unknown>;
  for (const v of values) positive(v, exact[v]);
  const start = utc(String(body.start_time));
  if (objectsOf(ctx, coll, code).some((r) => Date.parse(String(r.wire.start_time)) === Date.parse(start))) {
    throw invalidParameters(`start_time: ${code} already has a rate starting at ${start}`);
  }
  const rateId = ctx.store.nextId(coll);
  const wire = { rate_id: rateId, ...pick(exact, values), from_currency: base, to_currency: code, start_time: start };
  const rec = insertObject(ctx, coll, rateId, wire, code);
  chainEndTimes(ctx, coll, code);
  return ok(answerOf(findObject(ctx, coll, rec.id)!), 201);
}

function indexRateWire(ctx: SandboxContext, req: RouteRequest, sourceId: string, rateId: string): Record<string, unknown> {
  const body = checkServicesBody("rates", "IndexRate", req.body);
  samePathId(body, "source_id", sourceId);
  if (req.params.rate_id !== undefined) samePathId(body, "rate_id", rateId);
  const start = utc(String(body.start_time));
  const user = req.user?.username;
  const exact = exactBodyOf(req.body) as Record<string, unknown>;
  return { rate_id: rateId, source_id: sourceId, ...(user ? { user_id: user } : {}), rate: exact.rate, ...pick(body, ["notes"]), start_time: start };
}

/** Registers the reference-data routes on the Services router (paths relative to `/v1`). */
export function registerServicesReferenceRoutes(router: Router): void {
  const currencyFields = servicesFields("currencies", "Currency");
  const accountingFields = servicesFields("currencies", "AccountingRate");
  const exchangeFields = servicesFields("currencies", "ExchangeRate");
  const sourceFields = servicesFields("rates", "Source");
  const indexRateFields = servicesFields("rates", "IndexRate");
  const currencyKeys = [...currencyFields];
  const sourceKeys = [...sourceFields];

  // Currencies
  router.add("POST", "/currencies", (ctx, req) => {
    const body = checkServicesBody("currencies", "Currency", req.body);
    const code = String(body.code);
    if (findObject(ctx, CURRENCIES, code)) taken(`currency ${code}`);
    return ok(answerOf(insertObject(ctx, CURRENCIES, code, pick(body, currencyKeys))), 201);
  });
  router.add("GET", "/currencies", (ctx, req) => {
    const p = pageOf(objectsOf(ctx, CURRENCIES), req.query, currencyFields, listing("currencies"));
    return ok({ total: p.total, remaining: p.remaining, currencies: p.items, ...(p.next_page_token ? { next_page_token: p.next_page_token } : {}) });
  });
  router.add("GET", "/currencies/{code}", (ctx, req) => ok(answerOf(currency(ctx, req.params.code))));
  router.add("PUT", "/currencies/{code}", (ctx, req) => {
    const rec = currency(ctx, req.params.code);
    const body = checkServicesBody("currencies", "Currency", req.body);
    samePathId(body, "code", req.params.code);
    replaceObject(ctx, CURRENCIES, rec, { ...pick(body, currencyKeys), code: req.params.code });
    return ok(answerOf(currency(ctx, req.params.code)));
  });
  router.add("DELETE", "/currencies/{code}", (ctx, req) => {
    const rec = currency(ctx, req.params.code);
    for (const coll of [ACCOUNTING, EXCHANGE]) for (const r of objectsOf(ctx, coll, rec.id)) removeObject(ctx, coll, r);
    removeObject(ctx, CURRENCIES, rec);
    return { status: 204 };
  });

  // Accounting and exchange rates
  const rateRoutes = (segment: string, coll: CollectionName, definition: string, values: string[], fields: Set<string>): void => {
    router.add("POST", `/currencies/{code}/${segment}`, (ctx, req) => createCurrencyRate(ctx, req, coll, definition, values));
    router.add("GET", `/currencies/{code}/${segment}`, (ctx, req) => {
      currency(ctx, req.params.code);
      const p = pageOf(objectsOf(ctx, coll, req.params.code), req.query, fields, listing(`${segment} ${req.params.code}`));
      return ok({ total: p.total, remaining: p.remaining, rates: p.items, ...(p.next_page_token ? { next_page_token: p.next_page_token } : {}) });
    });
    router.add("GET", `/currencies/{code}/${segment}/{rate_id}`, (ctx, req) => {
      currency(ctx, req.params.code);
      return ok(answerOf(rateOf(ctx, coll, req.params.code, req.params.rate_id)));
    });
  };
  rateRoutes("accounting_rate", ACCOUNTING, "AccountingRate", ["rate"], accountingFields);
  rateRoutes("exchange_rate", EXCHANGE, "ExchangeRate", ["buy_rate", "sell_rate"], exchangeFields);

  // Index rate sources
  router.add("POST", "/sources", (ctx, req) => {
    const body = checkServicesBody("rates", "Source", req.body);
    const id = String(body.source_id);
    if (findObject(ctx, SOURCES, id)) taken(`index rate source ${id}`);
    sameIndexType(ctx, body);
    return ok(answerOf(insertObject(ctx, SOURCES, id, pick(body, sourceKeys))), 201);
  });
  router.add("GET", "/sources", (ctx, req) => {
    const p = pageOf(objectsOf(ctx, SOURCES), req.query, sourceFields, listing("sources"));
    return ok({ total: p.total, remaining: p.remaining, sources: p.items, ...(p.next_page_token ? { next_page_token: p.next_page_token } : {}) });
  });
  router.add("GET", "/sources/{source_id}", (ctx, req) => ok(answerOf(source(ctx, req.params.source_id))));
  router.add("PUT", "/sources/{source_id}", (ctx, req) => {
    const rec = source(ctx, req.params.source_id);
    const body = checkServicesBody("rates", "Source", { ...(req.body as object), source_id: (req.body as Record<string, unknown> | undefined)?.source_id ?? req.params.source_id });
    samePathId(body, "source_id", req.params.source_id);
    sameIndexType(ctx, body);
    replaceObject(ctx, SOURCES, rec, pick(body, sourceKeys));
    indexChanged(ctx);
    return ok(answerOf(source(ctx, req.params.source_id)));
  });
  router.add("DELETE", "/sources/{source_id}", (ctx, req) => {
    const rec = source(ctx, req.params.source_id);
    for (const r of objectsOf(ctx, INDEX_RATES, rec.id)) removeObject(ctx, INDEX_RATES, r);
    removeObject(ctx, SOURCES, rec);
    indexChanged(ctx);
    return { status: 204 };
  });

  // Index rates
  router.add("POST", "/sources/{source_id}/indexrates", (ctx, req) => {
    const src = source(ctx, req.params.source_id);
    const rateId = ctx.store.nextId(INDEX_RATES);
    const wire = indexRateWire(ctx, req, src.id, rateId);
    const rec = insertObject(ctx, INDEX_RATES, rateId, wire, src.id);
    indexChanged(ctx);
    return ok(answerOf(rec), 201);
  });
  router.add("GET", "/sources/{source_id}/indexrates", (ctx, req) => {
    source(ctx, req.params.source_id);
    const p = pageOf(objectsOf(ctx, INDEX_RATES, req.params.source_id), req.query, indexRateFields, listing(`indexrates ${req.params.source_id}`));
    return ok({ total: p.total, remaining: p.remaining, rates: p.items, ...(p.next_page_token ? { next_page_token: p.next_page_token } : {}) });
  });
  router.add("GET", "/sources/{source_id}/indexrates/{rate_id}", (ctx, req) => {
    source(ctx, req.params.source_id);
    return ok(answerOf(rateOf(ctx, INDEX_RATES, req.params.source_id, req.params.rate_id)));
  });
  router.add("PUT", "/sources/{source_id}/indexrates/{rate_id}", (ctx, req) => {
    source(ctx, req.params.source_id);
    const rec = rateOf(ctx, INDEX_RATES, req.params.source_id, req.params.rate_id);
    replaceObject(ctx, INDEX_RATES, rec, indexRateWire(ctx, req, req.params.source_id, rec.id));
    indexChanged(ctx);
    return ok(answerOf(rateOf(ctx, INDEX_RATES, req.params.source_id, rec.id)));
  });
  router.add("DELETE", "/sources/{source_id}/indexrates/{rate_id}", (ctx, req) => {
    source(ctx, req.params.source_id);
    removeObject(ctx, INDEX_RATES, rateOf(ctx, INDEX_RATES, req.params.source_id, req.params.rate_id));
    indexChanged(ctx);
    return { status: 204 };
  });
}
