/**
 * Writing a request that carries {@link Secret}s: the one place their values are revealed. A header or a
 * JSON body may hold `Secret`s; they are replaced by their values in the copy that is sent, and every value
 * revealed is collected so that the request's messages, log lines and retry events redact it.
 */
import { MambuTsError } from "../errors";
import { Secret } from "./secret";

/** Deepest nesting of plain objects and arrays searched for secrets (a deeper body is refused). */
export const MAX_REVEAL_DEPTH = 64;

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` in which every {@link Secret} inside plain objects and arrays is replaced by its value,
 * each revealed value pushed onto `found`. Other objects (entities, Decimals, dates) are kept as they are;
 * `value` itself is never changed, and is returned as is when it holds no secret.
 * @throws MambuTsError when plain objects and arrays nest deeper than {@link MAX_REVEAL_DEPTH}.
 */
export function revealSecrets<T>(value: T, found: string[]): T {
  return walk(value, found, 0) as T;
}

function walk(value: unknown, found: string[], depth: number): unknown {
  if (value instanceof Secret) {
    const v = value.reveal();
    found.push(v);
    return v;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_REVEAL_DEPTH) throw new MambuTsError(`the request body nests deeper than ${MAX_REVEAL_DEPTH} levels`);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const w = walk(v, found, depth + 1);
      if (w !== v) changed = true;
      return w;
    });
    return changed ? out : value;
  }
  if (!isPlain(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    const w = walk(v, found, depth + 1);
    if (w !== v) changed = true;
    Object.defineProperty(out, k, { value: w, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}

/**
 * The value of one header given as a string or a {@link Secret} (a secret's value is pushed onto `found`).
 * @throws MambuTsError (naming the header, never its value) for another type, or a line break or another
 *   control character (which would split the request).
 */
export function headerValue(name: string, value: unknown, found: string[]): string {
  let v: string;
  if (value instanceof Secret) {
    v = value.reveal();
    found.push(v);
  } else if (typeof value === "string") {
    v = value;
  } else if (typeof value === "number" || typeof value === "boolean") {
    v = String(value);
  } else {
    throw new MambuTsError(`header ${name} must be a string or a Secret`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v)) throw new MambuTsError(`header ${name} holds a line break or another control character`);
  return v;
}
