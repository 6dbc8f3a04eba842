/**
 * The Services API through the one request path: `services.<resource>.<operationId>` (lib/core/services.ts) and
 * `callOperation(..., { api: "services" })` send the operations of lib/generated/services (generated from
 * lib/contract/openapi/services-v1.json) under `/v1` instead of `/api`, through the same connector (Basic auth,
 * retries, idempotency keys, exact JSON, typed errors), checked against the contract before anything is sent.
 * The connector's per-request `basePath` is what puts them there; API v2 requests keep `/api`.
 */
import DecimalJs from "decimal.js";
import nock from "nock";
import { api, callOperation, Decimal, MambuError, MambuTsError, RawNumber, services } from "../../lib";
import { SERVICES, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, HOST, mambu, PASSWORD, startRecorder, testConnector } from "../helpers/mambu";

const BASIC = `Basic ${Buffer.from(`api.user:${PASSWORD}`).toString("base64")}`;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1:")); // the recorder (loopback) only
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const BALANCE = '{"account_id":"A1","available":{"value":"12345678901234567.123456789","currency":"EUR"},"total":{"value":"0.10","currency":"EUR"}}';

describe("services.cards.getCardBalance", () => {
  test("goes to /v1/cards/C1/balance with Basic auth and Accept: application/json", async () => {
    const seen: Captured = {};
    mambu().get("/v1/cards/C%2F1/balance").reply(capture(seen, 200, BALANCE));
    await services.cards.getCardBalance({ card_id: "C/1" }, { connector: testConnector() });
    expect(seen.path).toBe("/v1/cards/C%2F1/balance");
    expect(seen.headers?.authorization).toBe(BASIC);
    expect(seen.headers?.accept).toBe("application/json");
  });

  test("an amount in the answer keeps its digits (a decimal string stays the same string)", async () => {
    mambu().get("/v1/cards/C1/balance").reply(200, BALANCE, { "Content-Type": "application/json" });
    const balance = await services.cards.getCardBalance({ card_id: "C1" }, { connector: testConnector() });
    expect(balance.available.value).toBe("12345678901234567.123456789");
    expect(balance.total.value).toBe("0.10");
    expect(new Decimal(balance.available.value as string).toFixed(9)).toBe("12345678901234567.123456789");
  });

  test("an unknown query key is refused before sending (nothing reaches the tenant)", async () => {
    const call = (services.cards.getCardBalance as (p: object, o: object) => Promise<unknown>)({ card_id: "C1", detailsLevel: "FULL" }, { connector: testConnector() });
    await expect(call).rejects.toThrow(new MambuTsError('services.cards.getCardBalance: unknown query parameter "detailsLevel"; it takes none'));
  });

  test("retries a 503 at the same /v1 URL, and answers an error as a typed MambuError", async () => {
    mambu().get("/v1/cards/C1/balance").reply(503, "busy").get("/v1/cards/C1/balance").reply(200, BALANCE);
    await expect(services.cards.getCardBalance({ card_id: "C1" }, { connector: testConnector() })).resolves.toMatchObject({ account_id: "A1" });
    mambu().get("/v1/cards/NOPE/balance").reply(404, { errors: [{ errorCode: 404, errorReason: "CARD_NOT_FOUND", errorSource: "card_id" }] });
    const err = await services.cards.getCardBalance({ card_id: "NOPE" }, { connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).status).toBe(404);
  });
});

describe("checks before sending", () => {
  test("query values are typed as the contract says (page_size is an integer)", async () => {
    await expect(callOperation("currencies", "listCurrencies", { api: "services", query: { page_size: "ten" }, connector: testConnector() })).rejects.toThrow(
      'services.currencies.listCurrencies page_size: expected an integer, got "ten"',
    );
    const seen: Captured = {};
    mambu().get("/v1/currencies").query({ page_size: "2" }).reply(capture(seen, 200, { currencies: [] }));
    await services.currencies.listCurrencies({ page_size: 2 }, { connector: testConnector() });
    expect(seen.path).toBe("/v1/currencies?page_size=2");
  });

  test("a missing path parameter and a required query parameter are refused", async () => {
    await expect(callOperation("cards", "getCardBalance", { api: "services", connector: testConnector() })).rejects.toThrow(
      'services.cards.getCardBalance: path parameter "card_id" is required (GET /cards/{card_id}/balance)',
    );
    const hold = { merchant_code: "5411", duration: "604800s" };
    await expect(callOperation("holdConfigs", "updateHoldConfig", { api: "services", body: hold, connector: testConnector() })).rejects.toThrow(
      'services.holdConfigs.updateHoldConfig: query parameter "merchant_code" is required',
    );
  });

  test("a body is checked against its schema, every problem listed", async () => {
    const call = callOperation("cards", "createAuthorizationHold", {
      api: "services",
      path: { card_id: "C1" },
      body: { hold_id: "H1", amount: { value: 12.5, currency: "EUR" }, colour: "red" },
      connector: testConnector(),
    });
    await expect(call).rejects.toThrow(MambuTsError);
    await expect(call).rejects.toThrow(/body\.amount\.value: expected decimal as a string of digits \(e\.g\. "12\.50"\), got number 12\.5/);
    await expect(call).rejects.toThrow(/body\.colour: unknown field \(not in Hold\)/);
  });

  test("Services and v2 resources of the same name stay apart", async () => {
    await expect(callOperation("cards", "getCardBalance", { connector: testConnector() })).rejects.toThrow('cards has no operation "getCardBalance"');
    await expect(callOperation("cards", "getAccountBalances", { api: "services", path: { card_id: "C1" }, connector: testConnector() })).rejects.toThrow(
      'services.cards has no operation "getAccountBalances"',
    );
    expect(Object.keys(api.cards)).not.toContain("getCardBalance");
    expect(Object.keys(services.cards)).toContain("getCardBalance");
  });
});

describe("writes", () => {
  test("a hold: readOnly fields left out, amount written as an exact string, a double exactly, a v4 idempotency key", async () => {
    const answer = '{"hold_id":"H1","card_id":"C1","account_id":"A1","status":"HoldPending","amount":{"value":"1234567890.123456789","currency":"EUR"},"exchange_rate":1.10000000000000000001}';
    const rec = await startRecorder(() => [201, answer, { "content-type": "application/json" }]);
    try {
      const hold = await services.cards.createAuthorizationHold(
        { card_id: "C1" },
        { hold_id: "H1", amount: { value: new Decimal("1234567890.123456789"), currency: "EUR" }, exchange_rate: new RawNumber("1.10000000000000000001") },
        { connector: rec.connector() },
      );
      const [sent] = rec.requests;
      expect(`${sent.method} ${sent.url}`).toBe("POST /v1/cards/C1/holds");
      expect(sent.body).toBe('{"hold_id":"H1","amount":{"value":"1234567890.123456789","currency":"EUR"},"exchange_rate":1.10000000000000000001}');
      expect(sent.headers["content-type"]).toMatch(/^application\/json/);
      expect(String(sent.headers["idempotency-key"])).toMatch(UUID_V4);
      expect(hold.amount.value).toBe("1234567890.123456789");
      expect(hold.exchange_rate).toEqual(new RawNumber("1.10000000000000000001"));
    } finally {
      await rec.close();
    }
  });

  test("the caller's idempotency key is sent as given", async () => {
    const seen: Captured = {};
    const key = "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
    mambu().post("/v1/currencies").reply(capture(seen, 201, { code: "XTS", symbol: "¤", decimals: 2 }));
    await services.currencies.createCurrency({}, { code: "XTS", symbol: "¤", decimals: 2 }, { connector: testConnector(), idempotencyKey: key });
    expect(seen.headers?.["idempotency-key"]).toBe(key);
  });
});

describe("contract (runtime)", () => {
  test("SERVICES carries the base path and media type; readOnly required fields are required in answers only", () => {
    expect(SERVICES.basePath).toBe("/v1");
    expect(SERVICES.mediaType).toBe("application/json");
    const hold = { type: "object" as const, ref: "Hold" };
    const sent = { hold_id: "H1", amount: { value: "1.00", currency: "EUR" } };
    expect(validateAgainst("cards", hold, sent, { api: "services", request: true })).toEqual([]);
    expect(validateAgainst("cards", hold, sent, { api: "services" })).toEqual([
      "body.card_id: required field is missing",
      "body.account_id: required field is missing",
      "body.status: required field is missing",
    ]);
  });
});

test("the tenant host is the one configured", () => {
  expect(HOST).toBe("https://tenant.mambu.test");
});

describe("MambuConnector basePath (per request)", () => {
  test("puts the request under the given base path instead of /api; without it, /api as before", async () => {
    mambu().get("/v1/currencies").reply(200, "{}").get("/api/currencies").reply(200, "[]");
    const c = testConnector();
    await c.request({ method: "GET", path: "/currencies", basePath: "/v1" });
    await c.request({ method: "GET", path: "/currencies" });
  });

  test("keeps a path prefix of apiurl (https://host/prefix/api -> https://host/prefix/v1)", async () => {
    nock("https://proxy.example.test").get("/mambu/v1/currencies").reply(200, "{}");
    await testConnector({ apiurl: "https://proxy.example.test/mambu" }).request({ method: "GET", path: "/currencies", basePath: "/v1" });
  });

  test.each(["v1", "/v1/", "/v1/../admin", "/", "//evil.test", "/v1?x=1", "/v 1"])("refuses basePath %j before sending", async (basePath) => {
    await expect(testConnector().request({ method: "GET", path: "/currencies", basePath })).rejects.toThrow(
      new MambuTsError(`basePath must be one or more plain path segments such as "/v1", got ${JSON.stringify(basePath)}`),
    );
  });
});

describe("coverage of the Services contract", () => {
  test("every operation of lib/generated/services has its services.<resource>.<operationId>, with its method and path", () => {
    const listed: string[] = [];
    for (const [r, res] of Object.entries(SERVICES.resources)) {
      for (const op of res.operations) {
        const fn = (services as unknown as Record<string, Record<string, { descriptor: { method: string; path: string } }>>)[r]?.[op.operationId!];
        listed.push(`${r}.${op.operationId} ${fn?.descriptor.method} ${fn?.descriptor.path}`);
        expect(`${r}.${op.operationId} ${fn?.descriptor.method} ${fn?.descriptor.path}`).toBe(`${r}.${op.operationId} ${op.method} ${op.path}`);
      }
    }
    expect(listed).toHaveLength(34);
    expect(Object.keys(services).sort()).toEqual(["cards", "currencies", "holdConfigs", "rates"]);
  });

  test("no field of the Services contract is a credential (the caller's Secret handling covers API v2's only)", () => {
    const secrets: string[] = [];
    const visit = (spec: { secret?: true; items?: unknown; fields?: Record<string, unknown> } | null | undefined, where: string): void => {
      if (!spec) return;
      if (spec.secret) secrets.push(where);
      if (spec.items) visit(spec.items as typeof spec, `${where}[]`);
      for (const [k, v] of Object.entries(spec.fields ?? {})) visit(v as typeof spec, `${where}.${k}`);
    };
    for (const [r, res] of Object.entries(SERVICES.resources)) {
      for (const [dn, d] of Object.entries(res.definitions)) for (const [k, f] of Object.entries(d.fields)) visit(f, `${r}#${dn}.${k}`);
    }
    expect(secrets).toEqual([]);
  });
});

test("parameters and bodies are typed from the Services contract (checked by tsc on the spec config)", () => {
  const typeChecks = async (): Promise<void> => {
    // @ts-expect-error card_id is required
    await services.cards.getCardBalance({});
    // @ts-expect-error an unknown query key does not compile
    await services.currencies.listCurrencies({ pageSize: 2 });
    // @ts-expect-error the hold's amount is required
    await services.cards.createAuthorizationHold({ card_id: "C1" }, { hold_id: "H1" });
    const b = await services.cards.getCardBalance({ card_id: "C1" });
    const currency: string = b.available.currency;
    void currency;
  };
  expect(typeof typeChecks).toBe("function");
});

test("a Decimal is sent in plain notation (a rate of 0.00000012 is not written 1.2e-7, even by decimal.js's own Decimal), every digit kept", async () => {
  const rec = await startRecorder(() => [201, '{"rate_id":"R1","rate":"0.00000012","from_currency":"EUR","to_currency":"XTS","start_time":"2026-01-01T00:00:00Z"}', { "content-type": "application/json" }]);
  try {
    const rate = await services.currencies.createAccountingRate(
      { code: "XTS" },
      { rate: new DecimalJs("0.00000012"), start_time: "2026-01-01T00:00:00Z" },
      { connector: rec.connector() },
    );
    expect(rec.requests[0].url).toBe("/v1/currencies/XTS/accounting_rate");
    expect(rec.requests[0].body).toBe('{"rate":"0.00000012","start_time":"2026-01-01T00:00:00Z"}');
    expect(rate.rate).toBe("0.00000012");
  } finally {
    await rec.close();
  }
});

test("a Decimal in a field the contract types as a number is sent as that JSON number, exact and in plain notation; a decimal string stays a string", async () => {
  const rec = await startRecorder(() => [
    201,
    '{"rate_id":"X1","buy_rate":16.123456789012345678,"sell_rate":0.00000012,"from_currency":"MXN","to_currency":"USD","start_time":"2026-01-01T00:00:00Z"}',
    { "content-type": "application/json" },
  ]);
  try {
    await services.currencies.createExchangeRate(
      { code: "USD" },
      { buy_rate: new Decimal("16.123456789012345678"), sell_rate: new DecimalJs("1.2e-7"), start_time: "2026-01-01T00:00:00Z" },
      { connector: rec.connector() },
    );
    // numbers, not strings (the contract types buy_rate and sell_rate as numbers), with every digit: no double in between
    expect(rec.requests[0].body).toBe('{"buy_rate":16.123456789012345678,"sell_rate":0.00000012,"start_time":"2026-01-01T00:00:00Z"}');
  } finally {
    await rec.close();
  }
});
