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
  const headers: Record<string, string> = {};
  if (paging.details) {
    headers["items-total"] = String(items.length);
    headers["items-limit"] = String(paging.limit);
    headers["items-offset"] = String(paging.offset);
  }
  return { status: 200, body: page, headers };
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

/** Sorts records (stable: ties keep their insertion order). */
export function sortRecords<T extends WireRecord>(records: T[], keys: SortKey[]): T[] {
  if (!keys.length) return records;
  const indexed = records.map((r, i) => ({ r, i }));
  indexed.sort((x, y) => {
    for (const k of keys) {
      const a = k.get ? k.get(x.r) : getPath(x.r, k.field);
      const b = k.get ? k.get(y.r) : getPath(y.r, k.field);
      let c = compareValues(a, b);
      if (c !== 0) {
        // Missing values stay last in both directions.
        const nil = (v: unknown): boolean => v === undefined || v === null || v === "";
        if (!nil(a) && !nil(b) && k.desc) c = -c;
        return c;
      }
    }
    return x.i - y.i;
  });
  return indexed.map((e) => e.r);
}
