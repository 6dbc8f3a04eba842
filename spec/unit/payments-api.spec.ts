/**
 * The Payments API through the one request path: `payments.<resource>.<operationId>` (lib/core/payments.ts) and
 * `callOperation(..., { api: "payments" })` send the operations of lib/generated/payments (generated from
 * lib/contract/openapi/payments-v1.json) under `/api/v1` through the same connector, authenticated by the `apikey`
 * header only (a connector with user and password only is refused before sending), with a v4 `Idempotency-Key` on
 * every POST kept on each retry; the incoming ISO 20022 message goes as application/xml text.
 */
import nock from "nock";
import { callOperation, MambuTsError, payments } from "../../lib";
import { PAYMENTS, validateAgainst } from "../../lib/contract/schema";
import { OPERATIONS } from "../../lib/generated/payments/operations";
import { capture, Captured, mambu, testConnector } from "../helpers/mambu";

const KEY = "pay-K3y-S3cr3t";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const keyed = () => testConnector({ apikey: KEY });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const STANDING_ORDER = '{"id":"SO1","status":"ACTIVE","suspendDateFrom":null}';

describe("payments.<resource>.<operationId>", () => {
  test("goes to /api/v1/... with the apikey header (no Basic auth) and Accept: application/json", async () => {
    const seen: Captured = {};
    mambu().get("/api/v1/payments/standing-orders/SO%2F1").reply(capture(seen, 200, STANDING_ORDER));
    const so = await payments.standingOrders.getStandingOrderDetails({ id: "SO/1" }, { connector: keyed() });
    expect(seen.path).toBe("/api/v1/payments/standing-orders/SO%2F1");
    expect(seen.headers?.apikey).toBe(KEY);
    expect(seen.headers?.authorization).toBeUndefined();
    expect(seen.headers?.accept).toBe("application/json");
    expect(so).toMatchObject({ id: "SO1", suspendDateFrom: null });
  });

  test("a connector with user and password only is refused before sending: the Payments API needs an apikey", async () => {
    // No mock: anything sent would fail with nock's "no match" instead of this error.
    const call = payments.standingOrders.getStandingOrderDetails({ id: "SO1" }, { connector: testConnector() });
    await expect(call).rejects.toThrow(MambuTsError);
    await expect(payments.standingOrders.getStandingOrderDetails({ id: "SO1" }, { connector: testConnector() })).rejects.toThrow(/the Payments API needs an apikey/);
    // Through callOperation too; the message never shows the password.
    const err = await callOperation("standingOrders", "getStandingOrderDetails", { api: "payments", path: { id: "SO1" }, connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(String((err as Error).message)).not.toContain("pw-S3cr3t!");
  });

  test("every POST carries a v4 Idempotency-Key, the same on a retry after a 503", async () => {
    const keys: string[] = [];
    const record = (status: number, body: string) =>
      function (this: nock.ReplyFnContext): nock.ReplyFnResult {
        keys.push(String(this.req.headers["idempotency-key"]));
        return [status, body, { "Content-Type": "application/json" }];
      };
    mambu()
      .post("/api/v1/payments/standing-orders:suspend")
      .reply(record(503, ""))
      .post("/api/v1/payments/standing-orders:suspend")
      .reply(record(200, ""));
    await payments.standingOrders.suspendStandingOrder({}, { id: "SO1", endDate: "2026-12-31" }, { connector: keyed() });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(UUID_V4);
    expect(keys[1]).toBe(keys[0]);
    mambu().post("/api/v1/payments/standing-orders:suspend").reply(record(200, ""));
    await payments.standingOrders.suspendStandingOrder({}, { id: "SO1", endDate: "2026-12-31" }, { connector: keyed() });
    expect(keys[2]).toMatch(UUID_V4);
    expect(keys[2]).not.toBe(keys[0]);
  });

  test("the incoming ISO 20022 message is sent as application/xml text, byte for byte", async () => {
    const xml = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><Amt Ccy="EUR">12.50</Amt></Document>';
    const seen: Captured = {};
    mambu().post("/api/v1/payments/incoming").reply(capture(seen, 202, '{"messageId":"M1"}'));
    const answer = await payments.incomingMessages.receiveIncomingMessage({}, xml, { connector: keyed() });
    expect(seen.headers?.["content-type"]).toBe("application/xml");
    expect(seen.body).toBe(xml);
    expect(answer).toEqual({ messageId: "M1" });
    await expect(payments.incomingMessages.receiveIncomingMessage({}, { not: "xml" } as unknown as string, { connector: keyed() })).rejects.toThrow(MambuTsError);
  });

  test("a body that breaks the contract is refused before sending", async () => {
    const call = payments.standingOrders.suspendStandingOrder({}, { id: "SO1" } as never, { connector: keyed() });
    await expect(call).rejects.toThrow(/payments\.standingOrders\.suspendStandingOrder: the body does not follow the contract/);
  });

  test("amounts are decimal strings of digits: a number or an exponent is a contract problem, a nullable date may be null", () => {
    const amount = { type: "object" as const, ref: "AmountDTO" };
    expect(validateAgainst("standingOrders", amount, { amount: "12.50", currency: "EUR" }, { api: "payments", request: true })).toEqual([]);
    expect(validateAgainst("standingOrders", amount, { amount: 12.5, currency: "EUR" }, { api: "payments", request: true })).toHaveLength(1);
    expect(validateAgainst("standingOrders", amount, { amount: "1.2e-7", currency: "EUR" }, { api: "payments", request: true })).toHaveLength(1);
    const answer = { type: "object" as const, ref: "StandingOrderGetResponse" };
    expect(PAYMENTS.resources.standingOrders.definitions.StandingOrderGetResponse.fields.suspendDateFrom).toMatchObject({ nullable: true });
    expect(validateAgainst("standingOrders", answer, { suspendDateFrom: null }, { api: "payments" }).filter((p) => p.includes("suspendDateFrom"))).toEqual([]);
  });

  test("every operation of the contract has its payments.<resource>.<operationId> (method, path)", () => {
    const ns = payments as unknown as Record<string, Record<string, { descriptor: { method: string; path: string } }>>;
    let n = 0;
    for (const [r, spec] of Object.entries(PAYMENTS.resources)) {
      for (const op of spec.operations) {
        n++;
        expect({ r, id: op.operationId, d: ns[r][op.operationId!].descriptor }).toMatchObject({ r, id: op.operationId, d: { method: op.method, path: op.path } });
      }
    }
    expect(n).toBe(20);
    expect(Object.keys(OPERATIONS).sort()).toEqual(Object.keys(PAYMENTS.resources).sort());
    expect(PAYMENTS.basePath).toBe("/api/v1");
  });
});
