/**
 * Validation of listing and search arguments, before any request is made: a wrong type or an
 * unknown filter is a `MambuTsError` that says what to fix (as MambuPy's "offset must be integer").
 */
import Decimal from "decimal.js";
import { DateTime } from "luxon";
import { MambuTsError } from "../errors";
import { formatWireDateTime } from "./coerce";

/** Detail levels of Mambu API v2 responses. */
export const DETAILS_LEVELS = ["BASIC", "FULL"] as const;
/** Detail level of a response: BASIC (no custom fields) or FULL. */
export type DetailsLevel = (typeof DETAILS_LEVELS)[number];

/** Checks `offset`/`limit`: integers, offset ≥ 0, limit ≥ 1. */
export function checkInteger(name: string, v: unknown, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new MambuTsError(`${name} must be integer`);
  if (v < min) throw new MambuTsError(`${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** Checks a detailsLevel value. */
export function checkDetailsLevel(v: unknown): DetailsLevel | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || !(DETAILS_LEVELS as readonly string[]).includes(v)) {
    throw new MambuTsError(`detailsLevel must be one of ${DETAILS_LEVELS.join(", ")}, got ${JSON.stringify(v)}`);
  }
  return v as DetailsLevel;
}

/** Checks paginationDetails (ON/OFF). */
export function checkPaginationDetails(v: unknown): "ON" | "OFF" | undefined {
  if (v === undefined || v === null) return undefined;
  if (v !== "ON" && v !== "OFF") throw new MambuTsError(`paginationDetails must be in ["ON", "OFF"], got ${JSON.stringify(v)}`);
  return v;
}

/** Checks `filters` against the entity's allowed keys; values become query strings. */
export function checkFilters(entity: string, allowed: readonly string[], filters: unknown): Record<string, string> {
  if (filters === undefined || filters === null) return {};
  if (typeof filters !== "object" || Array.isArray(filters)) throw new MambuTsError(`filters must be an object of key: value`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters as Record<string, unknown>)) {
    if (!allowed.includes(k)) {
      throw new MambuTsError(
        allowed.length
          ? `key ${k} not in allowed filters for ${entity}: ${allowed.join(", ")}`
          : `${entity} takes no filters (got ${k})`,
      );
    }
    if (v === undefined) continue;
    out[k] = queryValue(`filters.${k}`, v);
  }
  return out;
}

/** A query/search value as text: strings as is, Decimals exact, DateTimes as Mambu's ISO. */
export function queryValue(name: string, v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Decimal.isDecimal(v)) return (v as Decimal).toFixed();
  if (DateTime.isDateTime(v)) return formatWireDateTime(v);
  throw new MambuTsError(`${name} must be a string, number, boolean, Decimal or DateTime`);
}

/** Checks `sortBy` ("field:ASC,other:DESC" or an array of such) against the entity's sort fields. */
export function checkSortBy(entity: string, allowed: readonly string[], sortBy: unknown): string | undefined {
  if (sortBy === undefined || sortBy === null) return undefined;
  const parts = Array.isArray(sortBy) ? sortBy : typeof sortBy === "string" ? sortBy.split(",") : null;
  if (!parts) throw new MambuTsError(`sortBy must be a string like "creationDate:DESC" or an array of them`);
  const out: string[] = [];
  for (const raw of parts) {
    if (typeof raw !== "string") throw new MambuTsError(`sortBy entries must be strings`);
    const [field, order = "ASC", extra] = raw.trim().split(":");
    if (extra !== undefined || !field) throw new MambuTsError(`sortBy entry "${raw}" must look like field:ASC or field:DESC`);
    if (!allowed.includes(field)) {
      throw new MambuTsError(
        allowed.length ? `field ${field} not in allowed sortBy fields for ${entity}: ${allowed.join(", ")}` : `${entity} cannot be sorted`,
      );
    }
    const o = order.toUpperCase();
    if (o !== "ASC" && o !== "DESC") throw new MambuTsError(`sortBy order must be ASC or DESC, got ${order}`);
    out.push(`${field}:${o}`);
  }
  return out.join(",");
}

/** One search filter of Mambu's `:search` body. */
export interface FilterCriterion {
  field: string;
  operator: string;
  value?: unknown;
  secondValue?: unknown;
  values?: unknown[];
}

/** The sort of a `:search`. */
export interface SortingCriterion {
  field: string;
  order?: "ASC" | "DESC";
}

const NO_VALUE = new Set(["TODAY", "THIS_WEEK", "THIS_MONTH", "THIS_YEAR", "EMPTY", "NOT_EMPTY"]);

/**
 * Checks a search's criteria: operators against the API's list for the entity, value shapes per
 * operator (IN needs values, BETWEEN a secondValue, TODAY none). Field names are left to Mambu
 * (its lists differ by version; custom fields go as `_set.field`).
 */
export function checkSearch(
  spec: { operators: readonly string[] },
  filterCriteria: unknown,
  sortingCriteria: unknown,
): { filterCriteria: FilterCriterion[]; sortingCriteria?: SortingCriterion } {
  if (filterCriteria === undefined) filterCriteria = [];
  if (!Array.isArray(filterCriteria)) throw new MambuTsError(`filterCriteria must be an array of { field, operator, value }`);
  const criteria = filterCriteria.map((c, i): FilterCriterion => {
    if (typeof c !== "object" || c === null) throw new MambuTsError(`filterCriteria[${i}] must be an object`);
    const { field, operator, value, secondValue, values, ...rest } = c as FilterCriterion & Record<string, unknown>;
    const unknownKeys = Object.keys(rest);
    if (unknownKeys.length) throw new MambuTsError(`filterCriteria[${i}]: unknown key ${unknownKeys[0]} (use field, operator, value, secondValue, values)`);
    if (typeof field !== "string" || !field) throw new MambuTsError(`filterCriteria[${i}].field must be a non-empty string`);
    if (typeof operator !== "string" || !spec.operators.includes(operator)) {
      throw new MambuTsError(`filterCriteria[${i}].operator ${JSON.stringify(operator)} is not one of ${spec.operators.join(", ")}`);
    }
    const out: FilterCriterion = { field, operator };
    if (operator === "IN") {
      if (!Array.isArray(values) || values.length === 0) throw new MambuTsError(`filterCriteria[${i}]: IN needs a non-empty values array`);
      out.values = values.map((v, j) => queryValue(`filterCriteria[${i}].values[${j}]`, v));
    } else if (!NO_VALUE.has(operator)) {
      if (value === undefined) throw new MambuTsError(`filterCriteria[${i}]: ${operator} needs a value`);
      out.value = typeof value === "number" ? value : queryValue(`filterCriteria[${i}].value`, value);
      if (operator === "BETWEEN") {
        if (secondValue === undefined) throw new MambuTsError(`filterCriteria[${i}]: BETWEEN needs a secondValue`);
        out.secondValue = typeof secondValue === "number" ? secondValue : queryValue(`filterCriteria[${i}].secondValue`, secondValue);
      }
    }
    return out;
  });
  let sorting: SortingCriterion | undefined;
  if (sortingCriteria !== undefined) {
    const s = sortingCriteria as SortingCriterion;
    if (typeof s !== "object" || s === null || typeof s.field !== "string") throw new MambuTsError(`sortingCriteria must be { field, order }`);
    const order = (s.order ?? "ASC").toUpperCase();
    if (order !== "ASC" && order !== "DESC") throw new MambuTsError(`sortingCriteria.order must be ASC or DESC`);
    sorting = { field: s.field, order: order as "ASC" | "DESC" };
  }
  return { filterCriteria: criteria, sortingCriteria: sorting };
}
