/**
 * Write-off (`POST /loans/{loanAccountId}:writeOff`): a WRITE_OFF transaction for everything owed, the loan
 * becomes CLOSED_WRITTEN_OFF with zero balances. `:undoWriteOff` reverses it (WRITE_OFF_ADJUSTMENT) when
 * nothing was posted after it.
 */
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { totalOf } from "./allocation";
import { RUNNING, commitTransaction, frameOf, newLoanTransaction, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { liveLoanTransactions, totalOutstanding } from "./loan-ledger";
import { adjustLoanTransaction } from "./loan-adjust";
import { num } from "./money";

/** Writes a running loan off. */
export function writeOffLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const frame = frameOf(ctx, loan);
  const owed = totalOf(totalOutstanding(replay(ctx, frame)));
  commitTransaction(ctx, newLoanTransaction(ctx, loan, "WRITE_OFF", num(owed, frame.dp), ctx.clock.nowIso(), { notes: body.notes }));
  const closed = touch(ctx, loan, { accountState: "CLOSED_WRITTEN_OFF", accountSubState: undefined, closedDate: ctx.clock.nowIso() });
  const frame2 = frameOf(ctx, closed);
  syncLoan(ctx, frame2, replay(ctx, frame2));
}

/** Reverses a loan's write-off (NON_REVERSIBLE_WRITE_OFF when it is not the last live transaction). */
export function undoWriteOff(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): void {
  const loan = requireLoan(ctx, loanId);
  if (loan.accountState !== "CLOSED_WRITTEN_OFF") throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const live = liveLoanTransactions(ctx, loan.encodedKey);
  const last = live[live.length - 1];
  if (!last || last.type !== "WRITE_OFF") throw mambuError("NON_REVERSIBLE_WRITE_OFF", "transactions were posted after the write-off");
  adjustLoanTransaction(ctx, last.encodedKey, input ?? {});
}
