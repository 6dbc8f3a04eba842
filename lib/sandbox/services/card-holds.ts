/**
 * Authorization holds of the Services API (`/cards/{card_id}/holds…`) over API v2's card engine
 * (../engine/card-holds.ts): one hold, seen from both APIs, reserving the account's money.
 *
 * - `POST /cards/{card_id}/holds` places a hold (HoldPending); a hold_id already taken is 409.
 * - `GET …/holds/{hold_id}` reads it; `DELETE` revokes it (HoldReversed, its money released).
 * - `PUT …/holds/{hold_id}` replaces a pending hold: its amount (the difference is reserved or released; a rise is
 *   checked against the available funds unless the new hold says `advice: true`), original amount, exchange rate,
 *   acceptor, time, advice and source (left out: removed). hold_id is required and must be the path's.
 * - `POST …/holds/{hold_id}:adjust` changes a pending hold's amount by a signed `change`: the available balance
 *   moves by exactly the opposite; a rise is checked unless the adjustment says `advice: true`; a change taking the
 *   hold to zero or below is 400 INVALID_AMOUNT (revoke it instead). Each adjustment_id applies once per hold: a
 *   replay is 409 (the ORM's retries reuse one Idempotency-Key, which answers the first answer instead).
 * - A hold that is not pending (settled, reversed, expired) cannot be replaced or adjusted: 400
 *   INVALID_AUTHORIZATION_HOLD_STATE. An unknown card or hold is 404.
 * - Holds expire by their merchant's hold configuration (./hold-configs.ts, else `default`) on the sandbox clock:
 *   every route here first runs the expiry, so an expired hold reads HoldExpired and its money is available again.
 */
import Decimal from "decimal.js";
import { invalidParameters, mambuError } from "../errors";
import {
  createAuthorizationHold, decreaseAuthorizationHold, increaseAuthorizationHold, requireHold, requirePending, reverseAuthorizationHold,
} from "../engine/card-holds";
import { expireAuthorizationHolds } from "../engine/card-hold-expiry";
import type { WireRecord } from "../types";
import type { RouteResponse, Router, SandboxContext } from "../router";
import { checkServicesBody } from "./contract";
import { acceptorFromV2, acceptorToV2, amountIn, amountOut, cardAccountOf, checkCardType, samePathId, utcOut, type CardAccountInfo, type WireAmount } from "./card-wire";

const STATUS: Record<string, string> = { PENDING: "HoldPending", REVERSED: "HoldReversed", SETTLED: "HoldSettled", EXPIRED: "HoldExpired" };

/** Most adjustments one hold keeps (the sandbox's bound on what a peer can make it store). */
export const MAX_ADJUSTMENTS_PER_HOLD = 1000;

/** The Services answer (Hold) of a stored hold. */
export function holdAnswer(info: CardAccountInfo, cardId: string, h: WireRecord): Record<string, unknown> {
  const acceptor = acceptorFromV2(h.cardAcceptor);
  const original = h.svcOriginalAmount as WireAmount | undefined;
  const time = utcOut(h.userTransactionTime);
  return {
    hold_id: String(h.externalReferenceId),
    card_id: cardId,
    account_id: String(info.account.id),
    status: STATUS[String(h.status)] ?? String(h.status),
    amount: amountOut(h.amount, String(h.currencyCode ?? info.currency), info.dp),
    advice: h.advice === true,
    ...(original ? { original_amount: { ...original } } : {}),
    ...(typeof h.exchangeRate === "number" ? { exchange_rate: h.exchangeRate } : {}),
    ...(acceptor ? { card_acceptor: acceptor } : {}),
    type: info.cardType,
    ...(typeof h.svcSource === "string" ? { source: h.svcSource } : {}),
    ...(time !== undefined ? { user_transaction_time: time } : {}),
  };
}

/** An original_amount of a request, exactly as sent (any currency; positive). */
function originalIn(v: unknown): WireAmount | undefined {
  if (v === undefined) return undefined;
  const a = v as Partial<WireAmount>;
  if (typeof a.value !== "string" || !/^[0-9]{1,19}(\.[0-9]{1,9})?$/.test(a.value) || new Decimal(a.value).isZero()) {
    throw mambuError("INVALID_AMOUNT", `original_amount.value: a positive decimal string, got ${JSON.stringify(String(a.value).slice(0, 40))}`);
  }
  if (typeof a.currency !== "string" || !/^[A-Z]{3}$/.test(a.currency)) throw invalidParameters("original_amount.currency: an ISO 4217 code such as \"EUR\"");
  return { value: a.value, currency: a.currency };
}

/** The descriptive fields of a hold record from a Hold body (v2 fields and the Services-only ones), all replaced. */
function describedBy(body: Record<string, unknown>): Record<string, unknown> {
  const original = originalIn(body.original_amount);
  const time = body.user_transaction_time;
  if (time !== undefined && (typeof time !== "string" || Number.isNaN(Date.parse(time)))) throw invalidParameters("user_transaction_time: an RFC 3339 date-time");
  return {
    advice: body.advice === true,
    cardAcceptor: acceptorToV2(body.card_acceptor),
    originalAmount: original ? Number(original.value) : undefined,
    originalCurrency: original?.currency,
    svcOriginalAmount: original,
    exchangeRate: body.exchange_rate === undefined ? undefined : Number(String(body.exchange_rate)),
    userTransactionTime: time,
    svcSource: body.source,
  };
}

/** A stored hold with `fields` set (undefined ones removed). */
function replaceFields(ctx: SandboxContext, h: WireRecord, fields: Record<string, unknown>): WireRecord {
  const next: WireRecord = { ...h };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  return ctx.store.replace("authorizationholds", next);
}

/** Changes a pending hold's amount by `diff` through the engine (a rise checked unless `advice`). */
function moveAmount(ctx: SandboxContext, cardId: string, holdId: string, diff: Decimal, advice: boolean): void {
  if (diff.isPositive() && !diff.isZero()) increaseAuthorizationHold(ctx, cardId, holdId, { amount: diff.toFixed(), advice });
  else if (diff.isNegative()) decreaseAuthorizationHold(ctx, cardId, holdId, { amount: diff.negated().toFixed() });
}

/** Registers the hold routes on the Services router (paths relative to `/v1`). */
export function registerServicesHoldRoutes(router: Router): void {
  router.add("POST", "/cards/{card_id}/holds", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const cardId = req.params.card_id;
    const info = cardAccountOf(ctx, cardId);
    const body = checkServicesBody("cards", "Hold", req.body);
    samePathId(body, "card_id", cardId);
    checkCardType(info, body.type);
    const amount = amountIn(info, body.amount, "amount");
    const holdId = String(body.hold_id);
    if (ctx.store.find("authorizationholds", holdId)?.externalReferenceId === holdId) {
      throw mambuError("DUPLICATE_AUTHORIZATION_HOLD", `hold_id: a hold ${holdId.slice(0, 64)} exists`, 409);
    }
    const described = describedBy(body);
    createAuthorizationHold(ctx, cardId, {
      externalReferenceId: holdId,
      amount: amount.toFixed(),
      currencyCode: info.currency,
      ...(body.advice === true ? { advice: true } : {}),
      ...(described.cardAcceptor ? { cardAcceptor: described.cardAcceptor } : {}),
    });
    const stored = replaceFields(ctx, requireHold(ctx, cardId, holdId), described);
    return { status: 201, body: holdAnswer(info, cardId, stored) };
  });

  router.add("GET", "/cards/{card_id}/holds/{hold_id}", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const info = cardAccountOf(ctx, req.params.card_id);
    return { status: 200, body: holdAnswer(info, req.params.card_id, requireHold(ctx, req.params.card_id, req.params.hold_id)) };
  });

  router.add("PUT", "/cards/{card_id}/holds/{hold_id}", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const { card_id: cardId, hold_id: holdId } = req.params;
    const info = cardAccountOf(ctx, cardId);
    const body = checkServicesBody("cards", "Hold", req.body);
    samePathId(body, "hold_id", holdId);
    samePathId(body, "card_id", cardId);
    const h = requireHold(ctx, cardId, holdId);
    requirePending(h);
    checkCardType(info, body.type);
    const amount = amountIn(info, body.amount, "amount");
    const described = describedBy(body);
    moveAmount(ctx, cardId, holdId, amount.minus(String(h.amount)), body.advice === true);
    const stored = replaceFields(ctx, requireHold(ctx, cardId, holdId), described);
    return { status: 200, body: holdAnswer(info, cardId, stored) };
  });

  router.add("POST", "/cards/{card_id}/holds/{hold_id}:adjust", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    const { card_id: cardId, hold_id: holdId } = req.params;
    const info = cardAccountOf(ctx, cardId);
    const body = checkServicesBody("cards", "HoldAdjustment", req.body);
    const h = requireHold(ctx, cardId, holdId);
    const adjustmentId = String(body.adjustment_id);
    const done = Array.isArray(h.svcAdjustments) ? (h.svcAdjustments as string[]) : [];
    if (done.includes(adjustmentId)) throw mambuError("INVALID_PARAMETERS", `adjustment_id: adjustment ${adjustmentId.slice(0, 64)} was already applied to hold ${holdId.slice(0, 64)}`, 409);
    requirePending(h);
    if (done.length >= MAX_ADJUSTMENTS_PER_HOLD) throw invalidParameters(`adjustment_id: hold ${holdId.slice(0, 64)} has had ${MAX_ADJUSTMENTS_PER_HOLD} adjustments, the sandbox's most`);
    const change = amountIn(info, body.change, "change", true);
    const after = change.plus(String(h.amount));
    if (!after.isPositive() || after.isZero()) {
      throw mambuError("INVALID_AMOUNT", `change: ${change.toFixed()} would take hold ${holdId.slice(0, 64)} from ${String(h.amount)} to ${after.toFixed()}; a hold stays above zero (revoke it instead)`);
    }
    moveAmount(ctx, cardId, holdId, change, body.advice === true);
    const stored = replaceFields(ctx, requireHold(ctx, cardId, holdId), { svcAdjustments: [...done, adjustmentId] });
    return { status: 200, body: holdAnswer(info, cardId, stored) };
  });

  router.add("DELETE", "/cards/{card_id}/holds/{hold_id}", (ctx, req): RouteResponse => {
    expireAuthorizationHolds(ctx);
    cardAccountOf(ctx, req.params.card_id);
    reverseAuthorizationHold(ctx, req.params.card_id, req.params.hold_id);
    return { status: 204 };
  });
}
