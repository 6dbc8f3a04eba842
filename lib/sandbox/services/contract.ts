/**
 * The sandbox's use of the Services API's contract (lib/generated/services/schema.json, served under `/v1`): which
 * operation a concrete path names, request bodies checked against their definitions (400 INVALID_PARAMETERS naming
 * the first problem) and answers checked against the operation's response schema (see ../response-check.ts).
 */
import { compareSpecificity, compilePathTemplate, CompiledPathTemplate } from "../../contract/path-template";
import { OperationSpec, SERVICES, validateAgainst } from "../../contract/schema";
import { invalidParameters } from "../errors";

/** The Services API's base path. */
export const SERVICES_BASE = "/v1";

/** An operation of the Services API matched by a concrete path. */
export interface ServicesOperationMatch {
  resource: string;
  op: OperationSpec;
}

type Compiled = ServicesOperationMatch & CompiledPathTemplate;
let routes: Map<string, Compiled[]> | undefined;

function compile(): Map<string, Compiled[]> {
  const byMethod = new Map<string, Compiled[]>();
  for (const resource of Object.keys(SERVICES.resources).sort()) {
    for (const op of SERVICES.resources[resource].operations) {
      const list = byMethod.get(op.method) ?? [];
      list.push({ resource, op, ...compilePathTemplate(op.path) });
      byMethod.set(op.method, list);
    }
  }
  for (const list of byMethod.values()) list.sort((a, b) => compareSpecificity(a, b) || b.op.path.length - a.op.path.length);
  return byMethod;
}

/** The Services operation a method and a path (relative to `/v1`, percent-encoded, no query) name, or undefined. */
export function findServicesOperation(method: string, path: string): ServicesOperationMatch | undefined {
  routes ??= compile();
  const p = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const hit = (routes.get(method.toUpperCase()) ?? []).find((r) => r.re.test(p));
  return hit ? { resource: hit.resource, op: hit.op } : undefined;
}

/**
 * Checks a request body against a definition of a Services resource (readOnly fields not required, unknown
 * fields rejected: the contract is ours). Throws 400 INVALID_PARAMETERS naming the first problem.
 */
export function checkServicesBody(resource: string, definitionName: string, body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalidParameters(`body: expected a JSON object (${definitionName})`);
  }
  const problems = validateAgainst(resource, { type: "object", ref: definitionName }, body, { api: "services", request: true });
  if (problems.length) throw invalidParameters(problems[0]);
  return body as Record<string, unknown>;
}

/** The field names of a Services definition (what `order_by` and `filter` may name). */
export function servicesFields(resource: string, definitionName: string): Set<string> {
  return new Set(Object.keys(SERVICES.resources[resource].definitions[definitionName].fields));
}

/** Problems of an answer against its Services operation's response schema (empty: matches, or no such operation). */
export function servicesResponseProblems(method: string, path: string, status: number, body: unknown): string[] {
  const match = findServicesOperation(method, path);
  if (!match) return [];
  const responses = match.op.responses;
  if (!Object.prototype.hasOwnProperty.call(responses, String(status))) return [];
  const spec = responses[String(status)];
  if (spec === null) return body === undefined ? [] : [`status ${status} has no body in the contract, but one was answered`];
  if (body === undefined) return status >= 400 ? [] : [`status ${status} must have a body (${spec.ref ?? spec.type})`];
  return validateAgainst(match.resource, spec, body, { path: "response", api: "services" });
}
