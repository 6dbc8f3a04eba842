/**
 * Money movement of the gateway on the v2 deposit accounts of the same sandbox, through the deposit engine
 * (../engine/deposit-transactions.ts): a debit is a WITHDRAWAL, a credit a DEPOSIT, a reversal the adjustment of
 * the transaction (as `POST /deposits/transactions/{id}:adjust`), so API v2 sees the transactions and balances
 * (through the tenant's default transaction channel). A movement the engine refuses (funds short, account not
 * active, amount above the maximum withdrawal...) is 400 PAYMENT_FAILED naming the reason.
 */
import { adjustDepositTransaction, makeDeposit, makeWithdrawal } from "../engine/deposit-transactions";
import { depositCurrency } from "../engine/deposit-common";
import type { SandboxContext } from "../router";
import { SandboxError, WireRecord } from "../types";
import { tppError } from "./tpp";

/** Notes written on the gateway's transactions (at most 255 characters, as v2 notes). */
function notesOf(notes: string): string {
  return notes.length > 255 ? notes.slice(0, 255) : notes;
}

function failed(e: unknown, what: string, path?: string): never {
  if (e instanceof SandboxError) {
    throw tppError("PAYMENT_FAILED", `${what}: ${e.errorReason}${e.errorSource ? ` (${e.errorSource})` : ""}`, path);
  }
  throw e;
}

/**
 * Checks that an amount (decimal string) fits a deposit account: same currency, no more fraction digits than the
 * currency has, positive. Throws 400 PAYMENT_FAILED (currency) or FORMAT_ERROR (digits) on `path`.
 */
export function checkAmountFor(dep: WireRecord, amount: { amount: string; currency: string }, path = "instructedAmount"): void {
  const { code, dp } = depositCurrency(dep);
  if (amount.currency !== code) {
    throw tppError("PAYMENT_FAILED", `${path}.currency ${amount.currency} is not the currency of account ${String(dep.id)} (${code})`, `${path}.currency`);
  }
  const m = /^-?[0-9]+(?:\.([0-9]+))?$/.exec(amount.amount);
  if (!m || (m[1] ?? "").length > dp) throw tppError("FORMAT_ERROR", `${path}.amount: at most ${dp} decimals for ${code}`, `${path}.amount`);
  if (!/[1-9]/.test(amount.amount) || amount.amount.startsWith("-")) throw tppError("FORMAT_ERROR", `${path}.amount must be positive`, `${path}.amount`);
}

/** Debits a v2 deposit account (a WITHDRAWAL); returns the transaction. @throws TppError PAYMENT_FAILED */
export function debitDeposit(ctx: SandboxContext, depositKey: string, amount: string, notes: string): WireRecord {
  try {
    return makeWithdrawal(ctx, depositKey, { amount, notes: notesOf(notes) });
  } catch (e) {
    return failed(e, "the debit was refused");
  }
}

/** Credits a v2 deposit account (a DEPOSIT); returns the transaction. @throws TppError PAYMENT_FAILED */
export function creditDeposit(ctx: SandboxContext, depositKey: string, amount: string, notes: string): WireRecord {
  try {
    return makeDeposit(ctx, depositKey, { amount, notes: notesOf(notes) });
  } catch (e) {
    return failed(e, "the credit was refused");
  }
}

/**
 * Reverses a deposit transaction the gateway posted (its adjustment: the balance is restored and API v2 shows the
 * transaction adjusted); returns the adjustment. @throws TppError PAYMENT_FAILED when the engine refuses.
 */
export function reverseMovement(ctx: SandboxContext, transactionKey: string, notes: string): WireRecord {
  try {
    return adjustDepositTransaction(ctx, transactionKey, { notes: notesOf(notes) });
  } catch (e) {
    return failed(e, "the reversal was refused");
  }
}
