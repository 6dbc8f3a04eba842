/**
 * End to end: loan and deposit operations through the ORM against the sandbox's engine — a loan's
 * whole life (approve → disburse → repay → arrears by the clock → adjust → pay off), rejections,
 * write-off, fees, Mambu's errors for invalid transitions and excess repayments, deposits with
 * transfers, and an operation retried after a lost answer applied exactly once.
 */
import {
  Decimal, MambuConnector, MambuDeposit, MambuError, MambuLoan, MambuTransaction,
} from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-03-02T09:00:00+02:00" } });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

async function newLoan(amount: string, installments = 4): Promise<MambuLoan> {
  const template = await MambuLoan.get("54323", { connector: conn });
  const loan = new MambuLoan({
    accountHolderKey: template.accountHolderKey,
    accountHolderType: "CLIENT",
    productTypeKey: template.productTypeKey,
    loanAmount: new Decimal(amount),
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: installments, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
  await loan.create({ connector: conn });
  return loan;
}

const sumPrincipal = (loan: MambuLoan) =>
  (loan.schedule ?? []).reduce((a, i) => a.plus(i.principal?.amount?.expected ?? 0), new Decimal(0));

test("a loan's life: approve, disburse, repay, fall into arrears, adjust, pay off", async () => {
  const loan = await newLoan("1000.00", 3);
  expect(loan.accountState).toBe("PENDING_APPROVAL");

  await loan.approve("ok");
  expect(loan.accountState).toBe("APPROVED");

  const disbursement = await loan.disburse({ notes: "cash" });
  expect(disbursement).toBeInstanceOf(MambuTransaction);
  expect(disbursement.type).toBe("DISBURSEMENT");
  expect(disbursement.amount?.toFixed(2)).toBe("1000.00");
  expect(loan.accountState).toBe("ACTIVE");
  expect(Object.keys(loan.toJSON())).not.toContain("transactions");

  await loan.getSchedule();
  expect(loan.schedule).toHaveLength(3);
  expect(sumPrincipal(loan).toFixed(2)).toBe("1000.00"); // 333.33 + 333.33 + 333.34

  const repayment = await loan.repay("100.00", { notes: "first" });
  expect(repayment.type).toBe("REPAYMENT");
  const schedule = await loan.getSchedule();
  expect(schedule[0].state).toBe("PARTIALLY_PAID");

  sandbox.clock.advance({ days: 70 });
  await loan.refresh();
  expect(loan.accountState).toBe("ACTIVE_IN_ARREARS");
  const late = await loan.getSchedule();
  expect(late[0].state).toBe("LATE");

  const principalBefore = (await MambuLoan.get(loan.id as string, { connector: conn })).balances?.principalBalance;
  const second = await loan.repay(new Decimal("50.00"));
  const adjusted = await second.adjust("typo");
  expect(adjusted.type).toMatch(/ADJUSTMENT/);
  await loan.refresh();
  expect(loan.balances?.principalBalance?.equals(principalBefore!)).toBe(true);

  await loan.payOff({ notes: "done" });
  expect(loan.accountState).toBe("CLOSED");
  const txs = await loan.getTransactions();
  expect(txs.map((t) => t.type)).toEqual(expect.arrayContaining(["DISBURSEMENT", "REPAYMENT"]));
});

test("Mambu's errors: invalid transition, excess repayment, unknown option before any request", async () => {
  const loan = await newLoan("500.00", 2);
  const err = await loan.disburse().then(() => null, (e) => e);
  expect(err).toBeInstanceOf(MambuError);
  expect(err.status).toBe(400);
  expect(err.errorReason).toMatch(/STATE/);

  await loan.approve();
  await loan.disburse();
  const excess = await loan.repay("100000.00").then(() => null, (e) => e);
  expect(excess).toBeInstanceOf(MambuError);
  expect(excess.errorReason).toBe("EXCESS_REPAYMENT_ERROR");

  const before = sandbox.requests;
  await expect(loan.repay("1.00", { note: "x" } as never)).rejects.toThrow(/unknown option "note"/);
  expect(sandbox.requests).toBe(before);
});

test("reject, and write-off of an active loan; fees on an installment", async () => {
  const rejected = await newLoan("500.00", 2);
  await rejected.reject("no");
  expect(rejected.accountState).toMatch(/^CLOSED/);

  const loan = await newLoan("800.00", 4);
  await loan.approve();
  await loan.disburse();
  const fee = await loan.applyFee("25.00", { installmentNumber: 2, notes: "late visit" });
  expect(fee.type).toMatch(/FEE/);
  const schedule = await loan.getSchedule();
  expect(schedule[1].fee?.amount?.expected?.toFixed(2)).toBe("25.00");
  await loan.writeOff("uncollectable");
  expect(loan.accountState).toMatch(/CLOSED/);
});

test("deposits: deposit, withdraw, transfer to another deposit and to a loan", async () => {
  const savings = await MambuDeposit.get("DEP001", { connector: conn });
  const start = savings.balances?.totalBalance as Decimal;
  await savings.deposit("200.00", { notes: "cash in" });
  await savings.withdrawal("50.00");
  expect(savings.balances?.totalBalance?.minus(start).toFixed(2)).toBe("150.00");

  const insufficient = await savings.withdrawal("1000000.00").then(() => null, (e) => e);
  expect(insufficient).toBeInstanceOf(MambuError);

  const other = await MambuDeposit.get("DEP002", { connector: conn });
  const otherStart = (other.balances?.totalBalance as Decimal | undefined) ?? new Decimal(0);
  await savings.transfer("10.00", { toDeposit: "DEP002", notes: "to savings 2" });
  await other.refresh();
  expect(other.balances?.totalBalance?.minus(otherStart).toFixed(2)).toBe("10.00");

  const loan = await newLoan("600.00", 2);
  await loan.approve();
  await loan.disburse();
  const tx = await savings.transfer("40.00", { toLoan: loan });
  expect(tx.type).toMatch(/TRANSFER/);
  await loan.refresh();
  const paid = (await loan.getTransactions()).filter((t) => t.type === "REPAYMENT");
  expect(paid.map((t) => t.amount?.toFixed(2))).toContain("40.00");
  await savings.refresh();
  expect(savings.balances?.totalBalance?.minus(start).toFixed(2)).toBe("100.00");
});

test("a repayment whose answer is lost is retried with the same key and posted once", async () => {
  const loan = await newLoan("600.00", 3);
  await loan.approve();
  await loan.disburse();
  sandbox.faults.injectNext("drop-after", 1, { method: "POST", path: /repayment-transactions$/ });
  await loan.repay("60.00");
  const repayments = (await loan.getTransactions()).filter((t) => t.type === "REPAYMENT");
  expect(repayments).toHaveLength(1);
});
