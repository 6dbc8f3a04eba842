/**
 * Deposit account transactions: deposits (the first one activates an APPROVED account; a fixed deposit whose
 * maturity period started takes none), withdrawals
 * (within the funds, or the overdraft limit when allowed), transfers to another deposit (a TRANSFER pair) or to a
 * loan (a loan REPAYMENT), manual fees, and adjustments (reversals; transfers are reversed on both sides).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import {
  CREDIT_STATES, DEBIT_STATES, checkFunds, depositCurrency, depositSettings, depositValueDate, positiveAmount, postMovement, requireDeposit,
} from "./deposit-common";
import { RUNNING, loanCurrency, requireLoan } from "./loan-common";
import { repayLoan } from "./loan-payments";
import { adjustLoanTransaction } from "./loan-adjust";
import { dec } from "./money";
import { withTransactionChannel } from "./transaction-channel";
import { feeAmount, findFee } from "./products";

function requireState(dep: WireRecord, states: Set<string>): void {
  if (!states.has(String(dep.accountState))) throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
}

/** `POST /deposits/{depositAccountId}/deposit-transactions` (DepositTransactionInput). */
export function makeDeposit(ctx: EngineContext, depId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const dep = requireDeposit(ctx, depId);
  requireState(dep, CREDIT_STATES);
  if (dep.accountType === "FIXED_DEPOSIT" && typeof dep.maturityDate === "string") {
    throw mambuError("DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET", `fixed deposit ${String(dep.id)} takes no deposits once its maturity period started`);
  }
  const amount = positiveAmount(body.amount, "INVALID_DEPOSIT_AMOUNT");
  const valueDate = depositValueDate(ctx, dep, body.valueDate);
  const through = withTransactionChannel(ctx, body, { account: dep, kind: "DEPOSIT", type: "DEPOSIT", amount });
  return postMovement(ctx, dep, { type: "DEPOSIT", amount, valueDate, body: through }).tx;
}

/** `POST /deposits/{depositAccountId}/withdrawal-transactions` (WithdrawalDepositTransactionInput). */
export function makeWithdrawal(ctx: EngineContext, depId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const dep = requireDeposit(ctx, depId);
  requireState(dep, DEBIT_STATES);
  const amount = positiveAmount(body.amount, "INVALID_DEPOSIT_AMOUNT");
  const max = (dep.internalControls as { maxWithdrawalAmount?: unknown } | undefined)?.maxWithdrawalAmount;
  const limit = max !== undefined && max !== null ? dec(max) : depositSettings(ctx, dep).maxWithdrawalAmount;
  if (limit !== undefined && limit.greaterThan(0) && amount.greaterThan(limit)) {
    throw mambuError("MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED", `the maximum withdrawal is ${limit.toString()}`);
  }
  const valueDate = depositValueDate(ctx, dep, body.valueDate);
  const through = withTransactionChannel(ctx, body, { account: dep, kind: "DEPOSIT", type: "WITHDRAWAL", amount });
  return postMovement(ctx, dep, { type: "WITHDRAWAL", amount: amount.negated(), valueDate, body: through }).tx;
}

/** `POST /deposits/{depositAccountId}/fee-transactions` (FeeAppliedDepositTransactionInput). */
export function applyDepositFee(ctx: EngineContext, depId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const dep = requireDeposit(ctx, depId);
  requireState(dep, DEBIT_STATES);
  let amount;
  const fields: Record<string, unknown> = {};
  if (typeof body.predefinedFeeKey === "string" && body.predefinedFeeKey !== "") {
    const fee = findFee(depositSettings(ctx, dep).fees, body.predefinedFeeKey);
    if (!fee || !fee.active) throw mambuError("INVALID_FEE", `fee ${body.predefinedFeeKey} is not an active fee of the product`);
    const fromProduct = feeAmount(fee, dec(0));
    amount = positiveAmount(body.amount ?? fromProduct?.toString(), "INVALID_DEPOSIT_AMOUNT");
    fields.fees = [{ predefinedFeeKey: fee.encodedKey ?? fee.id, ...(fee.name ? { name: fee.name } : {}), amount: amount.toNumber(), trigger: fee.trigger }];
  } else {
    amount = positiveAmount(body.amount, "INVALID_DEPOSIT_AMOUNT");
  }
  const valueDate = depositValueDate(ctx, dep, body.valueDate);
  return postMovement(ctx, dep, { type: "FEE_APPLIED", amount: amount.negated(), valueDate, body, fields }).tx;
}

/**
 * `POST /deposits/{depositAccountId}/transfer-transactions` (TransferDepositTransactionInput): to a DEPOSIT
 * account (TRANSFER out here, TRANSFER in there, linked by `transferDetails.linkedDepositTransactionKey`) or to a
 * LOAN (a REPAYMENT on the loan, linked by `linkedLoanTransactionKey` / `linkedDepositTransactionKey`).
 * Returns the source account's transaction.
 */
export function makeTransfer(ctx: EngineContext, depId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const dep = requireDeposit(ctx, depId);
  requireState(dep, DEBIT_STATES);
  const amount = positiveAmount(body.amount, "TRANSFER_AMOUNT_IS_NOT_POSITIVE");
  const td = (body.transferDetails ?? {}) as Record<string, unknown>;
  const target = (td.linkedAccountKey ?? td.linkedAccountId) as string | undefined;
  if (!target) throw mambuError("INVALID_PARAMETERS", "transferDetails.linkedAccountKey or linkedAccountId is required");
  const valueDate = depositValueDate(ctx, dep, body.valueDate);
  const { code } = depositCurrency(dep);
  const common = { notes: body.notes, externalId: body.externalId, paymentOrderId: body.paymentOrderId, paymentDetails: body.paymentDetails };

  if (td.linkedAccountType === "LOAN") {
    const loan = requireLoan(ctx, target);
    if (loanCurrency(loan).code !== code) throw mambuError("TRANSFER_CANT_BE_MADE", "the loan has another currency");
    if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE_FOR_REPAYMENTS", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
    checkFunds(ctx, dep, amount);
    const loanTx = repayLoan(ctx, loan.encodedKey, { amount: amount.toNumber(), valueDate, notes: body.notes }, {}, true);
    const { tx } = postMovement(ctx, dep, {
      type: "TRANSFER",
      amount: amount.negated(),
      valueDate,
      body: common,
      fields: { transferDetails: { linkedLoanTransactionKey: loanTx.encodedKey } },
    });
    const storedLoanTx = ctx.store.find("loanTransactions", loanTx.encodedKey) ?? loanTx;
    ctx.store.replace("loanTransactions", { ...storedLoanTx, transferDetails: { linkedDepositTransactionKey: tx.encodedKey } });
    return tx;
  }
  if (td.linkedAccountType !== "DEPOSIT") throw mambuError("INVALID_PARAMETERS", "transferDetails.linkedAccountType must be DEPOSIT or LOAN");
  const other = requireDeposit(ctx, target, true);
  if (other.encodedKey === dep.encodedKey) throw mambuError("CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT", "source and target are the same account");
  if (depositCurrency(other).code !== code) throw mambuError("TRANSFER_CANT_BE_MADE", "the target account has another currency");
  if (!CREDIT_STATES.has(String(other.accountState))) throw mambuError("TRANSFER_CANT_BE_MADE", `the target account is ${String(other.accountState)}`);
  checkFunds(ctx, dep, amount);
  const out = postMovement(ctx, dep, { type: "TRANSFER", amount: amount.negated(), valueDate, body: common });
  const into = postMovement(ctx, other, {
    type: "TRANSFER",
    amount,
    valueDate,
    body: common,
    fields: { transferDetails: { linkedDepositTransactionKey: out.tx.encodedKey } },
  });
  return ctx.store.replace("depositTransactions", { ...out.tx, transferDetails: { linkedDepositTransactionKey: into.tx.encodedKey } });
}

/** Adjustment type of each adjustable deposit transaction type. */
export const DEPOSIT_ADJUSTMENT_TYPES: Record<string, string> = {
  DEPOSIT: "ADJUSTMENT",
  WITHDRAWAL: "WITHDRAWAL_ADJUSTMENT",
  TRANSFER: "TRANSFER_ADJUSTMENT",
  FEE_APPLIED: "FEE_ADJUSTED",
  INTEREST_APPLIED: "INTEREST_APPLIED_ADJUSTMENT",
  WRITE_OFF: "WRITE_OFF_ADJUSTMENT",
};

const FINAL = new Set(["CLOSED", "CLOSED_REJECTED", "CLOSED_WRITTEN_OFF", "WITHDRAWN"]);

function reverse(ctx: EngineContext, tx: WireRecord, notes: unknown): WireRecord {
  const dep = requireDeposit(ctx, String(tx.parentAccountKey));
  const { tx: adj } = postMovement(ctx, dep, {
    type: DEPOSIT_ADJUSTMENT_TYPES[String(tx.type)],
    amount: dec(tx.amount).negated(),
    valueDate: String(tx.valueDate),
    body: { notes },
    fields: { originalTransactionKey: tx.encodedKey },
    anyState: true,
  });
  ctx.store.replace("depositTransactions", { ...tx, adjustmentTransactionKey: adj.encodedKey });
  return adj;
}

/**
 * `POST /deposits/transactions/{depositTransactionId}:adjust`: reverses a deposit transaction (and the other side
 * of a transfer). Returns the adjustment transaction of the given one. A card transaction reversal cannot be
 * adjusted (CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED, the reason of Mambu's RestError enum for it).
 */
export function adjustDepositTransaction(ctx: EngineContext, txId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const tx = ctx.store.find("depositTransactions", txId);
  if (!tx) throw mambuError("INVALID_TRANSACTION_ID", `deposit transaction ${txId} not found`);
  if (tx.adjustmentTransactionKey) throw mambuError("TRANSACTION_ALREADY_REVERSED", `transaction ${String(tx.id)} is already adjusted`);
  if (tx.type === "CARD_TRANSACTION_REVERSAL") {
    throw mambuError("CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED", `transaction ${String(tx.id)} reverses a card transaction`);
  }
  if (!DEPOSIT_ADJUSTMENT_TYPES[String(tx.type)]) throw mambuError("INVALID_TRANSACTION_TYPE", `${String(tx.type)} transactions cannot be adjusted`);
  const dep = requireDeposit(ctx, String(tx.parentAccountKey));
  if (FINAL.has(String(dep.accountState))) throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  const amount = dec(tx.amount);
  if (amount.greaterThan(0)) checkFunds(ctx, dep, amount);
  const link = (tx.transferDetails ?? {}) as Record<string, unknown>;

  if (typeof link.linkedLoanTransactionKey === "string") {
    const loanTx = ctx.store.find("loanTransactions", link.linkedLoanTransactionKey);
    if (loanTx?.type === "DISBURSEMENT") throw mambuError("TRANSACTION_MADE_FROM_A_DISBURSEMENT", "adjust the loan's disbursement instead");
    if (loanTx && !loanTx.adjustmentTransactionKey) adjustLoanTransaction(ctx, loanTx.encodedKey, { notes: body.notes }, { fromDeposit: true });
    return reverse(ctx, tx, body.notes);
  }
  if (typeof link.linkedDepositTransactionKey === "string") {
    const other = ctx.store.find("depositTransactions", link.linkedDepositTransactionKey);
    if (other && !other.adjustmentTransactionKey) {
      const otherDep = requireDeposit(ctx, String(other.parentAccountKey));
      if (FINAL.has(String(otherDep.accountState))) throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(otherDep.id)} is ${String(otherDep.accountState)}`);
      const otherAmount = dec(other.amount);
      if (otherAmount.greaterThan(0)) checkFunds(ctx, otherDep, otherAmount);
      const adj = reverse(ctx, tx, body.notes);
      reverse(ctx, other, body.notes);
      return ctx.store.find("depositTransactions", adj.encodedKey) ?? adj;
    }
  }
  return reverse(ctx, tx, body.notes);
}
