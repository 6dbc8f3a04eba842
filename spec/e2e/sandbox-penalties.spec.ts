/**
 * Penalties in the sandbox: loans of products with `penaltySettings` accrue a penalty on late installments as the
 * sandbox clock moves (daily rate = penaltyRate / 100 / days in year, on the overdue base, after the grace period),
 * shown in the installments and the loan's balances, paid by repayments before interest, and by a pay-off.
 */
import Decimal from "decimal.js";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, expectContractAnswer } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(() => sb.stop());

/** The answer, checked against the Swagger response schema of its operation. */
function valid(method: string, path: string, r: Answer, status = 200): Answer {
  expectContractAnswer(method, path, r, { status, strict: true });
  return r;
}

const get = async (path: string) => valid("GET", path, await call(sb, "GET", path));

let productCount = 0;
/**
 * A loan product like the demo's DB-PERSONAL but 12 % a year declining balance (equal principal), 3 monthly
 * installments by default, no arrears tolerance, with the given penalty settings.
 */
async function product(penaltySettings: Record<string, unknown> | undefined): Promise<string> {
  const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
  for (const k of ["encodedKey", "creationDate", "lastModifiedDate", "penaltySettings"]) delete base[k];
  const id = `PEN-${++productCount}`;
  const r = await call(sb, "POST", "/loanproducts", {
    body: {
      ...base,
      id,
      name: `Penalty product ${productCount}`,
      interestSettings: {
        ...base.interestSettings,
        interestCalculationMethod: "DECLINING_BALANCE",
        daysInYear: "ACTUAL_365_FIXED",
        interestApplicationMethod: "REPAYMENT_DUE_DATE",
        indexRateSettings: { ...base.interestSettings.indexRateSettings, interestRate: { defaultValue: 12, minValue: 0, maxValue: 50 } },
      },
      scheduleSettings: { ...base.scheduleSettings, numInstallments: { defaultValue: 3, minValue: 1, maxValue: 12 } },
      arrearsSettings: { ...base.arrearsSettings, tolerancePeriod: { defaultValue: 0, minValue: 0, maxValue: 30 } },
      ...(penaltySettings ? { penaltySettings } : {}),
    },
  });
  if (r.status !== 201) throw new Error(`POST /loanproducts: ${r.status} ${r.text}`);
  return r.body.encodedKey;
}

/** A 1 200.00 loan of the product over 3 months, disbursed now (installments: 400 principal + 12, 8, 4 interest). */
async function loan(productKey: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await call(sb, "POST", "/loans", {
    body: {
      accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey: productKey, loanAmount: 1200,
      interestSettings: { interestRate: 12 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" }, ...extra,
    },
  });
  if (created.status !== 201) throw new Error(`POST /loans: ${created.status} ${created.text}`);
  const id = created.body.id as string;
  expect((await call(sb, "POST", `/loans/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
  expect((await call(sb, "POST", `/loans/${id}/disbursement-transactions`, { body: {} })).status).toBe(201);
  return id;
}

const penalties = async (id: string) =>
  (await get(`/loans/${id}/transactions`)).body.filter((t: { type: string }) => t.type === "PENALTY_APPLIED").map((t: { amount: number }) => new Decimal(t.amount));
const total = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), new Decimal(0));

describe("penalties on late installments", () => {
  // 36.5 % a year over 365 days: 0.1 % of the base a day; 5 days of grace
  const settings = (method: string) => ({ loanPenaltyCalculationMethod: method, penaltyRate: { defaultValue: 36.5, minValue: 0, maxValue: 100 }, loanPenaltyGracePeriod: 5 });
  let overdueAndInterest: string, overdue: string, outstanding: string, none: string;
  let a: string, b: string, c: string, d: string, e: string;

  beforeAll(async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    overdueAndInterest = await product(settings("OVERDUE_BALANCE_AND_INTEREST"));
    overdue = await product(settings("OVERDUE_BALANCE"));
    outstanding = await product(settings("OUTSTANDING_PRINCIPAL"));
    none = await product(settings("NONE"));
    a = await loan(overdueAndInterest);
    b = await loan(overdue);
    c = await loan(outstanding);
    d = await loan(none);
    e = await loan(overdueAndInterest, { penaltySettings: { penaltyRate: 73 } }); // the loan's own rate: 0.2 % a day
  });

  it("accrues nothing before the grace period is over", async () => {
    sb.clock.set("2026-02-20T10:00:00+02:00"); // installment 1 (due 15 Feb) is 5 days late
    const l = (await get(`/loans/${a}`)).body;
    expect(l.accountState).toBe("ACTIVE_IN_ARREARS");
    expect(l.balances.penaltyBalance).toBe(0);
    expect(await penalties(a)).toEqual([]);
  });

  it("charges each method's base × rate / 100 / 365 per day after the grace period", async () => {
    sb.clock.set("2026-02-25T10:00:00+02:00"); // 10 days late: 5 days of penalty
    // OVERDUE_BALANCE_AND_INTEREST: (400 + 12) × 0.001 × 5
    expect(total(await penalties(a)).toFixed(2)).toBe("2.06");
    // OVERDUE_BALANCE: 400 × 0.001 × 5
    expect(total(await penalties(b)).toFixed(2)).toBe("2.00");
    // OUTSTANDING_PRINCIPAL: 1200 × 0.001 × 5
    expect(total(await penalties(c)).toFixed(2)).toBe("6.00");
    expect(await penalties(d)).toEqual([]);
    // the loan's penaltySettings.penaltyRate (73 %) over the product's default
    expect(total(await penalties(e)).toFixed(2)).toBe("4.12");
  });

  it("shows the penalty in the late installment and the loan's balances", async () => {
    const l = (await get(`/loans/${a}`)).body;
    expect(new Decimal(l.balances.penaltyDue).toFixed(2)).toBe("2.06");
    expect(new Decimal(l.balances.penaltyBalance).toFixed(2)).toBe("2.06");
    const s = (await get(`/loans/${a}/schedule`)).body.installments;
    expect(s[0].state).toBe("LATE");
    expect(s[0].penalty.amount).toEqual({ expected: 2.06, paid: 0, due: 2.06 });
    expect(s[1].penalty.amount.expected).toBe(0);
  });

  it("the total does not depend on how often the clock is read", async () => {
    sb.clock.set("2026-02-26T10:00:00+02:00");
    await get(`/loans/${a}`);
    sb.clock.set("2026-02-28T10:00:00+02:00"); // 8 days of penalty: 412 × 0.001 × 8 = 3.296
    const list = await penalties(a);
    expect(list.length).toBe(3);
    expect(total(list).toFixed(2)).toBe("3.30");
  });

  it("a repayment pays the penalty before interest and principal", async () => {
    const r = valid("POST", `/loans/${a}/repayment-transactions`, await call(sb, "POST", `/loans/${a}/repayment-transactions`, { body: { amount: 10 } }), 201);
    expect(r.body.affectedAmounts).toMatchObject({ penaltyAmount: 3.3, interestAmount: 6.7, principalAmount: 0, feesAmount: 0 });
    const l = (await get(`/loans/${a}`)).body;
    expect(l.balances.penaltyBalance).toBe(0);
    expect(l.balances.penaltyPaid).toBe(3.3);
    expect(l.balances.interestDue).toBe(5.3);
  });

  it("keeps accruing on what is still overdue, then a pay-off pays every penalty and closes the loan", async () => {
    sb.clock.set("2026-03-01T10:00:00+02:00"); // one more day on 400 + 5.30
    const list = await penalties(a);
    // cumulative: 3.296 + 405.30 × 0.001 = 3.7013 → 3.70, of which 3.30 were charged already
    expect(total(list).toFixed(2)).toBe("3.70");
    expect(list[list.length - 1].toFixed(2)).toBe("0.40");
    const before = (await get(`/loans/${a}`)).body;
    expect(before.balances.penaltyBalance).toBe(0.4);
    expect((await call(sb, "POST", `/loans/${a}:payOff`, { body: { notes: "settled" } })).status).toBe(204);
    const after = (await get(`/loans/${a}`)).body;
    expect(after.accountState).toBe("CLOSED");
    expect(after.balances.penaltyBalance).toBe(0);
    expect(new Decimal(after.balances.penaltyPaid).toFixed(2)).toBe("3.70");
    const txs = (await get(`/loans/${a}/transactions`)).body;
    const payoff = txs[txs.length - 1];
    expect(payoff.type).toBe("REPAYMENT");
    expect(payoff.affectedAmounts.penaltyAmount).toBe(0.4);
  });

  it("balances equal the sums of the transactions", async () => {
    for (const id of [b, c, e]) {
      const l = (await get(`/loans/${id}`)).body;
      const txs = (await get(`/loans/${id}/transactions`)).body as Array<{ type: string; amount: number; affectedAmounts: Record<string, number> }>;
      const sumOf = (type: string, f: (t: (typeof txs)[number]) => number) => txs.filter((t) => t.type === type).reduce((acc, t) => acc.plus(f(t)), new Decimal(0));
      const penaltyApplied = sumOf("PENALTY_APPLIED", (t) => t.amount);
      const penaltyPaid = sumOf("REPAYMENT", (t) => t.affectedAmounts.penaltyAmount);
      expect(new Decimal(l.balances.penaltyBalance).toFixed(2)).toBe(penaltyApplied.minus(penaltyPaid).toFixed(2));
      const principal = sumOf("DISBURSEMENT", (t) => t.amount).minus(sumOf("REPAYMENT", (t) => t.affectedAmounts.principalAmount));
      expect(new Decimal(l.balances.principalBalance).toFixed(2)).toBe(principal.toFixed(2));
    }
  });

  it("a penalty reversed by an adjustment stays waived; the days after it are charged", async () => {
    // loan b (OVERDUE_BALANCE): 400 overdue since 15 Feb, 9 days charged by 1 Mar = 3.60, the first run's 2.00 included
    expect(total(await penalties(b)).toFixed(2)).toBe("3.60");
    const first = (await get(`/loans/${b}/transactions`)).body.find((t: { type: string }) => t.type === "PENALTY_APPLIED");
    expect(first.amount).toBe(2);
    valid("POST", `/loans/transactions/${first.id}:adjust`, await call(sb, "POST", `/loans/transactions/${first.id}:adjust`, { body: { notes: "waived" } }));
    expect((await get(`/loans/${b}`)).body.balances.penaltyBalance).toBe(1.6);
    sb.clock.set("2026-03-02T10:00:00+02:00");
    const l = (await get(`/loans/${b}`)).body;
    expect(l.balances.penaltyBalance).toBe(2); // 400 × 0.001 × 10 = 4.00, less the 2.00 waived
  });

  it("accrues nothing while penalties are locked (APPLY_PENALTIES)", async () => {
    sb.clock.set("2026-03-02T10:00:00+02:00");
    const id = await loan(overdue); // installment 1: 400 principal due 2 Apr
    sb.clock.set("2026-04-12T10:00:00+02:00"); // 10 days late: 5 charged
    expect(total(await penalties(id)).toFixed(2)).toBe("2.00");
    expect((await call(sb, "POST", `/loans/${id}/lock-transactions`, { body: { lockedOperations: ["APPLY_PENALTIES"] } })).status).toBe(201);
    sb.clock.set("2026-04-22T10:00:00+02:00");
    expect(total(await penalties(id)).toFixed(2)).toBe("2.00");
    expect((await call(sb, "POST", `/loans/${id}/unlock-transactions`, { body: {} })).status).toBe(201);
    sb.clock.set("2026-04-25T10:00:00+02:00"); // 3 more days: 400 × 0.001 × (5 + 3)
    expect(total(await penalties(id)).toFixed(2)).toBe("3.20");
  });
});

describe("a new loan's penalty settings", () => {
  it("copies the product's method and default rate; a rate of its own must be within the product's range", async () => {
    const key = await product({ loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: { defaultValue: 36.5, minValue: 10, maxValue: 40 }, loanPenaltyGracePeriod: 0 });
    const id = await loan(key);
    expect((await get(`/loans/${id}`)).body.penaltySettings).toEqual({ loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: 36.5 });
    const own = await loan(key, { penaltySettings: { penaltyRate: 12 } });
    expect((await get(`/loans/${own}`)).body.penaltySettings).toEqual({ loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: 12 });
    const terms = {
      accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey: key, loanAmount: 1200,
      interestSettings: { interestRate: 12 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3 },
    };
    for (const rate of [5, 41, -1]) {
      const r = await call(sb, "POST", "/loans", { body: { ...terms, penaltySettings: { penaltyRate: rate } } });
      expect([r.status, r.body.errors[0].errorReason]).toEqual([400, "INVALID_PENALTY_RATE"]);
    }
    const none = await loan(await product(undefined));
    expect((await get(`/loans/${none}`)).body.penaltySettings).toEqual({ loanPenaltyCalculationMethod: "NONE" });
  });
});
