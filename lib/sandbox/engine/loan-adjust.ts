/**
 * Adjustment (reversal) of loan transactions (`POST /loans/transactions/{loanTransactionId}:adjust`,
 * `LoanTransactionAdjustmentDetails`): the original gets `adjustmentTransactionKey`, a `*_ADJUSTMENT`
 * transaction with the opposite amount is logged (`originalTransactionKey`), and the loan is replayed
 * without the original — balances and installment states come out exactly as if it never happened.
 *
 * - REPAYMENT: reopens a CLOSED / REPAID loan that owes money again. A repayment made by a deposit transfer
 *   is reversed from the deposit side (TRANSACTION_MADE_FROM_A_TRANSFER here).
 * - FEE_APPLIED, PENALTY_APPLIED, *_DUE_REDUCED, INTEREST_APPLIED: on running (or repaid) loans.
 * - DISBURSEMENT: only when nothing else is live on the loan; the loan goes back to APPROVED (and the money
 *   paid into a deposit account is taken back).
 * - WRITE_OFF: only as the last live transaction; the loan becomes ACTIVE again.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { totalOf } from "./allocation";
import { RUNNING, commitTransaction, frameOf, newLoanTransaction, reload, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { Ledger, isAdjustmentType, liveLoanTransactions, totalOutstanding, balancesAt } from "./loan-ledger";
import { checkNoExcess } from "./loan-payments";
import { dropSchedule, storedSchedule } from "./loan-schedule";
import { dec, num } from "./money";
import { postMovement } from "./deposit-common";
import { syncFunderPayouts } from "./funding-payouts";

/** Adjustment type of each adjustable transaction type. */
export const LOAN_ADJUSTMENT_TYPES: Record<string, string> = {
  DISBURSEMENT: "DISBURSEMENT_ADJUSTMENT",
  REPAYMENT: "REPAYMENT_ADJUSTMENT",
  FEE_APPLIED: "FEE_ADJUSTMENT",
  PENALTY_APPLIED: "PENALTY_ADJUSTMENT",
  WRITE_OFF: "WRITE_OFF_ADJUSTMENT",
  INTEREST_APPLIED: "INTEREST_APPLIED_ADJUSTMENT",
  INTEREST_DUE_REDUCED: "INTEREST_REDUCTION_ADJUSTMENT",
  FEES_DUE_REDUCED: "FEE_REDUCTION_ADJUSTMENT",
  PENALTIES_DUE_REDUCED: "PENALTY_REDUCTION_ADJUSTMENT",
  // undoes a termination: the replay drops it, syncLoan clears sub-state TERMINATED and terminationDate
  ACCOUNT_TERMINATED: "ACCOUNT_TERMINATED_ADJUSTMENT",
};

function negated(v: unknown): unknown {
  if (typeof v === "number") return v === 0 ? 0 : -v;
  if (v && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, negated(x)]));
  return v;
}

/** Options of {@link adjustLoanTransaction}. */
export interface LoanAdjustOptions {
  /** The reversal comes from the deposit side of a transfer (allowed for transfer repayments). */
  fromDeposit?: boolean;
}

/** Adjusts a loan transaction; returns the `*_ADJUSTMENT` transaction. */
export function adjustLoanTransaction(ctx: EngineContext, txId: string, input: Record<string, unknown> | undefined, opts: LoanAdjustOptions = {}): WireRecord {
  const body = input ?? {};
  const tx = ctx.store.find("loanTransactions", txId);
  if (!tx) throw mambuError("INVALID_TRANSACTION_ID", `loan transaction ${txId} not found`);
  if (tx.adjustmentTransactionKey) throw mambuError("TRANSACTION_ALREADY_REVERSED", `transaction ${String(tx.id)} is already adjusted`);
  const type = String(tx.type);
  if (isAdjustmentType(type) || !LOAN_ADJUSTMENT_TYPES[type]) throw mambuError("INVALID_TRANSACTION_TYPE", `${type} transactions cannot be adjusted`);
  const loan = requireLoan(ctx, String(tx.parentAccountKey));
  const state = String(loan.accountState);
  const link = (tx.transferDetails ?? {}) as Record<string, unknown>;
  if (type === "REPAYMENT" && typeof link.linkedDepositTransactionKey === "string" && !opts.fromDeposit) {
    throw mambuError("TRANSACTION_MADE_FROM_A_TRANSFER", "reverse the transfer from the deposit account instead");
  }
  const live = liveLoanTransactions(ctx, loan.encodedKey);
  const others = live.filter((t) => t.encodedKey !== tx.encodedKey);
  const repaid = state === "CLOSED" && loan.accountSubState === "REPAID";
  if (type === "DISBURSEMENT") {
    if (!RUNNING.has(state) && !repaid) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${state}`);
    if (others.length > 0) throw mambuError("UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE", "adjust the loan's other transactions first");
  } else if (type === "WRITE_OFF") {
    if (state !== "CLOSED_WRITTEN_OFF") throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${state}`);
    if (live[live.length - 1]?.encodedKey !== tx.encodedKey) throw mambuError("UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE", "transactions were posted after the write-off");
  } else if (!RUNNING.has(state) && !repaid) {
    throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${state}`);
  }

  const frame = frameOf(ctx, loan);
  const without: Ledger = replay(ctx, frame, [], new Set([tx.encodedKey]));
  checkNoExcess(without);

  if (type === "DISBURSEMENT" && typeof link.linkedDepositTransactionKey === "string") {
    const depTx = ctx.store.find("depositTransactions", link.linkedDepositTransactionKey);
    if (depTx && !depTx.adjustmentTransactionKey) {
      const dep = ctx.store.find("deposits", String(depTx.parentAccountKey));
      if (dep) {
        const { tx: rev } = postMovement(ctx, dep, {
          type: "TRANSFER_ADJUSTMENT",
          amount: dec(depTx.amount).negated(),
          valueDate: String(depTx.valueDate),
          body: { notes: body.notes },
          fields: { originalTransactionKey: depTx.encodedKey },
          anyState: true,
        });
        ctx.store.replace("depositTransactions", { ...depTx, adjustmentTransactionKey: rev.encodedKey });
      }
    }
  }

  const adj = newLoanTransaction(ctx, loan, LOAN_ADJUSTMENT_TYPES[type], -Number(tx.amount ?? 0) || 0, String(tx.valueDate), {
    notes: body.notes,
    bookingDate: body.bookingDate,
  });
  adj.originalTransactionKey = tx.encodedKey;
  if (tx.affectedAmounts) adj.affectedAmounts = negated(tx.affectedAmounts);
  const after = balancesAt(without, ctx.clock.today(), frame.opts.interestApplicationMethod);
  adj.accountBalances = { totalBalance: num(totalOf(after), frame.dp), principalBalance: num(after.principal, frame.dp) };
  const storedAdj = commitTransaction(ctx, adj);
  ctx.store.replace("loanTransactions", { ...tx, adjustmentTransactionKey: storedAdj.encodedKey });

  let next = touch(ctx, loan);
  if (type === "DISBURSEMENT") {
    const dd = { ...((loan.disbursementDetails as Record<string, unknown>) ?? {}) };
    delete dd.disbursementDate;
    next = touch(ctx, next, { accountState: "APPROVED", accountSubState: undefined, closedDate: undefined, disbursementDetails: dd, daysLate: 0, daysInArrears: 0 });
    if (!storedSchedule(ctx, loan.encodedKey)?.custom) dropSchedule(ctx, loan.encodedKey);
  } else if (type === "WRITE_OFF") {
    next = touch(ctx, next, { accountState: "ACTIVE", closedDate: undefined });
  } else if (repaid && totalOf(totalOutstanding(without)).greaterThan(0)) {
    next = touch(ctx, next, { accountState: "ACTIVE", accountSubState: undefined, closedDate: undefined });
  }
  const frame2 = frameOf(ctx, next);
  syncLoan(ctx, frame2, replay(ctx, frame2));
  syncFunderPayouts(ctx, loan.encodedKey); // takes back payouts, refunds LOAN_FUNDED (funding-payouts.ts)
  return reload(ctx, storedAdj);
}
