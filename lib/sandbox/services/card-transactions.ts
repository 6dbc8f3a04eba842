/**
 * Card financial transactions of the Services API over API v2's card engine (../engine/card-transactions.ts): one
 * transaction, seen from both APIs, posted to the card's account.
 *
 * - `POST /cards/{card_id}/transactions` (NewTransaction) posts `transaction.amount` to the account: a WITHDRAWAL
 *   of a deposit account (debit card), the disbursement of an APPROVED loan of exactly its loan amount (credit card:
 *   revolving credit is not modelled; `first_repay_time` is the disbursement's first repayment date, and
 *   `increase_amount_if_needed` changes nothing: a draw is always the whole loan amount). Naming a
 *   pending hold (`authorization_id`) settles it (HoldSettled) in the same step: its reserved money is released as
 *   the account is debited, never counted twice; a hold of another card, or not pending, is refused. The funds
 *   check counts the released hold as available; `advice: true` skips it. No `transaction_channel_id`: the
 *   tenant's default channel. A transaction_id already taken is 409.
 * - `POST /cards/{card_id}/transactions/{ref_id}/reverse` (TransactionReversal) credits `amount` of a deposit card
 *   payment back (a CARD_TRANSACTION_REVERSAL in API v2): partial reversals add up to at most the payment (400
 *   CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED beyond); a card draw on a loan is not reversed (400
 *   CARD_TRANSACTION_CANNOT_BE_ADJUSTED). The answer is the card transaction as it now is: its `amount` is what
 *   stays withdrawn after every reversal so far.
 *
 * Amounts are exact decimal strings in the account's currency (../services/card-wire.ts). An unknown card or
 * transaction is 404; a hold named by a transaction that the card does not have is 400 AUTHORIZATION_HOLD_NOT_FOUND.
 */
import { mambuError } from "../errors";
import { expireAuthorizationHolds } from "../engine/card-hold-expiry";
import { cardPaymentOf, createCardTransaction, reverseCardTransaction } from "../engine/card-transactions";
import { defaultTransactionChannel } from "../engine/transaction-channel";
import { dec } from "../engine/money";
import { SandboxError } from "../types";
import type { RouteResponse, Router, SandboxContext } from "../router";
import { checkServicesBody } from "./contract";
import { acceptorFromV2, acceptorToV2, amountIn, amountOut, cardAccountOf, samePathId, utcOut, type CardAccountInfo } from "./card-wire";

/** The Services answer (Transaction) of a card payment as it now is (amount: what stays withdrawn). */
function transactionAnswer(ctx: SandboxContext, info: CardAccountInfo, cardId: string, ref: string): Record<string, unknown> {
  const { card, reversed } = cardPaymentOf(ctx, cardId, ref);
  const acceptor = acceptorFromV2(card.cardAcceptor);
  const time = utcOut(card.userTransactionTime);
  return {
    transaction_id: String(card.externalReferenceId),
    card_id: cardId,
    amount: amountOut(dec(card.amount).minus(reversed), info.currency, info.dp),
    advice: card.advice === true,
    ...(acceptor ? { acceptor } : {}),
    ...(typeof card.externalAuthorizationReferenceId === "string" ? { authorization_id: card.externalAuthorizationReferenceId } : {}),
    ...(time !== undefined ? { transaction_time: time } : {}),
  };
}

/** Runs `f`, answering a duplicate card transaction reference with 409 (the Services API's status for a taken id). */
function conflictOnDuplicate<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SandboxError && e.errorReason === "DUPLICATE_CARD_TRANSACTION") throw mambuError("DUPLICATE_CARD_TRANSACTION", e.errorSource, 409);
    throw e;
  }
}

/** Registers the card transaction routes on the Services router (paths relative to `/v1`). */
export function registerServicesCardTransactionRoutes(router: Router): void {
  router.add("POST", "/cards/{card_id}/transactions", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const cardId = req.params.card_id;
    const info = cardAccountOf(ctx, cardId);
    const body = checkServicesBody("cards", "NewTransaction", req.body);
    const tx = body.transaction as Record<string, unknown>;
    samePathId(tx, "card_id", cardId);
    const amount = amountIn(info, tx.amount, "transaction.amount");
    const time = tx.transaction_time;
    if (time !== undefined && (typeof time !== "string" || Number.isNaN(Date.parse(time)))) throw mambuError("INVALID_PARAMETERS", "transaction.transaction_time: an RFC 3339 date-time");
    const channel = typeof body.transaction_channel_id === "string" ? body.transaction_channel_id : defaultTransactionChannel(ctx)?.id;
    const acceptor = acceptorToV2(tx.acceptor);
    const ref = String(tx.transaction_id);
    conflictOnDuplicate(() =>
      createCardTransaction(ctx, cardId, {
        externalReferenceId: ref,
        amount: amount.toFixed(),
        advice: tx.advice === true,
        currencyCode: info.currency,
        ...(channel !== undefined ? { transactionChannelId: channel } : {}),
        ...(typeof tx.authorization_id === "string" ? { externalAuthorizationReferenceId: tx.authorization_id } : {}),
        ...(acceptor ? { cardAcceptor: acceptor } : {}),
        ...(time !== undefined ? { userTransactionTime: time } : {}),
        ...(body.first_repay_time !== undefined ? { firstRepaymentDate: body.first_repay_time } : {}),
      }),
    );
    return { status: 201, body: transactionAnswer(ctx, info, cardId, ref) };
  });

  router.add("POST", "/cards/{card_id}/transactions/{ref_id}/reverse", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const { card_id: cardId, ref_id: ref } = req.params;
    const info = cardAccountOf(ctx, cardId);
    const body = checkServicesBody("cards", "TransactionReversal", req.body);
    cardPaymentOf(ctx, cardId, ref);
    const amount = amountIn(info, body.amount, "amount");
    conflictOnDuplicate(() =>
      reverseCardTransaction(ctx, cardId, ref, {
        externalReferenceId: ctx.store.newEncodedKey(),
        amount: amount.toFixed(),
        ...(typeof body.transaction_channel_id === "string" ? { transactionChannelId: body.transaction_channel_id } : {}),
      }),
    );
    return { status: 200, body: transactionAnswer(ctx, info, cardId, ref) };
  });
}
