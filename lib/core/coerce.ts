/**
 * Conversion between Mambu's wire values and the values users handle, driven by the schema's
 * field types (never by guessing from the value): amounts and rates → `Decimal`, `date-time` →
 * luxon `DateTime` keeping the offset Mambu sent, `date` → `DateTime` at midnight UTC that is
 * written back as `YYYY-MM-DD`. Strings stay strings ("00123" stays "00123").
 */
import { DateTime, FixedOffsetZone, Settings } from "luxon";
import type { FieldSpec } from "../contract/schema";
import { MambuTsError } from "../errors";
import { Decimal } from "./money";
import { RawNumber } from "./json";
import { decimalFromJsonText, decimalFromNumber, decimalFromPlainText } from "./fast-decimal";
import { RecentByText } from "./recent";

/** The scalar kinds the ORM converts. */
export type ScalarKind = "decimal" | "integer" | "datetime" | "date" | "boolean" | "string" | "any";

const WIRE_DATETIME = "yyyy-MM-dd'T'HH:mm:ssZZ";
const HAS_OFFSET = /(?:[+-]\d{2}:?\d{2}|Z)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The two decimal digits at `s[i]`, `s[i + 1]` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of the calendar date `YYYY-MM-DD` at the start of `s`, as UTC midnight; NaN
 * unless it is a plain, existing date of the years 1000–9999 (luxon's own parser then decides).
 */
function plainDateMillis(s: string): number {
  if (s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(7) !== 45) return NaN;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (hi < 10 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return NaN;
  return Date.UTC(year, month - 1, day);
}

/**
 * The form Mambu always sends, `YYYY-MM-DDTHH:mm:ss` then `Z` or `±HH:MM`, read without luxon's
 * general ISO parser: the same DateTime as `DateTime.fromISO(s, { setZone: true })` (same instant,
 * fixed offset zone and locale), several times faster. Undefined for any other form or an unusual
 * value (then luxon parses it). @internal
 */
export function fastWireDateTime(s: string): DateTime | undefined {
  const hit = recentDateTimes.get(s);
  if (hit !== undefined && sameSettings()) return hit;
  const dt = parseFastWireDateTime(s);
  if (dt !== undefined) recentDateTimes.set(s, dt);
  return dt;
}

/**
 * DateTimes made lately, by wire text: records repeat dates (an installment's due date, a day's
 * midnight), and a DateTime never changes (luxon's methods return new ones), so one instance serves
 * every field with that text. Only texts that carry their own offset (or are plain dates, below):
 * their DateTime depends on nothing else — but luxon's default locale, numbering system and
 * calendar, which the cache is emptied on when they change. Bounded (see recent.ts).
 */
const recentDateTimes = new RecentByText<DateTime>(4096);
/** Plain dates (`YYYY-MM-DD`, at midnight UTC) made lately, by wire text (as above). */
const recentDates = new RecentByText<DateTime>(4096);
/** luxon's defaults a new DateTime takes (its Locale): those the cached DateTimes were made with. */
function currentSettings(): unknown[] {
  return [Settings.defaultLocale, Settings.defaultNumberingSystem, Settings.defaultOutputCalendar, Settings.defaultWeekSettings];
}
let settingsSeen = currentSettings();

/**
 * Whether luxon's defaults are still those the cached DateTimes were made with and {@link plainFormatting} probed
 * under; else both are forgotten (the caches emptied, the probe due again).
 */
function sameSettings(): boolean {
  const seen = settingsSeen;
  if (
    seen[0] === Settings.defaultLocale && seen[1] === Settings.defaultNumberingSystem &&
    seen[2] === Settings.defaultOutputCalendar && seen[3] === Settings.defaultWeekSettings
  ) return true;
  settingsSeen = currentSettings();
  recentDateTimes.clear();
  recentDates.clear();
  formattingPlain = undefined;
  return false;
}

function parseFastWireDateTime(s: string): DateTime | undefined {
  const ts = wireInstant(s);
  return Number.isNaN(ts) ? undefined : DateTime.fromMillis(ts, { zone: fixedZone(wireOffset) });
}

/** The offset (minutes east of UTC) of the text {@link wireInstant} read last (set only when it returns a number). */
let wireOffset = 0;

/**
 * Epoch milliseconds of `YYYY-MM-DDTHH:mm:ss` then `Z` or `±HH:MM` (its offset left in `wireOffset`), read
 * without luxon; NaN for any other form or an unusual value (luxon's own parser then decides).
 */
function wireInstant(s: string): number {
  const n = s.length;
  let offset: number;
  if (n === 20 && s.charCodeAt(19) === 90 /* Z */) offset = 0;
  else if (n === 25 && s.charCodeAt(22) === 58 /* : */) {
    const sign = s.charCodeAt(19);
    const oh = twoDigits(s, 20);
    const om = twoDigits(s, 23);
    if ((sign !== 43 /* + */ && sign !== 45) /* - */ || oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offset = sign === 45 ? -(oh * 60 + om) : oh * 60 + om;
  } else return NaN;
  if (s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const day = plainDateMillis(s);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (Number.isNaN(day) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  wireOffset = offset;
  return day + ((hour * 60 + minute - offset) * 60 + second) * 1000;
}

/** Fixed-offset zones by minutes (immutable; luxon makes a new one per call of `FixedOffsetZone.instance`). */
const fixedZones = new Map<number, FixedOffsetZone>();

/** The fixed-offset zone of `minutes` east of UTC, made once (offsets are bounded: at most 24 × 60 × 2 of them). */
function fixedZone(minutes: number): FixedOffsetZone {
  let z = fixedZones.get(minutes);
  if (z === undefined) {
    z = FixedOffsetZone.instance(minutes);
    fixedZones.set(minutes, z);
  }
  return z;
}

/** Two probe zones (+00:01, +00:02): a date-time text parsed in both keeps one offset only if it carries its own. */
const PROBE_A = FixedOffsetZone.instance(1);
const PROBE_B = FixedOffsetZone.instance(2);

/**
 * A wire date-time string → DateTime in the offset it was sent with (invalid text stays as is).
 *
 * One sent without an offset (`2021-03-09T13:37:50`) is placed in `naiveOffset()` — the tenant's
 * or the entity's offset, as for naive values a user gives — and, when that is unknown too, stays
 * the text it was: never the machine's zone.
 */
export function parseWireDateTime(s: string, naiveOffset?: OffsetSource): DateTime | string {
  const fast = fastWireDateTime(s);
  if (fast !== undefined) return fast;
  const dt = DateTime.fromISO(s, { zone: PROBE_A, setZone: true });
  if (!dt.isValid) return s;
  if (dt.offset !== 1 || DateTime.fromISO(s, { zone: PROBE_B, setZone: true }).offset !== 2) return dt;
  const offset = naiveOffset?.();
  return offset ? DateTime.fromISO(s, { zone: zoneFor(offset) }) : s;
}

/** A wire date string (`YYYY-MM-DD`) → DateTime at midnight UTC (invalid text stays as is). */
export function parseWireDate(s: string): DateTime | string {
  if (s.length >= 10) {
    const hit = s.length === 10 ? recentDates.get(s) : undefined;
    if (hit !== undefined && sameSettings()) return hit;
    const ts = plainDateMillis(s);
    if (!Number.isNaN(ts)) {
      const dt = DateTime.fromMillis(ts, { zone: FixedOffsetZone.utcInstance });
      if (s.length === 10) recentDates.set(s, dt);
      return dt;
    }
  }
  const dt = DateTime.fromISO(s.length > 10 ? s.slice(0, 10) : s, { zone: "UTC" });
  return dt.isValid ? dt : s;
}

/**
 * Wire value → user value for a scalar kind. Values of an unexpected wire type are kept as sent.
 * `naiveOffset`: where a date-time sent without an offset is placed (see {@link parseWireDateTime}).
 */
export function hydrateScalar(kind: ScalarKind, raw: unknown, naiveOffset?: OffsetSource): unknown {
  if (raw === null || raw === undefined) return raw;
  switch (kind) {
    case "decimal":
      if (typeof raw === "number") return decimalFromNumber(raw);
      if (raw instanceof RawNumber) return decimalFromJsonText(raw.text);
      if (typeof raw === "string") return decimalFromPlainText(raw) ?? (NUMERIC.test(raw) ? new Decimal(raw) : raw);
      return raw;
    case "integer":
      if (raw instanceof RawNumber) {
        const n = Number(raw.text);
        return Number.isSafeInteger(n) ? n : new Decimal(raw.text);
      }
      return raw;
    case "datetime":
      return typeof raw === "string" ? parseWireDateTime(raw, naiveOffset) : raw;
    case "date":
      return typeof raw === "string" ? parseWireDate(raw) : raw;
    default:
      return raw;
  }
}

/** Where a naive date-time (no offset) is placed: the entity's or tenant's UTC offset, e.g. "+02:00". */
export type OffsetSource = () => string | undefined;

function zoneFor(offset: string): FixedOffsetZone {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) throw new MambuTsError(`invalid UTC offset "${offset}" (expected like +02:00)`);
  const minutes = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === "-" ? -1 : 1);
  return FixedOffsetZone.instance(minutes);
}

/** Formats a DateTime as Mambu wants it: `2021-03-09T13:37:50+02:00` (seconds, no millis, offset). */
export function formatWireDateTime(dt: DateTime): string {
  return dt.toFormat(WIRE_DATETIME);
}

/**
 * User value → wire date-time string. Explicit instants (DateTime with a zone, Date, strings with an
 * offset) keep their instant and are written in the tenant offset when it is known; naive values
 * (strings without offset, DateTimes in the machine's zone) take the tenant's offset, never the
 * machine's.
 */
export function toWireDateTime(value: unknown, field: string, offsetOf: OffsetSource): string {
  const offset = offsetOf();
  if (typeof value === "string") {
    const fast = fastWireDateTimeText(value.trim(), offset);
    if (fast !== undefined) return fast;
  }
  const target = offset ? zoneFor(offset) : undefined;
  let dt: DateTime;
  if (DateTime.isDateTime(value)) {
    if (!value.isValid) throw new MambuTsError(`${field}: invalid DateTime (${value.invalidReason})`);
    if (value.zone.type === "system") {
      if (!target) throw naive(field, value.toISO() ?? "");
      dt = value.setZone(target, { keepLocalTime: true });
    } else dt = target ? value.setZone(target) : value;
  } else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new MambuTsError(`${field}: invalid Date`);
    dt = DateTime.fromJSDate(value, { zone: target ?? "UTC" });
  } else if (typeof value === "string") {
    const s = value.trim();
    if (HAS_OFFSET.test(s) && !DATE_ONLY.test(s)) {
      const parsed = DateTime.fromISO(s, { setZone: true });
      if (!parsed.isValid) throw badDate(field, value);
      dt = target ? parsed.setZone(target) : parsed;
    } else {
      if (!target) throw naive(field, s);
      dt = DateTime.fromISO(s, { zone: target });
      if (!dt.isValid) throw badDate(field, value);
    }
  } else {
    throw new MambuTsError(`${field}: expected a DateTime, Date or ISO string, got ${describe(value)}`);
  }
  return formatWireDateTime(dt);
}

/**
 * `toWireDateTime` of a text in the forms the toolkit writes — a plain date `YYYY-MM-DD` (with the tenant's
 * offset known) or `YYYY-MM-DDTHH:mm:ss` then `Z` or `±HH:MM` — without luxon: the text the luxon path
 * writes (its instant, in the tenant's offset when known, else in its own). Undefined for any other form, an
 * unusual value or offset, a year outside 1000–9999, or luxon defaults under which its formatting differs
 * (then the luxon path decides, errors included). @internal
 */
export function fastWireDateTimeText(s: string, offset: string | undefined): string | undefined {
  let target: number | undefined;
  if (offset !== undefined && offset !== "") {
    target = offsetMinutes(offset);
    if (target === undefined) return undefined;
  }
  let local: number;
  let out: number;
  if (s.length === 10) {
    if (target === undefined) return undefined;
    const day = plainDateMillis(s);
    if (Number.isNaN(day)) return undefined;
    local = day;
    out = target;
  } else {
    const ts = wireInstant(s);
    if (Number.isNaN(ts)) return undefined;
    out = target ?? wireOffset;
    local = ts + out * 60000;
  }
  if (!plainFormatting()) return undefined;
  const d = new Date(local);
  const year = d.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return undefined;
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${offsetText(out)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `±HH:MM` of an offset in minutes, as luxon's `ZZ` writes it (zero as `+00:00`). */
function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes >= 0 ? "+" : "-"}${pad2(Math.trunc(abs / 60))}:${pad2(abs % 60)}`;
}

/** Minutes east of UTC of `±HH:MM` or `±HHMM` with hours ≤ 23 and minutes ≤ 59; undefined otherwise (zoneFor then decides). */
function offsetMinutes(offset: string): number | undefined {
  const n = offset.length;
  const sign = offset.charCodeAt(0);
  if ((sign !== 43 && sign !== 45) || (n !== 6 && n !== 5) || (n === 6 && offset.charCodeAt(3) !== 58)) return undefined;
  const h = twoDigits(offset, 1);
  const m = twoDigits(offset, n - 2);
  if (h < 0 || h > 23 || m < 0 || m > 59) return undefined;
  return sign === 45 ? -(h * 60 + m) : h * 60 + m;
}

/** What {@link plainFormatting} found under luxon's current defaults (undefined: not probed since they changed). */
let formattingPlain: boolean | undefined;

/**
 * Whether luxon, under its current defaults (locale, numbering system, calendar), writes the wire format with
 * plain digits — as the fast path does; probed once per change of those defaults ({@link sameSettings}).
 */
function plainFormatting(): boolean {
  sameSettings();
  if (formattingPlain === undefined) {
    const probe = DateTime.fromISO("2024-02-29T13:07:09-03:30", { setZone: true }).setZone(FixedOffsetZone.instance(345));
    formattingPlain = probe.toFormat(WIRE_DATETIME) === "2024-02-29T22:22:09+05:45";
  }
  return formattingPlain;
}

/** User value → wire date `YYYY-MM-DD` (DateTimes use their own calendar date). */
export function toWireDate(value: unknown, field: string, offsetOf: OffsetSource): string {
  if (DateTime.isDateTime(value)) {
    if (!value.isValid) throw new MambuTsError(`${field}: invalid DateTime (${value.invalidReason})`);
    return value.toISODate() as string;
  }
  if (value instanceof Date) {
    const off = offsetOf();
    return DateTime.fromJSDate(value, { zone: off ? zoneFor(off) : "UTC" }).toISODate() as string;
  }
  if (typeof value === "string") {
    const s = value.trim();
    // a real calendar date of the years 1000–9999 at its start: what luxon would write back (its ISO date has plain digits whatever its defaults)
    if (s.length >= 10 && !Number.isNaN(plainDateMillis(s))) return s.slice(0, 10);
    const d = DateTime.fromISO(s.slice(0, 10), { zone: "UTC" });
    if (!d.isValid || !/^\d{4}-\d{2}-\d{2}/.test(s)) throw badDate(field, value);
    return d.toISODate() as string;
  }
  throw new MambuTsError(`${field}: expected a date (DateTime, Date or "YYYY-MM-DD"), got ${describe(value)}`);
}

/** User value → wire number for an amount or rate (exact text, never a rounded double). */
export function toWireDecimal(value: unknown, field: string): RawNumber | number {
  if (Decimal.isDecimal(value)) {
    if (!(value as Decimal).isFinite()) throw new MambuTsError(`${field}: ${value} is not a finite amount`);
    return new RawNumber((value as Decimal).toFixed());
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new MambuTsError(`${field}: ${value} is not a finite amount`);
    return value;
  }
  if (value instanceof RawNumber) return value;
  if (typeof value === "string" && NUMERIC.test(value.trim())) {
    const d = new Decimal(value.trim());
    if (!d.isFinite()) throw new MambuTsError(`${field}: ${describe(value)} is not a finite amount`);
    return new RawNumber(d.toFixed());
  }
  throw new MambuTsError(`${field}: expected a Decimal, number or numeric string, got ${describe(value)}`);
}

/** User value → wire integer. */
export function toWireInteger(value: unknown, field: string): number | RawNumber {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (value instanceof RawNumber) return value;
  if (Decimal.isDecimal(value) && (value as Decimal).isInteger()) return new RawNumber((value as Decimal).toFixed());
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : new RawNumber(BigInt(value.trim()).toString()); // "007…" → "7…": JSON has no leading zeros
  }
  throw new MambuTsError(`${field}: expected an integer, got ${describe(value)}`);
}

/** User value → wire scalar for a field spec kind; checks enums and basic types. */
export function dehydrateScalar(spec: FieldSpec | undefined, value: unknown, field: string, offsetOf: OffsetSource): unknown {
  if (value === null || value === undefined || !spec) return value;
  switch (spec.type) {
    case "decimal":
      return toWireDecimal(value, field);
    case "integer":
      return toWireInteger(value, field);
    case "datetime":
      return toWireDateTime(value, field, offsetOf);
    case "date":
      return toWireDate(value, field, offsetOf);
    case "boolean":
      if (typeof value !== "boolean") throw new MambuTsError(`${field}: expected a boolean, got ${describe(value)}`);
      return value;
    case "string":
      if (typeof value !== "string") throw new MambuTsError(`${field}: expected a string, got ${describe(value)}`);
      if (spec.enum && !spec.enum.includes(value)) {
        throw new MambuTsError(`${field}: "${value}" is not one of ${spec.enum.join(", ")}`);
      }
      return value;
    default:
      return value;
  }
}

/** Short description of a value for error messages (never its full content). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "object") return (value as object).constructor?.name ?? "an object";
  return `${typeof value} ${String(value)}`;
}

function naive(field: string, text: string): MambuTsError {
  return new MambuTsError(
    `${field}: "${text}" has no UTC offset and the tenant's offset is unknown; ` +
      `give an offset (e.g. 2026-01-15T10:00:00+02:00) or set mambuconfig.tenantoffset`,
  );
}

function badDate(field: string, text: string): MambuTsError {
  return new MambuTsError(`${field}: "${text}" is not a valid ISO 8601 date`);
}

/** Semantic equality of two user values (Decimal by value, DateTime by instant and offset). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Decimal.isDecimal(a) && Decimal.isDecimal(b)) return (a as Decimal).eq(b as Decimal);
  if (DateTime.isDateTime(a) && DateTime.isDateTime(b)) return a.toMillis() === b.toMillis() && a.offset === b.offset;
  if (a instanceof RawNumber && b instanceof RawNumber) return a.text === b.text;
  return false;
}
