/**
 * A fast, exact way to make a {@link Decimal} from the decimal text Mambu sends (`1500.00`,
 * `-0.125`, `"482"` in a custom field): the digits are read once and the Decimal's own fields
 * (sign, exponent, base-10⁷ words) are set to what decimal.js's string parser sets, without its
 * regular expressions, `replace` and slices. Anything else (exponents, signs other than a leading
 * `-`, very long text) is left to decimal.js.
 */
import { Decimal } from "./money";

/** decimal.js's internal representation (the fields its parser sets). */
interface DecimalFields {
  s: number;
  e: number;
  d: number[];
}

/** Digits per word of decimal.js's digit array (its LOG_BASE). */
const LOG_BASE = 7;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000];
/** Longer texts go through decimal.js (its exponent bounds and rounding cannot come into play below). */
const MAX_FAST_LENGTH = 400;

/** The number written by `text[from, to)` (digits only, at most 7 of them). */
function wordOf(text: string, from: number, to: number): number {
  let w = 0;
  for (let k = from; k < to; k++) w = w * 10 + (text.charCodeAt(k) - 48);
  return w;
}

/**
 * Decimals made lately, by text: records repeat amounts (`0.00` above all), and a Decimal never
 * changes (decimal.js's methods return new ones), so one instance serves every field with that text.
 * Bounded: emptied when full.
 */
const recent = new Map<string, Decimal>();
const MAX_RECENT = 2048;
/** Texts longer than this are not kept (amounts are short). */
const MAX_RECENT_LENGTH = 24;

/**
 * The Decimal of `-?DIGITS(.DIGITS)?` (leading zeros allowed), equal in every field to
 * `new Decimal(text)`; undefined when `text` has another form (then call `new Decimal` or refuse).
 */
export function decimalFromPlainText(text: string): Decimal | undefined {
  if (text.length > MAX_RECENT_LENGTH) return parsePlain(text);
  let d = recent.get(text);
  if (d === undefined) {
    d = parsePlain(text);
    if (d === undefined) return undefined;
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.set(text, d);
  }
  return d;
}

function parsePlain(text: string): Decimal | undefined {
  const n = text.length;
  if (n === 0 || n > MAX_FAST_LENGTH) return undefined;
  let p = 0;
  let sign = 1;
  if (text.charCodeAt(0) === 45 /* - */) {
    sign = -1;
    p = 1;
  }
  let dot = -1;
  for (let k = p; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 46 /* . */) {
      if (dot >= 0 || k === p || k === n - 1) return undefined;
      dot = k;
    } else if (c < 48 || c > 57) return undefined;
  }
  if (p === n) return undefined;
  // The digits without the dot, as decimal.js's parser sees them.
  const digits = dot < 0 ? (p === 0 ? text : text.slice(p)) : text.slice(p, dot) + text.slice(dot + 1);
  const x = new Decimal(0) as unknown as DecimalFields;
  x.s = sign;
  let len = digits.length;
  let i = 0;
  while (i < len && digits.charCodeAt(i) === 48) i++;
  while (len > i && digits.charCodeAt(len - 1) === 48) len--;
  if (i === len) {
    x.e = 0;
    x.d = [0];
    return x as unknown as Decimal;
  }
  const e = (dot < 0 ? n - p : dot - p) - i - 1;
  const start = i;
  const sigLen = len - start;
  const d: number[] = [];
  let first = (e + 1) % LOG_BASE;
  if (e < 0) first += LOG_BASE;
  let last: number;
  if (first < sigLen) {
    if (first) d.push(wordOf(digits, start, start + first));
    let k = first;
    for (const lim = sigLen - LOG_BASE; k < lim; k += LOG_BASE) d.push(wordOf(digits, start + k, start + k + LOG_BASE));
    last = wordOf(digits, start + k, start + sigLen) * POW10[LOG_BASE - (sigLen - k)];
  } else {
    last = wordOf(digits, start, start + sigLen) * POW10[first - sigLen];
  }
  d.push(last);
  x.e = e;
  x.d = d;
  return x as unknown as Decimal;
}

/** `new Decimal(text)` for the text of a JSON number (a RawNumber's), through the fast path when it has no exponent. */
export function decimalFromJsonText(text: string): Decimal {
  return decimalFromPlainText(text) ?? new Decimal(text);
}

/**
 * `new Decimal(value)` for a number `JSON.parse` gave: decimal.js itself makes zeros and small
 * integers (its own fast path) and reads other numbers from their shortest text, as here.
 */
export function decimalFromNumber(value: number): Decimal {
  if (value === 0 || (value === (value | 0) && value > -1e7 && value < 1e7)) return new Decimal(value);
  return decimalFromPlainText(String(value)) ?? new Decimal(value);
}
