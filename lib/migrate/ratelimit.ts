/**
 * The global rate limit of a migration: a token bucket every request attempt (retries included) takes
 * a token from, that slows down on its own when Mambu answers 429 — the rate is halved (at most once
 * a second), everything pauses for the `Retry-After`, and the rate climbs back 10% a second after
 * three quiet seconds, up to the configured limit.
 */

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per second; undefined or 0: no limit until the first 429. */
  rate?: number;
  /** Tokens that may be spent at once (default: max(1, rate / 5)). */
  burst?: number;
  /** Slowest rate the 429 slow-down goes to (default 1/s). */
  floor?: number;
  /** Clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Parses `20/s`, `20`, `1200/min`, `72000/h` into requests per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(text);
  if (!m) throw new Error(`rate: expected e.g. 20/s, 1200/min, got "${text}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  const per = unit.startsWith("h") ? 3600 : unit.startsWith("m") ? 60 : 1;
  return n / per;
}

/** A token bucket with 429 slow-down (see the module comment). */
export class RateLimiter {
  /** The configured ceiling (Infinity: none). */
  readonly limit: number;
  private effective: number;
  private tokens: number;
  private burst: number;
  private last: number;
  private pauseUntil = 0;
  private last429 = -Infinity;
  private lastSlowDown = -Infinity;
  private lastRecover = -Infinity;
  private chain: Promise<void> = Promise.resolve();
  private readonly recent: number[] = [];
  private readonly floor: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Number of 429 answers seen. */
  throttled = 0;

  constructor(opts: RateLimiterOptions = {}) {
    this.limit = opts.rate && opts.rate > 0 ? opts.rate : Infinity;
    this.effective = this.limit;
    this.floor = opts.floor ?? 1;
    this.burst = opts.burst ?? Math.max(1, Number.isFinite(this.limit) ? this.limit / 5 : 1);
    this.tokens = this.burst;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.last = this.now();
  }

  /** The rate currently allowed (requests per second; Infinity when unlimited). */
  get currentRate(): number {
    return this.effective;
  }

  /** Waits for a token (requests are served in arrival order). */
  take(): Promise<void> {
    const p = this.chain.then(() => this.acquire());
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.recover(now);
      if (now < this.pauseUntil) {
        await this.sleep(this.pauseUntil - now);
        continue;
      }
      if (!Number.isFinite(this.effective)) {
        this.note(now);
        return;
      }
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.effective);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.note(now);
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.effective) * 1000));
    }
  }

  private note(now: number): void {
    this.recent.push(now);
    while (this.recent.length && this.recent[0] < now - 2000) this.recent.shift();
  }

  private recover(now: number): void {
    if (this.effective >= this.limit || now - this.last429 < 3000) return;
    const from = Math.max(this.last429 + 3000, this.lastRecover);
    const dt = (now - from) / 1000;
    if (dt <= 0) return;
    const next = this.effective * Math.pow(1.1, dt);
    this.lastRecover = now;
    this.effective = next > this.limit || next > 100_000 ? this.limit : next;
    this.burst = Number.isFinite(this.effective) ? Math.max(1, this.effective / 5) : 1;
  }

  /** A 429 came back: halve the rate (once a second at most) and pause everyone for `retryAfterMs`. */
  on429(retryAfterMs?: number): void {
    const now = this.now();
    this.throttled++;
    this.last429 = now;
    if (retryAfterMs && retryAfterMs > 0) this.pauseUntil = Math.max(this.pauseUntil, now + Math.min(retryAfterMs, 60_000));
    if (now - this.lastSlowDown < 1000) return;
    this.lastSlowDown = now;
    const observed = this.recent.filter((t) => t >= now - 2000).length / 2;
    const base = Number.isFinite(this.effective) ? this.effective : Math.max(observed, this.floor * 2);
    this.effective = Math.max(this.floor, base / 2);
    this.burst = Math.max(1, this.effective / 5);
    this.tokens = Math.min(this.tokens, this.burst);
  }
}
