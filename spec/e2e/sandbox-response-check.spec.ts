/**
 * The sandbox checks its answers against the contract's response schemas when asked (the project's tests run
 * with `MAMBU_SANDBOX_CHECK_RESPONSES=1`, set in jest.config.js): an answer that drifts from the Swagger files
 * becomes a 500 that names the mismatch instead of passing unnoticed.
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { checkResponsesByDefault, responseProblems } from "../../lib/sandbox/response-check";
import { call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, checkResponses: true, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(() => sb.stop());

test("the project's tests run with the check on", () => {
  expect(checkResponsesByDefault()).toBe(true);
  expect(checkResponsesByDefault({})).toBe(false);
});

test("answers that match pass through unchanged", async () => {
  const r = await call(sb, "GET", "/loans/54321");
  expect(r.status).toBe(200);
  expect(r.body.id).toBe("54321");
});

test("a record that drifts from the contract is answered as a 500 naming the mismatch", async () => {
  const loan = sb.store.find("loans", "54326")!;
  sb.store.replace("loans", { ...loan, accountState: "SLEEPING", loanAmount: "a lot" });
  const r = await call(sb, "GET", "/loans/54326");
  expect(r.status).toBe(500);
  const source = r.body.errors[0].errorSource as string;
  expect(source).toContain("GET /loans/54326 (200) does not match the contract");
  expect(source).toContain('response.accountState: expected one of');
  expect(source).toContain('response.loanAmount');
  sb.store.replace("loans", loan);
  expect((await call(sb, "GET", "/loans/54326")).status).toBe(200);
});

test("enum values newer than the 2021 Swagger files are not mismatches", () => {
  expect(responseProblems("GET", "/loans/1", 200, { accountState: "CLOSED_WRITTEN_OFF" }).some((p) => p.includes("accountState"))).toBe(false);
  expect(responseProblems("GET", "/loans/1", 200, { accountState: "NAPPING" }).some((p) => p.includes("accountState"))).toBe(true);
});

test("a body where the contract has none, and paths outside the contract", () => {
  expect(responseProblems("DELETE", "/loans/1", 204, { x: 1 })).toEqual(["status 204 has no body in the contract, but one was answered"]);
  expect(responseProblems("GET", "/not/an/operation", 200, { x: 1 })).toEqual([]);
});

test("fields the 2021 files lack are tolerated (tenants answer newer fields), a wrong type of a known one is not", () => {
  const ok = { encodedKey: "k", id: "1", firstName: "A", lastName: "B", newerField: { x: 1 } };
  expect(responseProblems("GET", "/clients/1", 200, ok)).toEqual([]);
  expect(responseProblems("GET", "/clients/1", 200, { ...ok, firstName: 5 })).toEqual(["response.firstName: expected string, got number 5"]);
});
