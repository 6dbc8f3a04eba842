/**
 * Loan transactions besides disbursement, repayment and fees, behind `MambuLoan`'s methods:
 * payments made (`/payment-made-transactions`), redraw repayments (`/redraw-repayment-transactions`),
 * withdrawals from the redraw balance (`/withdrawal-transactions`), and locking / unlocking the
 * account's interest, fees and penalties (`/lock-transactions`, `/unlock-transactions`). Each is the
 * contract's operation performed by {@link accountOperation}; the loan is re-read afterwards unless
 * `reread: false`.
 */
import type { ActionOptions } from "../core/actions";
import { accountOperation, expectRecord } from "../core/account-operation";
import { connectorOf } from "../core/entity";
import { operationInput } from "../core/operations";
import type { Amount, CustomFieldSets, Input } from "../core/operations";
import { MambuError } from "../errors";
import type {
  LockLoanAccountInput, PaymentMadeTransactionInput, RedrawRepaymentTransactionInputDTO, WithdrawalRedrawTransactionInput,
} from "../generated/types/loans_transactions";
import type { MambuLoan } from "./loan";
import { MambuTransaction } from "./transaction";

type Bag = Record<string, unknown>;
const TX = "loans_transactions";

/** Options of `loan.paymentMade(amount, ...)` (`PaymentMadeTransactionInput` besides the amount). */
export type PaymentMadeOptions = Omit<Input<PaymentMadeTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/** Options of `loan.redraw(amount, ...)` (`RedrawRepaymentTransactionInputDTO` besides the amount). */
export type RedrawOptions = Omit<Input<RedrawRepaymentTransactionInputDTO>, "amount"> & ActionOptions;
/** Options of `loan.withdrawal(amount, ...)` (`WithdrawalRedrawTransactionInput` besides the amount). */
export type LoanWithdrawalOptions = Omit<Input<WithdrawalRedrawTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/** Options of `loan.lock()` (`LockLoanAccountInput`): which operations to lock (APPLY_INTEREST, APPLY_FEES, APPLY_PENALTIES) and notes. */
export type LoanLockOptions = Input<LockLoanAccountInput> & ActionOptions;
/** Options of `loan.unlock()` (`UnlockLoanAccountInput`). */
export type LoanUnlockOptions = { notes?: string } & ActionOptions;

/** A money transaction of `operationId` for `amount`; the created MambuTransaction. */
async function moneyTransaction(loan: MambuLoan, operationId: string, label: string, amount: Amount, opts: object | undefined): Promise<MambuTransaction> {
  const [input, action] = operationInput(label, opts as Bag | undefined, { amount });
  return accountOperation(loan, TX, operationId, input, action, { returns: "transaction", txClass: MambuTransaction, label });
}

/** `loan.paymentMade(amount, opts)`: `POST /loans/{id}/payment-made-transactions`. */
export async function loanPaymentMade(loan: MambuLoan, amount: Amount, opts?: PaymentMadeOptions): Promise<MambuTransaction> {
  return moneyTransaction(loan, "applyPaymentMade", "MambuLoan.paymentMade", amount, opts);
}

/** `loan.redraw(amount, opts)`: `POST /loans/{id}/redraw-repayment-transactions`. */
export async function loanRedraw(loan: MambuLoan, amount: Amount, opts?: RedrawOptions): Promise<MambuTransaction> {
  return moneyTransaction(loan, "makeRedrawRepayment", "MambuLoan.redraw", amount, opts);
}

/** `loan.withdrawal(amount, opts)`: `POST /loans/{id}/withdrawal-transactions`. */
export async function loanWithdrawal(loan: MambuLoan, amount: Amount, opts?: LoanWithdrawalOptions): Promise<MambuTransaction> {
  return moneyTransaction(loan, "makeWithdrawal", "MambuLoan.withdrawal", amount, opts);
}

/** `lock-transactions` / `unlock-transactions`: the transactions Mambu answers with (`LockLoanTransactionsWrapper`). */
async function lockTransactions(loan: MambuLoan, operationId: "applyLock" | "applyUnlock", label: string, opts: object | undefined): Promise<MambuTransaction[]> {
  const [input, action] = operationInput(label, opts as Bag | undefined);
  const answer = await accountOperation(loan, TX, operationId, input, action, { returns: "answer", label });
  const list = answer === undefined ? [] : expectRecord(answer, "LockLoanTransactionsWrapper", label).loanTransactions ?? [];
  if (!Array.isArray(list)) throw new MambuError(`malformed response from Mambu to ${label}: loanTransactions is not a list`);
  return list.map((raw) => MambuTransaction.fromWire(expectRecord(raw, "a loan transaction", label), connectorOf(loan), { detailsLevel: "FULL" }));
}

/** `loan.lock(opts)`: `POST /loans/{id}/lock-transactions`. */
export async function lockLoan(loan: MambuLoan, opts?: LoanLockOptions): Promise<MambuTransaction[]> {
  return lockTransactions(loan, "applyLock", "MambuLoan.lock", opts);
}

/** `loan.unlock(opts)`: `POST /loans/{id}/unlock-transactions`. */
export async function unlockLoan(loan: MambuLoan, opts?: LoanUnlockOptions): Promise<MambuTransaction[]> {
  return lockTransactions(loan, "applyUnlock", "MambuLoan.unlock", opts);
}
