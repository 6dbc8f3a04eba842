/**
 * Loan operations behind `MambuLoan`'s methods: state changes (`POST /loans/{id}:changeState`),
 * disbursement, repayment and fee transactions (`/loans/{id}/…-transactions`), write-off and
 * pay-off (`:writeOff`, `:payOff`), schedule edits (`PUT /loans/{id}/schedule`) and adjustments
 * (`POST /loans/transactions/{id}:adjust`).
 * Bodies follow the Swagger definitions named below; see lib/core/operations.ts for the rules.
 */
import { ActionOptions, checkReread } from "../core/actions";
import { accountOperation } from "../core/account-operation";
import { checkOptionKeys } from "../core/entity";
import {
  adjustAccountTransaction, adjustSelf, Amount, changeState, CustomFieldSets, DateInput, EntityRef, Input, operationInput,
  postAccountAction, postTransaction,
} from "../core/operations";
import { setTransient } from "../core/relations";
import { MambuStruct, structFromWire } from "../core/struct";
import { MambuError, MambuTsError } from "../errors";
import type { Installment, LoanAccountAction, LoanAccountPayOffInput } from "../generated/types/loans";
import { MambuInstallment } from "./installment";
import type {
  DisbursementLoanTransactionInput, FeeLoanTransactionInput, LoanTransactionAdjustmentDetails, RepaymentLoanTransactionInput,
} from "../generated/types/loans_transactions";
import type { MambuLoan } from "./loan";
import { MambuTransaction } from "./transaction";

/** A loan state action of `POST /loans/{id}:changeState` (Swagger `LoanAccountAction.action`). */
export type LoanAction = LoanAccountAction["action"];

/**
 * Options of `loan.disburse()` (`DisbursementLoanTransactionInput`). `disbursementDate` is
 * MambuPy's name for `valueDate`. Custom field sets of the transaction go as `_Set: {...}`.
 */
export type DisburseOptions = Omit<Input<DisbursementLoanTransactionInput>, "valueDate" | "firstRepaymentDate"> & {
  /** Value date; defaults to `disbursementDetails.expectedDisbursementDate` (null: Mambu's default). */
  valueDate?: DateInput | null;
  /** MambuPy's name for `valueDate`. */
  disbursementDate?: DateInput | null;
  /** Defaults to `disbursementDetails.firstRepaymentDate` (null: Mambu's default). */
  firstRepaymentDate?: DateInput | null;
} & CustomFieldSets & ActionOptions;
/** Options of `loan.repay(amount, ...)` (`RepaymentLoanTransactionInput` besides the amount). */
export type RepayOptions = Omit<Input<RepaymentLoanTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/** Options of `loan.applyFee(amount, ...)` (`FeeLoanTransactionInput` besides the amount). */
export type LoanFeeOptions = Omit<Input<FeeLoanTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/** Options of `loan.payOff()` (`LoanAccountPayOffInput`). */
export type PayOffOptions = Input<LoanAccountPayOffInput> & ActionOptions;
/** Options of loan transaction adjustments (`LoanTransactionAdjustmentDetails` besides the notes). */
export type LoanAdjustOptions = Omit<Input<LoanTransactionAdjustmentDetails>, "notes"> & ActionOptions;

const TX = "loans_transactions";
type Bag = Record<string, unknown>;

/** `loan.setState(action, notes)`. */
export async function setLoanState(loan: MambuLoan, action: LoanAction, notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
  return changeState(loan, "loans", "LoanAccountAction", action, notes, opts, "MambuLoan.setState");
}

/**
 * `loan.disburse(opts)`. As MambuPy: without `valueDate` (or `disbursementDate`) the loan's
 * `disbursementDetails.expectedDisbursementDate` is sent, without `firstRepaymentDate` its
 * `disbursementDetails.firstRepaymentDate`; `null` sends neither and lets Mambu decide.
 */
export async function disburseLoan(loan: MambuLoan, opts?: DisburseOptions): Promise<MambuTransaction> {
  const label = "MambuLoan.disburse";
  const [given, action] = operationInput(label, opts as Bag | undefined);
  if ("disbursementDate" in given && given.valueDate !== undefined) {
    throw new MambuTsError(`${label}: give valueDate or disbursementDate (MambuPy's name for it), not both`);
  }
  const input: Bag = {};
  for (const [k, v] of Object.entries(given)) if (v !== undefined) input[k === "disbursementDate" ? "valueDate" : k] = v;
  const details = loan.disbursementDetails;
  const defaults: Bag = { valueDate: details?.expectedDisbursementDate, firstRepaymentDate: details?.firstRepaymentDate };
  for (const [k, v] of Object.entries(defaults)) {
    if (input[k] === undefined && v !== undefined && v !== null) input[k] = v;
    if (input[k] === null) delete input[k];
  }
  return postTransaction(loan, MambuTransaction, {
    label, resource: TX, operationId: "makeDisbursement",
  }, input, action);
}

/** `loan.repay(amount, opts)`. */
export async function repayLoan(loan: MambuLoan, amount: Amount, opts?: RepayOptions): Promise<MambuTransaction> {
  const label = "MambuLoan.repay";
  const [input, action] = operationInput(label, opts as Bag | undefined, { amount });
  return postTransaction(loan, MambuTransaction, {
    label, resource: TX, operationId: "makeRepayment",
  }, input, action);
}

/** `loan.applyFee(amount, opts)`; `amount` may be undefined for a predefined fee with its own amount. */
export async function applyLoanFee(loan: MambuLoan, amount: Amount | undefined, opts?: LoanFeeOptions): Promise<MambuTransaction> {
  const label = "MambuLoan.applyFee";
  const [input, action] = operationInput(label, opts as Bag | undefined, { amount });
  return postTransaction(loan, MambuTransaction, {
    label, resource: TX, operationId: "applyFee",
  }, input, action);
}

/** Options of `loan.editSchedule(installments, ...)`. */
export type EditScheduleOptions = ActionOptions;
/** An installment given to `loan.editSchedule()`: one read with `getSchedule()`, or its fields. */
export type InstallmentInput = MambuInstallment | Input<Installment>;

/**
 * `loan.editSchedule(installments, opts)`: `PUT /loans/{id}/schedule` with `{ installments }`
 * (newer Mambu versions, before disbursement; an installment is matched by `encodedKey` or
 * `number`). Returns the schedule Mambu answers with, also set as `loan.schedule`; re-reads the
 * loan (its `scheduleSettings.hasCustomSchedule`) unless `reread: false`.
 */
export async function editLoanSchedule(loan: MambuLoan, installments: readonly InstallmentInput[], opts?: EditScheduleOptions): Promise<MambuInstallment[]> {
  const label = "MambuLoan.editSchedule";
  checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
  checkReread(opts?.reread);
  if (!Array.isArray(installments) || installments.length === 0) throw new MambuTsError(`${label}: installments must be a non-empty list`);
  const list = installments.map((i) => (i instanceof MambuStruct ? i.toJSON() : i));
  const answer = await accountOperation(loan, "loans", "editSchedule", { installments: list }, { idempotencyKey: opts?.idempotencyKey, reread: false }, {
    returns: "answer", label,
  });
  const rows = (answer as { installments?: unknown } | undefined)?.installments;
  if (!Array.isArray(rows)) throw new MambuError(`malformed response from Mambu to ${label}: no installments list`);
  if (opts?.reread !== false) await loan.refresh();
  const schedule = rows.map((raw) => structFromWire<MambuInstallment>(MambuInstallment, raw as Bag, loan));
  setTransient(loan, "schedule", schedule);
  return schedule;
}

/** `loan.writeOff(notes)`: `POST /loans/{id}:writeOff` (`LoanActionDetails`, answered 204). */
export async function writeOffLoan(loan: MambuLoan, notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
  const label = "MambuLoan.writeOff";
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  return postAccountAction(loan, { label, resource: "loans", operationId: "writeOff" }, input, action);
}

/** `loan.payOff(opts)`: `POST /loans/{id}:payOff` (`LoanAccountPayOffInput`, answered 204). */
export async function payOffLoan(loan: MambuLoan, opts?: PayOffOptions): Promise<MambuLoan> {
  const label = "MambuLoan.payOff";
  const [input, action] = operationInput(label, opts as Bag | undefined);
  return postAccountAction(loan, { label, resource: "loans", operationId: "payOff" }, input, action);
}

/** `loan.adjustTransaction(transaction, notes)`. */
export async function adjustLoanTransaction(loan: MambuLoan, transaction: EntityRef, notes?: string, opts?: LoanAdjustOptions): Promise<MambuTransaction> {
  const label = "MambuLoan.adjustTransaction";
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  return adjustAccountTransaction(loan, MambuTransaction, transaction, "LoanTransactionAdjustmentDetails", input, action, label);
}

/** `transaction.adjust(notes)`. */
export async function adjustLoanTransactionSelf(tx: MambuTransaction, notes?: string, opts?: LoanAdjustOptions): Promise<MambuTransaction> {
  const label = "MambuTransaction.adjust";
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  return adjustSelf(tx, "LoanTransactionAdjustmentDetails", input, action, "loan", label);
}
