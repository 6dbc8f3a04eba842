/**
 * End to end: loan servicing through MambuLoan's methods against the sandbox (answers checked against
 * the contract's response schemas) — the pay-off preview matches what the pay-off posts; reschedule and
 * refinance return the new loan with the balance carried over and their undo restores the original;
 * terminate, lock/unlock, the rate/repayment/periodic-payment/arrears/due-date changes, the redraw
 * transactions, write-off and its undo, funding sources, cards, documents and schedule previews.
 */
import {
  Decimal, MambuCard, MambuConnector, MambuDeposit, MambuError, MambuInstallment, MambuInvestorFund, MambuLoan, MambuProduct,
  MambuTransaction,
} from "../../lib";
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

const get = (id: string) => MambuLoan.get(id, { connector: conn });
const money = (d: Decimal | undefined) => (d ?? new Decimal(0)).toFixed(2);
const owed = (l: MambuLoan) => {
  const b = l.balances;
  return new Decimal(0).plus(b?.principalBalance ?? 0).plus(b?.interestBalance ?? 0).plus(b?.feesBalance ?? 0).plus(b?.penaltyBalance ?? 0);
};

/** A new loan of the demo client 0512N0026 in `productId`, approved and disbursed on `disbursedOn`. */
async function activeLoan(productId: string, amount: string, installments: number, rate: number, disbursedOn?: string): Promise<MambuLoan> {
  const product = await MambuProduct.get(productId, { connector: conn });
  const loan = new MambuLoan({
    accountHolderKey: "0512N0026",
    accountHolderType: "CLIENT",
    productTypeKey: product.encodedKey,
    loanAmount: new Decimal(amount),
    interestSettings: { interestRate: rate },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: installments, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
  await loan.create({ connector: conn });
  await loan.approve();
  await loan.disburse(disbursedOn ? { valueDate: disbursedOn, firstRepaymentDate: null } : {});
  return loan;
}

describe("pay-off preview", () => {
  test("previewPayOffAmounts announces, as Decimals, exactly what payOff then posts", async () => {
    const loan = await get("54321");
    const preview = await loan.previewPayOffAmounts({ valueDate: TODAY });
    expect(money(preview.principal)).toBe(money(loan.balances?.principalBalance));
    expect(preview.total.equals(preview.principal.plus(preview.interest).plus(preview.fee).plus(preview.penalty))).toBe(true);
    expect(preview.total.greaterThan(0)).toBe(true);

    await loan.payOff({ notes: "early" });
    expect([loan.accountState, loan.accountSubState]).toEqual(["CLOSED", "REPAID"]);
    const txs = await loan.getTransactions().toArray();
    const payoff = txs.find((t) => t.type === "REPAYMENT" && t.amount?.equals(preview.total));
    expect(payoff).toBeDefined();
    const a = payoff!.affectedAmounts;
    expect([money(a?.principalAmount), money(a?.interestAmount), money(a?.feesAmount), money(a?.penaltyAmount)]).toEqual(
      [money(preview.principal), money(preview.interest), money(preview.fee), money(preview.penalty)],
    );
  });

  test("a loan not running is refused with Mambu's reason", async () => {
    const pending = await get("54323");
    await expect(pending.previewPayOffAmounts({ valueDate: TODAY })).rejects.toThrow(/INVALID_ACCOUNT_STATE/);
  });
});

describe("reschedule and refinance", () => {
  test("reschedule returns the new loan with the balance carried over; the original is closed; undo restores it exactly", async () => {
    const original = await get("54322");
    expect(original.accountState).toBe("ACTIVE_IN_ARREARS");
    const before = original.toJSON().balances;
    const writeOff = original.balances!.interestBalance!.dividedBy(2).toDecimalPlaces(2);
    const carried = owed(original).minus(writeOff);

    const next = await original.reschedule({
      loanAccount: { id: "RS-54322", scheduleSettings: { repaymentInstallments: 10 }, disbursementDetails: { firstRepaymentDate: "2026-02-15T00:00:00" } },
      writeOffAmounts: { interest: writeOff },
    });
    expect(next).toBeInstanceOf(MambuLoan);
    expect([next.id, next.accountState, next.originalAccountKey, money(next.loanAmount)]).toEqual(["RS-54322", "ACTIVE", original.encodedKey, money(carried)]);
    expect((await next.getOriginalAccount())?.id).toBe("54322");
    expect([original.accountState, original.accountSubState]).toEqual(["CLOSED", "RESCHEDULED"]); // re-read
    const schedule = await next.getSchedule();
    expect(schedule).toHaveLength(10);
    expect(schedule[0].dueDate?.toISO()).toBe("2026-02-15T00:00:00.000+02:00");

    const restored = await original.undoReschedule("by mistake");
    expect(restored).toBe(original);
    expect(original.accountState).toBe("ACTIVE_IN_ARREARS");
    expect(original.toJSON().balances).toEqual(before);
    expect(await MambuLoan.find("RS-54322", { connector: conn })).toBeUndefined();
  });

  test("refinance returns the new loan with the top-up added; undo asked of the new loan returns the original restored", async () => {
    const original = await activeLoan("FLAT-MICRO", "1200.00", 6, 24);
    const total = owed(original);
    const next = await original.refinance({
      loanAccount: { loanName: "Refinanced", disbursementDetails: { firstRepaymentDate: "2026-02-20T00:00:00+02:00" } },
      topUpAmount: "500.00",
    });
    expect([next.loanName, money(next.loanAmount), money(next.balances?.principalBalance)]).toEqual(["Refinanced", money(total.plus(500)), money(total.plus(500))]);
    expect([original.accountState, original.accountSubState]).toEqual(["CLOSED", "REFINANCED"]);

    const restored = await next.undoRefinance();
    expect(restored).not.toBe(next);
    expect([restored.id, restored.accountState, money(owed(restored))]).toEqual([original.id, "ACTIVE", money(total)]);
    expect(await MambuLoan.find(next.id as string, { connector: conn })).toBeUndefined();
  });

  test("Mambu's refusals come back as MambuError with their reason", async () => {
    const loan = await get("54326");
    const terms = { disbursementDetails: { firstRepaymentDate: "2026-03-01T00:00:00+02:00" } };
    await expect(loan.refinance({ loanAccount: terms, topUpAmount: -5 })).rejects.toThrow(/NEGATIVE_TOP_UP_AMOUNT/);
    await expect(loan.reschedule({ loanAccount: terms, writeOffAmounts: { fee: -1 } })).rejects.toThrow(MambuError);
    await expect(loan.undoReschedule()).rejects.toThrow(/INVALID_ACCOUNT_STATE/);
  });
});

describe("terminate, lock, write-off", () => {
  test("terminate makes everything owed due; the pay-off previewed then closes the loan", async () => {
    const loan = await activeLoan("DB-PERSONAL", "12000.00", 12, 24, "2025-12-01T10:00:00+02:00");
    const same = await loan.terminate({ valueDate: TODAY, notes: "fraud" });
    expect(same).toBe(loan);
    expect(money(loan.balances?.principalDue)).toBe(money(loan.balances?.principalBalance));
    const preview = await loan.previewPayOffAmounts({ valueDate: TODAY });
    expect(money(preview.total)).toBe(money(owed(loan)));
    await loan.payOff();
    expect(loan.accountState).toBe("CLOSED");
  });

  test("lock posts the locked amounts as transactions; unlock reverses them", async () => {
    const loan = await get("54322");
    const locked = await loan.lock({ lockedOperations: ["APPLY_INTEREST", "APPLY_PENALTIES"], notes: "collections" });
    expect(locked.every((t) => t instanceof MambuTransaction)).toBe(true);
    expect(locked.map((t) => t.type)).toEqual(["INTEREST_LOCKED", "PENALTY_LOCKED"]);
    expect([loan.accountSubState, loan.lockedOperations]).toEqual(["LOCKED", ["APPLY_INTEREST", "APPLY_PENALTIES"]]);
    await expect(loan.terminate({ valueDate: TODAY })).rejects.toThrow(/ACCOUNT_IS_LOCKED/);
    const unlocked = await loan.unlock({ notes: "settled" });
    expect(unlocked.map((t) => t.type)).toEqual(["INTEREST_UNLOCKED", "PENALTY_UNLOCKED"]);
    expect(loan.accountSubState).toBeUndefined();
    await expect(loan.unlock()).rejects.toThrow(/ACCOUNT_ALREADY_UNLOCKED/);
  });

  test("undoWriteOff restores a written-off loan", async () => {
    const loan = await activeLoan("DB-PERSONAL", "3000.00", 6, 24);
    const total = owed(loan);
    await loan.writeOff("uncollectable");
    expect(loan.accountState).toBe("CLOSED_WRITTEN_OFF");
    await loan.undoWriteOff("paid after all");
    expect([loan.accountState, money(owed(loan))]).toEqual(["ACTIVE", money(total)]);
  });
});

describe("settings changes recompute the schedule", () => {
  test("changeInterestRate, changePeriodicPayment, changeArrearsSettings and changeDueDatesSettings", async () => {
    const loan = await activeLoan("DB-PERSONAL", "3000.00", 6, 24);
    const before = await loan.getSchedule();
    await loan.changeInterestRate(12, { valueDate: TODAY, notes: "rate review" });
    expect(loan.interestSettings?.interestRate?.toFixed()).toBe("12");
    const after = await loan.getSchedule();
    expect(after[0].interest?.amount?.expected?.lessThan(before[0].interest!.amount!.expected!)).toBe(true);
    const txs = await loan.getTransactions().toArray();
    expect(txs.map((t) => t.type)).toContain("INTEREST_RATE_CHANGED");

    await loan.changePeriodicPayment("1000.00", { valueDate: TODAY });
    expect(money(loan.scheduleSettings?.periodicPayment)).toBe("1000.00");
    const fewer = await loan.getSchedule();
    expect(fewer.length).toBeLessThan(6);
    expect(fewer.reduce((a, i) => a.plus(i.principal?.amount?.expected ?? 0), new Decimal(0)).toFixed(2)).toBe("3000.00");

    await loan.changeArrearsSettings({ arrearsTolerancePeriod: 5, entryDate: TODAY });
    expect(loan.arrearsTolerancePeriod).toBe(5);

    await loan.changeDueDatesSettings({ fixedDaysOfMonth: [28], valueDate: TODAY });
    const moved = await loan.getSchedule();
    expect(moved.every((i) => i.dueDate?.day === 28)).toBe(true);
    await expect(loan.changePeriodicPayment(5000, { valueDate: TODAY })).rejects.toThrow(/PERIODIC_PAYMENT_GREATER_THAN_LOAN_AMOUNT/);
  });

  test("changeRepaymentValue is refused for equal installments with Mambu's reason; applyInterest on a running loan", async () => {
    const loan = await get("54322");
    await expect(loan.changeRepaymentValue({ amount: 500, valueDate: TODAY })).rejects.toThrow(/REPAYMENT_VALUE_CHANGE_NOT_ALLOWED/);
    expect(await loan.applyInterest({ interestApplicationDate: TODAY })).toBe(loan);
  });
});

describe("redraw", () => {
  test("paymentMade fills the redraw balance, withdrawal and redraw draw on it, amounts exact", async () => {
    const base = (await call(sandbox, "GET", "/loanproducts/DB-PERSONAL")).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    const created = await call(sandbox, "POST", "/loanproducts", { body: { ...rest, id: "DB-REDRAW", name: "Personal loan with redraw", redrawSettings: { allowRedraw: true } } });
    expect(created.status).toBe(201);
    const loan = await activeLoan("DB-REDRAW", "6000.00", 6, 24, "2025-12-01T10:00:00+02:00");

    const made = await loan.paymentMade("2000.00", { notes: "bonus" });
    expect([made.type, money(made.amount)]).toEqual(["PAYMENT_MADE", "2000.00"]);
    expect(money(loan.balances?.redrawBalance)).toBe("2000.00");
    const out = await loan.withdrawal(new Decimal("500.25"));
    expect([out.type, money(loan.balances?.redrawBalance)]).toEqual(["WITHDRAWAL_REDRAW", "1499.75"]);
    await expect(loan.withdrawal("1499.76")).rejects.toThrow(/INSUFFICIENT_REDRAW_BALANCE/);
    const repaid = await loan.redraw("100.00");
    expect([repaid.type, money(repaid.amount), money(loan.balances?.redrawBalance)]).toEqual(["REDRAW_REPAYMENT", "100.00", "1399.75"]);
  });
});

describe("funding, cards, documents, schedules", () => {
  test("funding sources: add, read, replace, remove, as MambuInvestorFund with exact amounts", async () => {
    const loanProduct = (await call(sandbox, "GET", "/loanproducts/DB-PERSONAL")).body;
    const { encodedKey: _k, creationDate: _c, lastModifiedDate: _m, ...lp } = loanProduct; // eslint-disable-line @typescript-eslint/no-unused-vars
    expect((await call(sandbox, "POST", "/loanproducts", { body: { ...lp, id: "P2P", name: "Funded loan", fundingSettings: { enabled: true, requiredFunds: 50 } } })).status).toBe(201);
    const savings = (await call(sandbox, "GET", "/depositproducts/SAVINGS")).body;
    const { encodedKey: _dk, creationDate: _dc, lastModifiedDate: _dm, ...dp } = savings; // eslint-disable-line @typescript-eslint/no-unused-vars
    expect((await call(sandbox, "POST", "/depositproducts", { body: { ...dp, id: "INVESTOR", name: "Investor account", type: "INVESTOR_ACCOUNT" } })).status).toBe(201);
    const investorClient = (await call(sandbox, "GET", "/clients/0512N0027")).body;
    const investor = new MambuDeposit({ accountHolderKey: investorClient.encodedKey, accountHolderType: "CLIENT", productTypeKey: "INVESTOR", name: "INV-A", id: "INV-A" });
    await investor.create({ connector: conn });
    await investor.approve();
    await investor.deposit("2000.00");

    const product = await MambuProduct.get("P2P", { connector: conn });
    const loan = new MambuLoan({
      accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey: product.encodedKey, loanAmount: new Decimal("1000.00"),
      interestSettings: { interestRate: 24 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 4, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    });
    await loan.create({ connector: conn });
    const fund = { guarantorType: "CLIENT" as const, guarantorKey: investorClient.encodedKey as string, depositAccountKey: investor.encodedKey as string };

    const added = await loan.addFundingSources([{ ...fund, amount: "200.50" }]);
    expect(added.map((f) => [f instanceof MambuInvestorFund, money(f.amount)])).toEqual([[true, "200.50"]]);
    expect((await loan.getFundingSources()).map((f) => money(f.amount))).toEqual(["200.50"]);
    const replaced = await loan.setFundingSources([{ ...fund, amount: "600.00" }]);
    expect(replaced.map((f) => [money(f.amount), f.sharePercentage?.toFixed()])).toEqual([["600.00", "60"]]);
    expect(await loan.removeFundingSource(replaced[0].encodedKey as string)).toBe(loan);
    expect(await loan.getFundingSources()).toEqual([]);
    await loan.addFundingSources([{ ...fund, amount: 100 }]);
    await loan.removeFundingSources();
    expect(await loan.getFundingSources()).toEqual([]);
  });

  test("cards: add, list, remove; a token in use is refused", async () => {
    const loan = await get("54326");
    const card = await loan.addCard("loan-card-0001");
    expect(card).toBeInstanceOf(MambuCard);
    expect((await loan.getCards()).map((c) => c.referenceToken)).toEqual(["loan-card-0001"]);
    await expect((await get("54322")).addCard("loan-card-0001")).rejects.toThrow(/CARD_REFERENCE_TOKEN_ALREADY_IN_USE/);
    expect(await loan.getAuthorizationHolds({ status: "PENDING" })).toEqual([]);
    await loan.removeCard(card);
    expect(await loan.getCards()).toEqual([]);
  });

  test("getDocument renders the product's template as the document's text; an unknown template is refused", async () => {
    const loan = await get("54326");
    const product = await loan.getProductType();
    const templates = (product.toJSON().templates ?? []) as Array<{ encodedKey: string; name?: string }>;
    expect(templates.length).toBeGreaterThan(0);
    const html = await loan.getDocument(templates[0].encodedKey);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    await expect(loan.getDocument("NOPE")).rejects.toThrow(/INVALID_TEMPLATE_ID/);
  });

  test("MambuLoan.previewSchedule creates nothing; MambuInstallment.getAll lists installments due in a range", async () => {
    const product = await MambuProduct.get("DB-PERSONAL", { connector: conn });
    const count = (await MambuLoan.getAll({ connector: conn }).toArray()).length;
    const rows = await MambuLoan.previewSchedule(
      {
        productTypeKey: product.encodedKey as string, loanAmount: "1200.00", interestSettings: { interestRate: 24 },
        scheduleSettings: { repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
      },
      { connector: conn },
    );
    expect(rows.every((r) => r instanceof MambuInstallment)).toBe(true);
    expect(rows).toHaveLength(3);
    expect(rows.reduce((a, r) => a.plus(r.principal?.amount?.expected ?? 0), new Decimal(0)).toFixed(2)).toBe("1200.00");
    expect((await MambuLoan.getAll({ connector: conn }).toArray()).length).toBe(count);

    const due = await MambuInstallment.getAll({ dueFrom: "2026-01-01", dueTo: "2026-03-31", connector: conn });
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((i) => i.dueDate !== undefined && i.dueDate.toISODate()! >= "2026-01-01" && i.dueDate.toISODate()! <= "2026-03-31")).toBe(true);
  });
});
