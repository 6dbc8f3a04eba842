/**
 * Platform calls: `getApplicationStatus()` sends `GET /application/status` and returns the status;
 * `runEndOfDay()` sends `POST /crons/eod:run` without a body, with an Idempotency-Key, and returns the state.
 * Every request is checked against the contract's operation.
 */
import { getApplicationStatus, MambuError, MambuTsError, runEndOfDay } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { testConnector } from "../helpers/mambu";
import { recordingTenant } from "../helpers/recording-tenant";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const { tenant, seen } = recordingTenant();

/** The contract's operation for a request seen, checked: known path, no query, no body. */
function expectContractRequest(r: (typeof seen)[number], resource: string, operationId: string): void {
  const m = findOperation(r.method, r.path);
  expect([m?.resource, m?.op.operationId]).toEqual([resource, operationId]);
  expect(new URL(r.path, "http://x").search).toBe("");
  expect(r.body ?? "").toBe("");
  expect(r.headers.accept).toContain("application/vnd.mambu.v2+json");
}

describe("getApplicationStatus", () => {
  it("GETs /application/status and returns the contract's ApplicationStatus", async () => {
    tenant().get("/api/application/status").reply(200, { dataAccessState: "READ_ONLY_STATE" });
    const status = await getApplicationStatus({ connector: testConnector() });
    expect(status).toEqual({ dataAccessState: "READ_ONLY_STATE" });
    expect(seen).toHaveLength(1);
    expectContractRequest(seen[0], "application__status", "getApplicationStatus");
    const m = findOperation("GET", "/api/application/status")!;
    expect(validateAgainst("application__status", m.op.responses["200"]!, status)).toEqual([]);
  });

  it("throws Mambu's error when the user may not read it, and refuses unknown options", async () => {
    tenant().get("/api/application/status").reply(403, { errors: [{ errorCode: 15, errorReason: "INVALID_PERMISSIONS" }] });
    const err = await getApplicationStatus({ connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).errors?.[0]?.errorReason).toBe("INVALID_PERMISSIONS");
    await expect(getApplicationStatus({ connector: testConnector(), tenant: "x" } as never)).rejects.toThrow(MambuTsError);
  });
});

describe("runEndOfDay", () => {
  it("POSTs /crons/eod:run with no body and an Idempotency-Key, and returns the state of the run", async () => {
    tenant().post("/api/crons/eod:run").reply(202, { state: "QUEUED" });
    const run = await runEndOfDay({ connector: testConnector() });
    expect(run).toEqual({ state: "QUEUED" });
    expect(seen).toHaveLength(1);
    expectContractRequest(seen[0], "crons_eod", "runHourlyAndEndOfDayCrons");
    expect(seen[0].headers["idempotency-key"]).toMatch(UUID_V4);
  });

  it("sends the caller's Idempotency-Key", async () => {
    const key = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    tenant().post("/api/crons/eod:run").matchHeader("idempotency-key", key).reply(202, { state: "COMPLETE" });
    expect(await runEndOfDay({ connector: testConnector(), idempotencyKey: key })).toEqual({ state: "COMPLETE" });
  });

  it("throws Mambu's error when the processing cannot be triggered", async () => {
    tenant().post("/api/crons/eod:run").reply(500, { errors: [{ errorCode: 1, errorReason: "INTERNAL_ERROR" }] });
    const err = await runEndOfDay({ connector: testConnector({ retries: 0 }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).errors?.[0]?.errorReason).toBe("INTERNAL_ERROR");
  });
});
