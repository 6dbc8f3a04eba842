/**
 * Termination (`POST /loans/{loanAccountId}:terminate`, `TerminateLoanAccountInput`): as in Mambu, the total
 * outstanding principal plus the interest accrued up to the termination date become due on that date (today or
 * in the past, not before the loan's last transaction). An ACCOUNT_TERMINATED transaction is logged (its amount:
 * everything owed after it); the installments keep their number, those due later fall due on the termination
 * date (REPAYMENT_DUE_DATE interest: the running period pro rata of its days, later periods none — see the ledger).
 * The loan gets sub-state TERMINATED and `terminationDate`; it goes in arrears after the tolerance period and closes
 * (CLOSED / REPAID) when repaid. Mambu offers termination for dynamic term loans with declining balance, equal
 * installments only (INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE otherwise); a LOCKED loan answers ACCOUNT_IS_LOCKED (its
 * sub-state would be lost). Mambu undoes a termination by adjusting the ACCOUNT_TERMINATED transaction
 * (ACCOUNT_TERMINATED_ADJUSTMENT, ./loan-adjust.ts): the replay drops the adjusted termination and {@link syncLoan}
 * its sub-state and `terminationDate`, so the installments fall due on their schedule again.
 */
import { EngineContext } from "./context";
import { compareInstant, localDate, parseDateTimeInput } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { totalOf } from "./allocation";
import { RUNNING, commitTransaction, frameOf, newLoanTransaction, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { liveLoanTransactions, totalOutstanding } from "./loan-ledger";
import { num } from "./money";
import { path } from "./products";

/** Terminates a running loan (204). */
export function terminateLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  const off = ctx.clock.offset;
  const at = parseDateTimeInput(body.valueDate, off, "valueDate");
  if (!at) throw invalidParameters("valueDate is required");
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  if (loan.accountSubState === "TERMINATED") throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is already terminated`);
  if (loan.accountSubState === "LOCKED") throw mambuError("ACCOUNT_IS_LOCKED", `loan ${String(loan.id)} is locked; unlock it first`);
  const frame = frameOf(ctx, loan);
  if (frame.settings.type !== "DYNAMIC_TERM_LOAN" || frame.settings.interestMethod !== "DECLINING_BALANCE_DISCOUNTED") {
    throw mambuError("INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE", "only dynamic term loans with declining balance, equal installments can be terminated");
  }
  if (compareInstant(at, ctx.clock.nowIso()) > 0) throw mambuError("INVALID_TERMINATION_DATE", `valueDate ${at} is in the future`);
  const live = liveLoanTransactions(ctx, loan.encodedKey);
  const last = live[live.length - 1];
  const disbursed = path(loan, "disbursementDetails", "disbursementDate");
  if ((typeof disbursed === "string" && compareInstant(at, disbursed) < 0) || (last && compareInstant(at, String(last.valueDate)) < 0)) {
    throw mambuError("INVALID_TERMINATION_DATE", `valueDate ${at} is before the loan's last transaction`);
  }
  const before = replay(ctx, frame);
  if (!totalOf(totalOutstanding(before)).greaterThan(0)) throw mambuError("LOAN_ACCOUNT_ALREADY_FULLY_PAID", `loan ${String(loan.id)} owes nothing`);
  const day = localDate(at, off);
  const lastDue = before.installments[before.installments.length - 1]?.dueDate;
  if (lastDue === undefined || lastDue <= day) {
    throw mambuError("LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE", `the last installment fell due on ${String(lastDue)}`);
  }
  const tx = newLoanTransaction(ctx, loan, "ACCOUNT_TERMINATED", 0, at, { notes: body.notes });
  const after = replay(ctx, frame, [tx]);
  tx.amount = num(totalOf(totalOutstanding(after)), frame.dp);
  commitTransaction(ctx, tx);
  const next = touch(ctx, loan, { accountSubState: "TERMINATED", terminationDate: at });
  syncLoan(ctx, frame, replay(ctx, frame), next);
}
