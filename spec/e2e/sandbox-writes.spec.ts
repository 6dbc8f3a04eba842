/** Sandbox e2e: create with validation, PUT, PATCH (standard and grouped custom field sets), DELETE, idempotency. */
import { randomUUID } from "node:crypto";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

const newClient = (extra: Record<string, unknown> = {}) => ({ firstName: "ANA", lastName: "RIVERA", assignedBranchKey: "CCAZ", ...extra });

describe("create", () => {
  it("creates a client: 201, encodedKey, id, dates with the tenant offset, custom fields on the answer", async () => {
    const r = await call(sb, "POST", "/clients", { body: newClient({ _OtherDetails: { Age: "29" } }) });
    expect(r.status).toBe(201);
    expect(r.body.encodedKey).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body.id).toBeTruthy();
    expect(r.body.creationDate).toBe("2026-01-15T10:00:00+02:00");
    expect(r.body.lastModifiedDate).toBe("2026-01-15T10:00:00+02:00");
    expect(r.body.assignedBranchKey).toBe((await call(sb, "GET", "/branches/CCAZ")).body.encodedKey);
    expect(r.body._OtherDetails).toEqual({ Age: "29" });
    const again = await call(sb, "GET", `/clients/${r.body.id}?detailsLevel=FULL`);
    expect(again.body).toEqual(r.body);
  });

  it("rejects a missing required field, a bad enum and a date-time without the tenant offset", async () => {
    const missing = await call(sb, "POST", "/clients", { body: { firstName: "ANA" } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toEqual({ errorCode: 4, errorSource: "Property lastName may not be null", errorReason: "INVALID_PARAMETERS" });
    const badEnum = await call(sb, "POST", "/clients", { body: newClient({ gender: "OTHER" }) });
    expect(badEnum.status).toBe(400);
    expect(badEnum.body.errors[0].errorSource).toMatch(/gender/);
    const task = { title: "Call", dueDate: "2026-02-01", taskLinkType: "CLIENT" };
    for (const [v, shown] of [["2021-03-09T13:37:50", "2021-03-09T13:37:50"], ["2021-03-09T13:37:50+03:00", "2021-03-09T13:37:50"]]) {
      const loan = {
        accountHolderKey: "8a099a673f1f25a0013f1fd0a1c318a5", accountHolderType: "CLIENT", productTypeKey: "FLAT-MICRO", loanAmount: 1000,
        scheduleSettings: { gracePeriod: 0, repaymentInstallments: 4 }, disbursementDetails: { expectedDisbursementDate: v },
      };
      const r = await call(sb, "POST", "/loans", { body: loan });
      expect(r.status).toBe(400);
      expect(r.body.errors[0]).toEqual({ errorCode: 4, errorSource: `Invalid date offset for value ${shown} org offset is +02:00`, errorReason: "INVALID_PARAMETERS" });
    }
    const okTask = await call(sb, "POST", "/tasks", { body: task });
    expect(okTask.status).toBe(201);
    expect(typeof okTask.body.id).toBe("number");
  });

  it("rejects unknown custom field sets and fields, and bad custom field values", async () => {
    for (const extra of [{ _Nope: { a: "1" } }, { _OtherDetails: { Height: "1" } }, { _OtherDetails: { Age: "old" } }, { _Assets: { ASSETYPE: "Car" } }, { _Guarantor: { GuarantorClient: "nobody" } }]) {
      const r = await call(sb, "POST", "/clients", { body: newClient(extra) });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
    }
  });

  it("rejects a duplicate id and unknown references", async () => {
    const dup = await call(sb, "POST", "/clients", { body: newClient({ id: "0512N0025" }) });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0].errorReason).toBe("CLIENT_ID_ALREADY_IN_USE");
    const branch = await call(sb, "POST", "/clients", { body: newClient({ assignedBranchKey: "NOPE" }) });
    expect(branch.body.errors[0].errorReason).toBe("INVALID_BRANCH_KEY");
  });

  it("rejects malformed JSON", async () => {
    const r = await call(sb, "POST", "/clients", { raw: "{nope", headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].errorReason).toBe("INVALID_JSON_SYNTAX");
  });

  it("creates a group with members and keeps the members' groupKeys", async () => {
    const c = await call(sb, "POST", "/clients", { body: newClient() });
    const g = await call(sb, "POST", "/groups", { body: { groupName: "Nuevo", groupMembers: [{ clientKey: c.body.id }] } });
    expect(g.status).toBe(201);
    expect(g.body.groupMembers).toEqual([{ clientKey: c.body.encodedKey }]);
    expect((await call(sb, "GET", `/clients/${c.body.id}`)).body.groupKeys).toEqual([g.body.encodedKey]);
    const del = await call(sb, "DELETE", `/clients/${c.body.id}`);
    expect(del.body.errors[0].errorReason).toBe("CLIENT_IS_MEMBER_OF_A_GROUP");
  });
});

describe("PATCH", () => {
  let id: string;
  beforeEach(async () => {
    id = (await call(sb, "POST", "/clients", { body: newClient() })).body.id;
  });
  const full = async () => (await call(sb, "GET", `/clients/${id}?detailsLevel=FULL`)).body;
  const patch = (ops: unknown) => call(sb, "PATCH", `/clients/${id}`, { body: ops });

  it("standard set: add, replace, remove as in the API reference", async () => {
    let r = await patch([{ op: "add", path: "/_OtherDetails", value: { Age: "48" } }]);
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    expect((await full())._OtherDetails).toEqual({ Age: "48" });
    r = await patch([{ op: "replace", path: "/_OtherDetails/Age", value: "51" }]);
    expect(r.status).toBe(204);
    expect((await full())._OtherDetails).toEqual({ Age: "51" });
    await patch([{ op: "add", path: "/_OtherDetails/EmployerName", value: "ACME" }]);
    expect((await full())._OtherDetails).toEqual({ Age: "51", EmployerName: "ACME" });
    r = await patch([{ op: "remove", path: "/_OtherDetails/Age" }]);
    expect(r.status).toBe(204);
    expect((await full())._OtherDetails).toEqual({ EmployerName: "ACME" });
  });

  it("grouped set: add rows, replace by index, remove a field, a row, every row", async () => {
    await patch([
      { op: "add", path: "/_Assets", value: [{ ASSETYPE: "Land", ASSETAGE: "10", ASSETVALUE: "965000" }, { ASSETYPE: "Car", ASSETAGE: "2", ASSETVALUE: "25000" }] },
    ]);
    expect((await full())._Assets).toHaveLength(2);
    await patch([
      { op: "replace", path: "/_Assets/1/ASSETAGE", value: "2" },
      { op: "replace", path: "/_Assets/1/ASSETVALUE", value: "35000" },
    ]);
    expect((await full())._Assets[1]).toEqual({ ASSETYPE: "Car", ASSETAGE: "2", ASSETVALUE: "35000" });
    await patch([{ op: "remove", path: "/_Assets/0/ASSETAGE" }]);
    expect((await full())._Assets[0]).toEqual({ ASSETYPE: "Land", ASSETVALUE: "965000" });
    await patch([{ op: "remove", path: "/_Assets/1" }]);
    expect((await full())._Assets).toEqual([{ ASSETYPE: "Land", ASSETVALUE: "965000" }]);
    await patch([{ op: "remove", path: "/_Assets" }]);
    expect((await full())._Assets).toBeUndefined();
  });

  it("native fields, upper-case ops, paths without '/', move; updates lastModifiedDate", async () => {
    sb.clock.advance({ hours: 1 });
    const r = await patch([
      { op: "REPLACE", path: "firstName", value: "ANABEL" },
      { op: "ADD", path: "/middleName", value: "SOFIA" },
      { op: "MOVE", from: "/middleName", path: "/notes" },
    ]);
    expect(r.status).toBe(204);
    const c = await full();
    expect(c.firstName).toBe("ANABEL");
    expect(c.middleName).toBeUndefined();
    expect(c.notes).toBe("SOFIA");
    expect(c.lastModifiedDate).toBe("2026-01-15T11:00:00+02:00");
  });

  it("rejects read-only fields, bad values, bad ops and bad indexes — and applies nothing", async () => {
    const before = await full();
    for (const ops of [
      [{ op: "replace", path: "/encodedKey", value: "x" }],
      [{ op: "replace", path: "/creationDate", value: "2020-01-01T00:00:00+02:00" }],
      [{ op: "replace", path: "/loanCycle", value: 3 }],
      [{ op: "replace", path: "/firstName", value: "X" }, { op: "replace", path: "/gender", value: "OTHER" }],
      [{ op: "copy", from: "/firstName", path: "/notes" }],
      [{ op: "replace", path: "/_Assets/5/ASSETAGE", value: "1" }],
      [{ op: "add", path: "/_OtherDetails", value: { Height: "190" } }],
      [],
    ]) {
      const r = await patch(ops);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
    }
    expect(await full()).toEqual(before);
  });

  it("answers 404 for an unknown client", async () => {
    const r = await call(sb, "PATCH", "/clients/nope", { body: [{ op: "replace", path: "/firstName", value: "X" }] });
    expect(r.status).toBe(404);
    expect(r.body.errors[0].errorCode).toBe(301);
  });
});

describe("PUT and DELETE", () => {
  it("PUT replaces the record, keeping server fields", async () => {
    const c = (await call(sb, "POST", "/clients", { body: newClient({ notes: "old", _OtherDetails: { Age: "20" } }) })).body;
    sb.clock.advance({ minutes: 5 });
    const put = await call(sb, "PUT", `/clients/${c.id}`, { body: { ...c, lastName: "RIVAS", notes: undefined, encodedKey: "ignored", creationDate: "2020-01-01T00:00:00+02:00" } });
    expect(put.status).toBe(200);
    expect(put.body.lastName).toBe("RIVAS");
    expect(put.body.notes).toBeUndefined();
    expect(put.body.encodedKey).toBe(c.encodedKey);
    expect(put.body.creationDate).toBe(c.creationDate);
    expect(put.body.lastModifiedDate).not.toBe(c.lastModifiedDate);
    expect(put.body._OtherDetails).toEqual({ Age: "20" });
    const bad = await call(sb, "PUT", `/clients/${c.id}`, { body: { firstName: "X" } });
    expect(bad.status).toBe(400);
  });

  it("DELETE answers 204, then 404; clients with accounts cannot be deleted", async () => {
    const c = (await call(sb, "POST", "/clients", { body: newClient() })).body;
    const del = await call(sb, "DELETE", `/clients/${c.encodedKey}`);
    expect(del.status).toBe(204);
    expect((await call(sb, "GET", `/clients/${c.id}`)).status).toBe(404);
    expect((await call(sb, "DELETE", `/clients/${c.id}`)).status).toBe(404);
    const withAccounts = await call(sb, "DELETE", "/clients/0512N0029");
    expect(withAccounts.status).toBe(400);
    expect(withAccounts.body.errors[0].errorReason).toBe("CLIENT_HAS_ACCOUNTS");
  });
});

describe("idempotency", () => {
  it("the same key twice creates one record and replays status and body", async () => {
    const key = randomUUID();
    const before = sb.store.count("clients");
    const a = await call(sb, "POST", "/clients", { body: newClient({ lastName: "IDEM" }), headers: { "Idempotency-Key": key } });
    const b = await call(sb, "POST", "/clients", { body: newClient({ lastName: "IDEM" }), headers: { "Idempotency-Key": key } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.text).toBe(a.text);
    expect(sb.store.count("clients")).toBe(before + 1);
  });

  it("a failed validation is not cached: the corrected request with the same key is processed", async () => {
    const key = randomUUID();
    const bad = await call(sb, "POST", "/clients", { body: { firstName: "NO LAST NAME" }, headers: { "Idempotency-Key": key } });
    expect(bad.status).toBe(400);
    const good = await call(sb, "POST", "/clients", { body: newClient({ lastName: "FIXED" }), headers: { "Idempotency-Key": key } });
    expect(good.status).toBe(201);
    expect(good.body.lastName).toBe("FIXED");
    const replay = await call(sb, "POST", "/clients", { body: newClient({ lastName: "FIXED" }), headers: { "Idempotency-Key": key } });
    expect(replay.body.id).toBe(good.body.id);
  });

  it("rejects keys that are not v4 UUIDs, without acting", async () => {
    const before = sb.store.count("clients");
    for (const key of ["abc", "01234567-9abc-def0-1234-56789abcdef0", randomUUID().replace(/-/g, "")]) {
      const r = await call(sb, "POST", "/clients", { body: newClient(), headers: { "Idempotency-Key": key } });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
      expect(r.body.errors[0].errorSource).toMatch(/Idempotency-Key/);
    }
    expect(sb.store.count("clients")).toBe(before);
  });
});
