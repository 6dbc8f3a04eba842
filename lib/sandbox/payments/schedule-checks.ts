/**
 * Checks the gateway's scheduled operations (collections, standing orders) make beyond the contract's (which the
 * gateway has already run: types, required fields, lengths, enums): a EUR amount above zero with at most two
 * decimals, days that are real and not in the past, all reported as 400 FORMAT_ERROR messages naming the field.
 */
import { D } from "../engine/money";
import { isDay } from "./schedule-dates";
import { TppError, TppMessage } from "./tpp";

/** The largest amount of one SEPA payment (EPC rulebooks: 999,999,999.99 EUR). */
export const SEPA_MAX = "999999999.99";

/** Collects FORMAT_ERROR messages; {@link Problems.throwIfAny} answers them all at once. */
export class Problems {
  readonly messages: TppMessage[] = [];

  /** Adds a problem of the field at `path`. */
  add(path: string, text: string): void {
    this.messages.push({ category: "ERROR", code: "FORMAT_ERROR", path, text: `${path} ${text}` });
  }

  /** Throws a 400 with every problem found, if any. */
  throwIfAny(): void {
    if (this.messages.length) throw new TppError(400, this.messages);
  }
}

/** An own property of a JSON object (undefined for anything else). */
export function prop(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** A nested own property: `at(body, "a", "b")` is `body.a.b`. */
export function at(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) v = prop(v, k);
  return v;
}

/** A string field, or undefined. */
export function text(obj: unknown, ...keys: string[]): string | undefined {
  const v = at(obj, ...keys);
  return typeof v === "string" ? v : undefined;
}

/**
 * Checks an `instructedAmount` (`{ currency, amount }`): EUR (SEPA), an amount above zero with at most two
 * decimals and at most {@link SEPA_MAX}. Returns the amount as a canonical decimal string ("10.50" → "10.5").
 */
export function checkEurAmount(problems: Problems, path: string, amount: unknown): string | undefined {
  const currency = text(amount, "currency");
  const digits = text(amount, "amount");
  if (currency !== "EUR") problems.add(`${path}.currency`, `must be EUR (SEPA), got ${JSON.stringify(currency ?? null)}`);
  if (digits === undefined || !/^\d{1,12}(\.\d+)?$/.test(digits)) {
    problems.add(`${path}.amount`, "must be a decimal amount such as 12.50");
    return undefined;
  }
  const value = new D(digits);
  if (value.lte(0)) problems.add(`${path}.amount`, "must be above zero");
  else if (value.decimalPlaces() > 2) problems.add(`${path}.amount`, "takes at most two decimals (euro cents)");
  else if (value.gt(SEPA_MAX)) problems.add(`${path}.amount`, `must not exceed ${SEPA_MAX} (SEPA)`);
  else return value.toString();
  return undefined;
}

/** Checks a day field (`YYYY-MM-DD`, a real date) and, with `notBefore`, that it is not earlier. */
export function checkDay(problems: Problems, path: string, value: unknown, notBefore?: { day: string; what: string }): string | undefined {
  if (!isDay(value)) {
    problems.add(path, "must be a date written YYYY-MM-DD");
    return undefined;
  }
  if (notBefore && value < notBefore.day) {
    problems.add(path, `must not be before ${notBefore.what} (${notBefore.day}), got ${value}`);
    return undefined;
  }
  return value;
}
