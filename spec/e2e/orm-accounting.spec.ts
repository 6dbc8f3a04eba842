/**
 * End to end: the general ledger through the ORM against the sandbox's demo tenant — GL accounts listed with
 * balances that are the sums of their journal entries, a balanced manual entry moving both balances exactly, an
 * unbalanced one refused without any request, the interest accrual breakdown of a running loan adding up to its
 * accrued interest, and an accounting report generated as one awaitable with progress.
 */
import { Decimal, MambuAccountingReport, MambuConnector, MambuGLAccount, MambuGLJournalEntry, MambuInterestAccrual, MambuLoan, MambuTsError } from "../../lib";
import type { AccountingReportProgress, GLAccountType } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  conn = demoConnector(sandbox, { tenantoffset: "+02:00" });
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

const TYPES: GLAccountType[] = ["ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"];

/** Every journal entry booked on a GL account, as its signed balance (debit-normal for ASSET and EXPENSE). */
async function ledgerBalance(glCode: string, type: string): Promise<Decimal> {
  const entries = await MambuGLJournalEntry.getAll({ from: "2000-01-01", to: "2100-12-31", glAccountId: glCode, connector: conn });
  const net = entries.reduce((s, e) => (e.type === "DEBIT" ? s.plus(e.amount!) : s.minus(e.amount!)), new Decimal(0));
  return type === "ASSET" || type === "EXPENSE" ? net : net.negated();
}

async function balanceOf(glCode: string): Promise<Decimal> {
  return (await MambuGLAccount.get(glCode, { connector: conn })).balance!;
}

test("GL accounts are listed with Decimal balances that are the sums of their journal entries", async () => {
  let detail = 0;
  for (const type of TYPES) {
    const accounts = await MambuGLAccount.getAll({ type, connector: conn });
    for (const gl of accounts.filter((a) => a.usage === "DETAIL")) {
      detail++;
      expect(gl).toBeInstanceOf(MambuGLAccount);
      expect(gl.balance).toBeInstanceOf(Decimal);
      expect({ gl: gl.glCode, balance: gl.balance!.toFixed(2) }).toEqual({ gl: gl.glCode, balance: (await ledgerBalance(gl.glCode!, type)).toFixed(2) });
    }
  }
  expect(detail).toBeGreaterThan(5);
  // the demo's loans moved money: the loan portfolio is not empty
  expect((await balanceOf("1300")).greaterThan(0)).toBe(true);
});

test("a balanced manual entry moves both balances exactly; an unbalanced one never reaches the server", async () => {
  const cashBefore = await balanceOf("1100");
  const equityBefore = await balanceOf("3100");
  const created = await MambuGLJournalEntry.post(
    { date: "2026-01-15T09:00:00", notes: "capital injection", debits: [{ glAccount: "1100", amount: new Decimal("1000.10") }], credits: [{ glAccount: "3100", amount: "600.05" }, { glAccount: "3100", amount: "400.05" }] },
    { connector: conn },
  );
  expect(created.map((e) => [e.type, e.glAccount!.glCode, e.amount!.toFixed(2)])).toEqual([["DEBIT", "1100", "1000.10"], ["CREDIT", "3100", "600.05"], ["CREDIT", "3100", "400.05"]]);
  expect(new Set(created.map((e) => e.transactionId)).size).toBe(1);
  expect(created[0].bookingDate!.toISO()).toBe("2026-01-15T09:00:00.000+02:00");
  expect((await balanceOf("1100")).minus(cashBefore).toFixed(2)).toBe("1000.10");
  expect((await balanceOf("3100")).minus(equityBefore).toFixed(2)).toBe("1000.10");

  const spy = jest.spyOn(conn, "request");
  try {
    await expect(MambuGLJournalEntry.post({ date: "2026-01-15T09:00:00", debits: [{ glAccount: "1100", amount: "100.00" }], credits: [{ glAccount: "3100", amount: "99.99" }] }, { connector: conn }))
      .rejects.toThrow(MambuTsError);
    await expect(MambuGLJournalEntry.post({ date: "2026-01-15T09:00:00", debits: [{ glAccount: "1100", amount: "-5" }], credits: [{ glAccount: "3100", amount: "-5" }] }, { connector: conn }))
      .rejects.toThrow(/amount must be positive/);
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
  expect((await balanceOf("1100")).minus(cashBefore).toFixed(2)).toBe("1000.10");
});

test("the interest accrual breakdown of a running loan adds up to its accrued interest", async () => {
  const loan = await MambuLoan.get("54322", { detailsLevel: "FULL", connector: conn });
  const rows = await MambuInterestAccrual.search({
    filterCriteria: [{ field: "accountId", operator: "EQUALS", value: "54322" }], sortingCriteria: { field: "bookingDate", order: "ASC" }, connector: conn,
  });
  const side = (t: string) => rows.filter((r) => r.entryType === t).reduce((s, r) => s.plus(r.amount!), new Decimal(0));
  expect(side("DEBIT").greaterThan(0)).toBe(true);
  expect(side("DEBIT").toFixed(2)).toBe(new Decimal(loan.accruedInterest!.toString()).toFixed(2));
  expect(side("CREDIT").toFixed(2)).toBe(side("DEBIT").toFixed(2));
  expect(rows[0]).toBeInstanceOf(MambuInterestAccrual);
});

test("an accounting report is generated as one awaitable, with progress; debits equal credits and closing balances are the accounts'", async () => {
  const progress: AccountingReportProgress[] = [];
  const report = await MambuAccountingReport.generate({ startDate: "2025-01-01", endDate: "2026-01-15" }, { onProgress: (p) => progress.push(p), intervalMs: 0, connector: conn });
  expect(progress.map((p) => [p.status, p.poll])).toEqual([["QUEUED", 0], ["IN_PROGRESS", 1], ["COMPLETE", 2]]);
  expect(report).toBeInstanceOf(MambuAccountingReport);
  expect(report.status).toBe("COMPLETE");
  const items = report.items!;
  const debits = items.reduce((s, i) => s.plus(i.amounts!.debits!), new Decimal(0));
  const credits = items.reduce((s, i) => s.plus(i.amounts!.credits!), new Decimal(0));
  expect(debits.greaterThan(0)).toBe(true);
  expect(debits.toFixed(2)).toBe(credits.toFixed(2));
  for (const code of ["1100", "1300", "3100", "4100"]) {
    const item = items.find((i) => i.glAccount!.glCode === code)!;
    expect(item.amounts!.closingBalance).toBeInstanceOf(Decimal);
    expect({ code, closing: item.amounts!.closingBalance!.toFixed(2) }).toEqual({ code, closing: (await MambuGLAccount.get(code, { to: "2026-01-15", connector: conn })).balance!.toFixed(2) });
  }
});
