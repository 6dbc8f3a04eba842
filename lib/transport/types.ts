/** The shapes `MambuConnector` takes and gives. */
import type { Agent } from "http";
import type nodeFetch from "node-fetch";
import type { MambuConfig } from "../config";
import type { QueryValue } from "./paths";
import type { Secret } from "./secret";

/** HTTP methods Mambu's API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One request to Mambu, relative to `/api`. */
export interface RequestOptions {
  method: HttpMethod;
  /** Starts with `/`, relative to `/api` (or `basePath`), already encoded (see `encodeSegment`, `buildPath`). */
  path: string;
  /**
   * The API's base path in place of `/api`: `/v1` for the Services API (same host, credentials, retries and
   * idempotency keys). One or more plain segments, e.g. `/v1`.
   */
  basePath?: string;
  /**
   * The API authenticates by API key only (e.g. "the Payments API"): a connector with user/password and no API key
   * fails with a MambuTsError naming it, before anything is sent.
   */
  apikeyOnly?: string;
  /** Query parameters; `undefined`/`null` entries are left out. Never put credentials here. */
  query?: Record<string, QueryValue>;
  /**
   * A JSON body (serialised with `JSON.stringify`); use `bodyText` to send exact bytes. {@link Secret}s inside
   * its plain objects and arrays are written as their values (and redacted like `secrets`).
   */
  body?: unknown;
  /** A pre-serialised body with its content type (e.g. multipart for attachments). */
  rawBody?: { data: Buffer | string; contentType: string };
  /** A pre-serialised JSON body, sent byte-for-byte with `Content-Type: application/json`. */
  bodyText?: string;
  /** `Idempotency-Key` to use (v4 format); POST/PUT/PATCH get a random one when absent. */
  idempotencyKey?: string;
  /**
   * Extra headers; they cannot replace the authentication headers. A {@link Secret} value is revealed only
   * in the request sent, and redacted like `secrets` from everything the request shows.
   */
  headers?: Record<string, string | Secret>;
  /** `Accept` header (default `application/vnd.mambu.v2+json`). */
  accept?: string;
  /** Aborts the request (and its retries); the promise then rejects with a `MambuTsError`. */
  signal?: AbortSignal;
  /** Retries for this request only (default: the connector's). */
  retries?: number;
  /** Timeout in ms for each attempt of this request only (default: the connector's). */
  timeout?: number;
  /** Parser of a JSON answer (default `JSON.parse`; the ORM passes an exact one keeping every digit). */
  parse?: (text: string) => unknown;
  /**
   * The successful answer is expected to be a JSON list (a page of records): its elements are cut out and parsed
   * one by one (each with `parse`) as the body arrives, so that the page never exists as one large buffer or string —
   * what keeps streaming a long listing in bounded memory. The response's `text` and `raw` are then empty. An answer
   * that is not a list is read and parsed whole, as without this option.
   */
  jsonList?: boolean;
  /**
   * A successful answer's body is read only once this settles — the attempt's timeout does not run meanwhile — so
   * that a page fetched ahead waits in the network buffers, not in memory, until the caller wants it. If it rejects,
   * the request is given up: the connection is closed and the request rejects with a `MambuTsError` (as an abort).
   */
  readWhen?: PromiseLike<unknown>;
  /** Largest response body accepted for this request only, in bytes (default: the connector's). */
  maxResponseBytes?: number;
  /**
   * More values this request must never show (a secret key in a header, an API key in the body): replaced by
   * `****` in its error messages, `bodyExcerpt`s and `errors`, its logger lines and its `onRetry` events, as the
   * connector's own credentials are. Values shorter than 4 characters are not searched for.
   */
  secrets?: string[];
  /**
   * The successful answer carries credentials (a new API key or secret key): an answer that cannot be read is
   * reported without an excerpt of its body.
   */
  secretAnswer?: boolean;
}

/** Mambu's answer to a successful request. */
export interface MambuResponse<T = unknown> {
  status: number;
  /** Response headers, names lower-cased (repeated headers joined with `, `). */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined for an empty or non-JSON body. */
  body: T;
  /** The body as text (UTF-8); empty when the request set `jsonList` and the answer was a list. */
  text: string;
  /** The body's bytes (for binary downloads such as documents); empty when `text` is. */
  raw: Buffer;
}

/** Mambu's successful answer to {@link MambuConnector.stream}: its body not read yet. */
export interface MambuStreamResponse {
  status: number;
  /** Response headers, names lower-cased (repeated headers joined with `, `). */
  headers: Record<string, string>;
  /**
   * The body's bytes as they arrive, read once. A transfer that breaks off rejects with a `MambuCommError` (not
   * retried: the caller knows what it already has), or with a `MambuTsError` when the request's `signal` aborts.
   */
  body: AsyncIterable<Buffer>;
  /** Stops the transfer (an answer not wanted, or not read to its end) and frees the connection. */
  cancel(): void;
}

/** Optional logging; lines carry method, path+query, status and attempt, never credentials. */
export interface TransportLogger {
  debug?(msg: string, meta?: Record<string, unknown>): void;
  warn?(msg: string, meta?: Record<string, unknown>): void;
}

/** What `onRetry` hears before each wait between two attempts of a request. */
export interface RetryEvent {
  method: HttpMethod;
  /** Path and query of the request, e.g. `/api/clients?offset=0&limit=50` (never a host or credential). */
  url: string;
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** Attempts allowed in all (retries + 1). */
  attempts: number;
  /** Why it failed: the HTTP status (`"503"`) or the network reason (`"ECONNREFUSED: ..."`, `"timed out after 60000 ms"`). */
  reason: string;
  /** The HTTP status, when Mambu answered. */
  status?: number;
  /** How long the connector waits before the next attempt, in ms. */
  delayMs: number;
}

/** Options of `new MambuConnector(...)`. */
export interface ConnectorOptions {
  /** Host (or https URL) of the tenant; default: the config's, read at request time. */
  apiurl?: string;
  /** API user for Basic auth. Giving `apiuser` or `apipwd` here stops the config's `apikey` from being used. */
  apiuser?: string;
  /** Password for Basic auth (kept private: never shown by `inspect`, `toJSON`, errors or logs). */
  apipwd?: string;
  /** API key (sent as the `apiKey` header); wins over user/password. */
  apikey?: string;
  /** Where values not given here are read from, at request time. Default `mambuconfig`. */
  config?: MambuConfig;
  /** The fetch implementation (node-fetch 2 API); default: the connector's own client over `node:http(s)` (transport/http-client.ts). */
  fetch?: typeof nodeFetch;
  /** Waits between attempts (tests inject one that resolves at once). */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first attempt (default: config `retries`, 5). */
  retries?: number;
  /** Per-attempt timeout in ms (default: config `timeout`, 60000). */
  timeout?: number;
  /**
   * Records per page of the listings made through this connector (`getAll`, `search`, an account's
   * transactions), 1 to 1000 (higher is lowered to 1000, Mambu's largest page). Default: config
   * `apipagination` (50). A bulk job reading long lists sets 1000: fewer requests.
   */
  apipagination?: number;
  /** Receives one debug line per attempt and one warn line per retry; never credentials. */
  logger?: TransportLogger;
  /** Source of jitter in [0, 1) (default `Math.random`). */
  random?: () => number;
  /** HTTP(S) agent for every request (default: a keep-alive agent per connector and protocol). */
  agent?: Agent;
  /**
   * Largest response body accepted, in bytes, counted as the body streams in (after
   * decompression; a larger `Content-Length` fails before reading). Default: config
   * `maxresponsebytes`, 64 MiB. A larger body fails with a `MambuCommError` (not retried).
   */
  maxResponseBytes?: number;
  /**
   * Longest `Retry-After` (429/503) honoured, in ms (default 60000). A server asking for longer is
   * not waited for: the request fails at once with a `MambuCommError` keeping Mambu's answer.
   */
  maxRetryAfter?: number;
  /**
   * Called before each wait between two attempts (e.g. to tell a user that Mambu is being retried);
   * never carries credentials. An exception it throws is ignored. Default: none (the library
   * itself prints nothing).
   */
  onRetry?: (event: RetryEvent) => void;
}
