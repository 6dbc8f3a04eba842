/**
 * The Services API's entities (`Services.*`) over a mocked tenant (nock): rates and amounts written and read with
 * every digit (more than a double holds), a token-paged list streamed with `for await` and guarded against a
 * server that loops, filter/order_by refused before any request, 409 as MambuError, durations "604800s" ↔ luxon
 * Duration, an idempotency key (v4 UUID) on every create, holds adjusted and card transactions reversed.
 */
import { Duration } from "luxon";
import nock from "nock";
import { Decimal, MambuCommError, MambuError, MambuTsError, Services } from "../../lib";
import { inspect } from "util";
import { capture, Captured, mambu, PASSWORD, startRecorder, testConnector } from "../helpers/mambu";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JSON_HEADERS = { "Content-Type": "application/json" };

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1:")); // the recorder (loopback) only
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const connector = (): ReturnType<typeof testConnector> => testConnector({ retries: 0 });

test("an exchange rate is sent and read with every digit (a JSON number longer than a double), with an idempotency key", async () => {
  const answers = [
    '{"code":"USD","name":"US dollar"}',
    '{"rate_id":"R1","from_currency":"USD","to_currency":"EUR","buy_rate":16.123456789012345678,"sell_rate":16.2000,"start_time":"2026-01-02T00:00:00Z"}',
  ];
  let n = 0;
  const rec = await startRecorder(() => [n === 0 ? 200 : 201, answers[n++], { "content-type": "application/json" }]);
  try {
    const usd = await Services.Currency.get("USD", { connector: rec.connector({ retries: 0 }) });
    const rate = await usd.createExchangeRate({ buyRate: new Decimal("16.123456789012345678"), sellRate: "16.2000", startTime: "2026-01-02T00:00:00Z" });
    const sent = rec.requests[1];
    expect(sent.url).toBe("/v1/currencies/USD/exchange_rate");
    expect(sent.body).toBe('{"buy_rate":16.123456789012345678,"sell_rate":16.2,"start_time":"2026-01-02T00:00:00Z"}');
    expect(String(sent.headers["idempotency-key"])).toMatch(UUID_V4);
    expect(rate.buyRate.toFixed()).toBe("16.123456789012345678");
    expect(rate.startTime.toUTC().toISO()).toBe("2026-01-02T00:00:00.000Z");
  } finally {
    await rec.close();
  }
});

test("an accounting rate is a decimal string both ways; a number is refused before any request", async () => {
  const seen: Captured = {};
  mambu().get("/v1/currencies/USD").reply(200, '{"code":"USD"}', JSON_HEADERS);
  mambu()
    .post("/v1/currencies/USD/accounting_rate")
    .reply(capture(seen, 201, '{"rate_id":"A1","from_currency":"USD","to_currency":"EUR","rate":"0.000000012345678901234567","start_time":"2026-01-01T00:00:00+02:00"}'));
  const usd = await Services.Currency.get("USD", { connector: connector() });
  const rate = await usd.createAccountingRate({ rate: new Decimal("1.2345678901234567e-8"), startTime: "2026-01-01T00:00:00+02:00" });
  expect(seen.body).toContain('"rate":"0.000000012345678901234567"');
  expect(rate.rate.toFixed()).toBe("0.000000012345678901234567");
  expect(rate.startTime.offset).toBe(120);
  await expect(usd.createAccountingRate({ rate: 0.1 as unknown as string, startTime: "2026-01-01T00:00:00Z" })).rejects.toThrow(MambuTsError);
});

test("a list follows next_page_token page by page (for await), bounded by page_size", async () => {
  const paths: string[] = [];
  const page = (items: string[], next?: string): string =>
    JSON.stringify({ sources: items.map((id) => ({ source_id: id, name: id, type: "InterestRate" })), total: 5, ...(next ? { next_page_token: next } : {}) });
  mambu().get("/v1/sources").query({ page_size: "2", order_by: "source_id" }).reply(function (uri) { paths.push(uri); return [200, page(["S1", "S2"], "t2"), JSON_HEADERS]; });
  mambu().get("/v1/sources").query({ page_size: "2", order_by: "source_id", page_token: "t2" }).reply(200, page(["S3", "S4"], "t3"), JSON_HEADERS);
  mambu().get("/v1/sources").query({ page_size: "2", order_by: "source_id", page_token: "t3" }).reply(200, page(["S5"]), JSON_HEADERS);
  const seen: string[] = [];
  const list = Services.IndexRateSource.list({ connector: connector(), pageSize: 2, orderBy: "source_id" });
  for await (const s of list) seen.push(s.sourceId);
  expect(seen).toEqual(["S1", "S2", "S3", "S4", "S5"]);
  expect(list.total).toBe(5);
  expect(paths).toHaveLength(1);
});

test("a server that hands back an earlier page token, or a page longer than asked, stops the list with a MambuCommError", async () => {
  const page = (next: string): string => JSON.stringify({ configs: [{ merchant_code: "default", duration: "604800s" }], next_page_token: next });
  mambu().get("/v1/holds").query({ page_size: "1" }).reply(200, page("a"), JSON_HEADERS);
  mambu().get("/v1/holds").query({ page_size: "1", page_token: "a" }).reply(200, page("a"), JSON_HEADERS);
  await expect(Services.HoldConfig.list({ connector: connector(), pageSize: 1 })).rejects.toThrow(MambuCommError);
  mambu().get("/v1/holds").query({ page_size: "1" }).reply(200, JSON.stringify({ configs: [{ merchant_code: "default", duration: "1s" }, { merchant_code: "5411", duration: "1s" }] }), JSON_HEADERS);
  await expect(Services.HoldConfig.list({ connector: connector(), pageSize: 1 })).rejects.toThrow(/more than the 1 asked for/);
});

test("filter and order_by outside the contract's grammar or the object's fields are refused before any request", () => {
  // nock has no interceptor: any request would fail the afterEach check or the call itself
  expect(() => Services.Currency.list({ connector: connector(), filter: 'secret = "x"' })).toThrow(/unknown field "secret"/);
  expect(() => Services.Currency.list({ connector: connector(), filter: 'code = "EUR" OR code = "USD"' })).toThrow(/expected AND/);
  expect(() => Services.IndexRateSource.list({ connector: connector(), orderBy: "name; drop" })).toThrow(MambuTsError);
  expect(() => Services.HoldConfig.list({ connector: connector(), pageSize: 5000 })).toThrow(/pageSize/);
  expect(() => Services.Currency.list({ connector: connector(), filter: 'code = "EUR" AND decimals >= 2', orderBy: "code desc, name" })).not.toThrow();
});

test("an existing identifier is a 409 MambuError with Mambu's reason", async () => {
  mambu().post("/v1/sources").reply(409, '{"errors":[{"errorCode":1,"errorReason":"INVALID_PARAMETERS","errorSource":"source_id"}]}', JSON_HEADERS);
  const err = await Services.IndexRateSource.create({ sourceId: "S1", name: "x", type: "TaxRate" }, { connector: connector() }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MambuError);
  expect((err as MambuError).status).toBe(409);
});

test("durations: the wire's seconds ↔ luxon Duration, fractions kept; months refused", async () => {
  expect(Services.parseServicesDuration("604800s").as("days")).toBe(7);
  expect(Services.parseServicesDuration("1.5s").as("milliseconds")).toBe(1500);
  expect(Services.formatServicesDuration(Duration.fromObject({ days: 7 }))).toBe("604800s");
  expect(Services.formatServicesDuration(Duration.fromObject({ seconds: 1, milliseconds: 250 }))).toBe("1.25s");
  expect(Services.formatServicesDuration("PT1H")).toBe("3600s");
  expect(Services.formatServicesDuration(Services.parseServicesDuration("86400s"))).toBe("86400s");
  expect(() => Services.formatServicesDuration(Duration.fromObject({ months: 1 }))).toThrow(MambuTsError);
  expect(() => Services.parseServicesDuration("7d")).toThrow(MambuCommError);
  const seen: Captured = {};
  mambu().put("/v1/holds").query({ merchant_code: "default" }).reply(capture(seen, 200, '{"merchant_code":"default","duration":"259200s"}'));
  mambu().get("/v1/holds/default").reply(200, '{"merchant_code":"default","duration":"604800s"}', JSON_HEADERS);
  const def = await Services.HoldConfig.default({ connector: connector() });
  const updated = await def.update({ duration: Duration.fromObject({ days: 3 }) });
  expect(JSON.parse(seen.body ?? "{}")).toEqual({ merchant_code: "default", duration: "259200s" });
  expect(updated.duration.as("days")).toBe(3);
});

test("a hold is adjusted by a signed change and a card transaction reversed, amounts exact, each create with its own key", async () => {
  const adj: Captured = {};
  const tx: Captured = {};
  const rev: Captured = {};
  const HOLD = (value: string): string => `{"hold_id":"H1","card_id":"C1","account_id":"A1","status":"HoldPending","amount":{"value":"${value}","currency":"EUR"}}`;
  mambu().get("/v1/cards/C1/holds/H1").reply(200, HOLD("100.00"), JSON_HEADERS);
  mambu().post("/v1/cards/C1/holds/H1:adjust").reply(capture(adj, 200, HOLD("97.49")));
  mambu().post("/v1/cards/C1/transactions").reply(capture(tx, 201, '{"transaction_id":"T1","card_id":"C1","amount":{"value":"97.49","currency":"EUR"},"authorization_id":"H1"}'));
  mambu().post("/v1/cards/C1/transactions/T1/reverse").reply(capture(rev, 200, '{"transaction_id":"T1","card_id":"C1","amount":{"value":"97.49","currency":"EUR"}}'));
  const card = Services.Card.get("C1", { connector: connector() });
  const hold = await card.holds.get("H1");
  const adjusted = await hold.adjust({ value: "-2.51", currency: "EUR" });
  expect(adjusted.amount.value.toFixed(2)).toBe("97.49");
  expect(JSON.parse(adj.body ?? "{}").change).toEqual({ value: "-2.51", currency: "EUR" });
  const t = await card.transactions.create({ transactionId: "T1", amount: { value: new Decimal("97.49"), currency: "EUR" }, authorizationId: "H1" });
  expect(JSON.parse(tx.body ?? "{}").transaction).toMatchObject({ transaction_id: "T1", amount: { value: "97.49", currency: "EUR" }, authorization_id: "H1" });
  await t.reverse({ value: "97.49", currency: "EUR" });
  expect(JSON.parse(rev.body ?? "{}")).toEqual({ amount: { value: "97.49", currency: "EUR" } });
  const keys = [adj, tx, rev].map((c) => String(c.headers?.["idempotency-key"]));
  for (const k of keys) expect(k).toMatch(UUID_V4);
  expect(new Set(keys).size).toBe(3);
});

test("entities show no credentials: a card prints and serialises as its reference token", () => {
  const card = Services.Card.get("C1", { connector: connector() });
  expect(JSON.stringify(card)).toBe('{"cardId":"C1"}');
  expect(inspect(card, { depth: 8 })).not.toContain(PASSWORD);
});
