/**
 * What the gateway's scheduled work (collections, standing orders) needs from the rest of the sandbox, in one
 * place: the Mambu deposit account an IBAN is mapped to (./identifications.ts), whether a SEPA direct-debit
 * blocking rule stops a collection (./blocking-rules.ts), and a debit of the account on the v2 deposit engine
 * dated when it was due (a WITHDRAWAL, as ./money.ts posts the gateway's other debits), whose refusal is an
 * outcome to record (a rejected collection, a failed execution), not an error answer.
 */
import { makeWithdrawal } from "../engine/deposit-transactions";
import type { SandboxContext } from "../router";
import { blockingRuleApplies } from "./blocking-rules";
import { depositForIdentification } from "./identifications";
import { SandboxError, WireRecord } from "../types";

/** Why a debit failed (the standing order executions' `failReason` values). */
export type FailReason = "INSUFFICIENT_FUNDS" | "ACCOUNT_INACTIVE" | "OTHER";

/** The outcome of a debit: the v2 transaction, or why there is none. */
export type DebitOutcome = { ok: true; transactionKey: string } | { ok: false; failReason: FailReason; text: string };

/** The deposit account mapped to an IBAN, or undefined. */
export function accountForIban(ctx: SandboxContext, iban: string): WireRecord | undefined {
  return depositForIdentification(ctx, { iban }, "EUR") ?? depositForIdentification(ctx, { iban });
}

/** Whether a blocking rule of the account stops collections under this mandate. */
export function collectionBlocked(ctx: SandboxContext, account: WireRecord, creditorId: string, mandateId: string): boolean {
  return blockingRuleApplies(ctx, account.encodedKey, { creditorIdentifier: creditorId, mandateIdentification: mandateId });
}

const FUNDS = new Set(["BALANCE_BELOW_ZERO", "MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED", "MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED"]);

/** Debits `amount` (decimal string) from a deposit account, dated `valueDate`; a refusal is an outcome, not a throw. */
export function debitAccount(ctx: SandboxContext, account: WireRecord, amount: string, valueDate: string, notes: string): DebitOutcome {
  try {
    const tx = makeWithdrawal(ctx, account.encodedKey, { amount, valueDate, notes: notes.slice(0, 255) });
    return { ok: true, transactionKey: tx.encodedKey };
  } catch (e) {
    if (!(e instanceof SandboxError)) throw e;
    if (FUNDS.has(e.errorReason)) return { ok: false, failReason: "INSUFFICIENT_FUNDS", text: e.errorSource ?? e.errorReason };
    if (e.errorReason === "INVALID_DEPOSIT_ACCOUNT_STATE") return { ok: false, failReason: "ACCOUNT_INACTIVE", text: e.errorSource ?? e.errorReason };
    return { ok: false, failReason: "OTHER", text: e.errorSource ?? e.errorReason };
  }
}
