/**
 * The connector of a run: every attempt waits for the rate limiter and is counted (requests, 429s,
 * retries) for the progress display and the summary; listings 1000 records a page.
 */
import nodeFetch from "node-fetch";
import { MambuConnector } from "../transport";
import { parseRetryAfter } from "../transport/retrypolicy";
import type { MigrationOptions, RehearsalTenant } from "./options";
import type { RateLimiter } from "./ratelimit";

/** What the run's connector counts. */
export interface Counters {
  requests: number;
  throttled: number;
  retries: number;
}

/** The connector of a run: to the rehearsal's tenant, or to `options.connection` (else `mambuconfig`). */
export function runConnector(opts: MigrationOptions, rehearsal: RehearsalTenant | undefined, limiter: RateLimiter, counters: Counters): MambuConnector {
  const fetch = (async (url: Parameters<typeof nodeFetch>[0], init?: Parameters<typeof nodeFetch>[1]) => {
    await limiter.take();
    counters.requests++;
    const res = await nodeFetch(url, init);
    if (res.status === 429) counters.throttled++;
    limiter.observe(res.status, res.status === 429 ? parseRetryAfter(res.headers.get("retry-after")) : undefined);
    return res;
  }) as unknown as typeof nodeFetch;
  const c = opts.connection ?? {};
  return new MambuConnector({
    ...(rehearsal ? rehearsal.connection : c),
    fetch,
    retries: opts.retries ?? 8,
    timeout: opts.timeout,
    apipagination: 1000,
    logger: { warn: () => void counters.retries++ },
  });
}
