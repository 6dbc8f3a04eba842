/**
 * Fees on a loan (`POST /loans/{loanAccountId}/fee-transactions`, `FeeLoanTransactionInput`): a FEE_APPLIED
 * transaction adding the fee to one installment — `installmentNumber`, or by default the first installment
 * not yet paid. The amount comes from the body or from the product's predefined fee (`predefinedFeeKey`).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { RUNNING, commitTransaction, frameOf, newLoanTransaction, reload, replay, requireLoan, transactionDate } from "./loan-common";
import { checkNoExcess, loanAmountInput, settle } from "./loan-payments";
import { installmentState } from "./loan-view";
import { Dec, dec, num } from "./money";
import { feeAmount, findFee } from "./products";

/** Applies a fee to a running loan; returns the FEE_APPLIED transaction. */
export function applyLoanFee(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const frame = frameOf(ctx, loan);
  let amount: Dec;
  let feeInfo: Record<string, unknown> | undefined;
  if (typeof body.predefinedFeeKey === "string" && body.predefinedFeeKey !== "") {
    const fee = findFee(frame.settings.fees, body.predefinedFeeKey);
    if (!fee || !fee.active) throw mambuError("INVALID_FEE", `fee ${body.predefinedFeeKey} is not an active fee of the product`);
    const fromProduct = feeAmount(fee, dec(loan.loanAmount));
    if (body.amount !== undefined && body.amount !== null) {
      amount = loanAmountInput(body.amount, frame.dp);
      if (fee.method === "FLAT" && fromProduct !== undefined && !fromProduct.equals(amount)) {
        throw mambuError("INVALID_FEE", `amount ${amount.toString()} differs from the product fee amount ${fromProduct.toString()}`);
      }
    } else {
      if (fromProduct === undefined) throw mambuError("INVALID_FEE", `fee ${body.predefinedFeeKey} has no amount; send one`);
      amount = loanAmountInput(num(fromProduct, frame.dp), frame.dp);
    }
    feeInfo = { predefinedFeeKey: fee.encodedKey ?? fee.id, ...(fee.name ? { name: fee.name } : {}), amount: num(amount, frame.dp), trigger: fee.trigger };
  } else {
    if (!frame.settings.allowArbitraryFees) throw mambuError("ARBITRARY_FEE_NOT_ALLOWED", "the product does not allow arbitrary fees");
    amount = loanAmountInput(body.amount, frame.dp);
  }
  const valueDate = transactionDate(ctx, loan, body.valueDate);
  const today = ctx.clock.today();
  const current = replay(ctx, frame);
  let target;
  if (body.installmentNumber !== undefined && body.installmentNumber !== null) {
    const n = Number(body.installmentNumber);
    target = current.installments[n - 1];
    if (!Number.isInteger(n) || !target) throw mambuError("INVALID_REPAYMENT_NUMBER", `installment ${String(body.installmentNumber)} does not exist`);
  } else {
    target = current.installments.find((i) => installmentState(i, today) !== "PAID" && installmentState(i, today) !== "GRACE");
  }
  if (!target || installmentState(target, today) === "PAID") {
    throw mambuError("CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT", `installment ${target?.number ?? "?"} is paid`);
  }
  const tx = newLoanTransaction(ctx, loan, "FEE_APPLIED", num(amount, frame.dp), valueDate, body);
  tx.installmentEncodedKey = target.encodedKey;
  if (feeInfo) tx.fees = [feeInfo];
  const ledger = replay(ctx, frame, [tx]);
  checkNoExcess(ledger);
  const stored = commitTransaction(ctx, tx);
  settle(ctx, frame, ledger);
  return reload(ctx, stored);
}
