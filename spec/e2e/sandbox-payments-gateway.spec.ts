/**
 * The Payments API gateway of the sandbox (`/api/v1`): apikey authentication, TPP error answers with the seed's
 * codes, contract checks of bodies, Idempotency-Key replay, account identifications, blocking rules and `/log`.
 * One sandbox for the file; raw HTTP here, the library's entities in sandbox-payments-orm.spec.ts.
 */
import { parseSandboxArgs } from "../../lib/cli/sandbox-command";
import { PAYMENTS } from "../../lib/contract/schema";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { responseProblems } from "../../lib/sandbox/response-check";
import { loggedLines } from "../../lib/sandbox/payments/log";
import { registerPaymentsRoutes } from "../../lib/sandbox/payments/routes";
import { Router } from "../../lib/sandbox/router";
import { call } from "./sandbox-helpers";
import { openEurAccount, payCall } from "./sandbox-payments-helpers";

let sb: Sandbox;
const IBAN_A = "DE89370400440532013000";
const IBAN_B = "DE02120300000000202051";

beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
  await openEurAccount(sb, "PGW-A", "1000");
  await openEurAccount(sb, "PGW-B", "0");
});
afterAll(async () => {
  await sb.stop();
});

describe("authentication and errors", () => {
  test("no apikey, a wrong one, or Basic credentials are 401 with a TPP message", async () => {
    const tries: Array<Record<string, string>> = [{ apikey: "" }, { apikey: "nope" }, { apikey: "", Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}` }];
    for (const headers of tries) {
      const a = await payCall(sb, "GET", "/payments/whatever", { headers });
      expect(a.status).toBe(401);
      expect(a.body).toEqual({ tppMessages: [{ category: "ERROR", code: "SERVICE_INVALID", text: expect.any(String) }] });
    }
  });

  test("an API consumer's live key authenticates; once deleted it no longer does", async () => {
    const consumer = await call(sb, "POST", "/consumers", { body: { name: "payments-gateway", type: "MAMBU_API" } });
    expect(consumer.status).toBe(201);
    const key = await call(sb, "POST", `/consumers/${consumer.body.id}/apikeys`);
    expect(key.status).toBe(201);
    const ok = await payCall(sb, "POST", "/log", { body: { log: "from a consumer" }, headers: { apikey: key.body.apiKey } });
    expect(ok.status).toBe(200);
    expect((await call(sb, "DELETE", `/consumers/${consumer.body.id}/apikeys/${key.body.id}`)).status).toBe(204);
    const gone = await payCall(sb, "POST", "/log", { body: { log: "again" }, headers: { apikey: key.body.apiKey } });
    expect(gone.status).toBe(401);
  });

  test("an unknown path is 404 RESOURCE_UNKNOWN, a wrong method 405 SERVICE_INVALID with Allow", async () => {
    const none = await payCall(sb, "GET", "/nothing-here");
    expect(none.status).toBe(404);
    expect(none.body.tppMessages[0].code).toBe("RESOURCE_UNKNOWN");
    const method = await payCall(sb, "PATCH", "/log", { body: { log: "x" } });
    expect(method.status).toBe(405);
    expect(method.body.tppMessages[0].code).toBe("SERVICE_INVALID");
    expect(method.headers.allow).toBe("POST");
  });

  test("a body breaking the contract is 400 FORMAT_ERROR naming each field; XML to a JSON operation is 415", async () => {
    const bad = await payCall(sb, "PUT", "/accounts/identifications", { body: { accountIds: "PGW-A", identification: { iban: "D".repeat(40) }, extra: 1 } });
    expect(bad.status).toBe(400);
    const paths = bad.body.tppMessages.map((m: { path?: string }) => m.path);
    expect(paths).toEqual(expect.arrayContaining(["accountIds", "identification.iban", "extra"]));
    expect(bad.body.tppMessages.every((m: { code: string; category: string }) => m.code === "FORMAT_ERROR" && m.category === "ERROR")).toBe(true);
    const xml = await payCall(sb, "POST", "/log", { xml: "<log/>" });
    expect(xml.status).toBe(415);
    expect(xml.body.tppMessages[0].code).toBe("SERVICE_INVALID");
  });

  test("a JSON body that is not JSON is 400 INVALID_REQUEST_BODY", async () => {
    const fetchFn = (await import("node-fetch")).default;
    const res = await fetchFn(`${sb.url}/api/v1/log`, { method: "POST", headers: { apikey: "demo-api-key", "Content-Type": "application/json" }, body: "{nope" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { tppMessages: Array<{ code: string }> }).tppMessages[0].code).toBe("INVALID_REQUEST_BODY");
  });
});

describe("injected faults", () => {
  test("X-Sandbox-Fault: 503 answers without a body (as the contract's 503), 429 with a TPP message and Retry-After", async () => {
    const unavailable = await payCall(sb, "POST", "/log", { body: { log: "x" }, headers: { "X-Sandbox-Fault": "503" } });
    expect(unavailable.status).toBe(503);
    expect(unavailable.text).toBe("");
    const busy = await payCall(sb, "POST", "/log", { body: { log: "x" }, headers: { "X-Sandbox-Fault": "429" } });
    expect(busy.status).toBe(429);
    expect(busy.headers["retry-after"]).toBe("1");
    expect(busy.body.tppMessages[0]).toMatchObject({ category: "ERROR", code: "SERVICE_INVALID" });
  });
});

describe("POST /log", () => {
  test("answers 200 without a body and keeps the line", async () => {
    const a = await payCall(sb, "POST", "/log", { body: { log: "hello gateway" } });
    expect(a.status).toBe(200);
    expect(a.text).toBe("");
    expect(loggedLines(sb.store)).toContain("hello gateway");
  });
});

describe("account identifications", () => {
  test("map, list, search, refuse a duplicate and a bad IBAN, replace with PUT", async () => {
    const created = await payCall(sb, "POST", "/accounts/PGW-A/identifications", { body: { identification: { iban: IBAN_A } } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ internalAccounts: [{ id: "PGW-A", type: "DEPOSIT", currency: "EUR" }] });

    const again = await payCall(sb, "POST", "/accounts/PGW-A/identifications", { body: { identification: { iban: IBAN_A } } });
    expect(again.status).toBe(400);
    expect(again.body.tppMessages[0].code).toBe("ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION");

    const badIban = await payCall(sb, "POST", "/accounts/PGW-A/identifications", { body: { identification: { iban: "DE00370400440532013000" } } });
    expect(badIban.status).toBe(400);
    expect(badIban.body.tppMessages).toEqual([{ category: "ERROR", code: "FORMAT_ERROR", path: "iban", text: "iban invalid IBAN value" }]);

    const other = await payCall(sb, "POST", "/accounts/PGW-A/identifications", { body: { identification: { other: { identification: "ABCDE1234F", scheme: "PAN" } } } });
    expect(other.status).toBe(201);

    const list = await payCall(sb, "GET", "/accounts/PGW-A/identifications?limit=1&offset=1");
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ currency: "EUR", other: { identification: "ABCDE1234F", scheme: "PAN" } }]);
    expect([list.headers["items-offset"], list.headers["items-limit"], list.headers["items-total"]]).toEqual(["1", "1", "2"]);

    const found = await payCall(sb, "POST", "/accounts/identifications:search", { body: { filterCriteria: [{ field: "IBAN", operator: "EQUALS", value: IBAN_A }] } });
    expect(found.status).toBe(200);
    expect(found.body).toEqual([{ accountId: "PGW-A", currency: "EUR", type: "DEPOSIT", identification: { iban: IBAN_A, currency: "EUR" } }]);

    const unsupported = await payCall(sb, "POST", "/accounts/identifications:search", { body: { filterCriteria: [{ field: "IBAN", operator: "BETWEEN", value: IBAN_A }] } });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.tppMessages[0].code).toBe("PARAMETER_NOT_SUPPORTED");

    const replaced = await payCall(sb, "PUT", "/accounts/identifications", { body: { accountIds: ["PGW-B"], identification: { iban: IBAN_A } } });
    expect(replaced.status).toBe(201);
    expect(replaced.body).toEqual({ internalAccounts: [{ id: "PGW-B", type: "DEPOSIT", currency: "EUR" }] });
    const now = await payCall(sb, "POST", "/accounts/identifications:search", { body: { filterCriteria: [{ field: "IBAN", operator: "IN", value: `${IBAN_A},${IBAN_B}` }] } });
    expect(now.body.map((m: { accountId: string }) => m.accountId)).toEqual(["PGW-B"]);
    // back as it was, for the tests that follow
    await payCall(sb, "PUT", "/accounts/identifications", { body: { accountIds: ["PGW-A"], identification: { iban: IBAN_A } } });
  });

  test("an unknown account is 404 RESOURCE_UNKNOWN", async () => {
    const a = await payCall(sb, "GET", "/accounts/NOPE/identifications");
    expect(a.status).toBe(404);
    expect(a.body.tppMessages[0].code).toBe("RESOURCE_UNKNOWN");
  });
});

describe("blocking rules", () => {
  test("SEPA_CREDIT_TRANSFER cannot be blocked (the seed's 400); a direct-debit rule is 202 and deleted with 202", async () => {
    const sct = await payCall(sb, "POST", "/accounts/PGW-A/blocking-rules", { body: { product: "SEPA_CREDIT_TRANSFER" } });
    expect(sct.status).toBe(400);
    expect(sct.body).toEqual({ tppMessages: [{ category: "ERROR", code: "PARAMETER_NOT_SUPPORTED", path: "product", text: "SEPA_CREDIT_TRANSFER cannot be blocked" }] });
    const created = await payCall(sb, "POST", "/accounts/PGW-A/blocking-rules", { body: { product: "SEPA_DIRECT_DEBIT" } });
    expect(created.status).toBe(202);
    expect(sb.store.all("payblockingrules")).toHaveLength(1);
    const deleted = await payCall(sb, "DELETE", "/accounts/PGW-A/blocking-rules");
    expect(deleted.status).toBe(202);
    expect(sb.store.all("payblockingrules")).toHaveLength(0);
  });
});

describe("the contract checks", () => {
  test("answers are checked against payments-v1.json (what MAMBU_SANDBOX_CHECK_RESPONSES=1 turns on)", () => {
    expect(responseProblems("GET", "/payments/P1", 200, { paymentId: "P1", transactionStatus: "RJCT" }, "payments")).toEqual([]);
    expect(responseProblems("GET", "/payments/P1", 200, { paymentId: "P1", transactionStatus: "DONE" }, "payments")).not.toEqual([]);
    expect(responseProblems("POST", "/payments", 201, { transactionStatus: "RCVD" }, "payments")).not.toEqual([]);
    expect(responseProblems("POST", "/log", 400, { tppMessages: [{ category: "ERROR", code: "NO_SUCH_CODE" }] }, "payments")).not.toEqual([]);
  });
});

describe("mambu-sandbox --payments-callout", () => {
  test("takes the URL from the flag and the Basic credentials from the environment only", () => {
    const env = { MAMBU_SANDBOX_CALLOUT_USER: "gw", MAMBU_SANDBOX_CALLOUT_PASSWORD: "pw" };
    expect(parseSandboxArgs(["--payments-callout", "http://127.0.0.1:9999/in"], env).paymentsCallout).toEqual({ url: "http://127.0.0.1:9999/in", username: "gw", password: "pw" });
    expect(parseSandboxArgs(["--payments-callout", "http://127.0.0.1:9999/in"], {}).paymentsCallout).toEqual({ url: "http://127.0.0.1:9999/in" });
    expect(parseSandboxArgs([], env).paymentsCallout).toBeUndefined();
    expect(() => parseSandboxArgs(["--payments-callout", "ftp://x/"], {})).toThrow(/--payments-callout: paymentsCallout.url: expected http: or https:/);
    expect(() => parseSandboxArgs(["--payments-callout", "http://u:p@127.0.0.1/"], {})).toThrow(/not in the URL/);
  });
});

test("the gateway serves every operation of payments-v1.json (20)", () => {
  const router = new Router();
  registerPaymentsRoutes(router);
  const served = new Set(router.list());
  const ops = Object.values(PAYMENTS.resources).flatMap((r) => r.operations.map((op) => `${op.method} ${op.path}`));
  expect(ops).toHaveLength(20);
  expect(ops.filter((op) => !served.has(op))).toEqual([]);
});
