/**
 * Fault injection, off by default: latency (fixed ± jitter), a share of 429 with `Retry-After`, a share of
 * 5xx, dropped connections and slow bodies — per run (`FaultOptions`, seeded and reproducible), per request
 * (header `X-Sandbox-Fault`), or for the next N matching requests (`Sandbox.faults.injectNext`).
 *
 * Header syntax — a comma-separated list of directives:
 *
 * | directive        | effect                                                                        |
 * |------------------|-------------------------------------------------------------------------------|
 * | `429`            | answer 429 with `Retry-After` (seconds; default 1, or `retry-after=N`)         |
 * | `500` … `504`    | answer that status with a Mambu-style error body                              |
 * | `drop`           | destroy the connection before processing (nothing happens)                    |
 * | `drop-after`     | process the request, then destroy the connection (the client sees no answer)  |
 * | `slow[=ms]`      | send the body in small chunks over `ms` (default 1000)                        |
 * | `latency=ms`     | wait `ms` before answering                                                    |
 * | `retry-after=s`  | the `Retry-After` value for `429`                                             |
 * | `times=n`        | apply only to the first n requests with the same method, path and header value (so a client's retries of that request then succeed) |
 *
 * Examples: `X-Sandbox-Fault: 503`, `X-Sandbox-Fault: 429, retry-after=2, times=1`, `X-Sandbox-Fault: drop`.
 * The header is honoured only on requests that authenticate (an anonymous caller cannot make the sandbox fail for
 * others, and gets its 401); faults of the run and of the queue apply to every request. Injected faults happen
 * before idempotency and the handlers (as a gateway's would), except `drop-after`. The `times=n` counters are
 * bounded ({@link MAX_FAULT_COUNTERS}): past the bound the oldest counter is forgotten.
 */

import { MAX_FAULT_COUNTERS } from "./limits";
import { prng } from "./prng";

/** Faults applied to every request of a run. Rates are probabilities in [0, 1]. */
export interface FaultOptions {
  /** Fixed latency added to every response, in ms. */
  latencyMs?: number;
  /** Random ± jitter around latencyMs, in ms. */
  jitterMs?: number;
  /** Share of requests answered 429. */
  rate429?: number;
  /** Retry-After of the 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Share of requests answered with a 5xx. */
  rate5xx?: number;
  /** The 5xx statuses to pick from (default 500, 502, 503, 504). */
  statuses5xx?: number[];
  /** Share of requests whose connection is dropped before processing. */
  dropRate?: number;
  /** When set, every body is sent slowly over this many ms. */
  slowBodyMs?: number;
  /** Seed of the random choices (default 1): the same seed gives the same faults for the same requests. */
  seed?: number;
  /**
   * The run's faults start after this many requests (counted from when the options are set; default
   * 0): e.g. a client's first reads meet none, its writes do — by count, whatever the machine's speed.
   * Queued faults and the header apply from the first request.
   */
  afterRequests?: number;
}

/** What to do with one request. */
export interface FaultDecision {
  latencyMs: number;
  status?: number;
  retryAfterSeconds?: number;
  drop?: "before" | "after";
  slowBodyMs?: number;
}

/** A fault queued for the next matching requests. */
export interface QueuedFault {
  /** "429", "500".."504", "drop", "drop-after", "slow" — same words as the header. */
  fault: string;
  remaining: number;
  method?: string;
  path?: string | RegExp;
}

/** Parses a header value into a decision, or throws on an unknown directive. */
export function parseFaultHeader(value: string): FaultDecision & { times?: number } {
  const d: FaultDecision & { times?: number } = { latencyMs: 0 };
  for (const raw of value.split(/[,;]/)) {
    const part = raw.trim().toLowerCase();
    if (!part) continue;
    const [name, arg] = part.split("=").map((s) => s.trim());
    const num = arg !== undefined ? Number(arg) : undefined;
    if (/^(429|5\d\d)$/.test(name)) d.status = Number(name);
    else if (name === "drop") d.drop = "before";
    else if (name === "drop-after") d.drop = "after";
    else if (name === "slow") d.slowBodyMs = num ?? 1000;
    else if (name === "latency" && num !== undefined) d.latencyMs = num;
    else if (name === "retry-after" && num !== undefined) d.retryAfterSeconds = num;
    else if (name === "times" && num !== undefined) d.times = num;
    else throw new Error(`unknown X-Sandbox-Fault directive "${raw.trim()}"`);
  }
  return d;
}

/** Decides the faults of each request from the run's options, the queue and the request's header. */
export class FaultInjector {
  private opts: FaultOptions = {};
  private rand: () => number = prng(1);
  private readonly queue: QueuedFault[] = [];
  private readonly headerCounts = new Map<string, number>();
  /** Requests decided on since the run's options were set. */
  private decided = 0;

  /** `maxCounters`: most `times=n` counters kept (default {@link MAX_FAULT_COUNTERS}). */
  constructor(
    opts?: FaultOptions,
    private readonly maxCounters = MAX_FAULT_COUNTERS,
  ) {
    if (opts) this.set(opts);
  }

  /** Number of `times=n` counters kept. */
  get counters(): number {
    return this.headerCounts.size;
  }

  /** Replaces the run's fault options (and reseeds, and counts requests for `afterRequests` from here). */
  set(opts: FaultOptions): void {
    this.opts = { ...opts };
    this.rand = prng(opts.seed ?? 1);
    this.decided = 0;
  }

  /** Turns every fault off (options, queue and header counters). */
  clear(): void {
    this.opts = {};
    this.queue.length = 0;
    this.headerCounts.clear();
  }

  /** The run's current options. */
  get options(): FaultOptions {
    return { ...this.opts };
  }

  /** Queues a fault for the next `count` requests matching method/path (path: exact string without /api, or RegExp). */
  injectNext(fault: string, count = 1, match: { method?: string; path?: string | RegExp } = {}): void {
    parseFaultHeader(fault);
    this.queue.push({ fault, remaining: count, method: match.method?.toUpperCase(), path: match.path });
  }

  /** The decision for one request; `header` is the `X-Sandbox-Fault` value of an authenticated request. */
  decide(method: string, path: string, header: string | undefined): FaultDecision {
    this.decided++;
    // 1. Explicit header.
    if (header) {
      const d = parseFaultHeader(header);
      if (d.times !== undefined) {
        const k = `${method} ${path} ${header}`;
        const n = (this.headerCounts.get(k) ?? 0) + 1;
        this.headerCounts.delete(k); // re-insert: the Map's order is then least recently used first
        if (this.headerCounts.size >= this.maxCounters) this.headerCounts.delete(this.headerCounts.keys().next().value as string);
        this.headerCounts.set(k, n);
        if (n > d.times) return { latencyMs: d.latencyMs };
      }
      return d;
    }
    // 2. Queue.
    const q = this.queue.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method === method) &&
        (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
    );
    if (q) {
      q.remaining--;
      if (q.remaining <= 0) this.queue.splice(this.queue.indexOf(q), 1);
      return parseFaultHeader(q.fault);
    }
    // 3. Run options (random, seeded), once `afterRequests` requests have gone by.
    const o = this.opts;
    const d: FaultDecision = { latencyMs: 0 };
    if (this.decided <= (o.afterRequests ?? 0)) return d;
    if (o.latencyMs || o.jitterMs) {
      const j = o.jitterMs ? (this.rand() * 2 - 1) * o.jitterMs : 0;
      d.latencyMs = Math.max(0, (o.latencyMs ?? 0) + j);
    }
    if (o.slowBodyMs) d.slowBodyMs = o.slowBodyMs;
    const r = this.rand();
    const drop = o.dropRate ?? 0;
    const r429 = o.rate429 ?? 0;
    const r5xx = o.rate5xx ?? 0;
    if (r < drop) d.drop = "before";
    else if (r < drop + r429) {
      d.status = 429;
      d.retryAfterSeconds = o.retryAfterSeconds ?? 1;
    } else if (r < drop + r429 + r5xx) {
      const list = o.statuses5xx?.length ? o.statuses5xx : [500, 502, 503, 504];
      d.status = list[Math.floor(this.rand() * list.length)];
    }
    return d;
  }
}

/** The error body of an injected status. */
export function faultBody(status: number): { errors: Array<{ errorCode: number; errorSource?: string; errorReason: string }> } {
  if (status === 429) return { errors: [{ errorCode: 429, errorSource: "injected by the sandbox", errorReason: "TOO_MANY_REQUESTS" }] };
  return { errors: [{ errorCode: 6, errorSource: `injected ${status} by the sandbox`, errorReason: "INTERNAL_ERROR" }] };
}
