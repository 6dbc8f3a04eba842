/**
 * `MambuConnector`: one set of credentials and the single way mambu-ts talks to Mambu — headers,
 * idempotency keys, timeouts, retries with backoff, and typed errors without secrets.
 */
import * as http from "http";
import * as https from "https";
import type nodeFetch from "node-fetch";
import type { RequestInit } from "node-fetch";
import { inspect } from "util";
import { MambuCommError, MambuError, MambuErrorEntry, MambuTsError } from "../errors";
import { MambuConfig, mambuconfig, maskUserinfo } from "../config";
import { MAX_RESPONSE_BYTES_LIMIT } from "../config/keys";
import { BaseUrl, resolveBaseUrl, withBasePath } from "./baseurl";
import { BodyTooLarge, readCapped } from "./body";
import { httpFetch } from "./http-client";
import { MalformedJsonList, readJsonList } from "./json-list";
import { MAMBU_V2_ACCEPT, authHeaders, basicToken, getHeader, setHeader, userAgent } from "./headers";
import { buildQuery } from "./paths";
import { redact, redactDeep } from "./redact";
import { headerValue, revealSecrets } from "./reveal";
import { excerpt, readFailure, ResponseFailure } from "./responseerror";
import { MAX_RETRY_AFTER_MS, RETRYABLE_STATUSES, isRetryableNetworkError, retryAfterMs, retryWait } from "./retrypolicy";
import { ConnectorOptions, HttpMethod, MambuResponse, MambuStreamResponse, RequestOptions, RetryEvent, TransportLogger } from "./types";
import { isV4Uuid, randomUuidV4 } from "./uuid";

const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const KEYED_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);
/** Header names a caller may not set through `headers` (the connector owns authentication). */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(["authorization", "apikey", "idempotency-key", "host"]);
const MAX_SOCKETS = 16;

/** Everything one request needs, resolved once before the first attempt. */
interface Prepared {
  method: HttpMethod;
  url: string;
  /** Path and query, e.g. `/api/clients/1?detailsLevel=BASIC`: what logs and errors show. */
  shownUrl: string;
  base: BaseUrl;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  expectJson: boolean;
  /** Parser of JSON bodies (default JSON.parse). */
  parse: (text: string) => unknown;
  /** A 2xx JSON answer is read as a list, element by element (see `RequestOptions.jsonList`). */
  jsonList: boolean;
  /** A 2xx answer's body is read once this settles (see `RequestOptions.readWhen`). */
  readWhen: PromiseLike<unknown> | undefined;
  retries: number;
  timeout: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  secrets: string[];
  /** A 2xx body carries credentials: never shown in an error. */
  secretAnswer: boolean;
}

/**
 * Credentials as a request last read them (`apikey` as it applies: undefined when user/password options win), with
 * the secrets they give (password, key, Basic token) and, once a request got that far, their authentication header.
 */
interface CachedAuth {
  apiuser: string | undefined;
  apipwd: string | undefined;
  apikey: string | undefined;
  readonly secrets: readonly string[];
  headers: Record<string, string> | undefined;
}

/** Why an attempt failed in a way worth retrying. */
type AttemptFailure =
  | { kind: "http"; failure: ResponseFailure; retryAfter?: number }
  | { kind: "network"; reason: string; cause: Error };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A connection to one Mambu tenant with one set of credentials.
 *
 * Values not given to the constructor (apiurl, credentials, retries, timeout) are read from its
 * `config` (default `mambuconfig`) on every request, so a change of environment or config between
 * two requests is seen by the second. An API key wins over user/password. Every POST/PUT/PATCH
 * carries an `Idempotency-Key` (the caller's, or a random v4 UUID) that stays the same on each
 * retry, which is what makes retrying a POST after a 500 safe. Retries: connection errors,
 * timeouts, 429 and 500/502/503/504, with capped exponential backoff and jitter; a `Retry-After`
 * lengthens the wait (never shortens it below the backoff) up to `maxRetryAfter` (60 s), and a
 * longer one fails at once with a `MambuCommError` keeping Mambu's answer. Response bodies are
 * capped (`maxResponseBytes`, default 64 MiB) while they stream in. Errors: `MambuError` for
 * Mambu's answers, `MambuCommError` when Mambu could not be reached, kept failing or sent too
 * much. Credentials never appear in errors, log lines, `inspect` or `JSON.stringify`; the
 * connector prints nothing itself (pass `logger` or `onRetry` to hear about retries).
 *
 * Call `close()` when done to release the keep-alive sockets (long-running apps need not).
 */
export class MambuConnector {
  static #shared: MambuConnector | undefined;
  readonly #options: ConnectorOptions;
  readonly #config: MambuConfig;
  readonly #fetch: typeof nodeFetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #logger: TransportLogger | undefined;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #maxRetryAfter: number;
  #agents: { "http:"?: http.Agent; "https:"?: https.Agent } = {};
  /** The last apiurl resolved and its base (resolved again when the apiurl read changes). */
  #base: { apiurl: string; base: BaseUrl } | undefined;
  /** The last credentials read, their secrets and authentication header (computed again when one changes). */
  #auth: CachedAuth | undefined;

  /** The connector every entity uses when no `{ connector }` is given: lazily built over `mambuconfig`. */
  static default(): MambuConnector {
    if (!MambuConnector.#shared) MambuConnector.#shared = new MambuConnector();
    return MambuConnector.#shared;
  }

  constructor(options: ConnectorOptions = {}) {
    this.#options = { ...options };
    this.#config = options.config ?? mambuconfig;
    this.#fetch = options.fetch ?? (httpFetch as unknown as typeof nodeFetch);
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
    this.#onRetry = options.onRetry;
    this.#maxRetryAfter = options.maxRetryAfter ?? MAX_RETRY_AFTER_MS;
    if (options.retries !== undefined) checkRetries(options.retries);
    if (options.timeout !== undefined) checkTimeout(options.timeout);
    if (options.apipagination !== undefined && (!Number.isInteger(options.apipagination) || options.apipagination < 1)) {
      throw new MambuTsError(`apipagination must be a whole number of records per page (1 to 1000), got ${options.apipagination}`);
    }
    if (options.maxResponseBytes !== undefined) checkMaxBytes(options.maxResponseBytes);
    if (!(this.#maxRetryAfter >= 0) || !Number.isFinite(this.#maxRetryAfter)) {
      throw new MambuTsError(`maxRetryAfter must be a finite number of milliseconds ≥ 0, got ${options.maxRetryAfter}`);
    }
  }

  /** The configuration this connector falls back to (pagination and concurrency are read from it too). */
  get config(): MambuConfig {
    return this.#config;
  }

  /** Records per page of listings: the `apipagination` option, else the config's; at most 1000. */
  get pageSize(): number {
    return Math.min(this.#options.apipagination ?? this.#config.apipagination, 1000);
  }

  /**
   * Sends one request to Mambu (retrying as described on the class) and returns its response.
   * @throws MambuTsError for an invalid request or configuration (before anything is sent), or when
   *   `signal` aborts; MambuError when Mambu answers ≥ 300 (not retried, or not retryable);
   *   MambuCommError when Mambu cannot be reached or retries are exhausted (last status, errors
   *   and excerpt kept).
   */
  async request<T = unknown>(req: RequestOptions): Promise<MambuResponse<T>> {
    const prep = this.#prepare(req);
    return this.#retrying(prep, req.signal, (attempt, attempts) => this.#attempt<T>(prep, req.signal, attempt, attempts));
  }

  /**
   * Sends one request as {@link request} does — same URL, headers, credentials, idempotency key, and retries
   * (connection errors, timeouts, 429, 5xx) until the answer's headers arrive — but hands a successful answer's
   * body back unread, as a stream: for downloads too large to hold in memory (a database backup). The timeout
   * covers the wait for the headers, then each wait for the body's next bytes; `signal` aborts the body too. No size cap applies to a successful body
   * (the caller writes it somewhere); an answer ≥ 300 is read (capped) and thrown as `request` throws it.
   * Read `body` to its end, or call `cancel()`.
   * @throws as {@link request} does, before the body.
   */
  async stream(req: RequestOptions): Promise<MambuStreamResponse> {
    const prep = this.#prepare(req);
    return this.#retrying(prep, req.signal, (attempt, attempts) => this.#open(prep, req.signal, attempt, attempts));
  }

  /** Runs attempts until one is done, waiting between them (backoff, Retry-After), logging and notifying retries. */
  async #retrying<R>(
    prep: Prepared,
    signal: AbortSignal | undefined,
    attemptOnce: (attempt: number, attempts: number) => Promise<{ kind: "done"; response: R } | AttemptFailure>,
  ): Promise<R> {
    const attempts = prep.retries + 1;
    let last: AttemptFailure | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      throwIfAborted(signal, prep);
      const outcome = await attemptOnce(attempt, attempts);
      if (outcome.kind === "done") return outcome.response;
      last = outcome;
      if (attempt === attempts) break;
      const plan = retryWait(attempt - 1, outcome.kind === "http" ? outcome.retryAfter : undefined, {
        random: this.#random,
        maxRetryAfter: this.#maxRetryAfter,
      });
      if ("refused" in plan) throw retryAfterTooLong(prep, outcome as AttemptFailure & { kind: "http" }, attempt, this.#maxRetryAfter);
      const delay = plan.wait;
      const status = outcome.kind === "http" ? outcome.failure.status : undefined;
      const why = outcome.kind === "http" ? String(outcome.failure.status) : outcome.reason;
      this.#log(prep, "warn", `${prep.method} ${prep.shownUrl} -> ${why}, retrying in ${delay} ms (attempt ${attempt}/${attempts})`, {
        status,
        attempt,
        attempts,
        delayMs: delay,
      });
      this.#notifyRetry(prep, {
        method: prep.method,
        url: prep.shownUrl,
        attempt,
        attempts,
        reason: status !== undefined ? `HTTP ${status}` : why,
        status,
        delayMs: delay,
      });
      await this.#sleep(delay);
    }
    throw exhausted(prep, last!, attempts);
  }

  /** Releases the keep-alive sockets of this connector's agents (a later request opens new ones). */
  close(): void {
    this.#agents["http:"]?.destroy();
    this.#agents["https:"]?.destroy();
    this.#agents = {};
  }

  /**
   * The base URL of the API this connector sends requests to now (`https://tenant.mambu.com/api`):
   * its `apiurl` option, else its config's, resolved as a request resolves it. It names the tenant
   * (custom field definitions are kept per tenant): two connectors to one tenant give the same.
   * @throws MambuTsError when no apiurl is configured, or it is not valid.
   */
  baseUrl(): string {
    return resolveBaseUrl(this.#options.apiurl ?? this.#config.apiurl).href;
  }

  /**
   * A credential-free summary: the explicit host (a URL's userinfo masked as `****`) and which kind
   * of authentication is configured here.
   */
  toJSON(): Record<string, string> {
    const o = this.#options;
    const out: Record<string, string> = { apiurl: o.apiurl === undefined ? "(from config)" : maskUserinfo(o.apiurl, true) };
    if (o.apiuser !== undefined) out.apiuser = o.apiuser;
    if (o.apipwd !== undefined) out.apipwd = "****";
    if (o.apikey !== undefined) out.apikey = "****";
    return out;
  }

  /** REPL view without credentials. */
  [inspect.custom](): string {
    return `MambuConnector ${inspect(this.toJSON())}`;
  }

  #prepare(req: RequestOptions): Prepared {
    const method = String(req.method ?? "").toUpperCase() as HttpMethod;
    if (!METHODS.has(method)) throw new MambuTsError(`unsupported HTTP method ${JSON.stringify(req.method)}`);
    if (typeof req.path !== "string" || !req.path.startsWith("/") || req.path.startsWith("//")) {
      throw new MambuTsError(`request path must start with a single "/" (relative to /api), got ${JSON.stringify(req.path)}`);
    }
    if (req.path.includes("#")) throw new MambuTsError("request path must not contain '#'");
    const bodies = [req.body !== undefined, req.rawBody !== undefined, req.bodyText !== undefined].filter(Boolean).length;
    if (bodies > 1) throw new MambuTsError("give only one of body, bodyText and rawBody");
    if (bodies === 1 && method === "GET") throw new MambuTsError("a GET request cannot have a body");

    const o = this.#options;
    const c = this.#config;
    const apikey = o.apikey ?? (o.apiuser !== undefined || o.apipwd !== undefined ? undefined : c.apikey);
    const apiuser = o.apiuser ?? c.apiuser;
    const apipwd = o.apipwd ?? c.apipwd;
    const apiurl = o.apiurl ?? c.apiurl;
    if (this.#base?.apiurl !== apiurl) this.#base = { apiurl, base: Object.freeze(resolveBaseUrl(apiurl)) };
    const base = this.#base.base;
    const retries = req.retries ?? o.retries ?? c.retries;
    const timeout = req.timeout ?? o.timeout ?? c.timeout;
    const maxBytes = req.maxResponseBytes ?? o.maxResponseBytes ?? c.maxresponsebytes;
    if (req.apikeyOnly !== undefined && (typeof apikey !== "string" || apikey === "")) {
      throw new MambuTsError(
        `${req.apikeyOnly} needs an apikey: it authenticates by API key only, not by user and password ` +
          "(give the connector apikey, or set MAMBU_API_KEY)",
      );
    }
    checkRetries(retries);
    checkTimeout(timeout);
    checkMaxBytes(maxBytes);

    let auth = this.#auth;
    if (auth === undefined || auth.apiuser !== apiuser || auth.apipwd !== apipwd || auth.apikey !== apikey) {
      const known = [apipwd, apikey].filter((s): s is string => typeof s === "string" && s !== "");
      if (apiuser && apipwd) known.push(basicToken(apiuser, apipwd));
      auth = this.#auth = { apiuser, apipwd, apikey, secrets: known, headers: undefined };
    }
    const secrets = auth.secrets.slice();
    if (req.secrets !== undefined) {
      if (!Array.isArray(req.secrets) || !req.secrets.every((s) => typeof s === "string")) throw new MambuTsError("secrets must be a list of strings");
      secrets.push(...req.secrets.filter((s) => s !== ""));
    }

    const query = buildQuery(req.query);
    const pathAndQuery = query ? `${req.path}${req.path.includes("?") ? "&" : "?"}${query}` : req.path;
    const url = `${withBasePath(base, req.basePath)}${pathAndQuery}`;

    const headers: Record<string, string> = {
      Accept: req.accept ?? MAMBU_V2_ACCEPT,
      "User-Agent": userAgent(),
    };
    let callerKey = req.idempotencyKey;
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower === "idempotency-key") callerKey ??= String(value);
      else if (RESERVED_HEADERS.has(lower)) throw new MambuTsError(`header ${name} is set by the connector, not by callers`);
      else setHeader(headers, name, headerValue(name, value, secrets));
    }
    if (req.accept !== undefined) setHeader(headers, "Accept", req.accept);

    let body: string | Buffer | undefined;
    if (req.rawBody !== undefined) {
      body = req.rawBody.data;
      setHeader(headers, "Content-Type", req.rawBody.contentType);
    } else if (req.bodyText !== undefined || req.body !== undefined) {
      body = req.bodyText ?? JSON.stringify(revealSecrets(req.body, secrets));
      setHeader(headers, "Content-Type", "application/json");
    }

    if (callerKey !== undefined) {
      if (!isV4Uuid(callerKey)) {
        // An idempotency key is not a secret; showing it helps find the bad row.
        throw new MambuTsError(`idempotencyKey must be a v4 UUID (see deterministicUuidV4), got ${JSON.stringify(callerKey)}`);
      }
      headers["Idempotency-Key"] = callerKey;
    } else if (KEYED_METHODS.has(method)) {
      headers["Idempotency-Key"] = randomUuidV4();
    }
    Object.assign(headers, (auth.headers ??= authHeaders({ apiuser, apipwd, apikey })));
    const parsed = new URL(url);
    const shownUrl = redact(parsed.pathname + parsed.search, secrets);

    return {
      method,
      url,
      shownUrl,
      base,
      headers,
      body,
      expectJson: /json/i.test(getHeader(headers, "Accept") ?? ""),
      parse: req.parse ?? JSON.parse,
      jsonList: req.jsonList === true,
      readWhen: req.readWhen,
      retries,
      timeout,
      maxBytes,
      secrets,
      secretAnswer: req.secretAnswer === true,
    };
  }

  async #attempt<T>(
    prep: Prepared,
    signal: AbortSignal | undefined,
    attempt: number,
    attempts: number,
  ): Promise<{ kind: "done"; response: MambuResponse<T> } | AttemptFailure> {
    const controller = new AbortController();
    let timedOut = false;
    const arm = (): NodeJS.Timeout =>
      setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, prep.timeout);
    let timer = arm();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const started = Date.now();
    let status: number | undefined;
    let headers: Record<string, string> = {};
    let raw: Buffer;
    let items: unknown[] | undefined;
    try {
      const init: RequestInit = {
        method: prep.method,
        headers: prep.headers,
        body: prep.body,
        redirect: "manual",
        agent: this.#agentFor(prep.base),
        signal: controller.signal as unknown as RequestInit["signal"],
      };
      const res = await this.#fetch(prep.url, init);
      status = res.status;
      headers = {};
      res.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      if (prep.readWhen && status >= 200 && status < 300) {
        // fetched ahead: the body waits in the network buffers until the caller wants it (no timeout meanwhile)
        clearTimeout(timer);
        await waitGate(prep.readWhen, signal);
        timer = arm();
      }
      if (prep.jsonList && status >= 200 && status < 300 && readsAsJson(prep, headers)) {
        const list = await readJsonList(res, prep.maxBytes, headers["content-length"], prep.parse);
        if ("items" in list) {
          items = list.items;
          raw = EMPTY;
        } else raw = list.whole;
      } else {
        raw = await readCapped(res, prep.maxBytes, headers["content-length"]);
      }
    } catch (err) {
      const ms = Date.now() - started;
      if (err instanceof GateClosed) {
        controller.abort(); // the answer is not wanted any more: free the connection
        throw aborted(prep);
      }
      if (err instanceof MalformedJsonList) {
        controller.abort(); // stop the transfer: the answer is refused whatever follows
        throw malformedJson(prep, status!, err.head.toString("utf8"), attempt);
      }
      if (err instanceof BodyTooLarge) {
        controller.abort(); // stop the transfer: nothing more is read or inflated
        this.#log(prep, "debug", `${prep.method} ${prep.shownUrl} -> ${status}, body over ${prep.maxBytes} bytes (attempt ${attempt}/${attempts}, ${ms} ms)`, {
          status,
          attempt,
          attempts,
          durationMs: ms,
        });
        throw tooLarge(prep, err, status, attempt);
      }
      if (signal?.aborted && !timedOut) throw aborted(prep, err);
      const reason = timedOut ? `timed out after ${prep.timeout} ms` : networkReason(err, prep.secrets);
      const cause = sanitisedCause(err, prep.secrets);
      this.#log(prep, "debug", `${prep.method} ${prep.shownUrl} -> ${reason} (attempt ${attempt}/${attempts}, ${ms} ms)`, {
        attempt,
        attempts,
        durationMs: ms,
      });
      if (timedOut || isRetryableNetworkError(err)) return { kind: "network", reason, cause };
      throw new MambuCommError(commMessage(prep, attempt, reason), {
        method: prep.method,
        url: prep.shownUrl,
        attempts: attempt,
        cause,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }

    status = status!;
    const ms = Date.now() - started;
    this.#log(prep, "debug", `${prep.method} ${prep.shownUrl} -> ${status} (attempt ${attempt}/${attempts}, ${ms} ms)`, {
      status,
      attempt,
      attempts,
      durationMs: ms,
    });
    if (items !== undefined) return { kind: "done", response: { status, headers, body: items as T, text: "", raw } };
    const text = raw.toString("utf8");
    if (status >= 200 && status < 300) {
      return { kind: "done", response: { status, headers, body: parseBody<T>(prep, status, headers, text, attempt), text, raw } };
    }
    return refusal(prep, status, headers, text, attempt);
  }

  /**
   * One attempt of {@link stream}: a 2xx answer comes back with its body unread (the timeout stops at the
   * headers; the abort listener stays until the body ends or is cancelled), anything else as {@link #attempt}.
   */
  async #open(
    prep: Prepared,
    signal: AbortSignal | undefined,
    attempt: number,
    attempts: number,
  ): Promise<{ kind: "done"; response: MambuStreamResponse } | AttemptFailure> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, prep.timeout);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const release = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const started = Date.now();
    let res: Awaited<ReturnType<typeof nodeFetch>>;
    try {
      res = await this.#fetch(prep.url, {
        method: prep.method,
        headers: prep.headers,
        body: prep.body,
        redirect: "manual",
        agent: this.#agentFor(prep.base),
        signal: controller.signal as unknown as RequestInit["signal"],
      });
    } catch (err) {
      release();
      if (signal?.aborted && !timedOut) throw aborted(prep, err);
      const reason = timedOut ? `timed out after ${prep.timeout} ms` : networkReason(err, prep.secrets);
      const cause = sanitisedCause(err, prep.secrets);
      this.#log(prep, "debug", `${prep.method} ${prep.shownUrl} -> ${reason} (attempt ${attempt}/${attempts}, ${Date.now() - started} ms)`, { attempt, attempts });
      if (timedOut || isRetryableNetworkError(err)) return { kind: "network", reason, cause };
      throw new MambuCommError(commMessage(prep, attempt, reason), { method: prep.method, url: prep.shownUrl, attempts: attempt, cause });
    }
    clearTimeout(timer); // the timeout covered the wait for the headers
    const status = res.status;
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    this.#log(prep, "debug", `${prep.method} ${prep.shownUrl} -> ${status} (attempt ${attempt}/${attempts}, ${Date.now() - started} ms, body streamed)`, {
      status,
      attempt,
      attempts,
    });
    if (status >= 200 && status < 300) {
      const source = res.body as unknown as AsyncIterable<Buffer | string> | null;
      // While the body streams, the timeout is an idle timeout: no byte for `timeout` ms stops the transfer.
      let idle = false;
      let idleTimer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          idle = true;
          controller.abort();
        }, prep.timeout);
      };
      const body = async function* (): AsyncGenerator<Buffer> {
        arm();
        try {
          if (source) {
            for await (const chunk of source) {
              arm();
              yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
            }
          }
        } catch (err) {
          if (signal?.aborted) throw aborted(prep, err);
          const why = idle ? `the answer stopped: no data for ${prep.timeout} ms` : `the answer broke off: ${networkReason(err, prep.secrets)}`;
          throw new MambuCommError(commMessage(prep, attempt, why), {
            status,
            method: prep.method,
            url: prep.shownUrl,
            attempts: attempt,
            cause: sanitisedCause(err, prep.secrets),
          });
        } finally {
          clearTimeout(idleTimer);
          release();
        }
      };
      return {
        kind: "done",
        response: {
          status,
          headers,
          body: body(),
          cancel: () => {
            clearTimeout(idleTimer);
            controller.abort();
            release();
          },
        },
      };
    }
    let raw: Buffer;
    try {
      raw = await readCapped(res, prep.maxBytes, headers["content-length"]);
    } catch (err) {
      controller.abort();
      if (err instanceof BodyTooLarge) throw tooLarge(prep, err, status, attempt);
      if (signal?.aborted) throw aborted(prep, err);
      return { kind: "network", reason: networkReason(err, prep.secrets), cause: sanitisedCause(err, prep.secrets) };
    } finally {
      release();
    }
    return refusal(prep, status, headers, raw.toString("utf8"), attempt);
  }

  #agentFor(base: BaseUrl): http.Agent {
    if (this.#options.agent) return this.#options.agent;
    if (base.protocol === "http:") {
      return (this.#agents["http:"] ??= new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }));
    }
    return (this.#agents["https:"] ??= new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }));
  }

  #notifyRetry(prep: Prepared, event: RetryEvent): void {
    if (!this.#onRetry) return;
    try {
      this.#onRetry(redactDeep(event, prep.secrets));
    } catch {
      // A failing listener must not fail the request.
    }
  }

  #log(prep: Prepared, level: "debug" | "warn", msg: string, meta: Record<string, unknown>): void {
    const fn = this.#logger?.[level];
    if (!fn) return;
    const safeMeta = redactDeep({ method: prep.method, url: prep.shownUrl, ...meta }, prep.secrets);
    try {
      fn.call(this.#logger, redact(msg, prep.secrets), safeMeta);
    } catch {
      // A failing logger must not fail the request.
    }
  }
}

function checkRetries(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new MambuTsError(`retries must be an integer between 0 and 100, got ${n}`);
}

function checkTimeout(n: number): void {
  if (!Number.isFinite(n) || n <= 0) throw new MambuTsError(`timeout must be a positive number of milliseconds, got ${n}`);
}

function checkMaxBytes(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESPONSE_BYTES_LIMIT) {
    throw new MambuTsError(`maxResponseBytes must be an integer between 1 and ${MAX_RESPONSE_BYTES_LIMIT}, got ${n}`);
  }
}

/** A body over the cap: a MambuCommError naming the cap and how to raise it (never retried). */
function tooLarge(prep: Prepared, err: BodyTooLarge, status: number | undefined, attempt: number): MambuCommError {
  const seen = err.how === "content-length" ? "announces" : "sent";
  return new MambuCommError(
    `response too large: Mambu ${seen} more than ${prep.maxBytes} bytes (${prep.method} ${prep.shownUrl}` +
      `${status !== undefined ? `, HTTP ${status}` : ""}); raise maxResponseBytes (config maxresponsebytes) if this is expected`,
    { status, method: prep.method, url: prep.shownUrl, attempts: attempt },
  );
}

/** Milliseconds as seconds, at most one decimal (`1500` → `1.5`). */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Mambu asked to wait longer than `maxRetryAfter`: fail now, keeping its answer. */
function retryAfterTooLong(prep: Prepared, last: AttemptFailure & { kind: "http" }, attempt: number, max: number): MambuCommError {
  const f = last.failure;
  const asked = Number.isFinite(last.retryAfter) ? `${seconds(last.retryAfter!)} s` : "an unbounded time";
  return new MambuCommError(
    `Mambu asked to wait ${asked} before retrying (Retry-After), more than maxRetryAfter (${seconds(max)} s), ` +
      `so the request was not retried (${prep.method} ${prep.shownUrl}): ${f.message}`,
    {
      status: f.status,
      errors: f.errors as MambuErrorEntry[],
      ...(f.tppMessages ? { tppMessages: f.tppMessages } : {}),
      bodyExcerpt: f.bodyExcerpt,
      method: prep.method,
      url: prep.shownUrl,
      attempts: attempt,
    },
  );
}

const EMPTY = Buffer.alloc(0);

/** The gate of a request fetched ahead was closed (the caller gave up on it), or its signal aborted while it waited. */
class GateClosed extends Error {}

/** Waits for `gate`; a rejected gate, or `signal` aborting meanwhile, throws GateClosed. */
async function waitGate(gate: PromiseLike<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) throw new GateClosed();
  let onAbort: (() => void) | undefined;
  const abortion = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new GateClosed());
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([gate, abortion]);
  } catch {
    throw new GateClosed();
  } finally {
    signal?.removeEventListener("abort", onAbort!);
  }
}

/** Whether a 2xx answer is parsed as JSON: JSON announced, or expected and no content type given. */
function readsAsJson(prep: Prepared, headers: Record<string, string>): boolean {
  const contentType = headers["content-type"] ?? "";
  return /json/i.test(contentType) || (prep.expectJson && contentType === "");
}

/** A 2xx body that is not JSON: a MambuError (the excerpt redacted, none for an answer carrying credentials). */
function malformedJson(prep: Prepared, status: number, text: string, attempt: number): MambuError {
  return new MambuError(`malformed JSON from Mambu (HTTP ${status}, ${prep.method} ${prep.shownUrl})`, {
    status,
    bodyExcerpt: prep.secretAnswer ? undefined : excerpt(redact(text, prep.secrets)),
    method: prep.method,
    url: prep.shownUrl,
    attempts: attempt,
  });
}

/** Parses a 2xx body: JSON when JSON is expected or announced; malformed JSON is a MambuError. */
function parseBody<T>(prep: Prepared, status: number, headers: Record<string, string>, text: string, attempt: number): T {
  if (text.trim() === "") return undefined as T;
  const contentType = headers["content-type"] ?? "";
  if (!readsAsJson(prep, headers)) {
    if (!prep.expectJson) return undefined as T;
    throw new MambuError(`non-JSON body from Mambu (HTTP ${status}, content-type ${contentType}, ${prep.method} ${prep.shownUrl})`, {
      status,
      bodyExcerpt: prep.secretAnswer ? undefined : excerpt(redact(text, prep.secrets)),
      method: prep.method,
      url: prep.shownUrl,
      attempts: attempt,
    });
  }
  try {
    return prep.parse(text) as T;
  } catch {
    throw malformedJson(prep, status, text, attempt);
  }
}

/** A short, secret-free reason for a network error: its code and node-fetch's reason. */
function networkReason(err: unknown, secrets: string[]): string {
  const e = err as { code?: unknown; message?: unknown };
  let msg = typeof e?.message === "string" ? e.message : String(err);
  const at = msg.indexOf("reason: ");
  if (at >= 0) msg = msg.slice(at + "reason: ".length);
  const code = typeof e?.code === "string" ? e.code : undefined;
  const text = code && !msg.includes(code) ? `${code}: ${msg}` : msg;
  return redact(text, secrets);
}

/** A plain Error carrying a network error's name, code and redacted message (never its request). */
function sanitisedCause(err: unknown, secrets: string[]): Error {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  const cause = new Error(redact(typeof e?.message === "string" ? e.message : String(err), secrets));
  if (typeof e?.name === "string") cause.name = e.name;
  if (typeof e?.code === "string") (cause as Error & { code?: string }).code = e.code;
  cause.stack = `${cause.name}: ${cause.message}`;
  return cause;
}

function commMessage(prep: Prepared, attempts: number, reason: string): string {
  const times = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  return `Unknown comm error with Mambu: ${prep.method} ${prep.base.href.replace(/\/api$/, "")}${prep.shownUrl} failed after ${times}: ${reason}`;
}

function exhausted(prep: Prepared, last: AttemptFailure, attempts: number): MambuCommError {
  if (last.kind === "network") {
    return new MambuCommError(commMessage(prep, attempts, last.reason), {
      method: prep.method,
      url: prep.shownUrl,
      attempts,
      cause: last.cause,
    });
  }
  const f = last.failure;
  const times = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  return new MambuCommError(`Mambu kept failing after ${times} (${prep.method} ${prep.shownUrl}): ${f.message}`, {
    status: f.status,
    errors: f.errors as MambuErrorEntry[],
    ...(f.tppMessages ? { tppMessages: f.tppMessages } : {}),
    bodyExcerpt: f.bodyExcerpt,
    method: prep.method,
    url: prep.shownUrl,
    attempts,
  });
}

/** An answer ≥ 300: a retryable failure (429, 5xx) or a MambuError thrown at once. */
function refusal(prep: Prepared, status: number, headers: Record<string, string>, text: string, attempt: number): AttemptFailure {
  const safeText = redact(text, prep.secrets);
  const failure =
    status < 400
      ? {
          message: `HTTP ${status} from Mambu (redirects are not followed)`,
          status,
          errors: [],
          bodyExcerpt: safeText ? excerpt(safeText) : undefined,
        }
      : readFailure(status, safeText);
  failure.errors = redactDeep(failure.errors, prep.secrets);
  if (failure.tppMessages) failure.tppMessages = redactDeep(failure.tppMessages, prep.secrets);
  if (RETRYABLE_STATUSES.has(status)) {
    return { kind: "http", failure, retryAfter: retryAfterMs(headers["retry-after"]) };
  }
  throw new MambuError(failure.message, {
    ...failure,
    method: prep.method,
    url: prep.shownUrl,
    attempts: attempt,
  });
}

function aborted(prep: Prepared, err?: unknown): MambuTsError {
  return new MambuTsError(`request aborted by the caller: ${prep.method} ${prep.shownUrl}`, {
    cause: err === undefined ? undefined : sanitisedCause(err, prep.secrets),
  });
}

function throwIfAborted(signal: AbortSignal | undefined, prep: Prepared): void {
  if (signal?.aborted) throw aborted(prep);
}
