/**
 * Calendar days of the gateway's scheduled work (collections' due dates, standing orders' occurrences, retries):
 * `YYYY-MM-DD` strings in the tenant's calendar, compared as strings (the format sorts), moved by luxon in UTC so
 * that no zone or daylight-saving shift can change a day.
 */
import { DateTime } from "luxon";

/** Whether `s` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(s: unknown): s is string {
  return typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: "utc" }).isValid;
}

function utcDay(day: string): DateTime {
  return DateTime.fromISO(day, { zone: "utc" });
}

/** `day` moved by `n` days. */
export function addDays(day: string, n: number): string {
  return utcDay(day).plus({ days: n }).toISODate() as string;
}

/** How often a standing order pays. */
export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY";

/**
 * The `n`-th occurrence (0 = the start) of a schedule: every day, every 7 days, or the start's day of the month
 * `n` months later (counted from the start each time, so a 31st falls on the 30th in a 30-day month and on the
 * 31st again the month after).
 */
export function occurrence(start: string, frequency: Frequency, n: number): string {
  const d = utcDay(start);
  if (frequency === "DAILY") return d.plus({ days: n }).toISODate() as string;
  if (frequency === "WEEKLY") return d.plus({ weeks: n }).toISODate() as string;
  return d.plus({ months: n }).toISODate() as string;
}

/** The date-time a day's work was due at: the day's midnight in the tenant's zone (`2026-01-15T00:00:00+02:00`). */
export function dayStart(day: string, offset: string): string {
  return `${day}T00:00:00${offset}`;
}
