/**
 * The connector of a run: every attempt waits for the rate limiter and is counted (requests, 429s,
 * retries) for the progress display and the summary; listings 1000 records a page; sent with the
 * connector's HTTP client (transport/http-client.ts). What it does not take from the run's options it reads from the
 * configuration as the run began ({@link runConfig}).
 */
import type nodeFetch from "node-fetch";
import { KNOWN_KEYS, MambuConfig, mambuconfig, ResolvedValue } from "../config";
import { MambuConnector } from "../transport";
import { parseRetryAfter } from "../transport/retrypolicy";
import { httpFetch, HttpInit } from "../transport/http-client";
import type { MigrationOptions, RehearsalTenant } from "./options";
import type { RateLimiter } from "./ratelimit";

/** What the run's connector counts. */
export interface Counters {
  requests: number;
  throttled: number;
  retries: number;
}

/** Keys a {@link RunConfig} remembers at most (the known keys and the few others a run asks for). */
const MAX_REMEMBERED_KEYS = 64;

/**
 * A configuration with no environment and no rc files: only values set in code, which nothing but
 * {@link runConfig} sets. Each key is resolved once and remembered (the connector and the ORM read
 * the timeout, the response cap, the tenant offset... on every request); setting a key forgets them.
 */
class RunConfig extends MambuConfig {
  readonly #known = new Map<string, ResolvedValue | undefined>();

  constructor() {
    super({ env: {}, rcFiles: [] });
  }

  override lookup(key: string): ResolvedValue | undefined {
    if (this.#known.has(key)) return this.#known.get(key);
    const r = super.lookup(key);
    if (this.#known.size < MAX_REMEMBERED_KEYS) this.#known.set(key, r);
    return r;
  }

  override set(key: string, value: string | number | boolean | undefined | null): void {
    this.#known.clear();
    super.set(key, value);
  }

  override unset(key: string): void {
    this.#known.clear();
    super.unset(key);
  }

  override reset(): void {
    this.#known.clear();
    super.reset();
  }
}

/**
 * The configuration of a run: the values `base` (default `mambuconfig`: rc files, environment, code)
 * resolves when the run starts, kept for the whole run. The connector and the ORM read it on every
 * request (timeout, response cap, tenant offset...): read afresh, that stats the rc files each time,
 * a few percent of a run's CPU; and a run is bound to the tenant it started with anyway (binding.ts).
 * A value it cannot keep (an invalid one: the request that reads it says what is wrong) leaves `base`
 * itself, read afresh as before. The values kept are each resolved once ({@link RunConfig}).
 */
export function runConfig(base: MambuConfig = mambuconfig): MambuConfig {
  const frozen = new RunConfig();
  try {
    for (const key of KNOWN_KEYS) {
      const r = base.lookup(key);
      if (r && r.source !== "default") frozen.set(key, r.value);
    }
  } catch {
    return base;
  }
  return frozen;
}

/** The connector of a run: to the rehearsal's tenant, or to `options.connection` (else the configuration as the run began). */
export function runConnector(opts: MigrationOptions, rehearsal: RehearsalTenant | undefined, limiter: RateLimiter, counters: Counters): MambuConnector {
  const fetch = (async (url: string, init?: HttpInit) => {
    await limiter.take();
    counters.requests++;
    const res = await httpFetch(url, init);
    if (res.status === 429) counters.throttled++;
    limiter.observe(res.status, res.status === 429 ? parseRetryAfter(res.headers.get("retry-after")) : undefined);
    return res;
  }) as unknown as typeof nodeFetch;
  const c = opts.connection ?? {};
  return new MambuConnector({
    ...(rehearsal ? rehearsal.connection : c),
    config: runConfig(),
    fetch,
    retries: opts.retries ?? 8,
    timeout: opts.timeout,
    apipagination: 1000,
    logger: { warn: () => void counters.retries++ },
  });
}
