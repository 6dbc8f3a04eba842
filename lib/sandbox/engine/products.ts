/**
 * Reading loan and deposit products (wire records of `loanproducts` / `depositproducts`) into the few
 * settings the engine uses, with Mambu's defaults when a product leaves a setting out.
 *
 * Loan product fields read (all optional unless said):
 * - `id`, `encodedKey`, `name`, `state` (INACTIVE products refuse new accounts), `type` (INTEREST_FREE_LOAN → 0 %)
 * - `currency.code` (default EUR)
 * - `interestSettings.interestCalculationMethod` FLAT | DECLINING_BALANCE (equal principal) |
 *   DECLINING_BALANCE_DISCOUNTED (equal installments) — default DECLINING_BALANCE
 * - `interestSettings.indexRateSettings.interestRate.{defaultValue,minValue,maxValue}` (or the newer
 *   `interestSettings.interestRateSettings[0].interestRate`), `...interestChargeFrequency` ANNUALIZED (rate per
 *   year, default) | EVERY_MONTH | EVERY_FOUR_WEEKS | EVERY_WEEK | EVERY_DAY | EVERY_X_DAYS (+ `interestChargeFrequencyCount`)
 * - `interestSettings.daysInYear` (ACTUAL_360 → 360, ACTUAL_364 → 364, otherwise 365)
 * - `interestSettings.scheduleInterestDaysCountMethod` REPAYMENT_PERIODICITY (default) | ACTUAL_DAYS_COUNT
 * - `interestSettings.interestApplicationMethod` AFTER_DISBURSEMENT | REPAYMENT_DUE_DATE (default: FLAT →
 *   AFTER_DISBURSEMENT, otherwise REPAYMENT_DUE_DATE): whether `balances.interestBalance` holds all scheduled
 *   interest from disbursement or only the interest of installments already due
 * - `scheduleSettings.numInstallments.{defaultValue,minValue,maxValue}`, `scheduleSettings.repaymentPeriodUnit`
 *   (default MONTHS), `scheduleSettings.defaultRepaymentPeriodCount` (default 1),
 *   `scheduleSettings.firstRepaymentDueDateOffset.defaultValue` (days added to the first due date)
 * - `gracePeriodSettings.gracePeriod.defaultValue`, `gracePeriodSettings.gracePeriodType` NONE | PAY_INTEREST_ONLY | INTEREST_FORGIVENESS
 * - `loanAmountSettings.loanAmount.{minValue,maxValue}`
 * - `feesSettings.fees[]` (`encodedKey`, `id`, `name`, `state`, `trigger` MANUAL | DISBURSEMENT | UPFRONT_DISBURSEMENT |
 *   CAPITALIZED_DISBURSEMENT, `feeApplication` REQUIRED | OPTIONAL, `amountCalculationMethod` FLAT | LOAN_AMOUNT_PERCENTAGE,
 *   `amount`, `percentageAmount`), `feesSettings.allowArbitraryFees` (false forbids fees without a predefinedFeeKey)
 * - `paymentSettings.repaymentAllocationOrder` (default FEE, PENALTY, INTEREST, PRINCIPAL), `paymentSettings.paymentMethod`
 *   HORIZONTAL (default) | VERTICAL
 * - `arrearsSettings.tolerancePeriod.defaultValue` (days late before ACTIVE_IN_ARREARS, default 0), `.minValue`/`.maxValue`
 *   (bounds of `:changeArrearsSettings`), `arrearsSettings.toleranceCalculationMethod` (ARREARS_TOLERANCE_PERIOD default)
 * - `penaltySettings.loanPenaltyCalculationMethod` NONE (default) | OVERDUE_BALANCE | OVERDUE_BALANCE_AND_INTEREST |
 *   OUTSTANDING_PRINCIPAL, `penaltySettings.penaltyRate.{defaultValue,minValue,maxValue}` (% per year),
 *   `penaltySettings.loanPenaltyGracePeriod` (days late before penalties accrue, default 0): see ./penalties.ts
 * - `templates[]` (`DocumentTemplate`: `encodedKey`, `name`, `type`): see ./templates.ts
 * - `newAccountSettings.accountInitialState` (PARTIAL_APPLICATION or PENDING_APPROVAL; default PENDING_APPROVAL)
 *
 * Deposit product fields read: `id`, `encodedKey`, `name`, `state`, `type`, `currencySettings.currencies[0].code`,
 * `interestSettings.interestRateSettings.interestRate.defaultValue`, `...interestChargeFrequency`,
 * `interestSettings.daysInYear`, `overdraftSettings.allowOverdraft`, `overdraftSettings.maxOverdraftLimit`,
 * `internalControls.maxWithdrawalAmount`, `feesSettings.fees[]` (MANUAL fees: `amount`).
 */
import { WireRecord } from "../types";
import { Dec, dec, D } from "./money";
import { PeriodUnit } from "./dates";

/** Reads a nested property path of a wire object (undefined when any step is missing). */
export function path(obj: unknown, ...keys: Array<string | number>): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : undefined);
const amt = (v: unknown): Dec | undefined => (typeof v === "number" || (typeof v === "string" && v !== "") ? dec(v) : undefined);

/** A predefined fee of a product. */
export interface ProductFee {
  encodedKey?: string;
  id?: string;
  name?: string;
  trigger: string;
  required: boolean;
  active: boolean;
  method: string;
  amount?: Dec;
  percentage?: Dec;
}

/** Interest calculation methods supported by the schedule engine. */
export type InterestMethod = "FLAT" | "DECLINING_BALANCE" | "DECLINING_BALANCE_DISCOUNTED";

/** The settings of a loan product the engine uses (see the module comment). */
export interface LoanProductSettings {
  key: string;
  id?: string;
  name?: string;
  active: boolean;
  type?: string;
  currency: string;
  interestMethod: InterestMethod;
  interestRate?: { default?: Dec; min?: Dec; max?: Dec };
  interestChargeFrequency: string;
  interestChargeFrequencyCount?: number;
  daysInYear: number;
  daysCountMethod: "REPAYMENT_PERIODICITY" | "ACTUAL_DAYS_COUNT";
  interestApplicationMethod: "AFTER_DISBURSEMENT" | "REPAYMENT_DUE_DATE";
  installments?: { default?: number; min?: number; max?: number };
  periodUnit: PeriodUnit;
  periodCount: number;
  firstDueDateOffsetDays: number;
  gracePeriod: number;
  gracePeriodType: "NONE" | "PAY_INTEREST_ONLY" | "INTEREST_FORGIVENESS";
  loanAmount?: { min?: Dec; max?: Dec };
  fees: ProductFee[];
  allowArbitraryFees: boolean;
  allocationOrder: Array<"FEE" | "PENALTY" | "INTEREST" | "PRINCIPAL">;
  paymentMethod: "HORIZONTAL" | "VERTICAL";
  tolerancePeriod: number;
  /** Bounds of the arrears tolerance period (`arrearsSettings.tolerancePeriod.minValue/maxValue`). */
  tolerancePeriodBounds: { min?: number; max?: number };
  /** `arrearsSettings.toleranceCalculationMethod` (default ARREARS_TOLERANCE_PERIOD). */
  toleranceCalculationMethod: string;
  initialState: "PARTIAL_APPLICATION" | "PENDING_APPROVAL";
  /** The product's penalty settings (`penaltySettings`; method NONE when absent). */
  penalty: { method: PenaltyMethod; rate: { default?: Dec; min?: Dec; max?: Dec }; gracePeriod: number };
}

/** Penalty calculation methods (`ProductPenaltySettings.loanPenaltyCalculationMethod`). */
export type PenaltyMethod = "NONE" | "OVERDUE_BALANCE" | "OVERDUE_BALANCE_AND_INTEREST" | "OUTSTANDING_PRINCIPAL";

const PENALTY_METHODS = new Set(["NONE", "OVERDUE_BALANCE", "OVERDUE_BALANCE_AND_INTEREST", "OUTSTANDING_PRINCIPAL"]);

function readFees(list: unknown): ProductFee[] {
  if (!Array.isArray(list)) return [];
  return list.map((f: Record<string, unknown>) => ({
    encodedKey: str(f.encodedKey),
    id: str(f.id),
    name: str(f.name),
    trigger: str(f.trigger) ?? "MANUAL",
    required: f.feeApplication === "REQUIRED",
    active: f.state !== "INACTIVE",
    method: str(f.amountCalculationMethod) ?? "FLAT",
    amount: amt(f.amount),
    percentage: amt(f.percentageAmount),
  }));
}

function daysInYearOf(v: unknown): number {
  if (v === "ACTUAL_360" || v === "E30_360") return 360;
  if (v === "ACTUAL_364") return 364;
  return 365;
}

const ELEMENTS = new Set(["FEE", "PENALTY", "INTEREST", "PRINCIPAL"]);

/** Reads a loan product record into {@link LoanProductSettings}. */
export function loanProductSettings(p: WireRecord): LoanProductSettings {
  const is = (p.interestSettings ?? {}) as Record<string, unknown>;
  const rateSettings = (path(is, "indexRateSettings") ?? path(is, "interestRateSettings", 0) ?? {}) as Record<string, unknown>;
  const rate = (rateSettings.interestRate ?? is.interestRate) as Record<string, unknown> | number | undefined;
  const method = str(is.interestCalculationMethod);
  const interestMethod: InterestMethod =
    method === "FLAT" || method === "DECLINING_BALANCE_DISCOUNTED" ? method : "DECLINING_BALANCE";
  const interestFree = p.type === "INTEREST_FREE_LOAN";
  const ss = (p.scheduleSettings ?? {}) as Record<string, unknown>;
  const order = (path(p, "paymentSettings", "repaymentAllocationOrder") as unknown[] | undefined)?.filter(
    (e): e is "FEE" | "PENALTY" | "INTEREST" | "PRINCIPAL" => typeof e === "string" && ELEMENTS.has(e),
  );
  const initial = path(p, "newAccountSettings", "accountInitialState");
  return {
    key: p.encodedKey,
    id: str(p.id),
    name: str(p.name),
    active: p.state !== "INACTIVE",
    type: str(p.type),
    currency: str(path(p, "currency", "code")) ?? "EUR",
    interestMethod,
    interestRate: interestFree
      ? { default: new D(0), min: new D(0), max: new D(0) }
      : typeof rate === "number"
        ? { default: dec(rate) }
        : { default: amt(rate?.defaultValue), min: amt(rate?.minValue), max: amt(rate?.maxValue) },
    interestChargeFrequency: str(rateSettings.interestChargeFrequency) ?? "ANNUALIZED",
    interestChargeFrequencyCount: int(rateSettings.interestChargeFrequencyCount),
    daysInYear: daysInYearOf(is.daysInYear),
    daysCountMethod: is.scheduleInterestDaysCountMethod === "ACTUAL_DAYS_COUNT" ? "ACTUAL_DAYS_COUNT" : "REPAYMENT_PERIODICITY",
    interestApplicationMethod:
      is.interestApplicationMethod === "AFTER_DISBURSEMENT" || is.interestApplicationMethod === "REPAYMENT_DUE_DATE"
        ? is.interestApplicationMethod
        : interestMethod === "FLAT"
          ? "AFTER_DISBURSEMENT"
          : "REPAYMENT_DUE_DATE",
    installments: {
      default: int(path(ss, "numInstallments", "defaultValue")),
      min: int(path(ss, "numInstallments", "minValue")),
      max: int(path(ss, "numInstallments", "maxValue")),
    },
    periodUnit: (str(ss.repaymentPeriodUnit) as PeriodUnit | undefined) ?? "MONTHS",
    periodCount: int(ss.defaultRepaymentPeriodCount) ?? 1,
    firstDueDateOffsetDays: int(path(ss, "firstRepaymentDueDateOffset", "defaultValue")) ?? 0,
    gracePeriod: int(path(p, "gracePeriodSettings", "gracePeriod", "defaultValue")) ?? 0,
    gracePeriodType: (str(path(p, "gracePeriodSettings", "gracePeriodType")) as LoanProductSettings["gracePeriodType"]) ?? "NONE",
    loanAmount: {
      min: amt(path(p, "loanAmountSettings", "loanAmount", "minValue")),
      max: amt(path(p, "loanAmountSettings", "loanAmount", "maxValue")),
    },
    fees: readFees(path(p, "feesSettings", "fees")),
    allowArbitraryFees: path(p, "feesSettings", "allowArbitraryFees") !== false,
    allocationOrder: order && order.length === 4 ? order : ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"],
    paymentMethod: path(p, "paymentSettings", "paymentMethod") === "VERTICAL" ? "VERTICAL" : "HORIZONTAL",
    tolerancePeriod: int(path(p, "arrearsSettings", "tolerancePeriod", "defaultValue")) ?? 0,
    tolerancePeriodBounds: {
      min: int(path(p, "arrearsSettings", "tolerancePeriod", "minValue")),
      max: int(path(p, "arrearsSettings", "tolerancePeriod", "maxValue")),
    },
    toleranceCalculationMethod: str(path(p, "arrearsSettings", "toleranceCalculationMethod")) ?? "ARREARS_TOLERANCE_PERIOD",
    initialState: initial === "PARTIAL_APPLICATION" ? "PARTIAL_APPLICATION" : "PENDING_APPROVAL",
    penalty: {
      method: ((m) => (typeof m === "string" && PENALTY_METHODS.has(m) ? (m as PenaltyMethod) : "NONE"))(path(p, "penaltySettings", "loanPenaltyCalculationMethod")),
      rate: {
        default: amt(path(p, "penaltySettings", "penaltyRate", "defaultValue")),
        min: amt(path(p, "penaltySettings", "penaltyRate", "minValue")),
        max: amt(path(p, "penaltySettings", "penaltyRate", "maxValue")),
      },
      gracePeriod: Math.max(0, int(path(p, "penaltySettings", "loanPenaltyGracePeriod")) ?? 0),
    },
  };
}

/** The settings of a deposit product the engine uses (see the module comment). */
export interface DepositProductSettings {
  key: string;
  id?: string;
  name?: string;
  active: boolean;
  type?: string;
  currency: string;
  interestRate?: Dec;
  interestChargeFrequency: string;
  daysInYear: number;
  allowOverdraft: boolean;
  maxOverdraftLimit?: Dec;
  maxWithdrawalAmount?: Dec;
  fees: ProductFee[];
}

/** Reads a deposit product record into {@link DepositProductSettings}. */
export function depositProductSettings(p: WireRecord): DepositProductSettings {
  const rs = (path(p, "interestSettings", "interestRateSettings") ?? {}) as Record<string, unknown>;
  return {
    key: p.encodedKey,
    id: str(p.id),
    name: str(p.name),
    active: p.state !== "INACTIVE",
    type: str(p.type),
    currency: str(path(p, "currencySettings", "currencies", 0, "code")) ?? str(path(p, "currency", "code")) ?? "EUR",
    interestRate: amt(path(rs, "interestRate", "defaultValue")),
    interestChargeFrequency: str(rs.interestChargeFrequency) ?? "ANNUALIZED",
    daysInYear: daysInYearOf(path(p, "interestSettings", "daysInYear")),
    allowOverdraft: path(p, "overdraftSettings", "allowOverdraft") === true,
    maxOverdraftLimit: amt(path(p, "overdraftSettings", "maxOverdraftLimit")),
    maxWithdrawalAmount: amt(path(p, "internalControls", "maxWithdrawalAmount")),
    fees: readFees(path(p, "feesSettings", "fees")),
  };
}

/** The amount of a predefined fee for a loan amount (FLAT: `amount`; percentage methods: % of the loan amount). */
export function feeAmount(fee: ProductFee, loanAmount: Dec): Dec | undefined {
  if (fee.method === "FLAT" || fee.method === "FLAT_NUMBER_OF_INSTALLMENTS") return fee.amount;
  if (fee.percentage !== undefined) return loanAmount.times(fee.percentage).dividedBy(100);
  return fee.amount;
}

/** Finds a predefined fee by encodedKey or id. */
export function findFee(fees: ProductFee[], keyOrId: string): ProductFee | undefined {
  return fees.find((f) => f.encodedKey === keyOrId || f.id === keyOrId);
}
