/**
 * `Payments.listenForCallouts({ port, username, password, onMessage })`: an HTTP receiver for the ISO 20022
 * messages the Mambu Payment Gateway POSTs to a tenant's callout URL (pacs.008 credit transfers, camt.056
 * cancellation requests, pacs.002 status reports), each parsed into a typed message (./iso20022-types.ts) and handed
 * to `onMessage` — or, without one, to whoever iterates the listener (`for await (const m of listener)`).
 *
 * Each delivery is checked in this order, and answered:
 * - 405 for a method other than POST, 404 for another path than `path` (when given);
 * - 401 without the Basic credentials configured (compared in constant time; the credentials are never logged,
 *   never kept in clear: only a digest of them is held);
 * - 415 unless `Content-Type: application/xml`;
 * - 400 without `Message-Type` (one of pacs.008, camt.056, pacs.002 under `urn:iso:std:iso:20022:tech:xsd:`) or
 *   `Message-Id` (at most 35 characters);
 * - 413 for a body over `maxBodyBytes` (1 MiB by default; the rest is not read);
 * - 400 for a body that is not UTF-8, not well-formed, declares a DOCTYPE or entities (XXE, "billion laughs"),
 *   is not the Message-Type's document, holds a value of the wrong form, whose counts or totals do not match its
 *   transactions, or whose id is not the Message-Id header's — nothing is handed over;
 * - 503 when `queueLimit` messages wait for the iterator (the gateway retries later);
 * - 500 when `onMessage` throws or rejects (the gateway retries: a message is acknowledged only once handed over);
 * - 200 (empty) once the message was handed over.
 *
 * Rejected deliveries are reported to `onRejected` (status and reason, never a credential or the body).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MambuTsError } from "../../errors";
import { isSecret, type Secret } from "../../transport";
import { calloutKind, Iso20022Error, ISO20022_URN, parseCalloutMessage } from "./iso20022-parse";
import type { CalloutMessage } from "./iso20022-types";

/** Largest body read by default (1 MiB). */
export const DEFAULT_CALLOUT_MAX_BYTES = 1024 * 1024;
/** Largest `maxBodyBytes` accepted (16 MiB). */
export const MAX_CALLOUT_MAX_BYTES = 16 * 1024 * 1024;
/** Messages held for the iterator by default before deliveries are answered 503. */
export const DEFAULT_CALLOUT_QUEUE = 1000;

/** A delivery that was not accepted, as reported to `onRejected`. */
export interface CalloutRejection {
  /** The HTTP status answered (400, 401, 404, 405, 413, 415, 500, 503). */
  status: number;
  /** Why, in words (never a credential, never the body). */
  reason: string;
  /** The `Message-Id` header, when it was given and well-formed. */
  messageId?: string;
}

/** Options of {@link listenForCallouts}. */
export interface CalloutListenerOptions {
  /** TCP port (default 0: a free one; read it from `listener.port`). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`; `0.0.0.0` to be reachable from other machines). */
  host?: string;
  /** Only this path is served (e.g. `/callouts`); default: any path. */
  path?: string;
  /** The Basic credentials configured for the callout in the Payment Gateway: the user... */
  username?: string;
  /** ...and its password (a `Secret` or a string; only a digest of the pair is kept). */
  password?: string | Secret;
  /** Accept deliveries without credentials (the seed makes them optional): only when neither username nor password is given. */
  allowUnauthenticated?: boolean;
  /** Largest body read (default 1 MiB, at most 16 MiB); a larger one is answered 413. */
  maxBodyBytes?: number;
  /** Messages held for the iterator before deliveries are answered 503 (default 1000). */
  queueLimit?: number;
  /** Receives each message; the delivery is acknowledged (200) once it resolves, answered 500 if it throws. */
  onMessage?: (message: CalloutMessage) => void | Promise<void>;
  /** Told about each delivery refused (status and reason; no credential, no body). */
  onRejected?: (rejection: CalloutRejection) => void;
  /** Closes the listener when aborted. */
  signal?: AbortSignal;
}

/** A running callout receiver: `for await (const message of listener)` (without `onMessage`), `await listener.close()`. */
export interface CalloutListener extends AsyncIterable<CalloutMessage> {
  /** Where the gateway must POST: `http://127.0.0.1:PORT/` (the path given, or `/`). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Stops listening: deliveries under way are answered (for up to 5 s), idle connections closed; iterators end. Idempotent. */
  close(): Promise<void>;
}

/** A delivery refused: the status answered and why. */
class Refused extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const sha256 = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Whether the request carries the Basic credentials whose digest is `expected` (constant time in the credentials). */
function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const auth = header(req, "authorization");
  const m = auth === undefined ? null : /^basic[ \t]+([A-Za-z0-9+/]{1,1024}={0,2})[ \t]*$/i.exec(auth);
  const given = m ? Buffer.from(m[1], "base64").toString("utf8") : "\u0000no credentials";
  return timingSafeEqual(sha256(given), expected) && m !== null;
}

/** Reads the body, at most `max` bytes (413 beyond, the rest not read). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(header(req, "content-length"));
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new Refused(413, `the body is ${declared} bytes, more than ${max}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > max) {
        done = true;
        req.pause();
        reject(new Refused(413, `the body is more than ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on("error", (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function checkOptions(o: CalloutListenerOptions): { expected?: Buffer; max: number; queueLimit: number } {
  if (typeof o !== "object" || o === null) throw new MambuTsError("listenForCallouts: give options ({ port, username, password, onMessage })");
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) throw new MambuTsError("listenForCallouts: port must be an integer from 0 to 65535");
  if (o.path !== undefined && (typeof o.path !== "string" || !/^\/[\w./~-]*$/.test(o.path))) throw new MambuTsError('listenForCallouts: path must start with "/" and hold only letters, digits and . _ ~ - /');
  const max = o.maxBodyBytes ?? DEFAULT_CALLOUT_MAX_BYTES;
  if (!Number.isInteger(max) || max < 1 || max > MAX_CALLOUT_MAX_BYTES) throw new MambuTsError(`listenForCallouts: maxBodyBytes must be an integer from 1 to ${MAX_CALLOUT_MAX_BYTES}`);
  const queueLimit = o.queueLimit ?? DEFAULT_CALLOUT_QUEUE;
  if (!Number.isInteger(queueLimit) || queueLimit < 1) throw new MambuTsError("listenForCallouts: queueLimit must be a positive integer");
  if (o.onMessage !== undefined && typeof o.onMessage !== "function") throw new MambuTsError("listenForCallouts: onMessage must be a function");
  const password = isSecret(o.password) ? o.password.reveal() : o.password;
  if (o.username === undefined && password === undefined) {
    if (!o.allowUnauthenticated) {
      throw new MambuTsError("listenForCallouts: give the callout's Basic credentials (username and password, as configured in the Payment Gateway), or allowUnauthenticated: true");
    }
    return { max, queueLimit };
  }
  if (o.allowUnauthenticated) throw new MambuTsError("listenForCallouts: allowUnauthenticated with credentials makes no sense: give one or the other");
  if (typeof o.username !== "string" || o.username === "" || o.username.includes(":")) throw new MambuTsError('listenForCallouts: username must be a non-empty string without ":"');
  if (typeof password !== "string" || password === "") throw new MambuTsError("listenForCallouts: password must be a non-empty string or Secret");
  return { expected: sha256(`${o.username}:${password}`), max, queueLimit };
}

/**
 * Starts a receiver of the Payment Gateway's callouts (see the module's description for what each delivery is
 * answered). Resolves once it listens.
 * @throws MambuTsError for bad options (credentials missing, a port out of range); the listen error (port in use).
 */
export async function listenForCallouts(opts: CalloutListenerOptions): Promise<CalloutListener> {
  const { expected, max, queueLimit } = checkOptions(opts);
  const queue: CalloutMessage[] = [];
  const waiters: Array<(r: IteratorResult<CalloutMessage>) => void> = [];
  let closed = false;

  const deliver = async (m: CalloutMessage): Promise<void> => {
    if (opts.onMessage) {
      try {
        await opts.onMessage(m);
      } catch {
        throw new Refused(500, "the receiver's handler failed; send it again later");
      }
      return;
    }
    const w = waiters.shift();
    if (w) w({ value: m, done: false });
    else if (queue.length >= queueLimit) throw new Refused(503, `${queueLimit} messages wait to be read; send it again later`, { "Retry-After": "5" });
    else queue.push(m);
  };

  const handle = async (req: IncomingMessage): Promise<void> => {
    if (req.method !== "POST") throw new Refused(405, "only POST is accepted", { Allow: "POST" });
    const path = (req.url ?? "/").split("?")[0];
    if (opts.path !== undefined && path !== opts.path) throw new Refused(404, `nothing at ${path.slice(0, 100)}`);
    if (expected && !authorized(req, expected)) throw new Refused(401, "the Basic credentials are missing or wrong", { "WWW-Authenticate": 'Basic realm="mambu-callouts", charset="UTF-8"' });
    const ct = header(req, "content-type") ?? "";
    if (!/^application\/xml\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i.test(ct.trim())) throw new Refused(415, `Content-Type must be application/xml, got ${JSON.stringify(ct.slice(0, 60))}`);
    const messageType = header(req, "message-type");
    if (!messageType) throw new Refused(400, "the Message-Type header is missing");
    if (!calloutKind(messageType)) throw new Refused(400, `Message-Type ${JSON.stringify(messageType.slice(0, 80))} is not read here (pacs.008, camt.056 or pacs.002 under ${ISO20022_URN})`);
    const messageId = header(req, "message-id");
    if (!messageId) throw new Refused(400, "the Message-Id header is missing");
    if (messageId.length > 35) throw new Refused(400, "the Message-Id header is longer than 35 characters");
    const bytes = await readBody(req, max);
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      throw new Refused(400, "the body is not UTF-8");
    }
    const decl = /^\uFEFF?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(text);
    if (decl && !/^utf-?8$/i.test(decl[1])) throw new Refused(400, `the document declares encoding ${decl[1].slice(0, 20)}: only UTF-8 is read`);
    let message: CalloutMessage;
    try {
      message = parseCalloutMessage(text.replace(/^\uFEFF/, ""), messageType);
    } catch (e) {
      if (e instanceof Iso20022Error) throw new Refused(400, e.message);
      throw new Refused(400, "the body cannot be read as XML");
    }
    if (message.messageId !== messageId) throw new Refused(400, `the Message-Id header (${messageId}) is not the message's id (${message.messageId})`);
    await deliver(message);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req).then(
      () => {
        // once closing, the answer closes its connection: close() then does not wait on the sender's keep-alive
        res.writeHead(200, { "Content-Length": "0", ...(closed ? { Connection: "close" } : {}) });
        res.end();
      },
      (e: unknown) => {
        const r = e instanceof Refused ? e : new Refused(500, "the receiver failed");
        const id = header(req, "message-id");
        try {
          opts.onRejected?.({ status: r.status, reason: r.message, ...(id && id.length <= 35 ? { messageId: id } : {}) });
        } catch {
          /* a reporter's failure changes nothing */
        }
        const body = JSON.stringify({ status: r.status, error: r.message });
        res.writeHead(r.status, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), ...(r.status === 413 || closed ? { Connection: "close" } : {}), ...r.headers });
        res.end(body);
      },
    );
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.maxConnections = 256;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const w of waiters.splice(0)) w({ value: undefined, done: true });
    // Deliveries under way are answered first (a message handed over is acknowledged), for up to 5 s.
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  };
  if (opts.signal) {
    if (opts.signal.aborted) await close();
    else opts.signal.addEventListener("abort", () => void close(), { once: true });
  }

  return {
    url: `http://${host}:${addr.port}${opts.path ?? "/"}`,
    port: addr.port,
    close,
    [Symbol.asyncIterator](): AsyncIterator<CalloutMessage> {
      if (opts.onMessage) throw new MambuTsError("listenForCallouts: messages go to onMessage; iterate a listener started without one");
      return {
        next: () => {
          const m = queue.shift();
          if (m) return Promise.resolve({ value: m, done: false });
          if (closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => waiters.push(resolve));
        },
        return: async () => {
          await close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
