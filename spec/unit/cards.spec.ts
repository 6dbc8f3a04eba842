/**
 * Cards through the ORM: `MambuCard.of(token)` with its authorization holds (create, get, increase,
 * decrease, reverse), financial transactions (create, reverse) and balance inquiry. Requests are the
 * contract's operations with valid bodies; answers come back typed (Decimal amounts); bad input is
 * refused before any request.
 */
import nock from "nock";
import { inspect } from "node:util";
import { Decimal, MambuAuthorizationHold, MambuCard, MambuCardTransaction, MambuTsError } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, contractTenant, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;

const { tenant, requests } = contractTenant();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

const HOLDS = "/api/cards/tok-1/authorizationholds";
const HOLD = {
  externalReferenceId: "AH-1", amount: 25.5, advice: false, status: "PENDING", creditDebitIndicator: "DBIT", cardToken: "tok-1", currencyCode: "MXN",
  encodedKey: "8a0000000000000000000000000ah001", cardAcceptor: { name: "Tienda", city: "CDMX", mcc: 5411 },
};

/** The request was the contract's `METHOD template`, its body valid against the definition; returns the body. */
function expectOperation(seen: Captured, method: string, template: string): Bag | undefined {
  const match = findOperation(method, (seen.path as string).split("?")[0].replace(/^\/api/, ""));
  expect(match?.op.path).toBe(template);
  if (!match?.op.body) return undefined;
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match.resource, match.op.body, body)).toEqual([]);
  return body;
}

function answer<T>(method: string, template: string, status: string, body: T): T {
  const match = findOperation(method, template);
  expect(validateAgainst(match!.resource, match!.op.responses[status]!, body)).toEqual([]);
  return body;
}

function card(): MambuCard {
  return MambuCard.of("tok-1", { connector: testConnector() });
}

describe("MambuCard", () => {
  test("of(): a handle on a token, no request; a bad token or option is refused", () => {
    const c = card();
    expect(c.referenceToken).toBe("tok-1");
    expect(c.toJSON()).toEqual({ referenceToken: "tok-1" });
    expect(inspect(c)).toBe("MambuCard { referenceToken: 'tok-1' }");
    expect(() => MambuCard.of("")).toThrow(MambuTsError);
    expect(() => MambuCard.of("", {})).toThrow(/MambuCard: the card reference token must be a non-empty string/);
    expect(() => MambuCard.of("t", { conn: 1 } as never)).toThrow(/unknown option "conn"/);
    expect(requests).toEqual([]);
  });

  test("balanceInquiry: GET /cards/{token}/balanceInquiry, balances as Decimal", async () => {
    tenant().get("/api/cards/tok-1/balanceInquiry").reply(200, '{"accountId":"DEP1","availableBalance":974.95,"cardType":"DEBIT","creditLimit":0,"currencyCode":"MXN","totalBalance":1000.45}');
    const b = await card().balanceInquiry();
    expect(b.accountId).toBe("DEP1");
    expect(b.cardType).toBe("DEBIT");
    expect(Decimal.isDecimal(b.availableBalance)).toBe(true);
    expect(b.availableBalance?.toFixed(2)).toBe("974.95");
    expect(b.totalBalance?.minus(b.availableBalance!).toFixed(2)).toBe("25.50");
    expect(b.creditLimit?.isZero()).toBe(true);
  });
});

describe("card.authorizationHolds", () => {
  test("create: POST AuthorizationHold (advice false unless given), the hold typed", async () => {
    const seen: Captured = {};
    const { encodedKey: _key, ...created } = HOLD;
    tenant().post(HOLDS).reply(capture(seen, 201, answer("POST", "/cards/{cardReferenceToken}/authorizationholds", "201", created)));
    const hold = await card().authorizationHolds.create({
      externalReferenceId: "AH-1", amount: "25.50", currencyCode: "MXN", cardAcceptor: { name: "Tienda", city: "CDMX", mcc: 5411 },
      idempotencyKey: "3f1e5a9c-7b2d-4c8e-9f01-23456789abcd",
    });
    expect(expectOperation(seen, "POST", "/cards/{cardReferenceToken}/authorizationholds")).toEqual({
      externalReferenceId: "AH-1", amount: 25.5, currencyCode: "MXN", cardAcceptor: { name: "Tienda", city: "CDMX", mcc: 5411 }, advice: false,
    });
    expect(seen.headers?.["idempotency-key"]).toBe("3f1e5a9c-7b2d-4c8e-9f01-23456789abcd");
    expect(hold).toBeInstanceOf(MambuAuthorizationHold);
    expect(hold.amount.equals(new Decimal("25.5"))).toBe(true);
    expect([hold.status, hold.cardAcceptor?.name]).toEqual(["PENDING", "Tienda"]);
  });

  test("create refuses bad input before any request", async () => {
    const holds = card().authorizationHolds;
    await expect(holds.create({ amount: 1 } as never)).rejects.toThrow(/MambuCard\.authorizationHolds\.create\.externalReferenceId: required field is missing/);
    await expect(holds.create({ externalReferenceId: "X", amount: "lots" })).rejects.toThrow(/amount: expected a Decimal, number or numeric string/);
    await expect(holds.create({ externalReferenceId: "X", amount: 1, creditDebitIndicator: "UP" as never })).rejects.toThrow(/creditDebitIndicator/);
    await expect(holds.create({ externalReferenceId: "X", amount: 1, merchant: "M" } as never)).rejects.toThrow(/unknown option "merchant"/);
    expect(requests).toEqual([]);
  });

  test("get, increase, decrease (each re-reads the hold), reverse", async () => {
    const holds = card().authorizationHolds;
    tenant().get(`${HOLDS}/AH-1`).reply(200, answer("GET", "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}", "200", HOLD));
    expect((await holds.get("AH-1")).amount.toFixed(2)).toBe("25.50");

    const inc: Captured = {};
    tenant().post(`${HOLDS}/AH-1:increase`).reply(capture(inc, 204));
    tenant().get(`${HOLDS}/AH-1`).reply(200, { ...HOLD, amount: 35.6 });
    const increased = await holds.increase("AH-1", new Decimal("10.10"), { externalReferenceId: "INC-1" });
    expect(expectOperation(inc, "POST", "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}:increase")).toEqual({ amount: 10.1, externalReferenceId: "INC-1" });
    expect(increased.amount.toFixed(2)).toBe("35.60");

    const dec: Captured = {};
    tenant().post(`${HOLDS}/AH-1:decrease`).reply(capture(dec, 204));
    tenant().get(`${HOLDS}/AH-1`).reply(200, { ...HOLD, amount: 0, status: "REVERSED" });
    const decreased = await holds.decrease("AH-1", 35.6);
    expect(expectOperation(dec, "POST", "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}:decrease")).toEqual({ amount: 35.6 });
    expect(decreased.status).toBe("REVERSED");

    const rev: Captured = {};
    tenant().delete(`${HOLDS}/AH%2F2`).reply(capture(rev, 204));
    await holds.reverse("AH/2");
    expectOperation(rev, "DELETE", "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}");

    requests.length = 0;
    await expect(holds.increase("", 1)).rejects.toThrow(/externalReferenceId must be a non-empty string/);
    await expect(holds.decrease("AH-1", 1, { amount: 2 } as never)).rejects.toThrow(/give amount as an argument, not as an option/);
    await expect(holds.reverse(undefined as never)).rejects.toThrow(MambuTsError);
    expect(requests).toEqual([]);
  });

  test("a hold Mambu does not know is its 404 error", async () => {
    tenant().get(`${HOLDS}/NOPE`).reply(404, { errors: [{ errorCode: 404, errorReason: "AUTHORIZATION_HOLD_NOT_FOUND", errorSource: "hold" }] });
    await expect(card().authorizationHolds.get("NOPE")).rejects.toMatchObject({ status: 404 });
  });
});

describe("card.financialTransactions", () => {
  const OUT = {
    externalReferenceId: "CT-1", amount: 25.5, advice: false, transactionChannelId: "cards", cardToken: "tok-1", externalAuthorizationReferenceId: "AH-1",
    encodedKey: "8a0000000000000000000000000ct001", linkedTransaction: { linkedTransactionType: "DEPOSIT", linkedTransactionKey: "8a00000000000000000000000000x901" },
  };

  test("create posts CardTransactionInput and answers the linked account transaction", async () => {
    const seen: Captured = {};
    tenant().post("/api/cards/tok-1/financialtransactions").reply(capture(seen, 201, answer("POST", "/cards/{cardReferenceToken}/financialtransactions", "201", OUT)));
    const tx = await card().financialTransactions.create({ externalReferenceId: "CT-1", amount: 25.5, transactionChannelId: "cards", externalAuthorizationReferenceId: "AH-1" });
    expect(expectOperation(seen, "POST", "/cards/{cardReferenceToken}/financialtransactions")).toEqual({
      externalReferenceId: "CT-1", amount: 25.5, transactionChannelId: "cards", externalAuthorizationReferenceId: "AH-1", advice: false,
    });
    expect(tx).toBeInstanceOf(MambuCardTransaction);
    expect(tx.amount.toFixed(2)).toBe("25.50");
    expect(tx.linkedTransaction?.linkedTransactionType).toBe("DEPOSIT");
    requests.length = 0;
    await expect(card().financialTransactions.create({ externalReferenceId: "CT-2", amount: 1 } as never)).rejects.toThrow(/transactionChannelId: required field is missing/);
    expect(requests).toEqual([]);
  });

  test("reverse posts CardTransactionReversal; its own reference is a v4 UUID unless given", async () => {
    const seen: Captured = {};
    tenant().post("/api/cards/tok-1/financialtransactions/CT-1:decrease").reply(capture(seen, 204));
    await card().financialTransactions.reverse("CT-1", "5.25");
    const body = expectOperation(seen, "POST", "/cards/{cardReferenceToken}/financialtransactions/{cardTransactionExternalReferenceId}:decrease")!;
    expect(body.amount).toBe(5.25);
    expect(String(body.externalReferenceId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const named: Captured = {};
    tenant().post("/api/cards/tok-1/financialtransactions/CT-1:decrease").reply(capture(named, 204));
    await card().financialTransactions.reverse("CT-1", 1, { externalReferenceId: "REV-1", transactionChannelId: "cards" });
    expect(JSON.parse(named.body as string)).toEqual({ amount: 1, externalReferenceId: "REV-1", transactionChannelId: "cards" });
    requests.length = 0;
    await expect(card().financialTransactions.reverse("CT-1", -Infinity)).rejects.toThrow(MambuTsError);
    expect(requests).toEqual([]);
  });
});
