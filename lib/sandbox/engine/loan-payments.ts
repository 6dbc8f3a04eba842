/**
 * Money into a loan: repayments (`POST /loans/{loanAccountId}/repayment-transactions`) and pay-off
 * (`POST /loans/{loanAccountId}:payOff`). A repayment is allocated by the ledger (fee → penalty → interest →
 * principal, installments oldest first, by default); it may be backdated (not before the disbursement, not in
 * the future) — the ledger replays later repayments after it. More than what is owed is refused
 * (`EXCESS_REPAYMENT_ERROR`); a loan with nothing left to pay is CLOSED / REPAID.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { Elements, totalOf } from "./allocation";
import { syncFunderPayouts } from "./funding-payouts";
import { LoanFrame, RUNNING, commitTransaction, frameOf, newLoanTransaction, reload, replay, requireLoan, syncLoan, touched, transactionDate } from "./loan-common";
import { Ledger, totalOutstanding } from "./loan-ledger";
import { Dec, ZERO, dec, min, num, round } from "./money";
import { withTransactionChannel } from "./transaction-channel";

/** A positive amount with at most the currency's decimals, or 400 INVALID_AMOUNT. */
export function loanAmountInput(v: unknown, dp: number, field = "amount"): Dec {
  let a: Dec;
  try {
    a = dec(v);
  } catch {
    throw mambuError("INVALID_AMOUNT", `invalid ${field} ${JSON.stringify(v)}`);
  }
  if (!a.isFinite() || !a.greaterThan(0)) throw mambuError("INVALID_AMOUNT", `${field} must be positive`);
  if (!round(a, dp).equals(a)) throw mambuError("INVALID_AMOUNT", `${field} has more than ${dp} decimals`);
  return a;
}

/** Refuses a replay in which some repayment could not be allocated entirely. */
export function checkNoExcess(ledger: Ledger, specificKey?: string, newKey?: string): void {
  for (const [key, eff] of ledger.effects) {
    if (!eff.left.greaterThan(0)) continue;
    if (specificKey && key === newKey) {
      throw mambuError("INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT", `the amount exceeds the installment's outstanding amount by ${eff.left.toString()}`);
    }
    throw mambuError("EXCESS_REPAYMENT_ERROR", `the repayment exceeds the total outstanding amount by ${eff.left.toString()}`);
  }
}

/**
 * Finishes a posting: marks the loan modified, closes it (CLOSED / REPAID) when the replay shows nothing owed,
 * and writes the replay back. `ledger` must be the replay of the loan's live transactions as now stored.
 */
export function settle(ctx: EngineContext, frame: LoanFrame, ledger: Ledger): WireRecord {
  const current = ctx.store.find("loans", frame.loan.encodedKey) ?? frame.loan;
  let next = touched(ctx, current);
  if (RUNNING.has(String(next.accountState)) && ledger.disbursed && !totalOf(totalOutstanding(ledger)).greaterThan(0)) {
    next = touched(ctx, next, { accountState: "CLOSED", accountSubState: "REPAID", closedDate: ctx.clock.nowIso() });
  }
  const stored = syncLoan(ctx, frame, ledger, next, current); // one write: the touched loan with the replay's balances
  syncFunderPayouts(ctx, stored.encodedKey); // investors' share of what was repaid (funding-payouts.ts)
  return stored;
}

/**
 * Posts a repayment; returns the REPAYMENT transaction. `fields` are extra transaction fields (transfers);
 * `internalTransfer` (a repayment paid from a deposit account) goes through no transaction channel, any other
 * through the channel it names or the tenant's default (transaction-channel.ts).
 */
export function repayLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined, fields: Record<string, unknown> = {}, internalTransfer = false): WireRecord {
  let body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) {
    throw mambuError("INVALID_ACCOUNT_STATE_FOR_REPAYMENTS", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  }
  const frame = frameOf(ctx, loan);
  const amount = loanAmountInput(body.amount, frame.dp);
  const valueDate = transactionDate(ctx, loan, body.valueDate);
  if (!internalTransfer) body = withTransactionChannel(ctx, body, { account: loan, kind: "LOAN", type: "REPAYMENT", amount });
  const tx = { ...newLoanTransaction(ctx, loan, "REPAYMENT", num(amount, frame.dp), valueDate, body), ...fields };
  const specific = body.installmentEncodedKey;
  if (specific !== undefined) {
    if (typeof specific !== "string" || !frame.plan.installments.some((i) => i.encodedKey === specific)) {
      throw mambuError("INVALID_INSTALLMENT_KEY", `installment ${String(specific)} is not an installment of loan ${String(loan.id)}`);
    }
    tx.installmentEncodedKey = specific;
  }
  const ledger = replay(ctx, frame, [tx]);
  checkNoExcess(ledger, typeof specific === "string" ? specific : undefined, tx.encodedKey);
  const stored = commitTransaction(ctx, tx);
  settle(ctx, frame, ledger);
  return reload(ctx, stored);
}

function adjustable(frame: LoanFrame, owed: Dec, value: unknown, reason: "PAY_OFF_INVALID_INTEREST_PAID" | "PAY_OFF_INVALID_FEES_PAID" | "PAY_OFF_INVALID_PENALTY_PAID"): Dec {
  if (value === undefined || value === null) return owed;
  let v: Dec;
  try {
    v = dec(value);
  } catch {
    throw mambuError(reason, `invalid amount ${JSON.stringify(value)}`);
  }
  if (v.isNegative() || v.greaterThan(owed) || !round(v, frame.dp).equals(v)) {
    throw mambuError(reason, `must be between 0 and the outstanding ${owed.toFixed(frame.dp)}`);
  }
  return v;
}

/** The part of a loan's redraw balance a pay-off uses first (at most what is owed). */
function redrawUsed(ledger: Ledger): Dec {
  return min(ledger.redraw, totalOf(totalOutstanding(ledger)));
}

/**
 * What a pay-off's REPAYMENT posts now, by element: everything owed on every installment, less what the redraw
 * balance pays first (a REDRAW_REPAYMENT, allocated as repayments are). The pay-off preview answers it.
 */
export function payOffAmounts(ctx: EngineContext, frame: LoanFrame): Elements {
  const ledger = replay(ctx, frame);
  const use = redrawUsed(ledger);
  if (!use.greaterThan(0)) return totalOutstanding(ledger);
  const probe: WireRecord = { encodedKey: "pay-off-probe", type: "REDRAW_REPAYMENT", amount: num(use, frame.dp), valueDate: ctx.clock.nowIso() };
  return totalOutstanding(replay(ctx, frame, [probe]));
}

/**
 * Pays a running loan off (`LoanAccountPayOffInput`): the redraw balance first (REDRAW_REPAYMENT), then one
 * REPAYMENT of everything still owed; when
 * `payOffAdjustableAmounts` asks to pay less interest/fees/penalty than owed, the rest is waived first
 * (INTEREST_DUE_REDUCED / FEES_DUE_REDUCED / PENALTIES_DUE_REDUCED). The loan ends CLOSED / REPAID.
 */
export function payOffLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const frame = frameOf(ctx, loan);
  const now = ctx.clock.nowIso();
  const use = redrawUsed(replay(ctx, frame));
  const owed = payOffAmounts(ctx, frame);
  const adj = (body.payOffAdjustableAmounts ?? {}) as Record<string, unknown>;
  const interest = adjustable(frame, owed.interest, adj.interestPaid, "PAY_OFF_INVALID_INTEREST_PAID");
  const fees = adjustable(frame, owed.fee, adj.feesPaid, "PAY_OFF_INVALID_FEES_PAID");
  const penalty = adjustable(frame, owed.penalty, adj.penaltyPaid, "PAY_OFF_INVALID_PENALTY_PAID");
  const total = owed.principal.plus(interest).plus(fees).plus(penalty);
  const through = withTransactionChannel(ctx, body, { account: loan, kind: "LOAN", type: "REPAYMENT", amount: total });
  if (use.greaterThan(0)) commitTransaction(ctx, newLoanTransaction(ctx, loan, "REDRAW_REPAYMENT", num(use, frame.dp), now, { notes: body.notes }));
  const waivers: Array<[string, Dec]> = [
    ["INTEREST_DUE_REDUCED", owed.interest.minus(interest)],
    ["FEES_DUE_REDUCED", owed.fee.minus(fees)],
    ["PENALTIES_DUE_REDUCED", owed.penalty.minus(penalty)],
  ];
  for (const [type, amount] of waivers) {
    if (amount.greaterThan(0)) commitTransaction(ctx, newLoanTransaction(ctx, loan, type, num(amount, frame.dp), now, { notes: body.notes }));
  }
  if (total.greaterThan(ZERO)) {
    commitTransaction(ctx, newLoanTransaction(ctx, loan, "REPAYMENT", num(total, frame.dp), now, through));
  }
  settle(ctx, frame, replay(ctx, frame));
}
