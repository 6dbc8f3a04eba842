/**
 * Cards (`/api/cards/{cardReferenceToken}/...`): a card is only a reference token linked to a loan
 * or deposit account (Mambu stores no card details and has no `GET` of a card), so `MambuCard` is a
 * handle on a token: `MambuCard.of(token, { connector })`, or `deposit.getCards()` /
 * `deposit.addCard(token)`. Through it: authorization holds, financial transactions and the
 * balance inquiry of the linked account.
 */
import { expectRecord } from "../core/account-operation";
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import Decimal from "decimal.js";
import { validateAgainst } from "../contract/schema";
import { buildBody } from "../core/actions";
import { callOperation, CallRequest } from "../core/call";
import { hydrateScalar } from "../core/coerce";
import { checkOptionKeys, MambuEntity } from "../core/entity";
import { stringifyExact } from "../core/json";
import type { Amount, CustomFieldSets, Input } from "../core/operations";
import { structFromWire } from "../core/struct";
import { CONN } from "../core/symbols";
import type { AuthorizationHold, AuthorizationHoldAmountAdjustmentRequest, CardTransactionInput, CardTransactionReversal } from "../generated/types/cards";
import { MambuError, MambuTsError } from "../errors";
import { MambuConnector } from "../transport";
import { MambuAuthorizationHold, MambuCardTransaction } from "./authorization-hold";

type Bag = Record<string, unknown>;

/** Options of `MambuCard.of(token, ...)`. */
export interface CardOptions {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/** Options every card operation accepts besides its body. */
export interface CardActionOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}

/**
 * Fields of `card.authorizationHolds.create(...)` (Swagger `AuthorizationHold`): `externalReferenceId`
 * and `amount` are required; `advice` (accept without balance validation) defaults to `false`.
 */
export type AuthorizationHoldInput = Input<AuthorizationHold> & { externalReferenceId: string; amount: Amount } & CardActionOptions;
/** Options of `authorizationHolds.increase/decrease` (Swagger `AuthorizationHoldAmountAdjustmentRequest` besides the amount). */
export type HoldAdjustOptions = Omit<Input<AuthorizationHoldAmountAdjustmentRequest>, "amount"> & CardActionOptions;
/**
 * Fields of `card.financialTransactions.create(...)` (Swagger `CardTransactionInput`):
 * `externalReferenceId`, `amount` and `transactionChannelId` are required; `advice` defaults to `false`;
 * `externalAuthorizationReferenceId` settles that authorization hold.
 */
export type CardTransactionFields = Input<CardTransactionInput> & { externalReferenceId: string; amount: Amount; transactionChannelId: string } & CustomFieldSets & CardActionOptions;
/**
 * Options of `financialTransactions.reverse(id, amount, ...)` (Swagger `CardTransactionReversal`
 * besides the amount): `externalReferenceId` names the reversal (a random v4 UUID when absent).
 */
export type CardReversalOptions = Omit<Input<CardTransactionReversal>, "amount"> & CardActionOptions;

/**
 * The balances of the account linked to a card (`GET /cards/{token}/balanceInquiry`): amounts as
 * Decimal (undefined when Mambu leaves them out).
 */
export interface MambuCardBalances {
  /** The id of the linked account. */
  accountId?: string;
  /** The balance available for spending: total − holds − blocks (+ credit for credit cards). */
  availableBalance?: Decimal;
  /** `DEBIT` (a deposit account) or `CREDIT` (a revolving loan). */
  cardType?: string;
  /** The credit limit (credit cards). */
  creditLimit?: Decimal;
  /** The account's currency. */
  currencyCode?: string;
  /** The account's total balance. */
  totalBalance?: Decimal;
}

function checkId(value: unknown, what: string, label: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new MambuTsError(`${label}: ${what} must be a non-empty string`);
  return value;
}

function splitCardOptions(label: string, opts: unknown, positional: Bag = {}): [Bag, CardActionOptions] {
  if (opts !== undefined && opts !== null && (typeof opts !== "object" || Array.isArray(opts))) throw new MambuTsError(`${label}: options must be an object`);
  const { idempotencyKey, ...rest } = (opts ?? {}) as Bag;
  if (idempotencyKey !== undefined && typeof idempotencyKey !== "string") throw new MambuTsError(`${label}: idempotencyKey must be a string`);
  for (const k of Object.keys(positional)) if (k in rest) throw new MambuTsError(`${label}: give ${k} as an argument, not as an option`);
  const input: Bag = {};
  for (const [k, v] of Object.entries(positional)) if (v !== undefined) input[k] = v;
  return [Object.assign(input, rest), { idempotencyKey: idempotencyKey as string | undefined }];
}


/** A handle on one card, by its reference token. */
export class MambuCard {
  /** The card's reference token (Swagger `Card.referenceToken`). */
  readonly referenceToken: string;
  /** The connection the card's requests go through (undefined: `MambuConnector.default()`). */
  readonly connector: MambuConnector | undefined;
  /** The card's authorization holds (`/cards/{token}/authorizationholds`). */
  readonly authorizationHolds: CardAuthorizationHolds;
  /** The card's financial transactions (`/cards/{token}/financialtransactions`). */
  readonly financialTransactions: CardFinancialTransactions;

  /** Prefer {@link MambuCard.of}. */
  constructor(referenceToken: string, opts: CardOptions = {}) {
    checkOptionKeys("MambuCard", opts, ["connector"]);
    this.referenceToken = checkId(referenceToken, "the card reference token", "MambuCard");
    if (opts.connector !== undefined && !(opts.connector instanceof MambuConnector)) throw new MambuTsError(`MambuCard: connector must be a MambuConnector`);
    this.connector = opts.connector;
    this.authorizationHolds = new CardAuthorizationHolds(this);
    this.financialTransactions = new CardFinancialTransactions(this);
  }

  /** The card of a reference token (no request: Mambu has no `GET` of a card). */
  static of(referenceToken: string, opts: CardOptions = {}): MambuCard {
    return new MambuCard(referenceToken, opts);
  }

  /**
   * The balances of the account linked to the card (`GET /cards/{cardReferenceToken}/balanceInquiry`,
   * newer than the 2021 Swagger files), amounts as Decimal.
   */
  async balanceInquiry(): Promise<MambuCardBalances> {
    const label = "MambuCard.balanceInquiry";
    const raw = expectRecord(await this.call("getAccountBalances", {}), "the card's account balances", label);
    const out: MambuCardBalances = {};
    for (const k of ["accountId", "cardType", "currencyCode"] as const) if (typeof raw[k] === "string") out[k] = raw[k] as string;
    for (const k of ["availableBalance", "creditLimit", "totalBalance"] as const) {
      if (raw[k] === undefined || raw[k] === null) continue;
      const v = hydrateScalar("decimal", raw[k]);
      if (!Decimal.isDecimal(v)) throw new MambuError(`malformed response from Mambu to ${label}: ${k} is not a number`);
      out[k] = v;
    }
    return out;
  }

  /** `{ referenceToken }`: the Swagger `Card` record. */
  toJSON(): { referenceToken: string } {
    return { referenceToken: this.referenceToken };
  }

  /** REPL/console form: `MambuCard { referenceToken: 'tok-1' }`. */
  [inspect.custom](): string {
    return `MambuCard ${inspect(this.toJSON())}`;
  }

  /** Calls a `cards` operation with this card's token and connector. @internal */
  call(operationId: string, req: CallRequest & { path?: Record<string, string> }): Promise<unknown> {
    return callOperation("cards", operationId, {
      ...req, path: { cardReferenceToken: this.referenceToken, ...(req.path ?? {}) }, connector: this.connector,
    });
  }

  /**
   * A body of definition `def` built from `input` (amounts exact, naive dates in the tenant's offset) and
   * checked against the contract, required fields included, before any request. @internal
   */
  body(def: string, input: Bag, label: string): Bag {
    const owner = new MambuAuthorizationHold() as unknown as MambuEntity;
    (owner as unknown as { [CONN]?: MambuConnector })[CONN] = this.connector;
    const body = buildBody(owner, "cards", def, input, label);
    const problems = validateAgainst("cards", { type: "object", ref: def }, JSON.parse(stringifyExact(body)), { path: label });
    if (problems.length) throw new MambuTsError(problems.join("; "));
    return body;
  }
}

/** The authorization holds of a card: `card.authorizationHolds`. */
export class CardAuthorizationHolds {
  /** @internal */
  constructor(private readonly card: MambuCard) {}

  /**
   * Creates an authorization hold (`POST /cards/{cardReferenceToken}/authorizationholds`): reserves
   * `amount` on the linked account (its available balance drops by it). Returns the hold Mambu
   * answers with.
   */
  async create(fields: AuthorizationHoldInput): Promise<MambuAuthorizationHold> {
    const label = "MambuCard.authorizationHolds.create";
    const [input, action] = splitCardOptions(label, fields);
    if (input.advice === undefined) input.advice = false;
    const body = this.card.body("AuthorizationHold", input, label);
    const answer = await this.card.call("createAuthorizationHold", { body, idempotencyKey: action.idempotencyKey });
    return structFromWire<MambuAuthorizationHold>(MambuAuthorizationHold, expectRecord(answer, "the created authorization hold", label));
  }

  /** One hold by its external reference id (`GET /cards/{token}/authorizationholds/{id}`). */
  async get(externalReferenceId: string): Promise<MambuAuthorizationHold> {
    const label = "MambuCard.authorizationHolds.get";
    checkId(externalReferenceId, "the hold's externalReferenceId", label);
    const answer = await this.card.call("getAuthorizationHoldById", { path: { authorizationHoldExternalReferenceId: externalReferenceId } });
    return structFromWire<MambuAuthorizationHold>(MambuAuthorizationHold, expectRecord(answer, "an authorization hold", label));
  }

  /**
   * Increases a hold by `amount` (`POST /cards/{token}/authorizationholds/{id}:increase`, answered
   * without a body), then reads it again and returns it.
   */
  increase(externalReferenceId: string, amount: Amount, opts?: HoldAdjustOptions): Promise<MambuAuthorizationHold> {
    return this.adjust("increase", externalReferenceId, amount, opts);
  }

  /**
   * Decreases a hold by `amount` (`POST /cards/{token}/authorizationholds/{id}:decrease`; an amount
   * at least the hold's reverses it), then reads it again and returns it.
   */
  decrease(externalReferenceId: string, amount: Amount, opts?: HoldAdjustOptions): Promise<MambuAuthorizationHold> {
    return this.adjust("decrease", externalReferenceId, amount, opts);
  }

  /** Reverses (releases) a hold (`DELETE /cards/{token}/authorizationholds/{id}`). */
  async reverse(externalReferenceId: string): Promise<void> {
    checkId(externalReferenceId, "the hold's externalReferenceId", "MambuCard.authorizationHolds.reverse");
    await this.card.call("reverseAuthorizationHold", { path: { authorizationHoldExternalReferenceId: externalReferenceId } });
  }

  private async adjust(which: "increase" | "decrease", id: string, amount: Amount, opts?: HoldAdjustOptions): Promise<MambuAuthorizationHold> {
    const label = `MambuCard.authorizationHolds.${which}`;
    checkId(id, "the hold's externalReferenceId", label);
    const [input, action] = splitCardOptions(label, opts, { amount });
    const body = this.card.body("AuthorizationHoldAmountAdjustmentRequest", input, label);
    await this.card.call(`${which}AuthorizationHold`, { path: { authorizationHoldExternalReferenceId: id }, body, idempotencyKey: action.idempotencyKey });
    return this.get(id);
  }
}

/** The financial transactions of a card: `card.financialTransactions`. */
export class CardFinancialTransactions {
  /** @internal */
  constructor(private readonly card: MambuCard) {}

  /**
   * Posts a card transaction (`POST /cards/{cardReferenceToken}/financialtransactions`): a withdrawal
   * from the linked deposit account (or a disbursement of the linked revolving loan), settling the
   * hold named by `externalAuthorizationReferenceId`. Returns Mambu's answer, whose
   * `linkedTransaction` names the account transaction it posted.
   */
  async create(fields: CardTransactionFields): Promise<MambuCardTransaction> {
    const label = "MambuCard.financialTransactions.create";
    const [input, action] = splitCardOptions(label, fields);
    if (input.advice === undefined) input.advice = false;
    const body = this.card.body("CardTransactionInput", input, label);
    const answer = await this.card.call("createCardTransaction", { body, idempotencyKey: action.idempotencyKey });
    return structFromWire<MambuCardTransaction>(MambuCardTransaction, expectRecord(answer, "the created card transaction", label));
  }

  /**
   * Reverses `amount` of a card transaction, fully or in part
   * (`POST /cards/{token}/financialtransactions/{id}:decrease`, answered without a body): the amount
   * goes back to the linked account. The reversal's own `externalReferenceId` is a random v4 UUID
   * unless given.
   */
  async reverse(externalReferenceId: string, amount: Amount, opts?: CardReversalOptions): Promise<void> {
    const label = "MambuCard.financialTransactions.reverse";
    checkId(externalReferenceId, "the card transaction's externalReferenceId", label);
    const [input, action] = splitCardOptions(label, opts, { amount });
    if (input.externalReferenceId === undefined) input.externalReferenceId = randomUUID();
    const body = this.card.body("CardTransactionReversal", input, label);
    await this.card.call("reverseCardTransaction", {
      path: { cardTransactionExternalReferenceId: externalReferenceId }, body, idempotencyKey: action.idempotencyKey,
    });
  }
}
