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

/** The Content-Type of an API v2 answer with a JSON body. */
export const V2_JSON = "application/vnd.mambu.v2+json;charset=UTF-8";

/** What a route handler answers. `body` is sent as JSON unless `raw` is given. */
export interface RouteResponse {
  status: number;
  body?: unknown;
  raw?: Buffer;
  /**
   * `raw` is the answer's JSON, already serialised (records.ts `pageAnswer`, `recordAnswer`), and `body` reads it
   * back (a getter: parsed when asked for): checked against the contract as any `body` is when answers are checked.
   * Its `headers` say its Content-Type.
   */
  json?: boolean;
  /**
   * `raw` as its pieces, in order (a large page: records.ts `pageAnswer`), with their total bytes in `rawLength`: the
   * socket writes the pieces one after the other instead of joining them (`raw` joins them when it is read).
   */
  rawParts?: readonly Buffer[];
  rawLength?: number;
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

/**
 * Routes grouped for matching, each group in matching order: a template's regular expression matches only paths
 * with as many segments as it has (a parameter never spans a "/"), and one whose first segment is literal only
 * paths starting with that segment. `byFirst`: "count/first segment" → the routes of that count with that literal
 * first segment or a parameter in it; `other`: count → the routes of that count with a parameter in their first
 * segment (all that a path whose first segment is no template's literal can match).
 */
interface Buckets {
  byFirst: Map<string, CompiledRoute[]>;
  other: Map<number, CompiledRoute[]>;
}

function bucketsOf(routes: CompiledRoute[]): Buckets {
  const shape = (r: CompiledRoute) => ({ n: r.rank.length, first: r.rank[0] === 2 ? r.template.split("/")[1] : undefined });
  const byFirst = new Map<string, CompiledRoute[]>();
  const other = new Map<number, CompiledRoute[]>();
  for (const r of routes) {
    const { n, first } = shape(r);
    if (first !== undefined) byFirst.set(`${n}/${first}`, []);
    else if (!other.has(n)) other.set(n, []);
  }
  for (const r of routes) {
    const { n, first } = shape(r);
    if (first !== undefined) byFirst.get(`${n}/${first}`)!.push(r);
    else {
      other.get(n)!.push(r);
      for (const [k, list] of byFirst) if (k.startsWith(`${n}/`)) list.push(r);
    }
  }
  return { byFirst, other };
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
    this.buckets = bucketsOf(this.routes);
    this.sorted = true;
  }

  /** The routes in matching order, by number of segments and literal first segment (see {@link bucketsOf}). */
  private buckets: Buckets = { byFirst: new Map(), other: new Map() };

  /** The routes that may match a path (all that can, in matching order): those of its segment count and first segment. */
  private candidates(path: string): readonly CompiledRoute[] {
    if (path.charCodeAt(0) !== 47) return this.routes; // "/"
    let n = 0;
    for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
    const slash = path.indexOf("/", 1);
    const first = slash < 0 ? path.slice(1) : path.slice(1, slash);
    return this.buckets.byFirst.get(`${n}/${first}`) ?? this.buckets.other.get(n) ?? [];
  }

  /** Matches a method and a percent-encoded path (without `/api`). */
  match(method: string, path: string): RouteMatch {
    this.sort();
    method = method.toUpperCase();
    if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
    const allowed: string[] = [];
    for (const r of this.candidates(path)) {
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
