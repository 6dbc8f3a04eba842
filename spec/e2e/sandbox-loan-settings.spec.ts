/**
 * Settings changes of running loans in the sandbox (interest rate, repayment value, periodic payment, arrears
 * settings, due dates) and documents rendered from the products' templates. After each change: paid and past
 * installments are as they were, the installments' principal sums to the loan amount, the balances equal the sums of
 * the loan's transactions, and every answer validates against the Swagger response schema.
 */
import Decimal from "decimal.js";
import fc from "fast-check";
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
const get = async (path: string) => valid("GET", path, await call(sb, "GET", path)).body;
const post = async (path: string, body: unknown, status = 204) => valid("POST", path, await call(sb, "POST", path, { body }), status);
/** The error reason of a refused request (and its status). */
async function refused(path: string, body: unknown, status = 400): Promise<string> {
  const r = await call(sb, "POST", path, { body });
  expect(r.status).toBe(status);
  return r.body.errors[0].errorReason;
}

const D = (v: unknown) => new Decimal(String(v));
const NOW = () => sb.clock.nowIso();

let productCount = 0;
/** A product cloned from the demo's DB-PERSONAL with another interest method (monthly, no penalties). */
async function product(method: string, extra: Record<string, unknown> = {}): Promise<string> {
  const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
  for (const k of ["encodedKey", "creationDate", "lastModifiedDate", "penaltySettings", "templates"]) delete base[k];
  const r = await call(sb, "POST", "/loanproducts", {
    body: {
      ...base,
      id: `SET-${++productCount}`,
      name: `Settings product ${productCount}`,
      interestSettings: { ...base.interestSettings, interestCalculationMethod: method, interestApplicationMethod: "REPAYMENT_DUE_DATE" },
      scheduleSettings: { ...base.scheduleSettings, numInstallments: { defaultValue: 3, minValue: 1, maxValue: 24 } },
      arrearsSettings: { tolerancePeriod: { defaultValue: 0, minValue: 0, maxValue: 30 } },
      ...extra,
    },
  });
  if (r.status !== 201) throw new Error(`POST /loanproducts: ${r.status} ${r.text}`);
  return r.body.encodedKey;
}

/** A loan of the product, approved and disbursed now. */
async function loan(productKey: string, amount: number, installments: number, rate: number, holder = "0512N0026"): Promise<string> {
  const created = await call(sb, "POST", "/loans", {
    body: {
      accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: productKey, loanAmount: amount, interestSettings: { interestRate: rate },
      scheduleSettings: { gracePeriod: 0, repaymentInstallments: installments, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    },
  });
  if (created.status !== 201) throw new Error(`POST /loans: ${created.status} ${created.text}`);
  const id = created.body.id as string;
  await post(`/loans/${id}:changeState`, { action: "APPROVE" }, 200);
  await post(`/loans/${id}/disbursement-transactions`, {}, 201);
  return id;
}

interface Inst {
  number: string;
  dueDate: string;
  state: string;
  principal: { amount: { expected: number; paid: number } };
  interest: { amount: { expected: number; paid: number } };
}
const schedule = async (id: string): Promise<Inst[]> => (await get(`/loans/${id}/schedule`)).installments;
const row = (i: Inst) => [i.dueDate.slice(0, 10), D(i.principal.amount.expected).toFixed(2), D(i.interest.amount.expected).toFixed(2)];

/** The invariants every change keeps: principal sums to the loan amount; balances are the transactions' sums. */
async function invariants(id: string): Promise<void> {
  const l = await get(`/loans/${id}`);
  const s = await schedule(id);
  expect(s.reduce((a, i) => a.plus(i.principal.amount.expected), new Decimal(0)).toFixed(2)).toBe(D(l.loanAmount).toFixed(2));
  expect(l.scheduleSettings.repaymentInstallments).toBe(s.length);
  const txs = (await get(`/loans/${id}/transactions`)) as Array<{ type: string; amount: number; affectedAmounts: Record<string, number> }>;
  const sumOf = (type: string, f: (t: (typeof txs)[number]) => number) => txs.filter((t) => t.type === type).reduce((a, t) => a.plus(f(t)), new Decimal(0));
  const principal = sumOf("DISBURSEMENT", (t) => t.amount).minus(sumOf("REPAYMENT", (t) => t.affectedAmounts.principalAmount));
  expect(D(l.balances.principalBalance).toFixed(2)).toBe(principal.toFixed(2));
  expect(D(l.balances.principalPaid).toFixed(2)).toBe(sumOf("REPAYMENT", (t) => t.affectedAmounts.principalAmount).toFixed(2));
  expect(D(l.balances.interestPaid).toFixed(2)).toBe(sumOf("REPAYMENT", (t) => t.affectedAmounts.interestAmount).toFixed(2));
  const today = sb.clock.today();
  const interestDue = s.filter((i) => i.dueDate.slice(0, 10) <= today).reduce((a, i) => a.plus(i.interest.amount.expected).minus(i.interest.amount.paid), new Decimal(0));
  expect(D(l.balances.interestDue).toFixed(2)).toBe(interestDue.toFixed(2));
}

describe(":changeInterestRate", () => {
  let annuity: string, flat: string;
  beforeAll(async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    annuity = await loan((await get("/loanproducts/DB-PERSONAL")).encodedKey, 3000, 6, 24); // 2 % a month
    flat = await loan((await get("/loanproducts/FLAT-MICRO")).encodedKey, 1200, 6, 24);
    sb.clock.set("2026-02-20T10:00:00+02:00");
    const first = (await schedule(annuity))[0];
    await post(`/loans/${annuity}/repayment-transactions`, { amount: D(first.principal.amount.expected).plus(first.interest.amount.expected).toNumber() }, 201);
    await post(`/loans/${flat}/repayment-transactions`, { amount: 224 }, 201);
  });

  it("recomputes the equal installments after the value date at the new rate, keeping the paid one", async () => {
    const before = await schedule(annuity);
    await post(`/loans/${annuity}:changeInterestRate`, { interestRate: 12, valueDate: NOW(), notes: "rate review" });
    const after = await schedule(annuity);
    expect(row(after[0])).toEqual(row(before[0]));
    expect(after[0].state).toBe("PAID");
    // 5 equal installments of the principal left at 1 % a month: P·r / (1 − (1 + r)^−5)
    const left = D(3000).minus(before[0].principal.amount.expected);
    const r = new Decimal("0.01");
    const payment = left.times(r).dividedBy(new Decimal(1).minus(r.plus(1).pow(-5))).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    expect(D(after[1].interest.amount.expected).toFixed(2)).toBe(left.times(r).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    expect(D(after[1].principal.amount.expected).plus(after[1].interest.amount.expected).toFixed(2)).toBe(payment.toFixed(2));
    expect(after.map((i) => i.dueDate)).toEqual(before.map((i) => i.dueDate));
    const l = await get(`/loans/${annuity}`);
    expect(l.interestSettings.interestRate).toBe(12);
    const tx = ((await get(`/loans/${annuity}/transactions`)) as Array<Record<string, any>>).find((t) => t.type === "INTEREST_RATE_CHANGED"); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(tx).toMatchObject({ amount: 0, notes: "rate review", terms: { interestSettings: { interestRate: 12 } } });
    await invariants(annuity);
  });

  it("keeps the principal of flat loans and charges the new rate on the principal left", async () => {
    const before = await schedule(flat);
    await post(`/loans/${flat}:changeInterestRate`, { interestRate: 12, valueDate: NOW() });
    const after = await schedule(flat);
    expect(row(after[0])).toEqual(row(before[0]));
    for (let k = 1; k < 6; k++) {
      expect(after[k].principal.amount.expected).toBe(before[k].principal.amount.expected);
      expect(D(after[k].interest.amount.expected).toFixed(2)).toBe("10.00"); // 1 000 × 1 %
    }
    await invariants(flat);
  });

  it("is refused with Mambu's reasons", async () => {
    expect(await refused(`/loans/${annuity}:changeInterestRate`, { interestRate: 60, valueDate: NOW() })).toBe("INVALID_INTEREST_RATE"); // product: 6–48
    expect(await refused(`/loans/${annuity}:changeInterestRate`, { interestSpread: 1, valueDate: NOW() })).toBe("INTEREST_SPREAD_NOT_AVAILABLE_FOR_FIXED_RATES");
    expect(await refused(`/loans/${annuity}:changeInterestRate`, { valueDate: NOW() })).toBe("INVALID_INTEREST_RATE");
    expect(await refused(`/loans/${annuity}:changeInterestRate`, { interestRate: 10, valueDate: "2026-12-01T00:00:00+02:00" })).toBe("INVALID_DATE");
    expect(await refused(`/loans/${annuity}:changeInterestRate`, { interestRate: 10, valueDate: "2026-01-01T00:00:00+02:00" })).toBe("INVALID_DATE");
    expect(await refused("/loans/54323:changeInterestRate", { interestRate: 10, valueDate: NOW() })).toBe("INVALID_ACCOUNT_STATE"); // PENDING_APPROVAL
    expect(await refused("/loans/54325:changeInterestRate", { interestRate: 10, valueDate: NOW() })).toBe("INVALID_ACCOUNT_STATE"); // CLOSED
    expect(await refused("/loans/NOPE:changeInterestRate", { interestRate: 10, valueDate: NOW() }, 404)).toBe("INVALID_LOAN_ACCOUNT_ID");
    expect(await refused(`/loans/${annuity}:changeInterestRate`, { interestRate: 10 })).toBe("INVALID_PARAMETERS"); // valueDate is required
  });
});

describe(":changeRepaymentValue", () => {
  let id: string;
  beforeAll(async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    id = await loan(await product("DECLINING_BALANCE"), 1200, 4, 12); // 300 principal a month, 1 % interest
    sb.clock.set("2026-02-16T10:00:00+02:00");
    await post(`/loans/${id}/repayment-transactions`, { amount: 312 }, 201);
  });

  it("sets the principal of the installments left; the last takes the rest, those with nothing left go", async () => {
    await post(`/loans/${id}:changeRepaymentValue`, { amount: 500, valueDate: NOW() });
    let s = await schedule(id);
    // 900 left: 500 (+ 9.00 interest), 400 (+ 4.00); the fourth installment had nothing left to pay
    expect(s.map(row)).toEqual([
      ["2026-02-15", "300.00", "12.00"],
      ["2026-03-15", "500.00", "9.00"],
      ["2026-04-15", "400.00", "4.00"],
    ]);
    const l = await get(`/loans/${id}`);
    expect(l.principalPaymentSettings).toMatchObject({ principalPaymentMethod: "FLAT", amount: 500 });
    const tx = ((await get(`/loans/${id}/transactions`)) as Array<Record<string, unknown>>).find((t) => t.type === "TERMS_CHANGED");
    expect(tx).toMatchObject({ amount: 0, terms: { principalPaymentAmount: 500 } });
    await invariants(id);
    await post(`/loans/${id}:changeRepaymentValue`, { amount: 100, valueDate: NOW() });
    s = await schedule(id);
    expect(s.map(row)).toEqual([
      ["2026-02-15", "300.00", "12.00"],
      ["2026-03-15", "100.00", "9.00"],
      ["2026-04-15", "800.00", "8.00"], // a balloon
    ]);
    await invariants(id);
  });

  it("is refused with Mambu's reasons", async () => {
    expect(await refused(`/loans/${id}:changeRepaymentValue`, { valueDate: NOW() })).toBe("AMOUNT_REQUIRED_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD");
    expect(await refused(`/loans/${id}:changeRepaymentValue`, { amount: 10.005, valueDate: NOW() })).toBe("INVALID_PRINCIPAL_PAYMENT_FLAT_AMOUNT_WITH_DECIMALS");
    expect(await refused(`/loans/${id}:changeRepaymentValue`, { amount: -5, valueDate: NOW() })).toBe("INVALID_AMOUNT");
    expect(await refused("/loans/54322:changeRepaymentValue", { amount: 500, valueDate: NOW() })).toBe("REPAYMENT_VALUE_CHANGE_NOT_ALLOWED"); // equal installments
    expect(await refused("/loans/54326:changeRepaymentValue", { amount: 500, valueDate: NOW() })).toBe("REPAYMENT_VALUE_CHANGE_NOT_ALLOWED"); // flat
    expect(await refused("/loans/54324:changeRepaymentValue", { amount: 500, valueDate: NOW() })).toBe("INVALID_ACCOUNT_STATE"); // APPROVED
  });
});

describe(":changePeriodicPayment", () => {
  let id: string;
  beforeAll(async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    id = await loan((await get("/loanproducts/DB-PERSONAL")).encodedKey, 3000, 6, 24);
  });

  it("makes each installment left pay the new amount, fewer installments when it is higher", async () => {
    await post(`/loans/${id}:changePeriodicPayment`, { periodicPayment: 1000, valueDate: NOW() });
    const s = await schedule(id);
    // 2 % a month: 60.00 + 940.00; 41.20 + 958.80; 22.02 + 977.98; then 1 101.22 × 2 % = 24.02 + the rest 1 123.22 ... computed exactly:
    let balance = new Decimal(3000);
    const expected: string[][] = [];
    const dates = ["2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15", "2026-06-15", "2026-07-15"];
    for (const due of dates) {
      const interest = balance.times("0.02").toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const principal = Decimal.min(balance, new Decimal(1000).minus(interest));
      if (principal.isZero() && interest.isZero()) break;
      expected.push([due, principal.toFixed(2), interest.toFixed(2)]);
      balance = balance.minus(principal);
    }
    expect(s.map(row)).toEqual(expected);
    expect(s.length).toBe(4);
    expect((await get(`/loans/${id}`)).scheduleSettings.periodicPayment).toBe(1000);
    await invariants(id);
  });

  it("is refused with Mambu's reasons", async () => {
    expect(await refused(`/loans/${id}:changePeriodicPayment`, { periodicPayment: 5000, valueDate: NOW() })).toBe("PERIODIC_PAYMENT_GREATER_THAN_LOAN_AMOUNT");
    expect(await refused(`/loans/${id}:changePeriodicPayment`, { periodicPayment: 0, valueDate: NOW() })).toBe("INVALID_PERIODIC_PAYMENT");
    expect(await refused(`/loans/${id}:changePeriodicPayment`, { periodicPayment: 50, valueDate: NOW() })).toBe("INVALID_PERIODIC_PAYMENT"); // below the 60.00 interest
    expect(await refused("/loans/54326:changePeriodicPayment", { periodicPayment: 500, valueDate: NOW() })).toBe("INVALID_PERIODIC_PAYMENT"); // flat
    expect(await refused(`/loans/${id}:changePeriodicPayment`, { valueDate: NOW() })).toBe("INVALID_PARAMETERS"); // required by the contract
  });
});

describe(":changeArrearsSettings", () => {
  it("moves the loan in and out of arrears at once", async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    expect((await get("/loans/54322")).accountState).toBe("ACTIVE_IN_ARREARS");
    await post("/loans/54322:changeArrearsSettings", { arrearsTolerancePeriod: 200, entryDate: NOW(), notes: "forbearance" });
    let l = await get("/loans/54322");
    expect(l.accountState).toBe("ACTIVE");
    expect(l.arrearsTolerancePeriod).toBe(200);
    expect(l.accountArrearsSettings).toMatchObject({ tolerancePeriod: 200, toleranceCalculationMethod: "ARREARS_TOLERANCE_PERIOD" });
    expect(l.daysInArrears).toBe(0);
    await post("/loans/54322:changeArrearsSettings", { arrearsTolerancePeriod: 3, entryDate: NOW() });
    l = await get("/loans/54322");
    expect(l.accountState).toBe("ACTIVE_IN_ARREARS");
    expect(l.daysInArrears).toBe(l.daysLate);
  });

  it("is refused with Mambu's reasons", async () => {
    expect(await refused("/loans/54322:changeArrearsSettings", { arrearsTolerancePeriod: -1, entryDate: NOW() })).toBe("NEGATIVE_ARREARS_TOLERANCE_PERIOD");
    const id = await loan(await product("DECLINING_BALANCE"), 1200, 3, 12);
    expect(await refused(`/loans/${id}:changeArrearsSettings`, { arrearsTolerancePeriod: 31, entryDate: NOW() })).toBe("ARREARS_TOLERANCE_PERIOD_OUTSIDE_CONSTRAINTS"); // product: 0–30
    const monthly = await product("DECLINING_BALANCE", { arrearsSettings: { toleranceCalculationMethod: "MONTHLY_ARREARS_TOLERANCE_DAY", monthlyToleranceDay: 5 } });
    const other = await loan(monthly, 1200, 3, 12);
    expect(await refused(`/loans/${other}:changeArrearsSettings`, { arrearsTolerancePeriod: 3, entryDate: NOW() })).toBe("CHANGE_ARREARS_SETTINGS_NOT_ALLOWED_FOR_PRODUCT_TOLERANCE_CALCULATION_METHOD");
    expect(await refused("/loans/54325:changeArrearsSettings", { arrearsTolerancePeriod: 3, entryDate: NOW() })).toBe("INVALID_ACCOUNT_STATE");
  });
});

describe(":changeDueDatesSettings", () => {
  let id: string;
  beforeAll(async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    id = await loan(await product("DECLINING_BALANCE"), 1200, 3, 12);
  });

  it("moves the installments left to the day of month asked, in their months", async () => {
    sb.clock.set("2026-01-20T10:00:00+02:00");
    await post(`/loans/${id}:changeDueDatesSettings`, { fixedDaysOfMonth: [31], valueDate: NOW() });
    const s = await schedule(id);
    expect(s.map(row)).toEqual([
      ["2026-02-28", "400.00", "12.00"], // the last day of a shorter month
      ["2026-03-31", "400.00", "8.00"],
      ["2026-04-30", "400.00", "4.00"],
    ]);
    const l = await get(`/loans/${id}`);
    expect(l.scheduleSettings).toMatchObject({ scheduleDueDatesMethod: "FIXED_DAYS_OF_MONTH", fixedDaysOfMonth: [31] });
    expect(l.disbursementDetails.firstRepaymentDate).toBe("2026-02-28T00:00:00+02:00");
    expect(((await get(`/loans/${id}/transactions`)) as Array<{ type: string }>).map((t) => t.type)).toEqual(["DISBURSEMENT", "DUE_DATE_CHANGED"]);
    await invariants(id);
  });

  it("moves them a month later when the next new date has passed; paid installments stay", async () => {
    sb.clock.set("2026-02-10T10:00:00+02:00");
    await post(`/loans/${id}:changeDueDatesSettings`, { fixedDaysOfMonth: [5], valueDate: NOW() }); // 5 Feb has passed
    expect((await schedule(id)).map(row)).toEqual([
      ["2026-03-05", "400.00", "12.00"],
      ["2026-04-05", "400.00", "8.00"],
      ["2026-05-05", "400.00", "4.00"],
    ]);
    await post(`/loans/${id}/repayment-transactions`, { amount: 412 }, 201); // installment 1, paid ahead
    await post(`/loans/${id}:changeDueDatesSettings`, { fixedDaysOfMonth: [20], valueDate: NOW() });
    const s = await schedule(id);
    expect(s.map(row)).toEqual([
      ["2026-03-05", "400.00", "12.00"],
      ["2026-04-20", "400.00", "8.00"],
      ["2026-05-20", "400.00", "4.00"],
    ]);
    expect(s[0].state).toBe("PAID");
    await invariants(id);
  });

  it("is refused with Mambu's reasons", async () => {
    expect(await refused(`/loans/${id}:changeDueDatesSettings`, { fixedDaysOfMonth: [], valueDate: NOW() })).toBe("MISSING_FIXED_DAYS_OF_MONTH");
    expect(await refused(`/loans/${id}:changeDueDatesSettings`, { fixedDaysOfMonth: [32], valueDate: NOW() })).toBe("INVALID_FIXED_DAYS_OF_MONTH");
    expect(await refused(`/loans/${id}:changeDueDatesSettings`, { fixedDaysOfMonth: [1, 15], valueDate: NOW() })).toBe(
      "CHANGE_MONTHLY_REPAYMENT_DAY_ALLOWED_ONLY_FOR_ACCOUNTS_WITH_A_SINGLE_FIXED_DAY_OF_MONTH",
    );
    expect(await refused("/loans/54324:changeDueDatesSettings", { fixedDaysOfMonth: [5], valueDate: NOW() })).toBe("INVALID_ACCOUNT_STATE");
  });
});

describe("a backdated change over an installment with penalties", () => {
  it("is refused", async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    const penalized = await product("DECLINING_BALANCE", {
      penaltySettings: { loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: { defaultValue: 36.5 }, loanPenaltyGracePeriod: 0 },
    });
    const id = await loan(penalized, 1200, 3, 12);
    sb.clock.set("2026-02-25T10:00:00+02:00");
    expect((await get(`/loans/${id}`)).balances.penaltyBalance).toBe(4); // 400 × 0.1 % × 10 days
    expect(await refused(`/loans/${id}:changeInterestRate`, { interestRate: 10, valueDate: "2026-02-10T00:00:00+02:00" })).toBe("INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED");
    await post(`/loans/${id}:changeInterestRate`, { interestRate: 10, valueDate: NOW() }); // from today: the late installment stays
    await invariants(id);
  });
});

describe("documents from the products' templates", () => {
  const LOAN_AGREEMENT = "7e3b1a9c4d2f4e8a9b6c5d4e3f2a1b01";
  const LOAN_STATEMENT = "7e3b1a9c4d2f4e8a9b6c5d4e3f2a1b02";
  const ACCOUNT_STATEMENT = "7e3b1a9c4d2f4e8a9b6c5d4e3f2a1b05";
  const RECEIPT = "7e3b1a9c4d2f4e8a9b6c5d4e3f2a1b06";

  it("renders a loan's document as an HTML string (a JSON string, as the Swagger file says)", async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    const r = valid("GET", `/loans/54321/templates/${LOAN_AGREEMENT}`, await call(sb, "GET", `/loans/54321/templates/${LOAN_AGREEMENT}`));
    expect(r.headers.get("content-type")).toMatch(/^application\/vnd\.mambu\.v2\+json/);
    expect(typeof r.body).toBe("string");
    expect(r.body).toMatch(/^<!DOCTYPE html>/);
    expect(r.body).toContain("<h1>Loan agreement</h1>");
    expect(r.body).toContain("<tr><th>Loan amount</th><td>1500</td></tr>");
  });

  it("lists the transactions between startDate and endDate for a template with a history", async () => {
    const path = `/loans/54321/templates/${LOAN_STATEMENT}?startDate=2025-01-01&endDate=2026-12-31`;
    const html = valid("GET", path, await call(sb, "GET", path)).body as string;
    expect(html.match(/<td>REPAYMENT<\/td>/g)).toHaveLength(4);
    expect(html.match(/<td>DISBURSEMENT<\/td>/g)).toHaveLength(1);
    const missing = await call(sb, "GET", `/loans/54321/templates/${LOAN_STATEMENT}`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
  });

  it("escapes every value: a client's name cannot inject HTML", async () => {
    const client = await call(sb, "POST", "/clients", {
      body: { firstName: "<script>alert(1)</script>", lastName: `O'Brien & "Sons" <img src=x onerror=alert(2)>`, preferredLanguage: "ENGLISH", assignedBranchKey: (await get("/branches/CCAZ")).encodedKey },
    });
    if (client.status !== 201) throw new Error(`POST /clients: ${client.status} ${client.text}`);
    const created = await call(sb, "POST", "/loans", {
      body: { accountHolderKey: client.body.encodedKey, accountHolderType: "CLIENT", productTypeKey: (await get("/loanproducts/FLAT-MICRO")).encodedKey, loanAmount: 1000, loanName: "</td><b>bold</b>", interestSettings: { interestRate: 24 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" } },
    });
    expect(created.status).toBe(201);
    const html = await get(`/loans/${created.body.id}/templates/${LOAN_AGREEMENT}`);
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(2\)>/);
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62; O&#39;Brien &#38; &#34;Sons&#34; &#60;img src=x onerror=alert(2)&#62;");
    expect(html).toContain("&#60;/td&#62;&#60;b&#62;bold&#60;/b&#62;");
  });

  it("renders deposit and deposit transaction documents", async () => {
    const statement = `/deposits/DEP001/templates/${ACCOUNT_STATEMENT}?startDate=2025-01-01&endDate=2026-12-31`;
    const html = valid("GET", statement, await call(sb, "GET", statement)).body as string;
    expect(html).toContain("<tr><th>Account holder</th>");
    expect(html.match(/<td>(DEPOSIT|WITHDRAWAL)<\/td>/g)).toHaveLength(3);
    const tx = ((await get("/deposits/DEP001/transactions")) as Array<{ id: string; amount: number }>)[0];
    const receipt = `/deposits/transactions/${tx.id}/templates/${RECEIPT}`;
    const doc = valid("GET", receipt, await call(sb, "GET", receipt)).body as string;
    expect(doc).toContain("<h1>Deposit receipt</h1>");
    expect(doc).toContain(`<tr><th>Amount</th><td>${tx.amount}</td></tr>`);
  });

  it("answers Mambu's errors for unknown templates, accounts and the wrong template type", async () => {
    const cases: Array<[string, number, string]> = [
      ["/loans/54321/templates/NOPE", 404, "INVALID_TEMPLATE_ID"],
      [`/loans/54321/templates/${ACCOUNT_STATEMENT}`, 404, "INVALID_TEMPLATE_ID"], // a deposit product's template
      [`/loans/NOPE/templates/${LOAN_AGREEMENT}`, 404, "INVALID_LOAN_ACCOUNT_ID"],
      [`/deposits/NOPE/templates/${ACCOUNT_STATEMENT}`, 404, "INVALID_DEPOSIT_ACCOUNT_ID"],
      [`/deposits/DEP001/templates/${RECEIPT}`, 400, "INVALID_TEMPLATE_TYPE"],
      [`/deposits/transactions/NOPE/templates/${RECEIPT}`, 404, "INVALID_TRANSACTION_ID"],
    ];
    for (const [path, status, reason] of cases) {
      const r = await call(sb, "GET", path);
      expect([path, r.status, r.body.errors[0].errorReason]).toEqual([path, status, reason]);
    }
    const tx = ((await get("/deposits/DEP001/transactions")) as Array<{ id: string }>)[0];
    const wrong = await call(sb, "GET", `/deposits/transactions/${tx.id}/templates/${ACCOUNT_STATEMENT}`);
    expect([wrong.status, wrong.body.errors[0].errorReason]).toEqual([400, "INVALID_TEMPLATE_TYPE"]);
  });
});

describe("invariants under random settings changes, repayments and days passing (fast-check)", () => {
  type Op =
    | { kind: "days"; n: number }
    | { kind: "repay"; cents: number }
    | { kind: "rate"; rate: number }
    | { kind: "value"; amount: number }
    | { kind: "payment"; amount: number }
    | { kind: "dueDay"; day: number }
    | { kind: "tolerance"; days: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("days" as const), n: fc.integer({ min: 1, max: 45 }) }),
    fc.record({ kind: fc.constant("repay" as const), cents: fc.integer({ min: 1, max: 60_000 }) }),
    fc.record({ kind: fc.constant("rate" as const), rate: fc.integer({ min: 6, max: 48 }) }),
    fc.record({ kind: fc.constant("value" as const), amount: fc.integer({ min: 1, max: 900 }) }),
    fc.record({ kind: fc.constant("payment" as const), amount: fc.integer({ min: 50, max: 1200 }) }),
    fc.record({ kind: fc.constant("dueDay" as const), day: fc.integer({ min: 1, max: 31 }) }),
    fc.record({ kind: fc.constant("tolerance" as const), days: fc.integer({ min: 0, max: 30 }) }),
  );
  let products: string[] = [];

  beforeAll(async () => {
    sb.clock.set("2026-01-15T10:00:00+02:00");
    const penaltySettings = { loanPenaltyCalculationMethod: "OVERDUE_BALANCE_AND_INTEREST", penaltyRate: { defaultValue: 36.5 }, loanPenaltyGracePeriod: 2 };
    products = [await product("DECLINING_BALANCE", { penaltySettings }), await product("DECLINING_BALANCE_DISCOUNTED", { penaltySettings })];
  });

  it("keeps principal = loan amount, balances = sums of transactions, and never answers a 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1 }), fc.array(op, { minLength: 1, maxLength: 10 }), async (which, ops) => {
        const id = await loan(products[which], 2400, 6, 24);
        for (const o of ops) {
          const now = NOW();
          let r: Answer | undefined;
          if (o.kind === "days") sb.clock.advance({ days: o.n });
          else if (o.kind === "repay") r = await call(sb, "POST", `/loans/${id}/repayment-transactions`, { body: { amount: o.cents / 100 } });
          else if (o.kind === "rate") r = await call(sb, "POST", `/loans/${id}:changeInterestRate`, { body: { interestRate: o.rate, valueDate: now } });
          else if (o.kind === "value") r = await call(sb, "POST", `/loans/${id}:changeRepaymentValue`, { body: { amount: o.amount, valueDate: now } });
          else if (o.kind === "payment") r = await call(sb, "POST", `/loans/${id}:changePeriodicPayment`, { body: { periodicPayment: o.amount, valueDate: now } });
          else if (o.kind === "dueDay") r = await call(sb, "POST", `/loans/${id}:changeDueDatesSettings`, { body: { fixedDaysOfMonth: [o.day], valueDate: now } });
          else r = await call(sb, "POST", `/loans/${id}:changeArrearsSettings`, { body: { arrearsTolerancePeriod: o.days, entryDate: now } });
          if (r) expect([200, 201, 204, 400]).toContain(r.status);
          const l = await get(`/loans/${id}`);
          if (l.accountState === "CLOSED") break;
          await invariants(id);
          const txs = (await get(`/loans/${id}/transactions`)) as Array<{ type: string; amount: number; affectedAmounts: Record<string, number> }>;
          const sumOf = (type: string, f: (t: (typeof txs)[number]) => number) => txs.filter((t) => t.type === type).reduce((a, t) => a.plus(f(t)), new Decimal(0));
          const penalty = sumOf("PENALTY_APPLIED", (t) => t.amount).minus(sumOf("REPAYMENT", (t) => t.affectedAmounts.penaltyAmount));
          expect(D(l.balances.penaltyBalance).toFixed(2)).toBe(penalty.toFixed(2));
          for (const t of txs.filter((x) => x.type === "REPAYMENT")) {
            const a = t.affectedAmounts;
            expect(D(a.principalAmount).plus(a.interestAmount).plus(a.feesAmount).plus(a.penaltyAmount).toFixed(2)).toBe(D(t.amount).toFixed(2));
          }
        }
        const l = await get(`/loans/${id}`);
        if (l.accountState !== "CLOSED") expect((await call(sb, "POST", `/loans/${id}:payOff`, { body: {} })).status).toBe(204);
        const closed = await get(`/loans/${id}`);
        expect(closed.accountState).toBe("CLOSED");
        expect([closed.balances.principalBalance, closed.balances.interestBalance, closed.balances.penaltyBalance, closed.balances.feesBalance]).toEqual([0, 0, 0, 0]);
      }),
      { numRuns: 20 },
    );
  });
});
