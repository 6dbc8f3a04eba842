/**
 * The Payments API's request pipeline (`/api/v1/...`, on the sandbox's port; app.ts hands every such request
 * here before API v2's `/api`): authentication by `apikey` only (the sandbox's API keys: its API users' and its
 * API consumers' live keys — never Basic), the `X-Sandbox-Fault` header (for a caller that authenticates), the
 * `Accept` header (JSON), the body (JSON checked against the contract, or XML text for `/payments/incoming`),
 * routing on the gateway's own router (./routes.ts), `X-Request-ID` on the operations whose contract declares it
 * (the four initiations, decision D31: 400 FORMAT_ERROR on path `X-Request-ID` without it), `Idempotency-Key`
 * replay (per caller: the same key and body get the same answer again, marked `Idempotency-Replayed: true` — a
 * success from the sandbox's cache, and a failure the request caused, 4xx other than 401/403/408/429, from the
 * gateway's own {@link FailureCache}, decision D33; the same key with another body is 422 FORMAT_ERROR on path
 * `Idempotency-Key`, never a second execution), errors as `TppMessagesResponse`
 * (./tpp.ts) and, with response checking on, every answer checked against payments-v1.json (a mismatch becomes a
 * 500 SERVICE_INVALID naming it). Answers are `application/json`.
 */
import type { URL } from "node:url";
import { authenticate, SandboxUser } from "../auth";
import { decodeUtf8, parseJsonBody } from "../body";
import type { FaultDecision, FaultInjector } from "../faults";
import { checkIdempotencyKey, IdempotencyCache, requestFingerprint } from "../idempotency";
import { headerValue, parseQuery } from "../request";
import { mismatchMessage, responseProblems } from "../response-check";
import { AuthUser, Router, RouteRequest, RouteResponse, SandboxContext } from "../router";
import { SandboxError } from "../types";
import { mambuError } from "../errors";
import { checkPaymentsBody, findPaymentsOperation, PAYMENTS_BASE } from "./contract";
import { registerPaymentsRoutes } from "./routes";
import { TppError, tppError, tppFromSandboxError } from "./tpp";

/** What the gateway needs of the sandbox app (SandboxApp has all of it). */
export interface GatewayHost {
  readonly ctx: SandboxContext;
  readonly users: SandboxUser[];
  readonly faults: FaultInjector;
  readonly idempotency: IdempotencyCache;
  readonly checkResponses: boolean;
}

/** A request as read from the socket (app.ts `RawRequest`). */
export interface GatewayRawRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The gateway's answer, serialised (app.ts `AppResult`). */
export interface GatewayResult {
  response: RouteResponse & { raw: Buffer };
  fault: FaultDecision;
}

/** Whether a path (no query) is the Payments API's: `/api/v1` or below. */
export function isPaymentsPath(full: string): boolean {
  return full === PAYMENTS_BASE || full.startsWith(`${PAYMENTS_BASE}/`);
}

/** Whether an Accept header takes JSON: `application/json`, `*\/*`, `application/*` or none. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") return true;
  return accept.split(",").some((part) => {
    const t = part.split(";")[0].trim().toLowerCase();
    return t === "*/*" || t === "application/*" || t === "application/json";
  });
}

/** The media type of a Content-Type header, lower case, without parameters ("" when absent). */
function mediaType(ctype: string | undefined): string {
  return (ctype ?? "").split(";")[0].trim().toLowerCase();
}

/** Whether a media type is XML (`application/xml`, `text/xml`). */
export function isXmlMedia(t: string): boolean {
  return t === "application/xml" || t === "text/xml";
}

function tppResponse(e: TppError): RouteResponse {
  return { status: e.status, body: e.toBody() };
}

function serialise(r: RouteResponse): RouteResponse & { raw: Buffer } {
  if (r.raw) return r as RouteResponse & { raw: Buffer };
  const raw = r.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(r.body), "utf8");
  const headers = { ...(r.headers ?? {}) };
  if (r.body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
  return { status: r.status, headers, raw };
}

function asTpp(e: unknown): TppError {
  if (e instanceof TppError) return e;
  if (e instanceof SandboxError) return tppFromSandboxError(e);
  return tppError("SERVICE_INVALID", (e as Error)?.message ?? String(e), undefined, 500);
}

/** Most failures remembered per gateway (the oldest is forgotten first). */
export const MAX_REMEMBERED_FAILURES = 10_000;

/** Whether a failure answer is the request's own doing, and so replayed for its Idempotency-Key (D33). */
export function isReplayedFailure(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408 && status !== 429;
}

/**
 * The failures answered to requests with an Idempotency-Key (D33), by caller and key, each with the fingerprint of
 * its request: the sandbox's IdempotencyCache keeps successes only (API v2's rule), the Payments API keeps the
 * first answer, so that a PAYMENT_FAILED retried with its key is not processed again. Bounded.
 */
export class FailureCache {
  private readonly entries = new Map<string, { fingerprint: string; describe: string; response: RouteResponse & { raw: Buffer } }>();

  constructor(private readonly maxEntries = MAX_REMEMBERED_FAILURES) {}

  private static id(user: string, key: string): string {
    return `${user}\n${key.toLowerCase()}`;
  }

  /** The remembered failure of this caller and key, or undefined. */
  get(user: string, key: string): { fingerprint: string; describe: string; response: RouteResponse & { raw: Buffer } } | undefined {
    return this.entries.get(FailureCache.id(user, key));
  }

  /** Remembers a failure (the first one only). */
  remember(user: string, key: string, fingerprint: string, describe: string, response: RouteResponse & { raw: Buffer }): void {
    const id = FailureCache.id(user, key);
    if (this.entries.has(id)) return;
    this.entries.set(id, { fingerprint, describe, response });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function replayed(r: RouteResponse & { raw: Buffer }): RouteResponse & { raw: Buffer } {
  return { ...r, headers: { ...(r.headers ?? {}), "Idempotency-Replayed": "true" } };
}

/** The Payments API of one sandbox: its router and its pipeline. */
export class PaymentsGateway {
  /** The gateway's routes (paths relative to `/api/v1`). */
  readonly router = new Router();
  /** Failures replayed for their Idempotency-Key (D33). */
  readonly failures = new FailureCache();

  constructor(private readonly host: GatewayHost) {
    registerPaymentsRoutes(this.router);
  }

  /** Serves one request whose path is under `/api/v1` (see {@link isPaymentsPath}). */
  async handle(raw: GatewayRawRequest, method: string, url: URL): Promise<GatewayResult> {
    const full = url.pathname;
    const path = full === PAYMENTS_BASE ? "/" : full.slice(PAYMENTS_BASE.length);
    let auth: AuthUser | TppError;
    try {
      if (headerValue(raw.headers, "apikey") === undefined) throw tppError("SERVICE_INVALID", "the Payments API authenticates by the apikey header only", undefined, 401);
      auth = authenticate(this.host.users, raw.headers, this.host.ctx);
    } catch (e) {
      auth = asTpp(e);
    }
    let fault: FaultDecision;
    try {
      fault = this.host.faults.decide(method, full, auth instanceof TppError ? undefined : headerValue(raw.headers, "x-sandbox-fault"));
    } catch (e) {
      return { response: serialise(tppResponse(tppError("FORMAT_ERROR", (e as Error).message, "X-Sandbox-Fault"))), fault: { latencyMs: 0 } };
    }
    if (fault.drop === "before") return { response: serialise({ status: 0 }), fault };
    if (fault.status) {
      const headers: Record<string, string> = {};
      if (fault.status === 429) headers["Retry-After"] = String(fault.retryAfterSeconds ?? 1);
      // 503 has no body in the contract; other injected statuses answer a TPP message.
      const body = fault.status === 503 ? undefined : tppError("SERVICE_INVALID", `injected ${fault.status} by the sandbox`, undefined, fault.status).toBody();
      return { response: serialise({ status: fault.status, ...(body ? { body } : {}), headers }), fault };
    }
    const answer = await this.process(raw, method, url, path, auth);
    return { response: serialise(this.checked(method, path, answer)), fault };
  }

  /** With response checking on: an answer that does not match its operation's response schema becomes a 500. */
  private checked(method: string, path: string, r: RouteResponse): RouteResponse {
    if (!this.host.checkResponses || r.raw !== undefined) return r;
    const problems = responseProblems(method, path, r.status, r.body, "payments");
    if (!problems.length) return r;
    return tppResponse(tppError("SERVICE_INVALID", mismatchMessage(method, `${PAYMENTS_BASE}${path}`, r.status, problems), undefined, 500));
  }

  private async process(raw: GatewayRawRequest, method: string, url: URL, path: string, auth: AuthUser | TppError): Promise<RouteResponse> {
    try {
      if (auth instanceof TppError) throw auth;
      if (!acceptsJson(headerValue(raw.headers, "accept"))) {
        throw tppError("SERVICE_INVALID", `Accept header must be application/json (the Payments API under ${PAYMENTS_BASE})`, undefined, 406);
      }
      const match = this.router.match(method, path);
      if (match.kind === "none") throw tppError("RESOURCE_UNKNOWN", `${method} ${PAYMENTS_BASE}${path}: no such operation`, undefined, 404);
      if (match.kind === "method") {
        const e = tppError("SERVICE_INVALID", `${method} is not supported on ${PAYMENTS_BASE}${path}; allowed: ${match.allowed.join(", ")}`, undefined, 405);
        return { ...tppResponse(e), headers: { Allow: match.allowed.join(", ") } };
      }
      const req: RouteRequest = { method, path, params: match.params, query: parseQuery(url.search), headers: raw.headers, body: undefined, user: auth };
      const op = findPaymentsOperation(method, path);
      const xmlOp = op?.op.consumes?.some((c) => isXmlMedia(c)) === true;
      const ctype = mediaType(headerValue(raw.headers, "content-type"));
      if (raw.body.length > 0 || ctype !== "") {
        if (xmlOp) {
          if (!isXmlMedia(ctype)) throw tppError("SERVICE_INVALID", `Content-Type must be application/xml, got ${ctype.slice(0, 60) || "none"}`, undefined, 415);
          req.text = decodeUtf8(raw.body, "XML document", () => mambuError("INVALID_JSON_SYNTAX", "the XML document is not valid UTF-8"));
        } else if (raw.body.length > 0) {
          if (ctype !== "application/json") throw tppError("SERVICE_INVALID", `Content-Type must be application/json, got ${ctype.slice(0, 60) || "none"}`, undefined, 415);
          req.body = parseJsonBody(raw.body, this.host.ctx.limits?.maxJsonDepth);
        }
      }
      if (!xmlOp) req.body = checkPaymentsBody(method, path, req.body);
      const requestId = headerValue(raw.headers, "x-request-id");
      if (op?.op.headers.includes("X-Request-ID") && (requestId === undefined || requestId.trim() === "")) {
        throw tppError("FORMAT_ERROR", `the X-Request-ID header is required on ${method} ${PAYMENTS_BASE}${op.op.path} (an id of the request, e.g. a v4 UUID)`, "X-Request-ID");
      }
      const run = async (): Promise<RouteResponse> => {
        try {
          return await match.route.handler(this.host.ctx, req);
        } catch (e) {
          return tppResponse(asTpp(e));
        }
      };
      const key = headerValue(raw.headers, "idempotency-key");
      if (key !== undefined && method !== "GET" && method !== "HEAD") {
        try {
          checkIdempotencyKey(key);
        } catch {
          throw tppError("FORMAT_ERROR", `Idempotency-Key must be a v4 UUID, got "${key.slice(0, 64)}"`, "Idempotency-Key");
        }
        const request = { fingerprint: `${PAYMENTS_BASE} ${requestFingerprint(req)}`, describe: `${method} ${PAYMENTS_BASE}${path}` };
        const failed = (): RouteResponse | undefined => {
          const f = this.failures.get(auth.username, key);
          if (!f) return undefined;
          if (f.fingerprint !== request.fingerprint) {
            throw tppError("FORMAT_ERROR", `Idempotency-Key ${key} was already used for another request (first used for ${f.describe}); use a new key for a new request`, "Idempotency-Key", 422);
          }
          return replayed(f.response);
        };
        const before = failed();
        if (before) return before;
        try {
          return await this.host.idempotency.run(auth.username, key, request, async () => {
            // A duplicate that waited for its first attempt, which failed meanwhile, gets that failure.
            const meanwhile = failed();
            if (meanwhile) return meanwhile;
            const answer = serialise(await run());
            if (isReplayedFailure(answer.status)) this.failures.remember(auth.username, key, request.fingerprint, request.describe, answer);
            return answer;
          });
        } catch (e) {
          if (e instanceof SandboxError && e.status === 422) throw new TppError(422, [{ category: "ERROR", code: "FORMAT_ERROR", path: "Idempotency-Key", text: e.errorSource ?? e.errorReason }]);
          throw e;
        }
      }
      return await run();
    } catch (e) {
      return tppResponse(asTpp(e));
    }
  }
}
