/**
 * Currencies and index rate sources through the ORM against a mocked tenant: `MambuCurrency.of(code)` with its
 * accounting rates (list with from/to and pages, add with an exact rate and the tenant's offset) and
 * `MambuIndexRateSource` (list, get, create, delete, its index rates: list, add, delete). Each request is the
 * contract's operation with a body valid against its definition; answers come back typed (Decimal rates,
 * DateTime dates); bad input is refused before any request.
 */
import nock from "nock";
import { inspect } from "node:util";
import { DateTime } from "luxon";
import { Decimal, MambuAccountingRate, MambuCurrency, MambuIndexRate, MambuIndexRateSource, MambuTsError } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, contractTenant, startRecorder, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;

const { tenant, requests } = contractTenant();

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

/** The request was the contract's `METHOD template`, its body valid against the definition; returns the body. */
function expectOperation(seen: Captured, method: string, template: string): Bag | undefined {
  const match = findOperation(method, (seen.path as string).split("?")[0].replace(/^\/api/, ""));
  expect(match?.op.path).toBe(template);
  if (!match?.op.body) return undefined;
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match.resource, match.op.body, body)).toEqual([]);
  return body;
}

/** A response body, checked against the operation's response schema. */
function answer<T>(method: string, template: string, status: string, body: T): T {
  const match = findOperation(method, template);
  expect(validateAgainst(match!.resource, match!.op.responses[status]!, body)).toEqual([]);
  return body;
}

const RATE_1 = { encodedKey: "8a00000000000000000000000000ar01", fromCurrencyCode: "MXN", toCurrencyCode: "USD", rate: 17.05, startDate: "2025-10-17T10:00:00+02:00", endDate: "2025-12-16T10:00:00+02:00" };
const RATE_2 = { encodedKey: "8a00000000000000000000000000ar02", fromCurrencyCode: "MXN", toCurrencyCode: "USD", rate: 17.2, startDate: "2025-12-16T10:00:00+02:00" };
const SOURCE = { encodedKey: "8a00000000000000000000000000is01", name: "TIIE 28", type: "INTEREST_RATE", notes: "Banxico" };
const INDEX_RATE = { encodedKey: "8a00000000000000000000000000ir01", assignedIndexRateSourceKey: SOURCE.encodedKey, rate: 10.75, startDate: "2025-12-06T10:00:00+02:00", notes: "Banxico" };

function usd(): MambuCurrency {
  return MambuCurrency.of("USD", { connector: testConnector({ tenantoffset: "+02:00" }) });
}

describe("MambuCurrency", () => {
  test("of(): a handle on a code, no request; a bad code or option is refused", () => {
    const c = usd();
    expect(c.code).toBe("USD");
    expect(c.toJSON()).toEqual({ code: "USD" });
    expect(inspect(c)).toBe("MambuCurrency { code: 'USD' }");
    for (const bad of ["usd", "US", "USDX", "", 840]) expect(() => MambuCurrency.of(bad as string)).toThrow(MambuTsError);
    expect(() => MambuCurrency.of("USD", { conn: 1 } as never)).toThrow(/unknown option "conn"/);
    expect(requests).toEqual([]);
  });

  test("getAccountingRates: GET /currencies/{code}/accountingRates, paged, rates as Decimal and dates as DateTime", async () => {
    const seen: Captured = {};
    tenant()
      .get("/api/currencies/USD/accountingRates")
      .query({ from: "2025-10-01T00:00:00+02:00", to: "2026-01-15T00:00:00+02:00", offset: "0", limit: "50" })
      .reply(capture(seen, 200, answer("GET", "/currencies/{currencyCode}/accountingRates", "200", [RATE_1, RATE_2])));
    const rates = await usd().getAccountingRates({ from: "2025-10-01T00:00:00+02:00", to: DateTime.fromISO("2026-01-15T00:00:00+02:00", { setZone: true }) });
    expectOperation(seen, "GET", "/currencies/{currencyCode}/accountingRates");
    expect(rates).toHaveLength(2);
    expect(rates[0]).toBeInstanceOf(MambuAccountingRate);
    expect(Decimal.isDecimal(rates[1].rate)).toBe(true);
    expect(rates[1].rate?.toFixed(2)).toBe("17.20");
    expect(rates[0].endDate?.toISO()).toBe("2025-12-16T10:00:00.000+02:00");
    expect(rates[1].endDate).toBeUndefined();
  });

  test("getAccountingRates walks the pages: limit and offset as asked", async () => {
    tenant().get("/api/currencies/USD/accountingRates").query({ offset: "1", limit: "1" }).reply(200, [RATE_2]);
    const rates = await usd().getAccountingRates({ offset: 1, limit: 1 });
    expect(rates.map((r) => r.encodedKey)).toEqual([RATE_2.encodedKey]);
  });

  test("addAccountingRate: POST with the rate exactly as given (every digit on the wire) and the start in the tenant's offset", async () => {
    const made = { ...RATE_2, encodedKey: "8a00000000000000000000000000ar03", startDate: "2026-01-14T00:00:00+02:00" };
    const rec = await startRecorder(() => [201, '{"encodedKey":"8a00000000000000000000000000ar03","fromCurrencyCode":"MXN","toCurrencyCode":"USD","rate":17.123456789012345678,"startDate":"2026-01-14T00:00:00+02:00"}']);
    try {
      answer("POST", "/currencies/{currencyCode}/accountingRates", "201", made);
      const c = MambuCurrency.of("USD", { connector: rec.connector({ tenantoffset: "+02:00" }) });
      const r = await c.addAccountingRate("17.123456789012345678", { startDate: "2026-01-14T00:00:00", idempotencyKey: "0b3c1a4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e" });
      expect(rec.requests).toHaveLength(1);
      const sent = rec.requests[0];
      expect([sent.method, sent.url]).toEqual(["POST", "/api/currencies/USD/accountingRates"]);
      expect(sent.body).toBe('{"rate":17.123456789012345678,"startDate":"2026-01-14T00:00:00+02:00"}');
      expectOperation({ path: sent.url, body: sent.body }, "POST", "/currencies/{currencyCode}/accountingRates");
      expect(sent.headers["idempotency-key"]).toBe("0b3c1a4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
      expect(r).toBeInstanceOf(MambuAccountingRate);
      expect(r.rate?.equals(new Decimal("17.123456789012345678"))).toBe(true);
      expect(r.startDate?.toISO()).toBe("2026-01-14T00:00:00.000+02:00");
    } finally {
      await rec.close();
    }
  });

  test("addAccountingRate without a start date sends only the rate (Mambu takes now)", async () => {
    const seen: Captured = {};
    tenant().post("/api/currencies/USD/accountingRates").reply(capture(seen, 201, RATE_2));
    await usd().addAccountingRate(new Decimal("17.20"));
    expect(seen.body).toBe('{"rate":17.2}');
  });

  test("bad input is refused before any request", async () => {
    const c = usd();
    await expect(c.addAccountingRate("0")).rejects.toThrow(/rate must be positive/);
    await expect(c.addAccountingRate(new Decimal(-17))).rejects.toThrow(/rate must be positive/);
    await expect(c.addAccountingRate("seventeen")).rejects.toThrow(MambuTsError);
    await expect(c.addAccountingRate(Number.NaN)).rejects.toThrow(MambuTsError);
    await expect(c.addAccountingRate("17", { startDate: "not a date" })).rejects.toThrow(/startDate/);
    await expect(c.addAccountingRate("17", { valueDate: "2026-01-01" } as never)).rejects.toThrow(/unknown option "valueDate"/);
    expect(() => c.getAccountingRates({ from: "2026-02-01T00:00:00+02:00", to: "2026-01-01T00:00:00+02:00" })).toThrow(/is after/);
    expect(() => c.getAccountingRates({ limit: 0 })).toThrow(MambuTsError);
    expect(() => c.getAccountingRates({ branchId: "x" } as never)).toThrow(/unknown option "branchId"/);
    const naive = MambuCurrency.of("USD", { connector: testConnector() });
    await expect(naive.addAccountingRate("17", { startDate: "2026-01-14T00:00:00" })).rejects.toThrow(MambuTsError);
    expect(requests).toEqual([]);
  });
});

describe("MambuIndexRateSource", () => {
  const conn = () => testConnector({ tenantoffset: "+02:00" });

  test("getAll: one GET /indexratesources (no paging parameters: the operation has none)", async () => {
    const seen: Captured = {};
    tenant().get("/api/indexratesources").reply(capture(seen, 200, answer("GET", "/indexratesources", "200", [SOURCE])));
    const all = await MambuIndexRateSource.getAll({ connector: conn() });
    expect(seen.path).toBe("/api/indexratesources");
    expect(all).toHaveLength(1);
    expect(all[0]).toBeInstanceOf(MambuIndexRateSource);
    expect([all[0].name, all[0].type]).toEqual(["TIIE 28", "INTEREST_RATE"]);
    expect(() => MambuIndexRateSource.getAll({ sortBy: "name:ASC" } as never)).toThrow(/unknown option "sortBy"/);
  });

  test("getAll({ offset, limit, detailsLevel }): still one GET without paging parameters, cut on this side (what `mambu list indexratesources` sends)", async () => {
    const seen: Captured = {};
    const other = { ...SOURCE, encodedKey: "8a0000000000000000000000000e0002", name: "EURIBOR 3M" };
    tenant().get("/api/indexratesources").reply(capture(seen, 200, answer("GET", "/indexratesources", "200", [SOURCE, other])));
    const cut = await MambuIndexRateSource.getAll({ connector: conn(), offset: 1, limit: 1, detailsLevel: "FULL" } as never);
    expect(seen.path).toBe("/api/indexratesources");
    expect(cut.map((s) => s.name)).toEqual(["EURIBOR 3M"]);
  });

  test("get, getIndexRates, addIndexRate, deleteIndexRate, delete: the contract's operations by the source's key", async () => {
    const k = SOURCE.encodedKey;
    tenant().get("/api/indexratesources/TIIE").reply(200, answer("GET", "/indexratesources/{indexRateSourceId}", "200", SOURCE));
    const src = await MambuIndexRateSource.get("TIIE", { connector: conn() });
    expect(src.notes).toBe("Banxico");

    tenant().get(`/api/indexratesources/${k}/indexrates`).reply(200, answer("GET", "/indexratesources/{indexRateSourceId}/indexrates", "200", [INDEX_RATE]));
    const rates = await src.getIndexRates();
    expect(rates[0]).toBeInstanceOf(MambuIndexRate);
    expect(rates[0].rate?.toFixed(2)).toBe("10.75");
    expect(rates[0].startDate?.toISO()).toBe("2025-12-06T10:00:00.000+02:00");

    const seen: Captured = {};
    const made = { ...INDEX_RATE, encodedKey: "8a00000000000000000000000000ir02", rate: -0.125, startDate: "2026-02-01T00:00:00+02:00", notes: undefined };
    tenant().post(`/api/indexratesources/${k}/indexrates`).reply(capture(seen, 201, answer("POST", "/indexratesources/{indexRateSourceId}/indexrates", "201", made)));
    const r = await src.addIndexRate({ rate: "-0.125", startDate: DateTime.fromISO("2026-02-01T00:00:00+02:00", { setZone: true }) });
    expectOperation(seen, "POST", "/indexratesources/{indexRateSourceId}/indexrates");
    expect(seen.body).toBe('{"rate":-0.125,"startDate":"2026-02-01T00:00:00+02:00"}');
    expect(r.rate?.toFixed(3)).toBe("-0.125");

    const del: Captured = {};
    tenant().delete(`/api/indexratesources/${k}/indexrates/${r.encodedKey}`).reply(capture(del, 204));
    await src.deleteIndexRate(r);
    expectOperation(del, "DELETE", "/indexratesources/{indexRateSourceId}/indexrates/{indexRateId}");
    tenant().delete(`/api/indexratesources/${k}/indexrates/${INDEX_RATE.encodedKey}`).reply(204);
    await src.deleteIndexRate(INDEX_RATE.encodedKey);

    const gone: Captured = {};
    tenant().delete(`/api/indexratesources/${k}`).reply(capture(gone, 204));
    await src.delete();
    expectOperation(gone, "DELETE", "/indexratesources/{indexRateSourceId}");
  });

  test("create: POST /indexratesources with the source's fields, Mambu's answer taken", async () => {
    const seen: Captured = {};
    tenant().post("/api/indexratesources").reply(capture(seen, 201, answer("POST", "/indexratesources", "201", SOURCE)));
    const src = await new MambuIndexRateSource({ name: "TIIE 28", type: "INTEREST_RATE", notes: "Banxico" }).create({ connector: conn() });
    expect(expectOperation(seen, "POST", "/indexratesources")).toEqual({ name: "TIIE 28", type: "INTEREST_RATE", notes: "Banxico" });
    expect(src.encodedKey).toBe(SOURCE.encodedKey);
  });

  test("bad input is refused before any request", async () => {
    await expect(new MambuIndexRateSource({ type: "TAX_RATE" }).create({ connector: conn() })).rejects.toThrow(/name is required/);
    await expect(new MambuIndexRateSource({ name: "IVA", type: "VAT" as never }).create({ connector: conn() })).rejects.toThrow(/type must be one of/);
    await expect(new MambuIndexRateSource({ name: "IVA" }).create({ connector: conn() })).rejects.toThrow(/type must be one of/);
    const unsaved = new MambuIndexRateSource({ name: "IVA", type: "TAX_RATE" });
    await expect(unsaved.getIndexRates()).rejects.toThrow(/create\(\) it first/);
    await expect(unsaved.addIndexRate({ rate: "16", startDate: "2026-01-01T00:00:00+02:00" })).rejects.toThrow(/create\(\) it first/);
    const src = MambuIndexRateSource.fromWire({ ...SOURCE }, conn());
    await expect(src.addIndexRate({ startDate: "2026-01-01T00:00:00+02:00" } as never)).rejects.toThrow(/rate is required/);
    await expect(src.addIndexRate({ rate: "16" } as never)).rejects.toThrow(/startDate is required/);
    await expect(src.addIndexRate({ rate: "sixteen", startDate: "2026-01-01T00:00:00+02:00" })).rejects.toThrow(MambuTsError);
    await expect(src.addIndexRate({ rate: "16", startDate: "2026-13-01T00:00:00+02:00" })).rejects.toThrow(/startDate/);
    await expect(src.addIndexRate({ rate: "16", startDate: "2026-01-01T00:00:00+02:00", notes: 5 } as never)).rejects.toThrow(/notes must be a string/);
    await expect(src.deleteIndexRate({} as never)).rejects.toThrow(MambuTsError);
    await expect(src.update()).rejects.toThrow(/cannot be updated/);
    await expect(src.patch()).rejects.toThrow(/cannot be patched/);
    expect(() => MambuIndexRateSource.get("")).toThrow(MambuTsError);
    expect(requests).toEqual([]);
  });
});
