/**
 * The maturity period of fixed deposits and savings plans (`POST /deposits/{id}:startMaturity`,
 * `StartMaturityAction`; `POST /deposits/{id}:undoMaturity`).
 *
 * - Only FIXED_DEPOSIT and SAVINGS_PLAN accounts have one (else 400 INVALID_PARAMETERS), and only once ACTIVE,
 *   i.e. after a first deposit (else 400 INVALID_DEPOSIT_ACCOUNT_STATE).
 * - `maturityDate` (a date after today) is when the period ends — Mambu's UI asks for "the maturity date"; without
 *   it the product's default maturity period (`maturitySettings.maturityPeriod.defaultValue` in
 *   `maturityPeriodUnit`) counts from today; with neither, 400 INVALID_PARAMETERS. The account keeps it as
 *   `maturityDate` (midnight, tenant offset) and stays ACTIVE; a second start is 400
 *   MATURITY_PERIOD_ALREADY_STARTED.
 * - On and after the maturity date the account is MATURED ({@link matureDueDeposits}, run before each
 *   deposit-servicing request, stands in for Mambu's end-of-day job).
 * - A FIXED_DEPOSIT whose maturity period started takes no more deposits (400
 *   DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET, see deposit-transactions.ts).
 * - `undoMaturity` removes the maturity date and brings a MATURED account back to ACTIVE; without a maturity date it
 *   is 400 MATURITY_PERIOD_NOT_STARTED.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { addPeriods, localDate, parseDateInput, PeriodUnit, startOfDay } from "./dates";
import { requireDeposit } from "./deposit-common";
import { path } from "./products";

/** Account types that have a maturity period. */
export const MATURING_TYPES = new Set(["FIXED_DEPOSIT", "SAVINGS_PLAN"]);
const MATURING_STATES = new Set(["ACTIVE", "ACTIVE_IN_ARREARS", "DORMANT"]);

function update(ctx: EngineContext, dep: WireRecord, fields: Record<string, unknown>): WireRecord {
  const next: WireRecord = { ...dep, ...fields, lastModifiedDate: ctx.clock.nowIso() };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete next[k];
  return ctx.store.replace("deposits", next);
}

/** Turns an account whose maturity date has come into MATURED; returns the stored account. */
export function matureIfDue(ctx: EngineContext, dep: WireRecord): WireRecord {
  if (typeof dep.maturityDate !== "string" || !MATURING_STATES.has(String(dep.accountState))) return dep;
  const off = ctx.clock.offset;
  if (localDate(dep.maturityDate, off) > ctx.clock.today()) return dep;
  return update(ctx, dep, { accountState: "MATURED" });
}

/** Matures every account whose maturity date has come (the sandbox's stand-in for Mambu's end-of-day job). */
export function matureDueDeposits(ctx: EngineContext): void {
  for (const dep of ctx.store.all("deposits")) if (typeof dep.maturityDate === "string") matureIfDue(ctx, dep);
}

/** The maturity date from the product's default maturity period counted from `today`, or undefined. */
function productMaturityDate(ctx: EngineContext, dep: WireRecord, today: string): string | undefined {
  const p = typeof dep.productTypeKey === "string" ? ctx.store.find("depositproducts", dep.productTypeKey) : undefined;
  const count = path(p, "maturitySettings", "maturityPeriod", "defaultValue");
  const unit = path(p, "maturitySettings", "maturityPeriodUnit");
  if (typeof count !== "number" || !Number.isInteger(count) || count <= 0) return undefined;
  const u: PeriodUnit = unit === "DAYS" || unit === "WEEKS" ? unit : "MONTHS";
  return addPeriods(today, u, count);
}

/** `POST /deposits/{depositAccountId}:startMaturity`: returns the account with its maturityDate. */
export function startMaturity(ctx: EngineContext, depId: string, body: Record<string, unknown> | undefined): WireRecord {
  const dep = matureIfDue(ctx, requireDeposit(ctx, depId));
  if (!MATURING_TYPES.has(String(dep.accountType))) {
    throw invalidParameters(`a maturity period is for FIXED_DEPOSIT and SAVINGS_PLAN accounts; ${String(dep.id)} is ${String(dep.accountType)}`);
  }
  if (typeof dep.maturityDate === "string") {
    throw mambuError("MATURITY_PERIOD_ALREADY_STARTED", `deposit account ${String(dep.id)} matures on ${dep.maturityDate}`);
  }
  if (!MATURING_STATES.has(String(dep.accountState))) {
    throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  }
  const today = ctx.clock.today();
  const date = parseDateInput(body?.maturityDate, "maturityDate") ?? productMaturityDate(ctx, dep, today);
  if (!date) throw invalidParameters("maturityDate is required: the product has no default maturity period");
  if (date <= today) throw invalidParameters(`maturityDate ${date} must be after today (${today})`);
  return update(ctx, dep, { maturityDate: startOfDay(date, ctx.clock.offset) });
}

/** `POST /deposits/{depositAccountId}:undoMaturity`: removes the maturity date (MATURED → ACTIVE). */
export function undoMaturity(ctx: EngineContext, depId: string): void {
  const dep = matureIfDue(ctx, requireDeposit(ctx, depId));
  if (typeof dep.maturityDate !== "string") {
    throw mambuError("MATURITY_PERIOD_NOT_STARTED", `deposit account ${String(dep.id)} has no maturity date`);
  }
  if (!MATURING_STATES.has(String(dep.accountState)) && dep.accountState !== "MATURED") {
    throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  }
  update(ctx, dep, { maturityDate: undefined, ...(dep.accountState === "MATURED" ? { accountState: "ACTIVE" } : {}) });
}
