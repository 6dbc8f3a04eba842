/**
 * `Services.Card`: a card of the Services API (`/v1/cards/{card_id}`), named by its reference token: its balances,
 * its authorization holds (create, get, update, adjust by a signed difference, revoke) and its financial
 * transactions (settling a hold; reversed in part or whole). Amounts are exact `Decimal`s in their currency.
 */
import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import { MambuTsError } from "../../errors";
import { services } from "../../core/services";
import type { Decimal } from "../../core/money";
import type { MambuConnector } from "../../transport/connector";
import { amountIn, amountOut, callOpts, dateTimeIn, decimalIn, optDateTimeOut, optDecimalOut, optStrOut, strOut, type Amount, type AmountInput, type CreateOptions, type ServicesOptions } from "./wire";

/** A card's balances. */
export interface CardBalance {
  /** The account the card draws on. */
  accountId: string;
  /** What can be spent now. */
  available: Amount;
  /** The account's balance. */
  total: Amount;
  cardType?: "Debit" | "Credit";
  /** The credit limit of a credit card. */
  creditLimit?: Amount;
}

/** The status of a hold. */
export type HoldStatus = "HoldPending" | "HoldReversed" | "HoldSettled" | "HoldExpired";

/** The merchant that accepted a card: its name, merchant category code (0..9999) and address. */
export interface CardAcceptor {
  name?: string;
  /** Merchant category code: a hold's expiry follows the hold configuration of this code (`Services.HoldConfig`). */
  m_c_c?: number;
  /** Optional parts: line1, line2, city, region, postcode, country. */
  address?: Record<string, string>;
}

/** What creates a hold. */
export interface HoldInput {
  /** The hold's identifier, chosen by the caller (default: a random UUID). */
  holdId?: string;
  /** The amount held, in the card account's currency. */
  amount: AmountInput;
  /** The card payment's own sum, when in another currency. */
  originalAmount?: AmountInput;
  /** The rate from the original currency (a `Decimal` or a decimal string). */
  exchangeRate?: Decimal | string;
  /** An advice (already authorised elsewhere). */
  advice?: boolean;
  type?: "Debit" | "Credit";
  source?: "CardSource" | "AccountSource";
  /** Where the card was used. */
  cardAcceptor?: CardAcceptor;
  userTransactionTime?: DateTime | Date | string;
}

/** The wire body of a Hold from its fields (a create's or a replacement's). */
function holdBody(holdId: string, input: Omit<HoldInput, "holdId">, what: string): Record<string, unknown> {
  if (typeof holdId !== "string" || holdId === "") throw new MambuTsError(`${what}: holdId must be a non-empty string`);
  const body: Record<string, unknown> = { hold_id: holdId, amount: amountIn(input.amount, "amount") };
  if (input.originalAmount !== undefined) body.original_amount = amountIn(input.originalAmount, "originalAmount");
  if (input.exchangeRate !== undefined) body.exchange_rate = decimalIn(input.exchangeRate, "exchangeRate");
  if (input.advice !== undefined) body.advice = input.advice;
  if (input.type !== undefined) body.type = input.type;
  if (input.source !== undefined) body.source = input.source;
  if (input.cardAcceptor !== undefined) body.card_acceptor = input.cardAcceptor;
  if (input.userTransactionTime !== undefined) body.user_transaction_time = dateTimeIn(input.userTransactionTime, "userTransactionTime");
  return body;
}

/** An authorization hold on a card. */
export class Hold {
  readonly holdId: string;
  readonly cardId: string;
  readonly accountId: string;
  readonly amount: Amount;
  readonly status: HoldStatus;
  readonly originalAmount?: Amount;
  readonly exchangeRate?: Decimal;
  readonly advice?: boolean;
  readonly type?: "Debit" | "Credit";
  readonly source?: "CardSource" | "AccountSource";
  readonly userTransactionTime?: DateTime;
  /** The merchant. */
  readonly cardAcceptor?: CardAcceptor;
  readonly #connector?: MambuConnector;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>, connector?: MambuConnector) {
    if (r.card_acceptor !== undefined && r.card_acceptor !== null) this.cardAcceptor = r.card_acceptor as CardAcceptor;
    this.holdId = strOut(r.hold_id, "hold_id");
    this.cardId = strOut(r.card_id, "card_id");
    this.accountId = strOut(r.account_id, "account_id");
    this.amount = amountOut(r.amount, "amount");
    this.status = strOut(r.status, "status") as HoldStatus;
    if (r.original_amount !== undefined) this.originalAmount = amountOut(r.original_amount, "original_amount");
    this.exchangeRate = optDecimalOut(r.exchange_rate, "exchange_rate");
    if (typeof r.advice === "boolean") this.advice = r.advice;
    this.type = optStrOut(r.type) as Hold["type"];
    this.source = optStrOut(r.source) as Hold["source"];
    this.userTransactionTime = optDateTimeOut(r.user_transaction_time, "user_transaction_time");
    this.#connector = connector;
  }

  /**
   * Changes the held amount by `change` (signed: `"-2.50"` releases part of it); `adjustmentId` identifies the
   * adjustment (default: a random UUID). Answers the hold as it now is.
   */
  async adjust(change: AmountInput, opts?: CreateOptions & { adjustmentId?: string; advice?: boolean }): Promise<Hold> {
    const o = callOpts(opts, this.#connector);
    const body: Record<string, unknown> = { adjustment_id: opts?.adjustmentId ?? randomUUID(), change: amountIn(change, "change") };
    if (opts?.advice !== undefined) body.advice = opts.advice;
    return new Hold((await services.cards.adjustAuthorizationHold({ card_id: this.cardId, hold_id: this.holdId }, body as never, o)) as Record<string, unknown>, o.connector);
  }

  /**
   * Replaces this pending hold with its fields changed by `changes` (the others kept as they are; a key given as
   * `undefined` removes that field): a new `amount` reserves or releases the difference. Answers the hold as it
   * now is. @throws MambuError (400 INVALID_AUTHORIZATION_HOLD_STATE) when the hold is no longer pending.
   */
  async update(changes: Partial<Omit<HoldInput, "holdId">>, opts?: CreateOptions): Promise<Hold> {
    if (typeof changes !== "object" || changes === null) throw new MambuTsError("Services.Hold.update: give the fields to change, e.g. { amount }");
    const current: Omit<HoldInput, "holdId"> = { amount: this.amount };
    if (this.originalAmount !== undefined) current.originalAmount = this.originalAmount;
    if (this.exchangeRate !== undefined) current.exchangeRate = this.exchangeRate;
    if (this.advice !== undefined) current.advice = this.advice;
    if (this.type !== undefined) current.type = this.type;
    if (this.source !== undefined) current.source = this.source;
    if (this.cardAcceptor !== undefined) current.cardAcceptor = this.cardAcceptor;
    if (this.userTransactionTime !== undefined) current.userTransactionTime = this.userTransactionTime;
    const next = { ...current, ...changes } as Omit<HoldInput, "holdId">;
    if (next.amount === undefined) throw new MambuTsError("Services.Hold.update: a hold keeps an amount");
    const o = callOpts(opts, this.#connector);
    const body = holdBody(this.holdId, next, "Services.Hold.update");
    return new Hold((await services.cards.updateAuthorizationHold({ card_id: this.cardId, hold_id: this.holdId }, body as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Revokes this hold (the amount is available again); answers the hold as it now is. */
  async revoke(opts?: ServicesOptions): Promise<Hold> {
    const o = callOpts(opts, this.#connector);
    await services.cards.revokeAuthorizationHold({ card_id: this.cardId, hold_id: this.holdId }, o);
    return new Hold((await services.cards.getAuthorizationHold({ card_id: this.cardId, hold_id: this.holdId }, o)) as Record<string, unknown>, o.connector);
  }
}

/** A card's holds: `card.holds.create({...})`, `card.holds.get(id)`. */
export class CardHolds {
  readonly #card: Card;

  /** @internal */
  constructor(card: Card) {
    this.#card = card;
  }

  /** Places a hold on the card. @throws MambuError (409) when its holdId is taken. */
  async create(input: HoldInput, opts?: CreateOptions): Promise<Hold> {
    if (typeof input !== "object" || input === null) throw new MambuTsError("Services.Card.holds.create: give { amount, ... }");
    const o = callOpts(opts, this.#card.connector);
    const { holdId = randomUUID(), ...fields } = input;
    const body = holdBody(holdId, fields, "Services.Card.holds.create");
    return new Hold((await services.cards.createAuthorizationHold({ card_id: this.#card.cardId }, body as never, o)) as Record<string, unknown>, o.connector);
  }

  /** The hold `holdId` of the card. @throws MambuError (404) when there is none. */
  async get(holdId: string, opts?: ServicesOptions): Promise<Hold> {
    const o = callOpts(opts, this.#card.connector);
    return new Hold((await services.cards.getAuthorizationHold({ card_id: this.#card.cardId, hold_id: holdId }, o)) as Record<string, unknown>, o.connector);
  }
}

/** What creates a card transaction. */
export interface CardTransactionInput {
  /** The transaction's identifier, chosen by the caller (default: a random UUID). */
  transactionId?: string;
  amount: AmountInput;
  /** The hold it settles, when there is one. */
  authorizationId?: string;
  advice?: boolean;
  /** The merchant. */
  acceptor?: CardAcceptor;
  transactionTime?: DateTime | Date | string;
  transactionChannelId?: string;
  /** Let the amount exceed the available balance (credit cards). */
  increaseAmountIfNeeded?: boolean;
  firstRepayTime?: DateTime | Date | string;
}

/** A financial transaction on a card. */
export class CardTransaction {
  readonly transactionId: string;
  readonly cardId: string;
  /** The sum withdrawn; after reversals, what stays withdrawn. */
  readonly amount: Amount;
  /** The hold it settled, when it named one. */
  readonly authorizationId?: string;
  readonly advice?: boolean;
  readonly transactionTime?: DateTime;
  /** The merchant. */
  readonly acceptor?: CardAcceptor;
  readonly #connector?: MambuConnector;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>, connector?: MambuConnector) {
    if (r.acceptor !== undefined && r.acceptor !== null) this.acceptor = r.acceptor as CardAcceptor;
    this.transactionId = strOut(r.transaction_id, "transaction_id");
    this.cardId = strOut(r.card_id, "card_id");
    this.amount = amountOut(r.amount, "amount");
    this.authorizationId = optStrOut(r.authorization_id);
    if (typeof r.advice === "boolean") this.advice = r.advice;
    this.transactionTime = optDateTimeOut(r.transaction_time, "transaction_time");
    this.#connector = connector;
  }

  /**
   * Reverses `amount` of this transaction (all or part of it: reversals add up to at most the amount), crediting it
   * back to the account; answers the transaction as it now is, its `amount` what stays withdrawn.
   */
  async reverse(amount: AmountInput, opts?: CreateOptions & { transactionChannelId?: string }): Promise<CardTransaction> {
    const o = callOpts(opts, this.#connector);
    const body: Record<string, unknown> = { amount: amountIn(amount, "amount") };
    if (opts?.transactionChannelId !== undefined) body.transaction_channel_id = opts.transactionChannelId;
    return new CardTransaction((await services.cards.reverseCardTransaction({ card_id: this.cardId, ref_id: this.transactionId }, body as never, o)) as Record<string, unknown>, o.connector);
  }
}

/** A card's transactions: `card.transactions.create({...})`. */
export class CardTransactions {
  readonly #card: Card;

  /** @internal */
  constructor(card: Card) {
    this.#card = card;
  }

  /** Posts a financial transaction on the card (settling a hold when `authorizationId` names one). */
  async create(input: CardTransactionInput, opts?: CreateOptions): Promise<CardTransaction> {
    if (typeof input !== "object" || input === null) throw new MambuTsError("Services.Card.transactions.create: give { amount, ... }");
    const o = callOpts(opts, this.#card.connector);
    const tx: Record<string, unknown> = { transaction_id: input.transactionId ?? randomUUID(), card_id: this.#card.cardId, amount: amountIn(input.amount, "amount") };
    if (input.authorizationId !== undefined) tx.authorization_id = input.authorizationId;
    if (input.advice !== undefined) tx.advice = input.advice;
    if (input.acceptor !== undefined) tx.acceptor = input.acceptor;
    if (input.transactionTime !== undefined) tx.transaction_time = dateTimeIn(input.transactionTime, "transactionTime");
    const body: Record<string, unknown> = { transaction: tx };
    if (input.transactionChannelId !== undefined) body.transaction_channel_id = input.transactionChannelId;
    if (input.increaseAmountIfNeeded !== undefined) body.increase_amount_if_needed = input.increaseAmountIfNeeded;
    if (input.firstRepayTime !== undefined) body.first_repay_time = dateTimeIn(input.firstRepayTime, "firstRepayTime");
    return new CardTransaction((await services.cards.createCardTransaction({ card_id: this.#card.cardId }, body as never, o)) as Record<string, unknown>, o.connector);
  }
}

/** A card, by its reference token: `Services.Card.get("CARD-1", { connector }).balance()`. */
export class Card {
  /** The card's reference token. */
  readonly cardId: string;
  /** The card's holds. */
  readonly holds: CardHolds;
  /** The card's financial transactions. */
  readonly transactions: CardTransactions;
  readonly #connector?: MambuConnector;

  private constructor(cardId: string, connector?: MambuConnector) {
    this.cardId = cardId;
    this.#connector = connector;
    this.holds = new CardHolds(this);
    this.transactions = new CardTransactions(this);
  }

  /** The connector this card was got with (undefined: the default one). @internal */
  get connector(): MambuConnector | undefined {
    return this.#connector;
  }

  /** `{ cardId }`: what a card is as JSON. */
  toJSON(): { cardId: string } {
    return { cardId: this.cardId };
  }

  /** The card `cardId` (no request: the Services API has no card read; `balance()` is the first). */
  static get(cardId: string, opts?: ServicesOptions): Card {
    if (typeof cardId !== "string" || cardId === "") throw new MambuTsError("Services.Card.get: cardId must be a non-empty string");
    return new Card(cardId, callOpts(opts).connector);
  }

  /** The card's balances. @throws MambuError (404) for an unknown card. */
  async balance(opts?: ServicesOptions): Promise<CardBalance> {
    const r = (await services.cards.getCardBalance({ card_id: this.cardId }, callOpts(opts, this.connector))) as Record<string, unknown>;
    const out: CardBalance = { accountId: strOut(r.account_id, "account_id"), available: amountOut(r.available, "available"), total: amountOut(r.total, "total") };
    if (r.card_type === "Debit" || r.card_type === "Credit") out.cardType = r.card_type;
    if (r.credit_limit !== undefined) out.creditLimit = amountOut(r.credit_limit, "credit_limit");
    return out;
  }
}
