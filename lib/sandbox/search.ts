/**
 * `POST /x:search`: `filterCriteria` (all must match) and `sortingCriteria`, with every operator of the contract:
 * EQUALS, EQUALS_CASE_SENSITIVE, DIFFERENT_THAN, MORE_THAN, LESS_THAN, BETWEEN (value..secondValue, inclusive),
 * ON, AFTER, AFTER_INCLUSIVE, BEFORE, BEFORE_INCLUSIVE, STARTS_WITH, STARTS_WITH_CASE_SENSITIVE, IN (values),
 * TODAY, THIS_WEEK (Monday to Sunday), THIS_MONTH, THIS_YEAR, LAST_DAYS (value days back from today, inclusive),
 * EMPTY, NOT_EMPTY.
 *
 * Fields are the contract's search fields (Mambu's names, e.g. `clientState`, `branchKey`, mapped to the record's
 * fields per resource) or custom fields `_Set.field` — on the record itself or on a parent (a loan's holder, a
 * transaction's account). Values compare as numbers when both sides are numeric, as dates when the operator or
 * the values are dates (dates relative to the sandbox clock, in the tenant's offset), else as strings
 * (case-insensitive unless the operator is a `_CASE_SENSITIVE` one). A record field holding a list (grouped
 * custom field rows, `groupKeys`) matches when any element matches.
 */
import { DateTime, FixedOffsetZone } from "luxon";
import { fieldEnum } from "./contract";
import { invalidParameters } from "./errors";
import { utcDay } from "./engine/dates";
import { compareValues, getPath, sortRecords, SortKey } from "./list";
import { ownValue } from "./safe-keys";
import type { SandboxContext } from "./router";
import type { CollectionName, WireRecord } from "./types";

/** Reads a search field from a record; may return a list (any element matches). */
export type Accessor = (rec: WireRecord, ctx: SandboxContext) => unknown;

/** What a resource declares for its search. */
export interface SearchSpec {
  /** Schema resource (e.g. "clients"). */
  resource: string;
  /** Definitions holding the allowed fields, e.g. ClientFilterCriteria / ClientSortingCriteria. */
  filterDefinition: string;
  sortDefinition: string;
  /** Contract field name → accessor, where it differs from the record's dotted path. */
  accessors?: Record<string, Accessor>;
  /** Records whose custom field sets count for this record too (e.g. the loan's account holder). */
  parents?: (rec: WireRecord, ctx: SandboxContext) => WireRecord[];
}

/** One filter criterion as sent. */
export interface FilterCriterion {
  field: string;
  operator: string;
  value?: unknown;
  secondValue?: unknown;
  values?: unknown[];
}

const NO_VALUE = new Set(["TODAY", "THIS_WEEK", "THIS_MONTH", "THIS_YEAR", "EMPTY", "NOT_EMPTY"]);
const ALL_OPERATORS = [
  "EQUALS", "EQUALS_CASE_SENSITIVE", "DIFFERENT_THAN", "MORE_THAN", "LESS_THAN", "BETWEEN", "ON", "AFTER",
  "AFTER_INCLUSIVE", "BEFORE", "BEFORE_INCLUSIVE", "STARTS_WITH", "STARTS_WITH_CASE_SENSITIVE", "IN", "TODAY",
  "THIS_WEEK", "THIS_MONTH", "THIS_YEAR", "LAST_DAYS", "EMPTY", "NOT_EMPTY",
];
const CUSTOM_FIELD = /^(_[^.]+)\.([^.]+)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function zoneOf(offset: string): FixedOffsetZone {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) return FixedOffsetZone.utcInstance;
  const minutes = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === "-" ? -1 : 1);
  return FixedOffsetZone.instance(minutes);
}

/** `YYYY-MM-DDTHH:MM:SS[.fff]±HH:MM`: the sandbox's own date-times (clock.nowIso, the engine's value dates). */
const OWN_DATE_TIME = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?([+-]\d{2}:\d{2})$/;

/**
 * The date part of a valid date-time written at the tenant's own offset (its wall-clock date is the tenant-local
 * date: no zone arithmetic needed); undefined for anything else (left to luxon, which answers the same).
 */
function sameOffsetDate(v: string, offset: string): string | undefined {
  if (!v.endsWith(offset)) return undefined;
  const m = OWN_DATE_TIME.exec(v);
  if (!m || m[1] !== offset) return undefined;
  const date = v.slice(0, 10);
  return utcDay(date) === undefined ? undefined : date; // a real calendar date of the years 1000–9999
}

/** The last date-time read by {@link localDate}, with its offset and answer (a posting reads "now" a few times). */
let lastLocal: { v: string; offset: string; date: string | undefined } | undefined;

/** The tenant-local date (YYYY-MM-DD) of a date or date-time string, or undefined. */
export function localDate(v: unknown, offset: string): string | undefined {
  if (typeof v !== "string") return undefined;
  if (DATE_ONLY.test(v)) return v;
  if (lastLocal !== undefined && lastLocal.v === v && lastLocal.offset === offset) return lastLocal.date;
  const same = sameOffsetDate(v, offset);
  if (same !== undefined) return same;
  if (!DATE_TIME.test(v)) return undefined;
  const zone = zoneOf(offset);
  const dt = DateTime.fromISO(v, { zone, setZone: false });
  const date = dt.isValid ? (dt.setZone(zone).toISODate() ?? undefined) : undefined;
  lastLocal = { v, offset, date };
  return date;
}

const isDateLike = (v: unknown): v is string => typeof v === "string" && (DATE_ONLY.test(v) || DATE_TIME.test(v));
const isNumeric = (v: unknown): boolean =>
  (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim()));
const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: "utc" }).plus({ days: n }).toISODate() as string;
}

/** Compares a record value with a criterion value as dates (day precision when either is date-only). */
function compareDates(rec: string, value: string, offset: string): number | undefined {
  if (DATE_ONLY.test(rec) || DATE_ONLY.test(value)) {
    const a = localDate(rec, offset);
    const b = localDate(value, offset);
    if (!a || !b) return undefined;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const ta = Date.parse(rec);
  const tb = Date.parse(value);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return undefined;
  return ta - tb;
}

function equalsLoose(rec: unknown, value: unknown, caseSensitive: boolean): boolean {
  if (rec === undefined || rec === null) return false;
  if (isNumeric(rec) && isNumeric(value)) return Number(rec) === Number(value);
  if (typeof rec === "boolean") return String(rec).toLowerCase() === String(value).toLowerCase();
  const a = String(rec);
  const b = String(value);
  return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
}

function order(rec: unknown, value: unknown, offset: string): number | undefined {
  if (rec === undefined || rec === null || rec === "") return undefined;
  if (isNumeric(rec) && isNumeric(value)) return Number(rec) - Number(value);
  if (isDateLike(rec) && isDateLike(value)) return compareDates(rec, value, offset);
  const a = String(rec);
  const b = String(value);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What matching needs of the sandbox: the tenant offset, and today's date (read once per search, when needed). */
interface MatchEnv {
  offset: string;
  today(): string;
}

function envOf(ctx: SandboxContext): MatchEnv {
  let today: string | undefined;
  return { offset: ctx.clock.offset, today: () => (today ??= ctx.clock.today()) };
}

/** Whether one (scalar) record value satisfies a criterion. */
function matchOne(rec: unknown, c: FilterCriterion, env: MatchEnv): boolean {
  const offset = env.offset;
  const v = c.value;
  switch (c.operator) {
    case "EQUALS":
      return equalsLoose(rec, v, false);
    case "EQUALS_CASE_SENSITIVE":
      return equalsLoose(rec, v, true);
    case "DIFFERENT_THAN":
      return !equalsLoose(rec, v, false);
    case "MORE_THAN": {
      const o = order(rec, v, offset);
      return o !== undefined && o > 0;
    }
    case "LESS_THAN": {
      const o = order(rec, v, offset);
      return o !== undefined && o < 0;
    }
    case "BETWEEN": {
      const lo = order(rec, v, offset);
      const hi = order(rec, c.secondValue, offset);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case "ON":
    case "AFTER":
    case "AFTER_INCLUSIVE":
    case "BEFORE":
    case "BEFORE_INCLUSIVE": {
      if (!isDateLike(rec) || !isDateLike(v)) return false;
      const o = c.operator === "ON" ? compareDates(localDate(rec, offset) ?? "", localDate(v, offset) ?? "", offset) : compareDates(rec, v, offset);
      if (o === undefined) return false;
      if (c.operator === "ON") return o === 0;
      if (c.operator === "AFTER") return o > 0;
      if (c.operator === "AFTER_INCLUSIVE") return o >= 0;
      if (c.operator === "BEFORE") return o < 0;
      return o <= 0;
    }
    case "STARTS_WITH":
      return rec !== undefined && rec !== null && String(rec).toLowerCase().startsWith(String(v).toLowerCase());
    case "STARTS_WITH_CASE_SENSITIVE":
      return rec !== undefined && rec !== null && String(rec).startsWith(String(v));
    case "IN":
      return (c.values ?? []).some((x) => equalsLoose(rec, x, true));
    case "TODAY":
      return localDate(rec, offset) === env.today();
    case "THIS_WEEK": {
      const d = localDate(rec, offset);
      if (!d) return false;
      const today = env.today();
      const weekday = DateTime.fromISO(today, { zone: "utc" }).weekday; // 1 = Monday
      const monday = addDays(today, 1 - weekday);
      return d >= monday && d <= addDays(monday, 6);
    }
    case "THIS_MONTH":
      return (localDate(rec, offset) ?? "").slice(0, 7) === env.today().slice(0, 7);
    case "THIS_YEAR":
      return (localDate(rec, offset) ?? "").slice(0, 4) === env.today().slice(0, 4);
    case "LAST_DAYS": {
      const d = localDate(rec, offset);
      const today = env.today();
      return !!d && d <= today && d >= addDays(today, -Number(v));
    }
    default:
      return false;
  }
}

/** Whether a record value (scalar or list) satisfies a criterion. */
export function matches(value: unknown, c: FilterCriterion, ctx: SandboxContext): boolean {
  return matchesIn(value, c, envOf(ctx));
}

function matchesIn(value: unknown, c: FilterCriterion, ctx: MatchEnv): boolean {
  if (c.operator === "EMPTY") return Array.isArray(value) ? value.every(isEmpty) : isEmpty(value);
  if (c.operator === "NOT_EMPTY") return Array.isArray(value) ? value.some((x) => !isEmpty(x)) : !isEmpty(value);
  if (Array.isArray(value)) {
    if (c.operator === "DIFFERENT_THAN") return value.every((x) => matchOne(x, c, ctx));
    return value.some((x) => matchOne(x, c, ctx));
  }
  return matchOne(value, c, ctx);
}

/** The value of a custom field on a record (a list of row values for a grouped set), or undefined. */
export function customFieldValue(rec: WireRecord, set: string, field: string): unknown {
  const s = ownValue(rec, set);
  if (Array.isArray(s)) return s.map((row) => ownValue(row, field));
  return ownValue(s, field);
}

/** Resolves a search field on a record. */
export function resolveField(spec: SearchSpec, field: string, rec: WireRecord, ctx: SandboxContext): unknown {
  const cf = CUSTOM_FIELD.exec(field);
  if (cf) {
    if (ownValue(rec, cf[1]) !== undefined) return customFieldValue(rec, cf[1], cf[2]);
    for (const p of spec.parents?.(rec, ctx) ?? []) {
      if (ownValue(p, cf[1]) !== undefined) return customFieldValue(p, cf[1], cf[2]);
    }
    return undefined;
  }
  const acc = ownValue(spec.accessors, field) as Accessor | undefined;
  return acc ? acc(rec, ctx) : getPath(rec, field);
}

function checkCriterion(spec: SearchSpec, c: FilterCriterion, i: number, ctx: SandboxContext): void {
  const where = `filterCriteria[${i}]`;
  if (!c || typeof c !== "object") throw invalidParameters(`${where}: expected object`);
  if (typeof c.field !== "string" || !c.field) throw invalidParameters(`${where}.field: required field is missing`);
  if (typeof c.operator !== "string") throw invalidParameters(`${where}.operator: required field is missing`);
  const ops = fieldEnum(spec.resource, spec.filterDefinition, "operator") ?? ALL_OPERATORS;
  if (!ops.includes(c.operator) && !ALL_OPERATORS.includes(c.operator)) {
    throw invalidParameters(`${where}.operator: expected one of ${ops.join(", ")}, got "${c.operator}"`);
  }
  const cf = CUSTOM_FIELD.exec(c.field);
  if (cf) {
    const sets = ctx.store.all("customfieldsets");
    if (sets.length) {
      const set = sets.find((s) => s.id === cf[1]);
      const known = set && ((set.customFields as Array<{ id?: string }> | undefined) ?? []).some((f) => f.id === cf[2]);
      if (!known) throw invalidParameters(`${where}.field: unknown custom field ${c.field}`);
    }
  } else {
    const fields = fieldEnum(spec.resource, spec.filterDefinition, "field");
    if (fields && !fields.includes(c.field)) throw invalidParameters(`${where}.field: "${c.field}" cannot be used for searching`);
  }
  if (c.operator === "IN") {
    if (!Array.isArray(c.values) || c.values.length === 0) throw invalidParameters(`${where}.values: IN needs a non-empty list of values`);
  } else if (!NO_VALUE.has(c.operator)) {
    if (c.value === undefined || c.value === null || c.value === "") throw invalidParameters(`${where}.value: ${c.operator} needs a value`);
    if (c.operator === "BETWEEN" && (c.secondValue === undefined || c.secondValue === null || c.secondValue === "")) {
      throw invalidParameters(`${where}.secondValue: BETWEEN needs a secondValue`);
    }
    if (c.operator === "LAST_DAYS" && !/^\d+$/.test(String(c.value))) throw invalidParameters(`${where}.value: LAST_DAYS needs a number of days`);
    if (["ON", "AFTER", "AFTER_INCLUSIVE", "BEFORE", "BEFORE_INCLUSIVE"].includes(c.operator) && !isDateLike(c.value)) {
      throw invalidParameters(`${where}.value: ${c.operator} needs a date (YYYY-MM-DD) or date-time`);
    }
  }
}

/** The reader of a search field, resolved once per search (the custom-field and accessor tests are not per record). */
function fieldReader(spec: SearchSpec, field: string, ctx: SandboxContext): (rec: WireRecord) => unknown {
  if (CUSTOM_FIELD.test(field)) return (rec) => resolveField(spec, field, rec, ctx);
  const acc = ownValue(spec.accessors, field) as Accessor | undefined;
  if (acc) return (rec) => acc(rec, ctx);
  if (!field.includes(".")) return (rec) => ownValue(rec, field);
  return (rec) => getPath(rec, field);
}

/**
 * The test of one criterion on a record. EQUALS and EQUALS_CASE_SENSITIVE with a value that is not numeric
 * compare text directly (what `equalsLoose` does for such a value, without its numeric test per record).
 */
function criterionTest(spec: SearchSpec, c: FilterCriterion, ctx: SandboxContext, env: MatchEnv): (rec: WireRecord) => boolean {
  const read = fieldReader(spec, c.field, ctx);
  if ((c.operator === "EQUALS" || c.operator === "EQUALS_CASE_SENSITIVE") && !isNumeric(c.value)) {
    const sensitive = c.operator === "EQUALS_CASE_SENSITIVE";
    const want = String(c.value);
    const wantLower = want.toLowerCase();
    return (rec) => {
      const v = read(rec);
      if (v === undefined || v === null) return false;
      if (typeof v === "object") return matchesIn(v, c, env);
      if (typeof v === "boolean" || !sensitive) return String(v).toLowerCase() === wantLower;
      return String(v) === want;
    };
  }
  return (rec) => matchesIn(read(rec), c, env);
}

/**
 * The records a search needs to test: from the store's index when a criterion is an EQUALS (either case) on an
 * indexed record field with a value that is not numeric (a superset of the matches, in insertion order), else all.
 */
function searchCandidates(spec: SearchSpec, criteria: FilterCriterion[], ctx: SandboxContext, coll: CollectionName | undefined): readonly string[] | undefined {
  if (!coll) return undefined;
  let best: readonly string[] | undefined;
  for (const c of criteria) {
    if (c.operator !== "EQUALS" && c.operator !== "EQUALS_CASE_SENSITIVE") continue;
    if (isNumeric(c.value) || c.value === undefined || c.value === null || typeof c.value === "object") continue;
    if (CUSTOM_FIELD.test(c.field) || ownValue(spec.accessors, c.field) !== undefined) continue;
    const found = ctx.store.candidateKeys(coll, c.field, c.value);
    if (found && (!best || found.length < best.length)) best = found;
  }
  return best;
}

/**
 * Filters and sorts records for a search body; throws 400 INVALID_PARAMETERS for an invalid body. With `coll`
 * (the collection `records` is all of), an EQUALS on an indexed field looks its records up instead of testing all.
 * With `enough` (and no `sortingCriteria`), the search stops at that many matches: the first ones, in the order a
 * whole search gives them (what a page at offset + limit ≤ `enough` needs).
 */
export function runSearch(spec: SearchSpec, records: WireRecord[] | (() => WireRecord[]), body: unknown, ctx: SandboxContext, coll?: CollectionName, enough?: number): WireRecord[] {
  if (body === undefined || body === null) body = {};
  if (typeof body !== "object" || Array.isArray(body)) throw invalidParameters("search body must be an object");
  const b = body as { filterCriteria?: unknown; sortingCriteria?: unknown };
  const criteria = b.filterCriteria ?? [];
  if (!Array.isArray(criteria)) throw invalidParameters("filterCriteria: expected array");
  criteria.forEach((c, i) => checkCriterion(spec, c as FilterCriterion, i, ctx));
  const env = envOf(ctx);
  const tests = (criteria as FilterCriterion[]).map((c) => criterionTest(spec, c, ctx, env));
  const sorted = b.sortingCriteria !== undefined && b.sortingCriteria !== null;
  const stopAt = sorted || enough === undefined ? Infinity : enough;
  const keys = searchCandidates(spec, criteria as FilterCriterion[], ctx, coll);
  let out: WireRecord[] = [];
  const take = (rec: WireRecord): boolean => {
    for (const t of tests) if (!t(rec)) return true;
    out.push(rec);
    return out.length < stopAt;
  };
  if (keys && coll) {
    const byKey = ctx.store.coll(coll).byKey;
    for (const k of keys) {
      const rec = byKey.get(k);
      if (rec && !take(rec)) break;
    }
  } else {
    const pool = coll ? ctx.store.coll(coll).byKey.values() : typeof records === "function" ? records() : records;
    for (const rec of pool) if (!take(rec)) break;
  }
  if (sorted) {
    const s = b.sortingCriteria as { field?: unknown; order?: unknown };
    if (typeof s !== "object" || typeof s.field !== "string") throw invalidParameters("sortingCriteria.field: required field is missing");
    const field = s.field;
    if (!CUSTOM_FIELD.test(field)) {
      const fields = fieldEnum(spec.resource, spec.sortDefinition, "field");
      if (fields && !fields.includes(field)) throw invalidParameters(`sortingCriteria.field: "${field}" cannot be used for sorting`);
    }
    const ord = s.order === undefined ? "DESC" : String(s.order);
    if (ord !== "ASC" && ord !== "DESC") throw invalidParameters(`sortingCriteria.order: expected one of ASC, DESC, got "${ord}"`);
    const key: SortKey = {
      field,
      desc: ord === "DESC",
      get: (r) => {
        const v = resolveField(spec, field, r, ctx);
        return Array.isArray(v) ? v[0] : v;
      },
    };
    out = sortRecords(out, [key]);
  }
  return out;
}

/** Exposed for tests: value comparison used by sorting. */
export { compareValues };
