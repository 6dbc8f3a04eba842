/**
 * The sandbox's input limits, so that no request can exhaust its memory or stack, and the options that change
 * them ({@link SandboxLimits}, `startSandbox({ limits })`).
 *
 * | limit                        | default   | over the limit                                                    |
 * |------------------------------|-----------|-------------------------------------------------------------------|
 * | {@link MAX_JSON_BODY_BYTES}  | 1 MiB     | 413, MAX_FILE_SIZE_EXCEEDED (the body is read and thrown away)      |
 * | {@link MAX_UPLOAD_BYTES}     | 50 MiB    | 413, MAX_FILE_SIZE_EXCEEDED — multipart/form-data (documents) only |
 * | {@link MAX_FORM_FIELD_BYTES} | 64 KiB    | 413, MAX_FILE_SIZE_EXCEEDED — a text field of a multipart body     |
 * | {@link MAX_JSON_DEPTH}       | 64        | 400, INVALID_JSON_SYNTAX (PATCH results too: 400, INVALID_PARAMETERS) |
 * | {@link MAX_FAULT_COUNTERS}   | 1000      | the oldest `times=n` counter of `X-Sandbox-Fault` is forgotten     |
 * | {@link MAX_IDEMPOTENCY_KEYS} | 100 000   | the oldest remembered `Idempotency-Key` is forgotten               |
 */

/** Largest JSON (or any non-multipart) request body, in bytes: 1 MiB. Mambu's own JSON payloads are a few KiB. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Largest multipart/form-data body (document uploads), in bytes: 50 MiB, Mambu's attachment limit. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Largest text field (not file) of a multipart body, in bytes: 64 KiB (names and notes, not contents). */
export const MAX_FORM_FIELD_BYTES = 64 * 1024;

/** Deepest nesting of arrays and objects in a JSON body. Mambu's deepest contract structures nest about 6 levels. */
export const MAX_JSON_DEPTH = 64;

/** Most `X-Sandbox-Fault ... times=n` counters (one per method, path and header value) kept at once. */
export const MAX_FAULT_COUNTERS = 1000;

/** Most `Idempotency-Key`s (successful first answers) remembered at once. */
export const MAX_IDEMPOTENCY_KEYS = 100_000;

/** Limits of one sandbox; each defaults to the constant of the same name. */
export interface SandboxLimits {
  /** Largest JSON (non-multipart) body in bytes (default {@link MAX_JSON_BODY_BYTES}). */
  maxJsonBodyBytes?: number;
  /** Largest multipart/form-data body in bytes (default {@link MAX_UPLOAD_BYTES}). */
  maxUploadBytes?: number;
  /** Deepest JSON nesting (default {@link MAX_JSON_DEPTH}). */
  maxJsonDepth?: number;
  /** Most `X-Sandbox-Fault` `times=n` counters (default {@link MAX_FAULT_COUNTERS}). */
  maxFaultCounters?: number;
  /** Most remembered idempotency keys (default {@link MAX_IDEMPOTENCY_KEYS}). */
  maxIdempotencyKeys?: number;
}

/** Every limit, defaults filled in. */
export type ResolvedLimits = Required<SandboxLimits>;

/** Fills in the defaults; throws on a limit that is not a positive integer. */
export function resolveLimits(limits: SandboxLimits = {}): ResolvedLimits {
  const out: ResolvedLimits = {
    maxJsonBodyBytes: limits.maxJsonBodyBytes ?? MAX_JSON_BODY_BYTES,
    maxUploadBytes: limits.maxUploadBytes ?? MAX_UPLOAD_BYTES,
    maxJsonDepth: limits.maxJsonDepth ?? MAX_JSON_DEPTH,
    maxFaultCounters: limits.maxFaultCounters ?? MAX_FAULT_COUNTERS,
    maxIdempotencyKeys: limits.maxIdempotencyKeys ?? MAX_IDEMPOTENCY_KEYS,
  };
  for (const [k, v] of Object.entries(out)) {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`sandbox limits: ${k} must be a positive integer, got ${String(v)}`);
  }
  return out;
}
