/**
 * Index rate sources and their index rates: `GET`/`POST /indexratesources`, `GET`/`DELETE
 * /indexratesources/{indexRateSourceId}`, `GET`/`POST /indexratesources/{indexRateSourceId}/indexrates` and
 * `DELETE /indexratesources/{indexRateSourceId}/indexrates/{indexRateId}`.
 *
 * A source (Swagger `IndexRateSource`: `name`, `type` INTEREST_RATE / TAX_RATE / WITHHOLDING_TAX_RATE /
 * PRINCIPAL_TAX_RATE, `notes`; found by id or encodedKey) keeps its rates (Swagger `IndexRate`: `rate` in percent,
 * `startDate` from which it is the source's rate, `notes`), oldest first. A rate needs a start date that the source
 * has no rate on yet (INVALID_INDEX_RATE_START_DATE; future dates are allowed: a rate announced in advance); a tax
 * rate is not negative (INVALID_TAX_RATE), an interest rate may be (EURIBOR was). A source that a product or an
 * account names (`indexSourceKey`, `taxSourceKey`, `withholdingTaxSourceKey`) cannot be deleted
 * (INDEX_RATE_SOURCE_IN_USE).
 *
 * One index, two APIs: an index rate source of the Services API (`/v1/sources`, ../services/reference.ts) whose
 * `source_id` equals a v2 source's `id` or `encodedKey`, and whose type corresponds (InterestRate ↔ INTEREST_RATE,
 * TaxRate ↔ TAX_RATE, WithholdingTaxRate ↔ WITHHOLDING_TAX_RATE, PrincipalTaxRate ↔ PRINCIPAL_TAX_RATE), is the same
 * index: its rates count wherever v2 looks up the rate in force ({@link indexRateInForce}: the rate of either API
 * with the latest start at or before the instant; on an equal start, the Services API's). A product may also name a
 * Services source directly (`indexSourceKey` = its `source_id`, no v2 source of that id). Each API still lists only
 * its own rates. Running loans follow the index as its rate in force changes (./index-repricing.ts).
 */
import Decimal from "decimal.js";
import { validateBody } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import { findUser } from "../resource-rules";
import type { Router, SandboxContext } from "../router";
import type { CollectionName, WireRecord } from "../types";
import { instantOf, tenantDateTime, tenantIso } from "./rate-dates";
import { findObject, objectsOf, ServicesRecord } from "../services/store";

/** The Services API's collections of sources and their rates (../services/reference.ts). */
const SERVICES_SOURCES: CollectionName = "svcsources";
const SERVICES_INDEX_RATES: CollectionName = "svcindexrates";

/** At most this many sources, and this many rates per source (the sandbox's bounds on what a client can make it keep). */
export const MAX_INDEX_RATE_SOURCES = 1_000;
/** See {@link MAX_INDEX_RATE_SOURCES}. */
export const MAX_INDEX_RATES = 10_000;

const TAX_TYPES = new Set(["TAX_RATE", "WITHHOLDING_TAX_RATE", "PRINCIPAL_TAX_RATE"]);
const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** One stored index rate (Swagger `IndexRate`). */
export interface StoredIndexRate {
  encodedKey: string;
  assignedIndexRateSourceKey: string;
  rate: number;
  startDate: string;
  notes?: string;
  userKey?: string;
}

/** The rates of a source record, oldest first. */
export function indexRatesOf(source: WireRecord): StoredIndexRate[] {
  return Array.isArray(source.indexRates) ? (source.indexRates as StoredIndexRate[]) : [];
}

/** The v2 source type of each Services source type. */
const V2_TYPE_OF: ReadonlyMap<string, string> = new Map([
  ["InterestRate", "INTEREST_RATE"],
  ["TaxRate", "TAX_RATE"],
  ["WithholdingTaxRate", "WITHHOLDING_TAX_RATE"],
  ["PrincipalTaxRate", "PRINCIPAL_TAX_RATE"],
]);

/** The v2 source type a Services source type corresponds to (undefined for an unknown one). */
export function v2SourceType(servicesType: unknown): string | undefined {
  return typeof servicesType === "string" ? V2_TYPE_OF.get(servicesType) : undefined;
}

/** The Services source type an API v2 source type corresponds to (undefined for an unknown one). */
export function servicesSourceType(v2Type: unknown): string | undefined {
  for (const [svc, v2] of V2_TYPE_OF) if (v2 === v2Type) return svc;
  return undefined;
}

/** One rate of an index, from either API: exact value, start (ISO date-time) and the API it was entered through. */
export interface IndexRateOfIndex {
  rate: Decimal;
  startDate: string;
  api: "v2" | "services";
}

/** The Services sources that are the index a v2 source id or key names (see the module comment). */
export function servicesSourcesOfIndex(ctx: SandboxContext, sourceIdOrKey: string): ServicesRecord[] {
  const v2 = ctx.store.find("indexratesources", sourceIdOrKey);
  if (!v2) {
    const own = findObject(ctx, SERVICES_SOURCES, sourceIdOrKey);
    return own ? [own] : [];
  }
  const out: ServicesRecord[] = [];
  for (const id of new Set([v2.id, v2.encodedKey])) {
    const s = typeof id === "string" ? findObject(ctx, SERVICES_SOURCES, id) : undefined;
    if (s && v2SourceType(s.wire.type) === v2.type) out.push(s);
  }
  return out;
}

/** Every rate of the index a source id or key names, from both APIs (unordered). */
export function ratesOfIndex(ctx: SandboxContext, sourceIdOrKey: string): IndexRateOfIndex[] {
  const out: IndexRateOfIndex[] = [];
  const v2 = ctx.store.find("indexratesources", sourceIdOrKey);
  if (v2) for (const r of indexRatesOf(v2)) out.push({ rate: new Decimal(r.rate), startDate: r.startDate, api: "v2" });
  for (const src of servicesSourcesOfIndex(ctx, sourceIdOrKey)) {
    for (const r of objectsOf(ctx, SERVICES_INDEX_RATES, src.id)) {
      const text = r.exact?.rate ?? (typeof r.wire.rate === "number" || typeof r.wire.rate === "string" ? String(r.wire.rate) : undefined);
      if (text !== undefined && typeof r.wire.start_time === "string") out.push({ rate: new Decimal(text), startDate: r.wire.start_time, api: "services" });
    }
  }
  return out;
}

/**
 * The rate in force at an instant (ISO date-time) of the index a source id or key names, from both APIs: the one
 * with the latest start at or before it (on an equal start, the Services API's); undefined when there is none.
 */
export function indexRateInForce(ctx: SandboxContext, sourceIdOrKey: string, at: string): IndexRateOfIndex | undefined {
  const t = instantOf(at);
  let best: IndexRateOfIndex | undefined;
  let bestT = -Infinity;
  for (const r of ratesOfIndex(ctx, sourceIdOrKey)) {
    const s = instantOf(r.startDate);
    if (!(s <= t)) continue;
    if (!best || s > bestT || (s === bestT && r.api === "services")) {
      best = r;
      bestT = s;
    }
  }
  return best;
}

/**
 * The index rate of a source (id or encodedKey) in force at an instant (ISO date-time): the latest rate starting
 * at or before it; undefined when the source is unknown or has no rate yet. For the schedules of indexed loans.
 */
export function indexRateAt(ctx: SandboxContext, sourceIdOrKey: string, at: string): StoredIndexRate | undefined {
  const source = ctx.store.find("indexratesources", sourceIdOrKey);
  if (!source) return undefined;
  const t = instantOf(at);
  let found: StoredIndexRate | undefined;
  for (const r of indexRatesOf(source)) if (instantOf(r.startDate) <= t) found = r;
  return found;
}

function requireSource(ctx: SandboxContext, idOrKey: string): WireRecord {
  const rec = ctx.store.find("indexratesources", idOrKey);
  if (!rec) throw mambuError("INVALID_INDEX_RATE_SOURCE_ID", `index rate source ${idOrKey.slice(0, 64)} not found`);
  return rec;
}

/** The wire form of a source (without its rates). */
function sourceWire(rec: WireRecord): Record<string, unknown> {
  const { indexRates: _rates, ...rest } = rec;
  return rest;
}

/** The wire form of a rate. */
function rateWire(r: StoredIndexRate): Record<string, unknown> {
  const out: Record<string, unknown> = { encodedKey: r.encodedKey, assignedIndexRateSourceKey: r.assignedIndexRateSourceKey, rate: r.rate, startDate: r.startDate };
  if (r.notes !== undefined) out.notes = r.notes;
  if (r.userKey !== undefined) out.userKey = r.userKey;
  return out;
}

const SOURCE_FIELDS = new Set(["indexSourceKey", "taxSourceKey", "withholdingTaxSourceKey"]);
const USERS: CollectionName[] = ["loanproducts", "depositproducts", "loans", "deposits"];

/** Whether a value names the source through one of {@link SOURCE_FIELDS}, at most 8 levels deep. */
function names(v: unknown, keys: Set<string>, depth: number): boolean {
  if (depth > 8 || v === null || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some((x) => names(x, keys, depth + 1));
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (SOURCE_FIELDS.has(k) && typeof x === "string" && keys.has(x)) return true;
    if (typeof x === "object" && names(x, keys, depth + 1)) return true;
  }
  return false;
}

/** The first product or account that names a source, as "loanproducts DB-PERSONAL", or undefined. */
export function sourceUser(ctx: SandboxContext, source: WireRecord): string | undefined {
  const keys = new Set([source.encodedKey, ...(typeof source.id === "string" ? [source.id] : [])]);
  for (const coll of USERS) {
    const user = ctx.store.all(coll).find((r) => names(r, keys, 0));
    if (user) return `${coll} ${String(user.id ?? user.encodedKey)}`;
  }
  return undefined;
}

/** `store.extra` key: when the earliest index rate write that running loans have not followed yet was made. */
export const INDEX_RATE_WRITE_PENDING = "indexRateWritePending";

/**
 * Notes that an index rate was created, replaced or deleted (through either API), so that running indexed loans
 * follow the rate in force from now on (./index-repricing.ts, at once for the Services API, before the next
 * `/loans` request for API v2).
 */
export function noteIndexRateWrite(ctx: SandboxContext): void {
  if (typeof ctx.store.extra[INDEX_RATE_WRITE_PENDING] !== "string") ctx.store.extra[INDEX_RATE_WRITE_PENDING] = ctx.clock.nowIso();
}

/** Registers the index rate source routes. */
export function registerIndexRateRoutes(router: Router): void {
  router.add("GET", "/indexratesources", (ctx) => ({ status: 200, body: ctx.store.all("indexratesources").map(sourceWire) }));

  router.add("POST", "/indexratesources", (ctx, req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object");
    validateBody("indexratesources", "IndexRateSource", body, ctx.clock.offset);
    if (typeof body.name !== "string" || body.name.trim() === "") throw invalidParameters("Property name may not be null");
    if (body.type === undefined || body.type === null) throw invalidParameters("Property type may not be null");
    if (body.notes !== undefined && body.notes !== null && typeof body.notes !== "string") throw invalidParameters("notes: expected a string");
    if (body.id !== undefined && (typeof body.id !== "string" || !ID_RE.test(body.id))) {
      throw invalidParameters(`id: expected 1 to 64 letters, digits, '.', '_' or '-', got ${JSON.stringify(body.id)?.slice(0, 80)}`);
    }
    if (ctx.store.count("indexratesources") >= MAX_INDEX_RATE_SOURCES) throw invalidParameters(`the tenant has ${MAX_INDEX_RATE_SOURCES} index rate sources already (the sandbox's limit)`);
    const now = ctx.clock.nowIso();
    const rec: WireRecord = {
      encodedKey: ctx.store.newEncodedKey(),
      id: typeof body.id === "string" ? body.id : ctx.store.nextId("indexratesources"),
      name: body.name,
      type: body.type,
      ...(typeof body.notes === "string" ? { notes: body.notes } : {}),
      creationDate: now,
      lastModifiedDate: now,
      indexRates: [],
    };
    ctx.store.insert("indexratesources", rec);
    return { status: 201, body: sourceWire(rec) };
  });

  router.add("GET", "/indexratesources/{indexRateSourceId}", (ctx, req) => ({
    status: 200,
    body: sourceWire(requireSource(ctx, req.params.indexRateSourceId)),
  }));

  router.add("DELETE", "/indexratesources/{indexRateSourceId}", (ctx, req) => {
    const source = requireSource(ctx, req.params.indexRateSourceId);
    const user = sourceUser(ctx, source);
    if (user) throw mambuError("INDEX_RATE_SOURCE_IN_USE", `index rate source ${String(source.id ?? source.encodedKey)} is used by ${user}`);
    ctx.store.remove("indexratesources", source.encodedKey);
    return { status: 204 };
  });

  router.add("GET", "/indexratesources/{indexRateSourceId}/indexrates", (ctx, req) => ({
    status: 200,
    body: indexRatesOf(requireSource(ctx, req.params.indexRateSourceId)).map(rateWire),
  }));

  router.add("POST", "/indexratesources/{indexRateSourceId}/indexrates", (ctx, req) => {
    const source = requireSource(ctx, req.params.indexRateSourceId);
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object");
    validateBody("indexratesources", "IndexRate", body, ctx.clock.offset);
    const rate = body.rate;
    if (rate === undefined || rate === null) throw invalidParameters("Property rate may not be null");
    if (typeof rate !== "number" || !Number.isFinite(rate)) throw invalidParameters("rate: expected a number");
    if (TAX_TYPES.has(String(source.type)) && rate < 0) throw mambuError("INVALID_TAX_RATE", `a ${String(source.type)} source takes no negative rate, got ${rate}`);
    if (body.startDate === undefined || body.startDate === null) throw mambuError("INVALID_INDEX_RATE_START_DATE", "startDate is required");
    const start = tenantDateTime(ctx, body.startDate, "startDate");
    const rates = indexRatesOf(source);
    const same = rates.find((r) => instantOf(r.startDate) === start.toMillis());
    if (same) throw mambuError("INVALID_INDEX_RATE_START_DATE", `the source has a rate starting ${same.startDate} already`);
    if (rates.length >= MAX_INDEX_RATES) throw invalidParameters(`the source has ${MAX_INDEX_RATES} index rates already (the sandbox's limit)`);
    if (body.notes !== undefined && body.notes !== null && typeof body.notes !== "string") throw invalidParameters("notes: expected a string");
    const created: StoredIndexRate = {
      encodedKey: ctx.store.newEncodedKey(),
      assignedIndexRateSourceKey: source.encodedKey,
      rate,
      startDate: tenantIso(ctx, start),
    };
    if (typeof body.notes === "string") created.notes = body.notes;
    const author = req.user ? findUser(ctx, req.user.username) : undefined;
    if (author) created.userKey = author.encodedKey;
    const next = [...rates, created].sort((a, b) => instantOf(a.startDate) - instantOf(b.startDate));
    ctx.store.replace("indexratesources", { ...source, indexRates: next, lastModifiedDate: ctx.clock.nowIso() });
    noteIndexRateWrite(ctx);
    return { status: 201, body: rateWire(created) };
  });

  router.add("DELETE", "/indexratesources/{indexRateSourceId}/indexrates/{indexRateId}", (ctx, req) => {
    const source = requireSource(ctx, req.params.indexRateSourceId);
    const rates = indexRatesOf(source);
    const id = req.params.indexRateId;
    const gone = rates.find((r) => r.encodedKey === id);
    if (!gone) throw mambuError("OBJECT_NOT_FOUND", `index rate ${id.slice(0, 64)} not found in source ${String(source.id ?? source.encodedKey)}`);
    ctx.store.replace("indexratesources", { ...source, indexRates: rates.filter((r) => r !== gone), lastModifiedDate: ctx.clock.nowIso() });
    noteIndexRateWrite(ctx);
    return { status: 204 };
  });
}

/** The interest settings of a new loan on an indexed product: the rate in force plus the spread. */
export interface IndexedLoanRate {
  interestRateSource: "INDEX_INTEREST_RATE";
  /** The source's rate in force plus the spread, within the product's floor and ceiling (percent). */
  interestRate: number;
  /** The spread over the index (the loan's, else the product's default). */
  interestSpread: number;
}

/** A spread or a rate as a Decimal (a number or a numeric string), else undefined. */
export function decOf(v: unknown): Decimal | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return new Decimal(v.trim());
  return undefined;
}

/**
 * For a loan being created: when its product's rate follows an index rate source
 * (`interestSettings.indexRateSettings.interestRateSource` INDEX_INTEREST_RATE with an `indexSourceKey`), the
 * loan's rate is the source's rate in force at `at` plus the spread — the loan's `interestSpread`, else the
 * product's default (`indexRateSettings.interestRate.defaultValue`: for an indexed product, Mambu's interest rate
 * constraints are those of the spread) — kept within `interestRateFloorValue`/`interestRateCeilingValue` and, unless
 * `allowNegativeInterestRate`, not below zero. Undefined for a product with a fixed rate.
 * @throws INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES when the loan gives its own interestRate,
 *   INVALID_INTEREST_SPREAD for a missing spread or one outside the product's min/max, NO_INDEX_RATE_AVAILABLE when
 *   the source has no rate in force (or is unknown).
 */
export function indexedLoanRate(ctx: SandboxContext, product: WireRecord, loanInterest: Record<string, unknown>, at: string): IndexedLoanRate | undefined {
  const is = product.interestSettings;
  const rs = is && typeof is === "object" ? (is as Record<string, unknown>).indexRateSettings : undefined;
  if (!rs || typeof rs !== "object") return undefined;
  const settings = rs as Record<string, unknown>;
  if (settings.interestRateSource !== "INDEX_INTEREST_RATE" || typeof settings.indexSourceKey !== "string") return undefined;
  if (loanInterest.interestRate !== undefined && loanInterest.interestRate !== null) {
    throw mambuError("INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES", "the loan's rate follows an index rate source: give interestSpread, not interestRate");
  }
  const bounds = (settings.interestRate ?? {}) as Record<string, unknown>;
  const given = loanInterest.interestSpread;
  const spread = given !== undefined && given !== null ? decOf(given) : decOf(bounds.defaultValue);
  if (!spread) throw mambuError("INVALID_INTEREST_SPREAD", "interestSettings.interestSpread is required (the product has no default spread)");
  const min = decOf(bounds.minValue);
  const max = decOf(bounds.maxValue);
  if ((min && spread.lessThan(min)) || (max && spread.greaterThan(max))) {
    throw mambuError("INVALID_INTEREST_SPREAD", `interestSpread ${spread.toString()} must be between ${min?.toString() ?? "-"} and ${max?.toString() ?? "-"}`);
  }
  const index = indexRateInForce(ctx, settings.indexSourceKey, at);
  if (!index) throw mambuError("NO_INDEX_RATE_AVAILABLE", `index rate source ${settings.indexSourceKey} has no rate in force on ${at}`);
  const rate = indexedRate(settings, index.rate, spread);
  return { interestRateSource: "INDEX_INTEREST_RATE", interestRate: rate.toNumber(), interestSpread: spread.toNumber() };
}

/**
 * An indexed rate: the index's rate plus the spread, within the product's `indexRateSettings`
 * (`interestRateFloorValue`/`interestRateCeilingValue`) and, unless `allowNegativeInterestRate`, not below zero.
 */
export function indexedRate(settings: Record<string, unknown>, index: Decimal, spread: Decimal): Decimal {
  let rate = index.plus(spread);
  const floor = decOf(settings.interestRateFloorValue);
  const ceiling = decOf(settings.interestRateCeilingValue);
  if (floor && rate.lessThan(floor)) rate = floor;
  if (ceiling && rate.greaterThan(ceiling)) rate = ceiling;
  if (settings.allowNegativeInterestRate !== true && rate.isNegative()) rate = new Decimal(0);
  return rate;
}

/** A loan product's index settings when its rate follows an index rate source (else undefined). */
export function indexSettingsOf(product: WireRecord | undefined): (Record<string, unknown> & { indexSourceKey: string }) | undefined {
  const is = product?.interestSettings;
  const rs = is && typeof is === "object" ? (is as Record<string, unknown>).indexRateSettings : undefined;
  if (!rs || typeof rs !== "object") return undefined;
  const settings = rs as Record<string, unknown>;
  if (settings.interestRateSource !== "INDEX_INTEREST_RATE" || typeof settings.indexSourceKey !== "string") return undefined;
  return settings as Record<string, unknown> & { indexSourceKey: string };
}

