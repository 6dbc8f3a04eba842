/**
 * Money arithmetic for the engine: decimal.js everywhere, numbers only at the wire boundary.
 * Amounts are rounded half-up to the currency's decimals (2 for every currency the sandbox seeds;
 * a few ISO currencies have 0 or 3, see {@link currencyDecimals}).
 */
import Decimal from "decimal.js";

/** A decimal.js constructor isolated from the global one (precision high enough for schedules). */
export const D = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });
/** A decimal amount. */
export type Dec = InstanceType<typeof D>;

/** Zero. */
export const ZERO: Dec = new D(0);

const ZERO_DECIMALS = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMALS = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

/** Number of minor-unit decimals of an ISO currency (default 2). */
export function currencyDecimals(code: string | undefined): number {
  if (!code) return 2;
  if (ZERO_DECIMALS.has(code)) return 0;
  if (THREE_DECIMALS.has(code)) return 3;
  return 2;
}

/** A Decimal from a wire value (number or numeric string); undefined/null/"" → 0. */
export function dec(v: unknown): Dec {
  if (v === undefined || v === null || v === "") return ZERO;
  if (typeof v === "number" || typeof v === "string") return new D(v);
  if (Decimal.isDecimal(v)) return new D((v as Decimal).toString());
  throw new TypeError(`not an amount: ${JSON.stringify(v)}`);
}

/** Rounds half-up to `dp` decimals (default 2). */
export function round(v: Dec, dp = 2): Dec {
  // already at most `dp` decimals (most amounts): rounding would give the same value back (Decimals are immutable)
  return v.decimalPlaces() <= dp ? v : v.toDecimalPlaces(dp, Decimal.ROUND_HALF_UP);
}

/** The wire number of an amount, rounded to `dp` decimals (never `-0`). */
export function num(v: Dec, dp = 2): number {
  const n = round(v, dp).toNumber();
  return n === 0 ? 0 : n;
}

/** The smaller of two amounts. */
export function min(a: Dec, b: Dec): Dec {
  return a.lessThan(b) ? a : b;
}

/** The larger of two amounts. */
export function max(a: Dec, b: Dec): Dec {
  return a.greaterThan(b) ? a : b;
}

/** Sum of amounts. */
export function sum(values: Dec[]): Dec {
  return values.reduce((acc, v) => acc.plus(v), ZERO);
}

/** Whether a wire value is a finite number (or numeric string) usable as an amount. */
export function isAmount(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v === "string" && v.trim() !== "") {
    try {
      return new D(v).isFinite();
    } catch {
      return false;
    }
  }
  return false;
}
