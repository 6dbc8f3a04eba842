/**
 * The request pipeline of the sandbox, independent of the socket: base path `/api`, injected faults (the
 * `X-Sandbox-Fault` header only for a caller that authenticates), authentication, the `Accept` header, query and
 * body parsing (strict UTF-8, bounded nesting, no `"__proto__"` keys: see body.ts), routing (engine routes first),
 * idempotency (per API user, per request: see idempotency.ts), handlers and Mambu-style errors. `dispatch` runs a
 * handler directly (no auth, faults or idempotency) for seed actions.
 *
 * Accept header: `application/vnd.mambu.v2+json` (or any `application/vnd.mambu.v2+...`, e.g. `+file` for
 * downloads), `*\/*`, `application/*` or no header are served as API v2. Anything else — e.g.
 * `application/json` or `application/vnd.mambu.v1+json`, which a real tenant would answer with API v1 — is
 * rejected with 400 INVALID_API_OPERATION so that a client missing the v2 header notices here.
 */
import { URL } from "node:url";
import { authenticateRequest, SandboxUser } from "./auth";
import { decodeUtf8, parseJsonBody } from "./body";
import { validateOperationBody } from "./contract";
import { registerCommentRoutes } from "./comments";
import { registerConfigurationRoutes } from "./configuration/routes";
import { registerCrudRoutes } from "./crud";
import { isPaymentsPath, PaymentsGateway } from "./payments/gateway";
import { runDuePayments } from "./payments/schedule";
import { registerTenantPlatformRoutes } from "./platform/routes";
import { followIndexRates } from "./reference/index-repricing";
import { registerReferenceRoutes } from "./reference/routes";
import { SERVICES_BASE } from "./services/contract";
import { exactBodyOf, keepExactBody, parseJsonExact, plainNumbers, stringifyJsonExact } from "./services/exact-json";
import { registerServicesRoutes } from "./services/routes";
import { parseMultipart, registerDocumentRoutes } from "./documents";
import { loadEngine } from "./engine-bridge";
import { errorBody, mambuError } from "./errors";
import { FaultDecision, FaultInjector, faultBody } from "./faults";
import { checkIdempotencyKey, IdempotencyCache, requestFingerprint } from "./idempotency";
import { DEFAULT_JOB_ROWS_PER_STEP, JobKind, JobStepper, runJobStep } from "./jobs";
import { stepBulk } from "./engine/deposit-bulk";
import { stepDataImport } from "./platform/data-import-run";
import { ResolvedLimits, resolveLimits } from "./limits";
import { headerValue, parseQuery } from "./request";
import { parseRequestTarget, RequestTarget } from "./request-target";
import { checkResponsesByDefault, mismatchMessage, responseProblems } from "./response-check";
import { AuthUser, Router, RouteHandler, RouteRequest, RouteResponse, SandboxContext, V2_JSON } from "./router";
import { SandboxError } from "./types";

/** A request as read from the socket. */
export interface RawRequest {
  method: string;
  /** Path and query string, e.g. `/api/clients?limit=5`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The pipeline's answer: a response (body already serialised) and what the socket layer must do. */
export interface AppResult {
  response: RouteResponse & { raw: Buffer };
  fault: FaultDecision;
}

/** Query parameters whose repeats are joined with "," (Swagger `multi`). */
const MULTI = new Set(["availableFor"]);

/** Whether an Accept header asks for something the sandbox serves as API v2. */
/** Whether a Content-Type names a YAML body (the `configuration/*.yaml` endpoints take `application/yaml`). */
export function isYaml(contentType: string): boolean {
  const t = contentType.split(";")[0].trim().toLowerCase();
  return t === "application/yaml" || t === "text/yaml" || t === "application/x-yaml";
}

/** Whether an Accept header asks for JSON, as the Services API (`/v1`) answers: `application/json`, `*\/*`, `application/*` or none. */
export function acceptableJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") return true;
  return accept.split(",").some((part) => {
    const t = part.split(";")[0].trim().toLowerCase();
    return t === "*/*" || t === "application/*" || t === "application/json";
  });
}

/** Where a request path goes: API v2 (`/api/...`), the Services API (`/v1/...`) or neither; `path` without the base. */
interface Target {
  api: "v2" | "services";
  path: string;
}

/** The Accept header clients of API v2 send (accepted as is). */
const V2_ACCEPT = "application/vnd.mambu.v2+json";

function targetOf(full: string): Target | undefined {
  if (full === "/api" || full.startsWith("/api/")) return { api: "v2", path: full === "/api" ? "/" : full.slice(4) };
  if (full === SERVICES_BASE || full.startsWith(`${SERVICES_BASE}/`)) {
    return { api: "services", path: full === SERVICES_BASE ? "/" : full.slice(SERVICES_BASE.length) };
  }
  return undefined;
}

/** Whether an Accept header admits API v2's answers: `application/vnd.mambu.v2+...`, `*\/*`, `application/*` or none. */
export function acceptable(accept: string | undefined): boolean {
  if (accept === undefined || accept === V2_ACCEPT) return true; // the common header: nothing to split
  if (accept.trim() === "") return true;
  return accept.split(",").some((part) => {
    const t = part.split(";")[0].trim().toLowerCase();
    return t === "*/*" || t === "application/*" || t.startsWith("application/vnd.mambu.v2+");
  });
}

function errorResponse(e: SandboxError): RouteResponse {
  return { status: e.status, body: errorBody(e) };
}

function serialise(r: RouteResponse): RouteResponse & { raw: Buffer } {
  if (r.rawParts || r.raw) return r as RouteResponse & { raw: Buffer }; // (`raw` of pieces is joined only when read)
  const raw = r.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(r.body), "utf8");
  if (r.headers === undefined) {
    // the common case (no headers of the handler's own): no copy, no scan
    return { status: r.status, headers: r.body === undefined ? {} : { "Content-Type": V2_JSON }, raw };
  }
  const headers = { ...r.headers };
  if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["Content-Type"] = V2_JSON;
  }
  return { status: r.status, headers, raw };
}

/**
 * A Services API answer with a body says `application/json` (API v2's say the vendor type: {@link serialise}) and
 * writes each exact number (a rate sent with more digits than a double holds) as its number text.
 */
function jsonTyped(api: "v2" | "services", r: RouteResponse): RouteResponse {
  if (api !== "services" || r.body === undefined || r.raw !== undefined) return r;
  const raw = Buffer.from(stringifyJsonExact(r.body) ?? "", "utf8");
  return { ...r, raw, headers: { ...(r.headers ?? {}), "Content-Type": "application/json;charset=UTF-8" } };
}

/** The sandbox's request pipeline. */
export class SandboxApp {
  readonly router = new Router();
  /** The Services API's routes (served under `/v1`: services/routes.ts). */
  readonly servicesRouter = new Router();
  /** The Payments API (served under `/api/v1`, before API v2's `/api`: payments/gateway.ts). */
  readonly payments: PaymentsGateway;
  readonly idempotency: IdempotencyCache;
  /** The input limits in force (also `ctx.limits`). */
  readonly limits: ResolvedLimits;
  /** Requests received (including rejected and faulted ones). */
  requests = 0;
  /** Whether answers are checked against the contract's response schemas (see response-check.ts). */
  checkResponses = checkResponsesByDefault();
  /** Rows of background work (bulks, data imports: see jobs.ts) done before each request. */
  jobRowsPerStep = DEFAULT_JOB_ROWS_PER_STEP;
  private readonly steppers: Record<JobKind, JobStepper> = {
    bulk: (c, key, budget) => stepBulk(c, key, budget),
    dataimport: (c, key, budget) => stepDataImport(c, this.router, key, budget),
  };

  constructor(
    readonly ctx: SandboxContext,
    readonly users: SandboxUser[],
    readonly faults: FaultInjector,
    limits?: ResolvedLimits,
  ) {
    this.limits = limits ?? resolveLimits();
    ctx.limits = this.limits;
    this.idempotency = new IdempotencyCache(this.limits.maxIdempotencyKeys);
    const engine = loadEngine();
    for (const r of engine?.engineRoutes ?? []) {
      this.router.add(r.method, r.template, (c, req) => {
        validateOperationBody(req.method, req.path, req.body, c.clock.offset);
        const out = r.handle(c, { params: req.params, query: req.query, body: req.body });
        return { status: out.status, body: out.body, headers: out.headers };
      });
    }
    registerCrudRoutes(this.router);
    registerDocumentRoutes(this.router);
    registerCommentRoutes(this.router);
    registerReferenceRoutes(this.router);
    registerConfigurationRoutes(this.router);
    registerTenantPlatformRoutes(this.router);
    registerServicesRoutes(this.servicesRouter);
    this.payments = new PaymentsGateway(this);
  }

  /** Runs a request through the whole pipeline. */
  async handle(raw: RawRequest): Promise<AppResult> {
    this.requests++;
    this.ctx.store.answers.verify = this.checkResponses; // the tests' check also checks every cached answer
    runJobStep(this.ctx, this.steppers, this.jobRowsPerStep); // one step of background work, synchronously
    const method = raw.method.toUpperCase();
    let url: RequestTarget;
    try {
      url = parseRequestTarget(raw.url);
    } catch {
      return { response: serialise(errorResponse(mambuError("INVALID_API_OPERATION", "malformed URL"))), fault: { latencyMs: 0 } };
    }
    const full = url.pathname;
    if (isPaymentsPath(full)) return this.payments.handle(raw, method, new URL(raw.url, "http://sandbox.invalid")); // `/api/v1` before API v2's `/api`
    const target = targetOf(full);
    const path = target?.path;
    const api = target?.api ?? "v2";
    // Who calls: the X-Sandbox-Fault header is honoured only for a caller that authenticates.
    let auth: AuthUser | SandboxError;
    try {
      // The key rotation's own authentication is API v2's only (never a /v1 path).
      auth = authenticateRequest(this.users, raw.headers, this.ctx, method, api === "v2" ? path : undefined);
    } catch (e) {
      if (!(e instanceof SandboxError)) throw e;
      auth = e;
    }
    let fault: FaultDecision;
    try {
      const header = auth instanceof SandboxError ? undefined : headerValue(raw.headers, "x-sandbox-fault");
      fault = this.faults.decide(method, api === "v2" ? (path ?? full) : full, header);
    } catch (e) {
      return { response: serialise(errorResponse(mambuError("INVALID_PARAMETERS", (e as Error).message))), fault: { latencyMs: 0 } };
    }
    if (fault.drop === "before") return { response: serialise({ status: 0 }), fault };
    if (fault.status) {
      const headers: Record<string, string> = {};
      if (fault.status === 429) headers["Retry-After"] = String(fault.retryAfterSeconds ?? 1);
      return { response: serialise({ status: fault.status, body: faultBody(fault.status), headers }), fault };
    }
    const response = this.checked(api, method, path, await this.process(raw, method, url, path, auth, api));
    return { response: serialise(jsonTyped(api, response)), fault };
  }

  /** With {@link checkResponses}: an answer that does not match its operation's response schema becomes a 500. */
  private checked(api: "v2" | "services", method: string, path: string | undefined, response: RouteResponse): RouteResponse {
    if (!this.checkResponses || path === undefined || (response.raw !== undefined && !response.json)) return response;
    const body = response.body; // of a `json` answer: read from `raw`, what is sent
    const problems = responseProblems(method, path, response.status, api === "v2" ? body : plainNumbers(body), api);
    if (!problems.length) return response;
    const shown = api === "v2" ? path : `${SERVICES_BASE}${path}`;
    return errorResponse(mambuError("INTERNAL_ERROR", mismatchMessage(method, shown, response.status, problems)));
  }

  private async process(
    raw: RawRequest,
    method: string,
    url: RequestTarget,
    path: string | undefined,
    auth: AuthUser | SandboxError,
    api: "v2" | "services" = "v2",
  ): Promise<RouteResponse> {
    try {
      if (auth instanceof SandboxError) throw auth;
      const user = auth;
      if (path === undefined) {
        throw mambuError("INVALID_API_OPERATION", `no API at ${url.pathname}; API v2 lives under /api, the Services API under ${SERVICES_BASE}`);
      }
      if (api === "services") {
        if (!acceptableJson(headerValue(raw.headers, "accept"))) {
          throw mambuError("INVALID_API_OPERATION", `Accept header must be application/json (the Services API under ${SERVICES_BASE})`, 400);
        }
      } else if (!acceptable(headerValue(raw.headers, "accept"))) {
        throw mambuError("INVALID_API_OPERATION", "Accept header must be application/vnd.mambu.v2+json", 400);
      }
      const query = parseQuery(url.search, api === "v2" ? MULTI : undefined);
      const match = (api === "v2" ? this.router : this.servicesRouter).match(method, path);
      if (match.kind === "none") throw mambuError("INVALID_API_OPERATION", `${method} ${api === "v2" ? "" : SERVICES_BASE}${path}`);
      if (match.kind === "method") {
        const e = mambuError("METHOD_NOT_IMPLEMENTED", `${method} ${path}; allowed: ${match.allowed.join(", ")}`);
        return { ...errorResponse(e), headers: { Allow: match.allowed.join(", ") } };
      }
      const req: RouteRequest = { method, path, params: match.params, query, headers: raw.headers, body: undefined, user };
      const ctype = headerValue(raw.headers, "content-type") ?? "";
      if (ctype.toLowerCase().startsWith("multipart/form-data")) {
        req.multipart = parseMultipart(raw.body, ctype);
      } else if (isYaml(ctype)) {
        req.text = decodeUtf8(raw.body);
      } else {
        req.body = parseJsonBody(raw.body, this.limits.maxJsonDepth);
        // Services rates are Float(64): keep every digit sent beside the plain body (services/exact-json.ts)
        if (api === "services" && req.body !== null && typeof req.body === "object") {
          keepExactBody(req.body, parseJsonExact(decodeUtf8(raw.body), this.limits.maxJsonDepth));
        }
      }
      const run = async (): Promise<RouteResponse> => this.invoke(match.route.handler, req, api);
      const key = headerValue(raw.headers, "idempotency-key");
      if (key !== undefined && method !== "GET" && method !== "HEAD") {
        checkIdempotencyKey(key);
        const fingerprint = requestFingerprint(api === "v2" ? req : { ...req, body: exactBodyOf(req.body) });
        const request = { fingerprint: api === "v2" ? fingerprint : `${SERVICES_BASE} ${fingerprint}`, describe: `${method} ${api === "v2" ? "" : SERVICES_BASE}${path}` };
        return await this.idempotency.run(user.username, key, request, async () => serialise(jsonTyped(api, await run())));
      }
      return await run();
    } catch (e) {
      if (e instanceof SandboxError) return errorResponse(e);
      return errorResponse(mambuError("INTERNAL_ERROR", (e as Error)?.message ?? String(e)));
    }
  }

  private async invoke(handler: RouteHandler, req: RouteRequest, api: "v2" | "services" = "v2"): Promise<RouteResponse> {
    try {
      if (api === "services") return await handler(this.ctx, req);
      if (req.path.startsWith("/loans")) {
        followIndexRates(this.ctx); // indexed loans follow the index rates that came into force (reference/index-repricing.ts)
        loadEngine()?.refreshArrears(this.ctx);
      }
      if (req.path.startsWith("/deposits")) loadEngine()?.matureDueDeposits(this.ctx);
      if (/^\/(deposits|crons)([/:]|$)/.test(req.path)) runDuePayments(this.ctx); // collections, standing orders (payments/schedule.ts)
      if (/^\/(cards|deposits|loans)([/:]|$)/.test(req.path)) loadEngine()?.expireAuthorizationHolds(this.ctx);
      return await handler(this.ctx, req);
    } catch (e) {
      if (e instanceof SandboxError) return errorResponse(e);
      return errorResponse(mambuError("INTERNAL_ERROR", (e as Error)?.message ?? String(e)));
    }
  }

  /**
   * Runs a route directly as the given method and path (no `/api`, optional query string): no authentication,
   * faults or idempotency. Used by seed actions; errors come back as Mambu error responses.
   */
  async dispatch(method: string, pathAndQuery: string, body?: unknown): Promise<RouteResponse> {
    const url = new URL(pathAndQuery, "http://sandbox.invalid");
    const match = this.router.match(method, url.pathname);
    if (match.kind !== "route") return errorResponse(mambuError("INVALID_API_OPERATION", `${method} ${url.pathname}`));
    const query = parseQuery(url.search);
    const req: RouteRequest = {
      method: method.toUpperCase(), path: url.pathname, params: match.params, query, headers: {}, body,
    };
    return this.invoke(match.route.handler, req);
  }
}

