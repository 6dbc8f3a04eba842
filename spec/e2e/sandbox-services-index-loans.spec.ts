/**
 * Index rates of the Services API drive the interest of API v2 loans whose products use that index (decision
 * `index-rates-drive-loans` of services-v1.json; lib/sandbox/reference/index-rates.ts and index-repricing.ts): a
 * Services source whose source_id is a v2 source's id is the same index; a new loan takes the rate in force; running
 * loans move to a new rate when it comes into force — at once when written, at its start when the clock reaches it —
 * with their schedule recomputed and an INTEREST_RATE_CHANGED transaction. Through the library (`Services.*`,
 * `MambuLoan`) against one sandbox.
 */
import { Decimal, MambuConnector, MambuLoan, Services, services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";
import { call } from "./sandbox-helpers";

const TODAY = "2026-01-15T10:00:00+02:00";
let sb: Sandbox;
let connector: MambuConnector;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: TODAY } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  connector.close();
  await sb.stop();
});

/** A v2 index rate source with one rate from 2026-01-01, and a copy of DB-PERSONAL indexed on it (spread 1..10, default 4). */
async function indexedProduct(sourceId: string, v2Rate: number): Promise<string> {
  expect((await call(sb, "POST", "/indexratesources", { body: { id: sourceId, name: sourceId, type: "INTEREST_RATE" } })).status).toBe(201);
  expect((await call(sb, "POST", `/indexratesources/${sourceId}/indexrates`, { body: { rate: v2Rate, startDate: "2026-01-01T00:00:00+02:00" } })).status).toBe(201);
  const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL?detailsLevel=FULL")).body;
  const { encodedKey: _k, ...copy } = base;
  const made = await call(sb, "POST", "/loanproducts", {
    body: {
      ...copy,
      id: `IDX-${sourceId}`,
      name: `Indexed on ${sourceId}`,
      interestSettings: {
        ...base.interestSettings,
        indexRateSettings: {
          ...base.interestSettings.indexRateSettings,
          interestRateSource: "INDEX_INTEREST_RATE",
          indexSourceKey: sourceId,
          interestRate: { defaultValue: 4, minValue: 1, maxValue: 10 },
        },
      },
    },
  });
  expect(made.status).toBe(201);
  return made.body.encodedKey as string;
}

/** A loan of 12000 over 12 months on `productKey` with spread 2, optionally approved and disbursed today. */
async function newLoan(productKey: string, disburse: boolean): Promise<MambuLoan> {
  const client = (await call(sb, "GET", "/clients/24N12345")).body;
  const loan = new MambuLoan({
    accountHolderKey: client.encodedKey,
    accountHolderType: "CLIENT",
    productTypeKey: productKey,
    loanAmount: new Decimal(12000),
    interestSettings: { interestSpread: 2 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 12, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
  await loan.create({ connector });
  if (disburse) {
    await loan.approve();
    await loan.disburse({});
  }
  return loan;
}

const rateOf = async (loan: MambuLoan) => (await MambuLoan.get(loan.id!, { connector })).interestSettings?.interestRate?.toFixed();
const interestDue = async (loan: MambuLoan) => (await loan.getSchedule()).map((i) => i.interest?.amount?.expected?.toFixed(2));
const rateChanges = async (loan: MambuLoan) => (await loan.getTransactions().toArray()).filter((t) => t.type === "INTEREST_RATE_CHANGED");

describe("a Services source with a v2 source's id is the same index", () => {
  test("a new loan takes the Services rate in force plus its spread", async () => {
    const product = await indexedProduct("EUR3M", 3);
    const before = await newLoan(product, false);
    expect(before.interestSettings?.interestRate?.toFixed()).toBe("5"); // v2's 3 + 2
    const src = await Services.IndexRateSource.create({ sourceId: "EUR3M", name: "Euribor 3M feed", type: "InterestRate" }, { connector });
    await src.createIndexRate({ rate: new Decimal("3.25"), startTime: "2026-01-10T00:00:00Z" });
    const after = await newLoan(product, false);
    expect(after.interestSettings?.interestRate?.toFixed()).toBe("5.25");
    // v2 still lists only its own rates
    expect((await call(sb, "GET", "/indexratesources/EUR3M/indexrates")).body.map((r: { rate: number }) => r.rate)).toEqual([3]);
  });

  test("a source naming a v2 source of another type is refused", async () => {
    await call(sb, "POST", "/indexratesources", { body: { id: "VAT", name: "VAT", type: "TAX_RATE" } });
    expect(await reasonOf(Services.IndexRateSource.create({ sourceId: "VAT", name: "VAT feed", type: "InterestRate" }, { connector }))).toBe("INVALID_PARAMETERS");
    await expect(Services.IndexRateSource.create({ sourceId: "VAT", name: "VAT feed", type: "TaxRate" }, { connector })).resolves.toMatchObject({ sourceId: "VAT" });
  });
});

describe("running loans follow the index", () => {
  test("a Services rate in force when written reprices an active loan at once: rate, schedule and a rate change transaction", async () => {
    const product = await indexedProduct("SOFR", 4);
    const loan = await newLoan(product, true);
    const pending = await newLoan(product, false);
    expect(await rateOf(loan)).toBe("6");
    const dueBefore = await interestDue(loan);
    const src = await Services.IndexRateSource.create({ sourceId: "SOFR", name: "SOFR feed", type: "InterestRate" }, { connector });
    await src.createIndexRate({ rate: new Decimal("5"), startTime: "2026-01-15T07:00:00Z" });
    expect(await rateOf(loan)).toBe("7");
    const dueAfter = await interestDue(loan);
    expect(dueAfter.length).toBe(12);
    expect(new Decimal(dueAfter[1]!).greaterThan(dueBefore[1]!)).toBe(true);
    const changes = await rateChanges(loan);
    expect(changes.length).toBe(1);
    // a loan not yet disbursed keeps the rate it was created with; the spread is kept
    expect(await rateOf(pending)).toBe("6");
    expect((await MambuLoan.get(loan.id!, { connector })).interestSettings?.interestSpread?.toFixed()).toBe("2");
  });

  test("a rate announced for later changes nothing until the clock reaches it, then reprices from its start", async () => {
    const product = await indexedProduct("ESTR", 2);
    const loan = await newLoan(product, true);
    expect(await rateOf(loan)).toBe("4");
    const src = await Services.IndexRateSource.create({ sourceId: "ESTR", name: "€STR feed", type: "InterestRate" }, { connector });
    await src.createIndexRate({ rate: new Decimal("1.5"), startTime: "2026-02-01T00:00:00+02:00" });
    expect(await rateOf(loan)).toBe("4");
    expect(await rateChanges(loan)).toEqual([]);
    const dueBefore = await interestDue(loan);
    sb.clock.advance({ days: 20 }); // 2026-02-04
    try {
      expect(await rateOf(loan)).toBe("3.5");
      const [change] = await rateChanges(loan);
      expect(change.valueDate?.toISO()).toBe("2026-02-01T00:00:00.000+02:00");
      // the first installment (due 2026-02-15) is after the start: every installment is at the lower rate now
      const due = await interestDue(loan);
      expect(due.length).toBe(12);
      due.forEach((d, i) => expect(new Decimal(d!).lessThan(dueBefore[i]!)).toBe(true));
      // looking again changes nothing more
      expect((await rateChanges(loan)).length).toBe(1);
    } finally {
      sb.clock.advance({ days: -20 });
    }
  });

  test("a new loan's rate is the exact Services rate plus the spread (a double on the v2 wire)", async () => {
    const product = await indexedProduct("EXACTIDX", 1);
    const src = await Services.IndexRateSource.create({ sourceId: "EXACTIDX", name: "exact", type: "InterestRate" }, { connector });
    await src.createIndexRate({ rate: new Decimal("1.123456789012345678901"), startTime: "2026-01-14T00:00:00Z" });
    const loan = await newLoan(product, false);
    expect(loan.interestSettings?.interestRate?.toNumber()).toBe(Number("3.123456789012345678901"));
  });

  test("a rate entered through API v2 moves the loans too (before the next /loans request)", async () => {
    const product = await indexedProduct("SONIA", 4);
    const loan = await newLoan(product, true);
    expect(await rateOf(loan)).toBe("6");
    expect((await call(sb, "POST", "/indexratesources/SONIA/indexrates", { body: { rate: 4.5, startDate: "2026-01-15T09:00:00+02:00" } })).status).toBe(201);
    expect(await rateOf(loan)).toBe("6.5");
    expect((await rateChanges(loan)).length).toBe(1);
  });

  test("deleting the rate in force moves running loans back to the previous one", async () => {
    const product = await indexedProduct("TONA", 3);
    const src = await Services.IndexRateSource.create({ sourceId: "TONA", name: "TONA feed", type: "InterestRate" }, { connector });
    const r = await src.createIndexRate({ rate: new Decimal("6"), startTime: "2026-01-12T00:00:00Z" });
    const loan = await newLoan(product, true);
    expect(await rateOf(loan)).toBe("8");
    await services.rates.deleteIndexRate({ source_id: "TONA", rate_id: r.rateId }, { connector });
    expect(await rateOf(loan)).toBe("5");
  });
});
