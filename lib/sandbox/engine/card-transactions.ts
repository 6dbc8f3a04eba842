/**
 * Card financial transactions (`cards` Swagger file): `POST /cards/{token}/financialtransactions`
 * (CardTransactionInput → CardTransactionOutput) posts the card's payment to its account, and
 * `POST /cards/{token}/financialtransactions/{externalReferenceId}:decrease` (CardTransactionReversal) gives (part
 * of) it back.
 *
 * - On a deposit (debit card) the payment is a WITHDRAWAL carrying `cardTransaction`; its reversal a
 *   CARD_TRANSACTION_REVERSAL credit (`originalTransactionKey` = the withdrawal), all reversals together at most the
 *   payment (CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED).
 * - On a loan (credit card) the sandbox models the draw as the disbursement of an APPROVED loan of exactly its loan
 *   amount (`firstRepaymentDate` of the input is the disbursement's); revolving credit with repeated draws is not
 *   modelled (INVALID_ACCOUNT_STATE / INVALID_AMOUNT), and a draw is not reversed (CARD_TRANSACTION_CANNOT_BE_ADJUSTED).
 *
 * A payment naming a hold (`externalAuthorizationReferenceId`) settles it: the hold becomes SETTLED and its reserved
 * money is released in the same step as the account is debited, so the amount is never counted twice; the funds
 * check (skipped with `advice: true`) counts the released hold as available. `externalReferenceId`s of payments and
 * reversals are unique in the tenant (DUPLICATE_CARD_TRANSACTION).
 */
import { WireRecord } from "../types";
import { mambuError } from "../errors";
import { EngineContext } from "./context";
import { cardAccount, requireCard } from "./cards";
import { checkAvailable, requireHold, requirePending, restoreHold, settleHold, syncLoanHoldBalance } from "./card-holds";
import { depositCurrency, positiveAmount, postMovement } from "./deposit-common";
import { disburseLoan } from "./loan-disburse";
import { loanCurrency } from "./loan-common";
import { Dec, ZERO, dec, num, round, sum } from "./money";
import { transactionChannelFor } from "./transaction-channel";

/** The card transaction fields of a stored loan/deposit transaction, or undefined. */
function cardTxOf(tx: WireRecord): Record<string, unknown> | undefined {
  const c = tx.cardTransaction;
  return c && typeof c === "object" && !Array.isArray(c) ? (c as Record<string, unknown>) : undefined;
}

/** Every stored transaction made by a card (payments and reversals), with its collection. */
function cardTransactions(ctx: EngineContext): Array<{ coll: "depositTransactions" | "loanTransactions"; tx: WireRecord }> {
  const out: Array<{ coll: "depositTransactions" | "loanTransactions"; tx: WireRecord }> = [];
  for (const coll of ["depositTransactions", "loanTransactions"] as const) {
    for (const tx of ctx.store.all(coll)) if (cardTxOf(tx)) out.push({ coll, tx });
  }
  return out;
}

/** Refuses an externalReferenceId that a card payment or reversal already has. */
function checkUniqueReference(ctx: EngineContext, ref: string): void {
  if (cardTransactions(ctx).some(({ tx }) => cardTxOf(tx)?.externalReferenceId === ref)) {
    throw mambuError("DUPLICATE_CARD_TRANSACTION", `a card transaction with externalReferenceId ${ref.slice(0, 64)} exists`);
  }
}

/** The `cardTransaction` stored on the account's transaction (the CardTransaction definition). */
function cardTransactionRecord(ctx: EngineContext, token: string, body: Record<string, unknown>, amount: number, currency: string): Record<string, unknown> {
  const c: Record<string, unknown> = {
    encodedKey: ctx.store.newEncodedKey(),
    externalReferenceId: String(body.externalReferenceId),
    amount,
    advice: body.advice === true,
    cardToken: token,
    currencyCode: typeof body.currencyCode === "string" ? body.currencyCode : currency,
  };
  for (const f of ["externalAuthorizationReferenceId", "cardAcceptor", "userTransactionTime"] as const) if (body[f] !== undefined) c[f] = body[f];
  return c;
}

/**
 * `POST /cards/{token}/financialtransactions` (CardTransactionInput): posts the payment to the card's account
 * (see the module comment); answers the CardTransactionOutput with `linkedTransaction` naming the account's
 * transaction.
 */
export function createCardTransaction(ctx: EngineContext, token: string, input: Record<string, unknown> | undefined): Record<string, unknown> {
  const body = input ?? {};
  const { kind, account } = cardAccount(ctx, requireCard(ctx, token));
  const { code, dp } = kind === "loans" ? loanCurrency(account) : depositCurrency(account);
  const amount = round(positiveAmount(body.amount, "INVALID_AMOUNT"), dp);
  checkUniqueReference(ctx, String(body.externalReferenceId));
  const holdRef = typeof body.externalAuthorizationReferenceId === "string" ? body.externalAuthorizationReferenceId : undefined;
  const hold = holdRef !== undefined ? requireHold(ctx, token, holdRef, 400) : undefined;
  if (hold) requirePending(hold);
  const released = hold && hold.creditDebitIndicator !== "CRDT" ? dec(hold.amount) : ZERO;
  if (kind === "loans") {
    if (account.accountState !== "APPROVED") {
      throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(account.id)} is ${String(account.accountState)}: the sandbox posts a card draw on a loan as the disbursement of an APPROVED loan (revolving credit is not modelled)`);
    }
    if (!amount.equals(dec(account.loanAmount))) {
      throw mambuError("INVALID_AMOUNT", `a card draw on loan ${String(account.id)} must be its loan amount ${String(account.loanAmount)} (revolving credit is not modelled)`);
    }
  }
  if (body.advice !== true) checkAvailable(ctx, kind, account, amount, released);
  const card = cardTransactionRecord(ctx, token, body, num(amount, dp), code);
  // the contract requires the channel (CardTransactionInput.transactionChannelId)
  const channel = transactionChannelFor(ctx, {
    details: { transactionChannelId: body.transactionChannelId },
    account,
    kind: kind === "loans" ? "LOAN" : "DEPOSIT",
    type: kind === "loans" ? "DISBURSEMENT" : "WITHDRAWAL",
    amount,
    required: true,
    field: "transactionChannelId",
  });
  const details = channel ? { transactionDetails: channel } : {};
  const holdBefore = hold ? { ...hold } : undefined;
  if (hold) settleHold(ctx, hold);
  let linked: { linkedTransactionType: "LOAN" | "DEPOSIT"; linkedTransactionKey: string };
  try {
    if (kind === "deposits") {
      const { tx } = postMovement(ctx, account, {
        type: "WITHDRAWAL",
        amount: amount.negated(),
        valueDate: ctx.clock.nowIso(),
        noFundsCheck: true,
        fields: { cardTransaction: card, ...details },
      });
      linked = { linkedTransactionType: "DEPOSIT", linkedTransactionKey: tx.encodedKey };
    } else {
      const tx = disburseLoan(ctx, account.encodedKey, { amount: num(amount, dp), firstRepaymentDate: body.firstRepaymentDate, ...details });
      ctx.store.replace("loanTransactions", { ...(ctx.store.find("loanTransactions", tx.encodedKey) ?? tx), cardTransaction: card });
      syncLoanHoldBalance(ctx, account);
      linked = { linkedTransactionType: "LOAN", linkedTransactionKey: tx.encodedKey };
    }
  } catch (e) {
    if (holdBefore) restoreHold(ctx, holdBefore);
    throw e;
  }
  const out: Record<string, unknown> = {
    advice: body.advice === true,
    amount: card.amount,
    transactionChannelId: body.transactionChannelId,
    cardToken: token,
    externalReferenceId: card.externalReferenceId,
    encodedKey: card.encodedKey,
    linkedTransaction: linked,
    currencyCode: card.currencyCode,
  };
  for (const f of ["cardAcceptor", "firstRepaymentDate", "externalAuthorizationReferenceId", "userTransactionTime"] as const) if (body[f] !== undefined) out[f] = body[f];
  return out;
}

/** The card payment of a token by its externalReferenceId (not a reversal), or 404 CARD_TRANSACTION_NOT_FOUND. */
function requirePayment(ctx: EngineContext, token: string, ref: string): { coll: "depositTransactions" | "loanTransactions"; tx: WireRecord } {
  const found = cardTransactions(ctx).find(
    ({ tx }) => tx.type !== "CARD_TRANSACTION_REVERSAL" && cardTxOf(tx)?.cardToken === token && cardTxOf(tx)?.externalReferenceId === ref,
  );
  if (!found) throw mambuError("CARD_TRANSACTION_NOT_FOUND", `card transaction ${ref.slice(0, 64)} of card ${token.slice(0, 64)} not found`);
  return found;
}

/** What has been given back on a payment so far (its live reversals). */
function reversedOf(ctx: EngineContext, payment: WireRecord): Dec {
  return sum(
    ctx.store
      .all("depositTransactions")
      .filter((t) => t.type === "CARD_TRANSACTION_REVERSAL" && t.originalTransactionKey === payment.encodedKey && !t.adjustmentTransactionKey)
      .map((t) => dec(t.amount).abs()),
  );
}

/**
 * A card payment of a token by its externalReferenceId as it now is: the account's transaction, its
 * `cardTransaction` and what its live reversals gave back so far (the Services API answers a reversal with it).
 * 404 CARD_TRANSACTION_NOT_FOUND when the card has no such payment.
 */
export function cardPaymentOf(ctx: EngineContext, token: string, ref: string): { kind: "LOAN" | "DEPOSIT"; tx: WireRecord; card: Record<string, unknown>; reversed: Dec } {
  const { coll, tx } = requirePayment(ctx, token, ref);
  return { kind: coll === "loanTransactions" ? "LOAN" : "DEPOSIT", tx, card: cardTxOf(tx) ?? {}, reversed: coll === "loanTransactions" ? ZERO : reversedOf(ctx, tx) };
}

/**
 * `POST /cards/{token}/financialtransactions/{externalReferenceId}:decrease` (CardTransactionReversal): credits
 * `amount` of a deposit card payment back as a CARD_TRANSACTION_REVERSAL (answered 204).
 */
export function reverseCardTransaction(ctx: EngineContext, token: string, ref: string, input: Record<string, unknown> | undefined): void {
  const body = input ?? {};
  requireCard(ctx, token);
  const { coll, tx } = requirePayment(ctx, token, ref);
  if (coll === "loanTransactions") throw mambuError("CARD_TRANSACTION_CANNOT_BE_ADJUSTED", "the sandbox does not reverse card draws on loans");
  if (tx.adjustmentTransactionKey) throw mambuError("CARD_TRANSACTION_CANNOT_BE_ADJUSTED", `card transaction ${ref.slice(0, 64)} was adjusted`);
  const dep = ctx.store.find("deposits", String(tx.parentAccountKey));
  if (!dep) throw mambuError("CARD_TRANSACTION_NOT_FOUND", `the account of card transaction ${ref.slice(0, 64)} no longer exists`);
  const { code, dp } = depositCurrency(dep);
  const amount = round(positiveAmount(body.amount, "INVALID_AMOUNT"), dp);
  checkUniqueReference(ctx, String(body.externalReferenceId));
  const paid = dec(tx.amount).abs();
  const already = reversedOf(ctx, tx);
  if (already.plus(amount).greaterThan(paid)) {
    throw mambuError("CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED", `reversing ${amount.toString()} of ${paid.toString()} (already reversed ${already.toString()})`);
  }
  const original = cardTxOf(tx) ?? {};
  const card = cardTransactionRecord(ctx, token, { ...body, advice: original.advice === true }, num(amount, dp), code);
  // the channel the reversal names (checked), else the one of the transaction it reverses
  const named = body.transactionChannelId !== undefined && body.transactionChannelId !== null;
  const channel = named
    ? transactionChannelFor(ctx, { details: { transactionChannelId: body.transactionChannelId }, account: dep, kind: "DEPOSIT", type: "CARD_TRANSACTION_REVERSAL", amount, field: "transactionChannelId" })
    : (tx.transactionDetails as Record<string, unknown> | undefined);
  postMovement(ctx, dep, {
    type: "CARD_TRANSACTION_REVERSAL",
    amount,
    valueDate: ctx.clock.nowIso(),
    fields: { cardTransaction: card, originalTransactionKey: tx.encodedKey, ...(channel && typeof channel.transactionChannelId === "string" ? { transactionDetails: { ...channel } } : {}) },
  });
}
