/** Helpers of the sandbox e2e specs: plain HTTP calls (node-fetch) against a running sandbox. */
import fetch, { RequestInit, Response } from "node-fetch";
import type { Sandbox } from "../../lib/sandbox";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { responseProblems } from "../../lib/sandbox/response-check";

/** Basic auth header of the demo user. */
export const DEMO_AUTH = `Basic ${Buffer.from("demo:demo").toString("base64")}`;
/** The v2 Accept header. */
export const V2 = "application/vnd.mambu.v2+json";

/** A parsed response. */
export interface Answer {
  status: number;
  headers: Response["headers"];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** Calls `${sandbox.url}/api${path}` with the demo credentials and the v2 Accept header unless overridden. */
export async function call(
  sb: Sandbox,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; raw?: RequestInit["body"]; agent?: RequestInit["agent"] } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: DEMO_AUTH, Accept: V2, ...(opts.headers ?? {}) };
  for (const k of Object.keys(headers)) if (headers[k] === "") delete headers[k];
  let body: RequestInit["body"] = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${sb.url}/api${path}`, { method, headers, body, agent: opts.agent });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** How {@link expectContractAnswer} and {@link contractProblems} check an answer. */
export interface ContractCheck {
  /** The status the answer must have (without it, any status the contract documents for the operation). */
  status?: number;
  /**
   * No tolerance: fields and enum values newer than the 2021 Swagger files are problems too (by default they are
   * tolerated, as the sandbox's own check does, lib/sandbox/response-check.ts `responseProblems`).
   */
  strict?: boolean;
  /** The contract resource the operation must belong to. */
  resource?: string;
}

/**
 * Problems of an answer's body against the response schema that the contract documents for `method path` (a
 * concrete path, or the operation's path template) and `status`. Throws when the path is no operation of the
 * contract (or of another resource than `opts.resource`) or the status is not one it documents. A status
 * documented without a body must come without one; a documented body is required for statuses below 400.
 */
export function contractProblems(method: string, path: string, status: number, body: unknown, opts: Omit<ContractCheck, "status"> = {}): string[] {
  const match = findOperation(method, path);
  if (!match) throw new Error(`no operation ${method} ${path} in the contract`);
  if (opts.resource !== undefined && match.resource !== opts.resource) {
    throw new Error(`${method} ${path} is an operation of ${match.resource}, not of ${opts.resource}`);
  }
  const responses = match.op.responses;
  if (!Object.prototype.hasOwnProperty.call(responses, String(status))) {
    throw new Error(`${method} ${path}: status ${status} is not documented by the contract (${Object.keys(responses).join(", ")})`);
  }
  if (!opts.strict) return responseProblems(method, path, status, body);
  const spec = responses[String(status)];
  if (spec === null) return body === undefined ? [] : [`status ${status} has no body in the contract, but one was answered`];
  if (body === undefined) return status >= 400 ? [] : [`status ${status} must have a body (${spec.ref ?? spec.type})`];
  return validateAgainst(match.resource, spec, body, { path: "response" });
}

/**
 * Asserts that a sandbox answer keeps the contract: the operation exists for `method path`, the answer's status
 * is `opts.status` (when given) and one the contract documents, a documented body validates against the
 * response schema and a status documented without a body comes with an empty one (see {@link contractProblems}).
 */
export function expectContractAnswer(method: string, path: string, answer: Pick<Answer, "status" | "body" | "text">, opts: ContractCheck = {}): void {
  if (opts.status !== undefined) {
    expect({ path, status: answer.status, body: answer.status === opts.status ? undefined : answer.body ?? answer.text })
      .toEqual({ path, status: opts.status, body: undefined });
  }
  const body = answer.text === "" ? undefined : answer.body ?? answer.text;
  expect(contractProblems(method, path, answer.status, body, opts)).toEqual([]);
}

/** Calls `method path` (with a JSON `body` when given) and asserts that the answer keeps the contract ({@link expectContractAnswer}). */
export async function contractCall(sb: Sandbox, method: string, path: string, body?: unknown, check: ContractCheck = {}): Promise<Answer> {
  const r = await call(sb, method, path, body === undefined ? {} : { body });
  expectContractAnswer(method, path, r, check);
  return r;
}
