/**
 * Shared plumbing of the loan operations: finding the loan, replaying it, writing the replay back onto the
 * loan record (balances, arrears) and its transactions (affected amounts, balances after), new transactions.
 */
import { fillLoanTransactionFields } from "./tenant-fields";
import { SandboxStore } from "../store";
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { addDays, daysBetween, parseDateTimeInput, startOfDay, localDate, compareInstant } from "./dates";
import { mambuError } from "../errors";
import { Ledger, LedgerOptions, indexLoanTransaction, liveLoanTransactions, replayLoan, TxEffect, byValueDate } from "./loan-ledger";
import { StoredSchedule, checkPlanOf, loanProductOf, planOf } from "./loan-schedule";
import { balancesWire, daysLate } from "./loan-view";
import { Dec, currencyDecimals, dec, num, round, sum, ZERO } from "./money";
import { LoanProductSettings, loanProductSettings, path } from "./products";
import { outstandingElements } from "./allocation";
import { postJournalEntries } from "./ledger-post";
import { booksNothingYet } from "./ledger-rules";
import { notifyTransaction } from "../platform/messages-notify";
import { sameJson } from "../same-json";

/** States in which a loan has been disbursed and is running. */
export const RUNNING = new Set(["ACTIVE", "ACTIVE_IN_ARREARS"]);

/** A loan by id or encodedKey, or 404 INVALID_LOAN_ACCOUNT_ID. */
export function requireLoan(ctx: EngineContext, idOrKey: string | undefined): WireRecord {
  const loan = idOrKey ? ctx.store.find("loans", idOrKey) : undefined;
  if (!loan) throw mambuError("INVALID_LOAN_ACCOUNT_ID", idOrKey ? `loan ${idOrKey} not found` : undefined);
  return loan;
}

/** Currency code and decimals of a loan. */
export function loanCurrency(loan: WireRecord): { code: string; dp: number } {
  const code = String(path(loan, "currency", "code") ?? "EUR");
  return { code, dp: currencyDecimals(code) };
}

/** Everything needed to replay a loan. */
export interface LoanFrame {
  loan: WireRecord;
  settings: LoanProductSettings;
  plan: StoredSchedule;
  opts: LedgerOptions;
  dp: number;
  currency: string;
}

/**
 * Builds the replay frame of a loan (product settings, plan, options). With `lazyPlan` (a disbursement, which
 * computes the plan it keeps from its own value date), a preview plan is checked as {@link planOf} checks it but
 * only computed if the frame's `plan` is read.
 */
export function frameOf(ctx: EngineContext, loan: WireRecord, lazyPlan = false): LoanFrame {
  const settings = loanProductSettings(loanProductOf(ctx, loan.productTypeKey));
  const is = (loan.interestSettings ?? {}) as Record<string, unknown>;
  const method = is.interestApplicationMethod;
  const { code, dp } = loanCurrency(loan);
  let plan: StoredSchedule | undefined;
  if (lazyPlan) checkPlanOf(ctx, loan);
  else plan = planOf(ctx, loan);
  return {
    loan,
    settings,
    get plan(): StoredSchedule {
      plan ??= planOf(ctx, loan);
      return plan;
    },
    opts: {
      order: settings.allocationOrder,
      method: loan.paymentMethod === "VERTICAL" ? "VERTICAL" : loan.paymentMethod === "HORIZONTAL" ? "HORIZONTAL" : settings.paymentMethod,
      interestApplicationMethod:
        method === "AFTER_DISBURSEMENT" || method === "REPAYMENT_DUE_DATE" ? method : settings.interestApplicationMethod,
      offset: ctx.clock.offset,
    },
    dp,
    currency: code,
  };
}

/** Replays a loan's live transactions, plus `extra` ones not stored yet, minus `exclude`d keys. */
export function replay(ctx: EngineContext, frame: LoanFrame, extra: WireRecord[] = [], exclude: Set<string> = new Set()): Ledger {
  const txs = liveLoanTransactions(ctx, frame.loan.encodedKey).filter((t) => !exclude.has(t.encodedKey));
  return replayLoan(frame.plan, [...txs, ...extra].sort(byValueDate), frame.opts);
}

/** Transaction types that move the redraw balance. */
const REDRAW_TYPES = new Set(["PAYMENT_MADE", "WITHDRAWAL_REDRAW", "REDRAW_REPAYMENT"]);

/** A transaction record with the effect of the replay written in (affectedAmounts, accountBalances). */
export function withEffect(tx: WireRecord, eff: TxEffect, dp: number): WireRecord {
  const next: WireRecord = {
    ...tx,
    affectedAmounts: {
      principalAmount: num(eff.affected.principal, dp),
      interestAmount: num(eff.affected.interest, dp),
      feesAmount: num(eff.affected.fee.plus(upfrontFees(tx)), dp),
      penaltyAmount: num(eff.affected.penalty, dp),
      deferredInterestAmount: 0,
      // set by funding-payouts.ts on a funded loan's repayments; kept through replays
      fundersInterestAmount: kept(tx, "fundersInterestAmount"),
      organizationCommissionAmount: kept(tx, "organizationCommissionAmount"),
      paymentHolidaysInterestAmount: 0,
      interestFromArrearsAmount: 0,
    },
    accountBalances: { totalBalance: num(eff.totalBalance, dp), principalBalance: num(eff.principalBalance, dp) },
  };
  if (!eff.redraw.isZero() || REDRAW_TYPES.has(String(tx.type))) {
    next.accountBalances = { ...(next.accountBalances as object), redrawBalance: num(eff.redraw, dp), expectedPrincipalRedraw: num(eff.principalBalance.minus(eff.redraw), dp) };
  }
  if (eff.installmentKey) next.installmentEncodedKey = eff.installmentKey;
  return next;
}

function kept(tx: WireRecord, field: string): number {
  const v = (tx.affectedAmounts as Record<string, unknown> | undefined)?.[field];
  return typeof v === "number" ? v : 0;
}

function upfrontFees(tx: WireRecord): Dec {
  if (tx.type !== "DISBURSEMENT" || !Array.isArray(tx.fees)) return ZERO;
  return sum(tx.fees.filter((f: { trigger?: string }) => f.trigger === "UPFRONT_DISBURSEMENT").map((f: { amount?: number }) => dec(f.amount)));
}

/**
 * Per stored transaction record (records are replaced, never changed in place), the effect it was last found
 * or written in sync with, and in which decimals: a replay giving the same amounts has nothing to write.
 */
const inSync = new WeakMap<WireRecord, { eff: TxEffect; dp: number }>();

/** Whether two effects write the same fields ({@link withEffect} depends on their values only). */
function sameEffect(a: TxEffect, b: TxEffect): boolean {
  return (
    a.installmentKey === b.installmentKey &&
    a.affected.principal.eq(b.affected.principal) &&
    a.affected.interest.eq(b.affected.interest) &&
    a.affected.fee.eq(b.affected.fee) &&
    a.affected.penalty.eq(b.affected.penalty) &&
    a.totalBalance.eq(b.totalBalance) &&
    a.principalBalance.eq(b.principalBalance) &&
    a.redraw.eq(b.redraw)
  );
}

/** Writes a transaction's replayed effect back when it changes the stored record. */
function syncTransaction(ctx: EngineContext, key: string, eff: TxEffect, dp: number, loan: WireRecord): void {
  const tx = ctx.store.find("loanTransactions", key);
  if (!tx) return;
  const known = inSync.get(tx);
  if (known && known.dp === dp && sameEffect(known.eff, eff)) return;
  const next = withEffect(tx, eff, dp);
  if (sameJson(next, tx)) {
    inSync.set(tx, { eff, dp });
    return;
  }
  const stored = ctx.store.replace("loanTransactions", next);
  inSync.set(stored, { eff, dp });
  postJournalEntries(ctx, stored, loan, "LOAN");
}

/** Interest accrued in the running period (REPAYMENT_DUE_DATE interest), pro rata of days elapsed. */
function accruedInterest(frame: LoanFrame, ledger: Ledger, today: string, disbursedOn: string | undefined) {
  if (frame.opts.interestApplicationMethod !== "REPAYMENT_DUE_DATE" || !ledger.disbursed || ledger.writtenOff) return 0;
  const idx = ledger.installments.findIndex((i) => i.dueDate > today);
  if (idx < 0) return 0;
  const inst = ledger.installments[idx];
  const from = idx === 0 ? disbursedOn : ledger.installments[idx - 1].dueDate;
  if (!from) return 0;
  const period = daysBetween(from, inst.dueDate);
  const elapsed = Math.max(0, daysBetween(from, today));
  if (period <= 0) return 0;
  return num(round(outstandingElements(inst).interest.times(Math.min(elapsed, period)).dividedBy(period), frame.dp), frame.dp);
}

const synced = new WeakMap<SandboxStore, Map<string, string>>();

/**
 * The day a loan was last synced (see {@link syncLoan}); with `key` undefined, forgets the store's memo.
 */
export function syncedOn(store: SandboxStore, key: string | undefined): string | undefined {
  if (key === undefined) {
    synced.delete(store);
    return undefined;
  }
  return synced.get(store)?.get(key);
}

/**
 * Writes a replay back: transactions' effects, the loan's balances, days late and (for running loans)
 * ACTIVE ↔ ACTIVE_IN_ARREARS. Returns the stored loan. `loan` is the record to write them onto; `stored`, the
 * record the store holds now when that is not `loan` (a {@link touched} loan is then stored with the replay in one
 * write).
 */
export function syncLoan(ctx: EngineContext, frame: LoanFrame, ledger: Ledger, loan: WireRecord = frame.loan, stored: WireRecord = loan): WireRecord {
  const today = ctx.clock.today();
  if (!synced.has(ctx.store)) synced.set(ctx.store, new Map());
  synced.get(ctx.store)?.set(loan.encodedKey, today);
  for (const [key, eff] of ledger.effects) syncTransaction(ctx, key, eff, frame.dp, loan);
  const next: WireRecord = { ...loan };
  next.balances = { ...((loan.balances as object) ?? {}), ...balancesWire(ledger, today, frame.opts.interestApplicationMethod, frame.dp), redrawBalance: num(ledger.redraw, frame.dp) };
  if (next.accountSubState === "TERMINATED" && !ledger.terminatedOn) {
    // the termination was adjusted: the account runs on its schedule again
    delete next.accountSubState;
    delete next.terminationDate;
  }
  const disbursedOn = typeof path(loan, "disbursementDetails", "disbursementDate") === "string"
    ? localDate(String(path(loan, "disbursementDetails", "disbursementDate")), ctx.clock.offset)
    : undefined;
  next.accruedInterest = accruedInterest(frame, ledger, today, disbursedOn);
  if (RUNNING.has(String(loan.accountState))) {
    const late = daysLate(ledger, today);
    const tolerance = typeof loan.arrearsTolerancePeriod === "number" ? loan.arrearsTolerancePeriod : frame.settings.tolerancePeriod;
    const inArrears = late.days > tolerance;
    next.daysLate = late.days;
    next.daysInArrears = inArrears ? late.days : 0;
    const state = inArrears ? "ACTIVE_IN_ARREARS" : "ACTIVE";
    if (state !== loan.accountState) {
      next.accountState = state;
      next.lastModifiedDate = ctx.clock.nowIso();
      next.lastAccountAppraisalDate = next.lastModifiedDate;
      if (inArrears && late.since) next.lastSetToArrearsDate = startOfDay(addDays(late.since, tolerance + 1), ctx.clock.offset);
    }
  } else {
    next.daysLate = 0;
    next.daysInArrears = 0;
  }
  if (sameJson(next, stored)) return stored;
  if (stored !== loan && sameJson(next, loan)) return ctx.store.replace("loans", loan);
  return ctx.store.replace("loans", next);
}

/** Validates a transaction's valueDate (default: now); not in the future, not before the disbursement. */
export function transactionDate(ctx: EngineContext, loan: WireRecord, value: unknown, field = "valueDate", future: "REPAYMENT_DATE_IN_THE_FUTURE_ERROR" | "INVALID_DISBURSEMENT_DATE" = "REPAYMENT_DATE_IN_THE_FUTURE_ERROR"): string {
  const now = ctx.clock.nowIso();
  const v = parseDateTimeInput(value, ctx.clock.offset, field) ?? now;
  if (compareInstant(v, now) > 0) throw mambuError(future, `${field} ${v} is in the future`);
  const disbursed = path(loan, "disbursementDetails", "disbursementDate");
  if (typeof disbursed === "string" && localDate(v, ctx.clock.offset) < localDate(disbursed, ctx.clock.offset)) {
    throw mambuError("INVALID_DATE", `${field} ${v} is before the disbursement date ${disbursed}`);
  }
  return v;
}

/**
 * A new loan transaction record, not stored yet and without an id (it sorts after stored ones of the same
 * value date); {@link commitTransaction} numbers and stores it.
 */
export function newLoanTransaction(ctx: EngineContext, loan: WireRecord, type: string, amount: number, valueDate: string, body: Record<string, unknown> = {}): WireRecord {
  const now = ctx.clock.nowIso();
  const tx: WireRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    type,
    amount,
    valueDate,
    creationDate: now,
    bookingDate: parseDateTimeInput(body.bookingDate, ctx.clock.offset, "bookingDate") ?? valueDate,
    parentAccountKey: loan.encodedKey,
    currency: { code: loanCurrency(loan).code },
  };
  if (typeof loan.assignedBranchKey === "string") tx.branchKey = loan.assignedBranchKey;
  if (typeof loan.assignedCentreKey === "string") tx.centreKey = loan.assignedCentreKey;
  if (typeof loan.assignedUserKey === "string") tx.userKey = loan.assignedUserKey;
  if (typeof body.notes === "string") tx.notes = body.notes;
  if (typeof body.externalId === "string") tx.externalId = body.externalId;
  if (body.transactionDetails && typeof body.transactionDetails === "object") tx.transactionDetails = { ...(body.transactionDetails as object) };
  fillLoanTransactionFields(tx, loan);
  return tx;
}

/** Gives a new transaction its sequential id and stores it (returns the stored record). */
export function commitTransaction(ctx: EngineContext, tx: WireRecord): WireRecord {
  const { encodedKey, ...rest } = tx;
  const stored = ctx.store.insert("loanTransactions", { encodedKey, id: ctx.store.nextId("loanTransactions", 0), ...rest });
  indexLoanTransaction(ctx.store, stored);
  const loan = ctx.store.find("loans", String(stored.parentAccountKey));
  // a new transaction has no entries: one that books nothing yet would find nothing to post (its sync posts them)
  if (loan && !booksNothingYet(stored)) postJournalEntries(ctx, stored, loan, "LOAN");
  notifyTransaction(ctx, stored, "LOAN"); // communication messages of the tenant's notification templates
  return stored;
}

/** The stored version of a transaction after a sync (its effects filled in). */
export function reload(ctx: EngineContext, tx: WireRecord): WireRecord {
  return ctx.store.find("loanTransactions", tx.encodedKey) ?? tx;
}

/** Marks the loan modified now (returns the stored record). */
export function touch(ctx: EngineContext, loan: WireRecord, fields: Record<string, unknown> = {}): WireRecord {
  return ctx.store.replace("loans", touched(ctx, loan, fields));
}

/** The loan marked modified now, with `fields` set (undefined ones removed), not stored. */
export function touched(ctx: EngineContext, loan: WireRecord, fields: Record<string, unknown> = {}): WireRecord {
  const now = ctx.clock.nowIso();
  const next: WireRecord = { ...loan, ...fields, lastModifiedDate: now, lastAccountAppraisalDate: now };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete next[k];
  return next;
}
