/**
 * Route table of the sandbox: Swagger-style templates (`/clients/{clientId}`, `/loans/{loanAccountId}:changeState`,
 * `/clients:search`) matched against percent-encoded request paths; path parameters come out decoded.
 * Literal segments beat parameters ("/loans/transactions/{id}" wins over "/loans/{loanAccountId}/..."); on a tie,
 * the route registered first wins (the engine's routes are registered before the generic ones).
 * A path parameter that is not valid percent-encoded UTF-8 is a 400. Objects keyed by request input (params,
 * query, multipart fields) have no prototype.
 */
import { compareSpecificity, compilePathTemplate } from "../contract/path-template";
import { invalidParameters } from "./errors";
import type { ResolvedLimits } from "./limits";
import { nullProto } from "./safe-keys";
import type { SandboxClockLike } from "./types";
import type { SandboxStore } from "./store";

/** A parsed multipart/form-data body (both maps without prototype). */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, { filename: string; contentType: string; data: Buffer }>;
}

/** The authenticated caller. */
export interface AuthUser {
  username: string;
}

/** What a route handler receives. */
export interface RouteRequest {
  method: string;
  /** Path without the `/api` base and without the query string, still percent-encoded. */
  path: string;
  params: Record<string, string>;
  /** Query parameters (last value wins; no prototype); repeated `availableFor` is joined with "," (Swagger `multi`). */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when there was none, or for a YAML body; never with a `"__proto__"` key). */
  body: unknown;
  /** The body's text when it was sent as YAML (`Content-Type: application/yaml`, `text/yaml`, `application/x-yaml`). */
  text?: string;
  multipart?: MultipartBody;
  user?: AuthUser;
}

/** What a route handler answers. `body` is sent as JSON unless `raw` is given. */
export interface RouteResponse {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** State shared by all handlers. */
export interface SandboxContext {
  store: SandboxStore;
  clock: SandboxClockLike;
  /** Input limits (defaults of limits.ts when absent). */
  limits?: ResolvedLimits;
}

/** A route handler. May throw SandboxError. */
export type RouteHandler = (ctx: SandboxContext, req: RouteRequest) => RouteResponse | Promise<RouteResponse>;

interface CompiledRoute {
  method: string;
  template: string;
  handler: RouteHandler;
  re: RegExp;
  names: string[];
  rank: number[];
  order: number;
}

/** The result of matching a path: a route with its params, or "method not allowed", or nothing. */
export type RouteMatch =
  | { kind: "route"; route: { method: string; template: string; handler: RouteHandler }; params: Record<string, string> }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw invalidParameters(`path parameter "${s.slice(0, 64)}" is not valid percent-encoded UTF-8`);
  }
}

/** Compiles Swagger templates and matches request paths against them. */
export class Router {
  private readonly routes: CompiledRoute[] = [];
  private sorted = true;

  /** Adds a route; a later route with the same method and template is ignored (first registration wins). */
  add(method: string, template: string, handler: RouteHandler): void {
    method = method.toUpperCase();
    if (this.routes.some((r) => r.method === method && r.template === template)) return;
    this.routes.push({ method, template, handler, ...compilePathTemplate(template), order: this.routes.length });
    this.sorted = false;
  }

  /** Whether a route exists for this method and template. */
  has(method: string, template: string): boolean {
    return this.routes.some((r) => r.method === method.toUpperCase() && r.template === template);
  }

  /** All routes as "METHOD template", in matching order. */
  list(): string[] {
    this.sort();
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }

  private sort(): void {
    if (this.sorted) return;
    this.routes.sort((a, b) => compareSpecificity(a, b) || b.rank.length - a.rank.length || a.order - b.order);
    this.sorted = true;
  }

  /** Matches a method and a percent-encoded path (without `/api`). */
  match(method: string, path: string): RouteMatch {
    this.sort();
    method = method.toUpperCase();
    if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
    const allowed: string[] = [];
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        if (!allowed.includes(r.method)) allowed.push(r.method);
        continue;
      }
      const params = nullProto<string>();
      r.names.forEach((n, i) => (params[n] = decode(m[i + 1])));
      return { kind: "route", route: r, params };
    }
    return allowed.length ? { kind: "method", allowed } : { kind: "none" };
  }
}
