/**
 * Card authorization holds (`cards` Swagger file): `POST /cards/{token}/authorizationholds` creates a PENDING hold
 * on the card's account, `:increase` / `:decrease` change its amount, `DELETE` reverses it, a card transaction that
 * names it settles it (./card-transactions.ts); a PENDING hold expires after the days `authorizationholds.yaml` sets
 * (./card-hold-expiry.ts); `GET /loans|deposits/{id}/authorizationholds` lists an account's.
 *
 * Money: a debit (DBIT, the default) hold reserves its amount — on a deposit `balances.holdBalance` rises and
 * `availableBalance` falls by it (through {@link adjustHoldBalance}, the one arithmetic for a deposit's reserved
 * money); on a loan `balances.holdBalance` rises and the available credit (loanAmount − principalBalance − holds)
 * falls. A credit (CRDT) hold has no impact on the available balance (Mambu: "Credit holds have no impact"). So at
 * every moment an account's holdBalance = the sum of its PENDING DBIT holds. Without `advice: true`, a debit hold
 * (or increase) above the available funds is refused: AVAILABLE_BALANCE_BELOW_ZERO on a deposit (overdraft room
 * counts), INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS on a loan.
 *
 * Records (collection `authorizationholds`): the GetAuthorizationHold fields plus `id` = externalReferenceId (unique
 * in the tenant: DUPLICATE_AUTHORIZATION_HOLD), `accountKey`, `accountType`, `creationDate`; answers carry only the
 * contract's fields.
 */
import { WireRecord } from "../types";
import { mambuError } from "../errors";
import { validateQuery } from "../contract";
import { parsePaging } from "../list";
import { EngineContext, EngineResult } from "./context";
import { CardAccountKind, cardAccount, loanAvailableCredit, requireAccount, requireCard } from "./cards";
import { CREDIT_STATES, DEBIT_STATES, depositCurrency, netBalance, overdraftRoom, positiveAmount } from "./deposit-common";
import { adjustHoldBalance } from "./deposit-holds-balance";
import { loanCurrency } from "./loan-common";
import { Dec, ZERO, dec, num, round, sum } from "./money";

/** The fields of a hold that answers carry (GetAuthorizationHold), in Mambu's order. */
const HOLD_FIELDS = [
  "amount", "advice", "cardAcceptor", "creditDebitIndicator", "cardToken", "externalReferenceId", "originalAmount",
  "exchangeRate", "encodedKey", "userTransactionTime", "originalCurrency", "currencyCode", "status",
] as const;

/** Loan states in which a card may hold credit. */
const LOAN_HOLD_STATES = new Set(["APPROVED", "ACTIVE", "ACTIVE_IN_ARREARS"]);

/** A hold as `GetAuthorizationHold` (without `encodedKey` when `withKey` is false: the `AuthorizationHold` of a create). */
export function holdView(h: WireRecord, withKey = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of HOLD_FIELDS) if (h[f] !== undefined && (withKey || f !== "encodedKey")) out[f] = h[f];
  return out;
}

/** Whether a hold reserves money (PENDING and DBIT). */
function reserves(h: WireRecord): boolean {
  return h.status === "PENDING" && h.creditDebitIndicator !== "CRDT";
}

/** The sum of the PENDING DBIT holds of an account: what its `balances.holdBalance` must be. */
export function pendingHolds(ctx: EngineContext, account: WireRecord): Dec {
  return sum(ctx.store.all("authorizationholds").filter((h) => h.accountKey === account.encodedKey && reserves(h)).map((h) => dec(h.amount)));
}

/** Decimals of an account's currency. */
function dpOf(kind: CardAccountKind, account: WireRecord): number {
  return kind === "loans" ? loanCurrency(account).dp : depositCurrency(account).dp;
}

/**
 * Moves an account's reserved money by `delta` (a hold's amount reserved, positive, or released, negative). A
 * deposit goes through {@link adjustHoldBalance}; a loan's `balances.holdBalance` is set to its pending holds.
 */
export function applyHoldDelta(ctx: EngineContext, kind: CardAccountKind, account: WireRecord, delta: Dec): void {
  if (delta.isZero()) return;
  if (kind === "deposits") {
    adjustHoldBalance(ctx, account, delta);
    return;
  }
  syncLoanHoldBalance(ctx, account);
}

/** Writes a loan's `balances.holdBalance` = its pending holds (the loan is re-read). Returns the stored loan. */
export function syncLoanHoldBalance(ctx: EngineContext, loanIn: WireRecord): WireRecord {
  const loan = ctx.store.find("loans", loanIn.encodedKey) ?? loanIn;
  const held = num(pendingHolds(ctx, loan), loanCurrency(loan).dp);
  const b = (loan.balances ?? {}) as Record<string, unknown>;
  if (b.holdBalance === held) return loan;
  return ctx.store.replace("loans", { ...loan, balances: { ...b, holdBalance: held }, lastModifiedDate: ctx.clock.nowIso() });
}

/** What a debit may still take from an account (deposit: funds + overdraft room − holds − blocks; loan: available credit). */
export function availableFunds(ctx: EngineContext, kind: CardAccountKind, account: WireRecord, release: Dec = ZERO): Dec {
  if (kind === "loans") return loanAvailableCredit(account, pendingHolds(ctx, account).minus(release));
  const b = (account.balances ?? {}) as Record<string, unknown>;
  return netBalance(account).minus(dec(b.holdBalance).minus(release)).minus(dec(b.blockedBalance)).plus(overdraftRoom(ctx, account));
}

/** Refuses a debit above the available funds (the error of the account's kind). */
export function checkAvailable(ctx: EngineContext, kind: CardAccountKind, account: WireRecord, amount: Dec, release: Dec = ZERO): void {
  const room = availableFunds(ctx, kind, account, release);
  if (room.greaterThanOrEqualTo(amount)) return;
  const what = `requested ${amount.toString()}, available ${room.toString()}`;
  if (kind === "loans") throw mambuError("INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS", what);
  throw mambuError("AVAILABLE_BALANCE_BELOW_ZERO", what);
}

/** Checks that the account's state lets a card reserve (debit) or add (credit) money. */
function checkHoldState(kind: CardAccountKind, account: WireRecord, debit: boolean): void {
  const state = String(account.accountState);
  if (kind === "loans") {
    if (!LOAN_HOLD_STATES.has(state)) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(account.id)} is ${state}`);
    return;
  }
  if (!(debit ? DEBIT_STATES : CREDIT_STATES).has(state)) throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(account.id)} is ${state}`);
}

/**
 * A hold of a card by its externalReferenceId (or its encodedKey: the API reference says a hold is found "via id or
 * encoded key"), or undefined.
 */
export function findHold(ctx: EngineContext, token: string, ref: string): WireRecord | undefined {
  const h = ctx.store.find("authorizationholds", ref);
  return h && (h.externalReferenceId === ref || h.encodedKey === ref) && h.cardToken === token ? h : undefined;
}

/** A hold of a card, or 404 AUTHORIZATION_HOLD_NOT_FOUND (400 with `status` 400 when a body names it). */
export function requireHold(ctx: EngineContext, token: string, externalReferenceId: string, status?: number): WireRecord {
  const h = findHold(ctx, token, externalReferenceId);
  if (!h) throw mambuError("AUTHORIZATION_HOLD_NOT_FOUND", `authorization hold ${externalReferenceId.slice(0, 64)} of card ${token.slice(0, 64)} not found`, status);
  return h;
}

/** Refuses a hold that is not PENDING. */
export function requirePending(h: WireRecord): void {
  if (h.status !== "PENDING") throw mambuError("INVALID_AUTHORIZATION_HOLD_STATE", `authorization hold ${String(h.externalReferenceId)} is ${String(h.status)}`);
}

/** `POST /cards/{token}/authorizationholds` (AuthorizationHold): a PENDING hold; answers the AuthorizationHold. */
export function createAuthorizationHold(ctx: EngineContext, token: string, input: Record<string, unknown> | undefined): Record<string, unknown> {
  const body = input ?? {};
  const card = requireCard(ctx, token);
  const { kind, account } = cardAccount(ctx, card);
  const indicator = body.creditDebitIndicator === "CRDT" ? "CRDT" : "DBIT";
  const debit = indicator === "DBIT";
  checkHoldState(kind, account, debit);
  const dp = dpOf(kind, account);
  const amount = round(positiveAmount(body.amount, "INVALID_AMOUNT"), dp);
  const ref = String(body.externalReferenceId);
  if (ctx.store.find("authorizationholds", ref)?.externalReferenceId === ref) {
    throw mambuError("DUPLICATE_AUTHORIZATION_HOLD", `an authorization hold with externalReferenceId ${ref.slice(0, 64)} exists`);
  }
  if (debit && body.advice !== true) checkAvailable(ctx, kind, account, amount);
  const currency = kind === "loans" ? loanCurrency(account).code : depositCurrency(account).code;
  const hold: WireRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    id: ref,
    externalReferenceId: ref,
    amount: num(amount, dp),
    advice: body.advice === true,
    cardToken: token,
    creditDebitIndicator: indicator,
    currencyCode: typeof body.currencyCode === "string" ? body.currencyCode : currency,
    status: "PENDING",
    accountKey: account.encodedKey,
    accountType: kind === "loans" ? "LOAN" : "DEPOSIT",
    creationDate: ctx.clock.nowIso(),
  };
  for (const f of ["cardAcceptor", "userTransactionTime", "originalCurrency"] as const) if (body[f] !== undefined) hold[f] = body[f];
  for (const f of ["originalAmount", "exchangeRate"] as const) if (body[f] !== undefined && body[f] !== null) hold[f] = Number(dec(body[f]));
  ctx.store.insert("authorizationholds", hold);
  if (debit) applyHoldDelta(ctx, kind, account, amount);
  return holdView(hold, false);
}

/** `GET /cards/{token}/authorizationholds/{externalReferenceId}`: the GetAuthorizationHold. */
export function getAuthorizationHold(ctx: EngineContext, token: string, ref: string): Record<string, unknown> {
  requireCard(ctx, token);
  return holdView(requireHold(ctx, token, ref));
}

/** Sets a hold's status and amount and moves the account's reserved money accordingly. */
function updateHold(ctx: EngineContext, h: WireRecord, next: { status?: string; amount?: Dec }): WireRecord {
  const kind: CardAccountKind = h.accountType === "LOAN" ? "loans" : "deposits";
  const account = ctx.store.find(kind, String(h.accountKey));
  const before = reserves(h) ? dec(h.amount) : ZERO;
  const dp = account ? dpOf(kind, account) : 2;
  const stored = ctx.store.replace("authorizationholds", {
    ...h,
    ...(next.status ? { status: next.status } : {}),
    ...(next.amount ? { amount: num(next.amount, dp) } : {}),
  });
  const after = reserves(stored) ? dec(stored.amount) : ZERO;
  if (account) applyHoldDelta(ctx, kind, account, after.minus(before));
  return stored;
}

/** `DELETE /cards/{token}/authorizationholds/{externalReferenceId}`: REVERSED, its money released. */
export function reverseAuthorizationHold(ctx: EngineContext, token: string, ref: string): void {
  requireCard(ctx, token);
  const h = requireHold(ctx, token, ref);
  requirePending(h);
  updateHold(ctx, h, { status: "REVERSED" });
}

/**
 * `POST …/{externalReferenceId}:increase` (AuthorizationHoldAmountAdjustmentRequest): the hold grows by `amount`
 * (a debit hold within the available funds unless the request says `advice: true`).
 */
export function increaseAuthorizationHold(ctx: EngineContext, token: string, ref: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  const { kind, account } = cardAccount(ctx, requireCard(ctx, token));
  const h = requireHold(ctx, token, ref);
  requirePending(h);
  const by = round(positiveAmount(body.amount, "INVALID_AMOUNT"), dpOf(kind, account));
  if (h.creditDebitIndicator !== "CRDT" && body.advice !== true) checkAvailable(ctx, kind, account, by);
  updateHold(ctx, h, { amount: dec(h.amount).plus(by) });
}

/**
 * `POST …/{externalReferenceId}:decrease`: the hold shrinks by `amount`; an amount at or above the hold's reverses
 * it (Swagger: "if the amount is greater or equal to the authorization hold amount, then the authorization hold is
 * reversed").
 */
export function decreaseAuthorizationHold(ctx: EngineContext, token: string, ref: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  const { kind, account } = cardAccount(ctx, requireCard(ctx, token));
  const h = requireHold(ctx, token, ref);
  requirePending(h);
  const by = round(positiveAmount(body.amount, "INVALID_AMOUNT"), dpOf(kind, account));
  if (by.greaterThanOrEqualTo(dec(h.amount))) updateHold(ctx, h, { status: "REVERSED" });
  else updateHold(ctx, h, { amount: dec(h.amount).minus(by) });
}

/** Settles a PENDING hold (a card transaction named it): SETTLED, its money released. Returns the stored hold. */
export function settleHold(ctx: EngineContext, h: WireRecord): WireRecord {
  requirePending(h);
  return updateHold(ctx, h, { status: "SETTLED" });
}

/** Expires a PENDING hold (its days to expiration passed: card-hold-expiry.ts): EXPIRED, its money released. */
export function expireHold(ctx: EngineContext, h: WireRecord): WireRecord {
  requirePending(h);
  return updateHold(ctx, h, { status: "EXPIRED" });
}

/** Puts a hold back as it was (undo of a settlement whose transaction failed). */
export function restoreHold(ctx: EngineContext, h: WireRecord): void {
  const now = ctx.store.find("authorizationholds", h.encodedKey);
  if (now) updateHold(ctx, now, { status: String(h.status), amount: dec(h.amount) });
}

/**
 * `GET /loans/{loanAccountId}/authorizationholds` and `GET /deposits/{depositAccountId}/authorizationholds`: the
 * account's holds (GetAuthorizationHold), oldest first, optionally of one `status`, paged (`offset`, `limit`,
 * `paginationDetails=ON` → items-total headers).
 */
export function listAuthorizationHolds(ctx: EngineContext, kind: CardAccountKind, accountId: string, query: Record<string, string>): EngineResult {
  const template = kind === "loans" ? "/loans/{loanAccountId}/authorizationholds" : "/deposits/{depositAccountId}/authorizationholds";
  validateQuery(kind, "GET", template, query);
  const paging = parsePaging(query);
  const account = requireAccount(ctx, kind, accountId);
  const status = query.status;
  const all = ctx.store.all("authorizationholds").filter((h) => h.accountKey === account.encodedKey && (status === undefined || h.status === status));
  const body = all.slice(paging.offset, paging.offset + paging.limit).map((h) => holdView(h));
  const headers = paging.details
    ? { "items-total": String(all.length), "items-limit": String(paging.limit), "items-offset": String(paging.offset) }
    : undefined;
  return { status: 200, body, headers };
}
