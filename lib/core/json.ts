/**
 * Exact JSON for money: Mambu's numbers reach the caller and go back to Mambu without losing a
 * digit. `JSON.parse` is exact for most documents; when a document holds a number that a double
 * cannot reproduce as written (`1.50`, an 18-digit value, an exponent), those numbers are kept as
 * {@link RawNumber} holding their source text.
 */

const SENTINEL = "\u0001\u0002mambu-ts-num:";
/** The sentinel as JSON source text (control characters must be escaped inside JSON strings). */
const SENTINEL_ESCAPED = "\\u0001\\u0002mambu-ts-num:";

/** A JSON number kept as its exact source text (e.g. `1.50`, `123456789012345678`). */
export class RawNumber {
  /** Prints as the number it is (`1.50`). */
  [Symbol.for("nodejs.util.inspect.custom")](_d: number, o: { stylize: (s: string, st: string) => string }): string {
    return o.stylize(this.text, "number");
  }
  constructor(readonly text: string) {}
  /** The number as a double (may round; use `text` or `Decimal` for exactness). */
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  /** In exact serialisation the source text is written back; elsewhere, a JS number. */
  toJSON(): unknown {
    return exactDepth > 0 ? SENTINEL + this.text : Number(this.text);
  }
}

let exactDepth = 0;

/**
 * Numbers whose text a double does not reproduce: 16+ digits, a fraction ending in zero, an
 * exponent. Matches inside strings too (harmless: it only selects the slower exact path).
 */
const UNSAFE_NUMBER = /[:[,]\s*-?\d[\d.]{15,}|[:[,]\s*-?\d+\.\d*0(?=[\s,\]}])|[:[,]\s*-?\d+(?:\.\d+)?[eE]/;
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function isUnsafeNumberText(t: string): boolean {
  if (/[eE]/.test(t)) return true;
  const digits = t.replace(/[-.]/g, "").replace(/^0+/, "");
  if (digits.length > 15) return true;
  const dot = t.indexOf(".");
  return dot >= 0 && t.endsWith("0");
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value === "string" && value.startsWith(SENTINEL)) return new RawNumber(value.slice(SENTINEL.length));
  return value;
}

/** Parses JSON keeping every number exactly: unsafe ones become {@link RawNumber}. */
export function parseJsonExact(text: string): unknown {
  if (!UNSAFE_NUMBER.test(text)) return JSON.parse(text);
  let changed = false;
  const marked = text.replace(TOKEN, (tok) => {
    if (tok.charCodeAt(0) === 34 /* " */ || !isUnsafeNumberText(tok)) return tok;
    changed = true;
    return `"${SENTINEL_ESCAPED}${tok}"`;
  });
  return changed ? JSON.parse(marked, revive) : JSON.parse(text);
}

const SENTINEL_JSON = /"\\u0001\\u0002mambu-ts-num:(-?[0-9.eE+-]+)"/g;

/** Serialises to JSON writing {@link RawNumber}s back as their exact source text. */
export function stringifyExact(value: unknown): string {
  exactDepth++;
  try {
    const s = JSON.stringify(value);
    return s === undefined ? s : s.includes("mambu-ts-num:") ? s.replace(SENTINEL_JSON, "$1") : s;
  } finally {
    exactDepth--;
  }
}
