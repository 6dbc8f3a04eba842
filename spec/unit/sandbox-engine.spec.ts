/**
 * The sandbox's loan and deposit engine, driven directly (no HTTP): a fresh store and a frozen clock per test,
 * small products and a client created here, the engine's routes called as the server would.
 */
import { SandboxClock } from "../../lib/sandbox/clock";
import { EngineContext, engineRoutes, prepareCreate, refreshArrears } from "../../lib/sandbox/engine";
import { SandboxStore } from "../../lib/sandbox/store";
import { SandboxError, WireRecord } from "../../lib/sandbox/types";

/** A fresh tenant at 2026-01-15T10:00:00+02:00 with the fixtures below. */
function tenant(start = "2026-01-15T10:00:00+02:00"): EngineContext & { clock: SandboxClock } {
  const store = new SandboxStore();
  const clock = new SandboxClock({ offset: "+02:00", start });
  store.insert("branches", { encodedKey: "branch-1", id: "B1", name: "Main" });
  store.insert("clients", { encodedKey: "client-1", id: "C1", firstName: "Ada", lastName: "Lovelace", state: "ACTIVE", assignedBranchKey: "branch-1" });
  store.insert("clients", { encodedKey: "client-x", id: "CX", firstName: "Gone", lastName: "Away", state: "EXITED" });
  store.insert("groups", { encodedKey: "group-1", id: "G1", groupName: "Weavers", assignedBranchKey: "branch-1" });
  const base = {
    type: "FIXED_TERM_LOAN",
    state: "ACTIVE",
    currency: { code: "EUR" },
    scheduleSettings: { numInstallments: { defaultValue: 3, minValue: 1, maxValue: 60 }, repaymentPeriodUnit: "MONTHS", defaultRepaymentPeriodCount: 1 },
    paymentSettings: { repaymentAllocationOrder: ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"], paymentMethod: "HORIZONTAL" },
    feesSettings: {
      allowArbitraryFees: true,
      fees: [
        { encodedKey: "fee-manual", id: "MANUAL1", name: "Collection fee", trigger: "MANUAL", feeApplication: "OPTIONAL", state: "ACTIVE", amountCalculationMethod: "FLAT", amount: 15 },
      ],
    },
  };
  const interest = (method: string) => ({
    interestCalculationMethod: method,
    daysInYear: "ACTUAL_365_FIXED",
    scheduleInterestDaysCountMethod: "REPAYMENT_PERIODICITY",
    indexRateSettings: { interestRate: { defaultValue: 12, minValue: 0, maxValue: 50 }, interestChargeFrequency: "ANNUALIZED" },
  });
  store.insert("loanproducts", { ...base, encodedKey: "lp-flat", id: "FLAT", name: "Flat loan", interestSettings: interest("FLAT") });
  store.insert("loanproducts", { ...base, encodedKey: "lp-db", id: "DB", name: "Declining balance", interestSettings: interest("DECLINING_BALANCE") });
  store.insert("loanproducts", { ...base, encodedKey: "lp-dbei", id: "DBEI", name: "Equal installments", interestSettings: interest("DECLINING_BALANCE_DISCOUNTED") });
  store.insert("loanproducts", {
    ...base,
    encodedKey: "lp-fees",
    id: "FEES",
    name: "With disbursement fee",
    interestSettings: interest("FLAT"),
    feesSettings: {
      allowArbitraryFees: false,
      fees: [
        { encodedKey: "fee-disb", id: "DISB", name: "Opening fee", trigger: "DISBURSEMENT", feeApplication: "REQUIRED", state: "ACTIVE", amountCalculationMethod: "LOAN_AMOUNT_PERCENTAGE", percentageAmount: 2 },
        { encodedKey: "fee-upfront", id: "UPF", name: "Upfront fee", trigger: "UPFRONT_DISBURSEMENT", feeApplication: "OPTIONAL", state: "ACTIVE", amountCalculationMethod: "FLAT", amount: 25 },
      ],
    },
  });
  store.insert("depositproducts", {
    encodedKey: "dp-current",
    id: "CUR",
    name: "Current account",
    type: "CURRENT_ACCOUNT",
    state: "ACTIVE",
    currencySettings: { currencies: [{ code: "EUR" }] },
    interestSettings: { daysInYear: "ACTUAL_365_FIXED", interestRateSettings: { interestRate: { defaultValue: 3 }, interestChargeFrequency: "ANNUALIZED" } },
    overdraftSettings: { allowOverdraft: true, maxOverdraftLimit: 500 },
    feesSettings: { fees: [{ encodedKey: "dfee", id: "DFEE", name: "Monthly fee", trigger: "MANUAL", feeApplication: "OPTIONAL", state: "ACTIVE", amountCalculationMethod: "FLAT", amount: 5 }] },
  });
  return { store, clock };
}

/** Calls an engine route like the server: refreshArrears first, then the handler. */
function call(ctx: EngineContext, method: string, template: string, params: Record<string, string> = {}, body?: unknown, query: Record<string, string> = {}) {
  const route = engineRoutes.find((r) => r.method === method && r.template === template);
  if (!route) throw new Error(`no engine route ${method} ${template}`);
  refreshArrears(ctx);
  return route.handle(ctx, { params, query, body });
}

/** The body of a route call (asserting its status). */
function ok<T = any>(res: { status: number; body?: unknown }, status = 200): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(res.status).toBe(status);
  return res.body as T;
}

/** Runs fn and returns the SandboxError it throws (fails when it does not). */
function errorOf(fn: () => unknown): SandboxError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SandboxError) return e;
    throw e;
  }
  throw new Error("expected a SandboxError");
}

/** Creates and stores a loan through prepareCreate, as the server does for POST /loans. */
function createLoan(ctx: EngineContext, body: Record<string, unknown>): WireRecord {
  const rec = prepareCreate(ctx, "loans", { accountHolderType: "CLIENT", accountHolderKey: "client-1", ...body });
  return ctx.store.insert("loans", rec);
}

/** Creates, approves and disburses a loan; returns its id. */
function activeLoan(ctx: EngineContext, body: Record<string, unknown>, disbursement: Record<string, unknown> = {}): string {
  const loan = createLoan(ctx, body);
  const id = String(loan.id);
  ok(call(ctx, "POST", "/loans/{loanAccountId}:changeState", { loanAccountId: id }, { action: "APPROVE" }));
  ok(call(ctx, "POST", "/loans/{loanAccountId}/disbursement-transactions", { loanAccountId: id }, disbursement), 201);
  return id;
}

/** The stored loan. */
function loanOf(ctx: EngineContext, id: string): WireRecord {
  return ctx.store.find("loans", id) as WireRecord;
}

/** The schedule of a loan (GET). */
function scheduleOf(ctx: EngineContext, id: string): { currency: { code: string }; installments: any[] } { // eslint-disable-line @typescript-eslint/no-explicit-any
  return ok(call(ctx, "GET", "/loans/{loanAccountId}/schedule", { loanAccountId: id }));
}

const L = {
  state: "/loans/{loanAccountId}:changeState",
  disburse: "/loans/{loanAccountId}/disbursement-transactions",
  repay: "/loans/{loanAccountId}/repayment-transactions",
  fee: "/loans/{loanAccountId}/fee-transactions",
  writeOff: "/loans/{loanAccountId}:writeOff",
  undoWriteOff: "/loans/{loanAccountId}:undoWriteOff",
  payOff: "/loans/{loanAccountId}:payOff",
  adjust: "/loans/transactions/{loanTransactionId}:adjust",
  schedule: "/loans/{loanAccountId}/schedule",
  applyInterest: "/loans/{loanAccountId}:applyInterest",
};

describe("sandbox engine: loan creation", () => {
  test("prepareCreate fills Mambu's derived fields from the product and the holder", () => {
    const ctx = tenant();
    const loan = prepareCreate(ctx, "loans", { accountHolderType: "CLIENT", accountHolderKey: "C1", productTypeKey: "FLAT", loanAmount: 1000 });
    expect(loan.encodedKey).toMatch(/^[0-9a-f]{32}$/);
    expect(loan.id).toMatch(/^\d+$/);
    expect(loan.accountState).toBe("PENDING_APPROVAL");
    expect(loan.accountHolderKey).toBe("client-1");
    expect(loan.productTypeKey).toBe("lp-flat");
    expect(loan.assignedBranchKey).toBe("branch-1");
    expect(loan.creationDate).toBe("2026-01-15T10:00:00+02:00");
    expect(loan.lastModifiedDate).toBe("2026-01-15T10:00:00+02:00");
    expect(loan.currency).toEqual({ code: "EUR" });
    expect(loan.interestSettings).toMatchObject({ interestRate: 12, interestCalculationMethod: "FLAT", interestChargeFrequency: "ANNUALIZED" });
    expect(loan.scheduleSettings).toMatchObject({ repaymentInstallments: 3, repaymentPeriodUnit: "MONTHS", repaymentPeriodCount: 1, gracePeriod: 0 });
    expect(loan.balances).toMatchObject({ principalBalance: 0, principalDue: 0, interestBalance: 0, feesBalance: 0, penaltyBalance: 0 });
  });

  test("PARTIAL_APPLICATION when the body asks for it; explicit id kept, duplicates refused", () => {
    const ctx = tenant();
    const loan = createLoan(ctx, { id: "L-1", productTypeKey: "lp-flat", loanAmount: 500, accountState: "PARTIAL_APPLICATION" });
    expect(loan.accountState).toBe("PARTIAL_APPLICATION");
    const e = errorOf(() => prepareCreate(ctx, "loans", { id: "L-1", accountHolderType: "CLIENT", accountHolderKey: "client-1", productTypeKey: "lp-flat", loanAmount: 1 }));
    expect([e.status, e.errorCode, e.errorReason]).toEqual([400, 411, "ACCOUNT_ID_ALREADY_IN_USE"]);
  });

  test("unknown product, unknown or exited holder, rate outside the product's range are refused", () => {
    const ctx = tenant();
    const base = { accountHolderType: "CLIENT", accountHolderKey: "client-1", productTypeKey: "lp-flat", loanAmount: 100 };
    const product = errorOf(() => prepareCreate(ctx, "loans", { ...base, productTypeKey: "nope" }));
    expect([product.status, product.errorReason]).toEqual([400, "INVALID_PRODUCT_KEY"]);
    const client = errorOf(() => prepareCreate(ctx, "loans", { ...base, accountHolderKey: "nobody" }));
    expect([client.status, client.errorCode, client.errorReason]).toEqual([400, 301, "INVALID_CLIENT_ID"]);
    const group = errorOf(() => prepareCreate(ctx, "loans", { ...base, accountHolderType: "GROUP", accountHolderKey: "nobody" }));
    expect(group.errorReason).toBe("INVALID_GROUP_ID");
    expect(prepareCreate(ctx, "loans", { ...base, accountHolderType: "GROUP", accountHolderKey: "G1" }).accountHolderKey).toBe("group-1");
    expect(errorOf(() => prepareCreate(ctx, "loans", { ...base, accountHolderKey: "CX" })).errorReason).toBe("INVALID_CLIENT_STATE");
    const rate = errorOf(() => prepareCreate(ctx, "loans", { ...base, interestSettings: { interestRate: 80 } }));
    expect([rate.errorCode, rate.errorReason]).toEqual([120, "INVALID_INTEREST_RATE"]);
    expect(errorOf(() => prepareCreate(ctx, "loans", { ...base, loanAmount: 0 })).errorReason).toBe("INVALID_AMOUNT");
  });

  test("date-times in the body must carry the tenant offset", () => {
    const ctx = tenant();
    const e = errorOf(() =>
      prepareCreate(ctx, "loans", {
        accountHolderType: "CLIENT", accountHolderKey: "client-1", productTypeKey: "lp-flat", loanAmount: 100,
        disbursementDetails: { expectedDisbursementDate: "2021-03-09T13:37:50" },
      }),
    );
    expect(e.toBody()).toEqual({ errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "Invalid date offset for value 2021-03-09T13:37:50 org offset is +02:00" }] });
  });
});

describe("sandbox engine: loan lifecycle", () => {
  test("create → request approval → approve → disburse → partial repayment → late → arrears → repaid → CLOSED", () => {
    const ctx = tenant();
    const loan = createLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000, accountState: "PARTIAL_APPLICATION" });
    const id = String(loan.id);
    expect(ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "REQUEST_APPROVAL" })).accountState).toBe("PENDING_APPROVAL");
    const approved = ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "APPROVE", notes: "ok" }));
    expect(approved.accountState).toBe("APPROVED");
    expect(approved.approvedDate).toBe("2026-01-15T10:00:00+02:00");

    const disb = ok(call(ctx, "POST", L.disburse, { loanAccountId: id }, { notes: "paid out" }), 201);
    expect(disb).toMatchObject({ type: "DISBURSEMENT", amount: 1000, valueDate: "2026-01-15T10:00:00+02:00", parentAccountKey: loan.encodedKey, notes: "paid out", currency: { code: "EUR" } });
    expect(disb.id).toBe("1");
    expect(disb.affectedAmounts).toMatchObject({ principalAmount: 1000, interestAmount: 0, feesAmount: 0, penaltyAmount: 0 });
    expect(disb.accountBalances).toEqual({ totalBalance: 1030, principalBalance: 1000 });

    let l = loanOf(ctx, id);
    expect(l.accountState).toBe("ACTIVE");
    expect(l.disbursementDetails).toMatchObject({ disbursementDate: "2026-01-15T10:00:00+02:00", firstRepaymentDate: "2026-02-15T00:00:00+02:00" });
    expect(l.balances).toMatchObject({ principalBalance: 1000, principalDue: 0, interestBalance: 30, interestDue: 0, feesBalance: 0 });

    // schedule: FLAT 12 %/year monthly = 1 % a month on the original principal
    const s = scheduleOf(ctx, id);
    expect(s.currency).toEqual({ code: "EUR" });
    expect(s.installments.map((i) => [i.number, i.dueDate, i.principal.amount.expected, i.interest.amount.expected, i.state])).toEqual([
      ["1", "2026-02-15T00:00:00+02:00", 333.33, 10, "PENDING"],
      ["2", "2026-03-15T00:00:00+02:00", 333.33, 10, "PENDING"],
      ["3", "2026-04-15T00:00:00+02:00", 333.34, 10, "PENDING"],
    ]);

    // a fee on installment 1, then a partial repayment: fee → penalty → interest → principal
    const fee = ok(call(ctx, "POST", L.fee, { loanAccountId: id }, { predefinedFeeKey: "MANUAL1" }), 201);
    expect(fee).toMatchObject({ type: "FEE_APPLIED", amount: 15, installmentEncodedKey: s.installments[0].encodedKey });
    expect(fee.affectedAmounts.feesAmount).toBe(15);
    ctx.clock.advance({ days: 5 });
    const rep = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 200, notes: "cash" }), 201);
    expect(rep.affectedAmounts).toMatchObject({ feesAmount: 15, penaltyAmount: 0, interestAmount: 10, principalAmount: 175 });
    expect(rep.accountBalances).toEqual({ principalBalance: 825, totalBalance: 845 });
    const inst1 = scheduleOf(ctx, id).installments[0];
    expect(inst1.state).toBe("PARTIALLY_PAID");
    expect(inst1.principal.amount).toEqual({ expected: 333.33, paid: 175, due: 158.33 });
    expect(inst1.fee.amount).toEqual({ expected: 15, paid: 15, due: 0 });
    expect(inst1.lastPaidDate).toBe("2026-01-20T10:00:00+02:00");
    l = loanOf(ctx, id);
    expect(l.balances).toMatchObject({ principalPaid: 175, principalBalance: 825, interestPaid: 10, interestBalance: 20, feesPaid: 15, feesBalance: 0 });

    // past the first due date: LATE and ACTIVE_IN_ARREARS
    ctx.clock.set("2026-02-17T09:00:00+02:00");
    refreshArrears(ctx);
    l = loanOf(ctx, id);
    expect(l.accountState).toBe("ACTIVE_IN_ARREARS");
    expect(l.daysInArrears).toBe(2);
    expect(l.daysLate).toBe(2);
    expect(l.balances).toMatchObject({ principalDue: 158.33, interestDue: 0 });
    expect(scheduleOf(ctx, id).installments.map((i) => i.state)).toEqual(["LATE", "PENDING", "PENDING"]);

    // more than owed is refused
    const excess = errorOf(() => call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 845.01 }));
    expect([excess.status, excess.errorCode, excess.errorReason]).toEqual([400, 110, "EXCESS_REPAYMENT_ERROR"]);

    // everything: CLOSED / REPAID
    const last = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 845 }), 201);
    expect(last.accountBalances).toEqual({ principalBalance: 0, totalBalance: 0 });
    l = loanOf(ctx, id);
    expect([l.accountState, l.accountSubState, l.closedDate, l.daysInArrears]).toEqual(["CLOSED", "REPAID", "2026-02-17T09:00:00+02:00", 0]);
    expect(l.balances).toMatchObject({ principalBalance: 0, principalPaid: 1000, interestPaid: 30, feesPaid: 15, interestBalance: 0 });
    expect(scheduleOf(ctx, id).installments.every((i) => i.state === "PAID")).toBe(true);
    expect(errorOf(() => call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 1 })).errorReason).toBe("INVALID_ACCOUNT_STATE_FOR_REPAYMENTS");
  });

  test("invalid transitions are refused with Mambu's errors", () => {
    const ctx = tenant();
    const id = String(createLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 }).id);
    const notApproved = errorOf(() => call(ctx, "POST", L.disburse, { loanAccountId: id }, {}));
    expect([notApproved.status, notApproved.errorCode, notApproved.errorReason]).toEqual([400, 105, "INVALID_ACCOUNT_STATE"]);
    const undo = errorOf(() => call(ctx, "POST", L.state, { loanAccountId: id }, { action: "UNDO_APPROVE" }));
    expect([undo.status, undo.errorCode, undo.errorReason]).toEqual([400, 116, "INVALID_STATE_TRANSITION"]);
    expect(ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "REJECT" })).accountState).toBe("CLOSED_REJECTED");
    const approveRejected = errorOf(() => call(ctx, "POST", L.state, { loanAccountId: id }, { action: "APPROVE" }));
    expect([approveRejected.status, approveRejected.errorCode, approveRejected.errorReason]).toEqual([400, 116, "INVALID_STATE_TRANSITION"]);
    expect(ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "UNDO_REJECT" })).accountState).toBe("PENDING_APPROVAL");

    const paid = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 300 });
    ok(call(ctx, "POST", L.payOff, { loanAccountId: paid }, {}), 204);
    expect(loanOf(ctx, paid).accountState).toBe("CLOSED");
    const approveClosed = errorOf(() => call(ctx, "POST", L.state, { loanAccountId: paid }, { action: "APPROVE" }));
    expect([approveClosed.status, approveClosed.errorCode, approveClosed.errorReason]).toEqual([400, 116, "INVALID_STATE_TRANSITION"]);

    const unknown = errorOf(() => call(ctx, "POST", L.state, { loanAccountId: "nope" }, { action: "APPROVE" }));
    expect([unknown.status, unknown.errorCode, unknown.errorReason]).toEqual([404, 100, "INVALID_LOAN_ACCOUNT_ID"]);
    expect(errorOf(() => call(ctx, "POST", L.state, { loanAccountId: id }, { action: "FLY" })).errorReason).toBe("INVALID_PARAMETERS");
  });

  test("withdraw / undo withdraw returns to the previous state; undo approve clears approvedDate", () => {
    const ctx = tenant();
    const id = String(createLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 }).id);
    ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "APPROVE" }));
    expect(ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "UNDO_APPROVE" })).approvedDate).toBeUndefined();
    ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "APPROVE" }));
    const w = ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "WITHDRAW" }));
    expect([w.accountState, w.accountSubState]).toEqual(["CLOSED", "WITHDRAWN"]);
    const back = ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "UNDO_WITHDRAW" }));
    expect([back.accountState, back.accountSubState, back.closedDate]).toEqual(["APPROVED", undefined, undefined]);
  });

  test("arrears tolerance: LATE installments but ACTIVE until the tolerance period is over", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 900, arrearsTolerancePeriod: 3 });
    ctx.clock.set("2026-02-18T12:00:00+02:00");
    refreshArrears(ctx);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", daysLate: 3, daysInArrears: 0 });
    ctx.clock.advance({ days: 1 });
    refreshArrears(ctx);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE_IN_ARREARS", daysLate: 4, daysInArrears: 4, lastSetToArrearsDate: "2026-02-19T00:00:00+02:00" });
    ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 309 }), 201);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", daysLate: 0 });
  });
});

describe("sandbox engine: interest applied on due dates", () => {
  test("declining balance: interest becomes balance when due; accrued interest grows in between", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-dbei", loanAmount: 1000 });
    expect(loanOf(ctx, id).interestSettings).toMatchObject({ interestApplicationMethod: "REPAYMENT_DUE_DATE" });
    expect(loanOf(ctx, id)).toMatchObject({ accruedInterest: 0, balances: { principalBalance: 1000, interestBalance: 0, interestDue: 0 } });
    ctx.clock.set("2026-01-30T10:00:00+02:00");
    refreshArrears(ctx);
    expect(loanOf(ctx, id).accruedInterest).toBe(4.84); // 10.00 × 15 / 31 days
    ctx.clock.set("2026-02-15T08:00:00+02:00");
    refreshArrears(ctx);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", accruedInterest: 0, balances: { principalDue: 330.02, interestDue: 10, interestBalance: 10 } });
    ctx.clock.advance({ days: 1 });
    refreshArrears(ctx);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE_IN_ARREARS", daysInArrears: 1, accruedInterest: 0.24 }); // 6.70 × 1 / 28 days
    const rep = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 340.02 }), 201);
    expect(rep.accountBalances).toEqual({ principalBalance: 669.98, totalBalance: 669.98 });
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", daysInArrears: 0, balances: { interestPaid: 10, interestBalance: 0 } });
  });
});

describe("sandbox engine: dates", () => {
  test("a date-time without the tenant offset is refused (Mambu's errorSource)", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 });
    for (const v of ["2026-01-15T09:37:50", "2026-01-15T09:37:50+03:00", "2026-01-15T09:37:50Z"]) {
      const e = errorOf(() => call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 10, valueDate: v }));
      expect(e.status).toBe(400);
      expect(e.toBody()).toEqual({ errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "Invalid date offset for value 2026-01-15T09:37:50 org offset is +02:00" }] });
    }
    expect(ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 10, valueDate: "2026-01-15T09:37:50+02:00" }), 201).valueDate).toBe("2026-01-15T09:37:50+02:00");
  });

  test("repayments may be backdated (not before the disbursement, not in the future) and are allocated in value-date order", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 }, { valueDate: "2026-01-10T09:00:00+02:00" });
    expect(loanOf(ctx, id).disbursementDetails).toMatchObject({ disbursementDate: "2026-01-10T09:00:00+02:00", firstRepaymentDate: "2026-02-10T00:00:00+02:00" });
    ctx.clock.set("2026-03-20T12:00:00+02:00");
    const late = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 343.33 }), 201);
    expect(late.affectedAmounts).toMatchObject({ interestAmount: 10, principalAmount: 333.33 });
    // backdated before `late`: it takes installment 1, `late` is re-allocated to installment 2
    const early = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 343.33, valueDate: "2026-02-09T10:00:00+02:00" }), 201);
    expect(early.affectedAmounts).toMatchObject({ interestAmount: 10, principalAmount: 333.33 });
    const s = scheduleOf(ctx, id).installments;
    expect(s.map((i) => i.state)).toEqual(["PAID", "PAID", "PENDING"]);
    expect(s[0].repaidDate).toBe("2026-02-09T10:00:00+02:00");
    expect(s[1].repaidDate).toBe("2026-03-20T12:00:00+02:00");
    expect((ctx.store.find("loanTransactions", late.encodedKey) as any).accountBalances).toEqual({ principalBalance: 333.34, totalBalance: 343.34 });
    expect(early.accountBalances).toEqual({ principalBalance: 666.67, totalBalance: 686.67 });
    expect(loanOf(ctx, id).accountState).toBe("ACTIVE");

    const before = errorOf(() => call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 1, valueDate: "2026-01-09T10:00:00+02:00" }));
    expect([before.status, before.errorReason]).toEqual([400, "INVALID_DATE"]);
    const future = errorOf(() => call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 1, valueDate: "2026-03-21T10:00:00+02:00" }));
    expect([future.status, future.errorCode, future.errorReason]).toEqual([400, 124, "REPAYMENT_DATE_IN_THE_FUTURE_ERROR"]);
    const disbFuture = tenant();
    const lid = String(createLoan(disbFuture, { productTypeKey: "lp-flat", loanAmount: 10 }).id);
    ok(call(disbFuture, "POST", L.state, { loanAccountId: lid }, { action: "APPROVE" }));
    expect(errorOf(() => call(disbFuture, "POST", L.disburse, { loanAccountId: lid }, { valueDate: "2026-01-16T10:00:00+02:00" })).errorReason).toBe("INVALID_DISBURSEMENT_DATE");
  });
});

describe("sandbox engine: fees, adjustments, write-off, pay-off", () => {
  test("a fee on a given installment; fees on a paid installment are refused", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 });
    const fee = ok(call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 7.5, installmentNumber: 2, notes: "postage" }), 201);
    const s = scheduleOf(ctx, id).installments;
    expect(fee.installmentEncodedKey).toBe(s[1].encodedKey);
    expect(s.map((i) => i.fee.amount.expected)).toEqual([0, 7.5, 0]);
    expect(loanOf(ctx, id).balances).toMatchObject({ feesBalance: 7.5, feesDue: 0 });
    ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 343.33 }), 201);
    const paid = errorOf(() => call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 1, installmentNumber: 1 }));
    expect(paid.errorReason).toBe("CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT");
    expect(errorOf(() => call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 1, installmentNumber: 9 })).errorReason).toBe("INVALID_REPAYMENT_NUMBER");
    expect(errorOf(() => call(ctx, "POST", L.fee, { loanAccountId: id }, { predefinedFeeKey: "nope" })).errorReason).toBe("INVALID_FEE");
    // default: the first installment not paid
    const next = ok(call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 2 }), 201);
    expect(next.installmentEncodedKey).toBe(s[1].encodedKey);
  });

  test("adjusting a repayment restores balances and installments exactly; twice is refused", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-dbei", loanAmount: 1000 });
    ok(call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 12 }), 201);
    const balancesBefore = structuredClone(loanOf(ctx, id).balances);
    const scheduleBefore = scheduleOf(ctx, id);
    ctx.clock.advance({ days: 3 });
    const rep = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 500 }), 201);
    expect(loanOf(ctx, id).balances).not.toEqual(balancesBefore);
    const adj = ok(call(ctx, "POST", L.adjust, { loanTransactionId: rep.id }, { notes: "bounced" }));
    expect(adj).toMatchObject({ type: "REPAYMENT_ADJUSTMENT", amount: -500, originalTransactionKey: rep.encodedKey, notes: "bounced" });
    expect(adj.affectedAmounts.principalAmount).toBe(-rep.affectedAmounts.principalAmount);
    expect((ctx.store.find("loanTransactions", rep.encodedKey) as any).adjustmentTransactionKey).toBe(adj.encodedKey);
    expect(loanOf(ctx, id).balances).toEqual(balancesBefore);
    expect(scheduleOf(ctx, id)).toEqual(scheduleBefore);
    const twice = errorOf(() => call(ctx, "POST", L.adjust, { loanTransactionId: rep.id }, {}));
    expect([twice.status, twice.errorReason]).toEqual([400, "TRANSACTION_ALREADY_REVERSED"]);
    expect(errorOf(() => call(ctx, "POST", L.adjust, { loanTransactionId: adj.id }, {})).errorReason).toBe("INVALID_TRANSACTION_TYPE");
    const missing = errorOf(() => call(ctx, "POST", L.adjust, { loanTransactionId: "999" }, {}));
    expect([missing.status, missing.errorReason]).toEqual([404, "INVALID_TRANSACTION_ID"]);
  });

  test("adjusting the repayment that closed a loan reopens it; a fee adjustment removes the fee", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 300 });
    const fee = ok(call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 5 }), 201);
    ok(call(ctx, "POST", L.adjust, { loanTransactionId: fee.id }, {}));
    expect(loanOf(ctx, id).balances).toMatchObject({ feesBalance: 0 });
    const rep = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 309 }), 201);
    expect(loanOf(ctx, id).accountState).toBe("CLOSED");
    ok(call(ctx, "POST", L.adjust, { loanTransactionId: rep.id }, {}));
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", balances: { principalBalance: 300, interestBalance: 9 } });
    expect(loanOf(ctx, id).closedDate).toBeUndefined();
  });

  test("adjusting a disbursement only when nothing else is live; the loan goes back to APPROVED", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 600 });
    const disb = ctx.store.all("loanTransactions").find((t) => t.type === "DISBURSEMENT") as any;
    const rep = ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 50 }), 201);
    const blocked = errorOf(() => call(ctx, "POST", L.adjust, { loanTransactionId: disb.id }, {}));
    expect(blocked.errorReason).toBe("UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE");
    ok(call(ctx, "POST", L.adjust, { loanTransactionId: rep.id }, {}));
    const adj = ok(call(ctx, "POST", L.adjust, { loanTransactionId: disb.id }, {}));
    expect(adj.type).toBe("DISBURSEMENT_ADJUSTMENT");
    const l = loanOf(ctx, id);
    expect(l.accountState).toBe("APPROVED");
    expect((l.disbursementDetails as any).disbursementDate).toBeUndefined();
    expect(l.balances).toMatchObject({ principalBalance: 0, interestBalance: 0 });
    // can be disbursed again
    ok(call(ctx, "POST", L.disburse, { loanAccountId: id }, {}), 201);
    expect(loanOf(ctx, id).accountState).toBe("ACTIVE");
  });

  test("write-off closes the loan as CLOSED_WRITTEN_OFF; undo write-off reopens it", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 });
    ok(call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 100 }), 201);
    ok(call(ctx, "POST", L.writeOff, { loanAccountId: id }, { notes: "lost" }), 204);
    const l = loanOf(ctx, id);
    expect(l.accountState).toBe("CLOSED_WRITTEN_OFF");
    expect(l.closedDate).toBe("2026-01-15T10:00:00+02:00");
    expect(l.balances).toMatchObject({ principalBalance: 0, interestBalance: 0, feesBalance: 0, principalPaid: 90, interestPaid: 10 });
    const wo = ctx.store.all("loanTransactions").find((t) => t.type === "WRITE_OFF") as any;
    expect(wo).toMatchObject({ amount: 930, notes: "lost", affectedAmounts: { principalAmount: 910, interestAmount: 20 }, accountBalances: { totalBalance: 0, principalBalance: 0 } });
    expect(errorOf(() => call(ctx, "POST", L.repay, { loanAccountId: id }, { amount: 1 })).errorReason).toBe("INVALID_ACCOUNT_STATE_FOR_REPAYMENTS");
    ok(call(ctx, "POST", L.undoWriteOff, { loanAccountId: id }, {}), 204);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", balances: { principalBalance: 910, interestBalance: 20 } });
  });

  test("pay-off pays everything; adjustable amounts waive the rest", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 });
    ok(call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 20 }), 201);
    ok(call(ctx, "POST", L.payOff, { loanAccountId: id }, { notes: "early", payOffAdjustableAmounts: { interestPaid: 10, feesPaid: 20 } }), 204);
    const l = loanOf(ctx, id);
    expect([l.accountState, l.accountSubState]).toEqual(["CLOSED", "REPAID"]);
    expect(l.balances).toMatchObject({ principalPaid: 1000, interestPaid: 10, feesPaid: 20, principalBalance: 0, interestBalance: 0 });
    const types = ctx.store.all("loanTransactions").map((t) => [t.type, t.amount]);
    expect(types).toEqual([["DISBURSEMENT", 1000], ["FEE_APPLIED", 20], ["INTEREST_DUE_REDUCED", 20], ["REPAYMENT", 1030]]);
    const bad = errorOf(() => {
      const other = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 100 });
      call(ctx, "POST", L.payOff, { loanAccountId: other }, { payOffAdjustableAmounts: { interestPaid: 999 } });
    });
    expect(bad.errorReason).toBe("PAY_OFF_INVALID_INTEREST_PAID");
  });

  test("disbursement fees: DISBURSEMENT due with installment 1, UPFRONT taken from the amount; applyInterest is a no-op", () => {
    const ctx = tenant();
    const id = activeLoan(ctx, { productTypeKey: "lp-fees", loanAmount: 1000 }, { fees: [{ predefinedFeeKey: "UPF" }] });
    const disb = ctx.store.all("loanTransactions").find((t) => t.type === "DISBURSEMENT") as any;
    expect(disb.fees).toEqual([
      { predefinedFeeKey: "fee-disb", name: "Opening fee", amount: 20, trigger: "DISBURSEMENT" },
      { predefinedFeeKey: "fee-upfront", name: "Upfront fee", amount: 25, trigger: "UPFRONT_DISBURSEMENT" },
    ]);
    expect(disb.affectedAmounts.feesAmount).toBe(45);
    expect(scheduleOf(ctx, id).installments.map((i) => i.fee.amount.expected)).toEqual([20, 0, 0]);
    expect(loanOf(ctx, id).balances).toMatchObject({ feesBalance: 20 });
    expect(errorOf(() => call(ctx, "POST", L.fee, { loanAccountId: id }, { amount: 3 })).errorReason).toBe("ARBITRARY_FEE_NOT_ALLOWED");
    expect(call(ctx, "POST", L.applyInterest, { loanAccountId: id }, { interestApplicationDate: "2026-01-15T10:00:00+02:00" }).status).toBe(204);
    expect(errorOf(() => call(ctx, "POST", L.applyInterest, { loanAccountId: id }, { interestApplicationDate: "2026-01-15T10:00:00" })).errorReason).toBe("INVALID_PARAMETERS");
  });
});

describe("sandbox engine: schedules before disbursement", () => {
  test("a pending loan shows a preview; an edited schedule is kept at disbursement", () => {
    const ctx = tenant();
    const loan = createLoan(ctx, {
      productTypeKey: "lp-flat",
      loanAmount: 1000,
      disbursementDetails: { expectedDisbursementDate: "2026-01-20T00:00:00+02:00", firstRepaymentDate: "2026-02-28T00:00:00+02:00" },
    });
    const id = String(loan.id);
    const preview = scheduleOf(ctx, id);
    expect(preview.installments.map((i) => i.dueDate)).toEqual(["2026-02-28T00:00:00+02:00", "2026-03-28T00:00:00+02:00", "2026-04-28T00:00:00+02:00"]);
    expect(scheduleOf(ctx, id)).toEqual(preview); // stable keys
    const edited = ok(
      call(ctx, "PUT", "/loans/{loanAccountId}/schedule", { loanAccountId: id }, [
        { encodedKey: preview.installments[0].encodedKey, principal: { amount: { expected: 500 } } },
        { number: "2", principal: { amount: { expected: 250 } } },
        { number: "3", dueDate: "2026-05-05T00:00:00+02:00", principal: { amount: { expected: 250 } } },
      ]),
    );
    expect(edited.installments.map((i: any) => [i.dueDate, i.principal.amount.expected])).toEqual([
      ["2026-02-28T00:00:00+02:00", 500],
      ["2026-03-28T00:00:00+02:00", 250],
      ["2026-05-05T00:00:00+02:00", 250],
    ]);
    expect((loanOf(ctx, id).scheduleSettings as any).hasCustomSchedule).toBe(true);
    const wrong = errorOf(() => call(ctx, "PUT", "/loans/{loanAccountId}/schedule", { loanAccountId: id }, [{ number: "1", principal: { amount: { expected: 1 } } }]));
    expect([wrong.errorCode, wrong.errorReason]).toEqual([132, "INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT"]);
    ok(call(ctx, "POST", L.state, { loanAccountId: id }, { action: "APPROVE" }));
    ok(call(ctx, "POST", L.disburse, { loanAccountId: id }, {}), 201);
    expect(scheduleOf(ctx, id).installments.map((i) => [i.dueDate, i.principal.amount.expected])).toEqual([
      ["2026-02-28T00:00:00+02:00", 500],
      ["2026-03-28T00:00:00+02:00", 250],
      ["2026-05-05T00:00:00+02:00", 250],
    ]);
  });

  test("preview schedule and installments listing", () => {
    const ctx = tenant();
    const p = ok(call(ctx, "POST", "/loans:previewSchedule", {}, { productTypeKey: "DBEI", loanAmount: 1000, scheduleSettings: { repaymentInstallments: 3 } }));
    expect(p.installments.map((i: any) => [i.principal.amount.expected, i.interest.amount.expected])).toEqual([
      [330.02, 10],
      [333.32, 6.7],
      [336.66, 3.37],
    ]);
    const a = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 1000 });
    activeLoan(ctx, { productTypeKey: "lp-db", loanAmount: 500 });
    const res = call(ctx, "GET", "/installments", {}, undefined, { dueFrom: "2026-02-01", dueTo: "2026-03-31", paginationDetails: "ON" });
    expect(res.headers?.["items-total"]).toBe("4");
    expect((res.body as any[]).map((i) => i.dueDate)).toEqual(["2026-02-15T00:00:00+02:00", "2026-02-15T00:00:00+02:00", "2026-03-15T00:00:00+02:00", "2026-03-15T00:00:00+02:00"]);
    expect((res.body as any[])[0].parentAccountKey).toBe(loanOf(ctx, a).encodedKey);
  });
});

const D = {
  state: "/deposits/{depositAccountId}:changeState",
  deposit: "/deposits/{depositAccountId}/deposit-transactions",
  withdraw: "/deposits/{depositAccountId}/withdrawal-transactions",
  transfer: "/deposits/{depositAccountId}/transfer-transactions",
  fee: "/deposits/{depositAccountId}/fee-transactions",
  adjust: "/deposits/transactions/{depositTransactionId}:adjust",
  interest: "/deposits/{depositAccountId}:applyInterest",
};

function createDeposit(ctx: EngineContext, body: Record<string, unknown> = {}): string {
  const rec = prepareCreate(ctx, "deposits", { accountHolderType: "CLIENT", accountHolderKey: "client-1", productTypeKey: "CUR", name: "Current", ...body });
  return String(ctx.store.insert("deposits", rec).id);
}

function depositOf(ctx: EngineContext, id: string): WireRecord {
  return ctx.store.find("deposits", id) as WireRecord;
}

describe("sandbox engine: deposits", () => {
  test("approve, deposit (activates), withdraw, insufficient funds, fee, adjust, close", () => {
    const ctx = tenant();
    const id = createDeposit(ctx);
    const created = depositOf(ctx, id);
    expect(created).toMatchObject({ accountState: "PENDING_APPROVAL", currencyCode: "EUR", accountType: "CURRENT_ACCOUNT", assignedBranchKey: "branch-1", balances: { totalBalance: 0 } });
    expect(errorOf(() => call(ctx, "POST", D.deposit, { depositAccountId: id }, { amount: 10 })).errorReason).toBe("INVALID_DEPOSIT_ACCOUNT_STATE");
    expect(ok(call(ctx, "POST", D.state, { depositAccountId: id }, { action: "APPROVE" })).accountState).toBe("APPROVED");
    const dep = ok(call(ctx, "POST", D.deposit, { depositAccountId: id }, { amount: 500, notes: "salary" }), 201);
    expect(dep).toMatchObject({ type: "DEPOSIT", amount: 500, currencyCode: "EUR", accountBalances: { totalBalance: 500 }, affectedAmounts: { fundsAmount: 500 } });
    expect(depositOf(ctx, id)).toMatchObject({ accountState: "ACTIVE", activationDate: "2026-01-15T10:00:00+02:00", balances: { totalBalance: 500, availableBalance: 500 } });
    const wd = ok(call(ctx, "POST", D.withdraw, { depositAccountId: id }, { amount: 120.5 }), 201);
    expect(wd).toMatchObject({ type: "WITHDRAWAL", amount: -120.5, accountBalances: { totalBalance: 379.5 } });
    const tooMuch = errorOf(() => call(ctx, "POST", D.withdraw, { depositAccountId: id }, { amount: 1000 }));
    expect([tooMuch.status, tooMuch.errorCode, tooMuch.errorReason]).toEqual([400, 401, "BALANCE_BELOW_ZERO"]);
    expect(errorOf(() => call(ctx, "POST", D.withdraw, { depositAccountId: id }, { amount: -5 })).errorReason).toBe("INVALID_DEPOSIT_AMOUNT");
    const fee = ok(call(ctx, "POST", D.fee, { depositAccountId: id }, { predefinedFeeKey: "DFEE" }), 201);
    expect(fee).toMatchObject({ type: "FEE_APPLIED", amount: -5, affectedAmounts: { feesAmount: 5 } });
    expect(depositOf(ctx, id).balances).toMatchObject({ totalBalance: 374.5 });
    const adj = ok(call(ctx, "POST", D.adjust, { depositTransactionId: fee.id }, { notes: "waived" }));
    expect(adj).toMatchObject({ type: "FEE_ADJUSTED", amount: 5, originalTransactionKey: fee.encodedKey });
    expect(depositOf(ctx, id).balances).toMatchObject({ totalBalance: 379.5 });
    expect(errorOf(() => call(ctx, "POST", D.adjust, { depositTransactionId: fee.id }, {})).errorReason).toBe("TRANSACTION_ALREADY_REVERSED");
    const close = errorOf(() => call(ctx, "POST", D.state, { depositAccountId: id }, { action: "CLOSE" }));
    expect(close.errorReason).toBe("ACCOUNT_HAS_REMAINING_BALANCE");
    ok(call(ctx, "POST", D.withdraw, { depositAccountId: id }, { amount: 379.5 }), 201);
    const closed = ok(call(ctx, "POST", D.state, { depositAccountId: id }, { action: "CLOSE" }));
    expect([closed.accountState, closed.closedDate]).toEqual(["CLOSED", "2026-01-15T10:00:00+02:00"]);
    const again = errorOf(() => call(ctx, "POST", D.state, { depositAccountId: id }, { action: "LOCK" }));
    expect([again.errorCode, again.errorReason]).toEqual([416, "INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION"]);
    expect(errorOf(() => call(ctx, "POST", D.deposit, { depositAccountId: "nope" }, { amount: 1 })).status).toBe(404);
  });

  test("transfer deposit → deposit, then reversal of both sides", () => {
    const ctx = tenant();
    const a = createDeposit(ctx);
    const b = createDeposit(ctx);
    ok(call(ctx, "POST", D.state, { depositAccountId: a }, { action: "APPROVE" }));
    ok(call(ctx, "POST", D.state, { depositAccountId: b }, { action: "APPROVE" }));
    ok(call(ctx, "POST", D.deposit, { depositAccountId: a }, { amount: 300 }), 201);
    const t = ok(call(ctx, "POST", D.transfer, { depositAccountId: a }, { amount: 120, transferDetails: { linkedAccountType: "DEPOSIT", linkedAccountId: b } }), 201);
    expect(t).toMatchObject({ type: "TRANSFER", amount: -120, accountBalances: { totalBalance: 180 } });
    const incoming = ctx.store.find("depositTransactions", t.transferDetails.linkedDepositTransactionKey) as any;
    expect(incoming).toMatchObject({ type: "TRANSFER", amount: 120, parentAccountKey: depositOf(ctx, b).encodedKey, transferDetails: { linkedDepositTransactionKey: t.encodedKey } });
    expect(depositOf(ctx, b)).toMatchObject({ accountState: "ACTIVE", balances: { totalBalance: 120 } });
    expect(errorOf(() => call(ctx, "POST", D.transfer, { depositAccountId: a }, { amount: 1, transferDetails: { linkedAccountType: "DEPOSIT", linkedAccountId: a } })).errorReason).toBe("CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT");
    expect(errorOf(() => call(ctx, "POST", D.transfer, { depositAccountId: a }, { amount: 0, transferDetails: { linkedAccountType: "DEPOSIT", linkedAccountId: b } })).errorReason).toBe("TRANSFER_AMOUNT_IS_NOT_POSITIVE");
    ok(call(ctx, "POST", D.adjust, { depositTransactionId: incoming.id }, {}));
    expect(depositOf(ctx, a).balances).toMatchObject({ totalBalance: 300 });
    expect(depositOf(ctx, b).balances).toMatchObject({ totalBalance: 0 });
    expect((ctx.store.find("depositTransactions", t.encodedKey) as any).adjustmentTransactionKey).toBeDefined();
  });

  test("transfer deposit → loan is a repayment; reversing the transfer reverses the repayment", () => {
    const ctx = tenant();
    const d = createDeposit(ctx);
    ok(call(ctx, "POST", D.state, { depositAccountId: d }, { action: "APPROVE" }));
    ok(call(ctx, "POST", D.deposit, { depositAccountId: d }, { amount: 1000 }), 201);
    const loanId = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 600 });
    const t = ok(call(ctx, "POST", D.transfer, { depositAccountId: d }, { amount: 206, transferDetails: { linkedAccountType: "LOAN", linkedAccountId: loanId } }), 201);
    expect(t).toMatchObject({ type: "TRANSFER", amount: -206, accountBalances: { totalBalance: 794 } });
    const rep = ctx.store.find("loanTransactions", t.transferDetails.linkedLoanTransactionKey) as any;
    expect(rep).toMatchObject({ type: "REPAYMENT", amount: 206, transferDetails: { linkedDepositTransactionKey: t.encodedKey }, affectedAmounts: { interestAmount: 6, principalAmount: 200 } });
    expect(loanOf(ctx, loanId).balances).toMatchObject({ principalBalance: 400 });
    expect(errorOf(() => call(ctx, "POST", L.adjust, { loanTransactionId: rep.id }, {})).errorReason).toBe("TRANSACTION_MADE_FROM_A_TRANSFER");
    ok(call(ctx, "POST", D.adjust, { depositTransactionId: t.id }, {}));
    expect(loanOf(ctx, loanId).balances).toMatchObject({ principalBalance: 600 });
    expect(depositOf(ctx, d).balances).toMatchObject({ totalBalance: 1000 });
    const closedLoan = errorOf(() => call(ctx, "POST", D.transfer, { depositAccountId: d }, { amount: 1, transferDetails: { linkedAccountType: "LOAN", linkedAccountId: "nope" } }));
    expect(closedLoan.errorReason).toBe("INVALID_LOAN_ACCOUNT_ID");
  });

  test("disbursement into a deposit account; overdraft within the limit; lock; interest", () => {
    const ctx = tenant();
    const d = createDeposit(ctx, { overdraftSettings: { allowOverdraft: true, overdraftLimit: 100 }, interestSettings: { interestRateSettings: { interestRate: 3 } } });
    ok(call(ctx, "POST", D.state, { depositAccountId: d }, { action: "APPROVE" }));
    const loanId = activeLoan(ctx, { productTypeKey: "lp-flat", loanAmount: 150 }, { transferDetails: { linkedAccountId: d } });
    expect(depositOf(ctx, d)).toMatchObject({ accountState: "ACTIVE", balances: { totalBalance: 150 } });
    const disb = ctx.store.all("loanTransactions").find((t) => t.parentAccountKey === loanOf(ctx, loanId).encodedKey && t.type === "DISBURSEMENT") as any;
    expect(ctx.store.find("depositTransactions", disb.transferDetails.linkedDepositTransactionKey)).toMatchObject({ type: "TRANSFER", amount: 150 });
    ctx.clock.set("2026-02-14T10:00:00+02:00");
    call(ctx, "POST", D.interest, { depositAccountId: d }, { interestApplicationDate: "2026-02-14T10:00:00+02:00" });
    // 150 × 3 % × 30 / 365 = 0.3699 → 0.37
    expect(depositOf(ctx, d).balances).toMatchObject({ totalBalance: 150.37 });
    const w = ok(call(ctx, "POST", D.withdraw, { depositAccountId: d }, { amount: 200 }), 201);
    expect(w.affectedAmounts).toMatchObject({ fundsAmount: 150.37, overdraftAmount: 49.63 });
    expect(depositOf(ctx, d).balances).toMatchObject({ totalBalance: 0, overdraftAmount: 49.63 });
    const over = errorOf(() => call(ctx, "POST", D.withdraw, { depositAccountId: d }, { amount: 60 }));
    expect(over.errorReason).toBe("MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED");
    ok(call(ctx, "POST", D.state, { depositAccountId: d }, { action: "LOCK" }));
    expect(errorOf(() => call(ctx, "POST", D.deposit, { depositAccountId: d }, { amount: 10 })).errorReason).toBe("INVALID_DEPOSIT_ACCOUNT_STATE");
    expect(ok(call(ctx, "POST", D.state, { depositAccountId: d }, { action: "UNLOCK" })).accountState).toBe("ACTIVE");
    ok(call(ctx, "POST", D.deposit, { depositAccountId: d }, { amount: 60 }), 201);
    expect(depositOf(ctx, d).balances).toMatchObject({ totalBalance: 10.37, overdraftAmount: 0 });
  });

  test("reject, withdraw and write-off closures", () => {
    const ctx = tenant();
    const r = createDeposit(ctx);
    expect(ok(call(ctx, "POST", D.state, { depositAccountId: r }, { action: "CLOSE_REJECT" })).accountState).toBe("CLOSED_REJECTED");
    const w = createDeposit(ctx);
    ok(call(ctx, "POST", D.state, { depositAccountId: w }, { action: "APPROVE" }));
    expect(ok(call(ctx, "POST", D.state, { depositAccountId: w }, { action: "CLOSE_WITHDRAW" })).accountState).toBe("WITHDRAWN");
    const o = createDeposit(ctx, { overdraftSettings: { allowOverdraft: true, overdraftLimit: 50 } });
    ok(call(ctx, "POST", D.state, { depositAccountId: o }, { action: "APPROVE" }));
    ok(call(ctx, "POST", D.deposit, { depositAccountId: o }, { amount: 10 }), 201);
    ok(call(ctx, "POST", D.withdraw, { depositAccountId: o }, { amount: 40 }), 201);
    const wo = ok(call(ctx, "POST", D.state, { depositAccountId: o }, { action: "CLOSE_WRITE_OFF" }));
    expect(wo).toMatchObject({ accountState: "CLOSED_WRITTEN_OFF", balances: { totalBalance: 0, overdraftAmount: 0 } });
    expect(ctx.store.all("depositTransactions").filter((t) => t.type === "WRITE_OFF").map((t) => t.amount)).toEqual([30]);
    expect(errorOf(() => createDeposit(ctx, { overdraftSettings: { allowOverdraft: true, overdraftLimit: 900 } })).errorReason).toBe("MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED");
  });
});

describe("arrears refresh across a growing book", () => {
  const FLAT = { productTypeKey: "lp-flat", loanAmount: 1000, interestSettings: { interestRate: 12 }, scheduleSettings: { repaymentInstallments: 3 } };

  it("within a day looks only at the loans that changed (a migration does not rescan the book per request); a new day looks at all", () => {
    const ctx = tenant();
    const ids = [activeLoan(ctx, FLAT), activeLoan(ctx, FLAT), activeLoan(ctx, FLAT)];
    refreshArrears(ctx);
    const all = jest.spyOn(ctx.store, "all");
    // loans created, approved and disbursed during the day: no scan of every loan
    ids.push(activeLoan(ctx, FLAT));
    createLoan(ctx, FLAT);
    refreshArrears(ctx);
    expect(all.mock.calls.filter(([coll]) => coll === "loans")).toHaveLength(0);
    // past the first due date: every running loan falls into arrears, including the one created last
    ctx.clock.set("2026-02-17T09:00:00+02:00");
    refreshArrears(ctx);
    expect(all.mock.calls.filter(([coll]) => coll === "loans")).toHaveLength(1);
    expect(ids.map((id) => loanOf(ctx, id).accountState)).toEqual(Array(4).fill("ACTIVE_IN_ARREARS"));
    all.mockRestore();
  });

  it("brings a running loan stored mid-day (a restored record and its transactions) up to the day on the next refresh", () => {
    const source = tenant();
    const id = activeLoan(source, FLAT);
    const ctx = tenant();
    ctx.clock.set("2026-02-17T09:00:00+02:00");
    refreshArrears(ctx); // the day's refresh has run before the loan arrives
    ctx.store.extra = source.store.extra; // the engine's schedules
    for (const tx of source.store.all("loanTransactions")) ctx.store.insert("loanTransactions", tx);
    ctx.store.insert("loans", loanOf(source, id));
    expect(loanOf(ctx, id).accountState).toBe("ACTIVE");
    refreshArrears(ctx);
    expect(loanOf(ctx, id)).toMatchObject({ accountState: "ACTIVE_IN_ARREARS", daysLate: 2 });
  });
});
