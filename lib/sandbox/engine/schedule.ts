/**
 * The repayment schedule calculator (pure: terms in, installments out), decimal.js throughout.
 *
 * Interest methods (Mambu's names):
 * - `FLAT`: interest on the original principal every period; total interest rounded once and spread evenly,
 *   the rounding remainder on the last installment.
 * - `DECLINING_BALANCE`: equal principal per installment, interest on the outstanding principal.
 * - `DECLINING_BALANCE_DISCOUNTED` ("declining balance, equal installments"): annuity — a constant
 *   principal + interest payment `P·r / (1 − (1 + r)^−n)`, interest on the outstanding principal.
 *
 * Principal of each installment is rounded to the currency's decimals and the last installment takes the
 * remainder, so principal sums EXACTLY to the loan amount. Grace installments (`PAY_INTEREST_ONLY`: interest
 * only; `INTEREST_FORGIVENESS`: nothing due) come first and count in the number of installments.
 * The period rate follows `interestChargeFrequency` (rate per year, month, 4 weeks, week, day, X days) and the
 * repayment period; with `ACTUAL_DAYS_COUNT` each installment's interest uses its actual days / daysInYear.
 */
import { PeriodUnit, addDays, addPeriods, daysBetween } from "./dates";
import { mambuError } from "../errors";
import { D, Dec, ZERO, round, sum } from "./money";
import { InterestMethod } from "./products";

/** Everything the calculator needs. Dates are tenant-zone `YYYY-MM-DD`. */
export interface ScheduleTerms {
  loanAmount: Dec;
  /** Decimals of the currency (2 for most). */
  decimals: number;
  interestMethod: InterestMethod;
  /** Interest rate in percent, per `interestChargeFrequency`. */
  interestRate: Dec;
  interestChargeFrequency: string;
  interestChargeFrequencyCount?: number;
  daysInYear: number;
  daysCountMethod: "REPAYMENT_PERIODICITY" | "ACTUAL_DAYS_COUNT";
  installments: number;
  periodUnit: PeriodUnit;
  periodCount: number;
  gracePeriod: number;
  gracePeriodType: "NONE" | "PAY_INTEREST_ONLY" | "INTEREST_FORGIVENESS";
  /** Disbursement (or expected disbursement) date. */
  startDate: string;
  /** First due date; default start + one period (+ `firstDueDateOffsetDays`). */
  firstDueDate?: string;
  firstDueDateOffsetDays?: number;
  /** Fees due with the first installment (e.g. product fees with trigger DISBURSEMENT). */
  firstInstallmentFees?: Dec;
  /** Due dates on non-working days move (the product's `repaymentReschedulingMethod`; see working-days.ts). */
  rescheduling?: { method: "NEXT_WORKING_DAY" | "PREVIOUS_WORKING_DAY" | "EXTEND_SCHEDULE"; isWorkingDay: (date: string) => boolean };
}

/** Most days a due date moves looking for a working day (past it, it stays: a tenant of holidays only). */
const MAX_SHIFT_DAYS = 366;

/** The nearest working day from `date` going `step` days at a time (the date itself when it is one). */
function workingDayFrom(date: string, step: 1 | -1, isWorkingDay: (d: string) => boolean): string {
  let d = date;
  for (let i = 0; i <= MAX_SHIFT_DAYS; i++, d = addDays(d, step)) if (isWorkingDay(d)) return d;
  return date;
}

/** One computed installment (amounts are the expected ones). */
export interface PlannedInstallment {
  number: number;
  dueDate: string;
  principal: Dec;
  interest: Dec;
  fee: Dec;
  penalty: Dec;
}

/** The yearly rate as a fraction (e.g. 12 % per month → 1.44). */
export function annualRate(t: Pick<ScheduleTerms, "interestRate" | "interestChargeFrequency" | "interestChargeFrequencyCount" | "daysInYear">): Dec {
  const r = t.interestRate.dividedBy(100);
  switch (t.interestChargeFrequency) {
    case "EVERY_MONTH":
      return r.times(12);
    case "EVERY_FOUR_WEEKS":
      return r.times(t.daysInYear).dividedBy(28);
    case "EVERY_WEEK":
      return r.times(t.daysInYear).dividedBy(7);
    case "EVERY_DAY":
      return r.times(t.daysInYear);
    case "EVERY_X_DAYS":
      return r.times(t.daysInYear).dividedBy(Math.max(1, t.interestChargeFrequencyCount ?? 1));
    default:
      return r;
  }
}

/** The rate of one repayment period as a fraction (exact when rate and period share a unit). */
export function periodRate(t: ScheduleTerms): Dec {
  const r = t.interestRate.dividedBy(100);
  const f = t.interestChargeFrequency;
  const n = t.periodCount;
  switch (t.periodUnit) {
    case "MONTHS":
      return f === "EVERY_MONTH" ? r.times(n) : annualRate(t).times(n).dividedBy(12);
    case "YEARS":
      return f === "EVERY_MONTH" ? r.times(12 * n) : annualRate(t).times(n);
    case "WEEKS":
      if (f === "EVERY_WEEK") return r.times(n);
      if (f === "EVERY_FOUR_WEEKS") return r.times(n).dividedBy(4);
      return annualRate(t).times(7 * n).dividedBy(t.daysInYear);
    default:
      return f === "EVERY_DAY" ? r.times(n) : annualRate(t).times(n).dividedBy(t.daysInYear);
  }
}

/**
 * The due dates of a schedule: from the first due date when given (`first + i` periods), otherwise from the
 * start (`start + (i + 1)` periods, plus the product's first-due-date offset), so that month ends are kept
 * (disbursed 31 Jan → 28 Feb, 31 Mar, 30 Apr). With `rescheduling`, a due date on a non-working day moves to the
 * next (previous) working day; with EXTEND_SCHEDULE the later ones follow the moved one.
 */
export function dueDates(t: ScheduleTerms): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.installments; i++) {
    out.push(
      t.firstDueDate !== undefined
        ? addPeriods(t.firstDueDate, t.periodUnit, t.periodCount, i)
        : addDays(addPeriods(t.startDate, t.periodUnit, t.periodCount, i + 1), t.firstDueDateOffsetDays ?? 0),
    );
  }
  const r = t.rescheduling;
  if (!r) return out;
  if (r.method !== "EXTEND_SCHEDULE") return out.map((d) => workingDayFrom(d, r.method === "NEXT_WORKING_DAY" ? 1 : -1, r.isWorkingDay));
  // EXTEND_SCHEDULE: a moved installment moves the ones after it (each one period after the previous one)
  const moved: string[] = [];
  for (let i = 0; i < out.length; i++) {
    const nominal = i === 0 ? out[0] : addPeriods(moved[i - 1], t.periodUnit, t.periodCount, 1);
    moved.push(workingDayFrom(i > 0 && moved[i - 1] === out[i - 1] ? out[i] : nominal, 1, r.isWorkingDay));
  }
  return moved;
}

/** Refuses terms no schedule can be computed from (what {@link computeSchedule} refuses, and all it refuses). */
export function validateTerms(t: ScheduleTerms): void {
  if (!t.loanAmount.greaterThan(0)) throw mambuError("INVALID_AMOUNT", "loanAmount must be positive");
  if (t.interestRate.isNegative()) throw mambuError("INVALID_INTEREST_RATE", "interest rate must not be negative");
  if (!Number.isInteger(t.installments) || t.installments < 1) throw mambuError("INVALID_INSTALLMENTS", "repaymentInstallments must be at least 1");
  if (!Number.isInteger(t.periodCount) || t.periodCount < 1) throw mambuError("INVALID_PARAMETERS", "repaymentPeriodCount must be at least 1");
  const grace = t.gracePeriodType === "NONE" ? 0 : t.gracePeriod;
  if (grace < 0 || grace >= t.installments) throw mambuError("INVALID_INSTALLMENTS", "gracePeriod must be less than repaymentInstallments");
  if (t.firstDueDate !== undefined && daysBetween(t.startDate, t.firstDueDate) <= 0) {
    throw mambuError("INVALID_FIRST_REPAYMENT_DUE_DATE", `first repayment date ${t.firstDueDate} must be after ${t.startDate}`);
  }
}

/** Computes the installments of a schedule (see the module comment). */
export function computeSchedule(t: ScheduleTerms): PlannedInstallment[] {
  validateTerms(t);
  const dp = t.decimals;
  const dates = dueDates(t);
  const n = t.installments;
  const grace = t.gracePeriodType === "NONE" ? 0 : t.gracePeriod;
  const m = n - grace;
  const P = t.loanAmount;
  const pr = periodRate(t);
  const rates = dates.map((due, i) => {
    if (t.daysCountMethod !== "ACTUAL_DAYS_COUNT") return pr;
    const from = i === 0 ? t.startDate : dates[i - 1];
    return annualRate(t).times(daysBetween(from, due)).dividedBy(t.daysInYear);
  });
  const principal: Dec[] = new Array(n).fill(ZERO);
  const interest: Dec[] = new Array(n).fill(ZERO);

  // principal of the amortizing installments
  const evenPrincipal = round(P.dividedBy(m), dp);
  const forgiven = (i: number) => i < grace && t.gracePeriodType === "INTEREST_FORGIVENESS";

  if (t.interestMethod === "FLAT") {
    const bearing = rates.map((r, i) => (forgiven(i) ? ZERO : r));
    const total = round(P.times(sum(bearing)), dp);
    let allotted = ZERO;
    let lastBearing = -1;
    bearing.forEach((r, i) => {
      if (r.isZero()) return;
      interest[i] = round(P.times(r), dp);
      allotted = allotted.plus(interest[i]);
      lastBearing = i;
    });
    if (lastBearing >= 0) interest[lastBearing] = interest[lastBearing].plus(total.minus(allotted));
    let left = P;
    for (let i = grace; i < n; i++) {
      principal[i] = i === n - 1 ? left : evenPrincipal;
      left = left.minus(principal[i]);
    }
  } else {
    let balance = P;
    const annuity =
      t.interestMethod === "DECLINING_BALANCE_DISCOUNTED" && !pr.isZero()
        ? round(P.times(pr).dividedBy(new D(1).minus(new D(1).plus(pr).pow(-m))), dp)
        : undefined;
    for (let i = 0; i < n; i++) {
      interest[i] = forgiven(i) ? ZERO : round(balance.times(rates[i]), dp);
      if (i < grace) continue;
      let p: Dec;
      if (i === n - 1) p = balance;
      else if (annuity !== undefined) p = annuity.minus(interest[i]);
      else p = evenPrincipal;
      if (p.isNegative()) p = ZERO;
      if (p.greaterThan(balance)) p = balance;
      principal[i] = p;
      balance = balance.minus(p);
    }
  }

  return dates.map((dueDate, i) => ({
    number: i + 1,
    dueDate,
    principal: principal[i],
    interest: interest[i],
    fee: i === 0 && t.firstInstallmentFees ? round(t.firstInstallmentFees, dp) : ZERO,
    penalty: ZERO,
  }));
}
