/**
 * `X-Request-ID` on Payments API requests (decisions D31, D34): every request the library sends under `/api/v1`
 * carries a v4 UUID `X-Request-ID` — through `payments.<resource>.<operationId>`, `callOperation({ api:
 * "payments" })` and the entities —, the same on each retry of one call (like the Idempotency-Key), a new one for
 * the next call; a caller's own value on an operation that declares the header is sent as given. API v2 requests
 * carry none.
 */
import nock from "nock";
import { Decimal, Payments, api, payments } from "../../lib";
import { mambu, testConnector } from "../helpers/mambu";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const keyed = () => testConnector({ apikey: "pay-K3y-S3cr3t" });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

/** A reply that records the request's X-Request-ID and Idempotency-Key. */
function recorder(seen: Array<{ requestId?: string; key?: string }>, status: number, body: string) {
  return function (this: nock.ReplyFnContext): nock.ReplyFnResult {
    const h = this.req.headers;
    seen.push({ requestId: h["x-request-id"] as string | undefined, key: h["idempotency-key"] as string | undefined });
    return [status, body, { "Content-Type": "application/json" }];
  };
}

const TRANSFER: Payments.CreditTransferFields = {
  debtorAccount: { identification: { iban: "DE89370400440532013000" } },
  debtorName: "Josefa Alas",
  creditorAccount: { identification: { iban: "FR1420041010050500013M02606" } },
  creditorName: "Boulangerie Paul",
  instructedAmount: { amount: new Decimal("12.50"), currency: "EUR" },
};
const CREATED = '{"paymentId":"P1","transactionStatus":"RCVD"}';

test("CreditTransfer.initiate sends a v4 X-Request-ID, the same on the retry after a 503 (with the same Idempotency-Key); the next call has a new one", async () => {
  const seen: Array<{ requestId?: string; key?: string }> = [];
  mambu().post("/api/v1/payments").reply(recorder(seen, 503, "")).post("/api/v1/payments").reply(recorder(seen, 201, CREATED));
  await Payments.CreditTransfer.initiate(TRANSFER, { connector: keyed() });
  expect(seen).toHaveLength(2);
  expect(seen[0].requestId).toMatch(UUID_V4);
  expect(seen[1].requestId).toBe(seen[0].requestId);
  expect(seen[1].key).toBe(seen[0].key);
  expect(seen[0].requestId).not.toBe(seen[0].key);
  mambu().post("/api/v1/payments").reply(recorder(seen, 201, CREATED));
  await Payments.CreditTransfer.initiate(TRANSFER, { connector: keyed() });
  expect(seen[2].requestId).toMatch(UUID_V4);
  expect(seen[2].requestId).not.toBe(seen[0].requestId);
});

test("operations that do not declare the header carry one too (GET and POST); the caller's own value is sent as given", async () => {
  const seen: Array<{ requestId?: string; key?: string }> = [];
  mambu()
    .get("/api/v1/payments/standing-orders/SO1")
    .reply(recorder(seen, 200, '{"id":"SO1"}'))
    .post("/api/v1/log")
    .reply(recorder(seen, 200, ""))
    .post("/api/v1/collections")
    .reply(recorder(seen, 201, '{"collectionId":"C1","transactionStatus":"RCVD"}'));
  await payments.standingOrders.getStandingOrderDetails({ id: "SO1" }, { connector: keyed() });
  await payments.log.logArgument({}, { log: "hello" }, { connector: keyed() });
  await payments.sepaDirectDebit.initiateCollection(
    {},
    {
      debtorAccount: { identification: { iban: "DE89370400440532013000" } },
      debtorName: "Jane",
      creditorAccount: { identification: { iban: "FR1420041010050500013M02606" } },
      creditorName: "Utility",
      instructedAmount: { amount: "1.00", currency: "EUR" },
      mandateRelatedInformation: { mandateIdentification: "M1", dateOfSignature: "2025-01-01" },
      paymentTypeInformation: { sequenceType: "OOFF" },
      creditorSchemeIdentification: { identification: { privateIdentification: "DE98ZZZ09999999999" } },
    },
    { connector: keyed(), headers: { "X-Request-ID": "bank-run-2026-0001" } },
  );
  expect(seen[0].requestId).toMatch(UUID_V4);
  expect(seen[1].requestId).toMatch(UUID_V4);
  expect(seen[1].requestId).not.toBe(seen[0].requestId);
  expect(seen[2].requestId).toBe("bank-run-2026-0001");
});

test("API v2 requests carry no X-Request-ID", async () => {
  const seen: Array<{ requestId?: string; key?: string }> = [];
  mambu().get("/api/branches").reply(recorder(seen, 200, "[]"));
  await api.branches.getAll({}, { connector: testConnector() });
  expect(seen[0].requestId).toBeUndefined();
});
