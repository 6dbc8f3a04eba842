/**
 * End to end: credit arrangements (lines of credit) through the ORM against the sandbox — created,
 * approved, read with exact amounts, the loans under one consuming its limit (a loan beyond it is
 * Mambu's CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED), its accounts and holder, a client's arrangements,
 * search, and closing.
 */
import { Decimal, MambuClient, MambuConnector, MambuCreditArrangement, MambuLoan, MambuProduct } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;
let client: MambuClient;
let productKey: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
  client = await MambuClient.get("0512N0026", { connector: conn });
  // a product like DB-PERSONAL whose loans may belong to a credit arrangement
  const base = (await MambuProduct.get("DB-PERSONAL", { connector: conn })).toJSON();
  for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete base[f];
  const product = new MambuProduct({ ...base, id: "ORM-CA-OPT", creditArrangementSettings: { creditArrangementRequirement: "OPTIONAL" } });
  await product.create({ connector: conn });
  productKey = product.encodedKey as string;
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

function newLoan(amount: string, ca: MambuCreditArrangement): MambuLoan {
  return new MambuLoan({
    accountHolderKey: client.encodedKey, accountHolderType: "CLIENT", productTypeKey: productKey, loanAmount: new Decimal(amount),
    creditArrangementKey: ca.encodedKey, interestSettings: { interestRate: 24 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
}

test("a line of credit: created, approved, consumed by its loans up to its limit, listed, closed", async () => {
  const ca = new MambuCreditArrangement({
    id: "ORM-LOC-1", amount: "10000.00", holderType: "CLIENT", holderKey: client.encodedKey, exposureLimitType: "APPROVED_AMOUNT",
    startDate: "2026-01-01T00:00:00+02:00", expireDate: "2028-12-31T00:00:00+02:00", notes: "línea de crédito",
  });
  await ca.create({ connector: conn });
  expect([ca.state, ca.amount.toFixed(2), ca.availableCreditAmount?.toFixed(2)]).toEqual(["PENDING_APPROVAL", "10000.00", "10000.00"]);
  expect(ca.startDate.toISO()).toBe("2026-01-01T00:00:00.000+02:00");

  expect(await reasonOf(newLoan("6000", ca).create({ connector: conn }))).toBe("INVALID_CREDIT_ARRANGEMENT_STATE");
  await ca.approve("committee");
  expect(ca.state).toBe("APPROVED");
  expect(ca.approvedDate?.toISODate()).toBe("2026-01-15");

  const first = newLoan("6000.50", ca);
  await first.create({ connector: conn });
  expect(await reasonOf(newLoan("3999.51", ca).create({ connector: conn }))).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
  const second = newLoan("3999.50", ca);
  await second.create({ connector: conn });

  await ca.refresh();
  expect([ca.consumedCreditAmount?.toFixed(2), ca.availableCreditAmount?.toFixed(2)]).toEqual(["10000.00", "0.00"]);
  expect(ca.amount.minus(ca.consumedCreditAmount!).equals(ca.availableCreditAmount!)).toBe(true);

  const { loans, deposits } = await ca.getAccounts();
  expect(loans.map((l) => l.loanAmount?.toFixed(2)).sort()).toEqual(["3999.50", "6000.50"]);
  expect(loans[0]).toBeInstanceOf(MambuLoan);
  expect(deposits).toEqual([]);
  const holder = await ca.getHolder();
  expect(holder).toBeInstanceOf(MambuClient);
  expect(holder.id).toBe("0512N0026");

  const mine = await client.getCreditArrangements();
  expect(mine.map((c) => c.id)).toContain("ORM-LOC-1");
  const found = await MambuCreditArrangement.search({ filterCriteria: [{ field: "state", operator: "EQUALS", value: "APPROVED" }], connector: conn });
  expect(found.map((c) => c.id)).toEqual(["ORM-LOC-1"]);
  const sorted = await MambuCreditArrangement.getAll({ sortBy: "amount:DESC", connector: conn });
  expect(sorted.map((c) => c.id)).toContain("ORM-LOC-1");

  // closing needs every linked account closed
  expect(await reasonOf(ca.close())).toBe("CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS");
  for (const loan of [first, second]) await loan.setState("WITHDRAW", "not needed");
  await ca.close("paid up");
  expect(ca.state).toBe("CLOSED");
  expect(ca.closedDate?.toISODate()).toBe("2026-01-15");
  await ca.undoClose();
  expect(ca.state).toBe("APPROVED");
});

test("a credit arrangement is updated and deleted like other entities", async () => {
  const ca = new MambuCreditArrangement({ amount: 500, holderType: "CLIENT", holderKey: client.encodedKey, startDate: "2026-01-01T00:00:00+02:00", expireDate: "2027-01-01T00:00:00+02:00" });
  await ca.create({ connector: conn });
  ca.notes = "raised";
  ca.amount = new Decimal("750.25");
  await ca.update();
  const again = await MambuCreditArrangement.get(ca.id as string, { connector: conn });
  expect([again.notes, again.amount.toFixed(2)]).toEqual(["raised", "750.25"]);
  await again.delete();
  expect(await MambuCreditArrangement.find(ca.id as string, { connector: conn })).toBeUndefined();
});

test("an existing loan is put under an arrangement and taken out again (addAccount / removeAccount)", async () => {
  const ca = new MambuCreditArrangement({
    id: "ORM-LOC-ADD", amount: "5000.00", holderType: "CLIENT", holderKey: client.encodedKey, exposureLimitType: "APPROVED_AMOUNT",
    startDate: "2026-01-01T00:00:00+02:00", expireDate: "2028-12-31T00:00:00+02:00",
  });
  await ca.create({ connector: conn });
  await ca.approve();
  const loose = (amount: string): MambuLoan => {
    const loan = newLoan(amount, ca);
    loan.creditArrangementKey = undefined;
    return loan;
  };
  const loan = loose("3000.25");
  await loan.create({ connector: conn });
  expect(loan.creditArrangementKey).toBeUndefined();

  expect(await ca.addAccount(loan)).toBe(ca);
  expect([ca.consumedCreditAmount?.toFixed(2), ca.availableCreditAmount?.toFixed(2)]).toEqual(["3000.25", "1999.75"]);
  expect(ca.accounts?.loans.map((l) => [l.id, l.loanAmount?.toFixed(2)])).toEqual([[loan.id, "3000.25"]]);
  expect(ca.accounts?.deposits).toEqual([]);
  await loan.refresh();
  expect(loan.creditArrangementKey).toBe(ca.encodedKey);

  expect(await reasonOf(ca.addAccount(loan))).toBe("ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT");
  const big = loose("1999.76");
  await big.create({ connector: conn });
  expect(await reasonOf(ca.addAccount(big))).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
  await big.refresh();
  expect(big.creditArrangementKey).toBeUndefined();

  expect(await ca.removeAccount(loan)).toBe(ca);
  expect([ca.consumedCreditAmount?.toFixed(2), ca.availableCreditAmount?.toFixed(2)]).toEqual(["0.00", "5000.00"]);
  expect([ca.accounts?.loans, ca.accounts?.deposits]).toEqual([[], []]);
  await loan.refresh();
  expect(loan.creditArrangementKey).toBeUndefined();
  expect(await reasonOf(ca.removeAccount(loan))).toBe("ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT");

  // the bigger loan fits now
  await ca.addAccount(big, { reread: false });
  expect(ca.accounts?.loans.map((l) => l.id)).toEqual([big.id]);
  await ca.refresh();
  expect(ca.consumedCreditAmount?.toFixed(2)).toBe("1999.76");
});
