/**
 * Exact JSON for money: Mambu's numbers reach the caller and go back to Mambu without losing a
 * digit. `JSON.parse` is exact for most documents; when a document holds a number that a double
 * cannot reproduce as written (`1.50`, an 18-digit value, an exponent), those numbers are kept as
 * {@link RawNumber} holding their source text. A page of a listing may be parsed first and made
 * exact when one of its records is first read ({@link parseJsonPage}).
 */

import { setOwn } from "./clone";
import { MambuTsError } from "../errors";

/** The grammar of a JSON number (RFC 8259): what a {@link RawNumber} may hold. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** Set while the parser makes RawNumbers of number tokens JSON.parse has already accepted. */
let trusted = false;

/**
 * A JSON number kept as its exact source text (e.g. `1.50`, `123456789012345678`).
 *
 * `text` is always a JSON number (the constructor refuses anything else), and {@link stringifyExact}
 * writes it as a number; a string, whatever it holds, is always written as a string.
 */
export class RawNumber {
  /** The number's text, exactly as in the JSON it came from (or as given). */
  readonly text: string;

  /** Prints as the number it is (`1.50`). */
  [Symbol.for("nodejs.util.inspect.custom")](_d: number, o: { stylize: (s: string, st: string) => string }): string {
    return o.stylize(this.text, "number");
  }

  /** @throws MambuTsError when `text` is not a JSON number (`1.50`, `-2`, `1e3`; not `01`, `.5`, `1-2`). */
  constructor(text: string) {
    if (!trusted && (typeof text !== "string" || !JSON_NUMBER.test(text))) {
      throw new MambuTsError(`RawNumber: ${JSON.stringify(String(text).slice(0, 40))} is not a JSON number`);
    }
    this.text = text;
  }
  /** The number as a double (may round; use `text` or `Decimal` for exactness). */
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  /**
   * For `JSON.stringify`: the number as a double (may round). {@link stringifyExact} does not call
   * this: it writes `text` itself.
   */
  toJSON(): number {
    return Number(this.text);
  }
}

/** A RawNumber of a number token the JSON parser accepted (not checked again). */
function rawNumberOf(text: string): RawNumber {
  trusted = true;
  const r = new RawNumber(text);
  trusted = false;
  return r;
}

/**
 * Whether a JSON number token `text[start, end)` is one a double does not give back as written
 * (`JSON.stringify(JSON.parse(token)) !== token`): an exponent, more than 15 significant digits
 * (leading zeros, sign and dot aside), a fraction ending in zero (`1.50`), a negative zero (`-0`),
 * 22 or more integer digits (≥ 1e21, which a double prints with an exponent) or six or more zeros
 * after `0.` (< 1e-6, likewise).
 */
function isUnsafeNumber(text: string, start: number, end: number): boolean {
  let dot = -1;
  let significant = 0;
  let firstSignificant = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 /* e */ || c === 69 /* E */) return true;
    if (c === 46 /* . */) dot = i;
    else if (c >= 49 /* 1 */ && c <= 57) {
      if (significant++ === 0) firstSignificant = i;
    } else if (c === 48 /* 0 */ && significant > 0) significant++;
  }
  if (significant > 15) return true;
  if (dot >= 0 && text.charCodeAt(end - 1) === 48 /* 0 */) return true;
  const negative = text.charCodeAt(start) === 45; /* - */
  if (significant === 0) return negative; // -0
  if ((dot >= 0 ? dot : end) - start - (negative ? 1 : 0) >= 22) return true;
  return dot >= 0 && firstSignificant > dot + 6;
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
 * the root) and, in each, their keys or indices and source text, in document order. (A document
 * that is just a number is looked at by {@link parseJsonExact} itself.)
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

/** A member of a parsed container on the path to a number (own, also for a key `__proto__`). */
function childOf(o: Record<string, unknown>, k: string | number): unknown {
  return k === "__proto__" ? Object.getOwnPropertyDescriptor(o, k)?.value : o[k];
}

/**
 * Parses JSON keeping every number exactly: unsafe ones become {@link RawNumber}.
 *
 * `JSON.parse` reads the document at native speed (and rejects invalid JSON as before). One scan of
 * the text finds the few numbers a double would not reproduce, and their place in document order
 * (the how-manieth number token each is); one walk of the parsed document then swaps the numbers at
 * those places for a RawNumber of their source text. The walk meets the values in the order of the
 * text only when no object repeats a key and no key is an array index (which objects list first):
 * the walk counts the keys it meets against the scan's count of members, and a document with a
 * repeated key, a key starting with a digit, or very deep nesting is placed by path instead (a
 * container at a time, repeated keys resolved as `JSON.parse` does).
 */
export function parseJsonExact(text: string): unknown {
  const doc = JSON.parse(text) as unknown;
  if (typeof doc === "number") {
    const t = text.trim();
    return isUnsafeNumber(t, 0, t.length) ? rawNumberOf(t) : doc;
  }
  if (doc === null || typeof doc !== "object") return doc;
  placeExact(doc, text);
  return doc;
}

/** Swaps the unsafe numbers of `doc` (`JSON.parse(text)`, untouched since) for RawNumbers of their text, in place. */
function placeExact(doc: object, text: string): void {
  const scan = scanNumbers(text);
  if (scan === undefined) return;
  if (scan.maxDepth <= MAX_WALK_DEPTH && !prototypesEnumerable() && placeInOrder(doc, text, scan)) return;
  placeByPath(doc, text);
}

/**
 * A list page parsed by {@link parseJsonPage} whose unsafe numbers are not placed yet: its text and
 * its records, until {@link settlePage} places them (then both are let go). Not part of the public API;
 * not marked internal because entity declarations name it (a consumer compiling without skipLibCheck needs it).
 */
export interface PendingPage {
  text: string | undefined;
  records: object[] | undefined;
}

/**
 * The pending page of a record of {@link parseJsonPage}, on the record itself: a non-enumerable
 * symbol, never a field (`Object.keys`, `for…in`, spreads, JSON and the exact writer do not see it),
 * one hidden-class transition shared by the page's records. Stays (pointing at the settled page,
 * which holds nothing) once settled.
 */
const PAGE_OF = Symbol("mambu-ts.page");
type Tagged = { [PAGE_OF]?: PendingPage };

/**
 * Parses a page of a listing (a JSON list of records) with `JSON.parse` only, leaving the exact
 * placement of its unsafe numbers (what {@link parseJsonExact} does at once) until a record is
 * first read ({@link pendingPageOf}, {@link settlePage}): a listing whose values are never read
 * never pays for the scan. Each record's numbers may be doubles until its page is settled, so the
 * records must reach the caller only through something that settles them before any number is read
 * (`MambuEntity.fromWire`: the struct settles on its first access to the wire object); keys, strings,
 * booleans and nulls are final from the start. The page keeps its text (and its records) until then.
 * Anything but a list of objects is placed at once, as by parseJsonExact.
 * @internal
 */
export function parseJsonPage(text: string): unknown {
  const doc = JSON.parse(text) as unknown;
  if (!Array.isArray(doc) || doc.length === 0) {
    if (doc !== null && typeof doc === "object") placeExact(doc, text);
    else if (typeof doc === "number") return parseJsonExact(text);
    return doc;
  }
  for (let i = 0; i < doc.length; i++) {
    const r = doc[i] as unknown;
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      placeExact(doc, text); // not a page of records: no laziness
      return doc;
    }
  }
  const page: PendingPage = { text, records: doc.slice() as object[] };
  const tag: PropertyDescriptor = { value: page, enumerable: false, writable: false, configurable: true };
  for (let i = 0; i < doc.length; i++) Object.defineProperty(doc[i], PAGE_OF, tag);
  return doc;
}

/** The page a record of {@link parseJsonPage} still waits on (undefined once settled, or for any other object). @internal */
export function pendingPageOf(record: object): PendingPage | undefined {
  const page = (record as Tagged)[PAGE_OF];
  return page !== undefined && page.text !== undefined ? page : undefined;
}

/** Places the unsafe numbers of a pending page's records (once; later calls do nothing). @internal */
export function settlePage(page: PendingPage): void {
  const { text, records } = page;
  if (text === undefined || records === undefined) return;
  page.text = undefined;
  page.records = undefined;
  placeExact(records, text);
}

/** Deepest nesting the in-order walk recurses into (deeper documents are placed by path, iteratively). */
const MAX_WALK_DEPTH = 256;

/** What one scan of the text found: the unsafe numbers' ordinals and source ranges, the members, the nesting. */
interface NumberScan {
  /** Ordinal (among all number tokens, in text order) of each unsafe number, ascending. */
  ordinals: number[];
  starts: number[];
  ends: number[];
  /** Object members in the text (one `:` outside strings each). */
  members: number;
  maxDepth: number;
}

/**
 * One pass over a valid JSON document's text: strings are skipped with `indexOf` (their content is
 * never a number), only the characters between strings are looked at. Undefined when no number is
 * unsafe.
 */
function scanNumbers(text: string): NumberScan | undefined {
  const n = text.length;
  let ordinals: number[] | undefined;
  let starts: number[] | undefined;
  let ends: number[] | undefined;
  let ordinal = 0;
  let members = 0;
  let depth = 0;
  let maxDepth = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (text.charCodeAt(j - 1) === 92 /* \ */ && isEscapedQuote(text, j)) j = text.indexOf('"', j + 1);
      i = j + 1;
      continue;
    }
    if (c === 58 /* : */) members++;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      if (isUnsafeNumber(text, i, j)) {
        if (ordinals === undefined) {
          ordinals = [];
          starts = [];
          ends = [];
        }
        ordinals.push(ordinal);
        starts!.push(i);
        ends!.push(j);
      }
      ordinal++;
      i = j;
      continue;
    }
    i++;
  }
  return ordinals === undefined ? undefined : { ordinals, starts: starts!, ends: ends!, members, maxDepth };
}

/** Whether `Object.prototype` or `Array.prototype` has an enumerable member (a `for…in` of a parsed object would meet it). */
function prototypesEnumerable(): boolean {
  for (const _ in {}) return true;
  for (const _ in []) return true;
  return false;
}

/** State of one in-order walk. */
interface Placer {
  text: string;
  scan: NumberScan;
  /** Numbers met so far. */
  ordinal: number;
  /** Index in `scan.ordinals` of the next unsafe number to place. */
  next: number;
  /** Ordinal of the next unsafe number (Infinity once all are placed). */
  at: number;
  /** Object keys met so far. */
  keys: number;
  /** A key that is an array index (or may be) was met: objects list those first, out of text order. */
  indexKey: boolean;
  /** Where each unsafe number met goes (container and key), placed only once the walk proved its order right. */
  holders: Array<Record<string, unknown> | unknown[]>;
  slots: Array<string | number>;
}

/**
 * Places the unsafe numbers by walking the document in order; false (and the document untouched)
 * when the walk's order could differ from the text's (a repeated key, a key starting with a digit)
 * — the caller then places by path.
 */
function placeInOrder(doc: object, text: string, scan: NumberScan): boolean {
  const p: Placer = { text, scan, ordinal: 0, next: 0, at: scan.ordinals[0], keys: 0, indexKey: false, holders: [], slots: [] };
  if (Array.isArray(doc)) walkArray(doc, p);
  else walkObject(doc as Record<string, unknown>, p);
  if (p.indexKey || p.keys !== scan.members || p.next !== scan.ordinals.length) return false;
  for (let k = 0; k < p.holders.length; k++) {
    const r = rawNumberOf(text.slice(scan.starts[k], scan.ends[k]));
    const h = p.holders[k];
    if (Array.isArray(h)) h[p.slots[k] as number] = r;
    else setOwn(h, p.slots[k], r);
  }
  return true;
}

/** Notes where the unsafe number the walk has reached goes; moves on to the next one. */
function take(p: Placer, holder: Record<string, unknown> | unknown[], slot: string | number): void {
  p.holders.push(holder);
  p.slots.push(slot);
  const k = ++p.next;
  p.at = k < p.scan.ordinals.length ? p.scan.ordinals[k] : Infinity;
}

function walkArray(a: unknown[], p: Placer): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v === "number") {
      if (p.ordinal++ === p.at) take(p, a, i);
    } else if (typeof v === "object" && v !== null) {
      if (Array.isArray(v)) walkArray(v, p);
      else walkObject(v as Record<string, unknown>, p);
    }
  }
}

function walkObject(o: Record<string, unknown>, p: Placer): void {
  for (const k in o) {
    p.keys++;
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57) p.indexKey = true;
    const v = o[k];
    if (typeof v === "number") {
      if (p.ordinal++ === p.at) take(p, o, k);
    } else if (typeof v === "object" && v !== null) {
      if (Array.isArray(v)) walkArray(v, p);
      else walkObject(v as Record<string, unknown>, p);
    }
  }
}

/** Places the unsafe numbers of a parsed document by path (any document: repeated keys, index keys, any depth). */
function placeByPath(doc: object, text: string): void {
  const unsafe = findUnsafeNumbers(text);
  if (unsafe === undefined) return;
  for (const box of unsafe.containers) {
    let parent: Record<string, unknown> | undefined;
    for (const u of box.numbers) {
      if (u.overridden) continue;
      if (parent === undefined) {
        parent = doc as Record<string, unknown>;
        for (const k of box.path) parent = childOf(parent, k) as Record<string, unknown>;
      }
      setOwn(parent, u.key, rawNumberOf(text.slice(u.start, u.end)));
    }
  }
}

/**
 * Serialises to JSON as `JSON.stringify(value)` does (same `toJSON` calls, same output for every
 * value), except that a {@link RawNumber} is written as its exact text — `1.50` stays `1.50`.
 *
 * The serialiser walks the value itself: a number is written only from a RawNumber (whose text the
 * constructor has checked to be a JSON number) or a JavaScript number, and every string is quoted
 * by `JSON.stringify`, so no string — from Mambu or from a user — can turn into a number or break
 * the JSON. One pass, linear in the size of the output.
 *
 * Decimals are written as `JSON.stringify` writes them (their `toJSON`, a string); entities and
 * value objects as their wire shape (`toJSON`). Cycles and BigInts throw a `TypeError`, as in
 * `JSON.stringify`.
 */
export function stringifyExact(value: unknown): string {
  const w: Writer = { s: "", stack: [] };
  return write(value, "", w) ? w.s : (undefined as unknown as string);
}

/**
 * The text written so far (appending to one string is what V8 does fastest: no array of parts to
 * join) and the containers being written (for cycles).
 */
interface Writer {
  s: string;
  stack: object[];
}

const quote = JSON.stringify as (s: string) => string;

/** Quoted object keys with their colon, shared by every call (records repeat the same field names). */
const quotedKeys = new Map<string, string>();
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = quote(k) + ":";
    if (quotedKeys.size < 10000 && k.length <= 64) quotedKeys.set(k, q);
  }
  return q;
}

/** `value.toJSON(key)` when `value` has one (as JSON.stringify calls it), else `value`. */
function applyToJSON(value: object | bigint, key: string | number): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === "function" ? toJSON.call(value, typeof key === "number" ? String(key) : key) : value;
}

/**
 * Appends the JSON text of `value`, found under `key`, with its `toJSON` applied; false when the
 * value is left out (undefined, a function, a symbol), as JSON.stringify leaves it out.
 */
function write(value: unknown, key: string | number, w: Writer): boolean {
  if (typeof value === "object" && value !== null) {
    if (value instanceof RawNumber) {
      w.s += value.text;
      return true;
    }
    value = applyToJSON(value, key);
  } else if (typeof value === "function" || typeof value === "bigint") value = applyToJSON(value, key);
  switch (typeof value) {
    case "string":
      w.s += quote(value);
      return true;
    case "number":
      w.s += Number.isFinite(value) ? String(value) : "null";
      return true;
    case "boolean":
      w.s += value ? "true" : "false";
      return true;
    case "object":
      if (value === null) w.s += "null";
      else if (value instanceof RawNumber) w.s += value.text;
      else if (Array.isArray(value)) writeArray(value, w);
      else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          // boxed primitives are written as the primitive (JSON.stringify's [[NumberData]] etc.)
          if (value instanceof Number) return write(Number(value), key, w);
          if (value instanceof String) return write(String(value), key, w);
          if (value instanceof Boolean) return write(Boolean.prototype.valueOf.call(value), key, w);
          if (typeof BigInt === "function" && value instanceof BigInt) throw new TypeError("Do not know how to serialize a BigInt");
        }
        writeObject(value as Record<string, unknown>, w);
      }
      return true;
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    default:
      return false; // undefined, functions, symbols
  }
}

function enter(value: object, w: Writer): void {
  const stack = w.stack;
  for (let i = 0; i < stack.length; i++) if (stack[i] === value) throw new TypeError("Converting circular structure to JSON");
  stack.push(value);
}

function writeArray(value: unknown[], w: Writer): void {
  enter(value, w);
  const n = value.length;
  w.s += "[";
  for (let i = 0; i < n; i++) {
    if (i > 0) w.s += ",";
    if (!write(value[i], i, w)) w.s += "null";
  }
  w.s += "]";
  w.stack.pop();
}

function writeObject(value: Record<string, unknown>, w: Writer): void {
  enter(value, w);
  const keys = Object.keys(value);
  w.s += "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const before = w.s;
    w.s += first ? quoteKey(k) : "," + quoteKey(k);
    if (write(value[k], k, w)) first = false;
    else w.s = before; // left out: take the key back
  }
  w.s += "}";
  w.stack.pop();
}
