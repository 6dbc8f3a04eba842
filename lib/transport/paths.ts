/** Building request paths and query strings. */
import { MambuTsError } from "../errors";

/**
 * Encodes one path segment (an id or encoded key) with `encodeURIComponent`, so `/`, `?`, `#`, `%`
 * and spaces cannot change the path.
 * @throws MambuTsError for an empty id (it would address the collection instead of an entity).
 */
export function encodeSegment(id: string | number): string {
  if (typeof id === "number" && !Number.isFinite(id)) throw new MambuTsError(`invalid id ${String(id)}`);
  const s = String(id);
  if (s === "" || (typeof id !== "number" && typeof id !== "string")) {
    throw new MambuTsError("an id must be a non-empty string or a number");
  }
  return encodeURIComponent(s);
}

/**
 * Fills `{name}` placeholders of a path template with encoded values:
 * `buildPath("/loans/{loanId}/transactions", { loanId: "A B" })` → `/loans/A%20B/transactions`.
 * @throws MambuTsError when a placeholder has no value or a value is empty.
 */
export function buildPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name) || params[name] === undefined || params[name] === null) {
      throw new MambuTsError(`path ${template} needs a value for {${name}}`);
    }
    return encodeSegment(params[name]);
  });
}

/** Query value types accepted by `request()`; `undefined` and `null` entries are left out. */
export type QueryValue = string | number | boolean | undefined | null;

/** `a=1&b=x%20y` from a record (keys and values percent-encoded, undefined/null skipped), or "". */
export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return pairs.join("&");
}
