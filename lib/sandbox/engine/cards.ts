/**
 * Card references linked to accounts (`GET/POST /loans|deposits/{id}/cards`, `DELETE …/cards/{token}`) and the
 * lookups the card operations share: a token names exactly one account (collection `cards`, record
 * `{ encodedKey, id: token, referenceToken, accountKey, accountType, creationDate }`; the id index makes a token
 * unique), and `GET /cards/{token}/balanceInquiry` answers that account's balances.
 *
 * Mambu stores only the token (the `Card` definition has `referenceToken` alone); card details stay with the issuer.
 */
import { WireRecord } from "../types";
import { mambuError } from "../errors";
import { EngineContext } from "./context";
import { depositCurrency, overdraftRoom, requireDeposit } from "./deposit-common";
import { loanCurrency, requireLoan } from "./loan-common";
import { Dec, ZERO, dec, max, num } from "./money";
import { path } from "./products";

/** Which kind of account a card is linked to (the engine collection). */
export type CardAccountKind = "loans" | "deposits";

/** Longest card reference token accepted (the sandbox's bound; Mambu documents none). */
export const MAX_TOKEN_LENGTH = 255;

/** Printable ASCII without spaces: what the sandbox accepts as a token (a path segment Mambu can echo). */
const TOKEN_RE = /^[\x21-\x7e]+$/;

/** Checks a token's format: 400 CARD_REFERENCE_TOKEN_FORMAT_INVALID. */
export function checkTokenFormat(token: unknown): string {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH || !TOKEN_RE.test(token)) {
    throw mambuError("CARD_REFERENCE_TOKEN_FORMAT_INVALID", `referenceToken must be 1 to ${MAX_TOKEN_LENGTH} printable ASCII characters without spaces`);
  }
  return token;
}

/** The account of a path (`/loans/{id}` or `/deposits/{id}`), or its 404. */
export function requireAccount(ctx: EngineContext, kind: CardAccountKind, idOrKey: string): WireRecord {
  return kind === "loans" ? requireLoan(ctx, idOrKey) : requireDeposit(ctx, idOrKey);
}

/** The card record of a token, or 404 CARD_REFERENCE_NOT_FOUND. */
export function requireCard(ctx: EngineContext, token: string): WireRecord {
  const card = ctx.store.find("cards", token);
  if (!card || card.referenceToken !== token) throw mambuError("CARD_REFERENCE_NOT_FOUND", `card ${token.slice(0, 64)} not found`);
  return card;
}

/** The account a card is linked to (the stored record, re-read), with its kind. */
export function cardAccount(ctx: EngineContext, card: WireRecord): { kind: CardAccountKind; account: WireRecord } {
  const kind: CardAccountKind = card.accountType === "LOAN" ? "loans" : "deposits";
  const account = ctx.store.find(kind, String(card.accountKey));
  if (!account) throw mambuError("CARD_REFERENCE_NOT_FOUND", `the account of card ${String(card.referenceToken)} no longer exists`);
  return { kind, account };
}

/** `POST /loans|deposits/{id}/cards` (Card): links a new token to the account; answered 201 without a body. */
export function createCard(ctx: EngineContext, kind: CardAccountKind, accountId: string, body: Record<string, unknown> | undefined): void {
  const account = requireAccount(ctx, kind, accountId);
  const token = checkTokenFormat(body?.referenceToken);
  if (ctx.store.find("cards", token)) throw mambuError("CARD_REFERENCE_TOKEN_ALREADY_IN_USE", `card ${token} is already linked to an account`);
  ctx.store.insert("cards", {
    encodedKey: ctx.store.newEncodedKey(),
    id: token,
    referenceToken: token,
    accountKey: account.encodedKey,
    accountType: kind === "loans" ? "LOAN" : "DEPOSIT",
    creationDate: ctx.clock.nowIso(),
  });
}

/** The card records linked to an account, in the order they were linked. */
export function cardsOf(ctx: EngineContext, account: WireRecord): WireRecord[] {
  return ctx.store.all("cards").filter((c) => c.accountKey === account.encodedKey);
}

/** `GET /loans|deposits/{id}/cards`: the account's cards as `Card` (`{ referenceToken }`). */
export function listCards(ctx: EngineContext, kind: CardAccountKind, accountId: string): Array<{ referenceToken: string }> {
  const account = requireAccount(ctx, kind, accountId);
  return cardsOf(ctx, account).map((c) => ({ referenceToken: String(c.referenceToken) }));
}

/**
 * `DELETE /loans|deposits/{id}/cards/{token}`: unlinks a card of this account (404 CARD_REFERENCE_NOT_FOUND when
 * the token is not linked to it); refused with CARD_REFERENCE_HAS_ASSOCIATED_HOLDS_OR_TRANSACTIONS while the card
 * has PENDING authorization holds. Its settled/reversed holds and its transactions stay on the account.
 */
export function deleteCard(ctx: EngineContext, kind: CardAccountKind, accountId: string, token: string): void {
  const account = requireAccount(ctx, kind, accountId);
  const card = requireCard(ctx, token);
  if (card.accountKey !== account.encodedKey) throw mambuError("CARD_REFERENCE_NOT_FOUND", `card ${token.slice(0, 64)} is not linked to account ${String(account.id)}`);
  const pending = ctx.store.all("authorizationholds").some((h) => h.cardToken === token && h.accountKey === account.encodedKey && h.status === "PENDING");
  if (pending) throw mambuError("CARD_REFERENCE_HAS_ASSOCIATED_HOLDS_OR_TRANSACTIONS", `card ${token} has pending authorization holds`);
  ctx.store.remove("cards", card.encodedKey);
}

/** The money a loan has available for card use: loanAmount − principalBalance − holds (never below zero). */
export function loanAvailableCredit(loan: WireRecord, holds: Dec): Dec {
  return max(dec(loan.loanAmount).minus(dec(path(loan, "balances", "principalBalance"))).minus(holds), ZERO);
}

/**
 * `GET /cards/{token}/balanceInquiry` (AccountBalances, newer than the 2021 Swagger files). A deposit (DEBIT card):
 * totalBalance, availableBalance = totalBalance − holdBalance − blockedBalance, creditLimit = the overdraft limit
 * when overdrafts are allowed (else 0). A loan (CREDIT card): creditLimit = loanAmount, totalBalance = what is owed
 * (principal, interest, fees and penalties), availableBalance = the available credit.
 */
export function balanceInquiry(ctx: EngineContext, token: string, loanHolds: (loan: WireRecord) => Dec): Record<string, unknown> {
  const { kind, account } = cardAccount(ctx, requireCard(ctx, token));
  if (kind === "deposits") {
    const { code, dp } = depositCurrency(account);
    const b = (account.balances ?? {}) as Record<string, unknown>;
    const total = dec(b.totalBalance);
    return {
      accountId: String(account.id),
      availableBalance: num(total.minus(dec(b.holdBalance)).minus(dec(b.blockedBalance)), dp),
      cardType: "DEBIT",
      creditLimit: num(overdraftRoom(ctx, account), dp),
      currencyCode: code,
      totalBalance: num(total, dp),
    };
  }
  const { code, dp } = loanCurrency(account);
  const b = (account.balances ?? {}) as Record<string, unknown>;
  const owed = dec(b.principalBalance).plus(dec(b.interestBalance)).plus(dec(b.feesBalance)).plus(dec(b.penaltyBalance));
  return {
    accountId: String(account.id),
    availableBalance: num(loanAvailableCredit(account, loanHolds(account)), dp),
    cardType: "CREDIT",
    creditLimit: num(dec(account.loanAmount), dp),
    currencyCode: code,
    totalBalance: num(owed, dp),
  };
}
