/**
 * Fields real tenants fill on every loan account and transaction that the engine's arithmetic does not need:
 * copied from the loan product as Mambu copies them when the account is created (arrears settings, prepayment
 * settings, future payments acceptance, late payments recalculation method), or Mambu's empty defaults
 * (guarantors, assets, `taxes`, `customPaymentAmounts`). A value the caller sent is kept.
 */
import { mambuError } from "../errors";
import { WireRecord } from "../types";
import { Dec, dec } from "./money";
import { LoanProductSettings, path } from "./products";

type Bag = Record<string, unknown>;

const obj = (v: unknown): Bag | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Bag) : undefined);

/** The lower bound (or default) of a product constraint `{ minValue, defaultValue, maxValue }`, or a plain number. */
function constraint(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  const c = obj(v);
  const x = c?.defaultValue ?? c?.minValue;
  return typeof x === "number" ? x : undefined;
}

/** The account's `accountArrearsSettings` from the product's `arrearsSettings` (tolerance as the account has it). */
function arrearsSettings(product: WireRecord, tolerancePeriod: unknown): Bag {
  const a = obj(product.arrearsSettings) ?? {};
  const out: Bag = {
    toleranceCalculationMethod: a.toleranceCalculationMethod ?? "ARREARS_TOLERANCE_PERIOD",
    dateCalculationMethod: a.dateCalculationMethod ?? "ACCOUNT_FIRST_WENT_TO_ARREARS",
    nonWorkingDaysMethod: a.nonWorkingDaysMethod ?? "EXCLUDED",
    tolerancePeriod: typeof tolerancePeriod === "number" ? tolerancePeriod : constraint(a.tolerancePeriod) ?? 0,
  };
  if (typeof a.monthlyToleranceDay === "number") out.monthlyToleranceDay = a.monthlyToleranceDay;
  if (typeof a.toleranceFloorAmount === "number") out.toleranceFloorAmount = a.toleranceFloorAmount;
  const pct = constraint(a.tolerancePercentageOfOutstandingPrincipal);
  if (pct !== undefined) out.tolerancePercentageOfOutstandingPrincipal = pct;
  return out;
}

/** The account's `prepaymentSettings` from the product's `paymentSettings.prepaymentSettings`. */
function prepaymentSettings(product: WireRecord): Bag {
  const p = obj(path(product, "paymentSettings", "prepaymentSettings")) ?? {};
  const out: Bag = {
    prepaymentRecalculationMethod: p.prepaymentRecalculationMethod ?? "NO_RECALCULATION",
    applyInterestOnPrepaymentMethod: p.applyInterestOnPrepaymentMethod ?? "AUTOMATIC",
  };
  if (p.elementsRecalculationMethod !== undefined) out.elementsRecalculationMethod = p.elementsRecalculationMethod;
  if (p.principalPaidInstallmentStatus !== undefined) out.principalPaidInstallmentStatus = p.principalPaidInstallmentStatus;
  return out;
}

/** Fills, on a loan account being created, the fields Mambu copies from its product (the caller's values kept). */
export function fillLoanAccountFields(rec: WireRecord, product: WireRecord): void {
  rec.accountArrearsSettings ??= arrearsSettings(product, rec.arrearsTolerancePeriod);
  rec.prepaymentSettings ??= prepaymentSettings(product);
  rec.futurePaymentsAcceptance ??= path(product, "paymentSettings", "prepaymentSettings", "futurePaymentsAcceptance") ?? "NO_FUTURE_PAYMENTS";
  rec.latePaymentsRecalculationMethod ??= path(product, "paymentSettings", "latePaymentsRecalculationMethod") ?? "OVERDUE_INSTALLMENTS_INCREASE";
  rec.allowOffset ??= false;
  rec.guarantors ??= [];
  rec.assets ??= [];
}

/**
 * Fills, on a loan transaction being stored, what Mambu always answers: the account's terms at the time of the
 * transaction (`terms.interestSettings.interestRate`, `terms.periodicPayment` when set), empty `taxes` and
 * `customPaymentAmounts`, and `transactionDetails` (empty when the caller sent none).
 */
export function fillLoanTransactionFields(tx: WireRecord, loan: WireRecord): void {
  if (tx.terms === undefined) {
    const terms: Bag = {};
    const rate = path(loan, "interestSettings", "interestRate");
    if (typeof rate === "number") terms.interestSettings = { interestRate: rate };
    const periodic = path(loan, "scheduleSettings", "periodicPayment");
    if (typeof periodic === "number") terms.periodicPayment = periodic;
    tx.terms = terms;
  }
  tx.taxes ??= {};
  tx.customPaymentAmounts ??= [];
  tx.transactionDetails ??= {};
}

/**
 * Fills, on a deposit transaction being stored, what Mambu always answers: the account's interest rate at the
 * time (`terms.interestSettings.interestRate`), empty `taxes` and `transactionDetails`.
 */
export function fillDepositTransactionFields(tx: WireRecord, dep: WireRecord): void {
  if (tx.terms === undefined) {
    const rate = path(dep, "interestSettings", "interestRateSettings", "interestRate");
    tx.terms = typeof rate === "number" ? { interestSettings: { interestRate: rate } } : {};
  }
  tx.taxes ??= {};
  tx.transactionDetails ??= {};
}

/**
 * A new loan's `penaltySettings`: the product's calculation method, and the rate the caller gave (which must be
 * within the product's `penaltyRate` min/max: 400 INVALID_PENALTY_RATE) or the product's default.
 */
export function loanPenaltySettings(given: unknown, product: LoanProductSettings["penalty"]): Bag {
  const out: Bag = { loanPenaltyCalculationMethod: product.method };
  const raw = obj(given)?.penaltyRate;
  if (raw !== undefined && raw !== null) {
    let rate: Dec;
    try {
      rate = dec(raw);
    } catch {
      throw mambuError("INVALID_PENALTY_RATE", "penaltySettings.penaltyRate must be a number");
    }
    const { min, max } = product.rate;
    if (rate.isNegative() || (min && rate.lessThan(min)) || (max && rate.greaterThan(max))) {
      throw mambuError("INVALID_PENALTY_RATE", `penalty rate ${rate.toString()} outside the product's range ${min?.toString() ?? "-"}..${max?.toString() ?? "-"}`);
    }
    out.penaltyRate = rate.toNumber();
  } else if (product.method !== "NONE" && product.rate.default) {
    out.penaltyRate = product.rate.default.toNumber();
  }
  return out;
}
