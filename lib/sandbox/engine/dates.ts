/**
 * Date rules of the engine, as Mambu's: date-time inputs must carry the tenant's offset; dates are compared
 * in the tenant's zone; stored date-times are ISO strings with that offset (`2026-01-15T00:00:00+02:00`).
 * Calendar arithmetic works on `YYYY-MM-DD` strings through luxon in UTC (no local zone, no DST).
 */
import { DateTime, FixedOffsetZone } from "luxon";
import { isoWithOffset, parseOffset } from "../clock";
import { invalidParameters } from "../errors";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** A repayment period unit, as in `ScheduleSettings.repaymentPeriodUnit`. */
export type PeriodUnit = "DAYS" | "WEEKS" | "MONTHS" | "YEARS";

/**
 * Validates a `date-time` input: an ISO date-time whose offset is the tenant's. Returns it normalised to
 * seconds precision (`2026-01-15T10:00:00+02:00`), or undefined when absent. Otherwise throws Mambu's
 * `4 INVALID_PARAMETERS` with `Invalid date offset for value <local part> org offset is <offset>`.
 */
export function parseDateTimeInput(value: unknown, offset: string, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalidParameters(`Invalid value for ${field}: expected an ISO date-time`);
  if (isNormalIso(value, offset)) return value; // what the checks below would give back: the value itself
  const m = DATE_TIME_RE.exec(value);
  if (!m) {
    if (DATE_RE.test(value)) throw invalidParameters(`Invalid date offset for value ${value} org offset is ${offset}`);
    throw invalidParameters(`Invalid date format for value ${value} of ${field}`);
  }
  const [, local, off] = m;
  const tenantMinutes = parseOffset(offset);
  if (off === undefined || parseOffset(off) !== tenantMinutes) {
    throw invalidParameters(`Invalid date offset for value ${local} org offset is ${offset}`);
  }
  const dt = DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid) throw invalidParameters(`Invalid date format for value ${value} of ${field}`);
  return isoWithOffset(dt);
}

/**
 * Whether `value` is a valid date-time already in the normal form `YYYY-MM-DDTHH:MM:SS±HH:MM` with the tenant's
 * `offset` (as {@link parseDateTimeInput} answers it) and a year from 1000 to 9999: the common case, checked
 * without a regex or a DateTime.
 */
function isNormalIso(value: string, offset: string): boolean {
  if (value.length !== 25 || offset.length !== 6 || value[10] !== "T" || value[13] !== ":" || value[16] !== ":" || !value.endsWith(offset)) return false;
  if (utcDay(value.slice(0, 10)) === undefined) return false;
  const hh = twoDigits(value, 11);
  const mm = twoDigits(value, 14);
  const ss = twoDigits(value, 17);
  return hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 59;
}

/** The number of the two ASCII digits at `at`, or -1. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? 10 * a + b : -1;
}

/** Validates a `date` input (`YYYY-MM-DD`); returns it, or undefined when absent. */
export function parseDateInput(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !DATE_RE.test(value) || !DateTime.fromISO(value, { zone: "utc" }).isValid) {
    throw invalidParameters(`Invalid date format for value ${String(value)} of ${field}`);
  }
  return value;
}

/** The tenant-zone calendar date (`YYYY-MM-DD`) of an ISO date or date-time. */
export function localDate(iso: string, offset: string): string {
  if (DATE_RE.test(iso)) return iso;
  if (iso.length === 25 && iso.endsWith(offset) && iso[10] === "T") return iso.slice(0, 10); // already in the tenant zone
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new Error(`invalid stored date ${iso}`);
  return dt.setZone(FixedOffsetZone.instance(parseOffset(offset))).toISODate() as string;
}

/** Midnight of a tenant date as an ISO date-time: `2026-01-15T00:00:00+02:00`. */
export function startOfDay(date: string, offset: string): string {
  return `${date}T00:00:00${offset}`;
}

/** Adds calendar days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const t = utcDay(date);
  if (t !== undefined && Number.isInteger(days)) {
    const out = utcDate(t + days * 86_400_000);
    if (out !== undefined) return out;
  }
  return DateTime.fromISO(date, { zone: "utc" }).plus({ days }).toISODate() as string;
}

/**
 * Adds `count × n` periods to a date. Months and years clamp to the end of shorter months
 * (31 Jan + 1 month = 28/29 Feb), always counted from the given date so that later dates keep the day.
 * Valid dates of years 1000 to 9999 and whole periods are counted here (luxon's rules, without a DateTime per
 * date); anything else is left to luxon.
 */
export function addPeriods(date: string, unit: PeriodUnit, count: number, n = 1): string {
  const k = count * n;
  const t = utcDay(date);
  if (t !== undefined && Number.isInteger(k)) {
    let out: string | undefined;
    if (unit === "DAYS") out = utcDate(t + k * 86_400_000);
    else if (unit === "WEEKS") out = utcDate(t + k * 7 * 86_400_000);
    else out = addMonths(date, unit === "YEARS" ? 12 * k : k);
    if (out !== undefined) return out;
  }
  const dt = DateTime.fromISO(date, { zone: "utc" });
  switch (unit) {
    case "DAYS":
      return dt.plus({ days: k }).toISODate() as string;
    case "WEEKS":
      return dt.plus({ weeks: k }).toISODate() as string;
    case "YEARS":
      return dt.plus({ years: k }).toISODate() as string;
    default:
      return dt.plus({ months: k }).toISODate() as string;
  }
}

/** `YYYY-MM-DD` of a valid date plus whole months, the day clamped to the month's last (as luxon); years 1000–9999. */
function addMonths(date: string, months: number): string | undefined {
  const index = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const y = Math.floor(index / 12);
  const m = index - 12 * y; // 0-based
  if (y < 1000 || y > 9999) return undefined;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(Number(date.slice(8, 10)), last);
  return `${y}-${m < 9 ? "0" : ""}${m + 1}-${d < 10 ? "0" : ""}${d}`;
}

/** `YYYY-MM-DD` of milliseconds at UTC midnight, for years 1000 to 9999 (else undefined). */
function utcDate(ms: number): string | undefined {
  const dt = new Date(ms);
  const y = dt.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return undefined;
  const m = dt.getUTCMonth() + 1;
  const d = dt.getUTCDate();
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** Whole days from `a` to `b` (both `YYYY-MM-DD`): positive when b is later. */
export function daysBetween(a: string, b: string): number {
  const ta = utcDay(a);
  const tb = utcDay(b);
  if (ta !== undefined && tb !== undefined) return Math.round((tb - ta) / 86_400_000);
  return Math.round(DateTime.fromISO(b, { zone: "utc" }).diff(DateTime.fromISO(a, { zone: "utc" }), "days").days);
}

/**
 * Milliseconds of a valid `YYYY-MM-DD` date (years 1000 to 9999) at UTC midnight, or undefined for anything else
 * (then {@link daysBetween} asks luxon): the hot path of the engine's day counts, without a DateTime per date —
 * and the sandbox's check that a date is a real calendar date (search.ts).
 */
export function utcDay(date: string): number | undefined {
  if (date.length !== 10 || !DATE_RE.test(date)) return undefined;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (y < 1000) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const check = new Date(t);
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? t : undefined;
}

/** Compares two ISO date-times by instant (negative when a is earlier). */
export function compareInstant(a: string, b: string): number {
  // fast path: both normalised (`YYYY-MM-DDTHH:MM:SS±HH:MM`) with the same offset compare as strings
  if (a.length === 25 && b.length === 25 && a.slice(19) === b.slice(19)) return a < b ? -1 : a > b ? 1 : 0;
  return DateTime.fromISO(a, { setZone: true }).toMillis() - DateTime.fromISO(b, { setZone: true }).toMillis();
}
