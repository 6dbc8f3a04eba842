/**
 * List parameters of the Services API (decisions `pagination` and `filter-order-by` of services-v1.json):
 * `page_size` 0..1000 (0 or absent: 50), `page_token` opaque (base64url of `o:<offset>`, taken from a previous
 * `next_page_token`), `order_by` "field [asc|desc], ..." and `filter` "field op value AND ..." with op one of
 * = != < <= > >= and a value a number or a double-quoted string. Fields are the listed object's own; anything else
 * is 400 INVALID_PARAMETERS. Sizes are bounded: at most {@link MAX_TERMS} comparisons and sort keys.
 */
import Decimal from "decimal.js";
import { invalidParameters } from "../errors";

/** The page size when none (or 0) is asked for. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page size. */
export const MAX_PAGE_SIZE = 1000;
/** Most comparisons in a filter, and most keys in an order_by. */
export const MAX_TERMS = 16;

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

function offsetOf(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  const m = /^o:(\d{1,9})$/.exec(text);
  if (!m) throw invalidParameters("page_token: not a token this server gave (use a previous answer's next_page_token)");
  return Number(m[1]);
}

function tokenOf(offset: number): string {
  return Buffer.from(`o:${offset}`, "utf8").toString("base64url");
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
    Decimal.isDecimal(x) ? (x as Decimal) : typeof x === "number" ? new Decimal(x) : typeof x === "string" && NUMBER.test(x) ? new Decimal(x) : undefined;
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

/**
 * One page of `items` (wire objects, in their stored order) for the list query: filtered, sorted (stable), then
 * cut at the token's offset.
 */
export function pageOf<T extends Record<string, unknown>>(items: T[], query: Record<string, string>, fields: Set<string>): Page<T> {
  const size = pageSize(query.page_size);
  const offset = offsetOf(query.page_token);
  const filter = parseFilter(query.filter, fields);
  const order = parseOrderBy(query.order_by, fields);
  const matching = items.filter((it) => filter.every((c) => holds(it, c)));
  if (order.length) {
    const indexed = matching.map((it, i) => ({ it, i }));
    indexed.sort((x, y) => {
      for (const k of order) {
        const r = compare(x.it[k.field], y.it[k.field]) ?? 0;
        if (r !== 0) return k.desc ? -r : r;
      }
      return x.i - y.i;
    });
    matching.splice(0, matching.length, ...indexed.map((x) => x.it));
  }
  const page = matching.slice(offset, offset + size);
  const next = offset + size < matching.length ? tokenOf(offset + size) : undefined;
  return { items: page, total: matching.length, remaining: Math.max(0, matching.length - offset), ...(next ? { next_page_token: next } : {}) };
}
