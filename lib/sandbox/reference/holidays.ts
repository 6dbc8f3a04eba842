/**
 * Holidays and non-working days of the organization:
 * - `GET /organization/holidays` → `{ holidays, nonWorkingDays }` (holidays by date);
 * - `PUT /organization/holidays` replaces the general holiday list (and the non-working days when the body has
 *   them); a holiday keeps its `id`, `encodedKey` and `creationDate` when the body names its id;
 * - `POST /organization/holidays/general` adds holidays (201 with those created);
 * - `GET`/`PUT /organization/holidays/nonworkingdays` → `{ nonWorkingDays: ["SATURDAY", "SUNDAY"] }`.
 *
 * Holidays are the `holidays` collection (Holiday wire shape, `id` an integer); the non-working days live in
 * `store.extra.nonWorkingDays` (a tenant without them has Saturday and Sunday). Refusals: a blank or too long
 * name, an invalid date, an id twice, two holidays on one date, more than {@link MAX_HOLIDAYS}, a day named twice
 * or all seven days non-working. {@link isWorkingDay} is what schedules ask.
 */
import { DateTime } from "luxon";
import { validateBody } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import type { Router, SandboxContext } from "../router";
import { ownValue } from "../safe-keys";
import type { WireRecord } from "../types";

/** The days of the week as Mambu names them, Monday first (luxon's weekday 1–7). */
export const WEEK_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
/** A day of the week. */
export type WeekDay = (typeof WEEK_DAYS)[number];

/** Most holidays a tenant keeps in the sandbox. */
export const MAX_HOLIDAYS = 1000;
/** Longest holiday name accepted (a guess: Mambu documents none). */
export const MAX_HOLIDAY_NAME = 255;

const HOLIDAY_FIELDS = ["encodedKey", "id", "name", "date", "isAnnuallyRecurring", "creationDate"];

/** The tenant's non-working days (default Saturday and Sunday). */
export function nonWorkingDays(ctx: SandboxContext): WeekDay[] {
  const v = ownValue(ctx.store.extra, "nonWorkingDays");
  if (!Array.isArray(v)) return ["SATURDAY", "SUNDAY"];
  return WEEK_DAYS.filter((d) => v.includes(d));
}

/** The holidays in wire shape, by date. */
function holidaysWire(ctx: SandboxContext): Record<string, unknown>[] {
  const list = ctx.store.all("holidays").map((h) => {
    const out: Record<string, unknown> = {};
    for (const k of HOLIDAY_FIELDS) if (h[k] !== undefined) out[k] = h[k];
    return out;
  });
  return list.sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.id) - Number(b.id));
}

/**
 * Whether a date (`YYYY-MM-DD`) is a working day of the tenant: not one of its non-working days of the week and
 * not a holiday (an annually recurring holiday falls on its month and day of every year).
 */
export function isWorkingDay(ctx: SandboxContext, date: string): boolean {
  const dt = DateTime.fromISO(date, { zone: "utc" });
  if (!dt.isValid) return true;
  if (nonWorkingDays(ctx).includes(WEEK_DAYS[dt.weekday - 1])) return false;
  const md = date.slice(5, 10);
  return !ctx.store.all("holidays").some((h) => h.date === date || (h.isAnnuallyRecurring === true && typeof h.date === "string" && h.date.slice(5, 10) === md));
}

/** Checks the days of a non-working days list (no repeats, at least one working day). */
function checkNonWorkingDays(v: unknown): WeekDay[] {
  if (!Array.isArray(v)) throw invalidParameters("nonWorkingDays: required field is missing");
  const seen = new Set<string>();
  for (const d of v) {
    if (typeof d !== "string" || !(WEEK_DAYS as readonly string[]).includes(d)) throw invalidParameters(`nonWorkingDays: expected one of ${WEEK_DAYS.join(", ")}, got ${JSON.stringify(d)}`);
    if (seen.has(d)) throw mambuError("DUPLICATE_NON_WORKING_DAYS", `nonWorkingDays: ${d} twice`);
    seen.add(d);
  }
  if (seen.size === WEEK_DAYS.length) throw mambuError("DUPLICATE_NON_WORKING_DAYS", "nonWorkingDays: at least one day must be a working day");
  return WEEK_DAYS.filter((d) => seen.has(d));
}

/** Checks one holiday of a body (its shape was checked against the contract). */
function checkHoliday(h: unknown, where: string): Record<string, unknown> {
  if (!h || typeof h !== "object" || Array.isArray(h)) throw invalidParameters(`${where}: a holiday must be a JSON object`);
  const r = h as Record<string, unknown>;
  if (typeof r.name !== "string" || r.name.trim() === "") throw mambuError("BLANK_HOLIDAY_NAME", `${where}.name`);
  if (r.name.length > MAX_HOLIDAY_NAME) throw mambuError("HOLIDAY_NAME_LENGTH", `${where}.name: at most ${MAX_HOLIDAY_NAME} characters`);
  if (typeof r.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(r.date) || !DateTime.fromISO(r.date).isValid) {
    throw mambuError("HOLIDAY_VALID_DATE_ERROR", `${where}.date: ${JSON.stringify(r.date ?? null)}`);
  }
  if (r.id !== undefined && (typeof r.id !== "number" || !Number.isSafeInteger(r.id) || r.id <= 0)) {
    throw invalidParameters(`${where}.id: expected a positive integer`);
  }
  return r;
}

/**
 * Builds the holiday records of a list: `keep` are the holidays that stay (their ids and dates are taken),
 * `list` the new ones. Ids given are kept (an existing holiday of that id keeps its key and creation date).
 */
function buildHolidays(ctx: SandboxContext, list: unknown[], keep: WireRecord[], where: string): WireRecord[] {
  if (keep.length + list.length > MAX_HOLIDAYS) throw mambuError("INVALID_HOLIDAY_SETUP", `at most ${MAX_HOLIDAYS} holidays`);
  const ids = new Set<number>(keep.map((h) => Number(h.id)));
  const dates = new Set<string>(keep.map((h) => String(h.date)));
  const checked = list.map((h, i) => checkHoliday(h, `${where}[${i}]`));
  for (const [i, h] of checked.entries()) {
    if (typeof h.id === "number") {
      if (ids.has(h.id)) throw mambuError("DUPLICATE_HOLIDAY_ID", `${where}[${i}].id: ${h.id}`);
      ids.add(h.id);
    }
    if (dates.has(h.date as string)) throw mambuError("INVALID_HOLIDAY_SETUP", `${where}[${i}].date: two holidays on ${String(h.date)}`);
    dates.add(h.date as string);
  }
  let next = Math.max(0, ...[...ids, ...ctx.store.all("holidays").map((h) => Number(h.id) || 0)]);
  const now = ctx.clock.nowIso();
  return checked.map((h) => {
    const id = typeof h.id === "number" ? h.id : ++next;
    const old = ctx.store.find("holidays", String(id));
    // Holiday ids are integers on the wire (int64); the store indexes them as text
    const rec = {
      encodedKey: old?.encodedKey ?? ctx.store.newEncodedKey(),
      id,
      name: (h.name as string).trim(),
      date: h.date as string,
      isAnnuallyRecurring: h.isAnnuallyRecurring === true,
      creationDate: typeof old?.creationDate === "string" ? old.creationDate : now,
    };
    return rec as unknown as WireRecord;
  });
}

function replaceAll(ctx: SandboxContext, recs: WireRecord[]): void {
  for (const h of ctx.store.all("holidays")) ctx.store.remove("holidays", h.encodedKey);
  for (const h of recs) ctx.store.insert("holidays", h);
}

/** Registers the holiday and non-working day routes. */
export function registerHolidayRoutes(router: Router): void {
  router.add("GET", "/organization/holidays", (ctx) => ({ status: 200, body: { holidays: holidaysWire(ctx), nonWorkingDays: nonWorkingDays(ctx) } }));

  router.add("PUT", "/organization/holidays", (ctx, req) => {
    const body = req.body;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object (Holidays)");
    const b = body as Record<string, unknown>;
    if (Array.isArray(b.holidays)) b.holidays.forEach((h, i) => checkHoliday(h, `holidays[${i}]`));
    validateBody("organization_holidays", "Holidays", b, ctx.clock.offset);
    const days = b.nonWorkingDays === undefined ? undefined : checkNonWorkingDays(b.nonWorkingDays);
    const recs = buildHolidays(ctx, Array.isArray(b.holidays) ? b.holidays : [], [], "holidays");
    replaceAll(ctx, recs);
    if (days) ctx.store.extra.nonWorkingDays = days;
    return { status: 200, body: { holidays: holidaysWire(ctx), nonWorkingDays: nonWorkingDays(ctx) } };
  });

  router.add("POST", "/organization/holidays/general", (ctx, req) => {
    if (!Array.isArray(req.body)) throw invalidParameters("the body must be a JSON list of holidays");
    const list = req.body as unknown[];
    if (list.length === 0) throw invalidParameters("the body must name at least one holiday");
    for (const [i, h] of list.entries()) {
      checkHoliday(h, `body[${i}]`); // Mambu's own reasons before the contract's INVALID_PARAMETERS
      validateBody("organization_holidays_general", "Holiday", h, ctx.clock.offset);
    }
    const recs = buildHolidays(ctx, list, ctx.store.all("holidays"), "body");
    for (const h of recs) ctx.store.insert("holidays", h);
    return { status: 201, body: recs.map((h) => ({ ...h })) };
  });

  router.add("GET", "/organization/holidays/nonworkingdays", (ctx) => ({ status: 200, body: { nonWorkingDays: nonWorkingDays(ctx) } }));

  router.add("PUT", "/organization/holidays/nonworkingdays", (ctx, req) => {
    const body = req.body;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object (NonWorkingDays)");
    const days = checkNonWorkingDays((body as Record<string, unknown>).nonWorkingDays);
    ctx.store.extra.nonWorkingDays = days;
    return { status: 200, body: { nonWorkingDays: days } };
  });
}
