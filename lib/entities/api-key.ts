/**
 * The keys of an API consumer as Mambu answers them (`GET/POST /consumers/{id}/apikeys`,
 * `POST /consumers/{id}/secretkeys`), checked and read into their shapes. The credentials arrive as
 * {@link Secret}s already: `callOperation` wraps every field the contract marks secret (lib/core/secret-answer.ts).
 * A malformed answer is a `MambuError` that never shows the answer (it may hold credentials).
 */
import { MambuError } from "../errors";
import { isSecret } from "../transport";
import type { Secret } from "../transport";

/** Most API keys of one consumer read from one answer (a longer list is refused, not truncated). */
export const MAX_API_KEYS = 10_000;

/** One API key of a consumer as `consumer.apiKeys()` lists it. */
export interface ApiKeyInfo {
  /** The key's id (what `consumer.deleteApiKey(id)` takes). */
  id: string;
  /** Its time to live in seconds, when it has one. */
  expirationTime?: number;
  /**
   * The key as Mambu lists it — usually masked, but a tenant may list more, so it is a {@link Secret} too
   * (label `"API key"`); absent when Mambu lists none.
   */
  apiKey?: Secret;
}

/** A key `consumer.createApiKey()` just created: `apiKey` is the whole key, shown by Mambu only in this answer. */
export interface CreatedApiKey {
  /** The new key's id. */
  id: string;
  /** Its time to live in seconds, when it has one. */
  expirationTime?: number;
  /** The new API key (label `"API key"`): `reveal()` it once to store it. */
  apiKey: Secret;
}

type Bag = Record<string, unknown>;

function malformed(label: string, what: string): MambuError {
  return new MambuError(`${label}: malformed answer from Mambu: ${what} (the answer is not shown: it may hold credentials)`);
}

function isBag(v: unknown): v is Bag {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function own(b: Bag, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(b, k) ? b[k] : undefined;
}

/** An ApiKey record's id and expirationTime, checked. */
function keyFields(label: string, raw: unknown, where: string): { id: string; expirationTime?: number; apiKey: unknown } {
  if (!isBag(raw)) throw malformed(label, `${where} is not a JSON object`);
  const id = own(raw, "id");
  if (typeof id !== "string" || id === "") throw malformed(label, `${where} has no id`);
  const exp = own(raw, "expirationTime");
  if (exp !== undefined && exp !== null && (typeof exp !== "number" || !Number.isInteger(exp))) throw malformed(label, `${where} has an expirationTime that is not an integer`);
  return { id, ...(typeof exp === "number" ? { expirationTime: exp } : {}), apiKey: own(raw, "apiKey") };
}

/** `GET /consumers/{id}/apikeys`'s answer as {@link ApiKeyInfo}s. @throws MambuError when it is not a list of keys. */
export function readApiKeyList(label: string, answer: unknown): ApiKeyInfo[] {
  if (!Array.isArray(answer)) throw malformed(label, "expected a list of API keys");
  if (answer.length > MAX_API_KEYS) throw malformed(label, `more than ${MAX_API_KEYS} API keys`);
  return answer.map((raw, i) => {
    const { apiKey, ...rest } = keyFields(label, raw, `API key #${i + 1}`);
    if (apiKey === undefined || apiKey === null || apiKey === "") return rest;
    if (!isSecret(apiKey)) throw malformed(label, `API key #${i + 1} holds an apiKey that is not a credential`);
    return { ...rest, apiKey };
  });
}

/** `POST /consumers/{id}/apikeys`'s answer as a {@link CreatedApiKey}. @throws MambuError without the new key. */
export function readCreatedApiKey(label: string, answer: unknown): CreatedApiKey {
  const { apiKey, ...rest } = keyFields(label, answer, "the created API key");
  if (!isSecret(apiKey)) throw malformed(label, "the created API key has no apiKey");
  return { ...rest, apiKey };
}

/** `POST /consumers/{id}/secretkeys`'s answer as a {@link Secret}. @throws MambuError without the new key. */
export function readSecretKey(label: string, answer: unknown): Secret {
  const v = isBag(answer) ? own(answer, "secretKey") : undefined;
  if (!isSecret(v)) throw malformed(label, "expected { secretKey } as a non-empty string");
  return v;
}
