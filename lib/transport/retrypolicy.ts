/** When to retry a request, and how long to wait before the next attempt. */

/** HTTP statuses worth another attempt: 429 and the transient 5xx. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Longest wait honoured from a `Retry-After` header, in ms (the default of the connector's
 * `maxRetryAfter`): a server asking for more is not waited for; the request fails at once.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Backoff base and cap, in ms: min(500 · 2^n, 8000), times a jitter factor in [0.5, 1). */
export const BACKOFF_BASE_MS = 500;
/** See `BACKOFF_BASE_MS`. */
export const BACKOFF_CAP_MS = 8_000;

/** Network error codes that are transient (connection dropped, refused, timed out, DNS busy). */
const RETRYABLE_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

/**
 * Whether a network error (a node-fetch `FetchError` or a Node system error) is transient.
 * DNS failures (`ENOTFOUND`, `EAI_NONAME`) and TLS errors are not: they fail fast.
 */
export function isRetryableNetworkError(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === "string" ? e.code : typeof e?.errno === "string" ? e.errno : "";
  if (RETRYABLE_CODES.has(code)) return true;
  if (code) return false;
  const msg = typeof e?.message === "string" ? e.message.toLowerCase() : "";
  return msg.includes("socket hang up") || msg.includes("premature close") || msg.includes("econnreset");
}

/**
 * Wait before retry number `retry` (0 for the first retry): min(500 ms · 2^retry, 8 s) scaled by a
 * jitter factor 0.5 + 0.5 · random().
 */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, retry), BACKOFF_CAP_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (0.5 + 0.5 * r));
}

/**
 * Milliseconds asked by a `Retry-After` header (seconds or an HTTP-date), uncapped: 0 for a date
 * in the past, `Infinity` for a number too large to represent.
 * @returns undefined when the header is absent or unparsable.
 */
export function retryAfterMs(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === "") return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  if (!(ms > 0)) return 0;
  return Number.isFinite(ms) ? Math.round(ms) : Infinity;
}

/**
 * Milliseconds asked by a `Retry-After` header (seconds or an HTTP-date), capped at 60 s.
 * @returns undefined when the header is absent or unparsable.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  const ms = retryAfterMs(value, now);
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** What to do before retry number `retry` (0 for the first retry). */
export type RetryWait = { wait: number } | { refused: number };

/**
 * The wait before a retry: the backoff delay, or what `Retry-After` asks when that is longer — so
 * `Retry-After: 0` or a date in the past still waits the backoff. A `Retry-After` above
 * `maxRetryAfter` is not waited for: `{ refused: ms }` (the caller then fails at once).
 */
export function retryWait(
  retry: number,
  retryAfter: number | undefined,
  opts: { random?: () => number; maxRetryAfter?: number } = {},
): RetryWait {
  const backoff = backoffDelay(retry, opts.random);
  if (retryAfter === undefined) return { wait: backoff };
  const max = opts.maxRetryAfter ?? MAX_RETRY_AFTER_MS;
  if (retryAfter > max) return { refused: retryAfter };
  return { wait: Math.max(backoff, retryAfter) };
}
