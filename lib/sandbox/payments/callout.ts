/**
 * Outgoing ISO 20022 messages of the gateway (pacs.008 for a credit transfer, camt.056 to cancel one whose debit
 * was adjusted through API v2, pacs.002 for a rejected collection or received transfer): POSTed to the callout URL
 * configured for the sandbox (`startSandbox({ paymentsCallout: { url, username?, password? } })`, the
 * `mambu-sandbox --payments-callout <url>` flag, or `sandbox.paymentsCallout.set(...)`), as the seed's
 * "Outgoing messages" describe: `Content-Type: application/xml`, `Message-Type: urn:iso:std:iso:20022:tech:xsd:…`,
 * `Message-Id: <GrpHdr/MsgId>`, and with credentials `Authorization: BASIC base64(username:password)` (the seed's
 * example writes the scheme upper case; the contract's x-callouts pattern is `^BASIC `).
 *
 * Delivery is asynchronous and never blocks the request that caused it: each message is queued, sent with a
 * per-attempt timeout of {@link ATTEMPT_TIMEOUT_MS}, and retried on a network error or a non-2xx answer up to
 * `maxAttempts` times (default {@link DEFAULT_MAX_ATTEMPTS}) with a doubling delay from `retryDelayMs` (default
 * {@link DEFAULT_RETRY_DELAY_MS}); then it is FAILED. Without a configured URL messages stay PENDING (kept, not
 * sent). The outbox keeps the last {@link MAX_OUTBOX} messages per sandbox. The password never leaves the
 * Authorization header: not in errors, `lastError`, inspect output or JSON of the settings.
 */
import http from "node:http";
import https from "node:https";
import { URL } from "node:url";
import type { SandboxStore } from "../store";

/** The callout configuration (`startSandbox({ paymentsCallout })`). */
export interface PaymentsCalloutOptions {
  /** The http(s) URL the gateway POSTs its outgoing messages to (no credentials in it). */
  url: string;
  /** Basic credentials of the callout (both or neither). */
  username?: string;
  password?: string;
  /** Attempts per message, 1..20 (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry in ms, doubling each time, 0..60000 (default 200). */
  retryDelayMs?: number;
}

/** An outgoing message and its delivery. */
export interface OutgoingMessage {
  /** GrpHdr/MsgId (Assgnmt/Id of a camt.056), also the `Message-Id` header. */
  messageId: string;
  /** The `Message-Type` header, e.g. `urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02` or `...:camt.056.001.01`. */
  messageType: string;
  /** The payment (or collection) the message belongs to. */
  paymentId?: string;
  /** The XML document. */
  xml: string;
  /** PENDING (queued or no callout configured), DELIVERED (a 2xx answer), FAILED (attempts used up). */
  status: "PENDING" | "DELIVERED" | "FAILED";
  attempts: number;
  /** Why the last attempt failed (status code or network error; never a credential). */
  lastError?: string;
}

/** Default attempts per message. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default delay before the first retry (ms). */
export const DEFAULT_RETRY_DELAY_MS = 200;
/** Timeout of one delivery attempt (ms). */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** Messages kept per sandbox. */
export const MAX_OUTBOX = 1000;

interface Settings {
  url: URL;
  maxAttempts: number;
  retryDelayMs: number;
}

/** The Authorization header of each settings object, kept out of the object (never shown by inspect or JSON). */
const authorizations = new WeakMap<Settings, string>();

/** Checks callout options; throws an Error naming the field (never showing the password). */
export function checkCalloutOptions(o: PaymentsCalloutOptions): Settings {
  if (!o || typeof o !== "object") throw new Error("paymentsCallout: expected { url, username?, password? }");
  if (typeof o.url !== "string" || o.url.length > 2048) throw new Error("paymentsCallout.url: expected an http(s) URL");
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new Error("paymentsCallout.url: not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("paymentsCallout.url: expected http: or https:");
  if (url.username || url.password) throw new Error("paymentsCallout.url: give the credentials as username and password, not in the URL");
  if ((o.username === undefined) !== (o.password === undefined)) throw new Error("paymentsCallout: give username and password together");
  if (o.username !== undefined && (typeof o.username !== "string" || o.username === "" || o.username.includes(":"))) {
    throw new Error("paymentsCallout.username: a non-empty string without ':'");
  }
  if (o.password !== undefined && typeof o.password !== "string") throw new Error("paymentsCallout.password: a string");
  const maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) throw new Error("paymentsCallout.maxAttempts: an integer 1..20");
  const retryDelayMs = o.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  if (!Number.isInteger(retryDelayMs) || retryDelayMs < 0 || retryDelayMs > 60_000) throw new Error("paymentsCallout.retryDelayMs: an integer 0..60000");
  const settings: Settings = { url, maxAttempts, retryDelayMs };
  if (o.username !== undefined) authorizations.set(settings, `BASIC ${Buffer.from(`${o.username}:${o.password}`, "utf8").toString("base64")}`);
  return settings;
}

/** The outbox of one sandbox: its callout settings, its messages, their deliveries. */
export class Outbox {
  private settings?: Settings;
  private readonly messages: OutgoingMessage[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly requests = new Set<http.ClientRequest>();
  private closed = false;

  /** Sets (or with undefined, removes) the callout; PENDING messages are sent once a URL is set. */
  configure(o: PaymentsCalloutOptions | undefined): void {
    this.settings = o === undefined ? undefined : checkCalloutOptions(o);
    if (this.settings) for (const m of this.messages) if (m.status === "PENDING" && m.attempts === 0) this.start(m);
  }

  /** The callout URL in force (without credentials), or undefined. */
  get url(): string | undefined {
    return this.settings?.url.toString();
  }

  /** Queues a message for delivery; returns at once. */
  send(m: Omit<OutgoingMessage, "status" | "attempts" | "lastError">): OutgoingMessage {
    const msg: OutgoingMessage = { ...m, status: "PENDING", attempts: 0 };
    this.messages.push(msg);
    if (this.messages.length > MAX_OUTBOX) this.messages.splice(0, this.messages.length - MAX_OUTBOX);
    if (this.settings && !this.closed) this.start(msg);
    return msg;
  }

  /** Copies of the messages (oldest first). */
  list(): OutgoingMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  /** Resolves once no delivery is under way (every queued message DELIVERED or FAILED, or waiting for a URL). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops: pending retries are dropped, requests under way aborted. */
  close(): void {
    this.closed = true;
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve(); // the delivery sees `closed` and stops
    }
    this.timers.clear();
    for (const r of this.requests) r.destroy();
    this.requests.clear();
  }

  private start(m: OutgoingMessage): void {
    const p = this.deliver(m).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async deliver(m: OutgoingMessage): Promise<void> {
    const s = this.settings;
    if (!s) return;
    for (let attempt = 1; attempt <= s.maxAttempts && !this.closed; attempt++) {
      m.attempts = attempt;
      const error = await this.attempt(s, m);
      if (error === undefined) {
        m.status = "DELIVERED";
        delete m.lastError;
        return;
      }
      m.lastError = error;
      if (attempt < s.maxAttempts) await this.wait(s.retryDelayMs * 2 ** (attempt - 1));
    }
    if (!this.closed) m.status = "FAILED"; // a stopped sandbox leaves it PENDING
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  /** One POST; resolves to undefined on a 2xx answer, else to what went wrong (never a credential). */
  private attempt(s: Settings, m: OutgoingMessage): Promise<string | undefined> {
    return new Promise((resolve) => {
      const body = Buffer.from(m.xml, "utf8");
      const headers: Record<string, string> = {
        "Content-Type": "application/xml",
        "Message-Type": m.messageType,
        "Message-Id": m.messageId,
        "Content-Length": String(body.length),
      };
      const authorization = authorizations.get(s);
      if (authorization) headers.Authorization = authorization;
      const lib = s.url.protocol === "https:" ? https : http;
      let done = false;
      const finish = (r: string | undefined): void => {
        if (done) return;
        done = true;
        this.requests.delete(req);
        resolve(r);
      };
      const req = lib.request(s.url, { method: "POST", headers, timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
        res.resume(); // the answer's body is not read (bounded: discarded as it comes)
        res.on("end", () => finish(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300 ? undefined : `answered ${res.statusCode}`));
        res.on("error", () => finish("the answer broke off"));
      });
      this.requests.add(req);
      req.on("timeout", () => {
        req.destroy();
        finish(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`);
      });
      req.on("error", (e: NodeJS.ErrnoException) => finish(`network error ${e.code ?? "(unknown)"}`));
      req.end(body);
    });
  }
}

const outboxes = new WeakMap<SandboxStore, Outbox>();

/** The outbox of a sandbox (by its store), made on first use. */
export function outboxOf(store: SandboxStore): Outbox {
  let o = outboxes.get(store);
  if (!o) {
    o = new Outbox();
    outboxes.set(store, o);
  }
  return o;
}
