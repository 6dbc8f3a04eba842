/**
 * Engine routes of cards and authorization holds (registered by ./routes.ts): the `cards` Swagger file (7
 * operations) plus `GET /cards/{cardReferenceToken}/balanceInquiry` (newer, from scripts/contract-supplement.json),
 * and the card operations of the loans and deposits files (link, list and unlink cards; list an account's holds).
 */
import { EngineRoute } from "./context";
import { CardAccountKind, balanceInquiry, createCard, deleteCard, listCards } from "./cards";
import {
  createAuthorizationHold, decreaseAuthorizationHold, getAuthorizationHold, increaseAuthorizationHold, listAuthorizationHolds,
  pendingHolds, reverseAuthorizationHold,
} from "./card-holds";
import { createCardTransaction, reverseCardTransaction } from "./card-transactions";

const HOLD = "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}";

/** The account-side card routes of one kind (`/loans/{loanAccountId}/…` or `/deposits/{depositAccountId}/…`). */
function accountRoutes(kind: CardAccountKind, param: "loanAccountId" | "depositAccountId"): EngineRoute[] {
  const base = `/${kind}/{${param}}`;
  return [
    { method: "GET", template: `${base}/cards`, handle: (ctx, r) => ({ status: 200, body: listCards(ctx, kind, r.params[param]) }) },
    { method: "POST", template: `${base}/cards`, handle: (ctx, r) => (createCard(ctx, kind, r.params[param], r.body), { status: 201 }) },
    {
      method: "DELETE",
      template: `${base}/cards/{cardReferenceToken}`,
      handle: (ctx, r) => (deleteCard(ctx, kind, r.params[param], r.params.cardReferenceToken), { status: 204 }),
    },
    { method: "GET", template: `${base}/authorizationholds`, handle: (ctx, r) => listAuthorizationHolds(ctx, kind, r.params[param], r.query) },
  ];
}

/** The routes of this area. */
export const routes: EngineRoute[] = [
  { method: "GET", template: "/cards/{cardReferenceToken}/balanceInquiry", handle: (ctx, r) => ({ status: 200, body: balanceInquiry(ctx, r.params.cardReferenceToken, (loan) => pendingHolds(ctx, loan)) }) },
  { method: "POST", template: "/cards/{cardReferenceToken}/authorizationholds", handle: (ctx, r) => ({ status: 201, body: createAuthorizationHold(ctx, r.params.cardReferenceToken, r.body) }) },
  { method: "GET", template: HOLD, handle: (ctx, r) => ({ status: 200, body: getAuthorizationHold(ctx, r.params.cardReferenceToken, r.params.authorizationHoldExternalReferenceId) }) },
  { method: "DELETE", template: HOLD, handle: (ctx, r) => (reverseAuthorizationHold(ctx, r.params.cardReferenceToken, r.params.authorizationHoldExternalReferenceId), { status: 204 }) },
  {
    method: "POST",
    template: `${HOLD}:increase`,
    handle: (ctx, r) => (increaseAuthorizationHold(ctx, r.params.cardReferenceToken, r.params.authorizationHoldExternalReferenceId, r.body), { status: 204 }),
  },
  {
    method: "POST",
    template: `${HOLD}:decrease`,
    handle: (ctx, r) => (decreaseAuthorizationHold(ctx, r.params.cardReferenceToken, r.params.authorizationHoldExternalReferenceId, r.body), { status: 204 }),
  },
  { method: "POST", template: "/cards/{cardReferenceToken}/financialtransactions", handle: (ctx, r) => ({ status: 201, body: createCardTransaction(ctx, r.params.cardReferenceToken, r.body) }) },
  {
    method: "POST",
    template: "/cards/{cardReferenceToken}/financialtransactions/{cardTransactionExternalReferenceId}:decrease",
    handle: (ctx, r) => (reverseCardTransaction(ctx, r.params.cardReferenceToken, r.params.cardTransactionExternalReferenceId, r.body), { status: 204 }),
  },
  ...accountRoutes("loans", "loanAccountId"),
  ...accountRoutes("deposits", "depositAccountId"),
];
