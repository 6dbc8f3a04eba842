/**
 * Lists as Mambu pages them: `offset` (default 0), `limit` (default 50, at most 1000), `paginationDetails=ON`
 * giving the `items-total`, `items-limit` and `items-offset` headers, and `sortBy=field:ASC,field2:DESC`
 * restricted to each resource's sort fields.
 */
import { mambuError, invalidParameters } from "./errors";
import { ownValue } from "./safe-keys";
import type { RouteResponse } from "./router";
import type { WireRecord } from "./types";

/** Mambu's default page size. */
export const DEFAULT_LIMIT = 50;
/** Mambu's largest page size. */
export const MAX_LIMIT = 1000;

/** Parsed paging parameters. */
export interface Paging {
  offset: number;
  limit: number;
  details: boolean;
}

/** Reads offset/limit/paginationDetails: non-integers → INVALID_PARAMETERS; out of range → Mambu's codes 12/14. */
export function parsePaging(query: Record<string, string>): Paging {
  const int = (name: string, v: string | undefined, dflt: number): number => {
    if (v === undefined || v === "") return dflt;
    if (!/^[+-]?\d+$/.test(v.trim())) throw invalidParameters(`${name}: expected integer, got "${v}"`);
    return Number(v);
  };
  const offset = int("offset", query.offset, 0);
  const limit = int("limit", query.limit, DEFAULT_LIMIT);
  if (offset < 0) throw mambuError("OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE", `offset must be at least 0, got ${offset}`);
  if (limit < 0 || limit > MAX_LIMIT) {
    throw mambuError("OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE", `limit must be between 0 and ${MAX_LIMIT}, got ${limit}`);
  }
  const pd = query.paginationDetails;
  if (pd !== undefined && pd !== "ON" && pd !== "OFF") throw invalidParameters(`paginationDetails: expected one of ON, OFF, got "${pd}"`);
  return { offset, limit, details: pd === "ON" };
}

/** One page of records as a response (with the pagination headers when asked). */
export function pageResponse<T>(items: T[], paging: Paging, shape: (r: T) => unknown): RouteResponse {
  const page = items.slice(paging.offset, paging.offset + paging.limit).map(shape);
  return { status: 200, body: page, headers: pagingHeaders(items.length, paging, {}) };
}

/** Adds the pagination headers to `headers` when they were asked for (`paginationDetails=ON`); returns `headers`. */
export function pagingHeaders(total: number, paging: Paging, headers: Record<string, string>): Record<string, string> {
  if (paging.details) {
    headers["items-total"] = String(total);
    headers["items-limit"] = String(paging.limit);
    headers["items-offset"] = String(paging.offset);
  }
  return headers;
}

/** A value at a dotted path of a record ("balances.principalDue"), through own properties only. */
export function getPath(rec: unknown, path: string): unknown {
  let cur: unknown = rec;
  for (const part of path.split(".")) cur = ownValue(cur, part);
  return cur;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Compares two wire values: numbers numerically, ISO dates by instant, booleans, then strings; undefined last. */
export function compareValues(a: unknown, b: unknown): number {
  const aNil = a === undefined || a === null || a === "";
  const bNil = b === undefined || b === null || b === "";
  if (aNil || bNil) return aNil && bNil ? 0 : aNil ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const na = typeof a === "number" ? a : typeof a === "string" && /^-?\d+(\.\d+)?$/.test(a) ? Number(a) : NaN;
  const nb = typeof b === "number" ? b : typeof b === "string" && /^-?\d+(\.\d+)?$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (typeof a === "string" && typeof b === "string" && ISO_RE.test(a) && ISO_RE.test(b)) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A sort key: field (dotted path or accessor) and direction. */
export interface SortKey {
  field: string;
  desc: boolean;
  get?: (r: WireRecord) => unknown;
}

/** Parses `sortBy` ("field:ASC,field2:DESC"), checking the fields against the allowed list. */
export function parseSortBy(sortBy: string | undefined, allowed: string[]): SortKey[] {
  if (sortBy === undefined || sortBy.trim() === "") return [];
  return sortBy.split(",").map((part) => {
    const [field, order = "ASC", extra] = part.trim().split(":");
    if (extra !== undefined || !field) throw invalidParameters(`sortBy: expected field:ASC|DESC, got "${part}"`);
    if (!allowed.includes(field)) {
      throw invalidParameters(`sortBy: field "${field}" cannot be used for sorting; allowed: ${allowed.join(", ")}`);
    }
    const o = order.toUpperCase();
    if (o !== "ASC" && o !== "DESC") throw invalidParameters(`sortBy: order must be ASC or DESC, got "${order}"`);
    return { field, desc: o === "DESC" };
  });
}

/** A value prepared for {@link compareValues}: what it computes of one side, computed once per record. */
interface SortValue {
  nil: boolean;
  num: boolean;
  /** The number it compares as (NaN when it is not numeric). */
  n: number;
  /** The instant of an ISO date text (NaN when it is not one, or does not parse). */
  t: number;
  s: string;
}

const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

function sortValue(v: unknown): SortValue {
  const nil = v === undefined || v === null || v === "";
  if (nil) return { nil, num: false, n: NaN, t: NaN, s: "" };
  const num = typeof v === "number";
  const n = num ? (v as number) : typeof v === "string" && NUMERIC_TEXT.test(v) ? Number(v) : NaN;
  const t = typeof v === "string" && ISO_RE.test(v) ? Date.parse(v) : NaN;
  return { nil, num, n, t, s: String(v) };
}

/** {@link compareValues} of two prepared values (the same result, without its tests per comparison). */
function compareSortValues(a: SortValue, b: SortValue): number {
  if (a.nil || b.nil) return a.nil && b.nil ? 0 : a.nil ? 1 : -1;
  if (a.num && b.num) return a.n - b.n;
  if (!Number.isNaN(a.n) && !Number.isNaN(b.n)) return a.n - b.n;
  if (!Number.isNaN(a.t) && !Number.isNaN(b.t) && a.t !== b.t) return a.t - b.t;
  return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
}

/** Sorts records (stable: ties keep their insertion order). Each record's sort values are read once. */
export function sortRecords<T extends WireRecord>(records: T[], keys: SortKey[]): T[] {
  if (!keys.length) return records;
  const indexed = records.map((r, i) => ({ r, i, v: keys.map((k) => sortValue(k.get ? k.get(r) : getPath(r, k.field))) }));
  indexed.sort((x, y) => {
    for (let j = 0; j < keys.length; j++) {
      const a = x.v[j];
      const b = y.v[j];
      let c = compareSortValues(a, b);
      if (c !== 0) {
        // Missing values stay last in both directions.
        if (!a.nil && !b.nil && keys[j].desc) c = -c;
        return c;
      }
    }
    return x.i - y.i;
  });
  return indexed.map((e) => e.r);
}

/** Fields whose sort values {@link storedSortValue} keeps at most (sort fields are each declaration's few). */
const MAX_SORT_VALUE_FIELDS = 64;
/**
 * The sort values of stored records, by field: a stored record is never changed in place (the store replaces it:
 * see answer-cache.ts), so its value at a field stays what it was; an entry leaves with its record (WeakMap).
 */
const SORT_VALUES = new Map<string, WeakMap<object, SortValue>>();

/** {@link sortValue} of a stored record's field, computed once per record and field. */
function storedSortValue(r: WireRecord, field: string): SortValue {
  let byRec = SORT_VALUES.get(field);
  if (!byRec) {
    if (SORT_VALUES.size >= MAX_SORT_VALUE_FIELDS) return sortValue(getPath(r, field));
    SORT_VALUES.set(field, (byRec = new WeakMap()));
  }
  let v = byRec.get(r);
  if (!v) byRec.set(r, (v = sortValue(getPath(r, field))));
  return v;
}

/**
 * The comparison of {@link sortRecords} between a prepared record (its values and rank) and another record, for
 * stored records (their values are kept: {@link storedSortValue}).
 */
function sortedComparer<T extends WireRecord>(keys: SortKey[], rank: (r: T) => number | undefined) {
  const values = (r: T): SortValue[] => keys.map((k) => (k.get ? sortValue(k.get(r)) : storedSortValue(r, k.field)));
  const cmp = (av: SortValue[], ar: number, b: T): number => {
    const bv = values(b);
    for (let j = 0; j < keys.length; j++) {
      let c = compareSortValues(av[j], bv[j]);
      if (c !== 0) {
        if (!av[j].nil && !bv[j].nil && keys[j].desc) c = -c;
        return c;
      }
    }
    return ar - (rank(b) ?? 0);
  };
  /** The first index whose record does not come before `r`. */
  const lowerBound = (sorted: T[], r: T, rr: number): number => {
    const v = values(r);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(v, rr, sorted[mid]) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return lowerBound;
}

/**
 * Adds stored records to an array of stored records sorted by {@link sortRecords} with `keys`, where they land in a
 * sort of the whole (ties in `rank` order: the collection's insertion order). `sorted` is changed in place.
 */
export function insertSorted<T extends WireRecord>(sorted: T[], added: T[], keys: SortKey[], rank: (r: T) => number | undefined): void {
  const lowerBound = sortedComparer(keys, rank);
  for (const r of added) sorted.splice(lowerBound(sorted, r, rank(r) ?? 0), 0, r);
}

/**
 * Puts `rec` in the place of `old` in an array sorted by {@link sortRecords} with `keys`, when that is where it
 * lands: both have the same value (===) at every key and the same `rank`. Returns whether it did (else the array is
 * unchanged). `sorted` is changed in place.
 */
export function replaceSorted<T extends WireRecord>(sorted: T[], old: T, rec: T, keys: SortKey[], rank: (r: T) => number | undefined): boolean {
  const rr = rank(rec);
  if (rr === undefined || rank(old) !== rr) return false;
  for (const k of keys) if ((k.get ? k.get(old) : getPath(old, k.field)) !== (k.get ? k.get(rec) : getPath(rec, k.field))) return false;
  const at = sortedComparer(keys, rank)(sorted, old, rr);
  if (sorted[at] !== old) return false;
  sorted[at] = rec;
  return true;
}

/**
 * Takes records out of an array sorted by {@link sortRecords} with `keys` (found where their values and `rank`
 * place them; by a search of the whole array when they have no rank any more). `sorted` is changed in place.
 */
export function removeSorted<T extends WireRecord>(sorted: T[], gone: T[], keys: SortKey[], rank: (r: T) => number | undefined): void {
  const lowerBound = sortedComparer(keys, rank);
  for (const r of gone) {
    const rr = rank(r);
    let at = rr === undefined ? -1 : lowerBound(sorted, r, rr);
    if (at < 0 || sorted[at] !== r) at = sorted.indexOf(r);
    if (at >= 0) sorted.splice(at, 1);
  }
}
