/**
 * The connector's HTTP client (its default `fetch`): what the connector uses of node-fetch — the status,
 * the headers and the body as a stream, errors as Node's network errors — sent with `node:http(s)`
 * directly. node-fetch's `Request`/`Headers` objects, its WHATWG URL parsing and the `PassThrough`
 * every answer is piped through cost a migration about as much CPU per request as all the rest of the
 * toolkit, and a streamed listing their garbage; this client hands the connector the `IncomingMessage`
 * itself. A `fetch` given in the connector's options (node-fetch or a replacement) is used instead.
 *
 * What node-fetch does that the connector relies on is kept: `Accept-Encoding: gzip,deflate` and the
 * answer inflated (gzip, deflate — zlib or raw — and br), `Content-Length` of a body (`0` for a POST or
 * PUT without one), redirects never followed (the connector asks for `redirect: "manual"`; the answer
 * is handed back as it is), an `AbortSignal` that fails the request with an `AbortError` (and the body,
 * once the answer has begun). A body cut short fails with Node's own `ECONNRESET` (node-fetch's
 * `ERR_STREAM_PREMATURE_CLOSE`): both are retried alike (transport/retrypolicy.ts).
 */
import * as http from "http";
import * as https from "https";
import type { IncomingMessage } from "http";
import { pipeline, Readable, Transform } from "stream";
import * as zlib from "zlib";

/** The options of a request the connector sends (the parts of node-fetch's `RequestInit` it uses). */
export interface HttpInit {
  method?: string;
  /** Plain header names and values (the connector builds them so). */
  headers?: Record<string, string> | { forEach(cb: (value: string, name: string) => void): void };
  body?: string | Buffer | null;
  redirect?: string;
  agent?: http.Agent;
  signal?: AbortSignal | null;
}

/** The headers of an answer, read as node-fetch's `Headers` are (names in lower case). */
export class HttpHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  /** The value of a header (several joined with `, `), or null. */
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(", ") : v;
  }

  /** Whether the answer has the header. */
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  /** Calls `cb` with each header's value and (lower-case) name. */
  forEach(cb: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) {
      const v = this.raw[name];
      if (v !== undefined) cb(Array.isArray(v) ? v.join(", ") : v, name);
    }
  }
}

/** An answer: status, headers and the body as a stream (read it to its end, or destroy it). */
export class HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HttpHeaders;

  constructor(
    readonly url: string,
    res: IncomingMessage,
    /** The body, inflated when the answer is compressed. */
    readonly body: Readable,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    this.headers = new HttpHeaders(res.headers);
  }

  /** Whether the status is 2xx. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The whole body (uncapped: the connector reads `body` with its cap instead). */
  async buffer(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
    return Buffer.concat(chunks);
  }

  /** The whole body as UTF-8 text. */
  async text(): Promise<string> {
    return (await this.buffer()).toString("utf8");
  }
}

/** node-fetch's abort error: `name` AbortError, `type` aborted. */
export class AbortError extends Error {
  readonly type = "aborted";
  constructor(message = "The user aborted a request.") {
    super(message);
    this.name = "AbortError";
  }
}

/** zlib options node-fetch inflates with (lenient about a truncated end, as browsers and curl are). */
const INFLATE = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** The body of an answer, through a decompressor when its `Content-Encoding` asks for one (as node-fetch). */
function decoded(res: IncomingMessage, method: string): Readable {
  const coding = res.headers["content-encoding"];
  if (coding === undefined || method === "HEAD" || res.statusCode === 204 || res.statusCode === 304) return res;
  let inflate: Transform | undefined;
  if (coding === "gzip" || coding === "x-gzip") inflate = zlib.createGunzip(INFLATE);
  else if (coding === "br") inflate = zlib.createBrotliDecompress();
  else if (coding === "deflate" || coding === "x-deflate") inflate = deflateEither();
  if (!inflate) return res;
  pipeline(res, inflate, () => undefined); // an error of either destroys both: the reader sees it
  return inflate;
}

/** Inflates zlib-wrapped deflate, or raw deflate (old servers), told apart by the first byte (as node-fetch). */
function deflateEither(): Transform {
  let inner: Transform | undefined;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!inner) {
        inner = (chunk[0] & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
        inner.on("data", (d: Buffer) => this.push(d));
        inner.on("error", (e) => this.destroy(e));
      }
      if (inner.write(chunk)) done();
      else inner.once("drain", () => done());
    },
    flush(done) {
      if (!inner) return done();
      inner.once("end", () => done());
      inner.end();
    },
  });
  return t;
}

/** Whether `headers` (a plain object) has a header, whatever the case of its name. */
function hasHeader(headers: Record<string, string>, lower: string): boolean {
  for (const k in headers) if (k.toLowerCase() === lower) return true;
  return false;
}

/** The request's headers as a plain object, with what node-fetch adds (Accept, Content-Length, Accept-Encoding). */
function requestHeaders(init: HttpInit, method: string, body: string | Buffer | null | undefined): Record<string, string> {
  // no prototype: a header name given by the caller ("__proto__"...) is only ever a header name
  const headers = Object.create(null) as Record<string, string>;
  const given = init.headers;
  if (given && typeof (given as { forEach?: unknown }).forEach === "function") {
    (given as { forEach(cb: (value: string, name: string) => void): void }).forEach((v, k) => (headers[k] = v));
  } else if (given) {
    for (const k of Object.keys(given)) headers[k] = (given as Record<string, string>)[k];
  }
  if (!hasHeader(headers, "accept")) headers.Accept = "*/*";
  if (body != null) headers["Content-Length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.length);
  else if (method === "POST" || method === "PUT") headers["Content-Length"] = "0";
  if (!hasHeader(headers, "accept-encoding")) headers["Accept-Encoding"] = "gzip,deflate";
  return headers;
}

/**
 * Sends one request and resolves with its answer once the headers arrive (see the module comment).
 * Rejects with Node's network error (`code` ECONNREFUSED, ECONNRESET...), an {@link AbortError} when
 * `signal` aborts, or a TypeError for a URL that is not absolute http(s).
 */
export function httpFetch(url: string, init: HttpInit = {}): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(new AbortError());
      return;
    }
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new TypeError(`Only absolute URLs are supported`));
      return;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") {
      reject(new TypeError("Only HTTP(S) protocols are supported"));
      return;
    }
    const method = (init.method ?? "GET").toUpperCase();
    const body = init.body;
    let req: http.ClientRequest;
    try {
      const options: http.RequestOptions = { method, headers: requestHeaders(init, method, body), agent: init.agent };
      req = u.protocol === "https:" ? https.request(u, options) : http.request(u, options);
    } catch (e) {
      reject(e);
      return;
    }
    let answer: Readable | undefined;
    let settled = false;
    const onAbort = (): void => {
      const err = new AbortError();
      if (!settled) {
        settled = true;
        reject(err);
      }
      req.destroy();
      answer?.destroy(err);
      signal?.removeEventListener("abort", onAbort);
    };
    signal?.addEventListener("abort", onAbort);
    req.on("error", (err) => {
      signal?.removeEventListener("abort", onAbort);
      if (!settled) {
        settled = true;
        reject(err);
      } else answer?.destroy(err);
    });
    req.on("response", (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      answer = decoded(res, method);
      // the listener goes once the answer is read or given up
      res.once("close", () => signal?.removeEventListener("abort", onAbort));
      resolve(new HttpResponse(url, res, answer));
    });
    if (body != null) req.end(body);
    else req.end();
  });
}
