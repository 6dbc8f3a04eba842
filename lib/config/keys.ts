/**
 * The configuration keys mambu-ts knows: their defaults, environment variable names, secrecy and
 * validation. Any other key is kept as a plain string.
 */
import { constants as bufferConstants } from "buffer";
import { MambuTsError } from "../errors";

/** A key with a typed getter on `MambuConfig`. */
export type KnownKey =
  | "apiurl"
  | "apiuser"
  | "apipwd"
  | "apikey"
  | "apipagination"
  | "retries"
  | "timeout"
  | "concurrency"
  | "maxresponsebytes"
  | "tenantoffset";

/** The known keys, in the order `describe()` lists them. */
export const KNOWN_KEYS: readonly KnownKey[] = [
  "apiurl",
  "apiuser",
  "apipwd",
  "apikey",
  "apipagination",
  "retries",
  "timeout",
  "concurrency",
  "maxresponsebytes",
  "tenantoffset",
];

/**
 * Default of `maxresponsebytes`: 64 MiB, well above Mambu's largest answers (a page of 1000 FULL
 * records is a few MB; documents are at most 50 MB).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Largest `maxresponsebytes` allowed: the longest string Node can build (a body is read as text). */
export const MAX_RESPONSE_BYTES_LIMIT = bufferConstants.MAX_STRING_LENGTH;

/** Built-in defaults (lowest priority). Keys absent here have no default. */
export const DEFAULTS: Readonly<Record<string, string>> = {
  apipagination: "50",
  retries: "5",
  timeout: "60000",
  concurrency: "4",
  maxresponsebytes: String(DEFAULT_MAX_RESPONSE_BYTES),
};

/** Bounds of the integer keys. `capAt` values above `max` are lowered to it instead of failing. */
export const INTEGER_KEYS: Readonly<Record<string, { min: number; max: number; capAt?: boolean; what: string }>> = {
  apipagination: { min: 1, max: 1000, capAt: true, what: "an integer between 1 and 1000" },
  retries: { min: 0, max: 100, what: "an integer between 0 and 100" },
  timeout: { min: 1, max: 86_400_000, what: "a number of milliseconds between 1 and 86400000" },
  concurrency: { min: 1, max: 64, what: "an integer between 1 and 64" },
  maxresponsebytes: {
    min: 1024,
    max: MAX_RESPONSE_BYTES_LIMIT,
    what: `a number of bytes between 1024 and ${MAX_RESPONSE_BYTES_LIMIT}`,
  },
};

/**
 * Lower-cases a key (rc files lower-case option names too) and checks it is a plain name.
 * @throws MambuTsError when the key is not made of letters, digits, `_`, `-` and `.`.
 */
export function normaliseKey(key: string): string {
  const k = String(key).trim().toLowerCase();
  if (!/^[a-z0-9_.-]+$/.test(k)) throw new MambuTsError(`invalid configuration key ${JSON.stringify(String(key))}`);
  return k;
}

/**
 * Environment variable names for a key, highest priority first.
 * `apiurl` → `MAMBU_API_URL`, `MAMBUPY_APIURL`; `retries` → `MAMBU_API_RETRIES`, `MAMBUPY_RETRIES`.
 */
export function envNames(key: string): [string, string] {
  const upper = key.toUpperCase().replace(/[.-]/g, "_");
  const rest = upper.startsWith("API") && upper.length > 3 ? upper.slice(3) : upper;
  return [`MAMBU_API_${rest.replace(/^_/, "")}`, `MAMBUPY_${upper}`];
}

/**
 * Whether a key holds a secret: `apipwd`, `apikey`, and any key whose name contains `pwd`,
 * `password`, `secret`, `key` or `token`. Secret values are never shown or put in a message.
 */
export function isSecretKey(key: string): boolean {
  return /pwd|passw|secret|key|token/i.test(key);
}

/** The string shown in place of a secret value (its length is never revealed). */
export const MASK = "****";

/**
 * Masks the userinfo of a URL (`https://user:p@ss@host` → `https://****@host`): everything between
 * the scheme and the last `@` is replaced, so a password holding `@`, `/` or `:` is hidden whole.
 * Without a scheme, a value is masked the same way only when `urlKey` is true (a bare
 * `user:pwd@host` given as `apiurl`); other values (e.g. an e-mail address) are left as they are.
 */
export function maskUserinfo(value: string, urlKey = false): string {
  const at = value.lastIndexOf("@");
  if (at < 0) return value;
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(value);
  if (scheme) return `${scheme[0]}${MASK}${value.slice(at)}`;
  return urlKey ? `${MASK}${value.slice(at)}` : value;
}

/** Whether a key holds a URL (`apiurl`, or any key ending in `url`): its userinfo is always masked. */
export function isUrlKey(key: string): boolean {
  return /url$/i.test(key);
}
