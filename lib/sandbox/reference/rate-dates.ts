/**
 * Dates of accounting rates and index rates: a request's date-time read with the tenant's offset (a missing
 * offset or another one is Mambu's 400), compared as instants, and written back as the tenant sees it.
 */
import { DateTime, FixedOffsetZone } from "luxon";
import { isoWithOffset, parseOffset } from "../clock";
import { hasTenantOffset, offsetMessage } from "../contract";
import { invalidParameters } from "../errors";
import type { SandboxContext } from "../router";

/**
 * A date-time of a request (`2026-01-15T10:00:00+02:00`) as an instant in the tenant's zone.
 * @throws 400 INVALID_PARAMETERS naming `field` when it is not a date-time or its offset is not the tenant's.
 */
export function tenantDateTime(ctx: SandboxContext, value: unknown, field: string): DateTime {
  if (typeof value !== "string" || value.length > 64) throw invalidParameters(`${field}: expected a date-time with offset, got ${JSON.stringify(value)?.slice(0, 80)}`);
  const dt = DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid || !/T/.test(value)) throw invalidParameters(`${field}: expected a date-time with offset, got ${JSON.stringify(value)}`);
  if (!hasTenantOffset(value, ctx.clock.offset)) throw invalidParameters(offsetMessage(value, ctx.clock.offset));
  return dt;
}

/** The sandbox's "now" as an instant. */
export function nowInstant(ctx: SandboxContext): DateTime {
  return DateTime.fromISO(ctx.clock.nowIso(), { setZone: true });
}

/** The last date-time with an offset read by {@link instantOf} (the clock's "now", read before each `/loans` request). */
let lastRead: { iso: string; ms: number } | undefined;
const WITH_OFFSET = /T.*(Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch of a stored ISO date-time (NaN when it is none). */
export function instantOf(iso: unknown): number {
  if (typeof iso !== "string") return NaN;
  if (lastRead?.iso === iso) return lastRead.ms;
  const ms = DateTime.fromISO(iso, { setZone: true }).toMillis();
  // only a text with its own offset is the same instant whatever the default zone
  if (WITH_OFFSET.test(iso)) lastRead = { iso, ms };
  return ms;
}

/** An instant written as the tenant's ISO date-time (seconds precision, the tenant's offset). */
export function tenantIso(ctx: SandboxContext, dt: DateTime): string {
  return isoWithOffset(dt.setZone(FixedOffsetZone.instance(parseOffset(ctx.clock.offset))));
}
