/**
 * End to end: the ORM against the embedded sandbox on 127.0.0.1 — get, lists, search, custom
 * fields through PATCH, create/update, the fluent chain, streaming pagination over thousands of
 * records, and retries under injected faults with nothing applied twice.
 */
import { Decimal, DateTime, MambuBranch, MambuClient, MambuCommError, MambuConnector, MambuError, MambuLoan } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

const connector = (over: Record<string, string | number> = {}): MambuConnector => demoConnector(sandbox, over);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, generate: { clients: 3000 } });
  conn = connector();
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

test("get by id and by encodedKey, FULL with custom fields, typed values", async () => {
  const c = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: conn });
  expect(c.firstName).toBe("JOSEFA");
  expect((await MambuClient.get(c.encodedKey as string, { connector: conn })).id).toBe("0512N0025");
  expect(typeof c.Age).toBe("string");
  expect(Array.isArray(c.Assets)).toBe(true);
  expect(DateTime.isDateTime(c.creationDate)).toBe(true);
  expect(c.creationDate?.toFormat("ZZ")).toBe("+02:00");
  const basic = await MambuClient.get("0512N0025", { connector: conn });
  expect(basic._OtherDetails).toBeUndefined();
});

test("not found and bad credentials are MambuErrors in MambuPy's format", async () => {
  await expect(MambuClient.get("I DONT EXIST", { connector: conn })).rejects.toThrow("301 (404) - INVALID_CLIENT_ID");
  const bad = connector({ apipwd: "wrong-password" });
  const err = await MambuClient.get("0512N0025", { connector: bad }).then(() => null, (e) => e);
  expect(err).toBeInstanceOf(MambuError);
  expect(err.message).toBe("2 (401) - INVALID_CREDENTIALS (credentials)");
  bad.close();
});

test("the fluent chain two levels deep", async () => {
  const branch = await MambuLoan.get("54321", { connector: conn }).getAccountHolder().getAssignedBranch();
  expect(branch).toBeInstanceOf(MambuBranch);
  const schedule = await MambuLoan.get("54321", { connector: conn }).getSchedule();
  const loan = await MambuLoan.get("54321", { connector: conn });
  const principal = schedule.reduce((a, i) => a.plus(i.principal?.amount?.expected ?? 0), new Decimal(0));
  expect(principal.equals(loan.loanAmount)).toBe(true);
});

test("getAll with filters and sortBy, search with operators and custom fields", async () => {
  const active = await MambuLoan.getAll({ filters: { accountState: "ACTIVE" }, sortBy: "id:ASC", connector: conn });
  expect(active.length).toBeGreaterThan(0);
  expect(active.every((l) => l.accountState === "ACTIVE")).toBe(true);
  expect(active.map((l) => l.id)).toEqual([...active.map((l) => l.id as string)].sort());
  const found = await MambuClient.search({ filterCriteria: [{ field: "_OtherDetails.Age", operator: "EQUALS", value: "47" }], detailsLevel: "FULL", connector: conn });
  expect(found.map((c) => c.id)).toContain("0512N0025");
  const big = await MambuLoan.search({ filterCriteria: [{ field: "loanAmount", operator: "MORE_THAN", value: 5000 }], connector: conn });
  expect(big.length).toBeGreaterThan(0);
  expect(big.every((l) => l.loanAmount.greaterThan(5000))).toBe(true);
});

test("streaming pagination over thousands of records, sequential and concurrent, same order", async () => {
  const seq: string[] = [];
  for await (const c of MambuClient.getAll({ connector: connector({ apipagination: 500, concurrency: 1 }) })) seq.push(c.encodedKey as string);
  expect(seq.length).toBeGreaterThan(3000);
  const par = (await MambuClient.getAll({ connector: connector({ apipagination: 250, concurrency: 4 }) })).map((c) => c.encodedKey);
  expect(par).toEqual(seq);
  let n = 0;
  for await (const _ of MambuClient.getAll({ connector: connector({ apipagination: 100, concurrency: 1 }) })) if (++n === 150) break;
  expect(n).toBe(150);
});

test("custom fields: flatten → change → PATCH → Mambu holds it", async () => {
  const c = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: conn });
  c.EmployerName = "Panadería Nueva";
  c.ASSETAGE_0 = "11";
  const ops = await c.patch();
  expect(ops).toEqual([
    { op: "REPLACE", path: "/_OtherDetails/EmployerName", value: "Panadería Nueva" },
    { op: "REPLACE", path: "/_Assets/0/ASSETAGE", value: "11" },
  ]);
  const again = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: conn });
  expect(again.EmployerName).toBe("Panadería Nueva");
  expect(again.ASSETAGE_0).toBe("11");
  expect(await again.patch()).toEqual([]);
});

test("create and update a client", async () => {
  const branch = (await MambuBranch.getAll({ connector: conn }))[0];
  const c = new MambuClient({ firstName: "ANA", lastName: "PRUEBA", assignedBranchKey: branch.encodedKey, _OtherDetails: { Age: "30" } });
  await c.create({ connector: conn });
  expect(c.id).toBeTruthy();
  expect(c.encodedKey).toMatch(/^[0-9a-f]{32}$/);
  c.lastName = "PRUEBA DOS";
  await c.update();
  expect((await MambuClient.get(c.id as string, { connector: conn })).lastName).toBe("PRUEBA DOS");
});

test("a POST whose answer is lost is retried with the same Idempotency-Key and applied once", async () => {
  const before = (await MambuClient.getAll({ filters: { lastName: "IDEMPOTENTE" }, connector: conn })).length;
  sandbox.faults.injectNext("drop-after", 1, { method: "POST", path: "/api/clients" });
  const branch = (await MambuBranch.getAll({ connector: conn }))[0];
  const c = new MambuClient({ firstName: "UNA", lastName: "IDEMPOTENTE", assignedBranchKey: branch.encodedKey });
  await c.create({ connector: conn });
  const after = await MambuClient.getAll({ filters: { lastName: "IDEMPOTENTE" }, connector: conn });
  expect(after.length).toBe(before + 1);
  expect(after.map((x) => x.encodedKey)).toContain(c.encodedKey);
});

test("429 and 503 are retried; exhausted retries give MambuCommError with the last status", async () => {
  sandbox.faults.injectNext("429", 1, { method: "GET" });
  sandbox.faults.injectNext("503", 1, { method: "GET" });
  expect((await MambuClient.get("0512N0025", { connector: conn })).id).toBe("0512N0025");
  const few = connector({ retries: 2 });
  sandbox.faults.injectNext("503", 3, { method: "GET" });
  const err = await MambuClient.get("0512N0025", { connector: few }).then(() => null, (e) => e);
  expect(err).toBeInstanceOf(MambuCommError);
  expect(err.status).toBe(503);
  few.close();
  sandbox.faults.clear();
});
