/**
 * `prepareCreate`: what Mambu derives when a loan or deposit account is created (`POST /loans`,
 * `POST /deposits`), after the server checked the body against the contract. Validates the references
 * (product, account holder), fills ids, keys, dates, state, currency, product defaults and zero balances.
 * The server inserts the returned record.
 */
import { fillLoanAccountFields, loanPenaltySettings } from "./tenant-fields";
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { checkNewAccountLinks } from "./credit-arrangements";
import { localDate, parseDateTimeInput } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { loanProductOf } from "./loan-schedule";
import { dec, num, currencyDecimals } from "./money";
import { depositProductSettings, loanProductSettings, path } from "./products";
import { indexedLoanRate } from "../reference/index-rates";

const CLOSED_HOLDER_STATES = new Set(["EXITED", "REJECTED", "BLACKLISTED"]);

/** The account holder of a body (CLIENT → clients, GROUP → groups), or 400 INVALID_CLIENT_ID / INVALID_GROUP_ID. */
function holderOf(ctx: EngineContext, body: Record<string, unknown>): WireRecord {
  const type = body.accountHolderType;
  const key = body.accountHolderKey;
  if (type !== "CLIENT" && type !== "GROUP") throw invalidParameters("accountHolderType must be CLIENT or GROUP");
  if (typeof key !== "string" || key === "") throw invalidParameters("accountHolderKey is required");
  const holder = ctx.store.find(type === "CLIENT" ? "clients" : "groups", key);
  if (!holder) throw mambuError(type === "CLIENT" ? "INVALID_CLIENT_ID" : "INVALID_GROUP_ID", `accountHolderKey ${key}`, 400);
  const st = type === "CLIENT" ? holder.state : holder.groupState ?? holder.state;
  if (typeof st === "string" && CLOSED_HOLDER_STATES.has(st)) throw mambuError("INVALID_CLIENT_STATE", `account holder is ${st}`);
  return holder;
}

function zeroed(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, 0]));
}

const LOAN_BALANCES = [
  "principalDue", "principalPaid", "principalBalance", "interestDue", "interestPaid", "interestBalance",
  "feesDue", "feesPaid", "feesBalance", "penaltyDue", "penaltyPaid", "penaltyBalance", "holdBalance", "redrawBalance",
  "interestFromArrearsDue", "interestFromArrearsPaid", "interestFromArrearsBalance",
];
const DEPOSIT_BALANCES = [
  "totalBalance", "availableBalance", "overdraftAmount", "technicalOverdraftAmount", "lockedBalance", "holdBalance",
  "blockedBalance", "feesDue", "overdraftInterestDue", "technicalOverdraftInterestDue", "forwardAvailableBalance",
];

function common(ctx: EngineContext, coll: "loans" | "deposits", body: Record<string, unknown>, holder: WireRecord): WireRecord {
  const now = ctx.clock.nowIso();
  let id = body.id;
  if (id !== undefined && (typeof id !== "string" || id.trim() === "")) throw invalidParameters("id must be a non-empty string");
  if (typeof id === "string" && ctx.store.find(coll, id)) throw mambuError("ACCOUNT_ID_ALREADY_IN_USE", `id ${id} is already in use`);
  if (id === undefined) id = ctx.store.nextId(coll);
  const rec: WireRecord = { ...body, encodedKey: ctx.store.newEncodedKey(), id: id as string, creationDate: now, lastModifiedDate: now, lastAccountAppraisalDate: now };
  rec.accountHolderKey = holder.encodedKey;
  for (const f of ["assignedBranchKey", "assignedCentreKey", "assignedUserKey"]) {
    if (rec[f] === undefined && typeof holder[f] === "string") rec[f] = holder[f];
  }
  return rec;
}

function prepareLoan(ctx: EngineContext, body: Record<string, unknown>): WireRecord {
  const product = loanProductOf(ctx, body.productTypeKey);
  const s = loanProductSettings(product);
  if (!s.active) throw mambuError("INVALID_PRODUCT_STATE", `product ${s.id ?? s.key} is INACTIVE`);
  const holder = holderOf(ctx, body);
  const dp = currencyDecimals(s.currency);
  let amount;
  try {
    amount = dec(body.loanAmount);
  } catch {
    throw mambuError("INVALID_AMOUNT", "loanAmount must be a number");
  }
  if (!amount.greaterThan(0)) throw mambuError("INVALID_AMOUNT", "loanAmount must be positive");
  if ((s.loanAmount?.min && amount.lessThan(s.loanAmount.min)) || (s.loanAmount?.max && amount.greaterThan(s.loanAmount.max))) {
    throw mambuError("INVALID_AMOUNT", `loanAmount must be between ${s.loanAmount?.min?.toString() ?? "-"} and ${s.loanAmount?.max?.toString() ?? "-"}`);
  }
  const is = { ...((body.interestSettings as Record<string, unknown>) ?? {}) };
  // a product whose rate follows an index rate source: the source's rate in force plus the spread
  const indexed = indexedLoanRate(ctx, product, is, ctx.clock.nowIso());
  if (indexed) Object.assign(is, indexed);
  if (is.interestRate === undefined || is.interestRate === null) {
    if (s.interestRate?.default === undefined) throw mambuError("INVALID_INTEREST_RATE", "interestSettings.interestRate is required by the product");
    is.interestRate = s.interestRate.default.toNumber();
  }
  const rate = dec(is.interestRate);
  if (!indexed && ((s.interestRate?.min && rate.lessThan(s.interestRate.min)) || (s.interestRate?.max && rate.greaterThan(s.interestRate.max)) || rate.isNegative())) {
    throw mambuError("INVALID_INTEREST_RATE", `interest rate ${rate.toString()} outside the product's range`);
  }
  is.interestCalculationMethod ??= s.interestMethod;
  is.interestChargeFrequency ??= s.interestChargeFrequency;
  is.interestApplicationMethod ??= s.interestApplicationMethod;
  is.interestType ??= "SIMPLE_INTEREST";
  is.interestRateSource ??= "FIXED_INTEREST_RATE";
  is.interestBalanceCalculationMethod ??= "ONLY_PRINCIPAL";
  is.accrueInterestAfterMaturity ??= false;

  const ss = { ...((body.scheduleSettings as Record<string, unknown>) ?? {}) };
  ss.repaymentInstallments ??= s.installments?.default;
  const n = ss.repaymentInstallments;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw mambuError("INVALID_INSTALLMENTS", "scheduleSettings.repaymentInstallments is required");
  if ((s.installments?.min !== undefined && n < s.installments.min) || (s.installments?.max !== undefined && n > s.installments.max)) {
    throw mambuError("INVALID_INSTALLMENTS", `repaymentInstallments must be between ${s.installments?.min ?? "-"} and ${s.installments?.max ?? "-"}`);
  }
  ss.repaymentPeriodUnit ??= s.periodUnit;
  ss.repaymentPeriodCount ??= s.periodCount;
  ss.gracePeriod ??= s.gracePeriod;
  ss.gracePeriodType ??= s.gracePeriodType;
  ss.repaymentScheduleMethod ??= "FIXED";
  ss.scheduleDueDatesMethod ??= "INTERVAL";
  ss.principalRepaymentInterval ??= 1;
  ss.hasCustomSchedule = false;

  const dd = { ...((body.disbursementDetails as Record<string, unknown>) ?? {}) };
  const off = ctx.clock.offset;
  const expected = parseDateTimeInput(dd.expectedDisbursementDate, off, "disbursementDetails.expectedDisbursementDate");
  const first = parseDateTimeInput(dd.firstRepaymentDate, off, "disbursementDetails.firstRepaymentDate");
  if (expected) dd.expectedDisbursementDate = expected;
  if (first) dd.firstRepaymentDate = first;
  if (expected && first && localDate(first, off) <= localDate(expected, off)) {
    throw mambuError("FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE", "firstRepaymentDate must be after expectedDisbursementDate");
  }
  dd.encodedKey = ctx.store.newEncodedKey();
  delete dd.disbursementDate;

  const rec = common(ctx, "loans", body, holder);
  const requested = body.accountState;
  rec.accountState = requested === "PARTIAL_APPLICATION" || requested === "PENDING_APPROVAL" ? requested : s.initialState;
  delete rec.accountSubState;
  delete rec.approvedDate;
  delete rec.closedDate;
  rec.productTypeKey = product.encodedKey;
  rec.loanName ??= s.name ?? "Loan";
  rec.loanAmount = num(amount, dp);
  rec.currency = { code: s.currency };
  rec.interestSettings = is;
  rec.scheduleSettings = ss;
  rec.disbursementDetails = dd;
  rec.paymentMethod ??= s.paymentMethod;
  rec.arrearsTolerancePeriod ??= s.tolerancePeriod;
  rec.penaltySettings = loanPenaltySettings(body.penaltySettings, s.penalty);
  rec.balances = zeroed(LOAN_BALANCES);
  rec.accruedInterest = 0;
  rec.accruedPenalty = 0;
  rec.daysInArrears = 0;
  rec.daysLate = 0;
  rec.interestFromArrearsAccrued = 0;
  fillLoanAccountFields(rec, product);
  return rec;
}

function prepareDeposit(ctx: EngineContext, body: Record<string, unknown>): WireRecord {
  const key = body.productTypeKey;
  const product = typeof key === "string" ? ctx.store.find("depositproducts", key) : undefined;
  if (!product) throw mambuError("INVALID_PRODUCT_KEY", `productTypeKey ${String(key)} is not a deposit product`);
  const s = depositProductSettings(product);
  if (!s.active) throw mambuError("INVALID_PRODUCT_STATE", `product ${s.id ?? s.key} is INACTIVE`);
  const holder = holderOf(ctx, body);
  const rec = common(ctx, "deposits", body, holder);
  rec.productTypeKey = product.encodedKey;
  rec.accountState = "PENDING_APPROVAL";
  for (const f of ["approvedDate", "activationDate", "closedDate", "lockedDate", "maturityDate", "lastInterestCalculationDate", "lastInterestStoredDate"]) delete rec[f];
  rec.accountType ??= s.type ?? "CURRENT_ACCOUNT";
  rec.currencyCode ??= s.currency;
  rec.name ??= s.name ?? "Deposit account";
  const od = { ...((body.overdraftSettings as Record<string, unknown>) ?? {}) };
  if (od.allowOverdraft === true && !s.allowOverdraft) throw mambuError("PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED", "the product does not allow overdrafts");
  od.allowOverdraft ??= false;
  od.overdraftLimit ??= 0;
  if (s.maxOverdraftLimit && dec(od.overdraftLimit).greaterThan(s.maxOverdraftLimit)) {
    throw mambuError("MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED", `overdraftLimit above the product's maximum ${s.maxOverdraftLimit.toString()}`);
  }
  rec.overdraftSettings = od;
  const is = { ...((body.interestSettings as Record<string, unknown>) ?? {}) };
  const rs = { ...((is.interestRateSettings as Record<string, unknown>) ?? {}) };
  if (rs.interestRate === undefined && s.interestRate !== undefined) rs.interestRate = s.interestRate.toNumber();
  rs.interestChargeFrequency ??= s.interestChargeFrequency;
  rs.interestRateTerms ??= "FIXED";
  is.interestRateSettings = rs;
  const ps = path(product, "interestSettings", "interestPaymentSettings");
  if (is.interestPaymentSettings === undefined && ps !== undefined) is.interestPaymentSettings = ps;
  rec.interestSettings = is;
  rec.balances = zeroed(DEPOSIT_BALANCES);
  rec.accruedAmounts = zeroed(["interestAccrued", "overdraftInterestAccrued", "technicalOverdraftInterestAccrued", "negativeInterestAccrued"]);
  return rec;
}

/**
 * Validates a `POST /loans` or `POST /deposits` body and returns the record to insert (Mambu's derived fields
 * filled in). Throws SandboxError (400) for unknown products or holders and values outside the product's rules.
 */
export function prepareCreate(ctx: EngineContext, coll: "loans" | "deposits", body: any): WireRecord { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("a JSON object body is required");
  return checkNewAccountLinks(ctx, coll, coll === "loans" ? prepareLoan(ctx, body as Record<string, unknown>) : prepareDeposit(ctx, body as Record<string, unknown>));
}
