/**
 * The sandbox tenant's clock: a fixed UTC offset (Mambu tenants have one time zone) and a virtual "now"
 * that tests can move (`advance`, `set`) so that installments fall due and loans go into arrears.
 *
 * Never uses the machine's local zone: every date is computed in a luxon `FixedOffsetZone`.
 */
import { DateTime, FixedOffsetZone } from "luxon";
import { SandboxClockLike } from "./types";

/** Options of {@link SandboxClock}. */
export interface SandboxClockOptions {
  /** The tenant's UTC offset, `±HH:MM` (default `+02:00`). */
  offset?: string;
  /**
   * Where the clock starts: an ISO date (`2026-01-15`, midnight in the tenant zone) or date-time (with or
   * without offset; without one it is read in the tenant zone). Default: the real current time.
   */
  start?: string;
  /**
   * Whether the clock stands still between `advance`/`set` calls. Default: frozen when `start` is given
   * (deterministic tests), ticking with real time otherwise (a long-running sandbox whose days go by).
   */
  frozen?: boolean;
}

/** Parses `±HH:MM` (or `Z`) into minutes east of UTC; throws on anything else. */
export function parseOffset(offset: string): number {
  if (offset === "Z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) throw new Error(`invalid UTC offset ${JSON.stringify(offset)} (expected ±HH:MM)`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 18 || Number(m[3]) > 59) throw new Error(`invalid UTC offset ${offset}`);
  return m[1] === "-" ? -minutes : minutes;
}

/** Formats minutes east of UTC as `±HH:MM`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** The sandbox's clock (see the module comment). */
export class SandboxClock implements SandboxClockLike {
  /** The tenant's UTC offset, `±HH:MM`. */
  readonly offset: string;
  /** The luxon zone of the tenant. */
  readonly zone: FixedOffsetZone;
  private readonly frozen: boolean;
  /** Virtual instant at the anchor. */
  private base: DateTime;
  /** Real time (ms) at the anchor; only used when ticking. */
  private anchorMs: number;
  /** `base` in epoch milliseconds (kept with `base` by {@link rebase}). */
  private baseMs: number;
  /**
   * The last answers, per clock state: `now()` for one virtual millisecond, and `nowIso()`/`today()` for one
   * virtual second (both are whole-second functions of the virtual instant, the zone being fixed). Every
   * `advance`/`set` drops them; a ticking clock recomputes them when real time moves past their instant.
   */
  private cache: { ms: number; now?: DateTime; sec?: number; iso?: string; today?: string } = { ms: NaN };

  constructor(opts: SandboxClockOptions = {}) {
    const minutes = parseOffset(opts.offset ?? "+02:00");
    this.offset = formatOffset(minutes);
    this.zone = FixedOffsetZone.instance(minutes);
    this.frozen = opts.frozen ?? opts.start !== undefined;
    this.anchorMs = Date.now();
    this.base = opts.start !== undefined ? this.parse(opts.start) : DateTime.fromMillis(this.anchorMs, { zone: this.zone });
    this.baseMs = this.base.toMillis();
  }

  /** The current virtual instant in epoch milliseconds. */
  private virtualMs(): number {
    return this.frozen ? this.baseMs : this.baseMs + (Date.now() - this.anchorMs);
  }

  /** The cache for the virtual instant `ms`, emptied when the clock moved to another second. */
  private cacheAt(ms: number): { ms: number; now?: DateTime; sec?: number; iso?: string; today?: string } {
    const sec = Math.floor(ms / 1000);
    if (this.cache.sec !== sec) this.cache = { ms: NaN, sec };
    if (this.cache.ms !== ms) {
      this.cache.ms = ms;
      this.cache.now = undefined;
    }
    return this.cache;
  }

  /** The current virtual instant as a luxon DateTime in the tenant zone. */
  now(): DateTime {
    if (this.frozen) return this.base;
    const ms = this.virtualMs();
    const c = this.cacheAt(ms);
    return (c.now ??= this.base.plus({ milliseconds: ms - this.baseMs }));
  }

  /** Current instant, e.g. `2026-01-15T10:00:00+02:00` (seconds precision, tenant offset). */
  nowIso(): string {
    const c = this.cacheAt(this.virtualMs());
    return (c.iso ??= isoWithOffset(this.now()));
  }

  /** Current date in the tenant zone, `YYYY-MM-DD`. */
  today(): string {
    const c = this.cacheAt(this.virtualMs());
    return (c.today ??= this.now().toISODate() as string);
  }

  /** Moves the clock forward (negative values: back). */
  advance(by: { days?: number; hours?: number; minutes?: number }): void {
    const next = this.now().plus({ days: by.days ?? 0, hours: by.hours ?? 0, minutes: by.minutes ?? 0 });
    this.rebase(next);
  }

  /** Sets the clock to an ISO date (midnight in the tenant zone) or date-time. */
  set(iso: string): void {
    this.rebase(this.parse(iso));
  }

  private rebase(dt: DateTime): void {
    this.base = dt;
    this.baseMs = dt.toMillis();
    this.anchorMs = Date.now();
    this.cache = { ms: NaN }; // a clock change drops every cached answer
  }

  private parse(iso: string): DateTime {
    const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) && iso.includes("T");
    const dt = hasOffset
      ? DateTime.fromISO(iso, { setZone: true }).setZone(this.zone)
      : DateTime.fromISO(iso, { zone: this.zone });
    if (!dt.isValid) throw new Error(`invalid ISO date ${JSON.stringify(iso)}: ${dt.invalidExplanation ?? dt.invalidReason}`);
    return dt;
  }
}

/** `2026-01-15T10:00:00+02:00`: ISO date-time at seconds precision with a numeric offset (never `Z`). */
export function isoWithOffset(dt: DateTime): string {
  const s = dt.set({ millisecond: 0 }).toISO({ suppressMilliseconds: true, includeOffset: true }) as string;
  return s.endsWith("Z") ? `${s.slice(0, -1)}+00:00` : s;
}
