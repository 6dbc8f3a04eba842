/**
 * The organization's holidays and non-working days (`/api/organization/holidays`, `.../general`,
 * `.../nonworkingdays`): the dates on which Mambu moves installments due (by the loan product's
 * `repaymentReschedulingMethod`) and that arrears counting may skip.
 */
import { expectRecord } from "../core/account-operation";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { toWireDate } from "../core/coerce";
import { MambuValueObject, structFromWire } from "../core/struct";
import type { HolidayStruct } from "../generated/types/organization_holidays";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";
import type { DateTime } from "luxon";

type Bag = Record<string, unknown>;

/** The days of the week as Mambu names them, Monday first. */
export const WEEK_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
/** A day of the week. */
export type WeekDay = (typeof WEEK_DAYS)[number];

/** Most holidays one request sends (the sandbox keeps at most as many). */
export const MAX_HOLIDAYS = 1000;
/** Longest holiday name the ORM sends. */
export const MAX_HOLIDAY_NAME = 255;

/**
 * A general holiday (Swagger `Holiday`): `name`, `date` (DateTime at the start of the day), `isAnnuallyRecurring`
 * (the same month and day every year), `id` (an integer Mambu gives), `encodedKey`, `creationDate`.
 */
export class MambuHoliday extends MambuValueObject {
  static override resource = "organization_holidays";
  static override definition = "Holiday";
}
export interface MambuHoliday extends HolidayStruct {}

/** A holiday to send: a {@link MambuHoliday} read earlier, or its fields. */
export type HolidayInput =
  | MambuHoliday
  | {
      name: string;
      /** The day: `YYYY-MM-DD`, a DateTime or a Date. */
      date: DateTime | Date | string;
      isAnnuallyRecurring?: boolean;
      /** The id of a holiday the tenant has (PUT keeps it, with its encodedKey and creation date). */
      id?: number;
    };

/** The organization's holidays and non-working days, as `getHolidays()` answers. */
export interface HolidaysList {
  holidays: MambuHoliday[];
  nonWorkingDays: WeekDay[];
}

/** Options of the holiday reads. */
export interface HolidayReadOptions {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/** Options of the holiday writes. */
export interface HolidayWriteOptions extends HolidayReadOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}

/** Options of `setHolidays(...)`. */
export interface SetHolidaysOptions extends HolidayWriteOptions {
  /** The non-working days to set in the same request (unchanged when absent). */
  nonWorkingDays?: readonly WeekDay[];
}


function holidaysOf(list: unknown, label: string): MambuHoliday[] {
  if (!Array.isArray(list)) throw new MambuError(`malformed response from Mambu to ${label}: expected a list of holidays`);
  return list.map((h) => structFromWire<MambuHoliday>(MambuHoliday, expectRecord(h, "a holiday", label)));
}

function daysOf(list: unknown, label: string): WeekDay[] {
  if (!Array.isArray(list) || !list.every((d) => typeof d === "string")) throw new MambuError(`malformed response from Mambu to ${label}: expected nonWorkingDays as a list of days`);
  return list as WeekDay[];
}

/** Checks non-working days before a request: known days, none twice, not all seven. */
function checkDays(days: unknown, label: string): WeekDay[] {
  if (!Array.isArray(days)) throw new MambuTsError(`${label}: nonWorkingDays must be a list of days (${WEEK_DAYS.join(", ")})`);
  const seen = new Set<string>();
  for (const d of days) {
    if (typeof d !== "string" || !(WEEK_DAYS as readonly string[]).includes(d)) throw new MambuTsError(`${label}: ${JSON.stringify(d)} is not a day (${WEEK_DAYS.join(", ")})`);
    if (seen.has(d)) throw new MambuTsError(`${label}: ${d} is named twice`);
    seen.add(d);
  }
  if (seen.size === WEEK_DAYS.length) throw new MambuTsError(`${label}: at least one day of the week must be a working day`);
  return [...days] as WeekDay[];
}

/** The wire holidays of a list, checked before a request (names, dates, ids, no two on one date). */
function holidayBodies(list: unknown, label: string, allowEmpty: boolean): Bag[] {
  if (!Array.isArray(list)) throw new MambuTsError(`${label}: expected a list of holidays`);
  if (!allowEmpty && list.length === 0) throw new MambuTsError(`${label}: name at least one holiday`);
  if (list.length > MAX_HOLIDAYS) throw new MambuTsError(`${label}: at most ${MAX_HOLIDAYS} holidays`);
  const dates = new Set<string>();
  const ids = new Set<number>();
  return list.map((h, i) => {
    const where = `${label}: holiday ${i}`;
    if (typeof h !== "object" || h === null || Array.isArray(h)) throw new MambuTsError(`${where} must be an object { name, date, isAnnuallyRecurring? }`);
    let f: Bag;
    if (h instanceof MambuHoliday) {
      f = h.toJSON();
      delete f.encodedKey;
      delete f.creationDate;
    } else {
      checkOptionKeys(where, h, ["name", "date", "isAnnuallyRecurring", "id"]);
      f = { ...(h as Bag) };
    }
    if (typeof f.name !== "string" || f.name.trim() === "") throw new MambuTsError(`${where}: name is required`);
    if (f.name.length > MAX_HOLIDAY_NAME) throw new MambuTsError(`${where}: name has more than ${MAX_HOLIDAY_NAME} characters`);
    if (f.date === undefined || f.date === null) throw new MambuTsError(`${where}: date is required`);
    const date = toWireDate(f.date, `${where}: date`, () => undefined);
    if (dates.has(date)) throw new MambuTsError(`${where}: two holidays on ${date}`);
    dates.add(date);
    const out: Bag = { name: f.name, date };
    if (f.isAnnuallyRecurring !== undefined) {
      if (typeof f.isAnnuallyRecurring !== "boolean") throw new MambuTsError(`${where}: isAnnuallyRecurring must be true or false`);
      out.isAnnuallyRecurring = f.isAnnuallyRecurring;
    }
    if (f.id !== undefined) {
      if (typeof f.id !== "number" || !Number.isSafeInteger(f.id) || f.id <= 0) throw new MambuTsError(`${where}: id must be a positive integer`);
      if (ids.has(f.id)) throw new MambuTsError(`${where}: id ${f.id} is named twice`);
      ids.add(f.id);
      out.id = f.id;
    }
    return out;
  });
}

/** The organization's general holidays and non-working days (`GET /organization/holidays`). */
export async function getHolidays(opts: HolidayReadOptions = {}): Promise<HolidaysList> {
  const label = "getHolidays";
  checkOptionKeys(label, opts, ["connector"]);
  const answer = expectRecord(await callOperation("organization_holidays", "get", { connector: connectorOf(undefined, opts.connector) }), "the holidays", label);
  return { holidays: holidaysOf(answer.holidays ?? [], label), nonWorkingDays: daysOf(answer.nonWorkingDays ?? [], label) };
}

/**
 * Replaces the general holidays (`PUT /organization/holidays`): the tenant's holidays become exactly `holidays`
 * (a holiday given with the `id` of one it has keeps it); with `nonWorkingDays`, those too.
 * @throws MambuTsError before any request for a holiday without a name or a valid date, two on one date, an id
 *   twice, more than {@link MAX_HOLIDAYS}, or bad non-working days.
 */
export async function setHolidays(holidays: readonly HolidayInput[], opts: SetHolidaysOptions = {}): Promise<HolidaysList> {
  const label = "setHolidays";
  checkOptionKeys(label, opts, ["connector", "idempotencyKey", "nonWorkingDays"]);
  const body: Bag = { holidays: holidayBodies(holidays, label, true) };
  if (opts.nonWorkingDays !== undefined) body.nonWorkingDays = checkDays(opts.nonWorkingDays, label);
  const answer = expectRecord(await callOperation("organization_holidays", "update", { body, connector: connectorOf(undefined, opts.connector), idempotencyKey: opts.idempotencyKey }), "the holidays", label);
  return { holidays: holidaysOf(answer.holidays ?? [], label), nonWorkingDays: daysOf(answer.nonWorkingDays ?? [], label) };
}

/**
 * Adds general holidays (`POST /organization/holidays/general`) and resolves to those Mambu made (with their ids).
 * @throws MambuTsError before any request for an empty list or a holiday refused as by {@link setHolidays}.
 */
export async function addGeneralHolidays(holidays: readonly HolidayInput[], opts: HolidayWriteOptions = {}): Promise<MambuHoliday[]> {
  const label = "addGeneralHolidays";
  checkOptionKeys(label, opts, ["connector", "idempotencyKey"]);
  const body = holidayBodies(holidays, label, false);
  const answer = await callOperation("organization_holidays_general", "create", { body, connector: connectorOf(undefined, opts.connector), idempotencyKey: opts.idempotencyKey });
  return holidaysOf(answer, label);
}

/** The organization's non-working days of the week (`GET /organization/holidays/nonworkingdays`). */
export async function getNonWorkingDays(opts: HolidayReadOptions = {}): Promise<WeekDay[]> {
  const label = "getNonWorkingDays";
  checkOptionKeys(label, opts, ["connector"]);
  const answer = expectRecord(await callOperation("organization_holidays_nonworkingdays", "get", { connector: connectorOf(undefined, opts.connector) }), "the non-working days", label);
  return daysOf(answer.nonWorkingDays ?? [], label);
}

/**
 * Sets the non-working days of the week (`PUT /organization/holidays/nonworkingdays`); resolves to them as Mambu
 * keeps them (in week order).
 * @throws MambuTsError before any request for an unknown day, a day twice, or all seven.
 */
export async function setNonWorkingDays(days: readonly WeekDay[], opts: HolidayWriteOptions = {}): Promise<WeekDay[]> {
  const label = "setNonWorkingDays";
  checkOptionKeys(label, opts, ["connector", "idempotencyKey"]);
  const body = { nonWorkingDays: checkDays(days, label) };
  const answer = expectRecord(await callOperation("organization_holidays_nonworkingdays", "update", { body, connector: connectorOf(undefined, opts.connector), idempotencyKey: opts.idempotencyKey }), "the non-working days", label);
  return daysOf(answer.nonWorkingDays ?? [], label);
}
