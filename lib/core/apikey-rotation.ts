/**
 * API key rotation (`POST /apikey/rotation`): an API consumer trades its API key and secret key for new ones.
 * Mambu invalidates the old pair at once and answers the new pair only in this answer — so the new keys come
 * back as {@link Secret}s (they print `****`; `reveal()` gives the value), the old ones never reach an error
 * message, a log line or a retry event, and the rotation is not retried unless asked to (a rotation whose
 * answer is lost cannot be repeated: the old key no longer works).
 */
import { MambuError, MambuTsError } from "../errors";
import { isSecret, MambuConnector, Secret } from "../transport";
import { MIN_SECRET_LENGTH } from "../transport/redact";
import { callOperation } from "./call";
import { checkOptionKeys } from "./entity";

/** Longest API key or secret key accepted (Mambu's are 32 characters). */
export const MAX_KEY_LENGTH = 4096;

/** Largest `expirationTime` (time to live of an API key, in seconds) Mambu documents: 100000000. */
export const MAX_API_KEY_EXPIRATION = 100_000_000;

/** What {@link rotateApiKey} takes. */
export interface RotateApiKeyOptions {
  /** The API key to rotate (it stops working once the rotation succeeds). */
  apiKey: string | Secret;
  /** The consumer's secret key, which authorises the rotation (sent as the `secretkey` header; it is replaced too). */
  secretKey: string | Secret;
  /**
   * Time to live of the new API key in seconds, an integer from 0 to 100000000. Without it the new key does not
   * expire — unless the tenant's preferences set a time to live, which wins over this one.
   */
  expirationTime?: number;
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
  /** Aborts the request. */
  signal?: AbortSignal;
  /** `Idempotency-Key` (v4 UUID) of the request; a random one otherwise. */
  idempotencyKey?: string;
  /**
   * Retries after a failed attempt (default 0). A retry is safe only when the first attempt did not reach Mambu:
   * after a rotation whose answer was lost, the old keys no longer work and the retry is refused.
   */
  retries?: number;
}

/** The new pair {@link rotateApiKey} resolves to: both print `****`, `reveal()` gives each value. */
export interface RotatedApiKey {
  /** The new API key (label `"API key"`). */
  apiKey: Secret;
  /** The new secret key (label `"secret key"`). */
  secretKey: Secret;
}

/** The value of a key given as a string or a Secret. @throws MambuTsError naming what is wrong, never the value. */
function keyValue(label: string, what: string, value: unknown): string {
  const v = value instanceof Secret ? value.reveal() : value;
  if (v === undefined || v === null) throw new MambuTsError(`${label}: ${what} is required`);
  if (typeof v !== "string") throw new MambuTsError(`${label}: ${what} must be a string or a Secret`);
  if (v.trim() === "") throw new MambuTsError(`${label}: ${what} is empty`);
  if (v !== v.trim()) throw new MambuTsError(`${label}: ${what} starts or ends with spaces (copied with them?)`);
  if (v.length < MIN_SECRET_LENGTH) throw new MambuTsError(`${label}: ${what} is too short to be a Mambu key`);
  if (v.length > MAX_KEY_LENGTH) throw new MambuTsError(`${label}: ${what} is longer than ${MAX_KEY_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new MambuTsError(`${label}: ${what} holds a line break or another control character`);
  return v;
}

/**
 * `expirationTime` checked: an integer from 0 to {@link MAX_API_KEY_EXPIRATION} (seconds), or undefined.
 * @throws MambuTsError otherwise.
 * @internal
 */
export function checkExpirationTime(label: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_API_KEY_EXPIRATION) {
    throw new MambuTsError(`${label}: expirationTime must be a whole number of seconds from 0 to ${MAX_API_KEY_EXPIRATION}, got ${typeof value === "number" ? value : typeof value}`);
  }
  return value;
}

/**
 * A credential of Mambu's answer — a {@link Secret} already (`callOperation` wraps the fields the contract marks
 * secret) — or a MambuError that does not show the answer.
 */
function answerKey(label: string, answer: unknown, field: "apiKey" | "secretKey"): Secret {
  const v = answer !== null && typeof answer === "object" && !Array.isArray(answer) && Object.prototype.hasOwnProperty.call(answer, field)
    ? (answer as Record<string, unknown>)[field]
    : undefined;
  if (!isSecret(v)) {
    throw new MambuError(`${label}: malformed answer from Mambu: expected { apiKey, secretKey } as non-empty strings (the answer is not shown: it may hold credentials)`);
  }
  return v;
}

/**
 * Rotates an API key (`POST /apikey/rotation`): Mambu invalidates `apiKey` and `secretKey` and answers a new
 * pair, returned as {@link Secret}s (`String(key)` is `****`; `key.reveal()` is the value — store it at once,
 * Mambu shows it only here). Both inputs are checked before anything is sent and never appear in an error,
 * a log line or a retry event, even when Mambu echoes them.
 * @throws MambuTsError before sending, for a missing, empty or oversized key or an `expirationTime` that is not
 *   an integer from 0 to 100000000; MambuError when Mambu refuses (400, 401 for a wrong secret key, 403) or
 *   answers something else than a new pair; MambuCommError when it cannot be reached.
 */
export async function rotateApiKey(opts: RotateApiKeyOptions): Promise<RotatedApiKey> {
  const label = "rotateApiKey";
  if (opts === null || typeof opts !== "object") throw new MambuTsError(`${label}: give { apiKey, secretKey, expirationTime? }`);
  checkOptionKeys(label, opts, ["apiKey", "secretKey", "expirationTime", "connector", "signal", "idempotencyKey", "retries"]);
  const apiKey = keyValue(label, "apiKey", opts.apiKey);
  const secretKey = keyValue(label, "secretKey", opts.secretKey);
  const expirationTime = checkExpirationTime(label, opts.expirationTime);
  const answer = await callOperation("apikey_rotation", "rotateKey", {
    headers: { secretkey: new Secret(secretKey, "secret key") },
    body: { apiKey: new Secret(apiKey, "API key"), ...(expirationTime !== undefined ? { expirationTime } : {}) },
    secrets: [apiKey, secretKey],
    secretAnswer: true,
    retries: opts.retries ?? 0,
    connector: opts.connector,
    signal: opts.signal,
    idempotencyKey: opts.idempotencyKey,
  });
  return { apiKey: answerKey(label, answer, "apiKey"), secretKey: answerKey(label, answer, "secretKey") };
}
