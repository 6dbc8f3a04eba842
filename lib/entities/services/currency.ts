/**
 * `Services.Currency`: a currency of the Services API (`/v1/currencies`) with its accounting rates and exchange
 * rates. Rates are exact `Decimal`s (every digit the server sent), start and end times luxon `DateTime`s.
 */
import type { DateTime } from "luxon";
import { MambuTsError } from "../../errors";
import { services } from "../../core/services";
import type { MambuList } from "../../core/list";
import { schemaFields, tokenList, type TokenListOptions } from "../../core/token-list";
import type { Decimal } from "../../core/money";
import type { MambuConnector } from "../../transport/connector";
import { callOpts, dateTimeIn, dateTimeOut, decimalIn, decimalOut, optDateTimeOut, optStrOut, strOut, type CreateOptions, type ServicesOptions } from "./wire";

/** The fields of a currency, as given to create or update. */
export interface CurrencyFields {
  /** ISO 4217 code (`"CHF"`): the identifier, chosen by the caller. */
  code: string;
  name?: string;
  symbol?: string;
  /** Digits after the decimal point. */
  decimals?: number;
  format?: string;
}

const CURRENCY_FIELDS = schemaFields("currencies", "Currency");
const ACCOUNTING_RATE_FIELDS = schemaFields("currencies", "AccountingRate");
const EXCHANGE_RATE_FIELDS = schemaFields("currencies", "ExchangeRate");

/** What every rate of a currency has: its id, the two currencies, and when it holds. */
abstract class CurrencyRate {
  /** The server's identifier. */
  readonly rateId: string;
  readonly fromCurrency: string;
  readonly toCurrency: string;
  readonly startTime: DateTime;
  /** When the next rate took over; undefined for the current one. */
  readonly endTime?: DateTime;

  /** From the wire. */
  protected constructor(r: Record<string, unknown>) {
    this.rateId = strOut(r.rate_id, "rate_id");
    this.fromCurrency = strOut(r.from_currency, "from_currency");
    this.toCurrency = strOut(r.to_currency, "to_currency");
    this.startTime = dateTimeOut(r.start_time, "start_time");
    this.endTime = optDateTimeOut(r.end_time, "end_time");
  }
}

/** An accounting rate of a currency: how much of `toCurrency` one `fromCurrency` is worth from `startTime`. */
export class AccountingRate extends CurrencyRate {
  /** Exact (a decimal string on the wire). */
  readonly rate: Decimal;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>) {
    super(r);
    this.rate = decimalOut(r.rate, "rate");
  }
}

/** An exchange rate of a currency: buy and sell rates from `startTime`. */
export class ExchangeRate extends CurrencyRate {
  /** Exact: every digit of the JSON number sent (a double on the wire). */
  readonly buyRate: Decimal;
  /** Exact: every digit of the JSON number sent (a double on the wire). */
  readonly sellRate: Decimal;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>) {
    super(r);
    this.buyRate = decimalOut(r.buy_rate, "buy_rate");
    this.sellRate = decimalOut(r.sell_rate, "sell_rate");
  }
}

function currencyBody(f: CurrencyFields): Record<string, unknown> {
  if (typeof f !== "object" || f === null || typeof f.code !== "string" || !/^[A-Z]{3}$/.test(f.code)) throw new MambuTsError('Services.Currency: code must be an ISO 4217 code such as "CHF"');
  const out: Record<string, unknown> = { code: f.code };
  if (f.name !== undefined) out.name = f.name;
  if (f.symbol !== undefined) out.symbol = f.symbol;
  if (f.decimals !== undefined) out.decimals = f.decimals;
  if (f.format !== undefined) out.format = f.format;
  return out;
}

/** A currency of the Services API. `await Services.Currency.get("EUR", { connector })`. */
export class Currency implements CurrencyFields {
  readonly code: string;
  readonly name?: string;
  readonly symbol?: string;
  readonly decimals?: number;
  readonly format?: string;
  readonly #connector?: MambuConnector;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>, connector?: MambuConnector) {
    this.code = strOut(r.code, "code");
    this.name = optStrOut(r.name);
    this.symbol = optStrOut(r.symbol);
    if (typeof r.decimals === "number") this.decimals = r.decimals;
    this.format = optStrOut(r.format);
    this.#connector = connector;
  }

  /** The currency `code`. @throws MambuError (404) when there is none. */
  static async get(code: string, opts?: ServicesOptions): Promise<Currency> {
    const o = callOpts(opts);
    return new Currency((await services.currencies.getCurrency({ code }, o)) as Record<string, unknown>, o.connector);
  }

  /** Every currency (a list promise: `await` it or `for await` it); `filter`/`orderBy` on its fields. */
  static list(opts: TokenListOptions & ServicesOptions = {}): MambuList<Currency> {
    const o = callOpts(opts);
    return tokenList("Services.Currency.list", CURRENCY_FIELDS, opts, async (q) => {
      const page = (await services.currencies.listCurrencies(q, o)) as Record<string, unknown>;
      return { items: page.currencies, next_page_token: page.next_page_token, total: page.total };
    }, (r) => new Currency(r, o.connector));
  }

  /** Creates a currency. @throws MambuError (409) when the code exists. */
  static async create(fields: CurrencyFields, opts?: CreateOptions): Promise<Currency> {
    const o = callOpts(opts);
    return new Currency((await services.currencies.createCurrency({}, currencyBody(fields) as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Replaces this currency's fields (the code stays); answers the currency as stored. */
  async update(fields: Omit<CurrencyFields, "code">, opts?: CreateOptions): Promise<Currency> {
    const o = callOpts(opts, this.#connector);
    const body = currencyBody({ ...fields, code: this.code });
    return new Currency((await services.currencies.updateCurrency({ code: this.code }, body as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Deletes this currency. */
  async delete(opts?: ServicesOptions): Promise<void> {
    await services.currencies.deleteCurrency({ code: this.code }, callOpts(opts, this.#connector));
  }

  /** This currency's accounting rates (a list promise). */
  accountingRates(opts: TokenListOptions & ServicesOptions = {}): MambuList<AccountingRate> {
    const o = callOpts(opts, this.#connector);
    return tokenList("Services.Currency.accountingRates", ACCOUNTING_RATE_FIELDS, opts, async (q) => {
      const page = (await services.currencies.listAccountingRates({ code: this.code, ...q }, o)) as Record<string, unknown>;
      return { items: page.rates, next_page_token: page.next_page_token, total: page.total };
    }, (r) => new AccountingRate(r));
  }

  /** Adds an accounting rate from `startTime` (the rate a `Decimal` or a decimal string, sent exactly). */
  async createAccountingRate(rate: { rate: Decimal | string; startTime: DateTime | Date | string; toCurrency?: string }, opts?: CreateOptions): Promise<AccountingRate> {
    const o = callOpts(opts, this.#connector);
    const body: Record<string, unknown> = { rate: decimalIn(rate.rate, "rate"), start_time: dateTimeIn(rate.startTime, "startTime") };
    if (rate.toCurrency !== undefined) body.to_currency = rate.toCurrency;
    return new AccountingRate((await services.currencies.createAccountingRate({ code: this.code }, body as never, o)) as Record<string, unknown>);
  }

  /** This currency's exchange rates (a list promise). */
  exchangeRates(opts: TokenListOptions & ServicesOptions = {}): MambuList<ExchangeRate> {
    const o = callOpts(opts, this.#connector);
    return tokenList("Services.Currency.exchangeRates", EXCHANGE_RATE_FIELDS, opts, async (q) => {
      const page = (await services.currencies.listExchangeRates({ code: this.code, ...q }, o)) as Record<string, unknown>;
      return { items: page.rates, next_page_token: page.next_page_token, total: page.total };
    }, (r) => new ExchangeRate(r));
  }

  /** Adds an exchange rate from `startTime` (rates as `Decimal`s or decimal strings, sent with every digit). */
  async createExchangeRate(rate: { buyRate: Decimal | string; sellRate: Decimal | string; startTime: DateTime | Date | string; toCurrency?: string }, opts?: CreateOptions): Promise<ExchangeRate> {
    const o = callOpts(opts, this.#connector);
    const body: Record<string, unknown> = { buy_rate: decimalIn(rate.buyRate, "buyRate"), sell_rate: decimalIn(rate.sellRate, "sellRate"), start_time: dateTimeIn(rate.startTime, "startTime") };
    if (rate.toCurrency !== undefined) body.to_currency = rate.toCurrency;
    return new ExchangeRate((await services.currencies.createExchangeRate({ code: this.code }, body as never, o)) as Record<string, unknown>);
  }
}
