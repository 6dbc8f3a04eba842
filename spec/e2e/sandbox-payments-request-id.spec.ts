/**
 * The Payments API sandbox and its two request headers beyond the credentials:
 * - `X-Request-ID` (D31, D34): the four initiations require it — without it 400 FORMAT_ERROR on path
 *   `X-Request-ID` and nothing debited —; other operations take requests without it; the library sends it, so
 *   `Payments.CreditTransfer.initiate` goes through.
 * - `Idempotency-Key` (D33): the first answer to a key is replayed for the same request, a failure the request
 *   caused included — a PAYMENT_FAILED retried with its key after a deposit stays PAYMENT_FAILED and debits
 *   nothing —; the same key with another request is 422 FORMAT_ERROR.
 */
import { randomUUID } from "node:crypto";
import { Decimal, MambuError, Payments } from "../../lib";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { call } from "./sandbox-helpers";
import { DEMO_API_KEY, openEurAccount, payCall, v2Balance } from "./sandbox-payments-helpers";

jest.setTimeout(60_000);

const IBAN_A = "DE89370400440532013000";
const IBAN_FAR = "FR1420041010050500013M02606";

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
  await openEurAccount(sb, "REQID-A", "10");
  const mapped = await payCall(sb, "POST", "/accounts/REQID-A/identifications", { body: { identification: { iban: IBAN_A, currency: "EUR" } } });
  expect(mapped.status).toBe(201);
});

afterAll(async () => {
  await sb?.stop();
});

function transfer(amount: string): Record<string, unknown> {
  return {
    debtorAccount: { identification: { iban: IBAN_A }, currency: "EUR" },
    debtorName: "Josefa Alas",
    instructedAmount: { amount, currency: "EUR" },
    creditorAccount: { identification: { iban: IBAN_FAR }, currency: "EUR" },
    creditorName: "Boulangerie Paul",
  };
}

describe("X-Request-ID", () => {
  test("an initiation without it is 400 FORMAT_ERROR on path X-Request-ID, and nothing is debited", async () => {
    const before = await v2Balance(sb, "REQID-A");
    for (const [path, body] of [
      ["/payments", transfer("1.00")],
      ["/payments/credit-transfers", { ...transfer("1.00"), scheme: "SEPA", settlementInformation: { settlementMethod: "CLRG" } }],
    ] as const) {
      const r = await payCall(sb, "POST", path, { body, headers: { "X-Request-ID": "" } });
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.body.tppMessages).toEqual([expect.objectContaining({ category: "ERROR", code: "FORMAT_ERROR", path: "X-Request-ID" })]);
      expect(r.body.tppMessages[0].text).toContain("X-Request-ID header is required");
    }
    expect(await v2Balance(sb, "REQID-A")).toBe(before);
    const blank = await payCall(sb, "POST", "/payments", { body: transfer("1.00"), headers: { "X-Request-ID": "  " } });
    expect(blank.status).toBe(400);
  });

  test("operations that do not declare it take requests without it", async () => {
    const r = await payCall(sb, "GET", "/accounts/REQID-A/identifications", { headers: { "X-Request-ID": "" } });
    expect(r.status).toBe(200);
    const log = await payCall(sb, "POST", "/log", { body: { log: "no request id" }, headers: { "X-Request-ID": "" } });
    expect(log.status).toBe(200);
  });

  test("the library sends it: Payments.CreditTransfer.initiate is accepted and debits", async () => {
    const before = await v2Balance(sb, "REQID-A");
    const p = await Payments.CreditTransfer.initiate(
      { ...(transfer("2.00") as unknown as Payments.CreditTransferFields), instructedAmount: { amount: new Decimal("2.00"), currency: "EUR" as const } },
      { connector: demoConnector(sb, { apikey: DEMO_API_KEY }) },
    );
    expect(p.status).toBe("RCVD");
    expect(await v2Balance(sb, "REQID-A")).toBe(before - 2);
  });
});

describe("Idempotency-Key and failures (D33)", () => {
  test("a PAYMENT_FAILED retried with its key after a deposit is replayed, not processed: nothing debited; a new key is processed", async () => {
    const key = randomUUID();
    const first = await payCall(sb, "POST", "/payments", { body: transfer("50.00"), headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(400);
    expect(first.body.tppMessages[0].code).toBe("PAYMENT_FAILED");
    expect((await call(sb, "POST", "/deposits/REQID-A/deposit-transactions", { body: { amount: 100 } })).status).toBe(201);
    const funded = await v2Balance(sb, "REQID-A");

    const again = await payCall(sb, "POST", "/payments", { body: transfer("50.00"), headers: { "Idempotency-Key": key } });
    expect(again.status).toBe(400);
    expect(again.headers["idempotency-replayed"]).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await v2Balance(sb, "REQID-A")).toBe(funded);

    const other = await payCall(sb, "POST", "/payments", { body: transfer("49.00"), headers: { "Idempotency-Key": key } });
    expect(other.status).toBe(422);
    expect(other.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "Idempotency-Key" });
    expect(await v2Balance(sb, "REQID-A")).toBe(funded);

    const fresh = await payCall(sb, "POST", "/payments", { body: transfer("50.00"), headers: { "Idempotency-Key": randomUUID() } });
    expect(fresh.status).toBe(201);
    expect(await v2Balance(sb, "REQID-A")).toBe(funded - 50);
  });

  test("through the library: the same idempotencyKey gets the same PAYMENT_FAILED twice, with its TPP messages", async () => {
    const connector = demoConnector(sb, { apikey: DEMO_API_KEY });
    const idempotencyKey = randomUUID();
    const fields = { ...(transfer("1") as unknown as Payments.CreditTransferFields), instructedAmount: { amount: new Decimal("9999.00"), currency: "EUR" as const } };
    const a = await Payments.CreditTransfer.initiate(fields, { connector, idempotencyKey }).catch((e: unknown) => e);
    const b = await Payments.CreditTransfer.initiate(fields, { connector, idempotencyKey }).catch((e: unknown) => e);
    for (const e of [a, b]) {
      expect(e).toBeInstanceOf(MambuError);
      expect((e as MambuError & { tppMessages: Array<{ code: string }> }).tppMessages[0].code).toBe("PAYMENT_FAILED");
    }
  });

  test("a request without an Idempotency-Key is processed each time", async () => {
    const before = await v2Balance(sb, "REQID-A");
    expect((await payCall(sb, "POST", "/payments", { body: transfer("1.00") })).status).toBe(201);
    expect((await payCall(sb, "POST", "/payments", { body: transfer("1.00") })).status).toBe(201);
    expect(await v2Balance(sb, "REQID-A")).toBe(before - 2);
  });
});
