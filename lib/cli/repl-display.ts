/**
 * How the REPL shows a bare `Decimal` or `DateTime` (`loan.loanAmount`, `loan.creationDate`,
 * `[a, b]`, `{ total }`): as the tables of `mambu` show them, not as decimal.js's digits or luxon's
 * internals.
 *
 * - A `DateTime` prints as ISO 8601 with its offset (`2026-07-15T04:53:07+02:00`; a date-only
 *   value read from Mambu as `1978-04-12`).
 * - A `Decimal` prints as money: a bare Decimal does not know its currency, so it gets the usual
 *   minor unit, 2 decimals at least, and never fewer digits than it has (`1500.00`, `0.125`); a
 *   field named like a rate (`interestRate`) keeps its own digits. An entity prints its amounts
 *   with its currency's digits (`JPY` 0, `KWD` 3); for other digits use `toFixed(n)`.
 * - A template string is JavaScript's, not the REPL's: `${amount}` is decimal.js's `toString()`
 *   (`1500`, every digit, never exponent notation) and `${date}` is luxon's `toISO()`
 *   (`2026-07-15T04:53:07.000+02:00`).
 *
 * Only what the REPL prints is changed: Decimal and DateTime themselves are left as they are.
 */
import { inspect } from "node:util";
import Decimal from "decimal.js";
import { DateTime } from "luxon";
import { cellText } from "./columns";

type Stylize = (text: string, style: string) => string;

/** How deep in arrays and plain objects Decimals and DateTimes are looked for (the REPL's inspect depth). */
const DEPTH = 3;

function isPlain(v: unknown): v is Record<string | symbol, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isShown(v: unknown): boolean {
  return Decimal.isDecimal(v) || DateTime.isDateTime(v);
}

/** A stand-in that inspects as `text`, styled like a number or a date. */
function shownAs(text: string, style: "number" | "date"): object {
  return { [inspect.custom]: (_depth: number, o: { stylize: Stylize }) => o.stylize(text, style) };
}

/** Whether `v` is, or holds within {@link DEPTH} levels of arrays and plain objects, a Decimal or DateTime. */
function holds(v: unknown, depth: number, seen: Set<object>): boolean {
  if (isShown(v)) return true;
  if (depth < 0 || !(Array.isArray(v) || isPlain(v)) || seen.has(v)) return false;
  seen.add(v);
  return Reflect.ownKeys(v).some((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    return d !== undefined && "value" in d && holds(d.value, depth - 1, seen);
  });
}

function display(v: unknown, key: string, depth: number, seen: Map<object, unknown>): unknown {
  if (Decimal.isDecimal(v)) return shownAs(cellText(v, key), "number");
  if (DateTime.isDateTime(v)) return shownAs(cellText(v, key), "date");
  if (depth < 0 || !(Array.isArray(v) || isPlain(v))) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  const copy: Record<string | symbol, unknown> = Array.isArray(v) ? [] : Object.create(Object.getPrototypeOf(v));
  seen.set(v, copy);
  for (const k of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if ("value" in d) d.value = display(d.value, typeof k === "string" ? k : "", depth - 1, seen);
    Object.defineProperty(copy, k, d);
  }
  return copy;
}

/**
 * `v` ready for `util.inspect` in the REPL: a Decimal or DateTime — alone, or inside arrays and
 * plain objects — replaced by a stand-in that prints as described above; anything else (entities,
 * class instances, Maps) returned as it is. The value itself is never changed.
 */
export function forDisplay(v: unknown): unknown {
  return holds(v, DEPTH, new Set()) ? display(v, "", DEPTH, new Map()) : v;
}
