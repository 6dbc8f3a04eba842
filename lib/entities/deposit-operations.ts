/**
 * Deposit operations behind `MambuDeposit`'s methods: state changes (`POST /deposits/{id}:changeState`),
 * deposit, withdrawal, transfer and fee transactions (`/deposits/{id}/…-transactions`), interest
 * application (`:applyInterest`) and adjustments (`POST /deposits/transactions/{id}:adjust`).
 * Bodies follow the Swagger definitions named below; see lib/core/operations.ts for the rules.
 */
import type { ActionOptions } from "../core/actions";
import { EntityClass, MambuEntity } from "../core/entity";
import { MambuTsError } from "../errors";
import {
  adjustAccountTransaction, adjustSelf, Amount, changeState, CustomFieldSets, EntityRef, Input, operationInput, postAccountAction,
  postTransaction, refKey,
} from "../core/operations";
import type { ApplyInterestInput, DepositAccountAction } from "../generated/types/deposits";
import type {
  DepositTransactionAdjustmentDetails, DepositTransactionInput, FeeAppliedDepositTransactionInput, TransferDepositTransactionInput,
  WithdrawalDepositTransactionInput,
} from "../generated/types/deposits_transactions";
import type { MambuDeposit } from "./deposit";
import { MambuDepositTransaction } from "./deposit-transaction";

/** A deposit state action of `POST /deposits/{id}:changeState` (Swagger `DepositAccountAction.action`). */
export type DepositAction = DepositAccountAction["action"];

/** Options of `deposit.deposit(amount, ...)` (`DepositTransactionInput` besides the amount). */
export type DepositOptions = Omit<Input<DepositTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/** Options of `deposit.withdrawal(amount, ...)` (`WithdrawalDepositTransactionInput` besides the amount). */
export type WithdrawalOptions = Omit<Input<WithdrawalDepositTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/**
 * Options of `deposit.transfer(amount, ...)` (`TransferDepositTransactionInput` besides the amount):
 * the destination as exactly one of `toDeposit`, `toLoan` (an id, or the account entity / any
 * `{ encodedKey }` or `{ id }`) or a raw `transferDetails`.
 */
export type TransferOptions = Omit<Input<TransferDepositTransactionInput>, "amount"> & {
  toDeposit?: EntityRef;
  toLoan?: EntityRef;
} & CustomFieldSets & ActionOptions;
/** Options of `deposit.applyFee(amount, ...)` (`FeeAppliedDepositTransactionInput` besides the amount). */
export type DepositFeeOptions = Omit<Input<FeeAppliedDepositTransactionInput>, "amount"> & CustomFieldSets & ActionOptions;
/** Options of `deposit.applyInterest()` (`ApplyInterestInput`; `interestApplicationDate` is required). */
export type DepositInterestOptions = Input<ApplyInterestInput> & ActionOptions;
/** Options of deposit transaction adjustments (`DepositTransactionAdjustmentDetails` besides the notes). */
export type DepositAdjustOptions = Omit<Input<DepositTransactionAdjustmentDetails>, "notes"> & ActionOptions;

const TX = "deposits_transactions";
type Bag = Record<string, unknown>;

/** `deposit.setState(action, notes)`. */
export async function setDepositState(deposit: MambuDeposit, action: DepositAction, notes?: string, opts?: ActionOptions): Promise<MambuDeposit> {
  return changeState(deposit, "deposits", "DepositAccountAction", action, notes, opts, "MambuDeposit.setState");
}

/** `deposit.deposit(amount, opts)`. */
export async function depositInto(deposit: MambuDeposit, amount: Amount, opts?: DepositOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDeposit.deposit";
  const [input, action] = operationInput(label, opts as Bag | undefined, { amount });
  return postTransaction(deposit, MambuDepositTransaction, {
    label, resource: TX, definition: "DepositTransactionInput", suffix: "/deposit-transactions",
  }, input, action);
}

/** `deposit.withdrawal(amount, opts)`. */
export async function withdrawFrom(deposit: MambuDeposit, amount: Amount, opts?: WithdrawalOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDeposit.withdrawal";
  const [input, action] = operationInput(label, opts as Bag | undefined, { amount });
  return postTransaction(deposit, MambuDepositTransaction, {
    label, resource: TX, definition: "WithdrawalDepositTransactionInput", suffix: "/withdrawal-transactions",
  }, input, action);
}

/**
 * The `transferDetails` of a transfer from `toDeposit`/`toLoan`: a string is sent as
 * `linkedAccountId`, an entity (or `{ encodedKey }`) as `linkedAccountKey`.
 */
function transferDetails(input: Bag, label: string): Bag {
  const given = ["toDeposit", "toLoan", "transferDetails"].filter((k) => input[k] !== undefined && input[k] !== null);
  if (given.length !== 1) {
    throw new MambuTsError(`${label}: give exactly one destination: toDeposit, toLoan or transferDetails${given.length ? ` (got ${given.join(", ")})` : ""}`);
  }
  const { toDeposit, toLoan, ...rest } = input;
  if (given[0] === "transferDetails") return rest;
  const [option, ref, type, prefix] = toDeposit !== undefined && toDeposit !== null
    ? ["toDeposit", toDeposit, "DEPOSIT", "deposits"] : ["toLoan", toLoan, "LOAN", "loans"];
  if (ref instanceof MambuEntity) {
    const cls = ref.constructor as EntityClass;
    if (cls.spec.prefix !== prefix) throw new MambuTsError(`${label}: ${option} must be a ${type === "LOAN" ? "loan" : "deposit"} account, got a ${cls.name}`);
  }
  const key = refKey(ref as EntityRef, option, label);
  const link = typeof ref === "string" || (ref as Bag).encodedKey === undefined ? { linkedAccountId: key } : { linkedAccountKey: key };
  return { ...rest, transferDetails: { linkedAccountType: type, ...link } };
}

/** `deposit.transfer(amount, { toDeposit | toLoan, ... })`. */
export async function transferFrom(deposit: MambuDeposit, amount: Amount, opts?: TransferOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDeposit.transfer";
  const [raw, action] = operationInput(label, opts as Bag | undefined, { amount });
  return postTransaction(deposit, MambuDepositTransaction, {
    label, resource: TX, definition: "TransferDepositTransactionInput", suffix: "/transfer-transactions",
  }, transferDetails(raw, label), action);
}

/** `deposit.applyFee(amount, opts)`; `amount` may be undefined for a predefined fee with its own amount. */
export async function applyDepositFee(deposit: MambuDeposit, amount: Amount | undefined, opts?: DepositFeeOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDeposit.applyFee";
  const [input, action] = operationInput(label, opts as Bag | undefined, { amount });
  return postTransaction(deposit, MambuDepositTransaction, {
    label, resource: TX, definition: "FeeAppliedDepositTransactionInput", suffix: "/fee-transactions",
  }, input, action);
}

/** `deposit.applyInterest(opts)`: `POST /deposits/{id}:applyInterest` (answered 204). */
export async function applyDepositInterest(deposit: MambuDeposit, opts?: DepositInterestOptions): Promise<MambuDeposit> {
  const label = "MambuDeposit.applyInterest";
  const [input, action] = operationInput(label, opts as Bag | undefined);
  return postAccountAction(deposit, { label, resource: "deposits", definition: "ApplyInterestInput", suffix: ":applyInterest" }, input, action);
}

/** `deposit.adjustTransaction(transaction, notes)`. */
export async function adjustDepositTransaction(deposit: MambuDeposit, transaction: EntityRef, notes?: string, opts?: DepositAdjustOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDeposit.adjustTransaction";
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  return adjustAccountTransaction(deposit, MambuDepositTransaction, transaction, "DepositTransactionAdjustmentDetails", input, action, label);
}

/** `transaction.adjust(notes)`. */
export async function adjustDepositTransactionSelf(tx: MambuDepositTransaction, notes?: string, opts?: DepositAdjustOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDepositTransaction.adjust";
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  return adjustSelf(tx, "DepositTransactionAdjustmentDetails", input, action, "deposit", label);
}
