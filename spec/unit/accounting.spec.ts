/**
 * The general ledger through the ORM: GL accounts (with their Decimal balances over a period), journal entries
 * (listed, searched, posted balanced — an unbalanced entry never reaches Mambu), the interest accrual
 * breakdown, and accounting reports generated as one awaitable (POST, then reads until COMPLETE, with progress,
 * bounded and abortable). Every request is an operation of the contract with a valid body.
 */
import nock from "nock";
import { Decimal, MambuAccountingReport, MambuError, MambuGLAccount, MambuGLJournalEntry, MambuInterestAccrual, MambuTsError } from "../../lib";
import type { AccountingReportProgress } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, contractTenant, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;

const { tenant } = contractTenant();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

const conn = () => testConnector({ tenantoffset: "-06:00" });

const CASH: Bag = {
  encodedKey: "8a00000000000000000000000000gl01", glCode: "1000", name: "Cash", type: "ASSET", usage: "DETAIL",
  activated: true, allowManualJournalEntries: true, currency: { code: "USD" }, stripTrailingZeros: false, balance: 10250.1,
  creationDate: "2026-01-01T00:00:00-06:00",
};
const EQUITY: Bag = { ...CASH, encodedKey: "8a00000000000000000000000000gl02", glCode: "3000", name: "Capital", type: "EQUITY", balance: 10250.1 };

/** The request matches an operation of the contract (path template) and its body validates. */
function expectOperation(seen: Captured, method: string, template: string): Bag | undefined {
  const match = findOperation(method, (seen.path as string).split("?")[0].replace(/^\/api/, ""));
  expect(match?.op.path).toBe(template);
  if (!match?.op.body) return undefined;
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match.resource, match.op.body, body)).toEqual([]);
  return body;
}

function valid(resource: string, ref: string, body: unknown): string {
  expect(validateAgainst(resource, { type: "object", ref }, body)).toEqual([]);
  return JSON.stringify(body);
}

describe("MambuGLAccount", () => {
  test("getAll: one type, a period and a branch as query parameters; balances are exact Decimals", async () => {
    tenant()
      .get("/api/glaccounts")
      .query({ type: "ASSET", from: "2026-01-01", to: "2026-01-31", branchId: "MAIN", offset: 0, limit: 50 })
      .reply(200, `[${valid("glaccounts", "GLAccount", CASH).replace("10250.1", "10250.10000000000000001")}]`);
    const accounts = await MambuGLAccount.getAll({ type: "ASSET", from: "2026-01-01", to: "2026-01-31", branchId: "MAIN", limit: 50, connector: conn() });
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toBeInstanceOf(MambuGLAccount);
    expect([accounts[0].glCode, accounts[0].type]).toEqual(["1000", "ASSET"]);
    expect(accounts[0].balance!.toFixed()).toBe("10250.10000000000000001");
  });

  test("getAll without a type, with a bad one, or with a period ending before it starts is refused before any request", () => {
    expect(() => MambuGLAccount.getAll({ connector: conn() } as never)).toThrow(/type is required, one of ASSET, LIABILITY, EQUITY, INCOME, EXPENSE/);
    expect(() => MambuGLAccount.getAll({ type: "ASSETS", connector: conn() } as never)).toThrow(MambuTsError);
    expect(() => MambuGLAccount.getAll({ type: "ASSET", from: "2026-02-01", to: "2026-01-01", connector: conn() })).toThrow(/from \(2026-02-01\) is after to/);
    expect(() => MambuGLAccount.getAll({ type: "ASSET", from: "1 Jan", connector: conn() })).toThrow(/from must be a date/);
  });

  test("get by GL code with the balance over a period", async () => {
    tenant().get("/api/glaccounts/1000").query({ from: "2026-01-01", to: "2026-01-31" }).reply(200, valid("glaccounts", "GLAccount", CASH));
    const cash = await MambuGLAccount.get("1000", { from: "2026-01-01", to: "2026-01-31", connector: conn() });
    expect(cash.name).toBe("Cash");
    expect(cash.balance!.equals(new Decimal("10250.1"))).toBe(true);
  });
});

describe("MambuGLJournalEntry", () => {
  const ENTRY = (type: string, gl: Bag, amount: number): Bag => ({
    encodedKey: `je-${type}`, entryID: type === "DEBIT" ? 1 : 2, type, amount, glAccount: gl, transactionId: "JE-1",
    bookingDate: "2026-01-15T00:00:00-06:00", creationDate: "2026-01-15T10:00:00-06:00", notes: "capital",
  });

  test("post: a balanced entry is sent with exact amounts and the tenant's offset; the created entries come back", async () => {
    const seen: Captured = {};
    const answer = [ENTRY("DEBIT", CASH, 0.3), ENTRY("CREDIT", EQUITY, 0.3)];
    expect(validateAgainst("gljournalentries", findOperation("POST", "/gljournalentries")!.op.responses["201"]!, answer)).toEqual([]);
    tenant().post("/api/gljournalentries").reply(capture(seen, 201, answer));
    const created = await MambuGLJournalEntry.post(
      { date: "2026-01-15T00:00:00", notes: "capital", debits: [{ glAccount: "1000", amount: new Decimal("0.3") }], credits: [{ glAccount: "3000", amount: "0.1" }, { glAccount: "3000", amount: 0.2 }] },
      { connector: conn() },
    );
    const body = expectOperation(seen, "POST", "/gljournalentries")!;
    expect(seen.body).toBe('{"date":"2026-01-15T00:00:00-06:00","notes":"capital","debits":[{"glAccount":"1000","amount":0.3}],"credits":[{"glAccount":"3000","amount":0.1},{"glAccount":"3000","amount":0.2}]}');
    expect(body.branchId).toBeUndefined();
    expect(seen.headers!["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.map((e) => [e.type, e.amount!.toFixed(2), e.glAccount!.glCode])).toEqual([["DEBIT", "0.30", "1000"], ["CREDIT", "0.30", "3000"]]);
    expect(created[0]).toBeInstanceOf(MambuGLJournalEntry);
  });

  test("an unbalanced entry is refused before any request, exactly (0.1 + 0.2 ≠ 0.30000000000000004)", async () => {
    // No interceptor: a request would fail with nock's "no match" (net connect disabled), not this error.
    await expect(MambuGLJournalEntry.post({ date: "2026-01-15T00:00:00-06:00", debits: [{ glAccount: "1000", amount: "0.30000000000000004" }], credits: [{ glAccount: "3000", amount: "0.1" }, { glAccount: "3000", amount: "0.2" }] }, { connector: conn() }))
      .rejects.toThrow("MambuGLJournalEntry.post: the entry is unbalanced: debits total 0.30000000000000004, credits total 0.3 (difference 0.00000000000000004)");
    await expect(MambuGLJournalEntry.post({ date: "2026-01-15T00:00:00-06:00", debits: [{ glAccount: "1000", amount: 100 }], credits: [{ glAccount: "3000", amount: 99.99 }] }, { connector: conn() }))
      .rejects.toThrow(/unbalanced: debits total 100, credits total 99.99 \(difference 0.01\)/);
  });

  test("a zero or negative line, an empty side or a line without a GL account is refused before any request", async () => {
    const post = (debits: unknown, credits: unknown) => MambuGLJournalEntry.post({ date: "2026-01-15T00:00:00-06:00", debits, credits } as never, { connector: conn() });
    await expect(post([{ glAccount: "1000", amount: 0 }, { glAccount: "1000", amount: 5 }], [{ glAccount: "3000", amount: 5 }])).rejects.toThrow("debits[0].amount must be positive, got 0");
    await expect(post([{ glAccount: "1000", amount: 10 }, { glAccount: "1000", amount: -5 }], [{ glAccount: "3000", amount: 5 }])).rejects.toThrow("debits[1].amount must be positive, got -5");
    await expect(post([{ glAccount: "1000", amount: 5 }], [])).rejects.toThrow("credits must be a non-empty array");
    await expect(post([{ glAccount: "", amount: 5 }], [{ glAccount: "3000", amount: 5 }])).rejects.toThrow("debits[0].glAccount must be a non-empty string");
    await expect(post([{ glAccount: "1000", amount: "abc" }], [{ glAccount: "3000", amount: 5 }])).rejects.toThrow(MambuTsError);
    await expect(post([{ glAccount: "1000", amount: 5, account: "x" }], [{ glAccount: "3000", amount: 5 }])).rejects.toThrow('unknown key "account"');
  });

  test("getAll without its period (from and to, both required) is refused before any request", () => {
    expect(() => MambuGLJournalEntry.getAll({ to: "2026-01-31", connector: conn() } as never)).toThrow('MambuGLJournalEntry.getAll: from is required, a date "YYYY-MM-DD" (got undefined)');
    expect(() => MambuGLJournalEntry.getAll({ from: "2026-02-01", to: "2026-01-31", connector: conn() })).toThrow(/from \(2026-02-01\) is after to/);
  });

  test("getAll over a period for one GL account, and search with the API's criteria", async () => {
    tenant().get("/api/gljournalentries").query({ from: "2026-01-01", to: "2026-01-31", glAccountId: "1000", offset: 0, limit: 10 }).reply(200, [ENTRY("DEBIT", CASH, 250.5)]);
    const listed = await MambuGLJournalEntry.getAll({ from: "2026-01-01", to: "2026-01-31", glAccountId: "1000", limit: 10, connector: conn() });
    expect(listed.map((e) => e.amount!.toFixed(2))).toEqual(["250.50"]);
    const seen: Captured = {};
    tenant().post("/api/gljournalentries:search").query({ offset: 0, limit: 5 }).reply(capture(seen, 200, [ENTRY("CREDIT", EQUITY, 250.5)]));
    const found = await MambuGLJournalEntry.search({
      filterCriteria: [{ field: "glAccountId", operator: "EQUALS", value: "3000" }], sortingCriteria: { field: "bookingDate", order: "ASC" }, limit: 5, connector: conn(),
    });
    expect(expectOperation(seen, "POST", "/gljournalentries:search")).toEqual({ filterCriteria: [{ field: "glAccountId", operator: "EQUALS", value: "3000" }], sortingCriteria: { field: "bookingDate", order: "ASC" } });
    expect(found[0].type).toBe("CREDIT");
  });
});

describe("MambuInterestAccrual", () => {
  test("search: the breakdown entries, amounts as Decimal; there is no list or read of one", async () => {
    const row: Bag = {
      entryId: 7, parentEntryId: 3, accountId: "L1", accountKey: "8a-loan", amount: 1.23456789, bookingDate: "2026-01-15", creationDate: "2026-01-15T23:59:59Z",
      entryType: "DEBIT", glAccountId: "1100", glAccountKey: "8a-gl", glAccountName: "Interest receivable", glAccountType: "ASSET", productType: "LOAN", productId: "P1",
    };
    const seen: Captured = {};
    tenant().post("/api/accounting/interestaccrual:search").query({ offset: 0, limit: 20 }).reply(capture(seen, 200, [row]));
    const rows = await MambuInterestAccrual.search({
      filterCriteria: [{ field: "accountId", operator: "EQUALS", value: "L1" }, { field: "bookingDate", operator: "BETWEEN", value: "2026-01-01", secondValue: "2026-01-31" }],
      sortingCriteria: { field: "bookingDate", order: "ASC" }, limit: 20, connector: conn(),
    });
    expectOperation(seen, "POST", "/accounting/interestaccrual:search");
    expect(validateAgainst("accounting_interestaccrual", findOperation("POST", "/accounting/interestaccrual:search")!.op.responses["200"]!, [row])).toEqual([]);
    expect(rows[0].amount!.toFixed()).toBe("1.23456789");
    expect(() => MambuInterestAccrual.getAll()).toThrow(/only searches interest accruals/);
    expect(() => MambuInterestAccrual.get("7")).toThrow(/only searches interest accruals/);
  });
});

describe("MambuAccountingReport.generate", () => {
  const KEY = "8a00000000000000000000000000rp01";
  const item = (gl: Bag, opening: number, debits: number, credits: number, closing: number): Bag => ({
    glAccount: gl, amounts: { openingBalance: opening, debits, credits, netChange: closing - opening, closingBalance: closing },
  });
  const COMPLETE: Bag = { reportKey: KEY, status: "COMPLETE", items: [item(CASH, 0, 10250.1, 0, 10250.1), item(EQUITY, 0, 0, 10250.1, 10250.1)] };

  test("POSTs the request, reads until COMPLETE with progress after each step, resolves to the report with Decimal amounts", async () => {
    const seen: Captured = {};
    tenant().post("/api/accounting/reports").reply(capture(seen, 202, { reportKey: KEY, status: "QUEUED" }));
    tenant().get(`/api/accounting/reports/${KEY}`).reply(200, valid("accounting_reports", "AccountingReport", { reportKey: KEY, status: "IN_PROGRESS" }));
    tenant().get(`/api/accounting/reports/${KEY}`).reply(200, valid("accounting_reports", "AccountingReport", COMPLETE));
    const progress: AccountingReportProgress[] = [];
    const report = await MambuAccountingReport.generate(
      { startDate: "2026-01-01", endDate: "2026-01-31", glTypes: ["ASSET", "EQUITY"] },
      { onProgress: (p) => progress.push(p), intervalMs: 0, connector: conn() },
    );
    expect(expectOperation(seen, "POST", "/accounting/reports")).toEqual({ startDate: "2026-01-01", endDate: "2026-01-31", glTypes: ["ASSET", "EQUITY"] });
    expect(progress).toEqual([{ reportKey: KEY, status: "QUEUED", poll: 0 }, { reportKey: KEY, status: "IN_PROGRESS", poll: 1 }, { reportKey: KEY, status: "COMPLETE", poll: 2 }]);
    expect(report.status).toBe("COMPLETE");
    expect(report.items!.map((i) => [i.glAccount!.glCode, i.amounts!.debits!.toFixed(2), i.amounts!.credits!.toFixed(2), i.amounts!.closingBalance!.toFixed(2)])).toEqual([
      ["1000", "10250.10", "0.00", "10250.10"], ["3000", "0.00", "10250.10", "10250.10"],
    ]);
    const debits = report.items!.reduce((s, i) => s.plus(i.amounts!.debits!), new Decimal(0));
    const credits = report.items!.reduce((s, i) => s.plus(i.amounts!.credits!), new Decimal(0));
    expect(debits.equals(credits)).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  test("gives up after maxPolls reads with a MambuTsError (no further request)", async () => {
    tenant().post("/api/accounting/reports").reply(202, { reportKey: KEY, status: "QUEUED" });
    tenant().get(`/api/accounting/reports/${KEY}`).times(3).reply(200, { reportKey: KEY, status: "IN_PROGRESS" });
    let reads = 0;
    await expect(MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31" }, { intervalMs: 0, maxPolls: 3, onProgress: (p) => (reads = p.poll), connector: conn() }))
      .rejects.toThrow(`MambuAccountingReport.generate: report ${KEY} still IN_PROGRESS after 3 reads`);
    expect(reads).toBe(3);
    expect(nock.isDone()).toBe(true);
  });

  test("a report Mambu ends in ERROR rejects with a MambuError", async () => {
    tenant().post("/api/accounting/reports").reply(202, { reportKey: KEY, status: "QUEUED" });
    tenant().get(`/api/accounting/reports/${KEY}`).reply(200, { reportKey: KEY, status: "ERROR" });
    const err = await MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31" }, { intervalMs: 0, connector: conn() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as Error).message).toMatch(/ended report .* with status ERROR/);
  });

  test("an abort while waiting rejects at once, and no further read is sent", async () => {
    tenant().post("/api/accounting/reports").reply(202, { reportKey: KEY, status: "QUEUED" });
    const ac = new AbortController();
    const pending = MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31" }, { intervalMs: 3_600_000, signal: ac.signal, onProgress: () => ac.abort(), connector: conn() });
    await expect(pending).rejects.toThrow("MambuAccountingReport.generate: aborted by the caller");
  });

  test("a bad request or bad options are refused before any request", async () => {
    const c = conn();
    await expect(MambuAccountingReport.generate({ startDate: "2026-02-01", endDate: "2026-01-01" }, { connector: c })).rejects.toThrow(/startDate \(2026-02-01\) is after endDate/);
    await expect(MambuAccountingReport.generate({ startDate: "2026-01-01" } as never, { connector: c })).rejects.toThrow(/startDate and endDate are required/);
    await expect(MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31", glTypes: ["ASSETS"] } as never, { connector: c })).rejects.toThrow(MambuTsError);
    await expect(MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31" }, { maxPolls: 0, connector: c })).rejects.toThrow(/maxPolls must be an integer between 1 and/);
    await expect(MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31" }, { intervalMs: -1, connector: c })).rejects.toThrow(/intervalMs/);
    await expect(MambuAccountingReport.generate({ startDate: "2026-01-01", endDate: "2026-01-31" }, { pollEvery: 5 } as never)).rejects.toThrow(/unknown option "pollEvery"/);
  });
});
