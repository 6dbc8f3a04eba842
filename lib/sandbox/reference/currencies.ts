/**
 * Currencies and their accounting rates: `GET` and `POST /currencies/{currencyCode}/accountingRates`.
 *
 * A currency is a record of the `currencies` collection (id = its code, e.g. `USD`) holding its accounting rates
 * (Swagger `AccountingRate`: how much of the organization's base currency one unit of the currency is worth, from
 * `startDate`). Mambu's rules: no accounting rate for the base currency itself
 * (CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY); the rate is positive (RATE_SHOULD_BE_POSITIVE);
 * the start date (now when absent) is not in the future (FUTURE_START_DATE_NOT_ALLOWED) and after the start of the
 * currency's latest rate (START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE), which then ends where the new one
 * starts (`endDate`). The base currency is the organization's (`store.extra.organization.currency`), else MXN.
 */
import { validateBody, validateQuery } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import { pageResponse, parsePaging } from "../list";
import type { Router, SandboxContext } from "../router";
import { ownValue } from "../safe-keys";
import type { WireRecord } from "../types";
import { instantOf, nowInstant, tenantDateTime, tenantIso } from "./rate-dates";

/** The base currency when the organization does not name one (the demo tenant's). */
export const DEFAULT_BASE_CURRENCY = "MXN";

/** At most this many accounting rates per currency (the sandbox's bound on what a client can make it keep). */
export const MAX_ACCOUNTING_RATES = 10_000;

const CODE_RE = /^[A-Z]{3}$/;

/** One stored accounting rate (Swagger `AccountingRate`). */
export interface StoredAccountingRate {
  encodedKey: string;
  fromCurrencyCode: string;
  toCurrencyCode: string;
  rate: number;
  startDate: string;
  endDate?: string;
}

/** The organization's base currency: `store.extra.organization.currency` (a code, or `{ code }`), else MXN. */
export function baseCurrency(ctx: SandboxContext): string {
  const org = ownValue(ctx.store.extra, "organization");
  const cur = ownValue(org, "currency");
  if (typeof cur === "string" && CODE_RE.test(cur)) return cur;
  const code = ownValue(cur, "code");
  if (typeof code === "string" && CODE_RE.test(code)) return code;
  return DEFAULT_BASE_CURRENCY;
}

/** The accounting rates of a currency record, oldest first. */
export function accountingRatesOf(rec: WireRecord): StoredAccountingRate[] {
  return Array.isArray(rec.accountingRates) ? (rec.accountingRates as StoredAccountingRate[]) : [];
}

/**
 * The accounting rate of a currency in force at an instant (ISO date-time), or undefined (none yet, or the base
 * currency): for the ledger's conversions.
 */
export function accountingRateAt(ctx: SandboxContext, currencyCode: string, at: string): StoredAccountingRate | undefined {
  const rec = ctx.store.find("currencies", currencyCode);
  if (!rec) return undefined;
  const t = instantOf(at);
  let found: StoredAccountingRate | undefined;
  for (const r of accountingRatesOf(rec)) if (instantOf(r.startDate) <= t) found = r;
  return found;
}

/** The currency of a path's `currencyCode`: 400 for a malformed code, 404 CURRENCY_DOES_NOT_EXIST for an unknown one. */
function currencyOf(ctx: SandboxContext, code: string): WireRecord | undefined {
  if (!CODE_RE.test(code)) throw mambuError("INVALID_CURRENCY_CODE", `currencyCode: expected an ISO 4217 code (3 capital letters), got ${JSON.stringify(code.slice(0, 40))}`);
  const rec = ctx.store.find("currencies", code);
  if (!rec && code !== baseCurrency(ctx)) throw mambuError("CURRENCY_DOES_NOT_EXIST", `currency ${code} is not defined in the organization`);
  return rec;
}

/** The wire form of a stored rate. */
function wire(r: StoredAccountingRate): Record<string, unknown> {
  const out: Record<string, unknown> = {
    encodedKey: r.encodedKey,
    fromCurrencyCode: r.fromCurrencyCode,
    toCurrencyCode: r.toCurrencyCode,
    rate: r.rate,
    startDate: r.startDate,
  };
  if (r.endDate !== undefined) out.endDate = r.endDate;
  return out;
}

/** Registers the currency routes. */
export function registerCurrencyRoutes(router: Router): void {
  router.add("GET", "/currencies/{currencyCode}/accountingRates", (ctx, req) => {
    validateQuery("currencies", "GET", "/currencies/{currencyCode}/accountingRates", req.query);
    const paging = parsePaging(req.query);
    const rec = currencyOf(ctx, req.params.currencyCode);
    const from = req.query.from !== undefined ? tenantDateTime(ctx, req.query.from, "from").toMillis() : -Infinity;
    const to = req.query.to !== undefined ? tenantDateTime(ctx, req.query.to, "to").toMillis() : Infinity;
    if (from > to) throw invalidParameters("from: must not be after to");
    const rates = rec ? accountingRatesOf(rec).filter((r) => instantOf(r.startDate) >= from && instantOf(r.startDate) <= to) : [];
    return pageResponse(rates, paging, wire);
  });

  router.add("POST", "/currencies/{currencyCode}/accountingRates", (ctx, req) => {
    const code = req.params.currencyCode;
    const rec = currencyOf(ctx, code);
    const base = baseCurrency(ctx);
    if (code === base || !rec) {
      throw mambuError("CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY", `${code} is the organization's base currency`);
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object");
    validateBody("currencies", "PostAccountingRateDTO", body, ctx.clock.offset);
    const rate = body.rate;
    if (typeof rate !== "number" || !Number.isFinite(rate)) throw invalidParameters("rate: expected a number");
    if (!(rate > 0)) throw mambuError("RATE_SHOULD_BE_POSITIVE", `rate must be positive, got ${rate}`);
    const now = nowInstant(ctx);
    const start = body.startDate === undefined || body.startDate === null ? now : tenantDateTime(ctx, body.startDate, "startDate");
    if (start.toMillis() > now.toMillis()) {
      throw mambuError("FUTURE_START_DATE_NOT_ALLOWED", `startDate ${String(body.startDate)} is after now (${ctx.clock.nowIso()})`);
    }
    const rates = accountingRatesOf(rec);
    const last = rates[rates.length - 1];
    if (last && start.toMillis() <= instantOf(last.startDate)) {
      throw mambuError("START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE", `startDate must be after ${last.startDate}, the start of the last accounting rate of ${code}`);
    }
    if (rates.length >= MAX_ACCOUNTING_RATES) throw invalidParameters(`${code} has ${MAX_ACCOUNTING_RATES} accounting rates already (the sandbox's limit)`);
    const startIso = tenantIso(ctx, start);
    const created: StoredAccountingRate = {
      encodedKey: ctx.store.newEncodedKey(),
      fromCurrencyCode: base,
      toCurrencyCode: code,
      rate,
      startDate: startIso,
    };
    const updated: WireRecord = {
      ...rec,
      accountingRates: [...rates.slice(0, -1), ...(last ? [{ ...last, endDate: startIso }] : []), created],
      lastModifiedDate: ctx.clock.nowIso(),
    };
    ctx.store.replace("currencies", updated);
    return { status: 201, body: wire(created) };
  });
}
