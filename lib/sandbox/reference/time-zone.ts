/**
 * The tenant's time zone ID as `GET /setup/organization` answers it (`timeZoneID`), consistent with the fixed UTC
 * offset of the sandbox clock: an ETL client that reads it and converts "now" into that zone must get the offset
 * the sandbox stamps on every date-time.
 *
 * The sandbox clock has one offset all year (no daylight saving), so the zone must have it all year too:
 * - a preferred zone (the seed's `organization.timeZoneID`) when its offset equals the clock's both in January
 *   and in July of the clock's year;
 * - else `Etc/UTC` for +00:00, `Etc/GMT-2` for +02:00 (the IANA `Etc` zones count west-positive: the sign is
 *   inverted), down to `Etc/GMT+12` and up to `Etc/GMT-14`;
 * - else an IANA zone without daylight saving at that offset (Asia/Kolkata for +05:30, Asia/Kathmandu for +05:45…);
 * - else `UTC+05:30`-style (luxon reads it as a fixed offset zone).
 */
import { DateTime, IANAZone } from "luxon";

/** IANA zones without daylight saving at offsets that are not whole hours (checked against the offset at use). */
const FRACTIONAL_ZONES: ReadonlyArray<string> = [
  "Asia/Kolkata", "Asia/Kathmandu", "Asia/Kabul", "Asia/Tehran", "Asia/Yangon", "Australia/Darwin", "Australia/Eucla",
  "Pacific/Marquesas",
];

/** Whether an IANA zone has exactly `minutes` east of UTC both in January and in July of `year`. */
export function zoneHasFixedOffset(zone: string, minutes: number, year: number): boolean {
  if (!IANAZone.isValidZone(zone)) return false;
  const jan = DateTime.fromObject({ year, month: 1, day: 15 }, { zone });
  const jul = DateTime.fromObject({ year, month: 7, day: 15 }, { zone });
  return jan.isValid && jul.isValid && jan.offset === minutes && jul.offset === minutes;
}

/**
 * The time zone ID for a tenant whose clock has `minutes` east of UTC (see the module comment), in `year`
 * (daylight saving rules change over the years). `preferred` wins when it keeps that offset all year.
 */
export function timeZoneForOffset(minutes: number, year: number, preferred?: string): string {
  if (preferred && zoneHasFixedOffset(preferred, minutes, year)) return preferred;
  if (minutes === 0) return "Etc/UTC";
  if (minutes % 60 === 0 && minutes >= -12 * 60 && minutes <= 14 * 60) {
    const hours = minutes / 60;
    return `Etc/GMT${hours > 0 ? "-" : "+"}${Math.abs(hours)}`;
  }
  const fixed = FRACTIONAL_ZONES.find((z) => zoneHasFixedOffset(z, minutes, year));
  if (fixed) return fixed;
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
