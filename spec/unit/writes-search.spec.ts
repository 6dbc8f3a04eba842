/** Writes (create, update, delete) and search: exact method, path, query, headers and body. */
import nock from "nock";
import { inspect } from "util";
import { Decimal, MambuClient, MambuLoan, MambuTsError, parseJsonExact } from "../../lib";
import { validateAgainst, definition } from "../../lib/contract/schema";
import { capture, Captured, fixture, mambu, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

describe("create", () => {
  test("POSTs the new entity and takes Mambu's answer (ids, keys, dates)", async () => {
    const seen: Captured = {};
    const created = { encodedKey: "8a00000000000000000000000000cafe", id: "NEW1", firstName: "ANA", lastName: "DIAZ", state: "PENDING_APPROVAL", creationDate: "2026-01-01T10:00:00+02:00" };
    mambu().post("/api/clients").reply(capture(seen, 201, created));
    const c = new MambuClient({ firstName: "ANA", lastName: "DIAZ", assignedBranchKey: "b1", _OtherDetails: { Age: "30" } });
    expect(c.Age).toBe("30");
    await c.create({ idempotencyKey: "01234567-9abc-4def-8123-56789abcdef0", connector: testConnector() });
    expect(JSON.parse(seen.body as string)).toEqual({ firstName: "ANA", lastName: "DIAZ", assignedBranchKey: "b1", _OtherDetails: { Age: "30" } });
    expect(seen.headers?.["idempotency-key"]).toBe("01234567-9abc-4def-8123-56789abcdef0");
    expect(seen.headers?.["content-type"]).toBe("application/json");
    expect(c.id).toBe("NEW1");
    expect(c.creationDate?.toISO()).toBe("2026-01-01T10:00:00.000+02:00");
    expect(c.pendingPatch()).toEqual([]);
  });

  test("the create body of a loan is valid against Mambu's LoanAccount definition", () => {
    const loan = new MambuLoan({
      accountHolderKey: "c1", accountHolderType: "CLIENT", productTypeKey: "p1", loanAmount: new Decimal("1500.00"),
      scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3 },
      disbursementDetails: { expectedDisbursementDate: "2026-02-01T00:00:00+02:00" },
    });
    const problems = validateAgainst("loans", { type: "object", ref: "LoanAccount" }, parseJsonExact(JSON.stringify(loan.toJSON())));
    expect(problems).toEqual([]);
    expect(definition("loans", "LoanAccount").required).toContain("loanAmount");
  });

  test("a wrong nested field is refused before any request", async () => {
    const loan = new MambuLoan({ accountHolderKey: "c1", accountHolderType: "CLIENT", productTypeKey: "p1", loanAmount: 10, scheduleSettings: { gracePeriod: 0, installmentz: 3 } });
    await expect(loan.create()).rejects.toThrow(/scheduleSettings.installmentz: unknown field/);
  });
});

describe("update and delete", () => {
  test("DELETE goes to the entity's encodedKey", async () => {
    mambu().get("/api/clients/0512N0025").query(true).reply(200, fixture("client-full.json"));
    const del = mambu().delete("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").reply(204);
    const c = await MambuClient.get("0512N0025", { connector: testConnector() });
    await c.delete();
    expect(del.isDone()).toBe(true);
  });

  test("refresh re-reads with the same detailsLevel and drops local changes", async () => {
    mambu().get("/api/clients/0512N0025").query({ detailsLevel: "FULL" }).reply(200, fixture("client-full.json"));
    mambu().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query({ detailsLevel: "FULL" }).reply(200, fixture("client-full.json"));
    const c = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: testConnector() });
    c.firstName = "CHANGED";
    await c.refresh();
    expect(c.firstName).toBe("JOSEFA");
    expect(c.Age).toBe("48");
  });

  test("an entity with no key cannot be updated", async () => {
    await expect(new MambuClient({ firstName: "X" }).update()).rejects.toThrow(/has no id or encodedKey yet/);
  });

  test("unknown option keys are errors, not silently dropped", async () => {
    const c = new MambuClient({ firstName: "X" });
    await expect(c.create({ idempotency: "x" } as never)).rejects.toThrow(/unknown option "idempotency"/);
  });
});

describe("search (cookbook section 5)", () => {
  test("POSTs filterCriteria to /loans:search with limit and detailsLevel in the query", async () => {
    const seen: Captured = {};
    let query: Record<string, string> = {};
    mambu().post("/api/loans:search").query((q) => ((query = q as Record<string, string>), true)).reply(capture(seen, 200, "[" + fixture("loan-full.json") + "]"));
    const loans = await MambuLoan.search({
      filterCriteria: [
        { field: "accountState", operator: "EQUALS", value: "ACTIVE_IN_ARREARS" },
        { field: "loanAmount", operator: "MORE_THAN", value: 750000 },
      ],
      limit: 20,
      connector: testConnector(),
    });
    expect(loans).toHaveLength(1);
    expect(loans[0]).toBeInstanceOf(MambuLoan);
    expect(JSON.parse(seen.body as string)).toEqual({
      filterCriteria: [
        { field: "accountState", operator: "EQUALS", value: "ACTIVE_IN_ARREARS" },
        { field: "loanAmount", operator: "MORE_THAN", value: 750000 },
      ],
    });
    expect(query).toEqual({ offset: "0", limit: "20" });
  });

  test("custom fields by _set.field, IN with values, BETWEEN with secondValue, sorting", async () => {
    const seen: Captured = {};
    mambu().post("/api/clients:search").query(true).reply(capture(seen, 200, []));
    await MambuClient.search({
      filterCriteria: [
        { field: "_marketing_opt_in.investor_newsletter", operator: "EQUALS", value: "FALSE" },
        { field: "_group_details.industry", operator: "IN", values: ["agriculture", "arboriculture"] },
        { field: "creationDate", operator: "BETWEEN", value: "2021-01-01", secondValue: "2021-12-31" },
      ],
      sortingCriteria: { field: "id", order: "ASC" },
      connector: testConnector(),
    });
    expect(JSON.parse(seen.body as string)).toEqual({
      filterCriteria: [
        { field: "_marketing_opt_in.investor_newsletter", operator: "EQUALS", value: "FALSE" },
        { field: "_group_details.industry", operator: "IN", values: ["agriculture", "arboriculture"] },
        { field: "creationDate", operator: "BETWEEN", value: "2021-01-01", secondValue: "2021-12-31" },
      ],
      sortingCriteria: { field: "id", order: "ASC" },
    });
  });

  test("operators are checked against the API's list before any request", () => {
    const conn = testConnector();
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuClient.search({ filterCriteria: [{ field: "firstName", operator: "LIKE", value: "J" }], connector: conn })).toThrow(/operator "LIKE" is not one of EQUALS/);
    expect(() => MambuClient.search({ filterCriteria: [{ field: "id", operator: "IN", value: "1" }], connector: conn })).toThrow(/IN needs a non-empty values array/);
    expect(() => MambuClient.search({ filterCriteria: [{ field: "id", operator: "BETWEEN", value: "1" }], connector: conn })).toThrow(/secondValue/);
    expect(() => MambuClient.search({ filterCriteria: [{ field: "id", operator: "EQUALS", value: "1", valeu: 2 } as never], connector: conn })).toThrow(/unknown key valeu/);
    expect(() => MambuClient.search({ filterCriteria: "x" as never, connector: conn })).toThrow(MambuTsError);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("REPL printing", () => {
  test("entities print as MambuLoan(54321) { ... } with readable money and dates, internals hidden", () => {
    const loan = MambuLoan.fromWire(parseJsonExact(fixture("loan-full.json")) as Record<string, unknown>);
    const text = inspect(loan, { depth: 3 });
    expect(text.startsWith("MambuLoan(54321) {")).toBe(true);
    expect(text).toContain("accountState: 'ACTIVE'");
    expect(text).toContain("loanAmount: 1500.00");
    expect(text).toContain("creationDate: 2021-03-09T13:37:50+05:30");
    expect(text).not.toMatch(/Symbol\(|mambu-ts\.raw/);
  });

  test("money shows the decimals of the entity's currency (JPY 0, KWD 3)", () => {
    const raw = parseJsonExact(fixture("loan-full.json")) as Record<string, unknown>;
    expect(inspect(MambuLoan.fromWire({ ...raw, currency: { code: "JPY" }, loanAmount: 1500 }))).toContain("loanAmount: 1500,");
    expect(inspect(MambuLoan.fromWire({ ...raw, currency: { code: "KWD" }, loanAmount: 1500 }))).toContain("loanAmount: 1500.000,");
    expect(inspect(MambuLoan.fromWire({ ...raw, currency: { code: "KWD" }, interestSettings: { interestRate: 1.5 } }), { depth: 3 })).toContain("interestRate: 1.5 ");
  });
});
