/**
 * Exact JSON numbers for the sandbox's Services API (`/v1`): its rates are `Float(64)` on the wire (`buy_rate`,
 * `sell_rate`, an index rate's `rate`), and the ORM writes a `Decimal` there as the exact number text
 * (`1.123456789012345678901`), so the sandbox must neither round it on the way in nor on the way out.
 *
 * - {@link parseJsonExact}: a JSON parse where each number whose text a double does not give back as written
 *   (`String(Number(text)) !== text`: more than ~17 digits, `1.50`, an exponent) is an {@link ExactNumber} holding
 *   that text; every other value is what `JSON.parse` gives. Bounded: nesting at most `maxDepth` (recursion is
 *   that deep at most), the text is the request body already bounded by the sandbox's body size limit, and a
 *   `"__proto__"` key is refused (objects are built with own properties only).
 * - {@link stringifyJsonExact}: `JSON.stringify` that writes an ExactNumber as its number text (never a string).
 * - {@link plainNumbers}: a copy with each ExactNumber as a double, for the contract checks (which know numbers).
 * - {@link keepExactBody}/{@link exactBodyOf}: the app (../app.ts) keeps, beside a Services request's parsed body
 *   (`req.body`, plain doubles for every handler), its exact twin; handlers that keep digits ask for it.
 *
 * A leaf module: it imports nothing.
 */

/** A JSON number kept as its exact text (`1.123456789012345678901`). */
export class ExactNumber {
  /** @throws TypeError when `text` is not a JSON number. */
  constructor(readonly text: string) {
    if (typeof text !== "string" || !NUMBER_RE.test(text)) throw new TypeError(`not a JSON number: ${String(text).slice(0, 40)}`);
  }
  /** The nearest double (may round: use `text` for exactness). */
  valueOf(): number {
    return Number(this.text);
  }
  /** The exact text. */
  toString(): string {
    return this.text;
  }
  /** For a plain `JSON.stringify` (e.g. a persisted state): the nearest double. {@link stringifyJsonExact} writes `text`. */
  toJSON(): number {
    return Number(this.text);
  }
}

const NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const NUMBER_AT = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WS_AT = /[ \t\n\r]*/y;
const STRING_AT = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** A number's value: a double when it gives the text back as written, else an {@link ExactNumber}. */
export function numberOf(text: string): number | ExactNumber {
  const n = Number(text);
  return String(n) === text ? n : new ExactNumber(text);
}

/**
 * Parses JSON text keeping numbers exact (see the module comment).
 * @throws SyntaxError for text that is not JSON, nesting deeper than `maxDepth` or a `"__proto__"` key.
 */
export function parseJsonExact(text: string, maxDepth = 64): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const ws = (): void => {
    WS_AT.lastIndex = i;
    WS_AT.test(text);
    i = WS_AT.lastIndex;
  };
  const str = (): string => {
    STRING_AT.lastIndex = i;
    const m = STRING_AT.exec(text);
    if (!m) return fail("expected a string");
    i = STRING_AT.lastIndex;
    return JSON.parse(m[0]) as string;
  };
  /** Steps over a closing bracket (or a literal) and answers `v`. */
  const past = <T>(v: T, n = 1): T => {
    i += n;
    return v;
  };
  const value = (depth: number): unknown => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`JSON nested deeper than ${maxDepth} levels`);
      i++;
      ws();
      if (c === "[") {
        const arr: unknown[] = [];
        if (text[i] === "]") return past(arr);
        for (;;) {
          arr.push(value(depth + 1));
          ws();
          if (text[i] === ",") i++;
          else if (text[i] === "]") return past(arr);
          else fail("expected , or ]");
        }
      }
      const obj: Record<string, unknown> = {};
      if (text[i] === "}") return past(obj);
      for (;;) {
        ws();
        const key = str();
        if (key === "__proto__") fail('"__proto__" is not allowed as a field name');
        ws();
        if (text[i++] !== ":") fail("expected :");
        Object.defineProperty(obj, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return past(obj);
        else fail("expected , or }");
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) return past(true, 4);
    if (text.startsWith("false", i)) return past(false, 5);
    if (text.startsWith("null", i)) return past(null, 4);
    NUMBER_AT.lastIndex = i;
    const m = NUMBER_AT.exec(text);
    if (!m) return fail("unexpected character");
    i = NUMBER_AT.lastIndex;
    return numberOf(m[0]);
  };
  const out = value(0);
  ws();
  if (i !== text.length) fail("unexpected text after the JSON value");
  return out;
}

/** Whether a parsed value holds an {@link ExactNumber} anywhere (at most `maxDepth` levels looked at). */
function holdsExact(v: unknown, depth = 0): boolean {
  if (v instanceof ExactNumber) return true;
  if (v === null || typeof v !== "object" || depth > 64) return false;
  return (Array.isArray(v) ? v : Object.values(v)).some((x) => holdsExact(x, depth + 1));
}

/** `JSON.stringify` writing each {@link ExactNumber} as its number text (see the module comment). */
export function stringifyJsonExact(value: unknown): string | undefined {
  if (!holdsExact(value)) return JSON.stringify(value);
  const write = (v: unknown, depth: number): string | undefined => {
    if (v instanceof ExactNumber) return v.text;
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(): unknown }).toJSON();
    if (v === null || typeof v !== "object" || depth > 64) return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map((x) => write(x, depth + 1) ?? "null").join(",")}]`;
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const s = write(x, depth + 1);
      if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
    }
    return `{${parts.join(",")}}`;
  };
  return write(value, 0);
}

/** A copy of a value with each {@link ExactNumber} as the nearest double (for the contract checks); others as they are. */
export function plainNumbers(value: unknown, depth = 0): unknown {
  if (value instanceof ExactNumber) return value.valueOf();
  if (!holdsExact(value) || depth > 64) return value;
  if (Array.isArray(value)) return value.map((x) => plainNumbers(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    Object.defineProperty(out, k, { value: plainNumbers(x, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const exactBodies = new WeakMap<object, unknown>();

/**
 * Keeps the exact twin of a parsed request body (only when it holds an {@link ExactNumber}: otherwise the body is
 * already exact). `body` is the object handlers receive as `req.body`.
 */
export function keepExactBody(body: unknown, exact: unknown): void {
  if (body !== null && typeof body === "object" && holdsExact(exact)) exactBodies.set(body, exact);
}

/** The exact twin of a request body (see {@link keepExactBody}): the body itself when it has none. */
export function exactBodyOf(body: unknown): unknown {
  return body !== null && typeof body === "object" ? (exactBodies.get(body) ?? body) : body;
}
