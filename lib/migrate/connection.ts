/**
 * The connector of a run: every attempt waits for the rate limiter and is counted (requests, 429s,
 * retries) for the progress display and the summary; listings 1000 records a page; sent with the
 * run's own HTTP client (http.ts). What it does not take from the run's options it reads from the
 * configuration as the run began ({@link runConfig}).
 */
import type nodeFetch from "node-fetch";
import { KNOWN_KEYS, MambuConfig, mambuconfig } from "../config";
import { MambuConnector } from "../transport";
import { parseRetryAfter } from "../transport/retrypolicy";
import { httpFetch, HttpInit } from "./http";
import type { MigrationOptions, RehearsalTenant } from "./options";
import type { RateLimiter } from "./ratelimit";

/** What the run's connector counts. */
export interface Counters {
  requests: number;
  throttled: number;
  retries: number;
}

/**
 * The configuration of a run: the values `base` (default `mambuconfig`: rc files, environment, code)
 * resolves when the run starts, kept for the whole run. The connector and the ORM read it on every
 * request (timeout, response cap, tenant offset...): read afresh, that stats the rc files each time,
 * a few percent of a run's CPU; and a run is bound to the tenant it started with anyway (binding.ts).
 * A value it cannot keep (an invalid one: the request that reads it says what is wrong) leaves `base`
 * itself, read afresh as before.
 */
export function runConfig(base: MambuConfig = mambuconfig): MambuConfig {
  const frozen = new MambuConfig({ env: {}, rcFiles: [] });
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
