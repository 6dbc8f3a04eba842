/**
 * A fast, exact way to make a {@link Decimal} from the decimal text Mambu sends (`1500.00`,
 * `-0.125`, `"482"` in a custom field): the digits are read once and the Decimal's own fields
 * (sign, exponent, base-10⁷ words) are set to what decimal.js's string parser sets, without its
 * regular expressions, `replace` and slices. Anything else (exponents, signs other than a leading
 * `-`, very long text) is left to decimal.js.
 */
import { Decimal } from "./money";
import { RecentByText } from "./recent";

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

/**
 * Decimals made lately, by text: records repeat amounts (`0.00` above all), and a Decimal never
 * changes (decimal.js's methods return new ones), so one instance serves every field with that text.
 * Bounded (see recent.ts).
 */
const recent = new RecentByText<Decimal>(2048);
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
    recent.set(text, d);
  }
  return d;
}

/**
 * The `k`-th digit of a plain decimal text, the dot left out: digit `k` of the integer part
 * (`intLen` digits from `p`) or of the fraction (from `fracStart`).
 */
function digitAt(text: string, p: number, intLen: number, fracStart: number, k: number): number {
  return text.charCodeAt(k < intLen ? p + k : fracStart + k - intLen) - 48;
}

/** The number written by digits `[from, to)` of a plain decimal text, the dot left out (at most 7 of them). */
function wordOf(text: string, p: number, intLen: number, fracStart: number, from: number, to: number): number {
  let w = 0;
  for (let k = from; k < to; k++) w = w * 10 + digitAt(text, p, intLen, fracStart, k);
  return w;
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
  // The digits without the dot, as decimal.js's parser sees them (read in place, never copied).
  const intLen = (dot < 0 ? n : dot) - p;
  const fracStart = dot < 0 ? n : dot + 1;
  let len = intLen + n - fracStart;
  let i = 0;
  while (i < len && digitAt(text, p, intLen, fracStart, i) === 0) i++;
  while (len > i && digitAt(text, p, intLen, fracStart, len - 1) === 0) len--;
  const x = new Decimal(0) as unknown as DecimalFields;
  x.s = sign;
  if (i === len) {
    x.e = 0;
    x.d = [0];
    return x as unknown as Decimal;
  }
  const e = intLen - i - 1;
  const start = i;
  const sigLen = len - start;
  const d: number[] = [];
  let first = (e + 1) % LOG_BASE;
  if (e < 0) first += LOG_BASE;
  let last: number;
  if (first < sigLen) {
    if (first) d.push(wordOf(text, p, intLen, fracStart, start, start + first));
    let k = first;
    for (const lim = sigLen - LOG_BASE; k < lim; k += LOG_BASE) d.push(wordOf(text, p, intLen, fracStart, start + k, start + k + LOG_BASE));
    last = wordOf(text, p, intLen, fracStart, start + k, start + sigLen) * POW10[LOG_BASE - (sigLen - k)];
  } else {
    last = wordOf(text, p, intLen, fracStart, start, start + sigLen) * POW10[first - sigLen];
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

/** Powers of ten a double holds exactly (10⁰ … 10²²). */
const EXACT_POW10: number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Decimal places tried by {@link fromScaledNumber} (amounts have 2, rates a few more). */
const MAX_SCALE = 9;

/** The decimal digits `[a, b)` (from the most significant) of an integer `m` of `len` digits below 10¹⁵, as a number (exact: `%` is). */
function digitsOf(m: number, len: number, a: number, b: number): number {
  const low = EXACT_POW10[len - b];
  const top = (m - (m % low)) / low;
  return top % EXACT_POW10[b - a];
}

/**
 * The Decimal of a finite number whose shortest text has at most 15 significant digits and at most
 * {@link MAX_SCALE} decimals (every amount a double holds as written), without making that text:
 * `|value| = m / 10^p` for an integer `m < 10¹⁵` — then `m·10^-p` is the shortest text
 * (`String(value)`, what decimal.js reads): it gives `value` back, and no other decimal of at most 15
 * significant digits does. Undefined otherwise (then the text is made).
 */
function fromScaledNumber(value: number): Decimal | undefined {
  const v = value < 0 ? -value : value;
  if (!(v < 1e15)) return undefined;
  let m = -1;
  let p = 0;
  for (; p <= MAX_SCALE; p++) {
    const pow = EXACT_POW10[p];
    const scaled = v * pow;
    if (scaled >= 1e15) return undefined;
    if (Number.isInteger(scaled) && scaled / pow === v) {
      m = scaled;
      break;
    }
  }
  if (m <= 0) return undefined;
  while (m % 10 === 0) {
    m /= 10;
    p--;
  }
  let len = 1;
  while (m >= EXACT_POW10[len]) len++;
  // decimal.js's fields for the significant digits of m with the point p places from the right (as parsePlain sets them).
  const e = len - 1 - p;
  const d: number[] = [];
  let first = (e + 1) % LOG_BASE;
  if (e < 0) first += LOG_BASE;
  let last: number;
  if (first < len) {
    if (first) d.push(digitsOf(m, len, 0, first));
    let k = first;
    for (const lim = len - LOG_BASE; k < lim; k += LOG_BASE) d.push(digitsOf(m, len, k, k + LOG_BASE));
    last = digitsOf(m, len, k, len) * POW10[LOG_BASE - (len - k)];
  } else {
    last = m * POW10[first - len];
  }
  d.push(last);
  const x = new Decimal(0) as unknown as DecimalFields;
  x.s = value < 0 ? -1 : 1;
  x.e = e;
  x.d = d;
  return x as unknown as Decimal;
}

/**
 * `new Decimal(value)` for a number `JSON.parse` gave: decimal.js itself makes zeros and small
 * integers (its own fast path); other numbers of up to 15 significant digits are made from their
 * digits found by scaling (no text made); the rest are read from their shortest text, as decimal.js
 * does.
 */
export function decimalFromNumber(value: number): Decimal {
  if (value === 0 || (value === (value | 0) && value > -1e7 && value < 1e7)) return new Decimal(value);
  return fromScaledNumber(value) ?? decimalFromPlainText(String(value)) ?? new Decimal(value);
}
