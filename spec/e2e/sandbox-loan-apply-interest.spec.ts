/**
 * The sandbox's `POST /loans/{id}:applyInterest` leaves the traces Mambu leaves of an application: an
 * INTEREST_APPLIED transaction of the interest applied (the schedule's interest due up to the date, less earlier
 * applications; none when nothing is left) and the loan's `lastInterestAppliedDate` (never moved back) — so a
 * migration rerun can tell interest was applied. The balances do not move (the interest is in the schedule) and
 * nothing is booked (loans' interest is booked when paid).
 */
import { Decimal, MambuConnector, MambuLoan, MambuProduct } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call } from "./sandbox-helpers";
import { demoConnector } from "../helpers/sandbox-connector";

const TODAY = "2026-01-15T10:00:00+02:00";
let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: TODAY }, checkResponses: true });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

const money = (d: unknown) => new Decimal(String(d ?? 0)).toFixed(2);

test("applyInterest posts INTEREST_APPLIED of the interest due up to the date and sets lastInterestAppliedDate", async () => {
  const product = await MambuProduct.get("FLAT-MICRO", { connector: conn });
  const loan = new MambuLoan({
    accountHolderKey: "0512N0026",
    accountHolderType: "CLIENT",
    productTypeKey: product.encodedKey,
    loanAmount: new Decimal("1200.00"),
    interestSettings: { interestRate: 24 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
  await loan.create({ connector: conn });
  await loan.approve();
  await loan.disburse({ valueDate: "2025-10-01T10:00:00+02:00", firstRepaymentDate: null });
  const id = String(loan.id);
  const balances = JSON.stringify((await MambuLoan.get(id, { connector: conn })).balances);
  const schedule = (await call(sandbox, "GET", `/loans/${id}/schedule`)).body as { installments: Array<{ dueDate: string; interest: { amount: { expected: number } } }> };
  const dueBy = (day: string) =>
    schedule.installments.filter((i) => i.dueDate.slice(0, 10) <= day).reduce((s, i) => s.plus(String(i.interest.amount.expected)), new Decimal(0));
  expect(dueBy("2025-12-20").greaterThan(0)).toBe(true);
  const applied = async () => (await loan.getTransactions().toArray()).filter((t) => t.type === "INTEREST_APPLIED");

  await loan.applyInterest({ interestApplicationDate: "2025-12-20T00:00:00+02:00" });
  let txs = await applied();
  expect(txs.map((t) => [money(t.amount), money(t.affectedAmounts?.interestAmount), String(t.valueDate?.toISO()).slice(0, 10)])).toEqual([
    [dueBy("2025-12-20").toFixed(2), dueBy("2025-12-20").toFixed(2), "2025-12-20"],
  ]);
  let after = await MambuLoan.get(id, { connector: conn });
  expect(String(after.lastInterestAppliedDate?.toISO()).slice(0, 10)).toBe("2025-12-20");
  // the interest was in the schedule already: nothing owed changes
  expect(JSON.stringify(after.balances)).toBe(balances);
  // nothing booked for it (loans' interest is booked when paid)
  const entries = await call(sandbox, "GET", `/gljournalentries?from=2025-01-01&to=2026-12-31&limit=1000`);
  expect(entries.status).toBe(200);
  expect((entries.body as Array<{ transactionId?: string }>).filter((e) => e.transactionId === String(txs[0].id))).toEqual([]);

  // the same date again, or an earlier one: nothing left to apply, and the date does not move back
  await loan.applyInterest({ interestApplicationDate: "2025-12-20T00:00:00+02:00" });
  await loan.applyInterest({ interestApplicationDate: "2025-11-20T00:00:00+02:00" });
  expect(await applied()).toHaveLength(1);
  after = await MambuLoan.get(id, { connector: conn });
  expect(String(after.lastInterestAppliedDate?.toISO()).slice(0, 10)).toBe("2025-12-20");

  // a later date applies only what fell due since
  await loan.applyInterest({ interestApplicationDate: TODAY });
  txs = await applied();
  expect(txs.map((t) => money(t.amount))).toEqual([dueBy("2025-12-20").toFixed(2), dueBy("2026-01-15").minus(dueBy("2025-12-20")).toFixed(2)]);
  after = await MambuLoan.get(id, { connector: conn });
  expect(String(after.lastInterestAppliedDate?.toISO()).slice(0, 10)).toBe("2026-01-15");
  expect(JSON.stringify(after.balances)).toBe(balances);
});
