/**
 * The README's Services API example, statement for statement, against a fresh default sandbox (as the doc-test
 * runs it), and the answer check choosing its contract by the path's prefix.
 */
import { Decimal, MambuConnector, MambuError, services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { responseProblems } from "../../lib/sandbox/response-check";
import { demoConnector } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: MambuConnector;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-11-22T04:53:07" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  await sb.stop();
});

test("the README example: a rate's digits kept, end_time chained, a filtered and ordered page, 409 on a taken id", async () => {
  const o = { connector };
  await services.currencies.createCurrency({}, { code: "USD", name: "US dollar", decimals: 2 }, o);
  const rate = await services.currencies.createAccountingRate({ code: "USD" }, { rate: new Decimal("1.23456789"), start_time: "2026-01-01T00:00:00Z" }, o);
  expect([rate.rate, rate.from_currency, rate.to_currency]).toEqual(["1.23456789", "MXN", "USD"]);
  await services.currencies.createAccountingRate({ code: "USD" }, { rate: "1.25", start_time: "2026-02-01T00:00:00Z" }, o);
  const first = await services.currencies.getAccountingRate({ code: "USD", rate_id: rate.rate_id }, o);
  expect(first.end_time).toBe("2026-02-01T00:00:00Z");
  await services.rates.createIndexRateSource({}, { source_id: "EURIBOR3M", name: "Euribor 3 months", type: "InterestRate" }, o);
  await services.rates.createIndexRateSource({}, { source_id: "VAT", name: "VAT", type: "TaxRate" }, o);
  const page = await services.rates.listIndexRateSources({ filter: 'type = "InterestRate"', order_by: "name desc", page_size: 10 }, o);
  expect([page.total, page.sources.map((s) => s.source_id)]).toEqual([1, ["EURIBOR3M"]]);
  const again = services.rates.createIndexRateSource({}, { source_id: "VAT", name: "again", type: "TaxRate" }, o);
  await expect(again).rejects.toThrow(MambuError);
  await expect(again).rejects.toThrow("index rate source VAT already exists");
});

test("the answer check takes the Services contract for /v1 paths (API v2's is another contract)", () => {
  const bad = { currencies: [{ name: "US dollar" }] }; // no code
  expect(responseProblems("GET", "/currencies", 200, bad, "services").join()).toMatch(/code/);
  expect(responseProblems("GET", "/currencies", 200, { currencies: [{ code: "USD" }], total: 1 }, "services")).toEqual([]);
  // The same path in API v2's contract is another operation: its check does not see this body's missing code.
  expect(responseProblems("GET", "/currencies", 200, bad)).toEqual([]);
});
