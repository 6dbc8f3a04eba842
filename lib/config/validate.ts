/**
 * Turning resolved configuration strings into typed values, with errors that name the key and its
 * source but never a secret value.
 */
import { MambuTsError } from "../errors";
import { INTEGER_KEYS, isSecretKey } from "./keys";
import { ResolvedValue } from "./sources";

/** `(from env MAMBU_API_PAGINATION)` / `(from file /home/x/.mambupy.rc, line 3)` / `(from code)`. */
export function describeSource(r: Pick<ResolvedValue, "source" | "line">): string {
  return r.line !== undefined ? `(from ${r.source}, line ${r.line})` : `(from ${r.source})`;
}

/** The error for a value that does not fit its key; secret values are not repeated. */
export function invalidValue(r: ResolvedValue, what: string): MambuTsError {
  const got = isSecretKey(r.key) ? "" : `, got ${JSON.stringify(r.value)}`;
  return new MambuTsError(`${r.key} must be ${what}${got} ${describeSource(r)}`);
}

/**
 * Parses an integer key (`apipagination`, `retries`, `timeout`, `concurrency`, `maxresponsebytes`).
 * Surrounding whitespace is ignored; signs, decimals and exponents are refused. `apipagination`
 * above 1000 (Mambu's largest page) is lowered to 1000.
 * @throws MambuTsError naming the key, the value and its source.
 */
export function parseIntegerKey(r: ResolvedValue): number {
  const spec = Object.prototype.hasOwnProperty.call(INTEGER_KEYS, r.key) ? INTEGER_KEYS[r.key] : undefined;
  const text = r.value.trim();
  if (!spec) throw new MambuTsError(`${r.key} is not an integer setting`);
  if (!/^\d{1,15}$/.test(text)) throw invalidValue(r, spec.what);
  const n = Number(text);
  if (n < spec.min) throw invalidValue(r, spec.what);
  if (n > spec.max) {
    if (spec.capAt) return spec.max;
    throw invalidValue(r, spec.what);
  }
  return n;
}

/**
 * Parses a UTC offset: `+02:00`, `-0530`, `+02`, `Z` or `UTC`, normalised to `±HH:MM`.
 * @throws MambuTsError naming the key, the value and its source.
 */
export function parseOffset(r: ResolvedValue): string {
  const what = 'a UTC offset like "+02:00", "-05:30" or "Z"';
  const text = r.value.trim();
  if (/^(z|utc)$/i.test(text)) return "+00:00";
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(text);
  if (!m) throw invalidValue(r, what);
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? "0");
  if (hours > 14 || minutes > 59) throw invalidValue(r, what);
  return `${m[1]}${m[2]}:${String(minutes).padStart(2, "0")}`;
}
