/**
 * Seizing blocked funds (`POST /deposits/{depositAccountId}/seizure-transactions`, `SeizeBlockAmount`): takes
 * (part of) a block's remaining amount out of the account as a `SEIZED_AMOUNT` transaction (negative amount,
 * `blockId` = the block's externalReferenceId, `transactionDetails.transactionChannelId`).
 *
 * - `amount` defaults to the block's remaining amount; more than the remaining amount is 400 INVALID_AMOUNT.
 * - Only money that is in the account can be seized: an amount above the total balance is 400
 *   BALANCE_BELOW_ZERO (a block may be larger than the balance; seize the rest after money comes in).
 * - The block's `seizedAmount` grows; it becomes SEIZED when nothing remains, else PARTIALLY_SEIZED; the account's
 *   `blockedBalance` and `totalBalance` both fall by the amount, so `availableBalance` does not change.
 * - `transactionChannelId` is required (400 TRANSACTION_CHANNEL_IS_MANDATORY) and must be an ACTIVE channel of the
 *   tenant that admits the account's product (transaction-channel.ts); the transaction records its id and key.
 * - A SEIZED_AMOUNT transaction cannot be adjusted (400 INVALID_TRANSACTION_TYPE, as Mambu has no adjustment type
 *   for it).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { DEBIT_STATES, depositCurrency, netBalance, postMovement, requireDeposit } from "./deposit-common";
import { adjustBlockedBalance } from "./deposit-holds-balance";
import { positiveBlockAmount, remainingOf, requireOpenBlock } from "./deposit-blocks";
import { ZERO, dec, max, num } from "./money";
import { transactionChannelFor } from "./transaction-channel";

/** Seizes (part of) a block; returns the SEIZED_AMOUNT deposit transaction. */
export function seizeBlockAmount(ctx: EngineContext, depId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const dep = requireDeposit(ctx, depId);
  if (!DEBIT_STATES.has(String(dep.accountState))) {
    throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  }
  const block = requireOpenBlock(ctx, dep, body.blockId, 400);
  const { dp } = depositCurrency(dep);
  const remaining = remainingOf(block);
  const amount = body.amount === undefined || body.amount === null ? remaining : positiveBlockAmount(body.amount, dp);
  if (amount.greaterThan(remaining)) {
    throw mambuError("INVALID_AMOUNT", `amount ${amount.toString()} is above the block's remaining ${remaining.toString()}`);
  }
  const channel = transactionChannelFor(ctx, {
    details: { transactionChannelId: body.transactionChannelId },
    account: dep,
    kind: "DEPOSIT",
    type: "SEIZED_AMOUNT",
    amount,
    required: true,
    field: "transactionChannelId",
  });
  const funds = max(netBalance(dep), ZERO);
  if (amount.greaterThan(funds)) {
    throw mambuError("BALANCE_BELOW_ZERO", `the account holds ${funds.toString()}; cannot seize ${amount.toString()}`);
  }
  const now = ctx.clock.nowIso();
  const seized = num(remaining.minus(amount), dp) === 0;
  ctx.store.replace("blockfunds", {
    ...block,
    seizedAmount: num(dec(block.seizedAmount).plus(amount), dp),
    state: seized ? "SEIZED" : "PARTIALLY_SEIZED",
    lastModifiedDate: now,
  });
  const unblocked = adjustBlockedBalance(ctx, dep, amount.negated());
  return postMovement(ctx, unblocked, {
    type: "SEIZED_AMOUNT",
    amount: amount.negated(),
    valueDate: now,
    body: { notes: body.notes, externalId: body.externalId },
    fields: { blockId: block.externalReferenceId, ...(channel ? { transactionDetails: channel } : {}) },
    noFundsCheck: true,
  }).tx;
}
