/**
 * Sandbox e2e: reschedule, refinance and their undo, terminate, pay-off preview, lock/unlock and the redraw
 * transactions — money that adds up on every account touched (spec/helpers/loan-invariants.ts), answers that
 * match the contract, Mambu's error reasons.
 */
import Decimal from "decimal.js";
import fc from "fast-check";
import { DateTime } from "luxon";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, expectContractAnswer } from "./sandbox-helpers";
import { checkLoanInvariants } from "../helpers/loan-invariants";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

/** Asserts an answer's status and that its body matches the operation's response schema (newer fields tolerated). */
function expectAnswer(method: string, path: string, r: Answer, status: number): void {
  expectContractAnswer(method, path, r, { status });
}

async function post(path: string, body: unknown, status: number, headers?: Record<string, string>): Promise<Answer> {
  const r = await call(sb, "POST", path, { body, headers });
  expectAnswer("POST", path, r, status);
  return r;
}

async function refused(path: string, body: unknown, reason: string): Promise<void> {
  const r = await call(sb, "POST", path, { body });
  expect([r.status, r.body?.errors?.[0]?.errorReason]).toEqual([400, reason]);
}

async function loan(id: string) {
  const r = await call(sb, "GET", `/loans/${id}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** A new disbursed loan of the demo client 0512N0026 (disbursed on `disbursedOn`, default today). */
async function activeLoan(productTypeKey: string, loanAmount: number, installments: number, rate: number, disbursedOn?: string): Promise<string> {
  const created = await post(
    "/loans",
    { accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey, loanAmount, interestSettings: { interestRate: rate }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: installments, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" } },
    201,
  );
  const id = created.body.id;
  await post(`/loans/${id}:changeState`, { action: "APPROVE" }, 200);
  await post(`/loans/${id}/disbursement-transactions`, disbursedOn ? { valueDate: disbursedOn } : {}, 201);
  return id;
}

const money = (v: unknown) => new Decimal(v as Decimal.Value).toFixed(2);

describe("pay-off preview", () => {
  it("announces exactly what the pay-off then posts", async () => {
    const before = await checkLoanInvariants(sb, "54321");
    const preview = await post("/loans/54321:previewPayOffAmounts", { valueDate: "2026-01-20T00:00:00+02:00" }, 200);
    const p = preview.body;
    expect(money(p.principalBalance)).toBe(money(before.loan.balances.principalBalance));
    expect(money(p.totalBalance)).toBe(money(new Decimal(p.principalBalance).plus(p.interestBalance).plus(p.feeBalance).plus(p.penaltyBalance)));
    expect(new Decimal(p.totalBalance).greaterThan(0)).toBe(true);

    await post("/loans/54321:payOff", { notes: "early" }, 204);
    const after = await checkLoanInvariants(sb, "54321");
    expect([after.loan.accountState, after.loan.accountSubState]).toEqual(["CLOSED", "REPAID"]);
    const payoff = after.transactions[after.transactions.length - 1];
    expect(payoff.type).toBe("REPAYMENT");
    expect([money(payoff.amount), money(payoff.affectedAmounts.principalAmount), money(payoff.affectedAmounts.interestAmount), money(payoff.affectedAmounts.feesAmount), money(payoff.affectedAmounts.penaltyAmount)]).toEqual(
      [money(p.totalBalance), money(p.principalBalance), money(p.interestBalance), money(p.feeBalance), money(p.penaltyBalance)],
    );
  });

  it("refuses loans not running, past dates and a missing date", async () => {
    await refused("/loans/54323:previewPayOffAmounts", { valueDate: "2026-01-20T00:00:00+02:00" }, "INVALID_ACCOUNT_STATE");
    await refused("/loans/54326:previewPayOffAmounts", { valueDate: "2026-01-10T00:00:00+02:00" }, "INVALID_DATE");
    await refused("/loans/54326:previewPayOffAmounts", {}, "INVALID_PARAMETERS");
  });
});

describe("reschedule", () => {
  it("closes the original, opens the new loan with the balances carried over, and undo restores the original exactly", async () => {
    const before = await checkLoanInvariants(sb, "54322");
    expect(before.loan.accountState).toBe("ACTIVE_IN_ARREARS");
    const b = before.loan.balances;
    const writeOffInterest = new Decimal(b.interestBalance).dividedBy(2).toDecimalPlaces(2);
    expect(writeOffInterest.greaterThan(0)).toBe(true);
    const r = await post(
      "/loans/54322:reschedule",
      {
        writeOffAmounts: { interest: writeOffInterest.toNumber() },
        loanAccount: {
          productTypeKey: before.loan.productTypeKey,
          id: "RS-54322",
          interestSettings: { interestRate: 12 },
          scheduleSettings: { repaymentInstallments: 10 },
          disbursementDetails: { firstRepaymentDate: "2026-02-15T00:00:00+02:00" },
          notes: "hardship",
        },
      },
      200,
    );
    const carried = new Decimal(b.principalBalance).plus(b.interestBalance).plus(b.feesBalance).plus(b.penaltyBalance).minus(writeOffInterest);
    expect(r.body).toMatchObject({ id: "RS-54322", accountState: "ACTIVE", originalAccountKey: before.loan.encodedKey, accountHolderKey: before.loan.accountHolderKey });
    expect(money(r.body.loanAmount)).toBe(money(carried));

    const fresh = await checkLoanInvariants(sb, "RS-54322");
    expect(fresh.installments).toHaveLength(10);
    expect(fresh.installments[0].dueDate).toBe("2026-02-15T00:00:00+02:00");
    expect(fresh.transactions.map((t) => [t.type, money(t.amount)])).toEqual([["DISBURSEMENT", money(carried)]]);
    expect(fresh.loan.activationTransactionKey).toBe(fresh.transactions[0].encodedKey);
    expect(money(fresh.loan.balances.principalBalance)).toBe(money(carried));

    const original = await checkLoanInvariants(sb, "54322");
    expect([original.loan.accountState, original.loan.accountSubState, original.loan.rescheduledAccountKey]).toEqual(["CLOSED", "RESCHEDULED", fresh.loan.encodedKey]);
    const posted = original.transactions.slice(before.transactions.length);
    expect(posted.map((t) => [t.type, money(t.amount)])).toEqual([
      ["INTEREST_DUE_REDUCED", money(writeOffInterest)],
      ["TRANSFER", money(carried)],
    ]);
    expect(posted[1].transferDetails).toEqual({ linkedLoanTransactionKey: fresh.transactions[0].encodedKey });
    await refused("/loans/54322/repayment-transactions", { amount: 10 }, "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS");
    await refused("/loans/RS-54322:undoRefinance", {}, "RESCHEDULED_LOAN");

    await post("/loans/54322:undoReschedule", { notes: "by mistake" }, 204);
    expect((await call(sb, "GET", "/loans/RS-54322")).status).toBe(404);
    const undone = await checkLoanInvariants(sb, "54322");
    expect([undone.loan.accountState, undone.loan.accountSubState, undone.loan.rescheduledAccountKey]).toEqual(["ACTIVE_IN_ARREARS", undefined, undefined]);
    expect(undone.loan.balances).toEqual(before.loan.balances);
    expect(undone.transactions.slice(before.transactions.length + 2).map((t) => t.type)).toEqual(["TRANSFER_ADJUSTMENT", "INTEREST_REDUCTION_ADJUSTMENT"]);
    await refused("/loans/54322:undoReschedule", {}, "INVALID_ACCOUNT_STATE");
  });

  it("writes principal off and capitalises the rest; undo is refused once the new loan has a repayment", async () => {
    const id = await activeLoan("FLAT-MICRO", 1200, 6, 24, "2025-12-01T10:00:00+02:00");
    await post(`/loans/${id}/fee-transactions`, { amount: 30 }, 201);
    const before = await checkLoanInvariants(sb, id);
    const b = before.loan.balances;
    const r = await post(
      `/loans/${id}:reschedule`,
      {
        writeOffAmounts: { principal: 100, fee: 30 },
        loanAccount: { productTypeKey: "FLAT-MICRO", scheduleSettings: { repaymentInstallments: 12 }, disbursementDetails: { firstRepaymentDate: "2026-02-01T00:00:00+02:00" } },
      },
      200,
    );
    const carried = new Decimal(b.principalBalance).minus(100).plus(b.interestBalance).plus(b.penaltyBalance);
    expect(money(r.body.loanAmount)).toBe(money(carried));
    expect(r.body.interestSettings.interestRate).toBe(24);
    const original = await checkLoanInvariants(sb, id);
    expect(original.transactions.slice(before.transactions.length).map((t) => [t.type, money(t.amount)])).toEqual([
      ["FEES_DUE_REDUCED", "30.00"],
      ["TRANSFER", money(carried)],
      ["WRITE_OFF", "100.00"],
    ]);
    await checkLoanInvariants(sb, r.body.id);

    await post(`/loans/${r.body.id}/repayment-transactions`, { amount: 50 }, 201);
    await refused(`/loans/${id}:undoReschedule`, {}, "UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE");
    await checkLoanInvariants(sb, r.body.id);
  });

  it("refuses loans not running, write-offs above the balance or negative, and a first repayment date not after today", async () => {
    const details = { productTypeKey: "FLAT-MICRO", disbursementDetails: { firstRepaymentDate: "2026-03-01T00:00:00+02:00" } };
    await refused("/loans/54323:reschedule", { loanAccount: details }, "INVALID_ACCOUNT_STATE");
    await refused("/loans/54326:reschedule", { writeOffAmounts: { interest: 999999 }, loanAccount: details }, "WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT");
    await refused("/loans/54326:reschedule", { writeOffAmounts: { fee: -1 }, loanAccount: details }, "NEGATIVE_WRITE_OFF_AMOUNT");
    await refused("/loans/54326:reschedule", { loanAccount: { ...details, disbursementDetails: { firstRepaymentDate: "2026-01-10T00:00:00+02:00" } } }, "FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE");
    await refused("/loans/54326:reschedule", { loanAccount: { ...details, id: "54321" } }, "ACCOUNT_ID_ALREADY_IN_USE");
    expect((await loan("54326")).accountState).toBe("ACTIVE");
    await checkLoanInvariants(sb, "54326");
  });

  it("a replayed Idempotency-Key does not open a second new loan", async () => {
    const id = await activeLoan("FLAT-MICRO", 1000, 4, 24);
    const count = (await call(sb, "GET", "/loans?limit=1000")).body.length;
    const body = { loanAccount: { productTypeKey: "FLAT-MICRO", disbursementDetails: { firstRepaymentDate: "2026-02-20T00:00:00+02:00" } } };
    const headers = { "Idempotency-Key": "6f1e2d3c-4b5a-4697-8877-665544332211" };
    const first = await post(`/loans/${id}:reschedule`, body, 200, headers);
    const second = await post(`/loans/${id}:reschedule`, body, 200, headers);
    expect(second.body).toEqual(first.body);
    expect((await call(sb, "GET", "/loans?limit=1000")).body.length).toBe(count + 1);
    await checkLoanInvariants(sb, id);
    await checkLoanInvariants(sb, first.body.id);
  });
});

describe("refinance", () => {
  it("opens the new loan with the top-up disbursed on it; undo restores the original", async () => {
    const before = await checkLoanInvariants(sb, "54326");
    const b = before.loan.balances;
    const r = await post(
      "/loans/54326:refinance",
      { topUpAmount: 500, loanAccount: { productTypeKey: before.loan.productTypeKey, loanName: "Group loan (refinanced)", disbursementDetails: { expectedDisbursementDate: "2026-01-15T00:00:00+02:00", firstRepaymentDate: "2026-02-15T00:00:00+02:00" } } },
      200,
    );
    const total = new Decimal(b.principalBalance).plus(b.interestBalance).plus(b.feesBalance).plus(b.penaltyBalance);
    expect(money(r.body.loanAmount)).toBe(money(total.plus(500)));
    expect([r.body.loanName, r.body.accountHolderType, r.body.accountHolderKey]).toEqual(["Group loan (refinanced)", "GROUP", before.loan.accountHolderKey]);
    const original = await checkLoanInvariants(sb, "54326");
    expect([original.loan.accountState, original.loan.accountSubState]).toEqual(["CLOSED", "REFINANCED"]);
    const fresh = await checkLoanInvariants(sb, r.body.id);
    expect(money(fresh.loan.balances.principalBalance)).toBe(money(total.plus(500)));
    await refused("/loans/54326:undoReschedule", {}, "REFINANCED_LOAN");
    await post(`/loans/${r.body.id}:undoRefinance`, {}, 204);
    const undone = await checkLoanInvariants(sb, "54326");
    expect(undone.loan.balances).toEqual(before.loan.balances);
    expect(undone.loan.accountState).toBe("ACTIVE");
  });

  it("refuses a negative top-up and a principal write-off", async () => {
    const details = { productTypeKey: "FLAT-MICRO", disbursementDetails: { firstRepaymentDate: "2026-03-01T00:00:00+02:00" } };
    await refused("/loans/54326:refinance", { topUpAmount: -5, loanAccount: details }, "NEGATIVE_TOP_UP_AMOUNT");
    await refused("/loans/54326:refinance", { topUpAmount: 5, loanAccount: { ...details, disbursementDetails: { ...details.disbursementDetails, expectedDisbursementDate: "2026-01-20T00:00:00+02:00" } } }, "INVALID_DISBURSEMENT_DATE");
    await refused("/loans/54326:refinance", { topUpAmount: 5, writeOffAmounts: { principal: 1 }, loanAccount: details }, "INVALID_PARAMETERS");
  });
});

describe("terminate", () => {
  it("makes everything owed due on the termination date; the pay-off then closes the loan", async () => {
    const id = await activeLoan("DB-PERSONAL", 12000, 12, 24, "2025-12-01T10:00:00+02:00");
    const before = await checkLoanInvariants(sb, id);
    // installment 1 fell due on 2026-01-01; installment 2 runs 2026-01-01 → 2026-02-01 (31 days), 14 of them elapsed
    const second = before.installments[1];
    expect(second.dueDate).toBe("2026-02-01T00:00:00+02:00");
    const accrued = new Decimal(second.interest.amount.expected).times(14).dividedBy(31).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const dueInterestBefore = new Decimal(before.loan.balances.interestBalance);

    await post(`/loans/${id}:terminate`, { valueDate: "2026-01-15T10:00:00+02:00", notes: "fraud" }, 204);
    const after = await checkLoanInvariants(sb, id);
    expect([after.loan.accountState, after.loan.accountSubState, after.loan.terminationDate]).toEqual(["ACTIVE_IN_ARREARS", "TERMINATED", "2026-01-15T10:00:00+02:00"]);
    const terminated = after.transactions[after.transactions.length - 1];
    expect([terminated.type, terminated.notes, money(terminated.affectedAmounts.interestAmount)]).toEqual(["ACCOUNT_TERMINATED", "fraud", money(accrued)]);
    expect(after.installments).toHaveLength(12);
    expect(after.installments.slice(1).every((i) => i.dueDate === "2026-01-15T00:00:00+02:00")).toBe(true);
    const b = after.loan.balances;
    expect([money(b.principalDue), money(b.interestBalance), money(b.interestDue)]).toEqual([money(b.principalBalance), money(dueInterestBefore.plus(accrued)), money(dueInterestBefore.plus(accrued))]);
    expect(money(terminated.amount)).toBe(money(new Decimal(b.principalBalance).plus(b.interestBalance).plus(b.feesBalance).plus(b.penaltyBalance)));

    const preview = await post(`/loans/${id}:previewPayOffAmounts`, { valueDate: "2026-01-15T10:00:00+02:00" }, 200);
    expect(money(preview.body.totalBalance)).toBe(money(terminated.amount));
    await post(`/loans/${id}:payOff`, {}, 204);
    const paid = await checkLoanInvariants(sb, id);
    expect([paid.loan.accountState, paid.loan.accountSubState]).toEqual(["CLOSED", "REPAID"]);
  });

  it("is undone by adjusting its ACCOUNT_TERMINATED transaction: the loan runs on its schedule again", async () => {
    const id = await activeLoan("DB-PERSONAL", 6000, 6, 24, "2025-12-01T10:00:00+02:00");
    const before = await checkLoanInvariants(sb, id);
    await post(`/loans/${id}:terminate`, { valueDate: "2026-01-15T10:00:00+02:00" }, 204);
    const terminated = await checkLoanInvariants(sb, id);
    expect(terminated.loan.accountSubState).toBe("TERMINATED");
    const tx = terminated.transactions.find((t) => t.type === "ACCOUNT_TERMINATED");
    expect(new Decimal(tx.amount).greaterThan(0)).toBe(true);

    const adj = await post(`/loans/transactions/${tx.id}:adjust`, { notes: "terminated by mistake" }, 200);
    expect([adj.body.type, adj.body.originalTransactionKey, money(adj.body.amount), adj.body.notes]).toEqual(
      ["ACCOUNT_TERMINATED_ADJUSTMENT", tx.encodedKey, money(new Decimal(tx.amount).negated()), "terminated by mistake"],
    );
    const after = await checkLoanInvariants(sb, id);
    expect([after.loan.accountState, after.loan.accountSubState, after.loan.terminationDate]).toEqual([before.loan.accountState, undefined, undefined]);
    expect("terminationDate" in after.loan).toBe(false);
    expect(after.loan.balances).toEqual(before.loan.balances);
    const schedule = (s: typeof before) => s.installments.map((i) => [i.number, i.dueDate, money(i.principal.amount.expected), money(i.interest.amount.expected)]);
    expect(schedule(after)).toEqual(schedule(before));
    expect(after.installments[5].dueDate).toBe("2026-06-01T00:00:00+02:00");
    expect(after.transactions.find((t) => t.encodedKey === tx.encodedKey).adjustmentTransactionKey).toBe(adj.body.encodedKey);
    await refused(`/loans/transactions/${tx.id}:adjust`, {}, "TRANSACTION_ALREADY_REVERSED");
    // terminated again afterwards, as if the first termination had not happened
    await post(`/loans/${id}:terminate`, { valueDate: "2026-01-15T10:00:00+02:00" }, 204);
    expect((await checkLoanInvariants(sb, id)).loan.accountSubState).toBe("TERMINATED");
  });

  it("refuses products without declining balance equal installments, future dates and terminated loans", async () => {
    await refused("/loans/54326:terminate", { valueDate: "2026-01-15T09:00:00+02:00" }, "INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE");
    const id = await activeLoan("DB-PERSONAL", 5000, 6, 24, "2025-12-20T10:00:00+02:00");
    await refused(`/loans/${id}:terminate`, { valueDate: "2026-01-16T10:00:00+02:00" }, "INVALID_TERMINATION_DATE");
    await refused(`/loans/${id}:terminate`, { valueDate: "2025-12-19T10:00:00+02:00" }, "INVALID_TERMINATION_DATE");
    await post(`/loans/${id}:terminate`, { valueDate: "2026-01-15T10:00:00+02:00" }, 204);
    await refused(`/loans/${id}:terminate`, { valueDate: "2026-01-15T10:00:00+02:00" }, "INVALID_ACCOUNT_STATE");
    await refused("/loans/54324:terminate", { valueDate: "2026-01-15T10:00:00+02:00" }, "INVALID_ACCOUNT_STATE");
    await checkLoanInvariants(sb, id);
  });
});

describe("lock and unlock", () => {
  it("locks the chosen income sources with their transactions, and unlocks them", async () => {
    const before = await checkLoanInvariants(sb, "54322");
    const lock = await post("/loans/54322/lock-transactions", { lockedOperations: ["APPLY_INTEREST", "APPLY_PENALTIES"], notes: "collections" }, 201);
    expect(lock.body.loanTransactions.map((t: { type: string; amount: number }) => [t.type, t.amount])).toEqual([
      ["INTEREST_LOCKED", before.loan.accruedInterest],
      ["PENALTY_LOCKED", 0],
    ]);
    const locked = await checkLoanInvariants(sb, "54322");
    expect([locked.loan.accountState, locked.loan.accountSubState, locked.loan.lockedOperations, locked.loan.lastLockedDate]).toEqual([
      "ACTIVE_IN_ARREARS", "LOCKED", ["APPLY_INTEREST", "APPLY_PENALTIES"], "2026-01-15T10:00:00+02:00",
    ]);
    expect(locked.loan.balances).toEqual(before.loan.balances);
    await refused("/loans/54322/lock-transactions", { lockedOperations: ["APPLY_PENALTIES", "APPLY_INTEREST"] }, "ACCOUNT_ALREADY_LOCKED");
    const more = await post("/loans/54322/lock-transactions", { lockedOperations: ["APPLY_INTEREST", "APPLY_FEES", "APPLY_PENALTIES"] }, 201);
    expect(more.body.loanTransactions.map((t: { type: string }) => t.type)).toEqual(["FEE_LOCKED"]);
    await refused("/loans/54322:terminate", { valueDate: "2026-01-15T10:00:00+02:00" }, "ACCOUNT_IS_LOCKED");

    const unlock = await post("/loans/54322/unlock-transactions", { notes: "settled" }, 201);
    expect(unlock.body.loanTransactions.map((t: { type: string }) => t.type)).toEqual(["INTEREST_UNLOCKED", "FEE_UNLOCKED", "PENALTY_UNLOCKED"]);
    const unlocked = await checkLoanInvariants(sb, "54322");
    expect([unlocked.loan.accountSubState, unlocked.loan.lockedOperations, unlocked.loan.lastLockedDate]).toEqual([undefined, undefined, undefined]);
    await refused("/loans/54322/unlock-transactions", {}, "ACCOUNT_ALREADY_UNLOCKED");
    await refused("/loans/54324/lock-transactions", {}, "INVALID_ACCOUNT_STATE");
  });
});

describe("redraw", () => {
  let redrawProduct: string;
  beforeAll(async () => {
    const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    const created = await post("/loanproducts", { ...rest, id: "DB-REDRAW", name: "Personal loan with redraw", redrawSettings: { allowRedraw: true } }, 201);
    redrawProduct = created.body.encodedKey;
  });

  it("payment made fills the redraw balance, withdrawal and redraw repayment draw on it", async () => {
    const id = await activeLoan(redrawProduct, 6000, 6, 24, "2025-12-01T10:00:00+02:00");
    const start = await checkLoanInvariants(sb, id);
    const made = await post(`/loans/${id}/payment-made-transactions`, { amount: 2000, notes: "bonus" }, 201);
    expect([made.body.type, made.body.accountBalances.redrawBalance, made.body.accountBalances.principalBalance]).toEqual(["PAYMENT_MADE", 2000, 6000]);
    const out = await post(`/loans/${id}/withdrawal-transactions`, { amount: 500 }, 201);
    expect([out.body.type, out.body.accountBalances.redrawBalance]).toEqual(["WITHDRAWAL_REDRAW", 1500]);
    await refused(`/loans/${id}/withdrawal-transactions`, { amount: 1500.01 }, "INSUFFICIENT_REDRAW_BALANCE");
    await refused(`/loans/${id}/payment-made-transactions`, { amount: 4500.01 }, "EXCESS_PAYMENT_MADE_AMOUNT");

    const due = new Decimal(start.loan.balances.principalDue).plus(start.loan.balances.interestDue);
    const repaid = await post(`/loans/${id}/redraw-repayment-transactions`, {}, 201);
    expect([repaid.body.type, money(repaid.body.amount), money(repaid.body.accountBalances.redrawBalance)]).toEqual(["REDRAW_REPAYMENT", money(due), money(new Decimal(1500).minus(due))]);
    const after = await checkLoanInvariants(sb, id);
    expect([after.loan.accountState, money(after.loan.balances.redrawBalance), money(after.loan.balances.principalDue)]).toEqual(["ACTIVE", money(new Decimal(1500).minus(due)), "0.00"]);
    await refused(`/loans/${id}/redraw-repayment-transactions`, { amount: 99999 }, "INSUFFICIENT_REDRAW_BALANCE");
  });

  it("the pay-off uses the redraw balance first and posts the rest as previewed; a restructure refuses a redraw balance", async () => {
    const id = await activeLoan(redrawProduct, 3000, 3, 24, "2025-12-20T10:00:00+02:00");
    await post(`/loans/${id}/payment-made-transactions`, { amount: 1000 }, 201);
    const before = await checkLoanInvariants(sb, id);
    // a pay-off owes what every installment still expects (this product's interest: all the schedule's)
    const owed = before.installments.reduce((acc, i) => ["principal", "interest", "fee", "penalty"].reduce((a, e) => a.plus(i[e].amount.due), acc), new Decimal(0));
    await refused(`/loans/${id}:reschedule`, { loanAccount: { productTypeKey: redrawProduct, disbursementDetails: { firstRepaymentDate: "2026-02-20T00:00:00+02:00" } } }, "INVALID_ACCOUNT_STATE");

    const preview = (await post(`/loans/${id}:previewPayOffAmounts`, { valueDate: "2026-01-15T10:00:00+02:00" }, 200)).body;
    await post(`/loans/${id}:payOff`, {}, 204);
    const after = await checkLoanInvariants(sb, id);
    expect([after.loan.accountState, after.loan.balances.redrawBalance]).toEqual(["CLOSED", 0]);
    const [redraw, repayment] = after.transactions.slice(before.transactions.length);
    expect([redraw.type, money(redraw.amount)]).toEqual(["REDRAW_REPAYMENT", "1000.00"]);
    expect([repayment.type, money(repayment.amount), money(repayment.affectedAmounts.principalAmount), money(repayment.affectedAmounts.interestAmount)]).toEqual(
      ["REPAYMENT", money(preview.totalBalance), money(preview.principalBalance), money(preview.interestBalance)],
    );
    expect(money(preview.totalBalance)).toBe(money(owed.minus(1000)));
  });

  it("products without redraw refuse the three transactions with their reasons", async () => {
    await refused("/loans/54326/payment-made-transactions", { amount: 10 }, "PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS");
    await refused("/loans/54326/withdrawal-transactions", { amount: 10 }, "PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS");
    await refused("/loans/54326/redraw-repayment-transactions", { amount: 10 }, "REDRAW_DISABLED");
    await refused("/loans/54324/payment-made-transactions", { amount: 10 }, "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS");
    await checkLoanInvariants(sb, "54326");
  });
});

describe("pay-off preview at a later date (runs late: it moves the clock)", () => {
  it("adds the penalties the days until then accrue; a pay-off on that day posts exactly the preview", async () => {
    const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    const penaltySettings = { loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: { defaultValue: 36.5 }, loanPenaltyGracePeriod: 0 };
    const product = (await post("/loanproducts", { ...rest, id: "DB-PENALTY", name: "Personal loan with penalties", penaltySettings }, 201)).body.encodedKey;
    const id = await activeLoan(product, 6000, 6, 24, "2025-11-01T10:00:00+02:00");
    const today = await checkLoanInvariants(sb, id);
    const now = (await post(`/loans/${id}:previewPayOffAmounts`, { valueDate: "2026-01-15T10:00:00+02:00" }, 200)).body;
    const later = (await post(`/loans/${id}:previewPayOffAmounts`, { valueDate: "2026-01-25T10:00:00+02:00" }, 200)).body;
    // by 25 January, at 36.5 % a year (0.1 % a day): installment 1 (due 1 December) 55 days late, installment 2 (1 January) 24
    const [first, second] = today.installments;
    expect([first.dueDate, second.dueDate]).toEqual(["2025-12-01T00:00:00+02:00", "2026-01-01T00:00:00+02:00"]);
    const accrued = (i: { principal: { amount: { due: number } } }, days: number) => new Decimal(i.principal.amount.due).times("0.001").times(days).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const applied = new Decimal(now.penaltyBalance);
    expect(money(later.penaltyBalance)).toBe(money(accrued(first, 55).plus(accrued(second, 24))));
    expect(new Decimal(later.penaltyBalance).greaterThan(applied)).toBe(true);
    expect([later.principalBalance, later.interestBalance, later.feeBalance]).toEqual([now.principalBalance, now.interestBalance, now.feeBalance]);
    expect(money(later.totalBalance)).toBe(money(new Decimal(now.totalBalance).plus(later.penaltyBalance).minus(now.penaltyBalance)));

    sb.clock.advance({ days: 10 });
    await post(`/loans/${id}:payOff`, {}, 204);
    const paid = await checkLoanInvariants(sb, id);
    const repayment = paid.transactions[paid.transactions.length - 1];
    expect([repayment.type, money(repayment.amount), money(repayment.affectedAmounts.penaltyAmount), money(repayment.affectedAmounts.principalAmount)]).toEqual(
      ["REPAYMENT", money(later.totalBalance), money(later.penaltyBalance), money(later.principalBalance)],
    );
    expect(paid.loan.accountState).toBe("CLOSED");
  });
});

describe("random servicing keeps the money adding up", () => {
  const OPS = ["advance", "repay", "made", "withdraw", "redrawRepay", "lock", "reschedule", "refinance", "undo", "terminate", "payoff"] as const;
  type Op = { kind: (typeof OPS)[number]; n: number };
  /** The reasons each operation may answer when the loan's state does not allow it. */
  const ALLOWED: Record<string, string[]> = {
    repay: ["EXCESS_REPAYMENT_ERROR", "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"],
    made: ["EXCESS_PAYMENT_MADE_AMOUNT", "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"],
    withdraw: ["INSUFFICIENT_REDRAW_BALANCE", "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"],
    redrawRepay: ["INVALID_AMOUNT", "INSUFFICIENT_REDRAW_BALANCE", "EXCESS_REPAYMENT_ERROR", "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"],
    lock: ["INVALID_ACCOUNT_STATE"],
    reschedule: ["INVALID_ACCOUNT_STATE", "INVALID_AMOUNT"],
    refinance: ["INVALID_ACCOUNT_STATE", "INVALID_AMOUNT"],
    undo: ["UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE"],
    terminate: ["INVALID_ACCOUNT_STATE", "ACCOUNT_IS_LOCKED", "LOAN_ACCOUNT_ALREADY_FULLY_PAID", "LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE"],
    payoff: ["INVALID_ACCOUNT_STATE"],
  };
  let product: string;
  let runs = 0;
  const succeeded = new Map<string, number>();
  beforeAll(async () => {
    const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    product = (await post("/loanproducts", { ...rest, id: "DB-REDRAW-WALK", name: "Redraw walk", redrawSettings: { allowRedraw: true } }, 201)).body.encodedKey;
  });

  const inDays = (days: number) => `${DateTime.fromISO(sb.clock.today()).plus({ days }).toISODate()}T00:00:00+02:00`;

  it("under random repayments, redraws, locks, restructures and their undo, terminations and pay-offs", async () => {
    const op = fc.record({ kind: fc.constantFrom(...OPS), n: fc.integer({ min: 1, max: 3000 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 16 }), async (ops: Op[]) => {
        runs++;
        let current = await activeLoan(product, 8000, 6, 24);
        let restructured: { original: string; balances: unknown } | undefined;
        for (const { kind, n } of ops) {
          const l = await loan(current);
          const path = (suffix: string) => `/loans/${current}${suffix}`;
          let r: Answer | undefined;
          switch (kind) {
            case "advance":
              sb.clock.advance({ days: n % 40 });
              break;
            case "repay":
              r = await call(sb, "POST", path("/repayment-transactions"), { body: { amount: n / 4 } });
              break;
            case "made":
              r = await call(sb, "POST", path("/payment-made-transactions"), { body: { amount: n } });
              break;
            case "withdraw":
              r = await call(sb, "POST", path("/withdrawal-transactions"), { body: { amount: n / 10 } });
              break;
            case "redrawRepay":
              r = await call(sb, "POST", path("/redraw-repayment-transactions"), { body: n % 2 ? {} : { amount: n / 20 } });
              break;
            case "lock":
              r = await call(sb, "POST", path(l.accountSubState === "LOCKED" ? "/unlock-transactions" : "/lock-transactions"), { body: {} });
              break;
            case "reschedule":
            case "refinance": {
              if (restructured) break;
              const b = l.balances;
              const interest = Math.min(b.interestBalance, n / 100);
              const loanAccount = { productTypeKey: product, scheduleSettings: { repaymentInstallments: 3 + (n % 9) }, disbursementDetails: { firstRepaymentDate: inDays(1 + (n % 45)) } };
              const body = kind === "reschedule" ? { writeOffAmounts: { interest }, loanAccount } : { topUpAmount: n, writeOffAmounts: { interest }, loanAccount };
              r = await call(sb, "POST", path(`:${kind}`), { body });
              if (r.status === 200) {
                expectAnswer("POST", path(`:${kind}`), r, 200);
                const carried = new Decimal(b.principalBalance).plus(b.interestBalance).plus(b.feesBalance).plus(b.penaltyBalance).minus(interest);
                expect(money(r.body.loanAmount)).toBe(money(kind === "refinance" ? carried.plus(n) : carried));
                restructured = { original: current, balances: b };
                current = r.body.id;
                await checkLoanInvariants(sb, restructured.original);
              }
              break;
            }
            case "undo":
              if (!restructured) break;
              r = await call(sb, "POST", `/loans/${restructured.original}:${(await loan(restructured.original)).accountSubState === "RESCHEDULED" ? "undoReschedule" : "undoRefinance"}`, { body: {} });
              if (r.status === 204) {
                expect((await call(sb, "GET", path(""))).status).toBe(404);
                current = restructured.original;
                expect((await loan(current)).balances).toEqual(restructured.balances);
                restructured = undefined;
              }
              break;
            case "terminate":
              r = await call(sb, "POST", path(":terminate"), { body: { valueDate: sb.clock.nowIso() } });
              break;
            case "payoff": {
              const preview = await call(sb, "POST", path(":previewPayOffAmounts"), { body: { valueDate: sb.clock.nowIso() } });
              r = await call(sb, "POST", path(":payOff"), { body: {} });
              if (r.status === 204) {
                const txs = (await call(sb, "GET", `${path("/transactions")}?limit=1000`)).body;
                const last = txs[txs.length - 1];
                if (new Decimal(preview.body.totalBalance).greaterThan(0)) expect([last.type, money(last.amount)]).toEqual(["REPAYMENT", money(preview.body.totalBalance)]);
                expect((await loan(current)).accountState).toBe("CLOSED");
              }
              break;
            }
          }
          if (r) {
            const done = kind === "lock" && l.accountSubState === "LOCKED" ? "unlock" : kind;
            if (r.status < 300) succeeded.set(done, (succeeded.get(done) ?? 0) + 1);
            expect([kind, r.status < 500 ? "" : r.text]).toEqual([kind, ""]);
            if (r.status >= 400) expect([kind, ALLOWED[kind]?.includes(r.body?.errors?.[0]?.errorReason) ? "" : r.text]).toEqual([kind, ""]);
          }
          await checkLoanInvariants(sb, current);
        }
      }),
      { numRuns: 12, seed: 2026 },
    );
    expect(runs).toBe(12);
    // the walks (a fixed seed: the same ones on every run) reach every operation's success path
    expect([...OPS, "unlock"].filter((k) => k !== "advance" && !succeeded.get(k))).toEqual([]);
  }, 120000);
});
