/**
 * Currencies and their accounting rates (`/api/currencies/{currencyCode}/accountingRates`). Mambu's API v2
 * has no `GET` of a currency, so `MambuCurrency` is a handle on a currency code:
 * `MambuCurrency.of("USD", { connector })`, through which the accounting rates (how much of the
 * organization's base currency one unit is worth, from a start date) are listed and added.
 */
import { inspect } from "node:util";
import type { DateTime } from "luxon";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { toWireDateTime, toWireDecimal } from "../core/coerce";
import { MambuList, paginate } from "../core/list";
import { Decimal } from "../core/money";
import type { Amount } from "../core/operations";
import { checkInteger } from "../core/query";
import { MambuValueObject, structFromWire } from "../core/struct";
import type { AccountingRateStruct } from "../generated/types/currencies";
import { MambuError, MambuTsError } from "../errors";
import { MambuConnector } from "../transport";
import { RawNumber } from "../core/json";

type Bag = Record<string, unknown>;

/**
 * An accounting rate of a currency (Swagger `AccountingRate`): `rate` (Decimal: units of the organization's
 * currency per unit of `toCurrencyCode`), `fromCurrencyCode` (the organization's currency), `toCurrencyCode`,
 * `startDate` and, once a later rate replaced it, `endDate` (DateTime), `encodedKey`.
 */
export class MambuAccountingRate extends MambuValueObject {
  static override resource = "currencies";
  static override definition = "AccountingRate";
}
export interface MambuAccountingRate extends AccountingRateStruct {}

/** Options of `MambuCurrency.of(code, ...)`. */
export interface CurrencyOptions {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/** Options of `currency.addAccountingRate(rate, ...)`. */
export interface AccountingRateOptions {
  /**
   * From when the rate applies (DateTime, Date or ISO string; not in the future, after the start of the
   * currency's latest rate). Default: now, as Mambu decides it.
   */
  startDate?: DateTime | Date | string;
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}

/** Options of `currency.getAccountingRates(...)`: rates starting from..to, paginated as every listing. */
export interface AccountingRateListOptions {
  /** Only rates starting at or after this instant. */
  from?: DateTime | Date | string;
  /** Only rates starting at or before this instant. */
  to?: DateTime | Date | string;
  /** First rate (default 0). */
  offset?: number;
  /** At most this many rates (default: all). */
  limit?: number;
}

const CODE = /^[A-Z]{3}$/;

/** The tenant offset configured on a connector (for date-times given without one), if any. */
function offsetOf(conn: MambuConnector): () => string | undefined {
  return () => conn.config.tenantoffset || undefined;
}

/** A handle on one currency of the organization, by its ISO 4217 code. */
export class MambuCurrency {
  /** The currency's code, e.g. `USD`. */
  readonly code: string;
  /** The connection the currency's requests go through (undefined: `MambuConnector.default()`). */
  readonly connector: MambuConnector | undefined;

  /** Prefer {@link MambuCurrency.of}. */
  constructor(code: string, opts: CurrencyOptions = {}) {
    checkOptionKeys("MambuCurrency", opts, ["connector"]);
    if (typeof code !== "string" || !CODE.test(code)) throw new MambuTsError(`MambuCurrency: the currency code must be 3 capital letters (ISO 4217), got ${JSON.stringify(code)}`);
    if (opts.connector !== undefined && !(opts.connector instanceof MambuConnector)) throw new MambuTsError("MambuCurrency: connector must be a MambuConnector");
    this.code = code;
    this.connector = opts.connector;
  }

  /** The currency of a code (no request: Mambu's API v2 has no `GET` of a currency). */
  static of(code: string, opts: CurrencyOptions = {}): MambuCurrency {
    return new MambuCurrency(code, opts);
  }

  /**
   * The currency's accounting rates, oldest first (`GET /currencies/{currencyCode}/accountingRates`, newer than
   * the 2021 Swagger files): `await` for an array, `for await` to stream. The base currency has none.
   */
  getAccountingRates(opts: AccountingRateListOptions = {}): MambuList<MambuAccountingRate> {
    const label = "MambuCurrency.getAccountingRates";
    checkOptionKeys(label, opts, ["from", "to", "offset", "limit"]);
    const conn = connectorOf(undefined, this.connector);
    const from = opts.from === undefined ? undefined : toWireDateTime(opts.from, `${label}: from`, offsetOf(conn));
    const to = opts.to === undefined ? undefined : toWireDateTime(opts.to, `${label}: to`, offsetOf(conn));
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) throw new MambuTsError(`${label}: from (${from}) is after to (${to})`);
    const offset = checkInteger("offset", opts.offset, 0) ?? 0;
    const limit = checkInteger("limit", opts.limit, 1);
    const code = this.code;
    return new MambuList<MambuAccountingRate>(
      (setTotal) =>
        (async function* () {
          const pages = paginate<Bag>({
            offset, limit, pageSize: conn.pageSize, concurrency: 1, onTotal: setTotal,
            request: { method: "GET", url: `/api/currencies/${code}/accountingRates` },
            fetchPage: async (w) => {
              const answer = await callOperation("currencies", "getAll", {
                path: { currencyCode: code }, query: { from, to, offset: w.offset, limit: w.limit, paginationDetails: w.withTotal ? "ON" : undefined }, connector: conn,
              });
              if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a JSON list`);
              return { items: answer as Bag[] };
            },
          });
          for await (const page of pages) yield page.map((raw) => structFromWire<MambuAccountingRate>(MambuAccountingRate, raw));
        })(),
      `${label}(${code})`,
    );
  }

  /**
   * Adds an accounting rate (`POST /currencies/{currencyCode}/accountingRates`): `rate` units of the
   * organization's currency per unit of this one (a positive Decimal or numeric string, sent exactly), from
   * `startDate` (default: now). Resolves to the rate Mambu made. Mambu refuses the base currency
   * (CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY), a future start
   * (FUTURE_START_DATE_NOT_ALLOWED) and a start not after the latest rate's
   * (START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE).
   * @throws MambuTsError before any request for a rate that is not a positive number, or a bad start date.
   */
  async addAccountingRate(rate: Amount, opts: AccountingRateOptions = {}): Promise<MambuAccountingRate> {
    const label = "MambuCurrency.addAccountingRate";
    checkOptionKeys(label, opts, ["startDate", "idempotencyKey"]);
    const conn = connectorOf(undefined, this.connector);
    const wireRate = toWireDecimal(rate, `${label}: rate`);
    const value = new Decimal(wireRate instanceof RawNumber ? wireRate.text : wireRate);
    if (!value.greaterThan(0)) throw new MambuTsError(`${label}: rate must be positive, got ${value.toFixed()}`);
    if (opts.idempotencyKey !== undefined && typeof opts.idempotencyKey !== "string") throw new MambuTsError(`${label}: idempotencyKey must be a string`);
    const body: Bag = { rate: wireRate };
    if (opts.startDate !== undefined) body.startDate = toWireDateTime(opts.startDate, `${label}: startDate`, offsetOf(conn));
    const answer = await callOperation("currencies", "create", { path: { currencyCode: this.code }, body, connector: conn, idempotencyKey: opts.idempotencyKey });
    if (typeof answer !== "object" || answer === null || Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected the created accounting rate`);
    return structFromWire<MambuAccountingRate>(MambuAccountingRate, answer as Bag);
  }

  /** `{ code }`. */
  toJSON(): { code: string } {
    return { code: this.code };
  }

  /** REPL/console form: `MambuCurrency { code: 'USD' }`. */
  [inspect.custom](): string {
    return `MambuCurrency ${inspect(this.toJSON())}`;
  }
}
