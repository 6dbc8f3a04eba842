/**
 * Transport of mambu-ts: `MambuConnector` (auth, idempotency, timeouts, retries, typed errors) and
 * the helpers its callers need to build requests safely.
 */
export { MambuConnector } from "./connector";
export type { RequestOptions, MambuResponse, MambuStreamResponse, ConnectorOptions, TransportLogger, HttpMethod, RetryEvent } from "./types";
export { encodeSegment, buildPath, buildQuery } from "./paths";
export type { QueryValue } from "./paths";
export { isV4Uuid, deterministicUuidV4, randomUuidV4 } from "./uuid";
export { redact, redactDeep, REDACTED } from "./redact";
export { Secret, isSecret, knownSecrets, MAX_KNOWN_SECRETS } from "./secret";
export { resolveBaseUrl, isLoopbackHost } from "./baseurl";
export type { BaseUrl } from "./baseurl";
export { MAMBU_V2_ACCEPT, userAgent, packageVersion } from "./headers";
export { backoffDelay, parseRetryAfter, retryAfterMs, retryWait, RETRYABLE_STATUSES, MAX_RETRY_AFTER_MS } from "./retrypolicy";
export type { RetryWait } from "./retrypolicy";
