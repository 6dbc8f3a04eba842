/**
 * The sandbox's records carry the fields real tenants fill (not only what its arithmetic needs), and search
 * accepts fields that real tenants accept beyond the 2021 Swagger enums (lib/contract/newer-than-2021.json).
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { ENUM_ADDITIONS } from "../../lib/contract/schema";
import { fieldEnum } from "../../lib/sandbox/contract";
import { MambuDeposit, MambuLoan } from "../../lib";
import { demoConnector } from "../helpers/sandbox-connector";
import { call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(() => sb.stop());

test("a loan carries the settings Mambu copies from its product", async () => {
  const loan = (await call(sb, "GET", "/loans/54321?detailsLevel=FULL")).body;
  expect(loan.accountArrearsSettings).toEqual(expect.objectContaining({
    toleranceCalculationMethod: expect.stringMatching(/^(ARREARS_TOLERANCE_PERIOD|MONTHLY_ARREARS_TOLERANCE_DAY)$/),
    dateCalculationMethod: expect.any(String),
    nonWorkingDaysMethod: expect.any(String),
    tolerancePeriod: loan.arrearsTolerancePeriod,
  }));
  expect(loan.prepaymentSettings).toEqual(expect.objectContaining({ prepaymentRecalculationMethod: expect.any(String), applyInterestOnPrepaymentMethod: expect.any(String) }));
  expect(["NO_FUTURE_PAYMENTS", "ACCEPT_FUTURE_PAYMENTS", "ACCEPT_OVERPAYMENTS"]).toContain(loan.futurePaymentsAcceptance);
  expect(["OVERDUE_INSTALLMENTS_INCREASE", "LAST_INSTALLMENT_INCREASE"]).toContain(loan.latePaymentsRecalculationMethod);
  expect(loan.guarantors).toEqual([]);
  expect(loan.assets).toEqual([]);
  expect(typeof loan.lastAccountAppraisalDate).toBe("string");
});

test("transactions carry terms, taxes and transaction details", async () => {
  const txs = (await call(sb, "GET", "/loans/54321/transactions?detailsLevel=FULL")).body;
  const loan = (await call(sb, "GET", "/loans/54321")).body;
  for (const tx of txs) {
    expect(tx.terms.interestSettings.interestRate).toBe(loan.interestSettings.interestRate);
    expect(tx.taxes).toEqual({});
    expect(tx.transactionDetails).toEqual(expect.any(Object));
    expect(tx.customPaymentAmounts).toEqual([]);
  }
  const deposits = (await call(sb, "GET", "/deposits?limit=1")).body;
  const dtx = (await call(sb, "GET", `/deposits/${deposits[0].id}/transactions`)).body;
  expect(dtx.length).toBeGreaterThan(0);
  for (const tx of dtx) {
    expect(tx.taxes).toEqual({});
    expect(tx.terms).toEqual(expect.any(Object));
  }
});

test("search accepts lastAccountAppraisalDate (newer than the 2021 enums), and the date moves when the account changes", async () => {
  expect(ENUM_ADDITIONS.map((a) => `${a.resource}.${a.definition}`)).toContain("loans.LoanAccountFilterCriteria");
  expect(fieldEnum("loans", "LoanAccountFilterCriteria", "field")).toContain("lastAccountAppraisalDate");
  const all = (await call(sb, "GET", "/loans?limit=100")).body as Array<{ id: string; lastAccountAppraisalDate: string }>;
  expect(all.every((l) => typeof l.lastAccountAppraisalDate === "string")).toBe(true);
  sb.clock.advance({ days: 1 });
  const before = (await call(sb, "GET", "/loans/54321")).body.lastAccountAppraisalDate;
  const repay = await call(sb, "POST", "/loans/54321/repayment-transactions", { body: { amount: 10 } });
  expect(repay.status).toBe(201);
  const after = (await call(sb, "GET", "/loans/54321")).body.lastAccountAppraisalDate;
  expect(after > before).toBe(true);
  const found = await call(sb, "POST", "/loans:search", {
    body: { filterCriteria: [{ field: "lastAccountAppraisalDate", operator: "AFTER", value: before.slice(0, 10) }] },
  });
  expect(found.status).toBe(200);
  expect(found.body.map((l: { id: string }) => l.id)).toContain("54321");
  const sorted = await call(sb, "POST", "/loans:search?limit=100", {
    body: { filterCriteria: [], sortingCriteria: { field: "lastAccountAppraisalDate", order: "DESC" } },
  });
  expect(sorted.status).toBe(200);
  expect(sorted.body[0].id).toBe("54321");
  const unknown = await call(sb, "POST", "/loans:search", { body: { filterCriteria: [{ field: "favouriteColour", operator: "EQUALS", value: "red" }] } });
  expect(unknown.status).toBe(400);
});

test("the ORM searches and sorts by lastAccountAppraisalDate (typed, checked against the extended contract)", async () => {
  const connector = demoConnector(sb);
  const loans = await MambuLoan.search({
    filterCriteria: [{ field: "lastAccountAppraisalDate", operator: "AFTER", value: "2000-01-01" }],
    sortingCriteria: { field: "lastAccountAppraisalDate", order: "DESC" },
    connector,
  });
  expect(loans.length).toBeGreaterThan(0);
  const dates = loans.map((l) => l.lastAccountAppraisalDate!.toMillis());
  expect(dates).toEqual([...dates].sort((a, b) => b - a));
  const deposits = await MambuDeposit.search({ filterCriteria: [{ field: "lastAccountAppraisalDate", operator: "AFTER", value: "2000-01-01" }], connector });
  expect(deposits.length).toBeGreaterThan(0);
});
