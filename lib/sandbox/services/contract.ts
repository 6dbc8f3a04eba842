/**
 * The sandbox's use of the Services API's contract (lib/generated/services/schema.json, served under `/v1`): which
 * operation a concrete path names, request bodies checked against their definitions (400 INVALID_PARAMETERS naming
 * the first problem) and answers checked against the operation's response schema (see ../response-check.ts).
 */
import { answerProblems, ApiOperationMatch, operationFinder, SERVICES, validateAgainst } from "../../contract/schema";
import { invalidParameters } from "../errors";

/** The Services API's base path. */
export const SERVICES_BASE = "/v1";

/** An operation of the Services API matched by a concrete path. */
export type ServicesOperationMatch = ApiOperationMatch;

/** The Services operation a method and a path (relative to `/v1`, percent-encoded, no query) name, or undefined. */
export const findServicesOperation: (method: string, path: string) => ServicesOperationMatch | undefined = operationFinder(SERVICES);

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
  return match ? answerProblems(match, status, body, "services") : [];
}
