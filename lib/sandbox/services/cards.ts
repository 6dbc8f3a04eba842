/**
 * Cards of the Services API: a card_id is a card reference token linked to a loan or deposit account through
 * API v2, and everything a card does is API v2's card engine's (../engine/cards.ts, card-holds.ts,
 * card-transactions.ts, card-hold-expiry.ts), so a hold or a card transaction made here is the one v2 shows and
 * the account's balances count it. This module serves a card's balances (`GET /cards/{card_id}/balance`: the
 * account's available and total sums, its credit limit — a deposit's overdraft room, a loan's amount — and the card
 * type, Debit for a deposit, Credit for a loan) and registers the rest: authorization holds (create, get, replace,
 * adjust by a signed difference, revoke, expiry by the merchant's hold configuration: ./card-holds.ts) and card
 * transactions (settling a hold, posting to the account, reversals: ./card-transactions.ts). Amounts are exact
 * decimal strings in the account's currency, written with its decimals (./card-wire.ts).
 */
import { balanceInquiry } from "../engine/cards";
import { pendingHolds } from "../engine/card-holds";
import { expireAuthorizationHolds } from "../engine/card-hold-expiry";
import type { RouteResponse, Router, SandboxContext } from "../router";
import { registerServicesHoldRoutes } from "./card-holds";
import { registerServicesCardTransactionRoutes } from "./card-transactions";
import { amountOut, cardAccountOf } from "./card-wire";

/** The CardBalances answer of a card (expired holds released first). */
function balance(ctx: SandboxContext, cardId: string): Record<string, unknown> {
  expireAuthorizationHolds(ctx);
  const info = cardAccountOf(ctx, cardId);
  const b = balanceInquiry(ctx, cardId, (loan) => pendingHolds(ctx, loan));
  return {
    account_id: String(b.accountId),
    available: amountOut(b.availableBalance, info.currency, info.dp),
    total: amountOut(b.totalBalance, info.currency, info.dp),
    ...(b.creditLimit !== undefined ? { credit_limit: amountOut(b.creditLimit, info.currency, info.dp) } : {}),
    card_type: info.cardType,
  };
}

/** Registers the card routes on the Services router (paths relative to `/v1`). */
export function registerServicesCardRoutes(router: Router): void {
  router.add("GET", "/cards/{card_id}/balance", (ctx, req): RouteResponse => ({ status: 200, body: balance(ctx, req.params.card_id) }));
  registerServicesHoldRoutes(router);
  registerServicesCardTransactionRoutes(router);
}
