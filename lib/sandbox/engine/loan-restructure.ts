/**
 * Reschedule and refinance (`POST /loans/{loanAccountId}:reschedule` with `RescheduleLoanAccountAction`,
 * `:refinance` with `RefinanceLoanAccountAction`, both answering the new `LoanAccount`) and their undo
 * (`:undoReschedule`, `:undoRefinance`, 204).
 *
 * A running loan is replaced by a new one, as in Mambu:
 * - on the original, the `writeOffAmounts` are written off (interest, fees, penalty: INTEREST_DUE_REDUCED,
 *   FEES_DUE_REDUCED, PENALTIES_DUE_REDUCED; principal, reschedule only: a WRITE_OFF after the transfer) and the
 *   rest of its balances (principal, applied interest, fees, penalties) leaves in a TRANSFER transaction linked to
 *   the new account's disbursement; interest not applied yet is not owed any more. The original becomes CLOSED with
 *   sub-state RESCHEDULED / REFINANCED and `rescheduledAccountKey`;
 * - the new account (same holder, branch, centre and officer; product, id, name, rate and schedule terms from the
 *   body's `loanAccount`, the original's terms where the body is silent and the product is the same) has as loan
 *   amount everything transferred (what was not written off is capitalised), plus `topUpAmount` for a refinance. It
 *   is disbursed at once (DISBURSEMENT, `activationTransactionKey`; a refinance's `expectedDisbursementDate`, when
 *   given, must be today — Mambu can leave the top-up for later, PARTIALLY_DISBURSED, the sandbox does not), ACTIVE,
 *   with its own schedule from `disbursementDetails.firstRepaymentDate`, and carries `originalAccountKey`.
 *
 * A loan holding a redraw balance is refused (INVALID_ACCOUNT_STATE): the sandbox does not move it.
 *
 * Undo (on the original or the new account) adjusts the original's restructure transactions (`*_ADJUSTMENT`), so
 * that its balances are exactly what they were, puts it back in its state, and removes the new account with its
 * transaction and schedule — refused (UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE) once the new account has
 * transactions beyond its disbursement.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { localDate, parseDateTimeInput, startOfDay } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { Element, totalOf, zeroElements } from "./allocation";
import { RUNNING, commitTransaction, frameOf, loanCurrency, newLoanTransaction, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { balancesAt, loanTransactions } from "./loan-ledger";
import { LOAN_ADJUSTMENT_TYPES } from "./loan-adjust";
import { dropSchedule, loanProductOf, loanScheduleTerms, saveSchedule, toStored } from "./loan-schedule";
import { Dec, ZERO, dec, num, round } from "./money";
import { loanProductSettings } from "./products";
import { computeSchedule } from "./schedule";
import { reschedulingOf } from "./working-days";
import { prepareCreate } from "./create";
import { reverseJournalEntries } from "./ledger-post";

/** The two restructures. */
export type RestructureKind = "RESCHEDULE" | "REFINANCE";

/** What the engine remembers of a restructure, to undo it (kept in `store.extra.loanRestructures`, plain JSON). */
interface RestructureRecord {
  kind: RestructureKind;
  originalKey: string;
  newKey: string;
  /** Keys of the transactions posted on the original, in order. */
  originalTxKeys: string[];
  /** Key of the new account's DISBURSEMENT. */
  disbursementKey: string;
  previousState: string;
  previousSubState?: string;
}

const SUB_STATE: Record<RestructureKind, string> = { RESCHEDULE: "RESCHEDULED", REFINANCE: "REFINANCED" };
const WAIVERS: Array<[Element, string]> = [["interest", "INTEREST_DUE_REDUCED"], ["fee", "FEES_DUE_REDUCED"], ["penalty", "PENALTIES_DUE_REDUCED"]];

function records(ctx: EngineContext): Map<string, RestructureRecord> {
  const extra = ctx.store.extra as { loanRestructures?: RestructureRecord[] };
  if (!Array.isArray(extra.loanRestructures)) extra.loanRestructures = [];
  return new Map(extra.loanRestructures.map((r) => [r.originalKey, r]));
}

function saveRecords(ctx: EngineContext, all: Map<string, RestructureRecord>): void {
  (ctx.store.extra as { loanRestructures?: RestructureRecord[] }).loanRestructures = [...all.values()];
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A non-negative amount of at most `dp` decimals (`negative` reason when below zero). */
function amountOrZero(v: unknown, dp: number, field: string, negative: "NEGATIVE_WRITE_OFF_AMOUNT" | "NEGATIVE_TOP_UP_AMOUNT"): Dec {
  if (v === undefined || v === null) return ZERO;
  let a: Dec;
  try {
    a = dec(v);
  } catch {
    throw mambuError("INVALID_AMOUNT", `invalid ${field}`);
  }
  if (!a.isFinite()) throw mambuError("INVALID_AMOUNT", `invalid ${field}`);
  if (a.isNegative()) throw mambuError(negative, `${field} must not be negative`);
  if (!round(a, dp).equals(a)) throw mambuError("INVALID_AMOUNT", `${field} has more than ${dp} decimals`);
  return a;
}

/** The `POST /loans` body of the new account: the body's `loanAccount` over the original's terms. */
function newAccountBody(ctx: EngineContext, original: WireRecord, la: Record<string, unknown>, amount: Dec, dp: number, now: string): Record<string, unknown> {
  const sameProduct = la.productTypeKey === original.productTypeKey || ctx.store.find("loanproducts", String(la.productTypeKey))?.encodedKey === original.productTypeKey;
  const ois = obj(original.interestSettings);
  const oss = obj(original.scheduleSettings);
  const is = obj(la.interestSettings);
  const ss = obj(la.scheduleSettings);
  const interestSettings: Record<string, unknown> = {};
  const rate = is.interestRate ?? (sameProduct ? ois.interestRate : undefined);
  if (rate !== undefined) interestSettings.interestRate = rate;
  if (is.interestSpread !== undefined) interestSettings.interestSpread = is.interestSpread;
  const scheduleSettings: Record<string, unknown> = {};
  for (const f of ["repaymentInstallments", "repaymentPeriodUnit", "repaymentPeriodCount", "gracePeriod", "gracePeriodType"]) {
    const v = ss[f] ?? (sameProduct ? oss[f] : undefined);
    if (v !== undefined) scheduleSettings[f] = v;
  }
  for (const f of ["periodicPayment", "fixedDaysOfMonth"]) if (ss[f] !== undefined) scheduleSettings[f] = ss[f];
  const body: Record<string, unknown> = {
    loanName: la.loanName ?? original.loanName,
    accountHolderKey: original.accountHolderKey,
    accountHolderType: original.accountHolderType,
    productTypeKey: la.productTypeKey,
    loanAmount: num(amount, dp),
    interestSettings,
    scheduleSettings,
    disbursementDetails: { expectedDisbursementDate: now, firstRepaymentDate: obj(la.disbursementDetails).firstRepaymentDate },
  };
  if (la.id !== undefined) body.id = la.id;
  for (const f of ["assignedBranchKey", "assignedCentreKey", "assignedUserKey"]) if (typeof original[f] === "string") body[f] = original[f];
  for (const f of ["notes", "guarantors", "accountArrearsSettings", "principalPaymentSettings", "interestCommission"]) if (la[f] !== undefined) body[f] = la[f];
  if (la.penaltySettings !== undefined) body.penaltySettings = { ...obj(original.penaltySettings), ...obj(la.penaltySettings) };
  return body;
}

/** Reschedules (or refinances) a running loan; returns the new account. */
export function restructureLoan(ctx: EngineContext, kind: RestructureKind, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const la = obj(body.loanAccount);
  if (body.loanAccount === undefined || la.productTypeKey === undefined) throw mambuError("RESTRUCTURE_DETAILS_ARE_MANDATORY", "loanAccount with productTypeKey is required");
  const first = obj(la.disbursementDetails).firstRepaymentDate;
  if (first === undefined) throw invalidParameters("loanAccount.disbursementDetails.firstRepaymentDate is required");
  const expected = parseDateTimeInput(obj(la.disbursementDetails).expectedDisbursementDate, ctx.clock.offset, "loanAccount.disbursementDetails.expectedDisbursementDate");
  if (expected !== undefined && localDate(expected, ctx.clock.offset) !== ctx.clock.today()) {
    throw mambuError("INVALID_DISBURSEMENT_DATE", "the new account is disbursed at once: expectedDisbursementDate must be today");
  }
  const frame = frameOf(ctx, loan);
  const { dp } = frame;
  if (kind === "REFINANCE" && frame.settings.type === "REVOLVING_CREDIT") throw mambuError("CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN");
  if (kind === "REFINANCE" && (body.topUpAmount === undefined || body.topUpAmount === null)) throw mambuError("TOP_UP_AMOUNT_IS_MANDATORY");
  const topUp = kind === "REFINANCE" ? amountOrZero(body.topUpAmount, dp, "topUpAmount", "NEGATIVE_TOP_UP_AMOUNT") : ZERO;

  const now = ctx.clock.nowIso();
  const today = ctx.clock.today();
  const ledger = replay(ctx, frame);
  if (ledger.redraw.greaterThan(0)) {
    throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} holds a redraw balance of ${ledger.redraw.toFixed(dp)}: withdraw it or repay with it first`);
  }
  const owed = balancesAt(ledger, today, frame.opts.interestApplicationMethod);
  const w = obj(body.writeOffAmounts);
  if (kind === "REFINANCE" && w.principal !== undefined) throw invalidParameters("a refinance cannot write principal off");
  const writeOff = zeroElements();
  for (const e of ["principal", "interest", "fee", "penalty"] as Element[]) {
    writeOff[e] = amountOrZero(w[e], dp, `writeOffAmounts.${e}`, "NEGATIVE_WRITE_OFF_AMOUNT");
    if (writeOff[e].greaterThan(owed[e])) {
      throw mambuError("WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT", `writeOffAmounts.${e} ${writeOff[e].toFixed(dp)} is more than the ${e} balance ${owed[e].toFixed(dp)}`);
    }
  }
  const carried = totalOf(owed).minus(totalOf(writeOff));
  const amount = carried.plus(topUp);
  if (!amount.greaterThan(0)) throw mambuError("INVALID_AMOUNT", "nothing is left for the new account");

  // the new account, validated as a POST /loans would be, and its schedule, before anything is stored
  const rec = prepareCreate(ctx, "loans", newAccountBody(ctx, loan, la, amount, dp, now));
  const product = loanProductOf(ctx, rec.productTypeKey);
  const settings = loanProductSettings(product);
  if (loanCurrency(rec).code !== frame.currency) throw mambuError("INVALID_PRODUCT_KEY", `the product's currency is not ${frame.currency}`);
  const firstIso = parseDateTimeInput(first, ctx.clock.offset, "loanAccount.disbursementDetails.firstRepaymentDate") as string;
  const plan = toStored(computeSchedule({ ...loanScheduleTerms(rec, settings, today, localDate(firstIso, ctx.clock.offset)), rescheduling: reschedulingOf(ctx, product) }), frame.currency, false, () => ctx.store.newEncodedKey());

  // the original: write-offs, transfer, principal write-off; closed
  const disbursement = newLoanTransaction(ctx, rec, "DISBURSEMENT", num(amount, dp), now, { notes: la.notes });
  disbursement.fees = [];
  const posted: string[] = [];
  for (const [e, type] of WAIVERS) {
    if (writeOff[e].greaterThan(0)) posted.push(commitTransaction(ctx, newLoanTransaction(ctx, loan, type, num(writeOff[e], dp), now, { notes: la.notes })).encodedKey);
  }
  if (carried.greaterThan(0)) {
    const transfer = newLoanTransaction(ctx, loan, "TRANSFER", num(carried, dp), now, { notes: la.notes });
    transfer.transferDetails = { linkedLoanTransactionKey: disbursement.encodedKey };
    posted.push(commitTransaction(ctx, transfer).encodedKey);
  }
  if (writeOff.principal.greaterThan(0)) {
    posted.push(commitTransaction(ctx, newLoanTransaction(ctx, loan, "WRITE_OFF", num(writeOff.principal, dp), now, { notes: la.notes })).encodedKey);
  }
  const closed = touch(ctx, loan, { accountState: "CLOSED", accountSubState: SUB_STATE[kind], closedDate: now, rescheduledAccountKey: rec.encodedKey });
  syncLoan(ctx, frame, replay(ctx, frame), closed);

  // the new account: stored, disbursed, ACTIVE
  const dd = obj(rec.disbursementDetails);
  ctx.store.insert("loans", {
    ...rec,
    accountState: "ACTIVE",
    approvedDate: now,
    originalAccountKey: loan.encodedKey,
    activationTransactionKey: disbursement.encodedKey,
    disbursementDetails: { ...dd, disbursementDate: now, firstRepaymentDate: startOfDay(plan.installments[0].dueDate, ctx.clock.offset) },
    scheduleSettings: { ...obj(rec.scheduleSettings), repaymentInstallments: plan.installments.length },
  });
  saveSchedule(ctx, rec.encodedKey, plan);
  commitTransaction(ctx, disbursement);
  const fresh = ctx.store.find("loans", rec.encodedKey) as WireRecord;
  const newFrame = frameOf(ctx, fresh);
  const stored = syncLoan(ctx, newFrame, replay(ctx, newFrame), fresh);

  const all = records(ctx);
  all.set(loan.encodedKey, {
    kind,
    originalKey: loan.encodedKey,
    newKey: rec.encodedKey,
    originalTxKeys: posted,
    disbursementKey: disbursement.encodedKey,
    previousState: String(loan.accountState),
    ...(typeof loan.accountSubState === "string" ? { previousSubState: loan.accountSubState } : {}),
  });
  saveRecords(ctx, all);
  return stored;
}

/** Undoes a reschedule (or refinance), named by the original or the new account (204). */
export function undoRestructure(ctx: EngineContext, kind: RestructureKind, loanId: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  const originalKey = typeof loan.rescheduledAccountKey === "string" ? loan.encodedKey : typeof loan.originalAccountKey === "string" ? loan.originalAccountKey : undefined;
  const all = records(ctx);
  const rec = originalKey !== undefined ? all.get(originalKey) : undefined;
  const original = rec ? ctx.store.find("loans", rec.originalKey) : undefined;
  if (!rec || !original || original.accountState !== "CLOSED" || original.accountSubState !== SUB_STATE[rec.kind]) {
    throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is not a ${kind === "RESCHEDULE" ? "rescheduled" : "refinanced"} loan`);
  }
  if (rec.kind !== kind) throw mambuError(rec.kind === "RESCHEDULE" ? "RESCHEDULED_LOAN" : "REFINANCED_LOAN", `loan ${String(original.id)} was ${SUB_STATE[rec.kind].toLowerCase()}`);
  const fresh = ctx.store.find("loans", rec.newKey);
  const newTxs = fresh ? loanTransactions(ctx, fresh.encodedKey) : [];
  if (newTxs.some((t) => t.encodedKey !== rec.disbursementKey)) {
    throw mambuError("UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE", "the new account has transactions after its disbursement");
  }

  // the original's restructure transactions are adjusted, last first; the replay restores its balances
  const frame = frameOf(ctx, original);
  const keys = new Set(rec.originalTxKeys);
  const without = replay(ctx, frame, [], keys);
  const after = balancesAt(without, ctx.clock.today(), frame.opts.interestApplicationMethod);
  for (const key of [...rec.originalTxKeys].reverse()) {
    const tx = ctx.store.find("loanTransactions", key);
    if (!tx || tx.adjustmentTransactionKey) continue;
    const type = tx.type === "TRANSFER" ? "TRANSFER_ADJUSTMENT" : LOAN_ADJUSTMENT_TYPES[String(tx.type)];
    const adj = newLoanTransaction(ctx, original, type, -Number(tx.amount ?? 0) || 0, String(tx.valueDate), { notes: body.notes });
    adj.originalTransactionKey = tx.encodedKey;
    const aa = obj(tx.affectedAmounts);
    adj.affectedAmounts = Object.fromEntries(Object.entries(aa).map(([k, v]) => [k, typeof v === "number" && v !== 0 ? -v : v]));
    adj.accountBalances = { totalBalance: num(totalOf(after), frame.dp), principalBalance: num(after.principal, frame.dp) };
    const stored = commitTransaction(ctx, adj);
    ctx.store.replace("loanTransactions", { ...tx, adjustmentTransactionKey: stored.encodedKey });
  }
  const reopened = touch(ctx, original, {
    accountState: rec.previousState,
    accountSubState: rec.previousSubState,
    closedDate: undefined,
    rescheduledAccountKey: undefined,
  });
  const frame2 = frameOf(ctx, reopened);
  syncLoan(ctx, frame2, replay(ctx, frame2), reopened);

  // the new account goes away with its disbursement and schedule
  if (fresh) {
    for (const t of newTxs) {
      reverseJournalEntries(ctx, t.encodedKey);
      ctx.store.remove("loanTransactions", t.encodedKey);
    }
    dropSchedule(ctx, fresh.encodedKey);
    ctx.store.remove("loans", fresh.encodedKey);
  }
  all.delete(rec.originalKey);
  saveRecords(ctx, all);
}
