/**
 * Numbers written as text in a source cell: what the toolkit accepts as an amount, a decimal or a
 * whole number, and why it refuses the rest. Accepted texts are valid JSON numbers (they are sent as
 * written), so a cell like `08703.00` or `046` — a leading zero, often a fixed-width export — is a
 * problem at its cell, not a request body that cannot be serialised.
 */

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const INTEGER_RE = /^-?\d+$/;
/** A zero followed by another digit at the start (`046`, `-08.5`); `0.5` and `0` are fine. */
const LEADING_ZERO_RE = /^-?0\d/;

/** The text without its leading zeros (`08703.00` → `8703.00`, `-007` → `-7`). */
export function withoutLeadingZeros(s: string): string {
  return s.replace(/^(-?)0+(?=\d)/, "$1");
}

function leadingZero(s: string): string | undefined {
  return LEADING_ZERO_RE.test(s) ? `"${s}" has a leading zero (write ${withoutLeadingZeros(s)})` : undefined;
}

/** Checks a decimal's text (digits, one dot); returns the problem, if any. */
export function checkDecimal(s: string, expected = "expected a number (digits, one dot)"): string | undefined {
  if (!DECIMAL_RE.test(s)) return `${expected}, got "${s}"`;
  return leadingZero(s);
}

/** Checks an amount's text: a plain decimal with at most `decimals` decimals (and above zero when `positive`). */
export function checkAmount(s: string, decimals: number, positive = false): string | undefined {
  if (!DECIMAL_RE.test(s)) return `expected an amount like 1500.00 (digits, one dot), got "${s}"`;
  const zero = leadingZero(s);
  if (zero) return zero;
  const frac = s.split(".")[1] ?? "";
  if (frac.length > decimals) return `"${s}" has more than ${decimals} decimals`;
  if (positive && !/[1-9]/.test(s.replace(/^-/, ""))) return `the amount must be positive, got "${s}"`;
  if (positive && s.startsWith("-")) return `the amount must be positive, got "${s}"`;
  return undefined;
}

/** Checks a whole number's text (a safe integer, no leading zero); `positive`: above zero. */
export function checkInteger(s: string, positive = false): string | undefined {
  if (!INTEGER_RE.test(s) || !Number.isSafeInteger(Number(s))) return `expected ${positive ? "a positive" : "a"} whole number, got "${s}"`;
  const zero = leadingZero(s);
  if (zero) return zero;
  if (positive && Number(s) <= 0) return `expected a positive whole number, got "${s}"`;
  return undefined;
}
