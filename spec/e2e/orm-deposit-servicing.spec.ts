/**
 * End to end: deposit servicing through the ORM against the sandbox — fund blocks (the available
 * balance drops by them), seizure, the maturity period of a fixed deposit and its undo, reopening a
 * closed account, an interest-rate change from a value date, documents from templates and bulk
 * deposits followed to completion. Amounts are exact Decimals; Mambu's refusals are MambuErrors with
 * their reason.
 */
import {
  DateTime, Decimal, MambuBlockFund, MambuConnector, MambuDeposit, MambuDepositProduct, MambuDepositTransaction, MambuLoan,
  MambuProduct,
} from "../../lib";
import { call } from "./sandbox-helpers";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { checkDepositInvariants } from "../helpers/deposit-invariants";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

/** A new ACTIVE account of `product` (the demo SAVINGS product unless given), holding `opening`. */
async function newDeposit(id: string, opening: string, product = "SAVINGS"): Promise<MambuDeposit> {
  const template = await MambuDeposit.get("DEP001", { connector: conn });
  const prod = await MambuDepositProduct.get(product, { connector: conn });
  const dep = new MambuDeposit({
    id, name: `ORM ${id}`, accountHolderKey: template.accountHolderKey, accountHolderType: "CLIENT", productTypeKey: prod.encodedKey, currencyCode: "MXN",
  });
  await dep.create({ connector: conn });
  await dep.approve();
  if (opening !== "0") await dep.deposit(opening);
  return dep;
}

test("blocks lower the available balance; a block is seized in part, the rest unblocked", async () => {
  const dep = await newDeposit("ORMBLK1", "5000.00");
  const block = await dep.blockFunds("court-17", "1200.55", { notes: "garnishment" });
  expect(block).toBeInstanceOf(MambuBlockFund);
  expect([block.externalReferenceId, block.amount.toFixed(2), block.state, block.notes]).toEqual(["court-17", "1200.55", "PENDING", "garnishment"]);
  expect(block.creationDate?.toISO()).toBe("2026-01-15T10:00:00.000+02:00");
  expect(dep.balances?.blockedBalance?.toFixed(2)).toBe("1200.55");
  expect(dep.balances?.availableBalance?.toFixed(2)).toBe("3799.45");

  expect(await reasonOf(dep.withdrawal("3799.46"))).toBe("BALANCE_BELOW_ZERO");
  expect(await reasonOf(dep.blockFunds("court-17", 1))).toBe("DUPLICATE_BLOCK_ID");

  const seizure = await dep.seize("court-17", "200.55", { transactionChannelId: "cash", notes: "first part" });
  expect(seizure).toBeInstanceOf(MambuDepositTransaction);
  expect([seizure.type, seizure.amount?.toFixed(2)]).toEqual(["SEIZED_AMOUNT", "-200.55"]);
  expect(dep.balances?.totalBalance?.toFixed(2)).toBe("4799.45");
  expect(dep.balances?.blockedBalance?.toFixed(2)).toBe("1000.00");
  expect(dep.balances?.availableBalance?.toFixed(2)).toBe("3799.45"); // seizing blocked money leaves the available balance

  const blocks = await dep.getBlocks();
  expect(blocks.map((b) => [b.externalReferenceId, b.state, b.seizedAmount?.toFixed(2)])).toEqual([["court-17", "PARTIALLY_SEIZED", "200.55"]]);

  expect(await dep.unblockFunds("court-17")).toBe(dep);
  expect(dep.balances?.blockedBalance?.isZero()).toBe(true);
  expect(dep.balances?.availableBalance?.toFixed(2)).toBe("4799.45");
  const after = await dep.getBlocks();
  expect(after.map((b) => b.state)).toEqual(["REMOVED"]);
  const reason = await reasonOf(dep.unblockFunds("no-such-block"));
  expect(reason).toMatch(/BLOCK_FUND_DOES_NOT_EXIST|INVALID_BLOCK_FUND_STATE/);
  await checkDepositInvariants(sandbox, "ORMBLK1");
});

test("a fixed deposit's maturity period starts and is undone", async () => {
  const product = new MambuDepositProduct({
    id: "ORMFIX6", name: "Fixed deposit 6 months", type: "FIXED_DEPOSIT", state: "ACTIVE",
    accountingSettings: { accountingMethod: "NONE" }, newAccountSettings: { idGeneratorType: "INCREMENTAL_NUMBER", idPattern: "@@@###" },
    currencySettings: { currencies: [{ code: "MXN" }] },
    interestSettings: { interestRateSettings: { interestRate: { defaultValue: 3, minValue: 1, maxValue: 6 }, interestChargeFrequency: "ANNUALIZED" }, daysInYear: "ACTUAL_365_FIXED" },
    maturitySettings: { maturityPeriod: { defaultValue: 6, minValue: 1, maxValue: 24 }, maturityPeriodUnit: "MONTHS" },
  });
  await product.create({ connector: conn });
  const fixed = await newDeposit("ORMFD1", "10000", "ORMFIX6");
  await fixed.startMaturity({ notes: "six months" });
  expect(fixed.maturityDate?.toISO()).toBe("2026-07-15T00:00:00.000+02:00");
  expect(await reasonOf(fixed.deposit(5))).toBe("DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET");
  expect(await reasonOf(fixed.startMaturity({ maturityDate: "2026-09-01" }))).toBe("MATURITY_PERIOD_ALREADY_STARTED");

  expect(await fixed.undoMaturity()).toBe(fixed);
  expect(fixed.maturityDate).toBeUndefined();
  expect(await reasonOf(fixed.undoMaturity())).toBe("MATURITY_PERIOD_NOT_STARTED");

  await fixed.startMaturity({ maturityDate: DateTime.fromISO("2026-03-31") });
  expect(fixed.maturityDate?.toISODate()).toBe("2026-03-31");
  await checkDepositInvariants(sandbox, "ORMFD1");
});

test("a closed account is reopened", async () => {
  const dep = await newDeposit("ORMRO1", "300");
  await dep.withdrawal(300);
  await dep.close("emptied");
  expect(dep.accountState).toBe("CLOSED");
  await dep.reopen("client came back");
  expect(dep.accountState).toBe("ACTIVE");
  expect(await reasonOf(dep.reopen())).toBe("INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION");
  await dep.deposit("10.00");
  expect(dep.balances?.totalBalance?.toFixed(2)).toBe("10.00");
  await checkDepositInvariants(sandbox, "ORMRO1");
});

test("an interest-rate change applies from its value date: interest adds up exactly", async () => {
  const dep = await newDeposit("ORMIR1", "10000"); // 2 % (the SAVINGS product), active from 2026-01-15
  sandbox.clock.advance({ days: 10 }); // 2026-01-25
  try {
    expect(await reasonOf(dep.changeInterestRate(4, { valueDate: "2026-01-26" }))).toBe("BACKDATE_SET_IN_THE_FUTURE");
    await dep.changeInterestRate(new Decimal("4"), { valueDate: "2026-01-20", notes: "promo" });
    expect(dep.interestSettings?.interestRateSettings?.interestRate?.toString()).toBe("4");
    const changed = (await dep.getTransactions()).find((t) => t.type === "INTEREST_RATE_CHANGED");
    expect(changed?.valueDate?.toISODate()).toBe("2026-01-20");

    sandbox.clock.advance({ days: 5 }); // 2026-01-30
    await dep.applyInterest({ interestApplicationDate: "2026-01-30T10:00:00" });
    const interest = (await dep.getTransactions()).find((t) => t.type === "INTEREST_APPLIED");
    // 10000 × 2 % × 5/365 + 10000 × 4 % × 10/365 = 13.6986… → 13.70
    const expected = new Decimal(10000).times("0.02").times(5).plus(new Decimal(10000).times("0.04").times(10)).dividedBy(365).toDecimalPlaces(2);
    expect(interest?.amount?.toFixed(2)).toBe(expected.toFixed(2));
    expect(dep.balances?.totalBalance?.toFixed(2)).toBe("10013.70");
    await checkDepositInvariants(sandbox, "ORMIR1");
  } finally {
    sandbox.clock.advance({ days: -15 });
  }
});

test("documents: an account's and a transaction's, rendered from the product's templates", async () => {
  const dep = await newDeposit("ORMDOC1", "123.45");
  const product = sandbox.store.find("depositproducts", "SAVINGS")!;
  const templates = [
    { encodedKey: "8a00000000000000000000000000te01", name: "Statement <1>", type: "ACCOUNT" },
    { encodedKey: "8a00000000000000000000000000te02", name: "Receipt", type: "TRANSACTION" },
  ];
  sandbox.store.replace("depositproducts", { ...product, templates });
  try {
    const html = await dep.getDocument("8a00000000000000000000000000te01");
    expect(html).toContain("ORMDOC1");
    expect(html).toContain("Statement &#60;1&#62;");
    const [tx] = await dep.getTransactions();
    expect(await tx.getDocument("8a00000000000000000000000000te02")).toContain(String(tx.id));
    expect(await reasonOf(dep.getDocument("8a00000000000000000000000000te02"))).toBe("INVALID_TEMPLATE_TYPE");
  } finally {
    sandbox.store.replace("depositproducts", product);
  }
});

test("bulk deposits: posted in one request, followed to completion; the bad rows reported by index", async () => {
  const dep = await newDeposit("ORMBK1", "100");
  const { bulkProcessKey } = await MambuDeposit.bulkDeposit([
    { accountId: dep, amount: "10.25", externalId: "row-0", notes: "first" },
    { accountId: "NOPE", amount: 5, externalId: "row-1" },
    { accountId: "ORMBK1", amount: new Decimal("0.75"), transactionDetails: { transactionChannelId: "cash" } },
  ], { connector: conn });
  const seen: string[] = [];
  const status = await MambuDeposit.waitForBulk(bulkProcessKey, { connector: conn, intervalMs: 10, onProgress: (s) => seen.push(String(s.status)) });
  expect(seen[seen.length - 1]).toBe(status.status);
  expect(status.status).toBe("COMPLETE");
  expect(status.processedItems?.map((p) => p.indexInRequest)).toEqual([0, 2]);
  expect(status.errors?.map((e) => e.indexInRequest)).toEqual([1]);
  await dep.refresh();
  expect(dep.balances?.totalBalance?.toFixed(2)).toBe("111.00");
  await checkDepositInvariants(sandbox, "ORMBK1");
});

test("an investor account: the loans it funds and its share of their schedules, adding up exactly", async () => {
  const base = (await MambuProduct.get("DB-PERSONAL", { connector: conn })).toJSON();
  for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete base[f];
  const p2p = new MambuProduct({ ...base, id: "ORM-P2P", fundingSettings: { enabled: true, requiredFunds: 50 } });
  await p2p.create({ connector: conn });
  const savings = (await MambuDepositProduct.get("SAVINGS", { connector: conn })).toJSON();
  for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete savings[f];
  const investorProduct = new MambuDepositProduct({ ...savings, id: "ORM-INV", name: "Investor account", type: "INVESTOR_ACCOUNT" });
  await investorProduct.create({ connector: conn });
  const a = await newDeposit("ORMINV-A", "2000", "ORM-INV");
  const b = await newDeposit("ORMINV-B", "2000", "ORM-INV");

  const loan = new MambuLoan({
    accountHolderKey: a.accountHolderKey, accountHolderType: "CLIENT", productTypeKey: p2p.encodedKey, loanAmount: new Decimal("1000"),
    interestSettings: { interestRate: 24 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
  await loan.create({ connector: conn });
  const funds = [a, b].map((d, i) => ({ amount: i === 0 ? 300 : 700, guarantorKey: d.accountHolderKey, guarantorType: "CLIENT", depositAccountKey: d.encodedKey }));
  expect((await call(sandbox, "POST", `/loans/${loan.id}/funding`, { body: funds })).status).toBe(201);

  const funded = await a.getFundedLoans();
  expect(funded.map((l) => l.id)).toEqual([loan.id]);
  expect(funded[0]).toBeInstanceOf(MambuLoan);
  const whole = await loan.getSchedule();
  const shareA = await a.getFundedSchedule(loan);
  const shareB = await b.getFundedSchedule(loan.id as string);
  expect(shareA).toHaveLength(whole.length);
  whole.forEach((inst, i) => {
    const expected = inst.principal?.amount?.expected ?? new Decimal(0);
    const sum = (shareA[i].principal?.amount?.expected ?? new Decimal(0)).plus(shareB[i].principal?.amount?.expected ?? 0);
    expect(sum.equals(expected)).toBe(true);
    expect(shareA[i].dueDate?.toISO()).toBe(inst.dueDate?.toISO());
  });
  expect(await reasonOf((await newDeposit("ORMINV-C", "10", "ORM-INV")).getFundedSchedule(loan))).toBe("LOAN_ACCOUNT_NOT_FUNDED_BY_DEPOSIT_ACCOUNT");
});
