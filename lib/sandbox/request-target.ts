/**
 * The path and query string of a request target (`/api/clients?limit=5`), as WHATWG `new URL(target, base)` gives
 * them (`pathname`, `search`), without building a URL for the common target that URL parsing would leave as it is.
 *
 * The fast path takes a target only when URL parsing provably changes nothing in it: it starts with one "/", holds
 * only unreserved and sub-delimiter ASCII characters, "%", ":", "@", "/" and "?" (no space, control, non-ASCII,
 * quote, backslash, "#", "<", ">", "`", "{", "}", "|", "^", "[" or "]" — what URL would percent-encode, strip or read
 * otherwise), and no path segment that starts with "." or holds "%2e" (what could be a dot segment). Anything else
 * goes through `new URL`. The result is the same either way (spec/unit/sandbox-request-target.spec.ts compares them).
 */

/** A request target's `pathname` and `search` (with its "?", or "" when there is no query or an empty one). */
export interface RequestTarget {
  pathname: string;
  search: string;
}

/** Characters the fast path takes (see the module comment), by char code. */
const PLAIN = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@%/?") PLAIN[ch.charCodeAt(0)] = 1;

/** The fast path: the target's parts when URL parsing would leave it as it is, else undefined. */
function plainTarget(target: string): RequestTarget | undefined {
  const n = target.length;
  if (n === 0 || target.charCodeAt(0) !== 47 /* / */ || (n > 1 && target.charCodeAt(1) === 47)) return undefined;
  let q = -1;
  for (let i = 0; i < n; i++) {
    const c = target.charCodeAt(i);
    if (c >= 128 || PLAIN[c] === 0) return undefined;
    if (q < 0) {
      if (c === 63 /* ? */) q = i;
      else if (c === 46 /* . */ && target.charCodeAt(i - 1) === 47) return undefined; // a segment starting with "."
      else if (c === 37 /* % */ && target.charCodeAt(i + 1) === 50 /* 2 */ && (target.charCodeAt(i + 2) | 0x20) === 101 /* e */) return undefined;
    }
  }
  if (q < 0) return { pathname: target, search: "" };
  return { pathname: target.slice(0, q), search: q + 1 < n ? target.slice(q) : "" };
}

/**
 * The `pathname` and `search` of a request target, as `new URL(target, "http://sandbox.invalid")` gives them;
 * throws what `new URL` throws for a target it cannot parse.
 */
export function parseRequestTarget(target: string): RequestTarget {
  const plain = plainTarget(target);
  if (plain) return plain;
  const url = new URL(target, "http://sandbox.invalid");
  return { pathname: url.pathname, search: url.search };
}
