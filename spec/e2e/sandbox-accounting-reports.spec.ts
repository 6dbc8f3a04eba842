/**
 * The sandbox's interest accrual breakdown and accounting reports over HTTP, on the demo tenant (its chart of
 * accounts and CASH rules; loan 54322 is a running declining-balance loan whose interest is applied on the due
 * dates). The accrual search gives, per day of the running period, a debit on INTEREST_RECEIVABLE and a credit on
 * INTEREST_INCOME that add up to the loan's `accruedInterest`; reports are QUEUED, then IN_PROGRESS at the first
 * read, COMPLETE at the second, with per-account opening balance, debits, credits, net change and closing balance
 * that agree with GET /glaccounts — and total debits equal total credits. Every answer matches the contract.
 */
import Decimal from "decimal.js";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, contractCall } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(() => sb.stop());

/** Calls the sandbox; a JSON answer must match the contract's response schema for its status. */
async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  return contractCall(sb, method, path, body, { strict: true });
}

async function ok(method: string, path: string, body: unknown, status: number): Promise<Answer> {
  return contractCall(sb, method, path, body, { status, strict: true });
}

const reason = (r: Answer): string => r.body?.errors?.[0]?.errorReason;
const total = (xs: Array<{ amount: number }>) => xs.reduce((s, x) => s.plus(x.amount), new Decimal(0));

interface Accrual {
  entryId: number;
  accountId: string;
  entryType: "DEBIT" | "CREDIT";
  amount: number;
  bookingDate: string;
  glAccountId: string;
  glAccountType: string;
}

async function accruals(body: unknown, query = "limit=1000"): Promise<Accrual[]> {
  return (await ok("POST", `/accounting/interestaccrual:search?${query}`, body, 200)).body;
}

describe("POST /accounting/interestaccrual:search", () => {
  test("a running loan's accrual, day by day, adds up to its accruedInterest; debits equal credits", async () => {
    const loan = (await ok("GET", "/loans/54322?detailsLevel=FULL", undefined, 200)).body;
    expect(loan.accruedInterest).toBeGreaterThan(0);
    const rows = await accruals({ filterCriteria: [{ field: "accountId", operator: "EQUALS", value: "54322" }], sortingCriteria: { field: "entryId", order: "ASC" } });
    const debits = rows.filter((r) => r.entryType === "DEBIT");
    const credits = rows.filter((r) => r.entryType === "CREDIT");
    expect(total(debits).toFixed(2)).toBe(new Decimal(loan.accruedInterest).toFixed(2));
    expect(total(credits).toFixed(2)).toBe(total(debits).toFixed(2));
    expect(new Set(debits.map((r) => r.glAccountId))).toEqual(new Set(["1400"]));
    expect(new Set(credits.map((r) => r.glAccountId))).toEqual(new Set(["4100"]));
    // one day after the other, up to yesterday (today's accrual runs at the end of the day)
    const days = debits.map((r) => r.bookingDate.slice(0, 10));
    expect(days[days.length - 1]).toBe("2026-01-14");
    for (let i = 1; i < days.length; i++) expect(Date.parse(days[i]) - Date.parse(days[i - 1])).toBe(86_400_000);
    // entry ids sorted ascending, unique
    const ids = rows.map((r) => r.entryId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("loans that accrue nothing (interest applied at disbursement, not disbursed, closed) have no entries", async () => {
    const rows = await accruals({ filterCriteria: [{ field: "accountId", operator: "IN", values: ["54321", "54323", "54324", "54325", "54326"] }] });
    expect(rows).toEqual([]);
  });

  test("filters (bookingDate BETWEEN, glAccountType), sorting and pagination with items-total", async () => {
    const between = await accruals({
      filterCriteria: [
        { field: "bookingDate", operator: "BETWEEN", value: "2026-01-10", secondValue: "2026-01-12" },
        { field: "glAccountType", operator: "EQUALS", value: "ASSET" },
      ],
      sortingCriteria: { field: "bookingDate", order: "DESC" },
    });
    expect(between.map((r) => [r.accountId, r.bookingDate.slice(0, 10), r.entryType])).toEqual([
      ["54322", "2026-01-12", "DEBIT"], ["54322", "2026-01-11", "DEBIT"], ["54322", "2026-01-10", "DEBIT"],
    ]);
    const r = await ok("POST", "/accounting/interestaccrual:search?offset=2&limit=3&paginationDetails=ON", { sortingCriteria: { field: "entryId", order: "ASC" } }, 200);
    const all = await accruals({ sortingCriteria: { field: "entryId", order: "ASC" } });
    expect(r.headers.get("items-total")).toBe(String(all.length));
    expect(r.body).toEqual(all.slice(2, 5));
  });

  test("the clock moves the accrual on: a day later the loan has one more day booked, still its accruedInterest", async () => {
    const before = await accruals({ filterCriteria: [{ field: "accountId", operator: "EQUALS", value: "54322" }, { field: "glAccountType", operator: "EQUALS", value: "ASSET" }] });
    sb.clock.advance({ days: 1 });
    try {
      const loan = (await ok("GET", "/loans/54322?detailsLevel=FULL", undefined, 200)).body;
      const after = await accruals({ filterCriteria: [{ field: "accountId", operator: "EQUALS", value: "54322" }, { field: "glAccountType", operator: "EQUALS", value: "ASSET" }] });
      expect(total(after).toFixed(2)).toBe(new Decimal(loan.accruedInterest).toFixed(2));
      // still in the period that started on 2025-12-23 (due dates on the 23rd): one more day, 2026-01-15
      expect(after.length).toBe(before.length + 1);
      expect(after.filter((r) => !before.some((b) => b.entryId === r.entryId)).map((r) => r.bookingDate.slice(0, 10))).toEqual(["2026-01-15"]);
    } finally {
      sb.clock.advance({ days: -1 });
    }
  });

  test("an unknown search field or operator is 400 INVALID_PARAMETERS", async () => {
    expect(reason(await ok("POST", "/accounting/interestaccrual:search", { filterCriteria: [{ field: "amount", operator: "EQUALS", value: "1" }] }, 400))).toBe("INVALID_PARAMETERS");
    expect(reason(await ok("POST", "/accounting/interestaccrual:search", { sortingCriteria: { field: "glAccountId", order: "ASC" } }, 400))).toBe("INVALID_PARAMETERS");
  });
});

interface ReportItem {
  glAccount: { glCode: string; type: string; encodedKey: string };
  amounts: { openingBalance?: number; debits: number; credits: number; netChange?: number; closingBalance?: number };
}

/** Generates a report: 202 QUEUED, first read IN_PROGRESS, second COMPLETE; returns the items. */
async function generate(request: Record<string, unknown>): Promise<{ key: string; items: ReportItem[] }> {
  const created = await ok("POST", "/accounting/reports", request, 202);
  expect(created.body.status).toBe("QUEUED");
  const key = created.body.reportKey as string;
  const first = await ok("GET", `/accounting/reports/${key}`, undefined, 200);
  expect(first.body).toEqual({ reportKey: key, status: "IN_PROGRESS" });
  const second = await ok("GET", `/accounting/reports/${key}`, undefined, 200);
  expect(second.body.status).toBe("COMPLETE");
  return { key, items: second.body.items };
}

describe("accounting reports", () => {
  test("per GL account: opening balance, debits, credits, net change and closing balance, matching GET /glaccounts; debits = credits", async () => {
    const { items } = await generate({ startDate: "2025-10-01", endDate: "2026-01-15" });
    expect(items.length).toBeGreaterThan(5);
    const sum = (f: (i: ReportItem) => number) => items.reduce((s, i) => s.plus(f(i)), new Decimal(0));
    expect(sum((i) => i.amounts.debits).toFixed(2)).toBe(sum((i) => i.amounts.credits).toFixed(2));
    expect(sum((i) => i.amounts.debits).greaterThan(0)).toBe(true);
    for (const type of ["ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"]) {
      const closing = (await ok("GET", `/glaccounts?type=${type}&to=2026-01-15&limit=1000`, undefined, 200)).body as Array<{ glCode: string; usage: string; balance: number }>;
      const opening = (await ok("GET", `/glaccounts?type=${type}&to=2025-09-30&limit=1000`, undefined, 200)).body as Array<{ glCode: string; usage: string; balance: number }>;
      for (const gl of closing.filter((g) => g.usage === "DETAIL")) {
        const item = items.find((i) => i.glAccount.glCode === gl.glCode)!;
        expect({ gl: gl.glCode, closing: item.amounts.closingBalance }).toEqual({ gl: gl.glCode, closing: gl.balance });
        expect({ gl: gl.glCode, opening: item.amounts.openingBalance }).toEqual({ gl: gl.glCode, opening: opening.find((o) => o.glCode === gl.glCode)!.balance });
        const sign = type === "ASSET" || type === "EXPENSE" ? 1 : -1;
        const change = new Decimal(item.amounts.debits).minus(item.amounts.credits).times(sign);
        expect(new Decimal(item.amounts.netChange!).toFixed(2)).toBe(change.toFixed(2));
        expect(new Decimal(item.amounts.openingBalance!).plus(item.amounts.netChange!).toFixed(2)).toBe(new Decimal(item.amounts.closingBalance!).toFixed(2));
      }
    }
    expect(items.every((i) => i.glAccount.type !== undefined && !("balance" in i.glAccount))).toBe(true);
  });

  test("glTypes and balanceTypes narrow the report; a completed report stays as computed", async () => {
    const { key, items } = await generate({ startDate: "2026-01-01", endDate: "2026-01-31", glTypes: ["INCOME"], balanceTypes: ["CLOSING_BALANCE"] });
    expect(new Set(items.map((i) => i.glAccount.type))).toEqual(new Set(["INCOME"]));
    expect(Object.keys(items[0].amounts).sort()).toEqual(["closingBalance", "credits", "debits"]);
    // a manual entry after completion does not change the report
    await ok("POST", "/gljournalentries", { date: "2026-01-15T09:00:00+02:00", debits: [{ glAccount: "1100", amount: 10 }], credits: [{ glAccount: "4200", amount: 10 }] }, 201);
    const again = await ok("GET", `/accounting/reports/${key}`, undefined, 200);
    expect(again.body.items).toEqual(items);
    const fresh = await generate({ startDate: "2026-01-01", endDate: "2026-01-31", glTypes: ["INCOME"], balanceTypes: ["CLOSING_BALANCE"] });
    const fee = (xs: ReportItem[]) => new Decimal(xs.find((i) => i.glAccount.glCode === "4200")!.amounts.credits);
    expect(fee(fresh.items).minus(fee(items)).toFixed(2)).toBe("10.00");
  });

  test("a report is readable for 24 hours of the sandbox clock, then 404", async () => {
    const { key } = await generate({ startDate: "2026-01-01", endDate: "2026-01-15" });
    sb.clock.advance({ days: 1, minutes: 1 });
    try {
      const r = await ok("GET", `/accounting/reports/${key}`, undefined, 404);
      expect(reason(r)).toBe("OBJECT_NOT_FOUND");
    } finally {
      sb.clock.advance({ days: -1, minutes: -1 });
    }
  });

  test("bad requests: an unknown key, a period ending before it starts, an unknown branch or currency", async () => {
    expect((await ok("GET", "/accounting/reports/nope", undefined, 404)).status).toBe(404);
    expect(reason(await ok("POST", "/accounting/reports", { startDate: "2026-02-01", endDate: "2026-01-01" }, 400))).toBe("INVALID_PARAMETERS");
    expect(reason(await ok("POST", "/accounting/reports", { startDate: "2026-01-01", endDate: "2026-01-31", branchId: "NOPE" }, 400))).toBe("INVALID_BRANCH_ID");
    expect(reason(await ok("POST", "/accounting/reports", { startDate: "2026-01-01", endDate: "2026-01-31", currencyCode: "JPY" }, 404))).toBe("CURRENCY_DOES_NOT_EXIST");
    expect((await api("POST", "/accounting/reports", { startDate: "2026-01-01" })).status).toBe(400);
  });
});
