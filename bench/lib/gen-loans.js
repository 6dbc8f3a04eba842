"use strict";
/**
 * Deterministic generator of loan accounts as Mambu's API v2 returns them with detailsLevel=FULL:
 * nested settings, balances, date-times with the tenant's offset, amounts written with trailing
 * zeros (`1500.00`, so that mambu-ts's exact-number path is exercised), a standard custom field
 * set (`_Standard`) and a grouped one (`_Grouped`, 1–3 rows).
 *
 * `loanPages(n, pageSize)` gives the JSON text of each page (what one `GET /loans` answers);
 * the same seed always gives the same bytes.
 */

/** Custom field definitions of the generated sets (what `registerCustomFieldTypes` is told). */
const CUSTOM_FIELD_TYPES = {
  purpose: "FREE_TEXT",
  sector: "SELECTION",
  riskScore: "NUMBER",
  approvedLimit: "NUMBER",
  reviewDate: "DATE",
  verified: "CHECKBOX",
  guarantorName: "FREE_TEXT",
  guarantorIncome: "NUMBER",
  relationship: "SELECTION",
};

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = ["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE_IN_ARREARS", "CLOSED", "APPROVED", "PENDING_APPROVAL"];
const PURPOSES = ["Tienda de abarrotes", "Taller mecánico", "Panadería", "Papelería", "Costura", "Tortillería"];
const SECTORS = ["RETAIL", "SERVICES", "MANUFACTURING", "AGRICULTURE"];
const NAMES = ["JOSEFA GARCIA", "MARIA LOPEZ", "JUAN PEREZ", "ANA TORRES", "LUIS DIAZ", "ROSA CRUZ", "PEDRO REYES"];
const RELATIONS = ["SPOUSE", "SIBLING", "PARENT", "NEIGHBOUR"];

/** Money as Mambu writes it in these fixtures: always two decimals (`1500.00`, `0.00`). */
const money = (x) => (Math.round(x * 100) / 100).toFixed(2);

function loanJson(i, rand) {
  const hex = () => {
    let s = "";
    for (let k = 0; k < 4; k++) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, "0");
    return s;
  };
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const day = (base, plus) => {
    const d = new Date(Date.UTC(2024, 0, 1) + (base + plus) * 86400000);
    return d.toISOString().slice(0, 10);
  };
  const dt = (base, plus, time = "10:15:30") => `${day(base, plus)}T${time}+02:00`;
  const start = Math.floor(rand() * 600);
  const amount = 1000 + Math.floor(rand() * 490) * 100;
  const paid = Math.floor(rand() * amount * 0.6 * 100) / 100;
  const rate = [24, 36, 48, 60.5, 18.75][Math.floor(rand() * 5)];
  const interestPaid = Math.round(paid * rate) / 100;
  const state = pick(STATES);
  const rows = 1 + Math.floor(rand() * 3);
  const grouped = [];
  for (let r = 0; r < rows; r++) {
    grouped.push(
      `{"guarantorName":"${pick(NAMES)}","guarantorIncome":"${money(3000 + rand() * 20000)}","relationship":"${pick(RELATIONS)}"}`,
    );
  }
  // Written as text (not JSON.stringify) so that amounts keep their trailing zeros, as Mambu sends them.
  return (
    `{"encodedKey":"${hex()}","id":"${String(100000 + i)}","accountHolderKey":"${hex()}","accountHolderType":"CLIENT",` +
    `"creationDate":"${dt(start, 0)}","lastModifiedDate":"${dt(start, 40, "23:01:02")}","approvedDate":"${dt(start, 1)}",` +
    `"accountState":"${state}","productTypeKey":"${hex()}","loanName":"Crédito Productivo ${i % 7}",` +
    `"loanAmount":${money(amount)},"paymentMethod":"HORIZONTAL","assignedBranchKey":"${hex()}","assignedCentreKey":"${hex()}",` +
    `"assignedUserKey":"${hex()}","lockedOperations":[],"accountArrearsSettings":{"encodedKey":"${hex()}",` +
    `"toleranceCalculationMethod":"ARREARS_TOLERANCE_PERIOD","dateCalculationMethod":"ACCOUNT_FIRST_WENT_TO_ARREARS",` +
    `"nonWorkingDaysMethod":"EXCLUDED","toleranceFloorAmount":0.00,"tolerancePeriod":3,"tolerancePercentageOfOutstandingPrincipal":0.00},` +
    `"interestSettings":{"interestRateSource":"FIXED_INTEREST_RATE","accrueInterestAfterMaturity":false,` +
    `"interestApplicationMethod":"REPAYMENT_DUE_DATE","interestBalanceCalculationMethod":"ONLY_PRINCIPAL",` +
    `"interestCalculationMethod":"DECLINING_BALANCE","interestChargeFrequency":"ANNUALIZED","interestRate":${rate.toFixed(2)},` +
    `"interestType":"SIMPLE_INTEREST","accrueLateInterest":true},` +
    `"scheduleSettings":{"hasCustomSchedule":false,"principalRepaymentInterval":1,"gracePeriod":0,"gracePeriodType":"NONE",` +
    `"repaymentInstallments":${6 + Math.floor(rand() * 18)},"repaymentPeriodCount":1,"periodicPayment":0.00,` +
    `"scheduleDueDatesMethod":"INTERVAL","repaymentPeriodUnit":"MONTHS","repaymentScheduleMethod":"FIXED",` +
    `"shortMonthHandlingMethod":"LAST_DAY_IN_MONTH"},` +
    `"disbursementDetails":{"encodedKey":"${hex()}","expectedDisbursementDate":"${dt(start, 3, "00:00:00")}",` +
    `"disbursementDate":"${dt(start, 3, "09:30:00")}","firstRepaymentDate":"${dt(start, 33, "00:00:00")}",` +
    `"transactionDetails":{"encodedKey":"${hex()}","internalTransfer":false,"targetDepositAccountKey":null},"fees":[]},` +
    `"balances":{"principalDue":${money(rand() * 500)},"principalPaid":${money(paid)},"principalBalance":${money(amount - paid)},` +
    `"interestDue":${money(rand() * 90)},"interestPaid":${money(interestPaid)},"interestBalance":${money(amount * 0.08)},` +
    `"interestFromArrearsBalance":0.00,"interestFromArrearsDue":0.00,"interestFromArrearsPaid":0.00,` +
    `"feesDue":0.00,"feesPaid":${money(rand() * 50)},"feesBalance":0.00,"penaltyDue":0.00,"penaltyPaid":0.00,` +
    `"penaltyBalance":0.00,"holdBalance":0.00,"redrawBalance":0.00},` +
    `"penaltySettings":{"loanPenaltyCalculationMethod":"NONE"},` +
    `"prepaymentSettings":{"prepaymentRecalculationMethod":"REDUCE_AMOUNT_PER_INSTALLMENT",` +
    `"elementsRecalculationMethod":"PRINCIPAL_EXPECTED_FIXED","applyInterestOnPrepaymentMethod":"AUTOMATIC",` +
    `"principalPaidInstallmentStatus":"PAID"},` +
    `"currency":{"code":"MXN"},"accruedInterest":${money(rand() * 40)},"accruedPenalty":0.00,` +
    `"interestFromArrearsAccrued":0.00,"daysInArrears":${state === "ACTIVE_IN_ARREARS" ? 1 + Math.floor(rand() * 60) : 0},` +
    `"daysLate":0,"arrearsTolerancePeriod":0,"futurePaymentsAcceptance":"NO_FUTURE_PAYMENTS",` +
    `"latePaymentsRecalculationMethod":"OVERDUE_INSTALLMENTS_INCREASE","allowOffset":false,` +
    `"lastInterestAppliedDate":"${dt(start, 33, "00:00:00")}","lastAccountAppraisalDate":"${dt(start, 40, "00:00:00")}",` +
    `"notes":"Generated loan ${i}; approved by committee",` +
    `"_Standard":{"purpose":"${pick(PURPOSES)}","sector":"${pick(SECTORS)}","riskScore":"${300 + Math.floor(rand() * 550)}",` +
    `"approvedLimit":"${money(amount * 1.5)}","reviewDate":"${day(start, 180)}","verified":"${rand() < 0.7 ? "TRUE" : "FALSE"}"},` +
    `"_Grouped":[${grouped.join(",")}]}`
  );
}

/**
 * The JSON text of `count` loans split in pages of `pageSize` records (deterministic for a seed).
 * @returns {{ pages: string[], bytes: number, count: number }}
 */
function loanPages(count, pageSize = 1000, seed = 20240101) {
  const rand = prng(seed);
  const pages = [];
  let bytes = 0;
  for (let off = 0; off < count; off += pageSize) {
    const n = Math.min(pageSize, count - off);
    const recs = new Array(n);
    for (let k = 0; k < n; k++) recs[k] = loanJson(off + k, rand);
    // Through a Buffer, as the connector gets it (`raw.toString("utf8")`): a flat string, not a
    // concatenation rope (V8 scans ropes that JSON.parse has seen very slowly).
    const buf = Buffer.from(`[${recs.join(",")}]`, "utf8");
    bytes += buf.length;
    pages.push(buf.toString("utf8"));
  }
  return { pages, bytes, count };
}

module.exports = { loanPages, loanJson, CUSTOM_FIELD_TYPES };
