/**
 * `--where "field OPERATOR value"` → one filter criterion of Mambu's `:search`.
 *
 * ```
 * accountState EQUALS ACTIVE            loanAmount MORE_THAN 750000      firstName = 'Mary Ann'
 * loanAmount BETWEEN 1000 AND 5000      accountState IN ACTIVE, CLOSED    creationDate TODAY
 * _OtherDetails.Age MORE_THAN 40        lastName STARTS_WITH "O'"         approvedDate LAST_DAYS 30
 * ```
 *
 * Operators are Mambu's (case-insensitive), plus `=`, `!=`, `>` and `<` for EQUALS, DIFFERENT_THAN,
 * MORE_THAN and LESS_THAN. Values may be quoted with '…' or "…" (backslash escapes the quote);
 * unquoted, a value is the rest of the text, spaces included. Values are sent as strings, as the
 * API documents them (Mambu compares numbers and dates by the field's type).
 */
import type { FilterCriterion } from "../core/query";
import { UsageError } from "./exit";

/** Every operator of Mambu's search API (an entity accepts a subset, checked by the library). */
export const SEARCH_OPERATORS = [
  "EQUALS", "EQUALS_CASE_SENSITIVE", "DIFFERENT_THAN", "MORE_THAN", "LESS_THAN", "BETWEEN", "ON", "AFTER",
  "AFTER_INCLUSIVE", "BEFORE", "BEFORE_INCLUSIVE", "STARTS_WITH", "STARTS_WITH_CASE_SENSITIVE", "IN", "TODAY",
  "THIS_WEEK", "THIS_MONTH", "THIS_YEAR", "LAST_DAYS", "EMPTY", "NOT_EMPTY",
] as const;

/** Operators that take no value. */
export const NO_VALUE_OPERATORS = new Set(["TODAY", "THIS_WEEK", "THIS_MONTH", "THIS_YEAR", "EMPTY", "NOT_EMPTY"]);

const SYMBOLS: Record<string, string> = { "=": "EQUALS", "==": "EQUALS", "!=": "DIFFERENT_THAN", "<>": "DIFFERENT_THAN", ">": "MORE_THAN", "<": "LESS_THAN" };

/**
 * Parses one `--where` expression.
 * @param operators the operators the entity accepts (default: every operator of the API).
 * @throws UsageError saying what is wrong and what a valid expression looks like.
 */
export function parseWhere(text: string, operators: readonly string[] = SEARCH_OPERATORS, command = "search"): FilterCriterion {
  const fail = (why: string): never => {
    throw new UsageError(`--where ${JSON.stringify(text)}: ${why} (expected "field OPERATOR value", e.g. "loanAmount MORE_THAN 1000")`, command);
  };
  const src = text.trim();
  const fieldMatch = /^(\S+?)(?=\s|[=!<>]|$)/.exec(src);
  if (!fieldMatch || !fieldMatch[1]) return fail("no field");
  const field = fieldMatch[1];
  let rest = src.slice(field.length).trimStart();
  const opMatch = /^(==|!=|<>|[=<>])/.exec(rest) ?? /^([A-Za-z_]+)(?=\s|$)/.exec(rest);
  if (!opMatch) return fail("no operator");
  const word = opMatch[1];
  const operator = SYMBOLS[word] ?? word.toUpperCase();
  if (!/^[A-Z_]+$/.test(operator) || !(SEARCH_OPERATORS as readonly string[]).includes(operator)) {
    return fail(`unknown operator ${word}; operators: ${operators.join(", ")}, or = != > <`);
  }
  if (!operators.includes(operator)) return fail(`operator ${operator} is not accepted here; operators: ${operators.join(", ")}`);
  rest = rest.slice(word.length).trim();

  if (NO_VALUE_OPERATORS.has(operator)) {
    if (rest !== "") fail(`${operator} takes no value`);
    return { field, operator };
  }
  if (rest === "") return fail(`${operator} needs a value`);
  if (operator === "IN") {
    const values = splitOutsideQuotes(rest, (s, i) => (s[i] === "," ? 1 : 0)).map((v) => unquote(v.trim(), fail));
    if (values.some((v) => v === "")) fail("IN needs a comma-separated list of values (IN a,b,c)");
    return { field, operator, values };
  }
  if (operator === "BETWEEN") {
    const parts = splitOutsideQuotes(rest, (s, i) => {
      const m = /^\s+AND\s+/i.exec(s.slice(i));
      return m && i > 0 ? m[0].length : 0;
    });
    if (parts.length !== 2) fail("BETWEEN needs two values: BETWEEN a AND b");
    return { field, operator, value: unquote(parts[0].trim(), fail), secondValue: unquote(parts[1].trim(), fail) };
  }
  const value = unquote(rest, fail);
  if (operator === "LAST_DAYS" && !/^\d+$/.test(value)) fail("LAST_DAYS needs a number of days");
  return { field, operator, value };
}

/** Splits `s` where `sep(s, i)` returns a separator length > 0, ignoring quoted parts. */
function splitOutsideQuotes(s: string, sep: (s: string, i: number) => number): string[] {
  const out: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    const n = sep(s, i);
    if (n > 0) {
      out.push(s.slice(start, i));
      start = i + n;
      i = start - 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Removes the quotes around a whole value (`'a b'` → `a b`, `"O\"Neil"` → `O"Neil`); other values as they are. */
function unquote(v: string, fail: (why: string) => never): string {
  const q = v[0];
  if ((q === "'" || q === '"') && v.length >= 2) {
    let out = "";
    for (let i = 1; i < v.length; i++) {
      const c = v[i];
      if (c === "\\" && i + 1 < v.length) {
        out += v[++i];
      } else if (c === q) {
        if (i !== v.length - 1) fail(`unexpected text after the quoted value ${v.slice(0, i + 1)}`);
        return out;
      } else out += c;
    }
    fail(`unterminated quote in ${v}`);
  }
  return v;
}
