/**
 * Cards of the Services API, first part: a card's balances (`GET /cards/{card_id}/balance`) and its authorization
 * holds (`POST /cards/{card_id}/holds`, `GET` and `DELETE /cards/{card_id}/holds/{hold_id}`). A card_id is a card
 * reference token linked to a loan or deposit account through API v2, and holds are API v2's: made by the same
 * card engine (../engine/card-holds.ts: available funds, reserved money, expiry by merchant code), so a hold made
 * here is the hold v2 shows and the account's balances count it. Amounts are exact decimal strings in the
 * account's currency (an amount in another currency is 400 INVALID_PARAMETERS: give the card payment's own sum as
 * original_amount); a hold_id already taken is 409. Not yet: PUT and :adjust of a hold, card transactions and their reversal.
 */
import Decimal from "decimal.js";
import { invalidParameters, mambuError } from "../errors";
import { balanceInquiry } from "../engine/cards";
import { createAuthorizationHold, getAuthorizationHold, pendingHolds, reverseAuthorizationHold } from "../engine/card-holds";
import { expireAuthorizationHolds } from "../engine/card-hold-expiry";
import type { RouteResponse, Router, SandboxContext } from "../router";
import { checkServicesBody } from "./contract";

const STATUS: Record<string, string> = { PENDING: "HoldPending", REVERSED: "HoldReversed", SETTLED: "HoldSettled", EXPIRED: "HoldExpired" };

/** An Amount from an engine sum (already rounded to the currency's digits): its plain decimal string. */
const decimals = (currency: string, value: unknown): { value: string; currency: string } => ({ value: new Decimal(String(value)).toFixed(), currency });

function balance(ctx: SandboxContext, cardId: string): Record<string, unknown> {
  expireAuthorizationHolds(ctx);
  const b = balanceInquiry(ctx, cardId, (loan) => pendingHolds(ctx, loan));
  const cur = String(b.currencyCode);
  return {
    account_id: String(b.accountId),
    available: decimals(cur, b.availableBalance),
    total: decimals(cur, b.totalBalance),
    ...(b.creditLimit !== undefined ? { credit_limit: decimals(cur, b.creditLimit) } : {}),
    card_type: b.cardType === "CREDIT" ? "Credit" : "Debit",
  };
}

function holdOf(ctx: SandboxContext, cardId: string, holdId: string): Record<string, unknown> {
  const v2 = getAuthorizationHold(ctx, cardId, holdId);
  const stored = ctx.store.find("authorizationholds", String(v2.encodedKey));
  const kind = stored?.accountType === "LOAN" ? "loans" : "deposits";
  const account = stored ? ctx.store.find(kind, String(stored.accountKey)) : undefined;
  const cur = String(v2.currencyCode);
  const acceptor = v2.cardAcceptor as Record<string, unknown> | undefined;
  return {
    hold_id: String(v2.externalReferenceId),
    card_id: cardId,
    account_id: String(account?.id ?? stored?.accountKey ?? ""),
    status: STATUS[String(v2.status)] ?? String(v2.status),
    amount: decimals(cur, v2.amount),
    ...(v2.advice !== undefined ? { advice: v2.advice === true } : {}),
    ...(v2.originalAmount !== undefined && typeof v2.originalCurrency === "string" ? { original_amount: decimals(v2.originalCurrency, v2.originalAmount) } : {}),
    ...(v2.exchangeRate !== undefined ? { exchange_rate: v2.exchangeRate } : {}),
    ...(acceptor ? { card_acceptor: { ...(acceptor.name !== undefined ? { name: acceptor.name } : {}), ...(acceptor.mcc !== undefined ? { m_c_c: acceptor.mcc } : {}) } } : {}),
  };
}

/** Registers the card routes served so far on the Services router (paths relative to `/v1`). */
export function registerServicesCardRoutes(router: Router): void {
  router.add("GET", "/cards/{card_id}/balance", (ctx, req): RouteResponse => ({ status: 200, body: balance(ctx, req.params.card_id) }));

  router.add("POST", "/cards/{card_id}/holds", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const cardId = req.params.card_id;
    const body = checkServicesBody("cards", "Hold", req.body);
    if (body.card_id !== undefined && body.card_id !== cardId) throw invalidParameters(`card_id: must equal the path's card_id "${cardId}"`);
    const account = balance(ctx, cardId);
    const amount = body.amount as { value: string; currency: string };
    const accountCurrency = (account.total as { currency: string }).currency;
    if (amount.currency !== accountCurrency) {
      throw invalidParameters(`amount.currency: a hold's amount is in the account's currency ${accountCurrency}, got ${amount.currency} (give the payment's own sum as original_amount)`);
    }
    const original = body.original_amount as { value: string; currency: string } | undefined;
    const acceptor = body.card_acceptor as { name?: string; m_c_c?: number } | undefined;
    if (ctx.store.find("authorizationholds", String(body.hold_id))?.externalReferenceId === body.hold_id) {
      throw mambuError("DUPLICATE_AUTHORIZATION_HOLD", `hold_id: a hold ${String(body.hold_id).slice(0, 64)} exists`, 409);
    }
    createAuthorizationHold(ctx, cardId, {
      externalReferenceId: body.hold_id,
      amount: amount.value,
      currencyCode: amount.currency,
      ...(body.advice === true ? { advice: true } : {}),
      ...(original ? { originalAmount: original.value, originalCurrency: original.currency } : {}),
      ...(body.exchange_rate !== undefined ? { exchangeRate: body.exchange_rate } : {}),
      ...(acceptor ? { cardAcceptor: { ...(acceptor.name !== undefined ? { name: acceptor.name } : {}), ...(acceptor.m_c_c !== undefined ? { mcc: acceptor.m_c_c } : {}) } } : {}),
    });
    return { status: 201, body: holdOf(ctx, cardId, String(body.hold_id)) };
  });

  router.add("GET", "/cards/{card_id}/holds/{hold_id}", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    return { status: 200, body: holdOf(ctx, req.params.card_id, req.params.hold_id) };
  });

  router.add("DELETE", "/cards/{card_id}/holds/{hold_id}", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    reverseAuthorizationHold(ctx, req.params.card_id, req.params.hold_id);
    return { status: 204 };
  });
}
