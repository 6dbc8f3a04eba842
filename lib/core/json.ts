/**
 * Exact JSON for money: Mambu's numbers reach the caller and go back to Mambu without losing a
 * digit. `JSON.parse` is exact for most documents; when a document holds a number that a double
 * cannot reproduce as written (`1.50`, an 18-digit value, an exponent), those numbers are kept as
 * {@link RawNumber} holding their source text.
 */

const SENTINEL = "\u0001\u0002mambu-ts-num:";

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
 * Whether a JSON number token `text[start, end)` is one a double does not reproduce as written: an
 * exponent, more than 15 significant digits (leading zeros, sign and dot aside), or a fraction
 * ending in zero (`1.50`).
 */
function isUnsafeNumber(text: string, start: number, end: number): boolean {
  let dot = false;
  let significant = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 /* e */ || c === 69 /* E */) return true;
    if (c === 46 /* . */) dot = true;
    else if (c >= 48 && c <= 57 && (significant > 0 || c !== 48)) significant++;
  }
  return significant > 15 || (dot && text.charCodeAt(end - 1) === 48 /* 0 */);
}

/** Whether `text[i]` (a `"`) is escaped by an odd run of backslashes before it. */
function isEscapedQuote(text: string, i: number): boolean {
  let k = i - 1;
  while (text.charCodeAt(k) === 92 /* \ */) k--;
  return ((i - 1 - k) & 1) === 1;
}

/** A JSON string's content (between its quotes) as the string it denotes. */
function keyText(text: string, start: number, end: number): string {
  const s = text.slice(start, end);
  return s.indexOf("\\") < 0 ? s : (JSON.parse(`"${s}"`) as string);
}

/** Whether two object keys (string contents `[s1, e1)` and `[s2, e2)` of `text`) name the same property. */
function sameKey(text: string, s1: number, e1: number, s2: number, e2: number, escapes: boolean): boolean {
  if (e1 - s1 === e2 - s2) {
    let k = 0;
    while (k < e1 - s1 && text.charCodeAt(s1 + k) === text.charCodeAt(s2 + k)) k++;
    if (k === e1 - s1) return true;
  }
  return escapes && keyText(text, s1, e1) === keyText(text, s2, e2);
}

/** An unsafe number found in the text: where it is, its source text, and whether a repeated key overrode it. */
interface UnsafeNumber {
  path: Array<string | number>;
  start: number;
  end: number;
  overridden: boolean;
}

const OBJECT = 1;
const ARRAY = 2;

/**
 * Where the unsafe numbers of a valid JSON document are: a path (object keys and array indices from
 * the root) and the source text of each, in document order. Numbers at the top level (a document
 * that is just a number) are left to `JSON.parse`, as before.
 *
 * One pass over the text: strings are skipped with `indexOf` (their content is never a number), and
 * only the characters between strings are looked at one by one. An object that repeats a key keeps
 * the last value (as `JSON.parse`), so numbers under a key that comes again in the same object are
 * marked overridden.
 */
function findUnsafeNumbers(text: string): UnsafeNumber[] | undefined {
  const n = text.length;
  // A regular expression, not indexOf: on Node 20, indexOf running to the end of a multi-megabyte
  // string was seen to take seconds once the heap is busy.
  const escapes = /\\/.test(text);
  const kinds: number[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const index: number[] = [];
  // Per object depth: the keys (start, end) under which unsafe numbers were found, and those numbers.
  const pendStart: number[][] = [];
  const pendEnd: number[][] = [];
  const pendNums: UnsafeNumber[][][] = [];
  let depth = -1;
  let expectKey = false;
  let found: UnsafeNumber[] | undefined;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (isEscapedQuote(text, j)) j = text.indexOf('"', j + 1);
      if (expectKey) {
        keyStart[depth] = i + 1;
        keyEnd[depth] = j;
        expectKey = false;
        const starts = found === undefined ? undefined : pendStart[depth];
        if (starts !== undefined && starts.length > 0) {
          const ends = pendEnd[depth];
          for (let g = starts.length - 1; g >= 0; g--) {
            if (sameKey(text, starts[g], ends[g], i + 1, j, escapes)) {
              for (const u of pendNums[depth][g]) u.overridden = true;
              starts.splice(g, 1);
              ends.splice(g, 1);
              pendNums[depth].splice(g, 1);
            }
          }
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */) {
      kinds[++depth] = OBJECT;
      expectKey = true;
    } else if (c === 91 /* [ */) {
      kinds[++depth] = ARRAY;
      index[depth] = 0;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (pendStart[depth] !== undefined && pendStart[depth].length > 0) {
        pendStart[depth].length = 0;
        pendEnd[depth].length = 0;
        pendNums[depth].length = 0;
      }
      depth--;
    } else if (c === 44 /* , */) {
      if (kinds[depth] === ARRAY) index[depth]++;
      else expectKey = true;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      if (depth >= 0 && isUnsafeNumber(text, i, j)) {
        const path: Array<string | number> = new Array(depth + 1);
        const u: UnsafeNumber = { path, start: i, end: j, overridden: false };
        for (let k = 0; k <= depth; k++) {
          if (kinds[k] === ARRAY) {
            path[k] = index[k];
            continue;
          }
          path[k] = keyText(text, keyStart[k], keyEnd[k]);
          const starts = (pendStart[k] ??= []);
          const last = starts.length - 1;
          if (last >= 0 && starts[last] === keyStart[k]) pendNums[k][last].push(u);
          else {
            starts.push(keyStart[k]);
            (pendEnd[k] ??= []).push(keyEnd[k]);
            (pendNums[k] ??= []).push([u]);
          }
        }
        (found ??= []).push(u);
      }
      i = j;
      continue;
    }
    i++;
  }
  return found;
}

/** Own property read/write that also works for a key named `__proto__` (JSON.parse makes it an own property). */
function getOwn(o: Record<string, unknown>, k: string | number): unknown {
  return k === "__proto__" ? Object.getOwnPropertyDescriptor(o, k)?.value : o[k];
}
function setOwn(o: Record<string, unknown>, k: string | number, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/**
 * Parses JSON keeping every number exactly: unsafe ones become {@link RawNumber}.
 *
 * One scan of the text finds the few numbers a double would not reproduce; they are quoted (so that
 * `JSON.parse` reads them as strings, never as doubles) and, once parsed at native speed, replaced
 * by path with a RawNumber of their text. (Quoting rather than patching doubles afterwards keeps
 * V8's object shapes stable: turning a double field into an object field deprecates the shape of
 * every record, which gets very slow on large documents.)
 */
export function parseJsonExact(text: string): unknown {
  const unsafe = findUnsafeNumbers(text);
  if (unsafe === undefined) return JSON.parse(text);
  const parts: string[] = [];
  let at = 0;
  for (const u of unsafe) {
    parts.push(text.slice(at, u.start), '"', text.slice(u.start, u.end), '"');
    at = u.end;
  }
  parts.push(text.slice(at));
  const doc = JSON.parse(parts.join("")) as unknown;
  for (const u of unsafe) {
    if (u.overridden) continue;
    let parent = doc as Record<string, unknown>;
    const last = u.path.length - 1;
    for (let k = 0; k < last; k++) parent = getOwn(parent, u.path[k]) as Record<string, unknown>;
    setOwn(parent, u.path[last], new RawNumber(getOwn(parent, u.path[last]) as string));
  }
  return doc;
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
