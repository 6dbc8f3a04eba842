/**
 * How the Services API's entities read and write its wire values: amounts and rates as exact `Decimal`s (from a
 * decimal string, a JSON number or a `RawNumber`: every digit sent is kept), timestamps as luxon `DateTime`s
 * (RFC 3339, offset kept), durations as luxon `Duration`s (the protobuf form `"604800s"`).
 */
import { DateTime, Duration } from "luxon";
import { MambuCommError, MambuTsError } from "../../errors";
import { RawNumber } from "../../core/json";
import { Decimal } from "../../core/money";
import { MambuConnector } from "../../transport/connector";

/** Options every Services entity call takes. */
export interface ServicesOptions {
  /** The connection to use (default: `MambuConnector.default()`); the same as API v2's, sent under `/v1`. */
  connector?: MambuConnector;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
}

/** Options of a create: as {@link ServicesOptions}, with the `Idempotency-Key` (a v4 UUID; a random one when absent). */
export interface CreateOptions extends ServicesOptions {
  /** `Idempotency-Key` of the create (v4 UUID); a fresh random one is sent when absent, the same on every retry. */
  idempotencyKey?: string;
}

/** An amount of money in a currency: `{ value: new Decimal("12.50"), currency: "EUR" }`. */
export interface Amount {
  /** The amount, exact. */
  value: Decimal;
  /** ISO 4217 currency code. */
  currency: string;
}

/** An amount as given to a create: the value as a `Decimal` or a string of digits (never a number: it may round). */
export interface AmountInput {
  /** `new Decimal("12.50")` or `"12.50"`. */
  value: Decimal | string;
  /** ISO 4217 currency code. */
  currency: string;
}

const DECIMAL_TEXT = /^-?\d{1,64}(\.\d{1,64})?$/;

/** A Decimal from a value given by the caller (`Decimal` or decimal string). @throws MambuTsError otherwise. @internal */
export function decimalIn(v: unknown, what: string): Decimal {
  if (Decimal.isDecimal(v)) {
    const d = v as Decimal;
    if (!d.isFinite()) throw new MambuTsError(`${what}: must be a finite decimal`);
    return d;
  }
  if (typeof v === "string" && DECIMAL_TEXT.test(v)) return new Decimal(v);
  throw new MambuTsError(`${what}: give a Decimal or a string of digits ("12.50"), not ${typeof v === "number" ? "a number (it may have lost digits already)" : typeof v}`);
}

/** A Decimal from the wire (a decimal string, a JSON number or a RawNumber): exact. @internal */
export function decimalOut(v: unknown, what: string): Decimal {
  if (v instanceof RawNumber) return new Decimal(v.text);
  if (typeof v === "string" && DECIMAL_TEXT.test(v)) return new Decimal(v);
  if (typeof v === "number" && Number.isFinite(v)) return new Decimal(String(v));
  throw new MambuCommError(`bad answer from Mambu: ${what} is not a decimal`);
}

/** A Decimal from the wire, or undefined when absent. @internal */
export function optDecimalOut(v: unknown, what: string): Decimal | undefined {
  return v === undefined || v === null ? undefined : decimalOut(v, what);
}

/** An Amount from the wire. @internal */
export function amountOut(v: unknown, what: string): Amount {
  if (typeof v !== "object" || v === null) throw new MambuCommError(`bad answer from Mambu: ${what} is not an amount`);
  const a = v as Record<string, unknown>;
  return { value: decimalOut(a.value, `${what}.value`), currency: String(a.currency) };
}

/** The wire form of an amount given by the caller. @internal */
export function amountIn(a: AmountInput, what: string): { value: Decimal; currency: string } {
  if (typeof a !== "object" || a === null) throw new MambuTsError(`${what}: give { value, currency }`);
  if (typeof a.currency !== "string" || !/^[A-Z]{3}$/.test(a.currency)) throw new MambuTsError(`${what}.currency: an ISO 4217 code such as "EUR"`);
  return { value: decimalIn(a.value, `${what}.value`), currency: a.currency };
}

/** A DateTime from the wire (RFC 3339, offset kept). @internal */
export function dateTimeOut(v: unknown, what: string): DateTime {
  const d = typeof v === "string" ? DateTime.fromISO(v, { setZone: true }) : undefined;
  if (!d || !d.isValid) throw new MambuCommError(`bad answer from Mambu: ${what} is not a date-time`);
  return d;
}

/** A DateTime from the wire, or undefined when absent. @internal */
export function optDateTimeOut(v: unknown, what: string): DateTime | undefined {
  return v === undefined || v === null ? undefined : dateTimeOut(v, what);
}

/** The wire form (RFC 3339) of a time given by the caller (`DateTime`, `Date` or ISO string). @internal */
export function dateTimeIn(v: DateTime | Date | string, what: string): string {
  const d = DateTime.isDateTime(v) ? v : v instanceof Date ? DateTime.fromJSDate(v) : typeof v === "string" ? DateTime.fromISO(v, { setZone: true }) : undefined;
  if (!d || !d.isValid) throw new MambuTsError(`${what}: give a DateTime, a Date or an ISO 8601 date-time`);
  return d.toISO({ suppressMilliseconds: true }) as string;
}

const DURATION_TEXT = /^(\d{1,15})(?:\.(\d{1,9}))?s$/;

/**
 * A luxon Duration from the wire form `"604800s"` / `"1.5s"` (in seconds and milliseconds, fractions of a
 * millisecond kept as a fraction). @throws MambuCommError when it is not that form.
 */
export function parseServicesDuration(text: unknown): Duration {
  const m = typeof text === "string" ? DURATION_TEXT.exec(text) : null;
  if (!m) throw new MambuCommError(`bad answer from Mambu: ${JSON.stringify(String(text).slice(0, 30))} is not a duration ("604800s")`);
  const frac = (m[2] ?? "").padEnd(9, "0");
  return Duration.fromObject({ seconds: Number(m[1]), milliseconds: Number(frac) / 1e6 });
}

/**
 * The wire form (`"604800s"`) of a luxon Duration (or an ISO 8601 duration text, `"P7D"`): whole seconds, with a
 * fraction when it has milliseconds. @throws MambuTsError for a negative or invalid duration, or one in months or
 * years (their length in seconds depends on the calendar).
 */
export function formatServicesDuration(d: Duration | string): string {
  const dur = Duration.isDuration(d) ? d : typeof d === "string" ? Duration.fromISO(d) : undefined;
  if (!dur || !dur.isValid) throw new MambuTsError(`duration: give a luxon Duration or an ISO 8601 duration ("P7D")`);
  if (dur.years || dur.quarters || dur.months) throw new MambuTsError("duration: give it in weeks, days, hours, minutes or seconds (months and years have no fixed length)");
  const ms = new Decimal(dur.as("milliseconds"));
  if (ms.isNegative()) throw new MambuTsError("duration: must not be negative");
  return `${ms.div(1000).toFixed()}s`;
}

/** A required string of an answer. @internal */
export function strOut(v: unknown, what: string): string {
  if (typeof v !== "string") throw new MambuCommError(`bad answer from Mambu: ${what} is not a string`);
  return v;
}

/** An optional string of an answer. @internal */
export function optStrOut(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** The call options to pass on (connector, signal, idempotency key). @internal */
export function callOpts(o: CreateOptions | undefined, fallback?: MambuConnector): { connector?: MambuConnector; signal?: AbortSignal; idempotencyKey?: string } {
  const out: { connector?: MambuConnector; signal?: AbortSignal; idempotencyKey?: string } = {};
  const connector = o?.connector ?? fallback;
  if (connector !== undefined) {
    if (!(connector instanceof MambuConnector)) throw new MambuTsError("connector must be a MambuConnector");
    out.connector = connector;
  }
  if (o?.signal !== undefined) out.signal = o.signal;
  if (o?.idempotencyKey !== undefined) out.idempotencyKey = o.idempotencyKey;
  return out;
}
