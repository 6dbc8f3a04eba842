/**
 * What a bulk job (a data migration) needs from the ORM, with the fewest requests: adopt-by-id
 * (`find`: undefined on 404), creation and operations with a caller-supplied `Idempotency-Key`,
 * operations with `reread: false` (one request; Mambu's answer taken as the new state), a schedule
 * edit, and a connector's own page size. Each test counts the requests nock saw.
 */
import nock from "nock";
import {
  Decimal, deterministicUuidV4, MambuClient, MambuDeposit, MambuError, MambuLoan, MambuTransaction, MambuTsError, parseJsonExact, RawNumber,
} from "../../lib";
import { MambuConfig } from "../../lib/config";
import { MambuConnector } from "../../lib/transport";
import { capture, Captured, fixture, fixtureJson, mambu, PASSWORD, startRecorder, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;

const LOAN_KEY = "8a0000000000000000000000000l5432";
const LOAN_PATH = `/api/loans/${LOAN_KEY}`;
const KEY = deterministicUuidV4("plan", "row 17", "repayment");

/** Every request nock answered in this test, as "METHOD path". */
const seen: string[] = [];
beforeEach(() => {
  seen.length = 0;
});
afterEach(() => {
  nock.cleanAll();
});
function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string }) => seen.push(`${req.method} ${req.path.split("?")[0]}`));
  return scope;
}

async function readLoan(over: Bag = {}): Promise<MambuLoan> {
  tenant().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, JSON.stringify({ ...fixtureJson<Bag>("loan-full.json"), ...over }));
  const loan = await MambuLoan.get("54321", { connector: testConnector() });
  seen.length = 0;
  return loan;
}

describe("find(id): adopt-by-id", () => {
  test("resolves the entity when Mambu has it, through the given connector", async () => {
    tenant().get("/api/clients/0512N0025").query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
    const conn = testConnector();
    const client = await MambuClient.find("0512N0025", { connector: conn });
    expect(client).toBeInstanceOf(MambuClient);
    expect(client?.encodedKey).toBe("8a099a673f1f25a0013f1fd0a1c318a5");
    tenant().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
    await client!.refresh(); // the connector it was found through answers (nock would refuse another host)
    expect(seen).toEqual(["GET /api/clients/0512N0025", "GET /api/clients/8a099a673f1f25a0013f1fd0a1c318a5"]);
  });

  test("resolves undefined when Mambu answers 404, and rejects on other errors", async () => {
    tenant().get("/api/clients/NOPE").query({ detailsLevel: "BASIC" }).reply(404, { errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }] });
    await expect(MambuClient.find("NOPE", { connector: testConnector() })).resolves.toBeUndefined();
    tenant().get("/api/clients/LOCKED").query({ detailsLevel: "BASIC" }).reply(403, { errors: [{ errorCode: 15, errorReason: "INVALID_API_OPERATION" }] });
    const e = await MambuClient.find("LOCKED", { connector: testConnector() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MambuError);
    expect((e as MambuError).status).toBe(403);
    expect(seen).toEqual(["GET /api/clients/NOPE", "GET /api/clients/LOCKED"]);
  });

  test("checks its arguments like get, before any request", async () => {
    await expect(MambuClient.find("", { connector: testConnector() })).rejects.toThrow(MambuTsError);
    await expect(MambuClient.find("x", { bogus: 1 } as never)).rejects.toThrow(/unknown option "bogus"/);
    expect(seen).toEqual([]);
  });
});

describe("create({ idempotencyKey }): one request, the answer is the state", () => {
  test("posts the fields exactly with the caller's key and takes Mambu's answer without a GET", async () => {
    const got: Captured = {};
    const answer = { ...fixtureJson<Bag>("client-full.json"), id: "MIG-1", encodedKey: "8a0000000000000000000000000mig01" };
    tenant().post("/api/clients").reply(capture(got, 201, answer));
    const client = new MambuClient(parseJsonExact('{"id":"MIG-1","firstName":"Ana","lastName":"Ruiz","_OtherDetails":{"Age":"034"}}') as Bag);
    await client.create({ idempotencyKey: KEY, connector: testConnector() });
    expect(seen).toEqual(["POST /api/clients"]);
    expect(got.headers?.["idempotency-key"]).toBe(KEY);
    expect(JSON.parse(got.body!)).toEqual({ id: "MIG-1", firstName: "Ana", lastName: "Ruiz", _OtherDetails: { Age: "034" } });
    expect(client.encodedKey).toBe("8a0000000000000000000000000mig01");
    expect(client.state).toBe(fixtureJson<Bag>("client-full.json").state);
  });
});

describe("operations with { reread: false }", () => {
  test("repay: one POST with the caller's key, amounts exact; the transaction is built from the answer; the loan is not re-read", async () => {
    const recorder = await startRecorder((req) => (req.method === "GET" ? [200, fixture("loan-full.json")] : [201, fixture("loan-tx-repayment.json")]));
    try {
      const loan = await MambuLoan.get("54321", { connector: recorder.connector() });
      const tx = await loan.repay(new RawNumber("250.50"), { externalId: "legacy-17", valueDate: "2026-11-21T10:00:00+05:30", idempotencyKey: KEY, reread: false });
      expect(recorder.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual(["GET /api/loans/54321", `POST ${LOAN_PATH}/repayment-transactions`]);
      const post = recorder.requests[1];
      expect(post.headers["idempotency-key"]).toBe(KEY);
      expect(post.body).toBe('{"amount":250.50,"externalId":"legacy-17","valueDate":"2026-11-21T10:00:00+05:30"}');
      expect(tx).toBeInstanceOf(MambuTransaction);
      expect(tx.encodedKey).toBe("8a00000000000000000000000000t100");
      expect(loan.accountState).toBe("ACTIVE"); // as last read
    } finally {
      await recorder.close();
    }
  });

  test("by default the account is re-read after the operation (two requests)", async () => {
    const loan = await readLoan();
    tenant().post(`${LOAN_PATH}/repayment-transactions`).reply(201, fixture("loan-tx-repayment.json"));
    tenant().get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, JSON.stringify({ ...fixtureJson<Bag>("loan-full.json"), accountState: "CLOSED" }));
    await loan.repay(new Decimal("250.50"));
    expect(seen).toEqual([`POST ${LOAN_PATH}/repayment-transactions`, `GET ${LOAN_PATH}`]);
    expect(loan.accountState).toBe("CLOSED");
  });

  test("setState adopts the account Mambu answers with, without a GET", async () => {
    const loan = await readLoan({ accountState: "PENDING_APPROVAL" });
    const got: Captured = {};
    tenant().post(`${LOAN_PATH}:changeState`).reply(capture(got, 200, { ...fixtureJson<Bag>("loan-full.json"), accountState: "APPROVED" }));
    const same = await loan.approve("Migrated", { idempotencyKey: KEY, reread: false });
    expect(same).toBe(loan);
    expect(seen).toEqual([`POST ${LOAN_PATH}:changeState`]);
    expect(JSON.parse(got.body!)).toEqual({ action: "APPROVE", notes: "Migrated" });
    expect(got.headers?.["idempotency-key"]).toBe(KEY);
    expect(loan.accountState).toBe("APPROVED");
  });

  test("an answer without a body (writeOff) leaves the account as last read, without a GET", async () => {
    const loan = await readLoan();
    tenant().post(`${LOAN_PATH}:writeOff`).reply(204);
    await loan.writeOff("Uncollectable", { reread: false });
    expect(seen).toEqual([`POST ${LOAN_PATH}:writeOff`]);
    expect(loan.accountState).toBe("ACTIVE");
  });

  test("an answer that is another record is not taken for the account", async () => {
    const loan = await readLoan({ accountState: "PENDING_APPROVAL" });
    tenant().post(`${LOAN_PATH}:changeState`).reply(200, { ...fixtureJson<Bag>("loan-full.json"), encodedKey: "8a000000000000000000000000other1", accountState: "APPROVED" });
    await loan.approve(undefined, { reread: false });
    expect(loan.accountState).toBe("PENDING_APPROVAL");
    expect(loan.encodedKey).toBe(LOAN_KEY);
  });

  test("deposits too: the deposit's approval adopts the answer", async () => {
    tenant().get("/api/deposits/DEP1").query({ detailsLevel: "BASIC" }).reply(200, JSON.stringify({ ...fixtureJson<Bag>("deposit-full.json"), accountState: "PENDING_APPROVAL" }));
    const dep = await MambuDeposit.get("DEP1", { connector: testConnector() });
    tenant().post("/api/deposits/8a00000000000000000000000000d001:changeState").reply(200, fixture("deposit-full.json"));
    await dep.approve(undefined, { reread: false });
    expect(seen).toEqual(["GET /api/deposits/DEP1", "POST /api/deposits/8a00000000000000000000000000d001:changeState"]);
    expect(dep.accountState).toBe("ACTIVE");
  });

  test("adjusting a transaction: one POST, the account is not re-read", async () => {
    const loan = await readLoan();
    const tx = MambuTransaction.fromWire({ ...fixtureJson<Bag>("loan-tx-repayment.json"), parentAccountKey: LOAN_KEY }, testConnector());
    tenant().post("/api/loans/transactions/8a00000000000000000000000000t100:adjust").reply(200, JSON.stringify({ ...fixtureJson<Bag>("loan-tx-repayment.json"), encodedKey: "8a00000000000000000000000000t101", type: "REPAYMENT_ADJUSTMENT" }));
    const adjustment = await loan.adjustTransaction(tx, "Bounced", { reread: false });
    expect(seen).toEqual(["POST /api/loans/transactions/8a00000000000000000000000000t100:adjust"]);
    expect(adjustment.type).toBe("REPAYMENT_ADJUSTMENT");
  });

  test("reread must be a boolean", async () => {
    const loan = await readLoan();
    await expect(loan.repay(1, { reread: "no" as never })).rejects.toThrow(/reread must be true or false/);
    await expect(loan.approve(undefined, { reread: 0 as never })).rejects.toThrow(/reread must be true or false/);
    expect(seen).toEqual([]);
  });
});

describe("loan.editSchedule(installments)", () => {
  const schedule = {
    installments: [
      { encodedKey: "8a00000000000000000000000000i001", number: "1", dueDate: "2026-02-01T00:00:00+02:00", state: "PENDING" as const, principal: { amount: { expected: 500.5, paid: 0, due: 500.5 } } },
      { encodedKey: "8a00000000000000000000000000i002", number: "2", dueDate: "2026-03-01T00:00:00+02:00", state: "PENDING" as const, principal: { amount: { expected: 999.5, paid: 0, due: 999.5 } } },
    ],
  };

  test("PUTs the installments exactly, returns and sets the answered schedule; no re-read with reread: false", async () => {
    const approved = JSON.stringify({ ...fixtureJson<Bag>("loan-full.json"), accountState: "APPROVED" });
    const recorder = await startRecorder((req) => (req.method === "GET" ? [200, approved] : [200, schedule]));
    try {
      const loan = await MambuLoan.get("54321", { connector: recorder.connector() });
      const rows = await loan.editSchedule(
        [
          { number: "1", dueDate: "2026-02-01T00:00:00+05:30", principal: { amount: { expected: new RawNumber("500.50") } } },
          { number: "2", dueDate: "2026-03-01T00:00:00+05:30", principal: { amount: { expected: "999.50" } } },
        ],
        { idempotencyKey: KEY, reread: false },
      );
      expect(recorder.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual(["GET /api/loans/54321", `PUT ${LOAN_PATH}/schedule`]);
      const put = recorder.requests[1];
      expect(put.headers["idempotency-key"]).toBe(KEY);
      expect(put.body).toBe(
        '{"installments":[{"number":"1","dueDate":"2026-02-01T00:00:00+05:30","principal":{"amount":{"expected":500.50}}},' +
          '{"number":"2","dueDate":"2026-03-01T00:00:00+05:30","principal":{"amount":{"expected":999.5}}}]}',
      );
      expect(rows.map((r) => [r.number, String(r.principal?.amount?.expected)])).toEqual([["1", "500.5"], ["2", "999.5"]]);
      expect(loan.schedule).toBe(rows);
      expect(loan.accountState).toBe("APPROVED");
    } finally {
      await recorder.close();
    }
  });

  test("re-reads the loan by default; refuses a bad installment before any request", async () => {
    const loan = await readLoan({ accountState: "APPROVED" });
    tenant().put(`${LOAN_PATH}/schedule`).reply(200, schedule);
    tenant().get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, JSON.stringify({ ...fixtureJson<Bag>("loan-full.json"), scheduleSettings: { hasCustomSchedule: true } }));
    await loan.editSchedule(schedule.installments);
    expect(seen).toEqual([`PUT ${LOAN_PATH}/schedule`, `GET ${LOAN_PATH}`]);
    expect(loan.scheduleSettings?.hasCustomSchedule).toBe(true);
    seen.length = 0;
    await expect(loan.editSchedule([{ number: 1 } as never])).rejects.toThrow(/number: expected a string/);
    await expect(loan.editSchedule([])).rejects.toThrow(/non-empty list/);
    await expect(loan.editSchedule([{ number: "1", bogus: 2 } as never])).rejects.toThrow(/bogus/);
    expect(seen).toEqual([]);
  });
});

describe("a connector's page size (apipagination)", () => {
  test("listings through it ask for that many records a page, whatever the config says", async () => {
    const config = new MambuConfig({ env: {}, rcFiles: [] });
    Object.assign(config, { apiurl: "tenant.mambu.test", apiuser: "api.user", apipwd: PASSWORD, concurrency: 1 });
    const conn = new MambuConnector({ config, apipagination: 1000, sleep: async () => {} });
    expect(config.apipagination).toBe(50);
    expect(conn.pageSize).toBe(1000);
    tenant().get(`${LOAN_PATH}/transactions`).query({ offset: 0, limit: 1000 }).reply(200, `[${fixture("loan-tx-repayment.json")}]`);
    const loan = MambuLoan.fromWire(fixtureJson<Bag>("loan-full.json"), conn);
    const txs = await loan.getTransactions();
    expect(txs).toHaveLength(1);
    expect(seen).toEqual([`GET ${LOAN_PATH}/transactions`]);
    expect(new MambuConnector({ config, apipagination: 5000 }).pageSize).toBe(1000);
    expect(() => new MambuConnector({ config, apipagination: 0 })).toThrow(/apipagination must be a whole number/);
  });
});
