/**
 * End to end over HTTP: the sandbox's currencies with accounting rates and index rate sources with index rates —
 * every operation of the `currencies` and `indexratesources` resources (the Swagger files plus
 * `GET /currencies/{code}/accountingRates` of the newer reference), the demo tenant's rates, Mambu's refusals
 * (base currency, rate not positive, future or out-of-order start dates, unknown currency or source, a source in
 * use), and each answer valid against the operation's response schema.
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call, contractProblems } from "./sandbox-helpers";

const START = "2026-01-15T10:00:00+02:00";
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: START } });
});
afterAll(() => sb.stop());

/**
 * The response of `resource` METHOD template with `status` is valid against the contract: no problem but fields
 * newer than the 2021 Swagger files (a source's `id`, `creationDate`, `lastModifiedDate`), which are tolerated.
 */
function expectValid(resource: string, method: string, template: string, status: string, body: unknown): void {
  expect(contractProblems(method, template, Number(status), body, { resource })).toEqual([]);
}

function reason(body: { errors?: Array<{ errorReason?: string }> }): string | undefined {
  return body?.errors?.[0]?.errorReason;
}

describe("currencies: accounting rates", () => {
  const RATES = "/currencies/{currencyCode}/accountingRates";

  test("the demo tenant's USD rates, oldest first, the older ending where the newer starts", async () => {
    const res = await call(sb, "GET", "/currencies/USD/accountingRates");
    expect(res.status).toBe(200);
    expectValid("currencies", "GET", RATES, "200", res.body);
    expect(res.body.map((r: Record<string, unknown>) => [r.rate, r.startDate, r.endDate, r.fromCurrencyCode, r.toCurrencyCode])).toEqual([
      [17.05, "2025-10-17T10:00:00+02:00", "2025-12-16T10:00:00+02:00", "MXN", "USD"],
      [17.2, "2025-12-16T10:00:00+02:00", undefined, "MXN", "USD"],
    ]);
    const eur = await call(sb, "GET", "/currencies/EUR/accountingRates");
    expect(eur.body.map((r: Record<string, unknown>) => r.rate)).toEqual([18.9]);
  });

  test("a new rate: 201 with the organization's currency as fromCurrencyCode; listed after the others, paged", async () => {
    const res = await call(sb, "POST", "/currencies/EUR/accountingRates", { body: { rate: 19.125, startDate: "2026-01-10T00:00:00+02:00" } });
    expect(res.status).toBe(201);
    expectValid("currencies", "POST", RATES, "201", res.body);
    expect(res.body).toMatchObject({ rate: 19.125, startDate: "2026-01-10T00:00:00+02:00", fromCurrencyCode: "MXN", toCurrencyCode: "EUR" });
    expect(res.body.endDate).toBeUndefined();
    expect(res.body.encodedKey).toMatch(/^[0-9a-f]{32}$/);

    const list = await call(sb, "GET", "/currencies/EUR/accountingRates?paginationDetails=ON&offset=1&limit=5");
    expect(list.status).toBe(200);
    expect(list.headers.get("items-total")).toBe("2");
    expect(list.body).toEqual([res.body]);
    const all = await call(sb, "GET", "/currencies/EUR/accountingRates");
    expect(all.body[0].endDate).toBe("2026-01-10T00:00:00+02:00");
  });

  test("without startDate the rate starts now (the sandbox clock)", async () => {
    const res = await call(sb, "POST", "/currencies/USD/accountingRates", { body: { rate: 17.31 } });
    expect(res.status).toBe(201);
    expect(res.body.startDate).toBe(START);
  });

  test("from/to select rates by start date", async () => {
    const res = await call(sb, "GET", `/currencies/USD/accountingRates?from=${encodeURIComponent("2025-12-01T00:00:00+02:00")}&to=${encodeURIComponent("2025-12-31T00:00:00+02:00")}`);
    expect(res.status).toBe(200);
    expect(res.body.map((r: Record<string, unknown>) => r.rate)).toEqual([17.2]);
    const bad = await call(sb, "GET", `/currencies/USD/accountingRates?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(reason(bad.body)).toBe("INVALID_PARAMETERS");
  });

  test.each([
    ["the base currency", "/currencies/MXN/accountingRates", { rate: 1 }, 400, "CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY"],
    ["a zero rate", "/currencies/USD/accountingRates", { rate: 0, startDate: "2026-01-15T10:00:00+02:00" }, 400, "RATE_SHOULD_BE_POSITIVE"],
    ["a negative rate", "/currencies/USD/accountingRates", { rate: -17 }, 400, "RATE_SHOULD_BE_POSITIVE"],
    ["a start in the future", "/currencies/USD/accountingRates", { rate: 17.5, startDate: "2026-01-16T00:00:00+02:00" }, 400, "FUTURE_START_DATE_NOT_ALLOWED"],
    ["a start before the last rate's", "/currencies/EUR/accountingRates", { rate: 19, startDate: "2026-01-09T00:00:00+02:00" }, 400, "START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE"],
    ["a start on the last rate's", "/currencies/EUR/accountingRates", { rate: 19, startDate: "2026-01-10T00:00:00+02:00" }, 400, "START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE"],
    ["no rate", "/currencies/USD/accountingRates", { startDate: "2026-01-14T00:00:00+02:00" }, 400, "INVALID_PARAMETERS"],
    ["a rate that is no number", "/currencies/USD/accountingRates", { rate: "17" }, 400, "INVALID_PARAMETERS"],
    ["another offset", "/currencies/USD/accountingRates", { rate: 17, startDate: "2026-01-14T00:00:00Z" }, 400, "INVALID_PARAMETERS"],
    ["a currency the tenant has not", "/currencies/GBP/accountingRates", { rate: 22 }, 404, "CURRENCY_DOES_NOT_EXIST"],
    ["a code that is no currency code", "/currencies/usd/accountingRates", { rate: 22 }, 400, "INVALID_CURRENCY_CODE"],
  ])("refused: %s", async (_what, path, body, status, why) => {
    const before = (await call(sb, "GET", "/currencies/EUR/accountingRates")).body;
    const res = await call(sb, "POST", path, { body });
    expect(res.status).toBe(status);
    expect(reason(res.body)).toBe(why);
    expect((await call(sb, "GET", "/currencies/EUR/accountingRates")).body).toEqual(before);
  });

  test("the base currency has no accounting rates; an unknown currency is a 404", async () => {
    const mxn = await call(sb, "GET", "/currencies/MXN/accountingRates");
    expect(mxn.status).toBe(200);
    expect(mxn.body).toEqual([]);
    const gbp = await call(sb, "GET", "/currencies/GBP/accountingRates");
    expect(gbp.status).toBe(404);
    expect(reason(gbp.body)).toBe("CURRENCY_DOES_NOT_EXIST");
  });

  test("the organization's currency, when the tenant sets one, is the base currency", async () => {
    const other = await startSandbox({ port: 0, clock: { start: START } });
    try {
      other.store.extra.organization = { currency: "USD" };
      const usd = await call(other, "POST", "/currencies/USD/accountingRates", { body: { rate: 1 } });
      expect(reason(usd.body)).toBe("CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY");
      const eur = await call(other, "POST", "/currencies/EUR/accountingRates", { body: { rate: 1.09 } });
      expect(eur.status).toBe(201);
      expect(eur.body.fromCurrencyCode).toBe("USD");
    } finally {
      await other.stop();
    }
  });
});

describe("index rate sources and index rates", () => {
  const SOURCES = "/indexratesources";
  const SOURCE = "/indexratesources/{indexRateSourceId}";
  const RATES = "/indexratesources/{indexRateSourceId}/indexrates";

  test("the demo tenant's TIIE source and its two dated rates", async () => {
    const list = await call(sb, "GET", SOURCES);
    expect(list.status).toBe(200);
    expectValid("indexratesources", "GET", SOURCES, "200", list.body);
    const tiie = list.body.find((s: Record<string, unknown>) => s.id === "TIIE");
    expect(tiie).toMatchObject({ name: "TIIE 28 días", type: "INTEREST_RATE" });
    expect(tiie.indexRates).toBeUndefined();

    const one = await call(sb, "GET", "/indexratesources/TIIE");
    expect(one.status).toBe(200);
    expectValid("indexratesources", "GET", SOURCE, "200", one.body);
    expect(one.body).toEqual(tiie);
    expect((await call(sb, "GET", `/indexratesources/${tiie.encodedKey}`)).body).toEqual(tiie);

    const rates = await call(sb, "GET", "/indexratesources/TIIE/indexrates");
    expect(rates.status).toBe(200);
    expectValid("indexratesources", "GET", RATES, "200", rates.body);
    expect(rates.body.map((r: Record<string, unknown>) => [r.rate, r.startDate, r.assignedIndexRateSourceKey])).toEqual([
      [11.25, "2025-09-17T10:00:00+02:00", tiie.encodedKey],
      [10.75, "2025-12-06T10:00:00+02:00", tiie.encodedKey],
    ]);
  });

  test("a source is created, given rates (kept in date order, future dates allowed), loses one, and is deleted", async () => {
    const created = await call(sb, "POST", SOURCES, { body: { name: "SOFR", type: "INTEREST_RATE", notes: "NY Fed" } });
    expect(created.status).toBe(201);
    expectValid("indexratesources", "POST", SOURCES, "201", created.body);
    expect(created.body).toMatchObject({ name: "SOFR", type: "INTEREST_RATE", notes: "NY Fed" });
    const id = created.body.encodedKey as string;

    const later = await call(sb, "POST", `/indexratesources/${id}/indexrates`, { body: { rate: 4.3, startDate: "2026-02-01T00:00:00+02:00", notes: "announced" } });
    expect(later.status).toBe(201);
    expectValid("indexratesources", "POST", RATES, "201", later.body);
    expect(later.body).toMatchObject({ rate: 4.3, startDate: "2026-02-01T00:00:00+02:00", notes: "announced", assignedIndexRateSourceKey: id });
    expect(later.body.userKey).toMatch(/^[0-9a-f]{32}$/); // the demo API user's Mambu user
    const earlier = await call(sb, "POST", `/indexratesources/${id}/indexrates`, { body: { rate: -0.05, startDate: "2025-12-01T00:00:00+02:00" } });
    expect(earlier.status).toBe(201);
    expect((await call(sb, "GET", `/indexratesources/${id}/indexrates`)).body.map((r: Record<string, unknown>) => r.rate)).toEqual([-0.05, 4.3]);

    const del = await call(sb, "DELETE", `/indexratesources/${id}/indexrates/${earlier.body.encodedKey}`);
    expect(del.status).toBe(204);
    expect((await call(sb, "GET", `/indexratesources/${id}/indexrates`)).body.map((r: Record<string, unknown>) => r.rate)).toEqual([4.3]);
    const again = await call(sb, "DELETE", `/indexratesources/${id}/indexrates/${earlier.body.encodedKey}`);
    expect(again.status).toBe(404);
    expect(reason(again.body)).toBe("OBJECT_NOT_FOUND");

    expect((await call(sb, "DELETE", `/indexratesources/${id}`)).status).toBe(204);
    const gone = await call(sb, "GET", `/indexratesources/${id}`);
    expect(gone.status).toBe(404);
    expect(reason(gone.body)).toBe("INVALID_INDEX_RATE_SOURCE_ID");
  });

  test.each([
    ["no name", SOURCES, { type: "INTEREST_RATE" }, 400, "INVALID_PARAMETERS"],
    ["no type", SOURCES, { name: "X" }, 400, "INVALID_PARAMETERS"],
    ["a type outside the enum", SOURCES, { name: "X", type: "FX_RATE" }, 400, "INVALID_PARAMETERS"],
    ["a taken id", SOURCES, { id: "TIIE", name: "X", type: "TAX_RATE" }, 400, "INVALID_PARAMETERS"],
    ["a rate without startDate", "/indexratesources/TIIE/indexrates", { rate: 10 }, 400, "INVALID_INDEX_RATE_START_DATE"],
    ["a rate on a taken start date", "/indexratesources/TIIE/indexrates", { rate: 10, startDate: "2025-12-06T10:00:00+02:00" }, 400, "INVALID_INDEX_RATE_START_DATE"],
    ["a rate without rate", "/indexratesources/TIIE/indexrates", { startDate: "2026-01-01T00:00:00+02:00" }, 400, "INVALID_PARAMETERS"],
    ["a start date in another offset", "/indexratesources/TIIE/indexrates", { rate: 10, startDate: "2026-01-01T00:00:00-06:00" }, 400, "INVALID_PARAMETERS"],
    ["a rate of an unknown source", "/indexratesources/NOPE/indexrates", { rate: 10, startDate: "2026-01-01T00:00:00+02:00" }, 404, "INVALID_INDEX_RATE_SOURCE_ID"],
  ])("refused: %s", async (_what, path, body, status, why) => {
    const res = await call(sb, "POST", path, { body });
    expect(res.status).toBe(status);
    expect(reason(res.body)).toBe(why);
  });

  test("a tax rate source takes no negative rate", async () => {
    const vat = await call(sb, "POST", SOURCES, { body: { id: "IVA", name: "IVA", type: "TAX_RATE" } });
    expect(vat.status).toBe(201);
    const neg = await call(sb, "POST", "/indexratesources/IVA/indexrates", { body: { rate: -16, startDate: "2026-01-01T00:00:00+02:00" } });
    expect(neg.status).toBe(400);
    expect(reason(neg.body)).toBe("INVALID_TAX_RATE");
    expect((await call(sb, "POST", "/indexratesources/IVA/indexrates", { body: { rate: 16, startDate: "2026-01-01T00:00:00+02:00" } })).status).toBe(201);
  });

  test("a source a loan product names cannot be deleted; unknown sources are 404s", async () => {
    const src = await call(sb, "POST", SOURCES, { body: { id: "CETES", name: "CETES 28", type: "INTEREST_RATE" } });
    const products = await call(sb, "GET", "/loanproducts?detailsLevel=FULL");
    const product = products.body[0];
    const { encodedKey: _k, ...copy } = product;
    const indexed = {
      ...copy,
      id: "INDEXED-CETES",
      name: "Indexed on CETES",
      interestSettings: {
        ...(product.interestSettings ?? {}),
        indexRateSettings: { ...(product.interestSettings?.indexRateSettings ?? {}), interestRateSource: "INDEX_INTEREST_RATE", indexSourceKey: src.body.encodedKey },
      },
    };
    const made = await call(sb, "POST", "/loanproducts", { body: indexed });
    expect(made.status).toBe(201);
    const del = await call(sb, "DELETE", "/indexratesources/CETES");
    expect(del.status).toBe(400);
    expect(reason(del.body)).toBe("INDEX_RATE_SOURCE_IN_USE");
    expect((await call(sb, "GET", "/indexratesources/CETES")).status).toBe(200);

    for (const [method, path] of [["GET", "/indexratesources/NOPE"], ["DELETE", "/indexratesources/NOPE"], ["GET", "/indexratesources/NOPE/indexrates"], ["DELETE", "/indexratesources/TIIE/indexrates/0123"]]) {
      const res = await call(sb, method, path);
      expect(res.status).toBe(404);
    }
  });
});

describe("loans on a product indexed on a source", () => {
  async function indexedProduct(id: string, sourceKey: string, extra: Record<string, unknown> = {}): Promise<string> {
    const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL?detailsLevel=FULL")).body;
    const { encodedKey: _k, ...copy } = base;
    const body = {
      ...copy,
      id,
      name: `Indexed ${id}`,
      interestSettings: {
        ...base.interestSettings,
        indexRateSettings: {
          ...base.interestSettings.indexRateSettings,
          interestRateSource: "INDEX_INTEREST_RATE",
          indexSourceKey: sourceKey,
          interestRate: { defaultValue: 4, minValue: 1, maxValue: 10 },
          ...extra,
        },
      },
    };
    const made = await call(sb, "POST", "/loanproducts", { body });
    expect(made.status).toBe(201);
    return made.body.encodedKey as string;
  }

  async function newLoan(id: string, productKey: string, interestSettings: Record<string, unknown>) {
    const client = (await call(sb, "GET", "/clients/24N12345")).body;
    return call(sb, "POST", "/loans", {
      body: {
        id, loanName: "Indexed", accountHolderKey: client.encodedKey, accountHolderType: "CLIENT", productTypeKey: productKey, loanAmount: 12000,
        interestSettings, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 12, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
      },
    });
  }

  test("the loan's rate is the source's rate in force plus the spread, and its schedule is that of a fixed-rate loan at that rate", async () => {
    const tiie = (await call(sb, "GET", "/indexratesources/TIIE")).body;
    const product = await indexedProduct("IDX-TIIE", tiie.encodedKey);
    const loan = await newLoan("IDX001", product, { interestSpread: 4.5 });
    expect(loan.status).toBe(201);
    expect(loan.body.interestSettings).toMatchObject({ interestRateSource: "INDEX_INTEREST_RATE", interestRate: 15.25, interestSpread: 4.5 }); // TIIE 10.75 + 4.5
    const byDefault = await newLoan("IDX002", product, {});
    expect(byDefault.body.interestSettings).toMatchObject({ interestRate: 14.75, interestSpread: 4 }); // the product's default spread

    const fixed = await newLoan("FIX001", (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body.encodedKey, { interestRate: 15.25 });
    expect(fixed.status).toBe(201);
    const dues = async (id: string) =>
      (await call(sb, "GET", `/loans/${id}/schedule`)).body.installments.map((i: { interest: { amount: { due: number } } }) => i.interest.amount.due);
    expect(await dues("IDX001")).toEqual(await dues("FIX001"));
    expect((await dues("IDX001"))[0]).toBeGreaterThan(0);
  });

  test("refused: the loan's own interestRate, a spread outside the product's, a source without a rate in force", async () => {
    const tiie = (await call(sb, "GET", "/indexratesources/TIIE")).body;
    const product = await indexedProduct("IDX-TIIE-2", tiie.encodedKey);
    expect(reason((await newLoan("IDX010", product, { interestRate: 12 })).body)).toBe("INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES");
    expect(reason((await newLoan("IDX011", product, { interestSpread: 12 })).body)).toBe("INVALID_INTEREST_SPREAD");
    const empty = await call(sb, "POST", "/indexratesources", { body: { id: "EMPTY", name: "No rates yet", type: "INTEREST_RATE" } });
    const later = await call(sb, "POST", "/indexratesources/EMPTY/indexrates", { body: { rate: 9, startDate: "2026-03-01T00:00:00+02:00" } });
    expect(later.status).toBe(201);
    const onEmpty = await indexedProduct("IDX-EMPTY", empty.body.encodedKey);
    const res = await newLoan("IDX012", onEmpty, { interestSpread: 2 });
    expect(res.status).toBe(400);
    expect(reason(res.body)).toBe("NO_INDEX_RATE_AVAILABLE");
    // a product naming the source keeps it from being deleted
    expect(reason((await call(sb, "DELETE", "/indexratesources/EMPTY")).body)).toBe("INDEX_RATE_SOURCE_IN_USE");
  });

  test("the product's floor keeps the rate from going below it", async () => {
    await call(sb, "POST", "/indexratesources", { body: { id: "LOWRATE", name: "Low", type: "INTEREST_RATE" } });
    await call(sb, "POST", "/indexratesources/LOWRATE/indexrates", { body: { rate: 0.5, startDate: "2026-01-01T00:00:00+02:00" } });
    const low = (await call(sb, "GET", "/indexratesources/LOWRATE")).body;
    const product = await indexedProduct("IDX-FLOOR", low.encodedKey, { interestRateFloorValue: 6 });
    const loan = await newLoan("IDX020", product, { interestSpread: 2 });
    expect(loan.status).toBe(201);
    expect(loan.body.interestSettings.interestRate).toBe(6);
  });
});

