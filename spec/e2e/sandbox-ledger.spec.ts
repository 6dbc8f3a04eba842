/**
 * The sandbox keeps books: the demo tenant's chart of accounts and its products' CASH accounting rules; every
 * loan and deposit transaction posts the balanced journal entries the rules say (a loan's life: disbursement,
 * fee, penalties by the clock, repayments split into principal/interest/fee/penalty, an adjustment, a write-off,
 * a pay-off; a deposit's: deposit, withdrawal, interest, transfer to a loan); GET /glaccounts balances are the
 * sums of the entries; manual entries are refused unless balanced on manual DETAIL accounts; and after any
 * random sequence of operations the trial balance of the whole sandbox is zero.
 */
import Decimal from "decimal.js";
import fc from "fast-check";
import { DateTime } from "luxon";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { getAccountingRules, setAccountingRules } from "../../lib/sandbox/engine/ledger-accounts";
import { SandboxError } from "../../lib/sandbox/types";
import { checkDepositInvariants } from "../helpers/deposit-invariants";
import { checkLoanInvariants } from "../helpers/loan-invariants";
import { Answer, call, contractCall } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(() => sb.stop());

/** Calls the sandbox; a JSON answer must match the contract's response schema for its status exactly. */
async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  return contractCall(sb, method, path, body, { strict: true });
}

async function ok(method: string, path: string, body: unknown, status: number): Promise<Answer> {
  return contractCall(sb, method, path, body, { status, strict: true });
}

function reason(r: Answer): string {
  return r.body?.errors?.[0]?.errorReason;
}

const d = (v: unknown) => new Decimal((v ?? 0) as Decimal.Value);
const money = (v: Decimal.Value) => new Decimal(v).toFixed(2);

interface Entry {
  entryID: number;
  transactionId: string;
  accountKey?: string;
  productType?: string;
  type: "DEBIT" | "CREDIT";
  amount: number;
  glAccount: { glCode: string; type: string };
  reversalEntryKey?: string;
}

/** Every journal entry of the sandbox (all pages). */
async function allEntries(): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await ok("GET", `/gljournalentries?from=2000-01-01&to=2100-12-31&offset=${offset}&limit=1000`, undefined, 200);
    out.push(...r.body);
    if (r.body.length < 1000) return out;
  }
}

/** Net per GL code (debit +, credit −), zero nets dropped, amounts as "0.00" strings. */
function net(entries: Entry[]): Record<string, string> {
  const m = new Map<string, Decimal>();
  for (const e of entries) m.set(e.glAccount.glCode, (m.get(e.glAccount.glCode) ?? new Decimal(0)).plus(e.type === "DEBIT" ? e.amount : -e.amount));
  return Object.fromEntries([...m].filter(([, v]) => !v.isZero()).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, money(v)]));
}

function debitsMinusCredits(entries: Entry[]): Decimal {
  return entries.reduce((s, e) => s.plus(e.type === "DEBIT" ? e.amount : -e.amount), new Decimal(0));
}

/** The entries of one transaction of an account (through :search by transactionId). */
async function entriesOf(accountKey: string, txId: string): Promise<Entry[]> {
  const r = await ok("POST", "/gljournalentries:search?limit=1000", { filterCriteria: [{ field: "transactionId", operator: "EQUALS", value: txId }] }, 200);
  return (r.body as Entry[]).filter((e) => e.accountKey === accountKey);
}

/** Net entries a loan transaction must post under the demo CASH rules (see engine/ledger-rules.ts). */
function loanRuleNet(tx: any): Record<string, string> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const a = tx.affectedAmounts ?? {};
  const lines: Array<[string, Decimal]> = [];
  const paid = d(a.principalAmount).plus(d(a.interestAmount)).plus(d(a.feesAmount)).plus(d(a.penaltyAmount));
  switch (tx.type) {
    case "DISBURSEMENT":
      lines.push(["1300", d(tx.amount)], ["1100", d(tx.amount).negated()]);
      break;
    case "REPAYMENT":
    case "TRANSFER": // a reschedule/refinance: paid by the new account's disbursement
      lines.push(["1100", paid], ["1300", d(a.principalAmount).negated()], ["4100", d(a.interestAmount).negated()], ["4200", d(a.feesAmount).negated()], ["4300", d(a.penaltyAmount).negated()]);
      break;
    case "WRITE_OFF":
      lines.push(["5100", d(a.principalAmount)], ["1300", d(a.principalAmount).negated()]);
      break;
    case "PAYMENT_MADE":
      lines.push(["1100", d(tx.amount)], ["1300", d(tx.amount).negated()]);
      break;
    case "WITHDRAWAL_REDRAW":
      lines.push(["1300", d(tx.amount)], ["1100", d(tx.amount).negated()]);
      break;
    case "REDRAW_REPAYMENT": // paid out of the redraw balance: the portfolio takes back what is not principal
      lines.push(["1300", paid.minus(d(a.principalAmount))], ["4100", d(a.interestAmount).negated()], ["4200", d(a.feesAmount).negated()], ["4300", d(a.penaltyAmount).negated()]);
      break;
    default:
      break; // FEE_APPLIED, PENALTY_APPLIED, INTEREST_APPLIED, waivers: nothing under CASH
  }
  return Object.fromEntries(lines.filter(([, v]) => !v.isZero()).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, money(v)]));
}

/** Checks every transaction of a loan posted what the rules say, balanced; returns the loan's entries. */
async function checkLoanBooks(loanId: string): Promise<{ loan: any; entries: Entry[] }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { loan, transactions } = await checkLoanInvariants(sb, loanId);
  const entries = (await allEntries()).filter((e) => e.accountKey === loan.encodedKey);
  for (const tx of transactions) {
    const own = entries.filter((e) => e.transactionId === tx.id);
    expect({ tx: tx.id, balance: money(debitsMinusCredits(own)) }).toEqual({ tx: tx.id, balance: "0.00" });
    if (tx.adjustmentTransactionKey || tx.originalTransactionKey) continue;
    expect({ tx: `${tx.type} ${tx.id}`, net: net(own) }).toEqual({ tx: `${tx.type} ${tx.id}`, net: loanRuleNet(tx) });
  }
  // the portfolio control account holds exactly the principal the loan is owed
  expect(money(debitsMinusCredits(entries.filter((e) => e.glAccount.glCode === "1300")))).toBe(money(d(loan.balances.principalBalance).minus(d(loan.balances.redrawBalance))));
  return { loan, entries };
}

/** Checks a deposit's savings-control postings equal its net balance; returns its entries. */
async function checkDepositBooks(depositId: string): Promise<Entry[]> {
  const { account } = await checkDepositInvariants(sb, depositId);
  const entries = (await allEntries()).filter((e) => e.accountKey === account.encodedKey);
  const control = debitsMinusCredits(entries.filter((e) => e.glAccount.glCode === "2100")).negated();
  expect(money(control)).toBe(money(d(account.balances.totalBalance).minus(d(account.balances.overdraftAmount))));
  return entries;
}

/** Whole-sandbox trial balance: Σ debits − Σ credits over all entries, and over GET /glaccounts balances. */
async function checkTrialBalance(): Promise<void> {
  expect(money(debitsMinusCredits(await allEntries()))).toBe("0.00");
  let signed = new Decimal(0);
  for (const type of ["ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"]) {
    const r = await ok("GET", `/glaccounts?type=${type}&limit=1000`, undefined, 200);
    for (const gl of r.body) if (gl.usage === "DETAIL") signed = ["ASSET", "EXPENSE"].includes(type) ? signed.plus(gl.balance) : signed.minus(gl.balance);
  }
  expect(money(signed)).toBe("0.00");
}

async function newLoan(productTypeKey: string, loanAmount: number, disbursedOn?: string): Promise<string> {
  const created = await ok("POST", "/loans", {
    accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey, loanAmount, interestSettings: { interestRate: 24 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  }, 201);
  const id = created.body.id;
  await ok("POST", `/loans/${id}:changeState`, { action: "APPROVE" }, 200);
  await ok("POST", `/loans/${id}/disbursement-transactions`, disbursedOn ? { valueDate: disbursedOn } : {}, 201);
  return id;
}

let depositRun = 0;
async function newDeposit(opening: string, on?: string): Promise<string> {
  depositRun += 1;
  const id = `GL${depositRun}`;
  await ok("POST", "/deposits", { id, name: "Books", accountHolderKey: "0512N0025", accountHolderType: "CLIENT", productTypeKey: "SAVINGS", accountType: "REGULAR_SAVINGS", currencyCode: "MXN" }, 201);
  await ok("POST", `/deposits/${id}:changeState`, { action: "APPROVE" }, 200);
  await ok("POST", `/deposits/${id}/deposit-transactions`, { amount: opening, ...(on ? { valueDate: on } : {}) }, 201);
  return id;
}

describe("chart of accounts and rules", () => {
  it("the demo tenant has its chart; the products book with CASH rules on it", async () => {
    const assets = (await ok("GET", "/glaccounts?type=ASSET", undefined, 200)).body;
    expect(assets.map((g: { glCode: string; usage: string }) => `${g.glCode} ${g.usage}`)).toEqual(["1000 HEADER", "1100 DETAIL", "1200 DETAIL", "1300 DETAIL", "1400 DETAIL", "1410 DETAIL"]);
    const byCode = (await ok("GET", "/glaccounts/1300", undefined, 200)).body;
    expect(byCode).toMatchObject({ glCode: "1300", name: "Loan portfolio control", type: "ASSET", usage: "DETAIL", allowManualJournalEntries: false, currency: { code: "MXN" } });
    expect((await ok("GET", `/glaccounts/${byCode.encodedKey}?balanceExcluded=true`, undefined, 200)).body.balance).toBeUndefined();
    expect(reason(await api("GET", "/glaccounts/9999"))).toBe("INVALID_GL_ACCOUNT_ID");
    const product = (await ok("GET", "/loanproducts/FLAT-MICRO", undefined, 200)).body;
    expect(product.accountingSettings.accountingMethod).toBe("CASH");
    const rule = product.accountingSettings.accountingRules.find((x: { financialResource: string }) => x.financialResource === "PORTFOLIO_CONTROL");
    expect(rule.glAccountKey).toBe(byCode.encodedKey);
    // the seeded loans and deposits were booked while the demo tenant loaded
    await checkLoanBooks("54321");
    await checkTrialBalance();
  });

  it("GET /glaccounts balances are the sums of the entries in the date range; a header sums its accounts", async () => {
    const entries = await allEntries();
    const cash = entries.filter((e) => e.glAccount.glCode === "1100");
    const all = (await ok("GET", "/glaccounts/1100", undefined, 200)).body;
    expect(money(all.balance)).toBe(money(debitsMinusCredits(cash)));
    const none = (await ok("GET", "/glaccounts/1100?from=1990-01-01&to=1990-12-31", undefined, 200)).body;
    expect(none.balance).toBe(0);
    const header = (await ok("GET", "/glaccounts/1000", undefined, 200)).body;
    const assets = (await ok("GET", "/glaccounts?type=ASSET", undefined, 200)).body.filter((g: { usage: string }) => g.usage === "DETAIL");
    expect(money(header.balance)).toBe(money(assets.reduce((s: Decimal, g: { balance: number }) => s.plus(g.balance), new Decimal(0))));
    const paged = await call(sb, "GET", "/glaccounts?type=INCOME&offset=1&limit=2&paginationDetails=ON");
    expect(paged.body.map((g: { glCode: string }) => g.glCode)).toEqual(["4100", "4200"]);
    expect(paged.headers.get("items-total")).toBe("4");
  });
});

describe("accounting rules document (accountingrules.yaml)", () => {
  const refusal = (doc: unknown): string => {
    try {
      setAccountingRules(sb, doc);
    } catch (e) {
      return e instanceof SandboxError ? `${e.status} ${e.errorReason}` : String(e);
    }
    return "accepted";
  };

  it("reads as an empty set of rules, takes a valid document and refuses unknown accounts and branches", () => {
    expect(getAccountingRules(sb)).toEqual({ customRules: [] });
    const doc = {
      defaultGlCode: "1100",
      automatedAccountingClosuresInterval: 7,
      customRules: [{ id: "ccaz-mty", leftBranchId: "CCAZ", rightBranchId: "MTY", glCode: "1200" }],
    };
    expect(setAccountingRules(sb, doc)).toEqual(doc);
    expect(getAccountingRules(sb)).toEqual(doc);
    expect(refusal({ ...doc, defaultGlCode: "7777" })).toBe("400 INVALID_GL_ACCOUNT_ID");
    expect(refusal({ ...doc, defaultGlCode: "1000" })).toBe("400 INVALID_GL_ACCOUNT_ID"); // a header
    expect(refusal({ customRules: [{ id: "x", leftBranchId: "NOPE", rightBranchId: "CCAZ", glCode: "1200" }] })).toBe("400 INVALID_BRANCH_ID");
    expect(refusal({ customRules: [doc.customRules[0], doc.customRules[0]] })).toBe("400 INVALID_PARAMETERS");
    expect(refusal({ ...doc, closures: true })).toBe("400 INVALID_PARAMETERS");
    expect(refusal({ customRules: new Array(1001).fill(doc.customRules[0]) })).toBe("400 INVALID_PARAMETERS");
    expect(getAccountingRules(sb)).toEqual(doc); // refusals change nothing
  });
});

describe("manual journal entries", () => {
  it("posts a balanced entry and refuses unbalanced, header and control accounts", async () => {
    const posted = await ok("POST", "/gljournalentries", {
      date: "2026-01-15T09:00:00+02:00", branchId: "CCAZ", notes: "capital", transactionId: "CAP-1",
      debits: [{ glAccount: "1200", amount: 100000 }], credits: [{ glAccount: "3100", amount: 99999.5 }, { glAccount: "3100", amount: 0.5 }],
    }, 201);
    expect(posted.body.map((e: Entry) => `${e.type} ${e.glAccount.glCode} ${money(e.amount)} ${e.transactionId}`)).toEqual([
      "DEBIT 1200 100000.00 CAP-1", "CREDIT 3100 99999.50 CAP-1", "CREDIT 3100 0.50 CAP-1",
    ]);
    const bank = (await ok("GET", "/glaccounts/1200?from=2026-01-15&to=2026-01-15", undefined, 200)).body;
    expect(money(bank.balance)).toBe("100000.00");
    expect(money((await ok("GET", "/glaccounts/1200?branchId=CCAZ", undefined, 200)).body.balance)).toBe("100000.00");
    expect((await ok("GET", "/glaccounts/1200?branchId=MTY", undefined, 200)).body.balance).toBe(0); // posted on branch CCAZ
    expect(reason(await api("GET", "/glaccounts/1200?branchId=NOPE"))).toBe("INVALID_BRANCH_ID");
    const equity = (await ok("GET", "/glaccounts/3100?from=2026-01-15&to=2026-01-15", undefined, 200)).body;
    expect(money(equity.balance)).toBe("100000.00"); // credit-normal
    const opening = await ok("GET", "/gljournalentries?from=2024-12-11&to=2024-12-11", undefined, 200);
    expect(opening.body.map((e: Entry) => `${e.type} ${e.glAccount.glCode} ${money(e.amount)} ${e.transactionId}`)).toEqual(["DEBIT 1100 500000.00 OPENING", "CREDIT 3100 500000.00 OPENING"]);
    const branch = await ok("GET", "/gljournalentries?from=2026-01-15&to=2026-01-15&branchId=CCAZ&glAccountId=1200", undefined, 200);
    expect(branch.body.map((e: Entry) => e.transactionId)).toEqual(["CAP-1"]);
    const body = (debits: unknown[], credits: unknown[]) => ({ date: "2026-01-15T09:00:00+02:00", debits, credits });
    expect(reason(await api("POST", "/gljournalentries", body([{ glAccount: "1200", amount: 10 }], [{ glAccount: "3100", amount: 9.99 }])))).toBe("DEBITS_DO_NOT_MATCH_CREDITS");
    expect(reason(await api("POST", "/gljournalentries", body([{ glAccount: "1000", amount: 10 }], [{ glAccount: "3100", amount: 10 }])))).toBe("GL_ACCOUNT_IS_HEADER");
    expect(reason(await api("POST", "/gljournalentries", body([{ glAccount: "1300", amount: 10 }], [{ glAccount: "3100", amount: 10 }])))).toBe("GL_ACCOUNT_DOES_NOT_SUPPORT_MANUALLY_ENTRIES");
    expect(reason(await api("POST", "/gljournalentries", body([{ glAccount: "7777", amount: 10 }], [{ glAccount: "3100", amount: 10 }])))).toBe("INVALID_GL_ACCOUNT_ID");
    expect(reason(await api("POST", "/gljournalentries", { debits: [{ glAccount: "1200", amount: 1 }], credits: [{ glAccount: "3100", amount: 1 }] }))).toBe("JOURNAL_ENTRY_DATE_NOT_DEFINED");
    expect(reason(await api("POST", "/gljournalentries", { ...body([{ glAccount: "1200", amount: 1 }], [{ glAccount: "3100", amount: 1 }]), date: "2026-01-16T09:00:00+02:00" }))).toBe("JOURNAL_ENTRY_DATE_IN_THE_FUTURE");
    expect(reason(await api("GET", "/gljournalentries?from=2026-01-15&to=2026-01-15&glAccountId=7777"))).toBe("INVALID_GL_ACCOUNT_ID");
    const found = await ok("POST", "/gljournalentries:search", { filterCriteria: [{ field: "glAccountId", operator: "EQUALS", value: "3100" }], sortingCriteria: { field: "entryId", order: "ASC" } }, 200);
    expect(found.body.map((e: Entry) => `${e.transactionId} ${money(e.amount)}`)).toEqual(["OPENING 500000.00", "CAP-1 99999.50", "CAP-1 0.50"]);
    await checkTrialBalance();
  });
});

describe("a loan's life", () => {
  it("disbursement, fee, penalties, repayments, an adjustment and a write-off post what the rules say (moves the clock 3 days)", async () => {
    const base = (await ok("GET", "/loanproducts/DB-PERSONAL", undefined, 200)).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    const penaltySettings = { loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: { defaultValue: 36.5 }, loanPenaltyGracePeriod: 0 };
    const product = (await ok("POST", "/loanproducts", { ...rest, id: "GL-PENALTY", name: "Personal loan with penalties", penaltySettings }, 201)).body.encodedKey;
    const id = await newLoan(product, 6000, "2025-11-01T10:00:00+02:00");
    let { loan, entries } = await checkLoanBooks(id);
    expect(net(entries)).toEqual({ "1100": "-6000.00", "1300": "6000.00" });

    await ok("POST", `/loans/${id}/fee-transactions`, { amount: 25 }, 201);
    ({ loan, entries } = await checkLoanBooks(id));
    expect(net(entries)).toEqual({ "1100": "-6000.00", "1300": "6000.00" }); // applied fees and penalties book nothing under CASH
    sb.clock.advance({ days: 3 }); // the daily accrual posts penalties on the overdue installments
    ({ loan, entries } = await checkLoanBooks(id));
    expect(d(loan.balances.penaltyBalance).greaterThan(0)).toBe(true);
    expect(net(entries)).toEqual({ "1100": "-6000.00", "1300": "6000.00" }); // applied fees and penalties book nothing under CASH

    const repay = (await ok("POST", `/loans/${id}/repayment-transactions`, { amount: 1500 }, 201)).body;
    expect(repay.affectedAmounts.feesAmount).toBe(25);
    expect(d(repay.affectedAmounts.penaltyAmount).greaterThan(0)).toBe(true);
    expect(net(await entriesOf(loan.encodedKey, repay.id))).toEqual(loanRuleNet(repay));
    expect(loanRuleNet(repay)["1100"]).toBe("1500.00");
    await checkLoanBooks(id);

    const adj = (await ok("POST", `/loans/transactions/${repay.id}:adjust`, { notes: "bounced" }, 200)).body;
    const reversal = await entriesOf(loan.encodedKey, adj.id);
    const negated = Object.fromEntries(Object.entries(loanRuleNet(repay)).map(([k, v]) => [k, money(new Decimal(v).negated())]));
    expect(net(reversal)).toEqual(negated);
    await checkLoanBooks(id);

    await ok("POST", `/loans/${id}/repayment-transactions`, { amount: 800 }, 201);
    ({ loan } = await checkLoanBooks(id));
    const principalLeft = money(loan.balances.principalBalance);
    await call(sb, "POST", `/loans/${id}:writeOff`, { body: { notes: "uncollectable" } }).then((r) => expect(r.status).toBe(204));
    ({ loan, entries } = await checkLoanBooks(id));
    expect(loan.accountState).toBe("CLOSED_WRITTEN_OFF");
    const writeOff = (await ok("GET", `/loans/${id}/transactions?limit=1000`, undefined, 200)).body.find((t: { type: string }) => t.type === "WRITE_OFF");
    expect(net(await entriesOf(loan.encodedKey, writeOff.id))).toEqual({ "1300": money(new Decimal(principalLeft).negated()), "5100": principalLeft });
    await checkTrialBalance();
  });

  it("a backdated repayment re-splits a later one: its entries are reversed and posted again", async () => {
    const id = await newLoan("DB-PERSONAL", 12000, "2025-12-01T10:00:00+02:00");
    const later = (await ok("POST", `/loans/${id}/repayment-transactions`, { amount: 700 }, 201)).body;
    const { loan } = await checkLoanBooks(id);
    const first = net(await entriesOf(loan.encodedKey, later.id));
    await ok("POST", `/loans/${id}/repayment-transactions`, { amount: 700, valueDate: "2025-12-20T10:00:00+02:00" }, 201);
    await checkLoanBooks(id); // every transaction's live entries are what the rules say of its new split
    const again = (await ok("GET", `/loans/transactions/${later.id}`, undefined, 200)).body;
    expect(again.affectedAmounts.interestAmount).not.toBe(later.affectedAmounts.interestAmount);
    const entries = await entriesOf(loan.encodedKey, later.id);
    expect(entries.filter((e) => e.reversalEntryKey).length).toBe(Object.keys(first).length); // the first posting, reversed
    expect(net(entries)).toEqual(loanRuleNet(again));
    expect(net(entries)).not.toEqual(first);
  });

  it("redraw: payment made and withdrawal move cash and the portfolio; a redraw repayment books only the interest", async () => {
    const base = (await ok("GET", "/loanproducts/DB-PERSONAL", undefined, 200)).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    const product = (await ok("POST", "/loanproducts", { ...rest, id: "GL-REDRAW", name: "Personal loan with redraw", redrawSettings: { allowRedraw: true } }, 201)).body.encodedKey;
    const id = await newLoan(product, 6000, "2025-12-01T10:00:00+02:00");
    const { loan } = await checkLoanBooks(id);
    const made = (await ok("POST", `/loans/${id}/payment-made-transactions`, { amount: 2000 }, 201)).body;
    expect(net(await entriesOf(loan.encodedKey, made.id))).toEqual({ "1100": "2000.00", "1300": "-2000.00" });
    const out = (await ok("POST", `/loans/${id}/withdrawal-transactions`, { amount: 500 }, 201)).body;
    expect(net(await entriesOf(loan.encodedKey, out.id))).toEqual({ "1100": "-500.00", "1300": "500.00" });
    const repaid = (await ok("POST", `/loans/${id}/redraw-repayment-transactions`, {}, 201)).body;
    const interest = money(repaid.affectedAmounts.interestAmount);
    expect(net(await entriesOf(loan.encodedKey, repaid.id))).toEqual({ "1300": interest, "4100": money(new Decimal(interest).negated()) });
    await checkLoanBooks(id); // portfolio control = principal balance − redraw balance
    await checkTrialBalance();
  });

  it("a pay-off books the principal back and the interest as income", async () => {
    const id = await newLoan("FLAT-MICRO", 2000, "2025-12-01T10:00:00+02:00");
    await call(sb, "POST", `/loans/${id}:payOff`, { body: { notes: "paid off" } }).then((r) => expect(r.status).toBe(204));
    const { loan, entries } = await checkLoanBooks(id);
    expect(loan.accountState).toBe("CLOSED");
    const n = net(entries);
    expect(n["1300"]).toBeUndefined(); // 2000 in, 2000 out
    expect(d(n["4100"]).isNegative()).toBe(true);
    expect(money(d(n["1100"]))).toBe(money(d(n["4100"]).negated())); // the cash gained is the interest earned
    await checkTrialBalance();
  });
});

describe("an ACCRUAL product", () => {
  it("books fees and penalties when applied, clears the receivable when paid, waived or written off", async () => {
    const base = (await ok("GET", "/loanproducts/DB-PERSONAL", undefined, 200)).body;
    const { encodedKey, creationDate, lastModifiedDate, ...rest } = base; // eslint-disable-line @typescript-eslint/no-unused-vars
    const product = (await ok("POST", "/loanproducts", {
      ...rest, id: "GL-ACCRUAL", name: "Personal loan (accrual accounting)",
      penaltySettings: { loanPenaltyCalculationMethod: "OVERDUE_BALANCE", penaltyRate: { defaultValue: 36.5 }, loanPenaltyGracePeriod: 0 },
      accountingSettings: { ...rest.accountingSettings, accountingMethod: "ACCRUAL" },
    }, 201)).body.encodedKey;
    const id = await newLoan(product, 5000, "2025-11-20T10:00:00+02:00");
    const receivable = async () => {
      const { loan } = await checkLoanInvariants(sb, id);
      const own = (await allEntries()).filter((e) => e.accountKey === loan.encodedKey);
      // fees and penalties owed sit on 1410 (fee and penalty receivable); principal on the portfolio control
      expect(money(debitsMinusCredits(own.filter((e) => e.glAccount.glCode === "1410")))).toBe(money(d(loan.balances.feesBalance).plus(loan.balances.penaltyBalance)));
      expect(money(debitsMinusCredits(own.filter((e) => e.glAccount.glCode === "1300")))).toBe(money(loan.balances.principalBalance));
      for (const tx of new Set(own.map((e) => e.transactionId))) expect(money(debitsMinusCredits(own.filter((e) => e.transactionId === tx)))).toBe("0.00");
      return { loan, own };
    };
    const fee = (await ok("POST", `/loans/${id}/fee-transactions`, { amount: 40 }, 201)).body;
    expect(net((await receivable()).own.filter((e) => e.transactionId === fee.id))).toEqual({ "1410": "40.00", "4200": "-40.00" });
    sb.clock.advance({ days: 1 }); // a day of penalties on the installment overdue since 20 December
    let { loan, own } = await receivable();
    expect(d(loan.balances.penaltyBalance).greaterThan(0)).toBe(true);
    const penalties = own.filter((e) => e.glAccount.glCode === "4300");
    expect(money(debitsMinusCredits(penalties).negated())).toBe(money(loan.balances.penaltyBalance));
    const repay = (await ok("POST", `/loans/${id}/repayment-transactions`, { amount: 60 }, 201)).body;
    expect(d(repay.affectedAmounts.feesAmount).plus(repay.affectedAmounts.penaltyAmount).greaterThan(0)).toBe(true);
    ({ own } = await receivable());
    expect(net(own.filter((e) => e.transactionId === repay.id))["1410"]).toBe(money(d(repay.affectedAmounts.feesAmount).plus(repay.affectedAmounts.penaltyAmount).negated()));
    await ok("POST", `/loans/transactions/${fee.id}:adjust`, { notes: "waived" }, 200);
    await receivable();
    await call(sb, "POST", `/loans/${id}:writeOff`, { body: {} }).then((r) => expect(r.status).toBe(204));
    ({ loan } = await receivable());
    expect(loan.accountState).toBe("CLOSED_WRITTEN_OFF");
    await checkTrialBalance();
  });
});

describe("seizures and card transactions", () => {
  it("a seizure books the channel's account; a card withdrawal and its reversal book the source", async () => {
    const id = await newDeposit("1000.00");
    const account = (await ok("GET", `/deposits/${id}`, undefined, 200)).body;
    await ok("POST", `/deposits/${id}/blocks`, { externalReferenceId: "gl-block-1", amount: "200.00" }, 201);
    const seized = (await ok("POST", `/deposits/${id}/seizure-transactions`, { blockId: "gl-block-1", amount: "150.00", transactionChannelId: "bank" }, 201)).body;
    expect(net(await entriesOf(account.encodedKey, seized.id))).toEqual({ "1200": "-150.00", "2100": "150.00" });
    await ok("POST", `/deposits/${id}/cards`, { referenceToken: "gl-card-1" }, 201);
    await ok("POST", "/cards/gl-card-1/financialtransactions", { externalReferenceId: "gl-ft-1", amount: "80.00", advice: true, transactionChannelId: "cash", currencyCode: "MXN" }, 201);
    await ok("POST", "/cards/gl-card-1/financialtransactions/gl-ft-1:decrease", { externalReferenceId: "gl-rev-1", amount: "30.00", currencyCode: "MXN" }, 204);
    const txs = (await ok("GET", `/deposits/${id}/transactions?limit=1000`, undefined, 200)).body as Array<{ id: string; type: string }>;
    const withdrawal = txs.find((t) => t.type === "WITHDRAWAL")!;
    const reversal = txs.find((t) => t.type === "CARD_TRANSACTION_REVERSAL")!;
    expect(net(await entriesOf(account.encodedKey, withdrawal.id))).toEqual({ "1100": "-80.00", "2100": "80.00" });
    expect(net(await entriesOf(account.encodedKey, reversal.id))).toEqual({ "1100": "30.00", "2100": "-30.00" });
    await checkDepositBooks(id);
    await checkTrialBalance();
  });
});

describe("a reschedule and its undo", () => {
  it("the old loan's balance moves to the new one through the transaction source; undo takes the new loan's books back", async () => {
    const id = await newLoan("FLAT-MICRO", 1200, "2025-12-01T10:00:00+02:00");
    await ok("POST", `/loans/${id}/fee-transactions`, { amount: 30 }, 201);
    const before = await checkLoanBooks(id);
    const fresh = (await ok("POST", `/loans/${id}:reschedule`, {
      writeOffAmounts: { principal: 100, fee: 30 },
      loanAccount: { productTypeKey: "FLAT-MICRO", scheduleSettings: { repaymentInstallments: 12 }, disbursementDetails: { firstRepaymentDate: "2026-02-01T00:00:00+02:00" } },
    }, 200)).body;
    const old = await checkLoanBooks(id);
    const moved = old.entries.filter((e) => !before.entries.some((b) => b.entryID === e.entryID));
    const b = before.loan.balances;
    // TRANSFER: the principal carried (less the 100 written off) leaves the portfolio and the interest is earned;
    // WRITE_OFF: 100 of principal to expense; the fee waiver books nothing (it was never income)
    expect(net(moved)).toEqual({
      "1100": money(d(b.principalBalance).minus(100).plus(b.interestBalance)),
      "1300": money(d(b.principalBalance).negated()),
      "4100": money(d(b.interestBalance).negated()),
      "5100": "100.00",
    });
    const renewed = await checkLoanBooks(fresh.id);
    expect(net(renewed.entries)).toEqual({ "1100": money(-fresh.loanAmount), "1300": money(fresh.loanAmount) });
    await checkTrialBalance();

    expect((await call(sb, "POST", `/loans/${id}:undoReschedule`, { body: {} })).status).toBe(204);
    const undone = await checkLoanBooks(id);
    expect(net(undone.entries)).toEqual(net(before.entries));
    expect(net((await allEntries()).filter((e) => e.accountKey === fresh.encodedKey))).toEqual({}); // the removed loan's books are reversed
    await checkTrialBalance();
  });
});

describe("a deposit's life", () => {
  it("deposit, withdrawal, interest and a transfer to a loan post what the rules say", async () => {
    const id = await newDeposit("5000.00", "2025-12-01T10:00:00+02:00");
    const account = (await ok("GET", `/deposits/${id}`, undefined, 200)).body;
    const w = (await ok("POST", `/deposits/${id}/withdrawal-transactions`, { amount: "700.00" }, 201)).body;
    expect(net(await entriesOf(account.encodedKey, w.id))).toEqual({ "1100": "-700.00", "2100": "700.00" });
    // a transaction through a channel books the channel's GL account (bank: 1200) instead of the product's source
    const byBank = (await ok("POST", `/deposits/${id}/deposit-transactions`, { amount: "250.00", transactionDetails: { transactionChannelId: "bank" } }, 201)).body;
    expect(net(await entriesOf(account.encodedKey, byBank.id))).toEqual({ "1200": "250.00", "2100": "-250.00" });
    await call(sb, "POST", `/deposits/${id}:applyInterest`, { body: { interestApplicationDate: "2026-01-15T10:00:00+02:00" } }).then((r) => expect(r.status).toBe(204));
    const txs = (await ok("GET", `/deposits/${id}/transactions?limit=1000`, undefined, 200)).body;
    const interest = txs.find((t: { type: string }) => t.type === "INTEREST_APPLIED");
    expect(d(interest.amount).greaterThan(0)).toBe(true);
    expect(net(await entriesOf(account.encodedKey, interest.id))).toEqual({ "2100": money(-interest.amount), "5200": money(interest.amount) });
    const loanId = await newLoan("FLAT-MICRO", 1000);
    const loan = (await ok("GET", `/loans/${loanId}`, undefined, 200)).body;
    const t = (await ok("POST", `/deposits/${id}/transfer-transactions`, { amount: "300.00", transferDetails: { linkedAccountType: "LOAN", linkedAccountId: loanId } }, 201)).body;
    expect(net(await entriesOf(account.encodedKey, t.id))).toEqual({ "1100": "-300.00", "2100": "300.00" });
    const repayment = (await ok("GET", `/loans/${loanId}/transactions?limit=1000`, undefined, 200)).body.find((x: { type: string }) => x.type === "REPAYMENT");
    expect(net(await entriesOf(loan.encodedKey, repayment.id))).toEqual(loanRuleNet(repayment));
    expect(loanRuleNet(repayment)["1100"]).toBe("300.00");
    const entries = await checkDepositBooks(id);
    expect(net(entries)["2100"]).toBe(money(new Decimal(5000).minus(700).plus(250).plus(interest.amount).minus(300).negated()));
    await checkLoanBooks(loanId);
    await checkTrialBalance();
  });
});

type Op =
  | { kind: "repay" | "deposit" | "withdraw" | "depositFee" | "loanFee" | "transfer"; amount: string }
  | { kind: "backRepay"; amount: string; daysBack: number }
  | { kind: "adjustLoan" | "adjustDeposit"; pick: number }
  | { kind: "writeOff" | "payOff" };

const amount = fc.integer({ min: 1, max: 150_000 }).map((cents) => new Decimal(cents).dividedBy(100).toFixed(2));
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom("repay" as const, "deposit" as const, "withdraw" as const, "depositFee" as const, "loanFee" as const, "transfer" as const), amount }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant("backRepay" as const), amount, daysBack: fc.integer({ min: 1, max: 30 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom("adjustLoan" as const, "adjustDeposit" as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom("writeOff" as const, "payOff" as const) }), weight: 1 },
);

test("after any sequence of loan and deposit operations the trial balance is zero and each account's books match it", async () => {
  const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
  const done = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 12 }), async (ops) => {
      const loanId = await newLoan("DB-PERSONAL", 10000, "2025-12-10T10:00:00+02:00");
      const depId = await newDeposit("8000.00");
      for (const o of ops) {
        let r: Answer | undefined;
        switch (o.kind) {
          case "repay": r = await call(sb, "POST", `/loans/${loanId}/repayment-transactions`, { body: { amount: o.amount } }); break;
          case "backRepay": {
            // a backdated repayment re-splits the later ones (their entries are reversed and posted again)
            const valueDate = DateTime.fromISO(sb.clock.nowIso(), { setZone: true }).minus({ days: o.daysBack }).toISO({ suppressMilliseconds: true });
            r = await call(sb, "POST", `/loans/${loanId}/repayment-transactions`, { body: { amount: o.amount, valueDate } });
            break;
          }
          case "loanFee": r = await call(sb, "POST", `/loans/${loanId}/fee-transactions`, { body: { amount: o.amount } }); break;
          case "deposit": r = await call(sb, "POST", `/deposits/${depId}/deposit-transactions`, { body: { amount: o.amount } }); break;
          case "withdraw": r = await call(sb, "POST", `/deposits/${depId}/withdrawal-transactions`, { body: { amount: o.amount } }); break;
          case "depositFee": r = await call(sb, "POST", `/deposits/${depId}/fee-transactions`, { body: { amount: o.amount } }); break;
          case "transfer":
            r = await call(sb, "POST", `/deposits/${depId}/transfer-transactions`, { body: { amount: o.amount, transferDetails: { linkedAccountType: "LOAN", linkedAccountId: loanId } } });
            break;
          case "adjustLoan": {
            const txs = (await call(sb, "GET", `/loans/${loanId}/transactions?limit=1000`)).body as Array<{ id: string; type: string; adjustmentTransactionKey?: string; transferDetails?: unknown }>;
            const tx = pick(txs.filter((t) => ["REPAYMENT", "FEE_APPLIED"].includes(t.type) && !t.adjustmentTransactionKey && !t.transferDetails), o.pick);
            if (tx) r = await call(sb, "POST", `/loans/transactions/${tx.id}:adjust`, { body: { notes: "property" } });
            break;
          }
          case "adjustDeposit": {
            const txs = (await call(sb, "GET", `/deposits/${depId}/transactions?limit=1000`)).body as Array<{ id: string; type: string; adjustmentTransactionKey?: string }>;
            const tx = pick(txs.filter((t) => ["DEPOSIT", "WITHDRAWAL", "FEE_APPLIED", "TRANSFER"].includes(t.type) && !t.adjustmentTransactionKey), o.pick);
            if (tx) r = await call(sb, "POST", `/deposits/transactions/${tx.id}:adjust`, { body: { notes: "property" } });
            break;
          }
          case "writeOff": r = await call(sb, "POST", `/loans/${loanId}:writeOff`, { body: {} }); break;
          case "payOff": r = await call(sb, "POST", `/loans/${loanId}:payOff`, { body: {} }); break;
        }
        if (r) {
          expect({ op: o.kind, status: r.status, body: r.status >= 500 ? r.body : undefined }).toEqual({ op: o.kind, status: r.status, body: undefined });
          if (r.status < 300) done.set(o.kind, (done.get(o.kind) ?? 0) + 1);
        }
      }
      await checkLoanBooks(loanId);
      await checkDepositBooks(depId);
      await checkTrialBalance();
    }),
    { numRuns: 15, seed: 20260115 },
  );
  // the walk exercised the money operations, not only refusals
  for (const kind of ["repay", "backRepay", "deposit", "withdraw", "loanFee", "transfer", "adjustLoan", "adjustDeposit"]) expect({ kind, done: (done.get(kind) ?? 0) > 0 }).toEqual({ kind, done: true });
});
