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

/** A JSON string's content (between its quotes) as the string it denotes; `escaped`: it holds a backslash. */
function keyText(text: string, start: number, end: number, escaped: boolean): string {
  const s = text.slice(start, end);
  return escaped ? (JSON.parse(`"${s}"`) as string) : s;
}

/** Whether two object keys (string contents `[s1, e1)` and `[s2, e2)` of `text`) name the same property. */
function sameKey(text: string, s1: number, e1: number, esc1: boolean, s2: number, e2: number, esc2: boolean): boolean {
  if (e1 - s1 === e2 - s2) {
    let k = 0;
    while (k < e1 - s1 && text.charCodeAt(s1 + k) === text.charCodeAt(s2 + k)) k++;
    if (k === e1 - s1) return true;
  }
  return (esc1 || esc2) && keyText(text, s1, e1, esc1) === keyText(text, s2, e2, esc2);
}

/** Whether `text[start, end)` holds a backslash (an escape). */
function hasBackslash(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (text.charCodeAt(k) === 92) return true;
  return false;
}

/** An unsafe number found in the text: its key or index in its container, its source text, and whether a repeated key overrode it. */
interface UnsafeNumber {
  key: string | number;
  start: number;
  end: number;
  overridden: boolean;
}

/** An object or array holding unsafe numbers: its path from the root, and those numbers. */
interface UnsafeContainer {
  path: Array<string | number>;
  numbers: UnsafeNumber[];
}

const OBJECT = 1;
const ARRAY = 2;

/**
 * Where the unsafe numbers of a valid JSON document are: the containers holding them (by path from
 * the root) and, in each, their keys or indices and source text, in document order. Numbers at the
 * top level (a document that is just a number) are left to `JSON.parse`, as before.
 *
 * One pass over the text: strings are skipped with `indexOf` (their content is never a number), and
 * only the characters between strings are looked at one by one. An object that repeats a key keeps
 * the last value (as `JSON.parse`), so numbers under a key that comes again in the same object are
 * marked overridden.
 */
function findUnsafeNumbers(text: string): { containers: UnsafeContainer[] } | undefined {
  const n = text.length;
  // A regular expression, not indexOf: on Node 20, indexOf running to the end of a multi-megabyte
  // string was seen to take seconds once the heap is busy.
  const escapes = /\\/.test(text);
  const kinds: number[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const keyEsc: boolean[] = [];
  const index: number[] = [];
  const holder: Array<UnsafeContainer | undefined> = [];
  // Per object depth: the keys under which unsafe numbers were found (start, end, escaped), and those numbers.
  const groupStart: number[][] = [];
  const groupEnd: number[][] = [];
  const groupEsc: boolean[][] = [];
  const groupNums: UnsafeNumber[][][] = [];
  let depth = -1;
  let expectKey = false;
  let found: UnsafeContainer[] | undefined;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (isEscapedQuote(text, j)) j = text.indexOf('"', j + 1);
      if (expectKey) {
        const esc = escapes && hasBackslash(text, i + 1, j);
        keyStart[depth] = i + 1;
        keyEnd[depth] = j;
        keyEsc[depth] = esc;
        expectKey = false;
        const starts = found === undefined ? undefined : groupStart[depth];
        if (starts !== undefined && starts.length > 0) {
          const ends = groupEnd[depth];
          const escs = groupEsc[depth];
          const len = j - i - 1;
          for (let g = starts.length - 1; g >= 0; g--) {
            if ((ends[g] - starts[g] === len || esc || escs[g]) && sameKey(text, starts[g], ends[g], escs[g], i + 1, j, esc)) {
              for (const u of groupNums[depth][g]) u.overridden = true;
              starts.splice(g, 1);
              ends.splice(g, 1);
              escs.splice(g, 1);
              groupNums[depth].splice(g, 1);
            }
          }
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */) {
      kinds[++depth] = OBJECT;
      holder[depth] = undefined;
      expectKey = true;
    } else if (c === 91 /* [ */) {
      kinds[++depth] = ARRAY;
      holder[depth] = undefined;
      index[depth] = 0;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const starts = groupStart[depth];
      if (starts !== undefined && starts.length > 0) {
        starts.length = 0;
        groupEnd[depth].length = 0;
        groupEsc[depth].length = 0;
        groupNums[depth].length = 0;
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
        let box = holder[depth];
        if (box === undefined) {
          const path: Array<string | number> = new Array(depth);
          for (let k = 0; k < depth; k++) path[k] = kinds[k] === ARRAY ? index[k] : keyText(text, keyStart[k], keyEnd[k], keyEsc[k]);
          box = { path, numbers: [] };
          holder[depth] = box;
          (found ??= []).push(box);
        }
        const u: UnsafeNumber = {
          key: kinds[depth] === ARRAY ? index[depth] : keyText(text, keyStart[depth], keyEnd[depth], keyEsc[depth]),
          start: i,
          end: j,
          overridden: false,
        };
        box.numbers.push(u);
        for (let k = 0; k <= depth; k++) {
          if (kinds[k] === ARRAY) continue;
          const starts = (groupStart[k] ??= []);
          const last = starts.length - 1;
          if (last >= 0 && starts[last] === keyStart[k]) groupNums[k][last].push(u);
          else {
            starts.push(keyStart[k]);
            (groupEnd[k] ??= []).push(keyEnd[k]);
            (groupEsc[k] ??= []).push(keyEsc[k]);
            (groupNums[k] ??= []).push([u]);
          }
        }
      }
      i = j;
      continue;
    }
    i++;
  }
  return found === undefined ? undefined : { containers: found };
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
 * `JSON.parse` reads the document at native speed (and rejects invalid JSON as before); one scan of
 * the text finds the few numbers a double would not reproduce, and only those are replaced — by
 * path, a container at a time — with a RawNumber of their source text.
 */
export function parseJsonExact(text: string): unknown {
  const doc = JSON.parse(text) as unknown;
  if (doc === null || typeof doc !== "object") return doc;
  const unsafe = findUnsafeNumbers(text);
  if (unsafe === undefined) return doc;
  for (const box of unsafe.containers) {
    let parent: Record<string, unknown> | undefined;
    for (const u of box.numbers) {
      if (u.overridden) continue;
      if (parent === undefined) {
        parent = doc as Record<string, unknown>;
        for (const k of box.path) parent = getOwn(parent, k) as Record<string, unknown>;
      }
      setOwn(parent, u.key, new RawNumber(text.slice(u.start, u.end)));
    }
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
