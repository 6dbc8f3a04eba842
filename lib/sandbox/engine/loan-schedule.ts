/**
 * A loan's planned schedule: computed from its product and terms, kept in `store.extra.schedules[loanKey]`
 * (plain JSON, so that `--persist` keeps it) once the loan is disbursed or its schedule edited. Before
 * that the schedule is a preview computed on demand from the loan's current terms.
 *
 * The stored plan holds expected amounts only; paid amounts, states and applied fees are derived from
 * the loan's transactions by the ledger (./loan-ledger.ts).
 */
import { createHash } from "node:crypto";
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { localDate } from "./dates";
import { mambuError } from "../errors";
import { D, Dec, ZERO, currencyDecimals, dec, num } from "./money";
import { LoanProductSettings, feeAmount, findFee, loanProductSettings, path } from "./products";
import { PlannedInstallment, ScheduleTerms, computeSchedule, validateTerms } from "./schedule";
import { reschedulingOf } from "./working-days";

/** One planned installment as stored (amounts as JSON numbers in the currency's decimals). */
export interface StoredInstallment {
  encodedKey: string;
  number: string;
  /** Tenant date `YYYY-MM-DD`. */
  dueDate: string;
  principal: number;
  interest: number;
  fee: number;
  penalty: number;
}

/** A stored plan. `custom` when it came from a schedule edit (PUT /loans/{id}/schedule). */
export interface StoredSchedule {
  currency: string;
  custom: boolean;
  installments: StoredInstallment[];
}

function table(ctx: EngineContext): Record<string, StoredSchedule> {
  const extra = ctx.store.extra as { schedules?: Record<string, StoredSchedule> };
  if (!extra.schedules || typeof extra.schedules !== "object") extra.schedules = {};
  return extra.schedules;
}

/** The stored plan of a loan, if any. */
export function storedSchedule(ctx: EngineContext, loanKey: string): StoredSchedule | undefined {
  return table(ctx)[loanKey];
}

/** Stores a loan's plan. */
export function saveSchedule(ctx: EngineContext, loanKey: string, s: StoredSchedule): void {
  table(ctx)[loanKey] = s;
}

/** Forgets a loan's plan (back to previews). */
export function dropSchedule(ctx: EngineContext, loanKey: string): void {
  delete table(ctx)[loanKey];
}

/** A stable 32-hex key derived from parts (installment keys of previews stay the same between reads). */
export function derivedKey(...parts: string[]): string {
  return createHash("md5").update(parts.join(":")).digest("hex");
}

/** Converts computed installments into the stored form. */
export function toStored(plan: PlannedInstallment[], currency: string, custom: boolean, keyOf: (n: number) => string): StoredSchedule {
  const dp = currencyDecimals(currency);
  return {
    currency,
    custom,
    installments: plan.map((p) => ({
      encodedKey: keyOf(p.number),
      number: String(p.number),
      dueDate: p.dueDate,
      principal: num(p.principal, dp),
      interest: num(p.interest, dp),
      fee: num(p.fee, dp),
      penalty: num(p.penalty, dp),
    })),
  };
}

/** The loan product of a loan (or of a body's `productTypeKey`), by encodedKey or id. */
export function loanProductOf(ctx: EngineContext, productTypeKey: unknown): WireRecord {
  const p = typeof productTypeKey === "string" ? ctx.store.find("loanproducts", productTypeKey) : undefined;
  if (!p) throw mambuError("INVALID_PRODUCT_KEY", `productTypeKey ${String(productTypeKey)} is not a loan product`);
  return p;
}

/** A fee to charge at disbursement. */
export interface DisbursementFee {
  predefinedFeeKey: string;
  name?: string;
  trigger: string;
  amount: Dec;
}

/**
 * The fees charged at disbursement: the product's REQUIRED active fees with a disbursement trigger, plus the
 * optional ones the account or the request lists (`{predefinedFeeKey|predefinedFeeEncodedKey, amount?}`).
 */
export function disbursementFees(settings: LoanProductSettings, loanAmount: Dec, requested: unknown[]): DisbursementFee[] {
  const triggers = new Set(["DISBURSEMENT", "UPFRONT_DISBURSEMENT", "CAPITALIZED_DISBURSEMENT"]);
  const out = new Map<string, DisbursementFee>();
  for (const f of settings.fees) {
    if (f.required && f.active && triggers.has(f.trigger)) {
      const amount = feeAmount(f, loanAmount);
      const key = f.encodedKey ?? f.id ?? "";
      if (amount !== undefined) out.set(key, { predefinedFeeKey: key, name: f.name, trigger: f.trigger, amount });
    }
  }
  for (const r of requested) {
    const req = (r ?? {}) as Record<string, unknown>;
    const keyOrId = (req.predefinedFeeKey ?? req.predefinedFeeEncodedKey) as string | undefined;
    if (!keyOrId) throw mambuError("INVALID_FEE", "predefinedFeeKey is required for disbursement fees");
    const f = findFee(settings.fees, keyOrId);
    if (!f || !triggers.has(f.trigger)) throw mambuError("INVALID_FEE", `fee ${keyOrId} is not a disbursement fee of the product`);
    const amount = req.amount !== undefined && req.amount !== null ? dec(req.amount) : feeAmount(f, loanAmount);
    if (amount === undefined || amount.isNegative()) throw mambuError("INVALID_FEE", `fee ${keyOrId} needs a non-negative amount`);
    const key = f.encodedKey ?? f.id ?? keyOrId;
    out.set(key, { predefinedFeeKey: key, name: f.name, trigger: f.trigger, amount });
  }
  return [...out.values()];
}

/** Builds the calculator's terms from a loan record (account settings over product defaults). */
export function loanScheduleTerms(
  loan: WireRecord,
  settings: LoanProductSettings,
  startDate: string,
  firstDueDate: string | undefined,
  firstInstallmentFees: Dec = ZERO,
): ScheduleTerms {
  const is = (loan.interestSettings ?? {}) as Record<string, unknown>;
  const ss = (loan.scheduleSettings ?? {}) as Record<string, unknown>;
  const rate = is.interestRate ?? settings.interestRate?.default;
  if (rate === undefined || rate === null) throw mambuError("INVALID_INTEREST_RATE", "interestSettings.interestRate is required");
  const installments = (ss.repaymentInstallments as number | undefined) ?? settings.installments?.default;
  if (installments === undefined) throw mambuError("INVALID_INSTALLMENTS", "scheduleSettings.repaymentInstallments is required");
  const method = is.interestCalculationMethod;
  return {
    loanAmount: dec(loan.loanAmount),
    decimals: currencyDecimals(String(path(loan, "currency", "code") ?? settings.currency)),
    interestMethod:
      method === "FLAT" || method === "DECLINING_BALANCE" || method === "DECLINING_BALANCE_DISCOUNTED" ? method : settings.interestMethod,
    interestRate: dec(rate),
    interestChargeFrequency: (is.interestChargeFrequency as string | undefined) ?? settings.interestChargeFrequency,
    interestChargeFrequencyCount: settings.interestChargeFrequencyCount,
    daysInYear: settings.daysInYear,
    daysCountMethod: settings.daysCountMethod,
    installments,
    periodUnit: (ss.repaymentPeriodUnit as ScheduleTerms["periodUnit"] | undefined) ?? settings.periodUnit,
    periodCount: (ss.repaymentPeriodCount as number | undefined) ?? settings.periodCount,
    gracePeriod: (ss.gracePeriod as number | undefined) ?? settings.gracePeriod,
    gracePeriodType: (ss.gracePeriodType as ScheduleTerms["gracePeriodType"] | undefined) ?? settings.gracePeriodType,
    startDate,
    firstDueDate,
    firstDueDateOffsetDays: settings.firstDueDateOffsetDays,
    firstInstallmentFees,
  };
}

/** Sum of the fees due with the first installment (trigger DISBURSEMENT / CAPITALIZED_DISBURSEMENT). */
export function firstInstallmentFeeTotal(fees: DisbursementFee[]): Dec {
  return fees.filter((f) => f.trigger !== "UPFRONT_DISBURSEMENT").reduce((a, f) => a.plus(f.amount), new D(0));
}

/**
 * The plan of a loan: the stored one, or (not yet disbursed, no edit) a preview from the expected
 * disbursement date (default today) and first repayment date of the account. Disbursement fees are not
 * part of plans: the ledger adds them from the DISBURSEMENT transaction ({@link pendingDisbursementFees}
 * gives them for loans not yet disbursed).
 */
export function planOf(ctx: EngineContext, loan: WireRecord): StoredSchedule {
  const stored = storedSchedule(ctx, loan.encodedKey);
  if (stored) return stored;
  const { terms, currency } = previewTerms(ctx, loan);
  return toStored(computeSchedule(terms), currency, false, (n) => derivedKey(loan.encodedKey, "preview", String(n)));
}

/**
 * Refuses what {@link planOf} refuses, without computing a preview (a disbursement computes its own plan from
 * its value date: the preview from the expected date would be thrown away).
 */
export function checkPlanOf(ctx: EngineContext, loan: WireRecord): void {
  if (storedSchedule(ctx, loan.encodedKey)) return;
  validateTerms(previewTerms(ctx, loan).terms);
}

/** The terms of a loan's preview schedule and its currency (see {@link planOf}). */
function previewTerms(ctx: EngineContext, loan: WireRecord): { terms: ScheduleTerms; currency: string } {
  const product = loanProductOf(ctx, loan.productTypeKey);
  const settings = loanProductSettings(product);
  const dd = (loan.disbursementDetails ?? {}) as Record<string, unknown>;
  const off = ctx.clock.offset;
  const start = typeof dd.expectedDisbursementDate === "string" ? localDate(dd.expectedDisbursementDate, off) : ctx.clock.today();
  let first = typeof dd.firstRepaymentDate === "string" ? localDate(dd.firstRepaymentDate, off) : undefined;
  if (first !== undefined && first <= start) first = undefined; // stale: the preview falls back to one period
  const terms = { ...loanScheduleTerms(loan, settings, start, first), rescheduling: reschedulingOf(ctx, product) };
  return { terms, currency: String(path(loan, "currency", "code") ?? settings.currency) };
}

/** Fees a not-yet-disbursed loan will owe with its first installment (required + listed disbursement fees). */
export function pendingDisbursementFees(ctx: EngineContext, loan: WireRecord): Dec {
  const settings = loanProductSettings(loanProductOf(ctx, loan.productTypeKey));
  const dd = (loan.disbursementDetails ?? {}) as Record<string, unknown>;
  return firstInstallmentFeeTotal(disbursementFees(settings, dec(loan.loanAmount), Array.isArray(dd.fees) ? dd.fees : []));
}
