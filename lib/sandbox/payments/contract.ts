/**
 * The sandbox's use of the Payments API's contract (lib/generated/payments/schema.json, generated from
 * lib/contract/openapi/payments-v1.json, served under `/api/v1`): which operation a concrete path names, request
 * bodies checked against their definitions and the limits of payments-v1.json (./contract-limits.ts: lengths,
 * patterns) — 400 FORMAT_ERROR, one TPPMessage per problem, its `path` the field as the seed writes it:
 * `debtorAccount.identification` and answers checked against the operation's response schema
 * (../response-check.ts, with `MAMBU_SANDBOX_CHECK_RESPONSES=1`).
 */
import { answerProblems, ApiOperationMatch, operationFinder, PAYMENTS, validateAgainst } from "../../contract/schema";
import { limitProblems } from "./contract-limits";
import { MAX_TPP_MESSAGES, TppError, tppError, TppMessage } from "./tpp";

/** The Payments API's base path (checked before API v2's `/api`). */
export const PAYMENTS_BASE = "/api/v1";

/** An operation of the Payments API matched by a concrete path. */
export type PaymentsOperationMatch = ApiOperationMatch;

/** The Payments operation a method and a path (relative to `/api/v1`, percent-encoded, no query) name, or undefined. */
export const findPaymentsOperation: (method: string, path: string) => PaymentsOperationMatch | undefined = operationFinder(PAYMENTS);

/** A validator problem (`body.a.b: expected ...`) as a TPPMessage: path `a.b`, text the problem. */
function problemMessage(problem: string): TppMessage {
  const colon = problem.indexOf(": ");
  const where = colon < 0 ? "body" : problem.slice(0, colon);
  const path = where === "body" ? undefined : where.replace(/^body\.?/, "");
  const text = colon < 0 ? problem : `${path ?? "body"} ${problem.slice(colon + 2)}`;
  return { category: "ERROR", code: "FORMAT_ERROR", ...(path ? { path } : {}), text };
}

/**
 * Checks the JSON body of a Payments operation against its contract (unknown fields rejected: the contract is
 * ours). Returns the body; throws 400 INVALID_REQUEST_BODY when a required body is missing, 400 FORMAT_ERROR with
 * one message per problem (at most {@link MAX_TPP_MESSAGES}) otherwise.
 */
export function checkPaymentsBody(method: string, path: string, body: unknown): unknown {
  const match = findPaymentsOperation(method, path);
  if (!match || !match.op.body) return body;
  if (body === undefined) {
    if (match.op.bodyRequired) throw tppError("INVALID_REQUEST_BODY", `a JSON body is required (${match.op.body.ref ?? match.op.body.type})`);
    return body;
  }
  const problems = validateAgainst(match.resource, match.op.body, body, { api: "payments", request: true }).map(problemMessage);
  problems.push(...limitProblems(method, match.op.path, body));
  if (problems.length) throw new TppError(400, problems.slice(0, MAX_TPP_MESSAGES));
  return body;
}

/** Problems of an answer against its Payments operation's response schema (empty: matches, or no such operation/status). */
export function paymentsResponseProblems(method: string, path: string, status: number, body: unknown): string[] {
  const match = findPaymentsOperation(method, path);
  return match ? answerProblems(match, status, body, "payments") : [];
}
