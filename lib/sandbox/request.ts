/**
 * Reading request input that is keyed by the caller: headers (own properties only, so that nothing inherited can
 * pose as a header) and query strings (decoded strictly: invalid UTF-8 is a 400, never replaced; the result has
 * no prototype).
 */
import { decodeUtf8 } from "./body";
import { invalidParameters } from "./errors";
import { nullProto, ownValue } from "./safe-keys";

/** Request headers as Node gives them (lower-case names). */
export type Headers = Record<string, string | string[] | undefined>;

/** The first value of a header, when the header object has it as an own property. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const v = ownValue(headers, name);
  return Array.isArray(v) ? v[0] : typeof v === "string" ? v : undefined;
}

/** Percent-decodes one query component ("+" is a space); a "%" not followed by two hex digits stays as it is. */
function decodeComponent(s: string): string {
  if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s; // nothing to decode (most names and values)
  return s
    .replace(/\+/g, " ")
    .replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      const bytes = Buffer.from(run.replace(/%/g, ""), "hex");
      return decodeUtf8(bytes, "query string", invalidParameters);
    });
}

/**
 * Parses a query string (with or without the leading "?"): last value wins, except that repeated parameters named
 * in `joined` are joined with ",". Throws 400 INVALID_PARAMETERS on invalid UTF-8.
 */
export function parseQuery(search: string, joined: ReadonlySet<string> = new Set()): Record<string, string> {
  const out = nullProto<string>();
  const q = search.startsWith("?") ? search.slice(1) : search;
  if (!q) return out;
  for (const part of q.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const v = decodeComponent(eq < 0 ? "" : part.slice(eq + 1));
    out[k] = out[k] !== undefined && joined.has(k) ? `${out[k]},${v}` : v;
  }
  return out;
}
