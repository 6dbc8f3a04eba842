/**
 * The global rate limit of a migration: a token bucket every request attempt (retries included) takes
 * a token from, which slows down on its own when Mambu says it is overloaded. Every answer is
 * observed: when 429s make up a fifth or more of the answers of the last two seconds (at least three
 * of them), the rate is halved (at most once a second) and every request waits for the
 * `Retry-After`; a lone 429 among successes only makes its own request wait (the connector honours
 * `Retry-After`). After three seconds without overload the rate climbs back 10% a second, up to the
 * configured limit.
 */

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per second; undefined or 0: no limit until Mambu is overloaded. */
  rate?: number;
  /** Tokens that may be spent at once (default: max(1, rate / 5)). */
  burst?: number;
  /** Slowest rate the slow-down goes to (default 1/s). */
  floor?: number;
  /** Share of 429s in the last two seconds that means overload (default 0.2). */
  overloadShare?: number;
  /** Clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const WINDOW_MS = 2000;

/** Parses `20/s`, `20`, `1200/min`, `72000/h` into requests per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(text);
  if (!m || Number(m[1]) <= 0) throw new Error(`rate: expected e.g. 20/s, 1200/min, got "${text}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  const per = unit.startsWith("h") ? 3600 : unit.startsWith("m") ? 60 : 1;
  return n / per;
}

/** A token bucket with overload slow-down (see the module comment). */
export class RateLimiter {
  /** The configured ceiling (Infinity: none). */
  readonly limit: number;
  private effective: number;
  private tokens: number;
  private burst: number;
  private last: number;
  private pauseUntil = 0;
  private lastOverload = -Infinity;
  private lastSlowDown = -Infinity;
  private lastRecover = -Infinity;
  private chain: Promise<void> = Promise.resolve();
  /** Takes that went through the chain and have not got their token yet. */
  private waiting = 0;
  /** Recent answers: time and whether it was a 429. */
  private readonly answers: Array<{ t: number; throttled: boolean }> = [];
  private readonly starts: number[] = [];
  private readonly floor: number;
  private readonly overloadShare: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Number of 429 answers seen, and of slow-downs made. */
  throttled = 0;
  slowDowns = 0;

  constructor(opts: RateLimiterOptions = {}) {
    this.limit = opts.rate && opts.rate > 0 ? opts.rate : Infinity;
    this.effective = this.limit;
    this.floor = opts.floor ?? 1;
    this.overloadShare = opts.overloadShare ?? 0.2;
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
    // nobody waiting, no rate to keep and no pause: the token is taken at once, as `acquire` would take it
    if (this.waiting === 0 && this.effective === Infinity) {
      const now = this.now();
      if (now >= this.pauseUntil) {
        this.started(now);
        return Promise.resolve();
      }
    }
    this.waiting++;
    const p = this.chain.then(() => this.acquire());
    const settled = (): void => void this.waiting--;
    this.chain = p.then(settled, settled);
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
        this.started(now);
        return;
      }
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.effective);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.started(now);
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.effective) * 1000)));
    }
  }

  private started(now: number): void {
    this.starts.push(now);
    while (this.starts.length && this.starts[0] < now - WINDOW_MS) this.starts.shift();
  }

  private recover(now: number): void {
    if (this.effective >= this.limit || now - this.lastOverload < 3000) return;
    const from = Math.max(this.lastOverload + 3000, this.lastRecover);
    const dt = (now - from) / 1000;
    if (dt <= 0) return;
    const next = this.effective * Math.pow(1.1, dt);
    this.lastRecover = now;
    this.effective = next > this.limit || next > 100_000 ? this.limit : next;
    this.burst = Number.isFinite(this.effective) ? Math.max(1, this.effective / 5) : 1;
  }

  /** Notes an answer: its status and the `Retry-After` (ms) of a 429. */
  observe(status: number, retryAfterMs?: number): void {
    const now = this.now();
    const throttled = status === 429;
    this.answers.push({ t: now, throttled });
    while (this.answers.length && this.answers[0].t < now - WINDOW_MS) this.answers.shift();
    if (!throttled) return;
    this.throttled++;
    const n429 = this.answers.filter((a) => a.throttled).length;
    if (n429 < 3 || n429 / this.answers.length < this.overloadShare) return;
    // overloaded: everyone waits, and the rate is halved
    this.lastOverload = now;
    if (retryAfterMs && retryAfterMs > 0) this.pauseUntil = Math.max(this.pauseUntil, now + Math.min(retryAfterMs, 60_000));
    if (now - this.lastSlowDown < 1000) return;
    this.lastSlowDown = now;
    this.slowDowns++;
    const recent = this.starts.filter((t) => t >= now - WINDOW_MS);
    const span = recent.length ? Math.max(1000, now - recent[0]) : WINDOW_MS;
    const observed = recent.length / (span / 1000);
    const base = Number.isFinite(this.effective) ? this.effective : Math.max(observed, this.floor * 2);
    this.effective = Math.max(this.floor, base / 2);
    this.burst = Math.max(1, this.effective / 5);
    this.tokens = Math.min(this.tokens, this.burst);
  }
}
