/**
 * Changes of a running loan's settings (`POST /loans/{loanAccountId}:changeInterestRate`, `:changeRepaymentValue`,
 * `:changePeriodicPayment`, `:changeArrearsSettings`, `:changeDueDatesSettings`), all answered 204.
 *
 * Only ACTIVE / ACTIVE_IN_ARREARS loans can change (`INVALID_ACCOUNT_STATE` otherwise). The schedule changes go
 * from the change's value date (tenant offset, not in the future, not before the disbursement): installments due
 * on or before it, and installments already paid, stay as they are; the others (the "tail") are recomputed over the
 * principal they carry, so that the installments' principal still sums to the loan amount:
 * - interest rate: the tail's interest at the new rate — equal installments (DECLINING_BALANCE_DISCOUNTED) get a new
 *   annuity, the other methods keep each installment's principal (FLAT interest on the tail's principal);
 * - repayment value (`amount`, or `percentage` for the percentage principal payment methods of
 *   `principalPaymentSettings`): each tail installment pays that principal, the last one the rest; installments
 *   left with nothing to pay are dropped. Declining-balance (equal principal) loans only: equal-installments and
 *   flat-interest loans answer `REPAYMENT_VALUE_CHANGE_NOT_ALLOWED`;
 * - periodic payment (equal-installments loans only): each tail installment's principal + interest is the payment,
 *   the last one takes the rest (a balloon when the payment is low; fewer installments when it is high);
 * - due dates (`fixedDaysOfMonth`, one day of month, monthly loans): the tail falls due on that day of its months
 *   (the last day of shorter months), moved one period later when the first date would not be after both the value
 *   date and the previous due date; its interest is recomputed for the new periods.
 * Each posts a zero-amount transaction recording the change (INTEREST_RATE_CHANGED with `terms.interestSettings`,
 * TERMS_CHANGED with `terms.principalPaymentAmount|principalPaymentPercentage|periodicPayment`, DUE_DATE_CHANGED)
 * and updates the loan's settings. A backdated change that would recompute an installment carrying a penalty is
 * refused (`INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED`). The arrears settings change sets the loan's
 * `arrearsTolerancePeriod` (and `accountArrearsSettings.tolerancePeriod`) within the product's bounds; the loan
 * moves between ACTIVE and ACTIVE_IN_ARREARS at once.
 */
import { DateTime } from "luxon";
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { addPeriods, compareInstant, daysBetween, localDate, parseDateTimeInput, startOfDay } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { outstandingElements, totalOf } from "./allocation";
import { LoanFrame, RUNNING, commitTransaction, frameOf, newLoanTransaction, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { liveLoanTransactions, replayLoan } from "./loan-ledger";
import { StoredInstallment, StoredSchedule, loanScheduleTerms, saveSchedule } from "./loan-schedule";
import { checkNoExcess, settle } from "./loan-payments";
import { D, Dec, ZERO, dec, isAmount, num, round, sum } from "./money";
import { path } from "./products";
import { ScheduleTerms, annualRate, periodRate } from "./schedule";

type Body = Record<string, unknown> | undefined;

/** How the tail's principal is set. */
export type TailMode =
  | { kind: "keep" }
  | { kind: "annuity" }
  | { kind: "principal"; amount: Dec }
  | { kind: "percent"; pct: Dec; ofLoanAmount?: Dec }
  | { kind: "payment"; amount: Dec };

/** What {@link computeTail} needs. */
export interface TailInput {
  /** Due dates of the tail installments (`YYYY-MM-DD`, ascending). */
  dates: string[];
  /** Start of the first tail period (previous due date, or the disbursement date). */
  start: string;
  /** Principal of each tail installment before the change (used by `keep`). */
  principal: Dec[];
  /** Leading tail installments still in the grace period (principal 0; no interest with INTEREST_FORGIVENESS). */
  grace: number;
  gracePeriodType: ScheduleTerms["gracePeriodType"];
  /** Rate, method and periodicity (from the loan). */
  terms: ScheduleTerms;
  mode: TailMode;
  dp: number;
}

/**
 * Recomputes the tail of a schedule (see the module comment): principal and interest of each installment. The
 * principal sums exactly to the tail's principal before the change; trailing installments left with nothing due
 * are dropped (at least one stays).
 */
export function computeTail(t: TailInput): Array<{ dueDate: string; principal: Dec; interest: Dec }> {
  const n = t.dates.length;
  const R = sum(t.principal);
  const flat = t.terms.interestMethod === "FLAT";
  const pr = periodRate(t.terms);
  const rates = t.dates.map((due, j) => {
    if (t.terms.daysCountMethod !== "ACTUAL_DAYS_COUNT") return pr;
    return annualRate(t.terms).times(daysBetween(j === 0 ? t.start : t.dates[j - 1], due)).dividedBy(t.terms.daysInYear);
  });
  const m = Math.max(1, n - t.grace);
  const annuity = t.mode.kind === "annuity" && !pr.isZero() ? round(R.times(pr).dividedBy(new D(1).minus(new D(1).plus(pr).pow(-m))), t.dp) : undefined;
  const out: Array<{ dueDate: string; principal: Dec; interest: Dec }> = [];
  let balance = R;
  for (let j = 0; j < n; j++) {
    const forgiven = j < t.grace && t.gracePeriodType === "INTEREST_FORGIVENESS";
    const interest = forgiven ? ZERO : round((flat ? R : balance).times(rates[j]), t.dp);
    if (j < t.grace) {
      out.push({ dueDate: t.dates[j], principal: ZERO, interest });
      continue;
    }
    let p: Dec;
    if (j === n - 1) p = balance;
    else {
      switch (t.mode.kind) {
        case "keep":
          p = t.principal[j];
          break;
        case "annuity":
          p = annuity !== undefined ? annuity.minus(interest) : round(R.dividedBy(m), t.dp);
          break;
        case "principal":
          p = t.mode.amount;
          break;
        case "percent":
          p = round((t.mode.ofLoanAmount ?? balance).times(t.mode.pct).dividedBy(100), t.dp);
          break;
        case "payment":
          p = t.mode.amount.minus(interest);
          break;
      }
    }
    if (p.isNegative()) p = ZERO;
    if (p.greaterThan(balance)) p = balance;
    balance = balance.minus(p);
    out.push({ dueDate: t.dates[j], principal: p, interest });
  }
  while (out.length > 1 && out[out.length - 1].principal.isZero() && out[out.length - 1].interest.isZero()) out.pop();
  return out;
}

/** The loan, if it is ACTIVE or ACTIVE_IN_ARREARS; otherwise 400 INVALID_ACCOUNT_STATE. */
function runningLoan(ctx: EngineContext, loanId: string): WireRecord {
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) {
    throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}; only active loans can change`);
  }
  return loan;
}

/** A change's date: tenant offset, not in the future, not before the disbursement (default: now). */
function changeDate(ctx: EngineContext, loan: WireRecord, value: unknown, field: string): { iso: string; day: string } {
  const now = ctx.clock.nowIso();
  const iso = parseDateTimeInput(value, ctx.clock.offset, field) ?? now;
  if (compareInstant(iso, now) > 0) throw mambuError("INVALID_DATE", `${field} ${iso} is in the future`);
  const disbursed = path(loan, "disbursementDetails", "disbursementDate");
  if (typeof disbursed === "string" && compareInstant(iso, disbursed) < 0) {
    throw mambuError("INVALID_DATE", `${field} ${iso} is before the disbursement date ${disbursed}`);
  }
  return { iso, day: localDate(iso, ctx.clock.offset) };
}

/** The split of a plan at a change's day: installments kept as they are, and the tail to recompute. */
interface Split {
  keep: StoredInstallment[];
  tail: StoredInstallment[];
  /** Start of the tail's first period. */
  start: string;
  /** Tail installments still in the grace period. */
  grace: number;
}

function splitAt(ctx: EngineContext, frame: LoanFrame, day: string): Split {
  const ledger = replay(ctx, frame);
  const k = ledger.installments.findIndex((i) => i.dueDate > day && totalOf(outstandingElements(i)).greaterThan(0));
  const plan = frame.plan.installments;
  const keep = k < 0 ? plan : plan.slice(0, k);
  const tail = k < 0 ? [] : plan.slice(k);
  const tailKeys = new Set(tail.map((i) => i.encodedKey));
  for (const t of liveLoanTransactions(ctx, frame.loan.encodedKey)) {
    if (t.type === "PENALTY_APPLIED" && typeof t.installmentEncodedKey === "string" && tailKeys.has(t.installmentEncodedKey)) {
      throw mambuError("INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED", `installment ${t.installmentEncodedKey} has penalties applied`);
    }
  }
  const disbursed = localDate(String(path(frame.loan, "disbursementDetails", "disbursementDate")), ctx.clock.offset);
  const gracePeriodType = String(path(frame.loan, "scheduleSettings", "gracePeriodType") ?? frame.settings.gracePeriodType);
  const gracePeriod = Number(path(frame.loan, "scheduleSettings", "gracePeriod") ?? frame.settings.gracePeriod) || 0;
  return {
    keep,
    tail,
    start: keep.length ? keep[keep.length - 1].dueDate : disbursed,
    grace: gracePeriodType === "NONE" ? 0 : Math.max(0, gracePeriod - keep.length),
  };
}

/** The loan's calculator terms (rate, method, periodicity), optionally at another rate. */
function termsOf(frame: LoanFrame, start: string, rate?: Dec): ScheduleTerms {
  const t = loanScheduleTerms(frame.loan, frame.settings, start, undefined);
  return rate === undefined ? t : { ...t, interestRate: rate };
}

/**
 * Replaces the tail of the loan's plan, checks that no repayment ends up unallocated, stores the plan and posts the
 * change's transaction; `fields` are the loan's new settings. Returns nothing (the routes answer 204).
 */
function applyTail(
  ctx: EngineContext,
  frame: LoanFrame,
  split: Split,
  mode: TailMode,
  opts: { dates?: string[]; rate?: Dec; when: string; tx: { type: string; terms?: Record<string, unknown>; notes?: unknown }; fields: (plan: StoredSchedule) => Record<string, unknown> },
): void {
  let plan = frame.plan;
  if (split.tail.length > 0) {
    const terms = termsOf(frame, split.start, opts.rate);
    const rows = computeTail({
      dates: opts.dates ?? split.tail.map((i) => i.dueDate),
      start: split.start,
      principal: split.tail.map((i) => dec(i.principal)),
      grace: split.grace,
      gracePeriodType: terms.gracePeriodType,
      terms,
      mode,
      dp: frame.dp,
    });
    const tail: StoredInstallment[] = rows.map((r, j) => {
      const old = split.tail[j];
      return {
        encodedKey: old?.encodedKey ?? ctx.store.newEncodedKey(),
        number: String(split.keep.length + j + 1),
        dueDate: r.dueDate,
        principal: num(r.principal, frame.dp),
        interest: num(r.interest, frame.dp),
        fee: old?.fee ?? 0,
        penalty: old?.penalty ?? 0,
      };
    });
    plan = { ...frame.plan, installments: [...split.keep, ...tail] };
  }
  const tx = newLoanTransaction(ctx, frame.loan, opts.tx.type, 0, opts.when, { notes: opts.tx.notes });
  if (opts.tx.terms) tx.terms = opts.tx.terms;
  const candidate = replayLoan(plan, [...liveLoanTransactions(ctx, frame.loan.encodedKey), tx], frame.opts);
  checkNoExcess(candidate);
  saveSchedule(ctx, frame.loan.encodedKey, plan);
  commitTransaction(ctx, tx);
  const updated = touch(ctx, frame.loan, opts.fields(plan));
  const next = frameOf(ctx, updated);
  settle(ctx, next, replay(ctx, next));
}

function scheduleSettingsWith(loan: WireRecord, plan: StoredSchedule, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...((loan.scheduleSettings as Record<string, unknown>) ?? {}), repaymentInstallments: plan.installments.length, ...extra };
}

function amountInput(v: unknown, reason: "INVALID_PERIODIC_PAYMENT" | "INVALID_AMOUNT" | "INVALID_INTEREST_RATE" | "INVALID_INTEREST_SPREAD" | "INVALID_PRINCIPAL_PAYMENT_PERCENTAGE_VALUE", field: string): Dec {
  if (!isAmount(v)) throw mambuError(reason, `${field} must be a number`);
  return dec(v);
}

/** `POST /loans/{loanAccountId}:changeInterestRate` (`ChangeInterestRateLoanAccountInput`). */
export function changeInterestRate(ctx: EngineContext, loanId: string, input: Body): void {
  const body = input ?? {};
  const loan = runningLoan(ctx, loanId);
  const frame = frameOf(ctx, loan);
  if (frame.settings.type === "INTEREST_FREE_LOAN") {
    throw mambuError("INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_LOAN_PRODUCT_TYPE", "interest-free loans have no interest rate");
  }
  const is = (loan.interestSettings ?? {}) as Record<string, unknown>;
  const indexed = is.interestRateSource === "INDEX_INTEREST_RATE";
  const has = (v: unknown) => v !== undefined && v !== null;
  let rate: Dec;
  const settingsPatch: Record<string, unknown> = {};
  if (indexed) {
    if (has(body.interestRate)) throw mambuError("INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES", "an indexed-rate loan changes its interestSpread");
    if (!has(body.interestSpread)) throw mambuError("INVALID_INTEREST_SPREAD", "interestSpread is required");
    const spread = amountInput(body.interestSpread, "INVALID_INTEREST_SPREAD", "interestSpread");
    rate = dec(is.interestRate).minus(dec(is.interestSpread)).plus(spread);
    settingsPatch.interestSpread = spread.toNumber();
  } else {
    if (has(body.interestSpread)) throw mambuError("INTEREST_SPREAD_NOT_AVAILABLE_FOR_FIXED_RATES", "a fixed-rate loan changes its interestRate");
    if (!has(body.interestRate)) throw mambuError("INVALID_INTEREST_RATE", "interestRate is required");
    rate = amountInput(body.interestRate, "INVALID_INTEREST_RATE", "interestRate");
  }
  const bounds = frame.settings.interestRate ?? {};
  if (rate.isNegative() || (bounds.min && rate.lessThan(bounds.min)) || (bounds.max && rate.greaterThan(bounds.max))) {
    throw mambuError("INVALID_INTEREST_RATE", `interest rate ${rate.toString()} must be between ${bounds.min?.toString() ?? "0"} and ${bounds.max?.toString() ?? "-"}`);
  }
  rerate(ctx, loan, frame, rate, settingsPatch, body.valueDate, body.notes);
}

/** Moves a running loan to `rate` from a value date: the tail of its schedule recomputed, INTEREST_RATE_CHANGED posted. */
function rerate(ctx: EngineContext, loan: WireRecord, frame: LoanFrame, rate: Dec, settingsPatch: Record<string, unknown>, valueDate: unknown, notes: unknown): void {
  const is = (loan.interestSettings ?? {}) as Record<string, unknown>;
  const { iso, day } = changeDate(ctx, loan, valueDate, "valueDate");
  const split = splitAt(ctx, frame, day);
  const mode: TailMode = String(is.interestCalculationMethod ?? frame.settings.interestMethod) === "DECLINING_BALANCE_DISCOUNTED" ? { kind: "annuity" } : { kind: "keep" };
  applyTail(ctx, frame, split, mode, {
    rate,
    when: iso,
    tx: { type: "INTEREST_RATE_CHANGED", terms: { interestSettings: { interestRate: rate.toNumber() } }, notes },
    fields: (plan) => ({ interestSettings: { ...is, ...settingsPatch, interestRate: rate.toNumber() }, scheduleSettings: scheduleSettingsWith(loan, plan) }),
  });
}

/**
 * An indexed loan follows its index (../reference/index-repricing.ts): a running loan whose rate source is
 * INDEX_INTEREST_RATE moves to `rate` (the index's new rate plus its spread, within the product's floor and
 * ceiling) from `valueDate` (an ISO date-time, not in the future; the disbursement date at the earliest), by the
 * `:changeInterestRate` machinery: installments due on or before that day and paid ones stay, the tail is
 * recomputed at the new rate, and an INTEREST_RATE_CHANGED transaction records it. Its spread is kept.
 * @throws like `:changeInterestRate` (INVALID_ACCOUNT_STATE, INVALID_DATE, INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED).
 */
export function repriceIndexedLoan(ctx: EngineContext, loanId: string, rate: Dec, valueDate: string, notes?: string): void {
  const loan = runningLoan(ctx, loanId);
  const frame = frameOf(ctx, loan);
  if (frame.settings.type === "INTEREST_FREE_LOAN") return;
  if ((loan.interestSettings as Record<string, unknown> | undefined)?.interestRateSource !== "INDEX_INTEREST_RATE") return;
  rerate(ctx, loan, frame, rate, {}, valueDate, notes);
}

const PERCENT_METHODS = new Set(["OUTSTANDING_PRINCIPAL_PERCENTAGE", "PRINCIPAL_PERCENTAGE_LAST_DISB", "TOTAL_BALANCE_PERCENTAGE", "TOTAL_PRINCIPAL_PERCENTAGE"]);

/** `POST /loans/{loanAccountId}:changeRepaymentValue` (`ChangeRepaymentValueLoanAccountInput`). */
export function changeRepaymentValue(ctx: EngineContext, loanId: string, input: Body): void {
  const body = input ?? {};
  const loan = runningLoan(ctx, loanId);
  const frame = frameOf(ctx, loan);
  const method = String(path(loan, "interestSettings", "interestCalculationMethod") ?? frame.settings.interestMethod);
  if (method === "DECLINING_BALANCE_DISCOUNTED") {
    throw mambuError("REPAYMENT_VALUE_CHANGE_NOT_ALLOWED", "equal-installments loans change their periodic payment (:changePeriodicPayment)");
  }
  if (method === "FLAT") throw mambuError("REPAYMENT_VALUE_CHANGE_NOT_ALLOWED", "flat-interest loans keep their principal schedule");
  const pps = (loan.principalPaymentSettings ?? {}) as Record<string, unknown>;
  const ppm = typeof pps.principalPaymentMethod === "string" ? pps.principalPaymentMethod : "FLAT";
  const has = (v: unknown) => v !== undefined && v !== null;
  let mode: TailMode;
  let terms: Record<string, unknown>;
  let patch: Record<string, unknown>;
  if (PERCENT_METHODS.has(ppm)) {
    if (has(body.amount)) throw mambuError("AMOUNT_ONLY_AVAILABLE_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD", `principal payment method ${ppm} takes a percentage`);
    if (!has(body.percentage)) throw mambuError("PERCENTAGE_REQUIRED_FOR_PRINCIPAL_PAYMENT_PERCENTAGE_METHOD", "percentage is required");
    const pct = amountInput(body.percentage, "INVALID_PRINCIPAL_PAYMENT_PERCENTAGE_VALUE", "percentage");
    if (!pct.greaterThan(0) || pct.greaterThan(100)) throw mambuError("INVALID_PRINCIPAL_PAYMENT_PERCENTAGE_VALUE", "percentage must be above 0 and at most 100");
    const ofLoan = ppm === "PRINCIPAL_PERCENTAGE_LAST_DISB" || ppm === "TOTAL_PRINCIPAL_PERCENTAGE";
    mode = { kind: "percent", pct, ofLoanAmount: ofLoan ? dec(loan.loanAmount) : undefined };
    terms = { principalPaymentPercentage: pct.toNumber() };
    patch = { principalPaymentMethod: ppm, percentage: pct.toNumber() };
  } else {
    if (!has(body.amount)) throw mambuError("AMOUNT_REQUIRED_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD", "amount is required");
    const amount = amountInput(body.amount, "INVALID_AMOUNT", "amount");
    if (!amount.greaterThan(0)) throw mambuError("INVALID_AMOUNT", "amount must be positive");
    if (!round(amount, frame.dp).equals(amount)) throw mambuError("INVALID_PRINCIPAL_PAYMENT_FLAT_AMOUNT_WITH_DECIMALS", `amount has more than ${frame.dp} decimals`);
    mode = { kind: "principal", amount };
    terms = { principalPaymentAmount: amount.toNumber() };
    patch = { principalPaymentMethod: ppm, amount: amount.toNumber() };
  }
  const { iso, day } = changeDate(ctx, loan, body.valueDate, "valueDate");
  const split = splitAt(ctx, frame, day);
  applyTail(ctx, frame, split, mode, {
    when: iso,
    tx: { type: "TERMS_CHANGED", terms, notes: body.notes },
    fields: (plan) => ({ principalPaymentSettings: { ...pps, ...patch }, scheduleSettings: scheduleSettingsWith(loan, plan) }),
  });
}

/** `POST /loans/{loanAccountId}:changePeriodicPayment` (`ChangePeriodicPaymentLoanAccountInput`). */
export function changePeriodicPayment(ctx: EngineContext, loanId: string, input: Body): void {
  const body = input ?? {};
  const loan = runningLoan(ctx, loanId);
  const frame = frameOf(ctx, loan);
  if (body.periodicPayment === undefined || body.periodicPayment === null) throw mambuError("MANDATORY_PERIODIC_PAYMENT", "periodicPayment is required");
  const payment = amountInput(body.periodicPayment, "INVALID_PERIODIC_PAYMENT", "periodicPayment");
  if (!payment.greaterThan(0) || !round(payment, frame.dp).equals(payment)) {
    throw mambuError("INVALID_PERIODIC_PAYMENT", `periodicPayment must be positive with at most ${frame.dp} decimals`);
  }
  if (payment.greaterThan(dec(loan.loanAmount))) throw mambuError("PERIODIC_PAYMENT_GREATER_THAN_LOAN_AMOUNT", `periodicPayment above the loan amount ${String(loan.loanAmount)}`);
  const method = String(path(loan, "interestSettings", "interestCalculationMethod") ?? frame.settings.interestMethod);
  if (method !== "DECLINING_BALANCE_DISCOUNTED") {
    throw mambuError("INVALID_PERIODIC_PAYMENT", "only equal-installments (DECLINING_BALANCE_DISCOUNTED) loans have a periodic payment");
  }
  const { iso, day } = changeDate(ctx, loan, body.valueDate, "valueDate");
  const split = splitAt(ctx, frame, day);
  if (split.tail.length > split.grace) {
    const terms = termsOf(frame, split.start);
    const first = computeTail({
      dates: split.tail.map((i) => i.dueDate),
      start: split.start,
      principal: split.tail.map((i) => dec(i.principal)),
      grace: split.grace,
      gracePeriodType: terms.gracePeriodType,
      terms,
      mode: { kind: "keep" },
      dp: frame.dp,
    })[split.grace];
    if (split.tail.length - split.grace > 1 && !payment.greaterThan(first.interest)) {
      throw mambuError("INVALID_PERIODIC_PAYMENT", `periodicPayment ${payment.toFixed(frame.dp)} does not cover the interest due ${first.interest.toFixed(frame.dp)}`);
    }
  }
  applyTail(ctx, frame, split, { kind: "payment", amount: payment }, {
    when: iso,
    tx: { type: "TERMS_CHANGED", terms: { periodicPayment: payment.toNumber() }, notes: body.notes },
    fields: (plan) => ({ scheduleSettings: scheduleSettingsWith(loan, plan, { periodicPayment: payment.toNumber() }) }),
  });
}

/** `POST /loans/{loanAccountId}:changeArrearsSettings` (`ChangeArrearsSettingsInput`). */
export function changeArrearsSettings(ctx: EngineContext, loanId: string, input: Body): void {
  const body = input ?? {};
  const loan = runningLoan(ctx, loanId);
  const frame = frameOf(ctx, loan);
  if (frame.settings.toleranceCalculationMethod === "MONTHLY_ARREARS_TOLERANCE_DAY") {
    throw mambuError("CHANGE_ARREARS_SETTINGS_NOT_ALLOWED_FOR_PRODUCT_TOLERANCE_CALCULATION_METHOD", "the product uses a monthly arrears tolerance day");
  }
  const p = body.arrearsTolerancePeriod;
  if (typeof p !== "number" || !Number.isInteger(p)) throw mambuError("REQUIRED_ARREARS_TOLERANCE_PERIOD_MISSING", "arrearsTolerancePeriod (days) is required");
  if (p < 0) throw mambuError("NEGATIVE_ARREARS_TOLERANCE_PERIOD", "arrearsTolerancePeriod must not be negative");
  const { min, max } = frame.settings.tolerancePeriodBounds;
  if ((min !== undefined && p < min) || (max !== undefined && p > max)) {
    throw mambuError("ARREARS_TOLERANCE_PERIOD_OUTSIDE_CONSTRAINTS", `arrearsTolerancePeriod must be between ${min ?? 0} and ${max ?? "-"}`);
  }
  if (body.entryDate === undefined) throw invalidParameters("entryDate is required");
  changeDate(ctx, loan, body.entryDate, "entryDate");
  const aas = { ...((loan.accountArrearsSettings as Record<string, unknown>) ?? {}), toleranceCalculationMethod: "ARREARS_TOLERANCE_PERIOD", tolerancePeriod: p };
  const updated = touch(ctx, loan, { arrearsTolerancePeriod: p, accountArrearsSettings: aas });
  const next = frameOf(ctx, updated);
  syncLoan(ctx, next, replay(ctx, next));
}

/** The `day`-th of the month of `date` (the last day of shorter months). */
function dayOfMonth(date: string, day: number): string {
  const dt = DateTime.fromISO(date, { zone: "utc" });
  return dt.set({ day: Math.min(day, dt.daysInMonth ?? 28) }).toISODate() as string;
}

/** `POST /loans/{loanAccountId}:changeDueDatesSettings` (`ChangeDueDatesSettingsInput`). */
export function changeDueDatesSettings(ctx: EngineContext, loanId: string, input: Body): void {
  const body = input ?? {};
  const loan = runningLoan(ctx, loanId);
  const frame = frameOf(ctx, loan);
  const days = body.fixedDaysOfMonth;
  if (!Array.isArray(days) || days.length === 0) throw mambuError("MISSING_FIXED_DAYS_OF_MONTH", "fixedDaysOfMonth is required");
  if (days.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 1 || d > 31)) throw mambuError("INVALID_FIXED_DAYS_OF_MONTH", "fixed days of month are 1 to 31");
  if (days.length > 1) throw mambuError("CHANGE_MONTHLY_REPAYMENT_DAY_ALLOWED_ONLY_FOR_ACCOUNTS_WITH_A_SINGLE_FIXED_DAY_OF_MONTH", "one fixed day of month");
  const unit = String(path(loan, "scheduleSettings", "repaymentPeriodUnit") ?? frame.settings.periodUnit);
  const count = Number(path(loan, "scheduleSettings", "repaymentPeriodCount") ?? frame.settings.periodCount) || 1;
  if (unit !== "MONTHS") throw mambuError("FIXED_DAYS_OF_MONTH_NOT_ALLOWED", `the loan is repaid every ${count} ${unit.toLowerCase()}`);
  if (frame.plan.custom || path(loan, "scheduleSettings", "hasCustomSchedule") === true) {
    throw mambuError("CHANGE_MONTHLY_REPAYMENT_DAY_NOT_ALLOWED_FOR_ACCOUNTS_WITH_CUSTOM_SCHEDULE", "the schedule was edited");
  }
  const day = days[0] as number;
  const { iso, day: on } = changeDate(ctx, loan, body.valueDate ?? body.entryDate, body.valueDate !== undefined ? "valueDate" : "entryDate");
  const split = splitAt(ctx, frame, on);
  let dates = split.tail.map((i) => dayOfMonth(i.dueDate, day));
  const floor = split.start > on ? split.start : on;
  if (dates.length > 0 && dates[0] <= floor) dates = split.tail.map((i) => dayOfMonth(addPeriods(i.dueDate, "MONTHS", count), day));
  const method = String(path(loan, "interestSettings", "interestCalculationMethod") ?? frame.settings.interestMethod);
  applyTail(ctx, frame, split, method === "DECLINING_BALANCE_DISCOUNTED" ? { kind: "annuity" } : { kind: "keep" }, {
    dates,
    when: iso,
    tx: { type: "DUE_DATE_CHANGED", notes: body.notes },
    fields: (plan) => {
      const dd = { ...((loan.disbursementDetails as Record<string, unknown>) ?? {}) };
      if (plan.installments.length > 0) dd.firstRepaymentDate = startOfDay(plan.installments[0].dueDate, ctx.clock.offset);
      return {
        disbursementDetails: dd,
        scheduleSettings: scheduleSettingsWith(loan, plan, { scheduleDueDatesMethod: "FIXED_DAYS_OF_MONTH", fixedDaysOfMonth: [day], shortMonthHandlingMethod: "LAST_DAY_IN_MONTH" }),
      };
    },
  });
}
