/**
 * Money: the `Decimal` class the library computes with (exact for Mambu amounts), the decimals of a
 * currency's minor unit, and a record's currency.
 */
import DecimalJs from "decimal.js";

/**
 * Significant digits the exported {@link Decimal} computes with (decimal.js's default is 20, which
 * rounds `12345678901234567890123.45 + 0.01` to `12345678901234567890000`). @internal
 */
export const DECIMAL_PRECISION = 100;

/**
 * decimal.js configured for money — the `Decimal` that mambu-ts exports, and the class of every
 * Decimal it makes from what Mambu sends (amounts, rates, NUMBER custom fields, integers too long
 * for a double).
 *
 * Exactness bound: `plus`, `minus` and `times` are exact whenever the exact result has at most
 * 100 significant digits. So every sum or difference of up to a billion amounts below 10^80 with
 * up to 10 decimals is exact (the result has at most 89 + 10 digits), and so is the product of two
 * values of up to 50 significant digits each. Results with more digits, and those of `div`, `sqrt`,
 * `pow` and the like that do not terminate, are rounded to 100 significant digits, half up
 * (`ROUND_HALF_UP`): round money explicitly (`toDecimalPlaces(2)`) before sending it. `toString()`
 * never uses exponent notation (`0.0000001`, not `1e-7`).
 *
 * A Decimal made by plain decimal.js (any configuration) is accepted wherever the library takes an
 * amount: it is written with all its digits. Its own arithmetic keeps its own class's precision.
 */
export const Decimal: typeof DecimalJs = DecimalJs.clone({
  precision: DECIMAL_PRECISION,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
/** An instance of {@link Decimal} (or of any decimal.js class). */
export type Decimal = DecimalJs;

// Currency facts used to show money.

/** ISO 4217 currencies whose minor unit is not 2 digits. */
const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Decimals of a currency's minor unit (2 when unknown). */
export function currencyDigits(code: unknown): number {
  return typeof code === "string" && code.toUpperCase() in CURRENCY_DIGITS ? CURRENCY_DIGITS[code.toUpperCase()] : 2;
}

/** The currency of a record, when it says (`currencyCode`, `currency.code`). */
export function currencyOf(r: unknown): string | undefined {
  if (r === null || typeof r !== "object") return undefined;
  const o = r as Record<string, unknown>;
  const code = o.currencyCode ?? (o.currency !== null && typeof o.currency === "object" ? (o.currency as Record<string, unknown>).code : undefined);
  return typeof code === "string" ? code : undefined;
}
