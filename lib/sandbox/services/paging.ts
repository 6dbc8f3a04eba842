/**
 * List parameters of the Services API (decisions `pagination` and `filter-order-by` of services-v1.json):
 * `page_size` 0..1000 (0 or absent: 50), `page_token` opaque (taken from a previous `next_page_token`),
 * `order_by` "field [asc|desc], ..." and `filter` "field op value AND ..." with op one of = != < <= > >= and a
 * value a number or a double-quoted string. Fields are the listed object's own; anything else is 400
 * INVALID_PARAMETERS. Sizes are bounded: at most {@link MAX_TERMS} comparisons and sort keys.
 *
 * A list is in the order of `order_by`, then of a tie-breaker unique to each object (its order of creation and
 * identifier: {@link Listing}); without `order_by`, in the tie-breaker's order. Page tokens are keyset cursors,
 * so that paging is stable under concurrent writes: a token holds the sort key values and the tie-breaker of the
 * last object answered, and the next page starts after that place — an object created or deleted meanwhile moves
 * no other object, so every object present when paging started and not deleted since is answered exactly once
 * (objects created meanwhile are answered when they sort after the place reached). A token is bound to its list
 * (resource and parent), `filter` and `order_by` (another's is 400 INVALID_PARAMETERS; `page_size` may change),
 * signed with this process's key (an altered one is 400), and bounded: a text key value longer than
 * {@link MAX_TOKEN_TEXT} bytes is kept as its prefix, and when the object it came from is gone, objects sharing
 * that prefix are answered again rather than skipped.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import Decimal from "decimal.js";
import { invalidParameters } from "../errors";
import { ExactNumber } from "./exact-json";

/** The page size when none (or 0) is asked for. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page size. */
export const MAX_PAGE_SIZE = 1000;
/** Most comparisons in a filter, and most keys in an order_by. */
export const MAX_TERMS = 16;
/** Most bytes a text key value takes in a page token (as JSON, UTF-8); a longer one is kept as its prefix. */
export const MAX_TOKEN_TEXT = 256;
/** Longest page token accepted (a token this server gives is shorter). */
export const MAX_TOKEN_LENGTH = 8192;

type Op = "=" | "!=" | "<" | "<=" | ">" | ">=";
interface Comparison { field: string; op: Op; value: string | Decimal }
interface SortKey { field: string; desc: boolean }

/** A page of items with the list answer's counters. */
export interface Page<T> {
  items: T[];
  total: number;
  remaining: number;
  next_page_token?: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function pageSize(v: string | undefined): number {
  if (v === undefined || v === "") return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,4}$/.test(v)) throw invalidParameters(`page_size: expected an integer from 0 to ${MAX_PAGE_SIZE}, got "${v.slice(0, 20)}"`);
  const n = Number(v);
  if (n > MAX_PAGE_SIZE) throw invalidParameters(`page_size: at most ${MAX_PAGE_SIZE}, got ${n}`);
  return n === 0 ? DEFAULT_PAGE_SIZE : n;
}

/** Parses `order_by` against the object's fields. */
export function parseOrderBy(text: string | undefined, fields: Set<string>): SortKey[] {
  if (text === undefined || text.trim() === "") return [];
  if (text.length > 256) throw invalidParameters("order_by: at most 256 characters");
  const keys = text.split(",").map((part) => {
    const m = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!m) throw invalidParameters(`order_by: expected "field [asc|desc], ...", got "${part.trim()}"`);
    if (!fields.has(m[1])) throw invalidParameters(`order_by: unknown field "${m[1]}"; fields: ${[...fields].join(", ")}`);
    return { field: m[1], desc: m[2] === "desc" };
  });
  if (keys.length > MAX_TERMS) throw invalidParameters(`order_by: at most ${MAX_TERMS} fields`);
  return keys;
}

/** Parses `filter` against the object's fields. */
export function parseFilter(text: string | undefined, fields: Set<string>): Comparison[] {
  if (text === undefined || text.trim() === "") return [];
  if (text.length > 1024) throw invalidParameters("filter: at most 1024 characters");
  const out: Comparison[] = [];
  const re = /\s*([a-z_]+)\s*(!=|<=|>=|=|<|>)\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\["\\])*")\s*/y;
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw invalidParameters(`filter: expected field op value (op one of = != < <= > >=, value a number or "string") at position ${i}`);
    if (!fields.has(m[1])) throw invalidParameters(`filter: unknown field "${m[1]}"; fields: ${[...fields].join(", ")}`);
    const raw = m[3];
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(["\\])/g, "$1") : new Decimal(raw);
    out.push({ field: m[1], op: m[2] as Op, value });
    if (out.length > MAX_TERMS) throw invalidParameters(`filter: at most ${MAX_TERMS} comparisons`);
    i = re.lastIndex;
    if (i >= text.length) return out;
    const and = /AND\s+/y;
    and.lastIndex = i;
    if (!and.test(text)) throw invalidParameters(`filter: expected AND at position ${i}`);
    i = and.lastIndex;
  }
}

/** -1, 0 or 1 comparing two field values: numbers and decimal strings exactly, date-times as instants, else text. */
function compare(a: unknown, b: unknown): number | undefined {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  const num = (x: unknown): Decimal | undefined =>
    Decimal.isDecimal(x)
      ? (x as Decimal)
      : x instanceof ExactNumber
        ? new Decimal(x.text)
        : typeof x === "number"
          ? new Decimal(x)
          : typeof x === "string" && NUMBER.test(x)
            ? new Decimal(x)
            : undefined;
  const na = num(a);
  const nb = num(b);
  if (na && nb) return na.comparedTo(nb);
  if (typeof a === "string" && typeof b === "string") {
    if (DATE_TIME.test(a) && DATE_TIME.test(b)) {
      const ta = Date.parse(a);
      const tb = Date.parse(b);
      if (!Number.isNaN(ta) && !Number.isNaN(tb)) return Math.sign(ta - tb);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

function holds(item: Record<string, unknown>, c: Comparison): boolean {
  const r = compare(Object.prototype.hasOwnProperty.call(item, c.field) ? item[c.field] : undefined, c.value);
  if (r === undefined) return c.op === "!=";
  switch (c.op) {
    case "=": return r === 0;
    case "!=": return r !== 0;
    case "<": return r < 0;
    case "<=": return r <= 0;
    case ">": return r > 0;
    default: return r >= 0;
  }
}


/** How a list's objects are told apart and answered (see the module comment). */
export interface Listing<R> {
  /** Which list this is (resource and parent, e.g. `exchange_rate NOK`): a token serves only its own list. */
  list: string;
  /** The object's wire form (what `filter` and `order_by` look at, and what the page answers). */
  wire: (r: R) => Record<string, unknown>;
  /** The object's unique place among equal sort keys: its order of creation, then its identifier. */
  tie: (r: R) => readonly [number, string];
}

/** A sort key value as a token keeps it: null (none), a number's text, a text (maybe cut to its prefix) or a boolean. */
type TokenValue = null | { n: string } | { s: string; cut?: 1 } | { b: boolean };

interface Cursor {
  /** The list, filter and order the token belongs to (a digest). */
  l: string;
  k: TokenValue[];
  t: [number, string];
}

/** The key page tokens are signed with: this process's own (tokens do not outlive the sandbox's process). */
const TOKEN_KEY = randomBytes(32);

function mac(payload: string): Buffer {
  return createHmac("sha256", TOKEN_KEY).update(payload).digest().subarray(0, 16);
}

function badToken(why: string): never {
  throw invalidParameters(`page_token: ${why} (use a previous answer's next_page_token for the same list, filter and order_by)`);
}

function tokenValue(v: unknown): TokenValue {
  if (v === undefined || v === null) return null;
  if (v instanceof ExactNumber) return { n: v.text };
  if (typeof v === "number") return { n: String(v) };
  if (typeof v === "boolean") return { b: v };
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? "";
  return fits(s) ? { s } : { s: prefixThatFits(s), cut: 1 };
}

/** Whether a text takes at most {@link MAX_TOKEN_TEXT} bytes in a token (as JSON, UTF-8). */
function fits(s: string): boolean {
  return s.length <= MAX_TOKEN_TEXT / 6 || Buffer.byteLength(JSON.stringify(s), "utf8") <= MAX_TOKEN_TEXT;
}

/** The longest prefix of a text that {@link fits} (never half a surrogate pair). */
function prefixThatFits(s: string): string {
  let n = Math.min(s.length, MAX_TOKEN_TEXT);
  while (n > 0 && !fits(s.slice(0, n))) n = Math.floor(n * 0.8);
  while (n < s.length && fits(s.slice(0, n + 1))) n++;
  const c = s.charCodeAt(n - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
}

function valueOfToken(v: TokenValue): unknown {
  if (v === null) return null;
  if ("n" in v) return new Decimal(v.n);
  if ("b" in v) return v.b;
  return v.s;
}

function encodeCursor(c: Cursor): string {
  const payload = Buffer.from(JSON.stringify(c), "utf8").toString("base64url");
  return `${payload}.${mac(payload).toString("base64url")}`;
}

function isTokenValue(v: unknown): v is TokenValue {
  if (v === null) return true;
  if (typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && typeof o.n === "string") return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(o.n);
  if (keys.length === 1 && typeof o.b === "boolean") return true;
  return typeof o.s === "string" && (keys.length === 1 || (keys.length === 2 && o.cut === 1));
}

function decodeCursor(token: string, list: string, keys: number): Cursor {
  if (token.length > MAX_TOKEN_LENGTH) badToken(`longer than ${MAX_TOKEN_LENGTH} characters`);
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) badToken("not a token this server gave");
  // compared as text: base64url ignores the last character's spare bits, so two texts could decode alike
  if (!timingSafeEqual(Buffer.from(m[2], "latin1"), Buffer.from(mac(m[1]).toString("base64url"), "latin1"))) badToken("not a token this server gave, or altered");
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8"));
  } catch {
    return badToken("not a token this server gave");
  }
  const o = c as Cursor;
  if (!o || typeof o !== "object" || !Array.isArray(o.k) || !Array.isArray(o.t) || o.t.length !== 2 || typeof o.t[0] !== "number" || typeof o.t[1] !== "string") {
    badToken("not a token this server gave");
  }
  if (o.l !== list || o.k.length !== keys || !o.k.every(isTokenValue)) badToken("it belongs to another list, filter or order_by");
  return o;
}

/** Which list, filter and order a token belongs to: a short digest of them. */
function listDigest(list: string, filter: Comparison[], order: SortKey[]): string {
  const text = JSON.stringify([list, filter.map((c) => [c.field, c.op, Decimal.isDecimal(c.value) ? { n: c.value.toString() } : c.value]), order.map((k) => [k.field, k.desc])]);
  return createHmac("sha256", TOKEN_KEY).update(text).digest("base64url").slice(0, 16);
}

function compareTie(a: readonly [number, string], b: readonly [number, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * One page of a list's objects for the list query (see the module comment): filtered, in order, starting after the
 * token's place.
 */
export function pageOf<R>(records: R[], query: Record<string, string>, fields: Set<string>, listing: Listing<R>): Page<Record<string, unknown>> {
  const size = pageSize(query.page_size);
  const filter = parseFilter(query.filter, fields);
  const order = parseOrderBy(query.order_by, fields);
  const digest = listDigest(listing.list, filter, order);
  const rows = records.map((r) => ({ wire: listing.wire(r), tie: listing.tie(r) }));
  const matching = rows.filter((row) => filter.every((c) => holds(row.wire, c)));
  const own = (w: Record<string, unknown>, f: string): unknown => (Object.prototype.hasOwnProperty.call(w, f) ? w[f] : undefined);
  matching.sort((x, y) => {
    for (const k of order) {
      const r = compare(own(x.wire, k.field), own(y.wire, k.field)) ?? 0;
      if (r !== 0) return k.desc ? -r : r;
    }
    return compareTie(x.tie, y.tie);
  });
  let from = 0;
  if (query.page_token !== undefined && query.page_token !== "") {
    const cursor = decodeCursor(query.page_token, digest, order.length);
    // a text cut to its prefix: the object it came from, if still there, gives it whole
    const live = cursor.k.some((v) => v !== null && "cut" in v) ? rows.find((row) => compareTie(row.tie, cursor.t) === 0) : undefined;
    const values = cursor.k.map((v, i) => {
      const whole = live ? own(live.wire, order[i].field) : undefined;
      if (v !== null && "cut" in v && typeof whole === "string" && whole.startsWith(v.s)) return { value: whole as unknown, prefix: undefined };
      return { value: valueOfToken(v), prefix: v !== null && "cut" in v ? v.s : undefined };
    });
    /** Whether a row comes after the token's place. */
    const after = (row: { wire: Record<string, unknown>; tie: readonly [number, string] }): boolean => {
      for (let i = 0; i < order.length; i++) {
        const mine = own(row.wire, order[i].field);
        const { value, prefix } = values[i];
        if (prefix !== undefined && typeof mine === "string" && mine.startsWith(prefix)) return true; // answered again, never skipped
        const r = compare(mine, value) ?? 0;
        if (r !== 0) return order[i].desc ? r < 0 : r > 0;
      }
      return compareTie(row.tie, cursor.t) > 0;
    };
    from = matching.findIndex(after);
    if (from < 0) from = matching.length;
  }
  const page = matching.slice(from, from + size);
  const last = page[page.length - 1];
  const next = from + size < matching.length && last
    ? encodeCursor({ l: digest, k: order.map((k) => tokenValue(own(last.wire, k.field))), t: [last.tie[0], last.tie[1]] })
    : undefined;
  return { items: page.map((row) => row.wire), total: matching.length, remaining: matching.length - from, ...(next ? { next_page_token: next } : {}) };
}
