/**
 * The generic caller of the contract's operations (`callOperation`, and `api.<resource>.<operationId>`
 * over it): requests are checked against the operation before anything is sent, paths are encoded,
 * bodies and answers travel as exact JSON, and Mambu's errors come back typed.
 */
import nock from "nock";
import { api, callOperation, Decimal, MambuCommError, MambuError, MambuTsError, RawNumber } from "../../lib";
import { capture, Captured, mambu, startRecorder, testConnector } from "../helpers/mambu";

const KEY = "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe("paths and query", () => {
  test("path parameters are encoded as one segment each and query parameters are sent", async () => {
    const seen: Captured = {};
    mambu().get("/api/loans/AB%2FC%20D").query({ detailsLevel: "FULL" }).reply(capture(seen, 200, { id: "AB/C D" }));
    const loan = await api.loans.getById({ loanAccountId: "AB/C D", detailsLevel: "FULL" }, { connector: testConnector() });
    expect(loan).toEqual({ id: "AB/C D" });
    expect(seen.path).toBe("/api/loans/AB%2FC%20D?detailsLevel=FULL");
  });

  test("a missing path parameter is refused before sending", async () => {
    await expect(callOperation("loans", "getById", { path: {}, connector: testConnector() })).rejects.toThrow(
      new MambuTsError('loans.getById: path parameter "loanAccountId" is required (GET /loans/{loanAccountId})'),
    );
    await expect((api.loans.getById as (p: object) => Promise<unknown>)({ loanAccountId: "" })).rejects.toBeInstanceOf(MambuTsError);
  });

  test("an unknown query parameter is refused, naming the known ones", async () => {
    const call = (api.loans.getById as (p: object, o: object) => Promise<unknown>)({ loanAccountId: "1", detailLevel: "FULL" }, { connector: testConnector() });
    await expect(call).rejects.toThrow('loans.getById: unknown query parameter "detailLevel"; parameters: detailsLevel');
  });

  test("query values are checked against their enum and type", async () => {
    await expect(callOperation("loans", "getById", { path: { loanAccountId: "1" }, query: { detailsLevel: "ALL" }, connector: testConnector() })).rejects.toThrow(
      'loans.getById detailsLevel: expected one of BASIC, FULL, got "ALL"',
    );
    await expect(callOperation("loans", "getAll", { query: { limit: "ten" }, connector: testConnector() })).rejects.toThrow(
      'loans.getAll limit: expected an integer, got "ten"',
    );
  });

  test("a required query parameter must be given", async () => {
    await expect(callOperation("gljournalentries", "getAll", { query: { to: "2024-01-31" }, connector: testConnector() })).rejects.toThrow(
      'gljournalentries.getAll: query parameter "from" is required',
    );
  });

  test("array parameters with collectionFormat multi repeat their key", async () => {
    const seen: Captured = {};
    mambu().get("/api/customfieldsets").query(true).reply(capture(seen, 200, []));
    await api.customfieldsets.getAll({ availableFor: ["CLIENT", "GROUP"] }, { connector: testConnector() });
    expect(seen.path).toBe("/api/customfieldsets?availableFor=CLIENT&availableFor=GROUP");
  });

  test("an unknown operation or resource is a MambuTsError naming what exists", async () => {
    await expect(callOperation("loans", "writeOf")).rejects.toThrow(/loans has no operation "writeOf"; operations: .*writeOff/);
    await expect(callOperation("loanz", "getById")).rejects.toThrow('unknown Mambu resource "loanz"');
  });
});

describe("bodies", () => {
  test("a POST sends its body as JSON with an Idempotency-Key (the caller's when given) and returns undefined for 204", async () => {
    const seen: Captured = {};
    mambu().post("/api/loans/54321:writeOff").reply(capture(seen, 204));
    const out = await api.loans.writeOff({ loanAccountId: "54321" }, { notes: "uncollectable" }, { connector: testConnector(), idempotencyKey: KEY });
    expect(out).toBeUndefined();
    expect(seen.body).toBe('{"notes":"uncollectable"}');
    expect(seen.headers?.["idempotency-key"]).toBe(KEY);
    expect(seen.headers?.["content-type"]).toBe("application/json");

    const again: Captured = {};
    mambu().post("/api/loans/54321:writeOff").reply(capture(again, 204));
    await api.loans.writeOff({ loanAccountId: "54321" }, undefined, { connector: testConnector() });
    expect(String(again.headers?.["idempotency-key"])).toMatch(UUID_V4);
  });

  test("a body is validated against its definition before sending (every problem listed)", async () => {
    const bad = { notes: 5, nope: true } as unknown as { notes: string };
    await expect(api.loans.writeOff({ loanAccountId: "54321" }, bad, { connector: testConnector() })).rejects.toThrow(
      "loans.writeOff: the body does not follow the contract:\n  body.notes: expected string, got number 5\n  body.nope: unknown field (not in LoanActionDetails)",
    );
  });

  test("a required body must be given, and an operation without one takes none", async () => {
    await expect(callOperation("loans", "changeState", { path: { loanAccountId: "1" }, connector: testConnector() })).rejects.toThrow(
      "loans.changeState: a request body is required",
    );
    await expect(callOperation("loans", "getById", { path: { loanAccountId: "1" }, body: {}, connector: testConnector() })).rejects.toThrow(
      "loans.getById takes no request body (GET /loans/{loanAccountId})",
    );
  });

  test("numbers round-trip exactly: RawNumber and Decimal are sent as written, unsafe answers come back as RawNumber", async () => {
    const answer = '{"id":"T1","amount":1500.50,"encodedKey":"k","big":123456789012345678901,"n":3}';
    const rec = await startRecorder(() => [201, answer]);
    try {
      const tx = await api.loans_transactions.makeRepayment(
        { loanAccountId: "54321" },
        { amount: new RawNumber("1500.50"), notes: "r" },
        { connector: rec.connector() },
      );
      expect(rec.requests[0].url).toBe("/api/loans/54321/repayment-transactions");
      expect(rec.requests[0].body).toBe('{"amount":1500.50,"notes":"r"}');
      const out = tx as unknown as Record<string, unknown>;
      expect(out.amount).toEqual(new RawNumber("1500.50"));
      expect((out.big as RawNumber).text).toBe("123456789012345678901");
      expect(out.n).toBe(3);

      await api.loans_transactions.makeRepayment({ loanAccountId: "54321" }, { amount: new Decimal("0.10") }, { connector: rec.connector() });
      expect(rec.requests[1].body).toBe('{"amount":"0.1"}');
    } finally {
      await rec.close();
    }
  });
});

describe("errors", () => {
  test("Mambu's error answers are MambuErrors with code, status and reason", async () => {
    mambu()
      .get("/api/loans/nope")
      .reply(404, { errors: [{ errorCode: 101, errorSource: "loanAccountId", errorReason: "INVALID_LOAN_ACCOUNT_ID" }] });
    const e = await api.loans.getById({ loanAccountId: "nope" }, { connector: testConnector() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MambuError);
    expect(e).toMatchObject({ status: 404, errorCode: 101, errorReason: "INVALID_LOAN_ACCOUNT_ID" });
  });

  test("a tenant that keeps failing is a MambuCommError", async () => {
    mambu().get("/api/loans/1").times(2).reply(503, "busy");
    const e = await api.loans.getById({ loanAccountId: "1" }, { connector: testConnector({ retries: 1 }) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MambuCommError);
    expect(e).toMatchObject({ status: 503 });
  });
});
