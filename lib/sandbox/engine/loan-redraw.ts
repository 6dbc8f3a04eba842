/**
 * The redraw balance of loans whose product has `redrawSettings.allowRedraw` (Mambu: dynamic term loans with
 * declining balance, equal installments): money paid in ahead of the schedule and held against the outstanding
 * principal, available to withdraw or to pay installments with.
 * - `POST /loans/{loanAccountId}/payment-made-transactions` (`PaymentMadeTransactionInput`): PAYMENT_MADE into the
 *   redraw balance, which may not exceed the principal balance (EXCESS_PAYMENT_MADE_AMOUNT);
 * - `/withdrawal-transactions` (`WithdrawalRedrawTransactionInput`): WITHDRAWAL_REDRAW out of it
 *   (INSUFFICIENT_REDRAW_BALANCE);
 * - `/redraw-repayment-transactions` (`RedrawRepaymentTransactionInputDTO`): REDRAW_REPAYMENT, a repayment paid from
 *   it (default amount: what is due today, up to the redraw balance), allocated as repayments are.
 * Products without redraw refuse them with PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS,
 * PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS and REDRAW_DISABLED. The loan's `balances.redrawBalance` and the
 * transactions' `accountBalances.redrawBalance` follow it. The engine's interest is the schedule's: the redraw
 * balance does not lower it (in Mambu, interest runs on principal minus redraw).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { totalOf } from "./allocation";
import { RUNNING, commitTransaction, frameOf, newLoanTransaction, reload, replay, requireLoan, transactionDate } from "./loan-common";
import { Ledger } from "./loan-ledger";
import { checkNoExcess, loanAmountInput, settle } from "./loan-payments";
import { dueOn } from "./loan-view";
import { Dec, min, num } from "./money";
import { loanProductOf } from "./loan-schedule";
import { path } from "./products";
import { withTransactionChannel } from "./transaction-channel";

type RedrawType = "PAYMENT_MADE" | "WITHDRAWAL_REDRAW" | "REDRAW_REPAYMENT";
const REFUSAL = {
  PAYMENT_MADE: "PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS",
  WITHDRAWAL_REDRAW: "PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS",
  REDRAW_REPAYMENT: "REDRAW_DISABLED",
} as const;

/** Whether the loan's product has redraw enabled. */
export function redrawEnabled(ctx: EngineContext, loan: WireRecord): boolean {
  return path(loanProductOf(ctx, loan.productTypeKey), "redrawSettings", "allowRedraw") === true;
}

function checkRedraw(ledger: Ledger): void {
  for (const eff of ledger.effects.values()) {
    if (eff.redraw.isNegative()) throw mambuError("INSUFFICIENT_REDRAW_BALANCE", "the redraw balance would go below zero");
    if (eff.redraw.greaterThan(eff.principalBalance)) throw mambuError("EXCESS_PAYMENT_MADE_AMOUNT", "the redraw balance would exceed the principal balance");
  }
}

function postRedraw(ctx: EngineContext, type: RedrawType, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE_FOR_REPAYMENTS", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  if (!redrawEnabled(ctx, loan)) throw mambuError(REFUSAL[type], `the product of loan ${String(loan.id)} has no redraw`);
  const frame = frameOf(ctx, loan);
  const valueDate = transactionDate(ctx, loan, body.valueDate);
  let amount: Dec;
  if (type === "REDRAW_REPAYMENT" && (body.amount === undefined || body.amount === null)) {
    const now = replay(ctx, frame);
    amount = min(now.redraw, totalOf(dueOn(now, ctx.clock.today())));
    if (!amount.greaterThan(0)) throw mambuError("INVALID_AMOUNT", "nothing is due or the redraw balance is empty");
  } else {
    amount = loanAmountInput(body.amount, frame.dp);
  }
  // PAYMENT_MADE and WITHDRAWAL_REDRAW move money through a channel (their inputs carry transactionDetails)
  const through = type === "REDRAW_REPAYMENT" ? body : withTransactionChannel(ctx, body, { account: loan, kind: "LOAN", type, amount });
  const tx = newLoanTransaction(ctx, loan, type, num(amount, frame.dp), valueDate, through);
  if (typeof body.originalCurrencyCode === "string") tx.originalCurrencyCode = body.originalCurrencyCode;
  const ledger = replay(ctx, frame, [tx]);
  checkRedraw(ledger);
  checkNoExcess(ledger);
  const stored = commitTransaction(ctx, tx);
  settle(ctx, frame, ledger);
  return reload(ctx, stored);
}

/** PAYMENT_MADE: money into the redraw balance. */
export function makePaymentMade(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  return postRedraw(ctx, "PAYMENT_MADE", loanId, input);
}

/** WITHDRAWAL_REDRAW: money out of the redraw balance. */
export function makeRedrawWithdrawal(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  return postRedraw(ctx, "WITHDRAWAL_REDRAW", loanId, input);
}

/** REDRAW_REPAYMENT: a repayment paid from the redraw balance. */
export function makeRedrawRepayment(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  return postRedraw(ctx, "REDRAW_REPAYMENT", loanId, input);
}
