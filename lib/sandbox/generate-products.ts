/**
 * The products a synthetic tenant (`--generate`) gets when its base tenant has none, so that every generated
 * account has a product and is valid against the contract: a flat-interest monthly loan product `GEN-LOAN` and
 * a regular savings product `GEN-SAVINGS` (currency MXN, like the demo tenant).
 */
import type { WireRecord } from "./types";

/** The loan product of generated loans (when the tenant has no loan product). */
export function generatedLoanProduct(encodedKey: string, now: string): WireRecord {
  return {
    encodedKey,
    id: "GEN-LOAN",
    name: "Generated loan product",
    type: "FIXED_TERM_LOAN",
    state: "ACTIVE",
    category: "PERSONAL_LENDING",
    creditArrangementSettings: { creditArrangementRequirement: "NOT_REQUIRED" },
    currency: { code: "MXN" },
    loanAmountSettings: { loanAmount: { minValue: 100, maxValue: 1_000_000, defaultValue: 1000 } },
    interestSettings: {
      interestCalculationMethod: "FLAT",
      daysInYear: "ACTUAL_365_FIXED",
      scheduleInterestDaysCountMethod: "REPAYMENT_PERIODICITY",
      interestApplicationMethod: "AFTER_DISBURSEMENT",
      indexRateSettings: { interestRate: { defaultValue: 24, minValue: 0, maxValue: 60 }, interestChargeFrequency: "ANNUALIZED" },
    },
    scheduleSettings: {
      repaymentPeriodUnit: "MONTHS",
      defaultRepaymentPeriodCount: 1,
      numInstallments: { minValue: 1, maxValue: 60, defaultValue: 12 },
      repaymentScheduleMethod: "FIXED",
      scheduleDueDatesMethod: "INTERVAL",
      repaymentReschedulingMethod: "NONE",
    },
    gracePeriodSettings: { gracePeriodType: "NONE", gracePeriod: { defaultValue: 0 } },
    feesSettings: { allowArbitraryFees: true, fees: [] },
    paymentSettings: {
      paymentMethod: "HORIZONTAL",
      latePaymentsRecalculationMethod: "OVERDUE_INSTALLMENTS_INCREASE",
      repaymentAllocationOrder: ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"],
    },
    arrearsSettings: { tolerancePeriod: { defaultValue: 0 } },
    newAccountSettings: { accountInitialState: "PENDING_APPROVAL", idGeneratorType: "INCREMENTAL_NUMBER", idPattern: "@@@###" },
    creationDate: now,
    lastModifiedDate: now,
  };
}

/** The deposit product of generated deposit accounts (when the tenant has no deposit product). */
export function generatedDepositProduct(encodedKey: string, now: string): WireRecord {
  return {
    encodedKey,
    id: "GEN-SAVINGS",
    name: "Generated savings product",
    type: "REGULAR_SAVINGS",
    state: "ACTIVE",
    category: "PERSONAL_DEPOSIT",
    accountingSettings: { accountingMethod: "NONE" },
    newAccountSettings: { idGeneratorType: "INCREMENTAL_NUMBER", idPattern: "@@@###" },
    currencySettings: { currencies: [{ code: "MXN" }] },
    interestSettings: {
      interestRateSettings: { interestRate: { defaultValue: 2, minValue: 0, maxValue: 5 }, interestChargeFrequency: "ANNUALIZED" },
      daysInYear: "ACTUAL_365_FIXED",
    },
    overdraftSettings: { allowOverdraft: false },
    feesSettings: { allowArbitraryFees: true, fees: [] },
    creationDate: now,
    lastModifiedDate: now,
  };
}
