/**
 * The Payments API's error answers (`{ "tppMessages": [{ category, code, path?, text? }] }`) become a `MambuError`
 * keeping every message whole in `error.tppMessages`, with a message naming the first code and text (bounded,
 * credentials redacted as for API v2's errors) and the HTTP status; a v2-shaped body (`{ errors: [...] }`) on a
 * payments call still reads as v2's; a body-less 503 and malformed or huge tppMessages never crash and stay bounded.
 */
import nock from "nock";
import { MambuCommError, MambuError, payments } from "../../lib";
import { MAX_TPP_FIELD, MAX_TPP_MESSAGES } from "../../lib/transport/responseerror";
import { mambu, testConnector } from "../helpers/mambu";

const KEY = "pay-K3y-S3cr3t";
const connector = (retries = 0) => testConnector({ apikey: KEY, retries });
const GET = "/api/v1/payments/standing-orders/SO1";
const get = (retries = 0) => payments.standingOrders.getStandingOrderDetails({ id: "SO1" }, { connector: connector(retries) }).catch((e: unknown) => e);
const JSON_TYPE = { "Content-Type": "application/json" };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe("a Payments API error answer", () => {
  test("400 with two TPP messages: a MambuError with both whole, the first code and text in the message, the status", async () => {
    const body = {
      tppMessages: [
        { category: "ERROR", code: "FORMAT_ERROR", path: "creditorAccount.iban", text: "the IBAN is not valid" },
        { category: "WARN", code: "PARAMETER_NOT_SUPPORTED", text: "remittance information is cut at 140 characters" },
      ],
    };
    mambu().get(GET).reply(400, body, JSON_TYPE);
    const err = (await get()) as MambuError;
    expect(err).toBeInstanceOf(MambuError);
    expect(err).not.toBeInstanceOf(MambuCommError);
    expect(err.status).toBe(400);
    expect(err.tppMessages).toEqual(body.tppMessages);
    expect(err.message).toBe("FORMAT_ERROR (400) - the IBAN is not valid (creditorAccount.iban) (+1 more)");
    expect(err.errors).toEqual([]);
    expect(err.url).toBe(GET);
  });

  test("the API key in a TPP message is redacted, in the message and in tppMessages", async () => {
    mambu().get(GET).reply(400, { tppMessages: [{ category: "ERROR", code: "SERVICE_INVALID", text: `bad key ${KEY}` }] }, JSON_TYPE);
    const err = (await get()) as MambuError;
    expect(err.message).not.toContain(KEY);
    expect(JSON.stringify(err.tppMessages)).not.toContain(KEY);
    expect(err.tppMessages?.[0]).toMatchObject({ category: "ERROR", code: "SERVICE_INVALID" });
  });

  test("a 503 without a body (retries exhausted): a MambuCommError with the status, no tppMessages", async () => {
    mambu().get(GET).reply(503).get(GET).reply(503);
    const err = (await get(1)) as MambuCommError;
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(2);
    expect(err.tppMessages).toBeUndefined();
    expect(err.message).toContain("HTTP 503 from Mambu (empty body)");
  });

  test("a 503 with TPP messages keeps them when the retries are exhausted", async () => {
    const body = { tppMessages: [{ category: "ERROR", code: "SERVICE_INVALID", text: "the payment gateway is down" }] };
    mambu().get(GET).reply(503, body, JSON_TYPE);
    const err = (await get()) as MambuCommError;
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.tppMessages).toEqual(body.tppMessages);
    expect(err.message).toContain("SERVICE_INVALID (503) - the payment gateway is down");
  });

  test("tppMessages not an array, or no object in it: an ordinary MambuError with a bounded excerpt", async () => {
    mambu().get(GET).reply(400, { tppMessages: { code: "FORMAT_ERROR" } }, JSON_TYPE);
    const e1 = (await get()) as MambuError;
    expect(e1).toBeInstanceOf(MambuError);
    expect(e1.tppMessages).toBeUndefined();
    expect(e1.message).toBe("HTTP 400 from Mambu (no error entries)");
    expect(e1.bodyExcerpt).toContain("tppMessages");
    mambu().get(GET).reply(400, { tppMessages: ["FORMAT_ERROR", 7, null] }, JSON_TYPE);
    const e2 = (await get()) as MambuError;
    expect(e2.tppMessages).toBeUndefined();
    expect(e2.message).toBe("HTTP 400 from Mambu (no error entries)");
  });

  test("huge tppMessages: at most 100 kept, each field and the message bounded; odd fields left out", async () => {
    const long = "x".repeat(10_000);
    const many = Array.from({ length: 500 }, (_, i) => ({ category: "ERROR", code: `C${i}`, text: long, path: { nested: true }, extra: "dropped" }));
    mambu().get(GET).reply(400, { tppMessages: many }, JSON_TYPE);
    const err = (await get()) as MambuError;
    expect(err).toBeInstanceOf(MambuError);
    expect(err.tppMessages).toHaveLength(MAX_TPP_MESSAGES);
    expect(err.tppMessages![0].text!.length).toBe(MAX_TPP_FIELD);
    expect(Object.keys(err.tppMessages![0]).sort()).toEqual(["category", "code", "text"]);
    expect(err.message.length).toBeLessThanOrEqual(300 + " (+499 more)".length);
    expect(err.message).toMatch(/^C0 \(400\) - xxx.*… \(\+499 more\)$/);
  });

  test("a v2-shaped body on a payments call still reads as API v2's errors", async () => {
    mambu().get(GET).reply(404, { errors: [{ errorCode: 404, errorReason: "NOT_FOUND", errorSource: "id" }] }, JSON_TYPE);
    const err = (await get()) as MambuError;
    expect(err.message).toBe("404 (404) - NOT_FOUND (id)");
    expect(err.errorReason).toBe("NOT_FOUND");
    expect(err.tppMessages).toBeUndefined();
  });
});
