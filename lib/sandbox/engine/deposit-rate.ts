/**
 * Changing a deposit account's interest rate from a value date (`POST /deposits/{id}:changeInterestRate`,
 * `ChangeInterestRateAction`): interest for the days before `valueDate` stays at the rate then in force, the new
 * rate counts from `valueDate` on (./deposit-interest.ts asks {@link rateOn} for each day).
 *
 * - Only an account in a state where money moves (ACTIVE, ACTIVE_IN_ARREARS, DORMANT, MATURED; else 400
 *   INVALID_DEPOSIT_ACCOUNT_STATE) with a FIXED rate (`interestRateTerms` FIXED, no index source; else 400
 *   INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_DEPOSIT_PRODUCT_SETTINGS).
 * - The rate must be ≥ 0 and within the product's `interestRateSettings.interestRate` min/max (400
 *   INVALID_INTEREST_RATE).
 * - `valueDate`: not after today (400 BACKDATE_SET_IN_THE_FUTURE), not before the activation (400
 *   BACKDATE_BEFORE_ACTIVATION), not before interest already applied (400
 *   INTEREST_RATE_CHANGED_NOT_ALLOWED_INTEREST_APPLIANCE_TRANSACTIONS_AFTER_VALUE_DATE).
 * - Posts an `INTEREST_RATE_CHANGED` transaction (amount 0, `terms.interestSettings.interestRate` = the new rate);
 *   the account's `interestSettings.interestRateSettings.interestRate` is the rate in force today.
 * The rate history lives in the store's `extra.depositRateHistory` (by account encodedKey): the rate before the
 * first change and the changes by date.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { localDate, parseDateInput, startOfDay } from "./dates";
import { DEBIT_STATES, depositSettings, postMovement, requireDeposit } from "./deposit-common";
import { dec } from "./money";
import { path } from "./products";

/** One account's rate history: the rate before the first change, and the changes (from a date on) by date. */
export interface RateHistory {
  base: number | null;
  changes: Array<{ from: string; rate: number }>;
}

function histories(ctx: EngineContext): Record<string, RateHistory> {
  const extra = ctx.store.extra as { depositRateHistory?: Record<string, RateHistory> };
  if (!extra.depositRateHistory) extra.depositRateHistory = Object.create(null) as Record<string, RateHistory>;
  return extra.depositRateHistory;
}

function historyOf(ctx: EngineContext, dep: WireRecord): RateHistory | undefined {
  const all = histories(ctx);
  return Object.prototype.hasOwnProperty.call(all, dep.encodedKey) ? all[dep.encodedKey] : undefined;
}

/** The account's current rate (its own, else the product's default), or undefined. */
function currentRate(ctx: EngineContext, dep: WireRecord): number | undefined {
  const own = path(dep, "interestSettings", "interestRateSettings", "interestRate");
  if (typeof own === "number") return own;
  return depositSettings(ctx, dep).interestRate?.toNumber();
}

/**
 * The rate in force on a tenant date (`YYYY-MM-DD`) after rate changes, or undefined when the account has no
 * change history (then its current rate applies).
 */
export function rateOn(ctx: EngineContext, dep: WireRecord, day: string): number | undefined {
  const h = historyOf(ctx, dep);
  if (!h) return undefined;
  let rate = h.base;
  for (const c of h.changes) if (c.from <= day) rate = c.rate;
  return rate ?? undefined;
}

/** The dates (`YYYY-MM-DD`, ascending) from which the account's rate changed. */
export function rateChangeDays(ctx: EngineContext, dep: WireRecord): string[] {
  return (historyOf(ctx, dep)?.changes ?? []).map((c) => c.from);
}

/** Changes the interest rate of a deposit account from `valueDate`. */
export function changeInterestRate(ctx: EngineContext, depId: string, body: Record<string, unknown> | undefined): void {
  const dep = requireDeposit(ctx, depId);
  if (!DEBIT_STATES.has(String(dep.accountState))) {
    throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  }
  const rs = (path(dep, "interestSettings", "interestRateSettings") ?? {}) as Record<string, unknown>;
  const terms = rs.interestRateTerms ?? "FIXED";
  const source = rs.interestRateSource ?? "FIXED_INTEREST_RATE";
  const old = currentRate(ctx, dep);
  if (terms !== "FIXED" || source !== "FIXED_INTEREST_RATE" || old === undefined) {
    throw mambuError("INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_DEPOSIT_PRODUCT_SETTINGS", `the account's interest rate is not a fixed rate (${String(terms)})`);
  }
  const rate = body?.interestRate;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0) throw mambuError("INVALID_INTEREST_RATE", `invalid interestRate ${JSON.stringify(rate)}`);
  const product = typeof dep.productTypeKey === "string" ? ctx.store.find("depositproducts", dep.productTypeKey) : undefined;
  const limits = (path(product, "interestSettings", "interestRateSettings", "interestRate") ?? {}) as Record<string, unknown>;
  if ((typeof limits.minValue === "number" && rate < limits.minValue) || (typeof limits.maxValue === "number" && rate > limits.maxValue)) {
    throw mambuError("INVALID_INTEREST_RATE", `interestRate ${rate} is outside the product's range ${String(limits.minValue ?? "")}–${String(limits.maxValue ?? "")}`);
  }
  const off = ctx.clock.offset;
  const day = parseDateInput(body?.valueDate, "valueDate");
  if (!day) throw invalidParameters("valueDate is required");
  if (day > ctx.clock.today()) throw mambuError("BACKDATE_SET_IN_THE_FUTURE", `valueDate ${day} is in the future`);
  if (typeof dep.activationDate === "string" && day < localDate(dep.activationDate, off)) {
    throw mambuError("BACKDATE_BEFORE_ACTIVATION", `valueDate ${day} is before the activation date ${dep.activationDate}`);
  }
  const applied = ctx.store
    .all("depositTransactions")
    .find((t) => t.parentAccountKey === dep.encodedKey && t.type === "INTEREST_APPLIED" && !t.adjustmentTransactionKey && localDate(String(t.valueDate), off) > day);
  if (applied) {
    throw mambuError("INTEREST_RATE_CHANGED_NOT_ALLOWED_INTEREST_APPLIANCE_TRANSACTIONS_AFTER_VALUE_DATE", `interest was applied on ${String(applied.valueDate)}, after ${day}`);
  }
  // history: the rate before the first change, then the changes by date (a change on the same day replaces it)
  const all = histories(ctx);
  const h: RateHistory = historyOf(ctx, dep) ?? { base: old, changes: [] };
  h.changes = [...h.changes.filter((c) => c.from !== day), { from: day, rate }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  all[dep.encodedKey] = h;
  const today = rateOn(ctx, dep, ctx.clock.today()) ?? rate;
  const { dep: posted } = postMovement(ctx, dep, {
    type: "INTEREST_RATE_CHANGED",
    amount: dec(0),
    valueDate: startOfDay(day, off),
    body: { notes: body?.notes },
    fields: { terms: { interestSettings: { interestRate: rate } } },
    anyState: true,
    noFundsCheck: true,
  });
  const is = (posted.interestSettings ?? {}) as Record<string, unknown>;
  ctx.store.replace("deposits", {
    ...posted,
    interestSettings: { ...is, interestRateSettings: { ...((is.interestRateSettings as object) ?? {}), interestRate: today } },
  });
}
