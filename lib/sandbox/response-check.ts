/**
 * The sandbox checks its own answers against the contract: a JSON body answered by an operation of the
 * Swagger files must validate against that operation's response schema for the status it answers with (the
 * same validator that checks request bodies, lib/contract/schema.ts). Fields newer than the 2021 files are
 * tolerated (unknown fields pass), enum values newer than them are listed in {@link NEWER_ENUM_VALUES}.
 *
 * Off by default (it costs a walk of every answer); on with `startSandbox({ checkResponses: true })` or the
 * environment variable `MAMBU_SANDBOX_CHECK_RESPONSES=1` (the project's tests run with it on, so an answer that
 * drifts from the contract fails the test that provoked it as a 500 naming the mismatch).
 */
import { answerProblems, findOperation } from "../contract/schema";
import { paymentsResponseProblems } from "./payments/contract";
import { servicesResponseProblems } from "./services/contract";

/**
 * Enum values that real tenants send and the 2021 Swagger enums lack (the enums are a floor, not the list).
 * A problem that names one of them is not a mismatch.
 */
export const NEWER_ENUM_VALUES: readonly string[] = [
  "CLOSED_WRITTEN_OFF", "CLOSED_REJECTED", "AFTER_INCLUSIVE",
  // error reason of PUT /configuration/authorizationholds.yaml in the v9.110.2 reference (code 9957)
  "INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD",
];

/** How the validator names a field the definition lacks (tolerated in answers: tenants have newer fields). */
const UNKNOWN_FIELD = /: unknown field( \(not in [A-Za-z0-9_]+\))?$/;

/** Largest number of problems named in one answer's message. */
const SHOWN = 5;

/**
 * Problems of an answer against its operation's response schema (empty when it matches, or when the path is
 * not an operation of the contract, or the status has no documented body). `api` chooses the contract by the
 * request's base path: `"v2"` (`/api`), `"services"` (`/v1`) or `"payments"` (`/api/v1`; both checked exactly: those
 * contracts are ours, no newer fields to tolerate); the path is relative to that base.
 */
export function responseProblems(method: string, path: string, status: number, body: unknown, api: "v2" | "services" | "payments" = "v2"): string[] {
  if (api === "services") return servicesResponseProblems(method, path, status, body);
  if (api === "payments") return paymentsResponseProblems(method, path, status, body);
  const match = findOperation(method, path);
  if (!match) return [];
  return answerProblems(match, status, body, "v2").filter((p) => !UNKNOWN_FIELD.test(p) && !NEWER_ENUM_VALUES.some((v) => p.includes(`"${v}"`)));
}

/** The message of a 500 for an answer that does not match (at most {@link SHOWN} problems). */
export function mismatchMessage(method: string, path: string, status: number, problems: string[]): string {
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : "";
  return `sandbox answer to ${method} ${path} (${status}) does not match the contract: ${problems.slice(0, SHOWN).join("; ")}${more}`;
}

/** Whether responses are checked when `startSandbox` is not told: the `MAMBU_SANDBOX_CHECK_RESPONSES` variable. */
export function checkResponsesByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MAMBU_SANDBOX_CHECK_RESPONSES === "1";
}
