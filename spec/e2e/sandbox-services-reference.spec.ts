/**
 * The sandbox's Services API (`/v1`), reference-data half: currencies with their accounting and exchange rates,
 * index rate sources with their index rates, called through the ORM's `services.*` against one sandbox (answers
 * checked against the Services contract: jest.config.js sets MAMBU_SANDBOX_CHECK_RESPONSES=1).
 */
import { Decimal, services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf, statusOf } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  await sb.stop();
});


describe("currencies", () => {
  test("create, read, replace, delete; the code is the caller's: a second create is 409, an unknown one 404", async () => {
    const created = await services.currencies.createCurrency({}, { code: "CHF", name: "Swiss franc", symbol: "Fr", decimals: 2 }, { connector });
    expect(created).toEqual({ code: "CHF", name: "Swiss franc", symbol: "Fr", decimals: 2 });
    expect(await statusOf(services.currencies.createCurrency({}, { code: "CHF", name: "again" }, { connector }))).toBe(409);
    await expect(services.currencies.getCurrency({ code: "CHF" }, { connector })).resolves.toEqual(created);
    const replaced = await services.currencies.updateCurrency({ code: "CHF" }, { code: "CHF", name: "Franc", decimals: 2 }, { connector });
    expect(replaced).toEqual({ code: "CHF", name: "Franc", decimals: 2 });
    await services.currencies.deleteCurrency({ code: "CHF" }, { connector });
    expect(await statusOf(services.currencies.getCurrency({ code: "CHF" }, { connector }))).toBe(404);
    expect(await reasonOf(services.currencies.getCurrency({ code: "CHF" }, { connector }))).toBe("CURRENCY_DOES_NOT_EXIST");
  });

  test("a body whose code differs from the path's is refused (400)", async () => {
    await services.currencies.createCurrency({}, { code: "SEK", name: "Swedish krona" }, { connector });
    expect(await statusOf(services.currencies.updateCurrency({ code: "SEK" }, { code: "NOK", name: "x" }, { connector }))).toBe(400);
    await expect(services.currencies.getCurrency({ code: "SEK" }, { connector })).resolves.toEqual({ code: "SEK", name: "Swedish krona" });
  });

  test("pages to the end with page_token; total and remaining count the matches", async () => {
    const codes = ["AAA", "AAB", "AAC", "AAD", "AAE", "AAF", "AAG"];
    for (const code of codes) await services.currencies.createCurrency({}, { code, name: `n${code}`, decimals: codes.indexOf(code) % 3 }, { connector });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await services.currencies.listCurrencies({ page_size: 3, filter: 'code >= "AAA" AND code <= "AAG"', ...(token ? { page_token: token } : {}) }, { connector });
      expect(page.total).toBe(7);
      expect(page.remaining).toBe(7 - seen.length);
      seen.push(...page.currencies.map((c) => c.code));
      token = page.next_page_token || undefined;
      pages++;
    } while (token && pages < 10);
    expect(seen).toEqual(codes);
    expect(pages).toBe(3);
  });

  test("filter and order_by; an unknown field or bad syntax is 400", async () => {
    const page = await services.currencies.listCurrencies({ filter: 'decimals = 1 AND code >= "AAA"', order_by: "code desc" }, { connector });
    expect(page.currencies.map((c) => c.code)).toEqual(["AAE", "AAB"]);
    expect(await reasonOf(services.currencies.listCurrencies({ filter: "colour = 1" }, { connector }))).toBe("INVALID_PARAMETERS");
    expect(await statusOf(services.currencies.listCurrencies({ filter: "code == AAA" }, { connector }))).toBe(400);
    expect(await statusOf(services.currencies.listCurrencies({ order_by: "colour" }, { connector }))).toBe(400);
    expect(await statusOf(services.currencies.listCurrencies({ page_token: "not-ours" }, { connector }))).toBe(400);
  });
});

describe("accounting and exchange rates", () => {
  beforeAll(async () => {
    await services.currencies.createCurrency({}, { code: "USD", name: "US dollar", decimals: 2 }, { connector });
  });

  test("every digit of a rate is kept; a later rate ends the earlier one (end_time set by the server)", async () => {
    const first = await services.currencies.createAccountingRate({ code: "USD" }, { rate: "1.23456789", start_time: "2026-01-01T00:00:00+02:00" }, { connector });
    expect(first).toMatchObject({ rate: "1.23456789", to_currency: "USD", start_time: "2025-12-31T22:00:00Z" });
    expect(first.end_time).toBeUndefined();
    const second = await services.currencies.createAccountingRate({ code: "USD" }, { rate: new Decimal("1.234567890123456789"), start_time: "2026-01-10T00:00:00Z" }, { connector });
    expect(second.rate).toBe("1.234567890123456789");
    const again = await services.currencies.getAccountingRate({ code: "USD", rate_id: first.rate_id }, { connector });
    expect(again.end_time).toBe("2026-01-10T00:00:00Z");
    const list = await services.currencies.listAccountingRates({ code: "USD", order_by: "start_time desc" }, { connector });
    expect(list.rates.map((r) => r.rate)).toEqual(["1.234567890123456789", "1.23456789"]);
    expect(await statusOf(services.currencies.getAccountingRate({ code: "USD", rate_id: "nope" }, { connector }))).toBe(404);
    expect(await statusOf(services.currencies.listAccountingRates({ code: "XXX" }, { connector }))).toBe(404);
  });

  test("exchange rates: buy and sell kept exactly, a filter on the rate, zero refused", async () => {
    await services.currencies.createExchangeRate({ code: "USD" }, { buy_rate: new Decimal("1.23456789"), sell_rate: new Decimal("1.3"), start_time: "2026-01-01T00:00:00Z" }, { connector });
    await services.currencies.createExchangeRate({ code: "USD" }, { buy_rate: new Decimal("1.1"), sell_rate: new Decimal("1.2"), start_time: "2026-01-05T00:00:00Z" }, { connector });
    const page = await services.currencies.listExchangeRates({ code: "USD", filter: "buy_rate > 1.2" }, { connector });
    expect(page.rates).toHaveLength(1);
    expect(String(page.rates[0].buy_rate)).toBe("1.23456789");
    expect(page.rates[0].end_time).toBe("2026-01-05T00:00:00Z");
    expect(await reasonOf(services.currencies.createExchangeRate({ code: "USD" }, { buy_rate: 0, sell_rate: 1, start_time: "2026-02-01T00:00:00Z" }, { connector }))).toBe("INVALID_AMOUNT");
  });
});

describe("index rate sources and their rates", () => {
  test("a source and its rates: 409 on a taken source_id, the rate's digits kept, the user recorded, deleted with the source", async () => {
    const src = await services.rates.createIndexRateSource({}, { source_id: "EURIBOR3M", name: "Euribor 3M", type: "InterestRate" }, { connector });
    expect(src).toEqual({ source_id: "EURIBOR3M", name: "Euribor 3M", type: "InterestRate" });
    expect(await statusOf(services.rates.createIndexRateSource({}, { source_id: "EURIBOR3M", name: "x", type: "TaxRate" }, { connector }))).toBe(409);
    await services.rates.createIndexRateSource({}, { source_id: "VAT", name: "VAT", type: "TaxRate" }, { connector });
    const only = await services.rates.listIndexRateSources({ filter: 'type = "TaxRate"' }, { connector });
    expect(only.sources.map((s) => s.source_id)).toEqual(["VAT"]);

    const rate = await services.rates.createIndexRate({ source_id: "EURIBOR3M" }, { rate: new Decimal("1.23456789"), notes: "fixing", start_time: "2026-01-02T11:00:00Z" }, { connector });
    expect(String(rate.rate)).toBe("1.23456789");
    expect(rate).toMatchObject({ source_id: "EURIBOR3M", user_id: "demo", notes: "fixing" });
    const updated = await services.rates.updateIndexRate({ source_id: "EURIBOR3M", rate_id: rate.rate_id }, { rate: new Decimal("-0.5"), start_time: "2026-01-02T11:00:00Z" }, { connector });
    expect(String(updated.rate)).toBe("-0.5");
    expect(updated.notes).toBeUndefined();
    await expect(services.rates.listIndexRates({ source_id: "EURIBOR3M" }, { connector })).resolves.toMatchObject({ total: 1, remaining: 1 });
    await services.rates.deleteIndexRate({ source_id: "EURIBOR3M", rate_id: rate.rate_id }, { connector });
    expect(await statusOf(services.rates.getIndexRate({ source_id: "EURIBOR3M", rate_id: rate.rate_id }, { connector }))).toBe(404);

    await services.rates.createIndexRate({ source_id: "EURIBOR3M" }, { rate: 2, start_time: "2026-01-03T00:00:00Z" }, { connector });
    await services.rates.deleteIndexRateSource({ source_id: "EURIBOR3M" }, { connector });
    expect(await reasonOf(services.rates.listIndexRates({ source_id: "EURIBOR3M" }, { connector }))).toBe("INVALID_INDEX_RATE_SOURCE_ID");
    await services.rates.createIndexRateSource({}, { source_id: "EURIBOR3M", name: "Euribor 3M", type: "InterestRate" }, { connector });
    await expect(services.rates.listIndexRates({ source_id: "EURIBOR3M" }, { connector })).resolves.toMatchObject({ total: 0, rates: [] });
  });
});

describe("the /v1 pipeline", () => {
  const raw = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${sb.url}${path}`, { headers: { Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`, ...headers } });

  test("an unknown path is 404 in the v2 error body; no credentials is 401; answers are application/json", async () => {
    const res = await raw("/v1/nothing");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ errorCode: 3, errorReason: "INVALID_API_OPERATION", errorSource: "GET /v1/nothing" }] });
    const anon = await fetch(`${sb.url}/v1/currencies`);
    expect(anon.status).toBe(401);
    const ok = await raw("/v1/currencies", { Accept: "application/json" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await raw("/v1/currencies", { Accept: "application/vnd.mambu.v2+json" })).status).toBe(400);
  });

  test("an idempotency key replays the first answer instead of creating twice", async () => {
    const key = "6f1c1f0e-9a3b-4c2d-8e5f-0a1b2c3d4e5f";
    const post = (): Promise<Response> =>
      fetch(`${sb.url}/v1/currencies`, {
        method: "POST",
        headers: { Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`, "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify({ code: "IDM", name: "once" }),
      });
    const a = await post();
    const b = await post();
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await b.json()).toEqual({ code: "IDM", name: "once" });
  });
});
