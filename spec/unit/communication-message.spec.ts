/**
 * Communication messages in the ORM, against a mocked tenant: `search` sends the contract's body (a bare list of
 * criteria) and pages as every listing; `get` reads one; `send` posts the fields exactly and refuses what Mambu sets;
 * `resend` names each message once, in batches of at most 1000 with distinct idempotency keys, and says what went
 * through before a refusal; `resendFailed` finds every FAILED message before resending any. Destinations and bodies
 * never appear in an error or in what `console.log` prints.
 */
import { inspect } from "node:util";
import { DateTime, isV4Uuid, MambuCommunicationMessage, MambuError, MambuTsError, maskDestination, MAX_RESEND_BATCH } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { testConnector } from "../helpers/mambu";
import { recordingTenant } from "../helpers/recording-tenant";

type Bag = Record<string, unknown>;

/** The mocked tenant, recording every request (body parsed). */
const { tenant, seen } = recordingTenant({ json: true });

const KEY = "8a19a2b37c9f3e01017c9f5d2a1b0042";
const PHONE = "+525512345678";
const EMAIL = "josefa.garcia@example.com";

function message(over: Bag = {}): Bag {
  return {
    encodedKey: KEY,
    type: "SMS",
    state: "FAILED",
    event: "LOAN_REPAYMENT",
    destination: PHONE,
    body: "Hola JOSEFA, recibimos tu pago de 295.00 MXN",
    clientKey: "8a099a673f1f25a0013f1fd0a1c318a5",
    loanAccountKey: "8a19a2b37c9f3e01017c9f5d2a1b0001",
    creationDate: "2026-12-07T10:00:00-06:00",
    failureReason: "SMS_NOT_SENT",
    failureCause: `gateway refused ${PHONE}`,
    numRetries: 0,
    ...over,
  };
}

/** Keys `k0000`..: hexadecimal-looking, distinct. */
function keys(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `8a19a2b37c9f3e01017c9f5d${(from + i).toString(16).padStart(8, "0")}`);
}

describe("MambuCommunicationMessage.search", () => {
  it("POSTs the criteria as a bare list (the contract's body), pages with offset/limit and builds messages with DateTimes", async () => {
    const page1 = [message(), message({ encodedKey: keys(1, 7)[0], state: "FAILED" })];
    tenant()
      .post("/api/communications/messages:search")
      .query({ offset: "0", limit: "2" })
      .reply(200, page1)
      .post("/api/communications/messages:search")
      .query({ offset: "2", limit: "2" })
      .reply(200, [message({ encodedKey: keys(1, 9)[0] })])
      ;
    const conn = testConnector({ apipagination: 2 });
    const found = await MambuCommunicationMessage.search({
      filterCriteria: [
        { field: "state", operator: "EQUALS", value: "FAILED" },
        { field: "creationDate", operator: "AFTER", value: DateTime.fromISO("2026-12-01T00:00:00-06:00", { setZone: true }) },
      ],
      connector: conn,
    });
    expect(found.map((m) => m.encodedKey)).toEqual([KEY, keys(1, 7)[0], keys(1, 9)[0]]);
    expect(found[0]).toBeInstanceOf(MambuCommunicationMessage);
    expect(DateTime.isDateTime(found[0].creationDate)).toBe(true);
    expect(found[0].creationDate!.toISO()).toBe("2026-12-07T10:00:00.000-06:00");
    expect(seen).toHaveLength(2);
    expect(seen[0].body).toEqual([
      { field: "state", operator: "EQUALS", value: "FAILED" },
      { field: "creationDate", operator: "AFTER", value: "2026-12-01T00:00:00-06:00" },
    ]);
    const op = findOperation("POST", seen[0].path)!;
    expect([op.resource, op.op.operationId]).toEqual(["communications_messages", "search"]);
    expect(validateAgainst("communications_messages", op.op.body!, seen[0].body)).toEqual([]);
  });

  it("streams with for await and stops fetching at break", async () => {
    tenant().post("/api/communications/messages:search").query({ offset: "0", limit: "2" }).reply(200, [message(), message({ encodedKey: keys(1)[0] })]);
    const got: string[] = [];
    for await (const m of MambuCommunicationMessage.search({ connector: testConnector({ apipagination: 2 }) })) {
      got.push(m.encodedKey!);
      if (got.length === 2) break;
    }
    expect(got).toEqual([KEY, keys(1)[0]]);
    expect(seen[0].body).toEqual([]);
  });

  it("refuses, before any request, an unknown field, an operator Mambu lacks, a criterion without value and sortingCriteria", () => {
    const conn = testConnector();
    expect(() => MambuCommunicationMessage.search({ filterCriteria: [{ field: "phone" as never, operator: "EQUALS", value: "x" }], connector: conn })).toThrow(
      /filterCriteria\[0\]\.field "phone" is not one of encodedKey, creationDate, .*destination, type, event/,
    );
    expect(() => MambuCommunicationMessage.search({ filterCriteria: [{ field: "state", operator: "GREATER" as never, value: "x" }], connector: conn })).toThrow(MambuTsError);
    expect(() => MambuCommunicationMessage.search({ filterCriteria: [{ field: "state", operator: "EQUALS" }], connector: conn })).toThrow("EQUALS needs a value");
    expect(() => MambuCommunicationMessage.search({ sortingCriteria: { field: "creationDate" as never, order: "DESC" }, connector: conn })).toThrow(
      "takes no sortingCriteria",
    );
    expect(() => MambuCommunicationMessage.getAll()).toThrow("Mambu only searches messages");
    expect(seen).toEqual([]);
  });
});

describe("MambuCommunicationMessage.get", () => {
  it("GETs /communications/messages/{encodedKey} with the detailsLevel asked", async () => {
    tenant().get(`/api/communications/messages/${KEY}`).query({ detailsLevel: "FULL" }).reply(200, message({ state: "SENT" }));
    const m = await MambuCommunicationMessage.get(KEY, { detailsLevel: "FULL", connector: testConnector() });
    expect([m.encodedKey, m.state, m.type, m.event]).toEqual([KEY, "SENT", "SMS", "LOAN_REPAYMENT"]);
    const op = findOperation("GET", seen[0].path)!;
    expect([op.resource, op.op.operationId]).toEqual(["communications_messages", "getByEncodedKey"]);
  });

  it("rejects with Mambu's error for an unknown key", async () => {
    tenant().get("/api/communications/messages/nope").query(true).reply(404, { errors: [{ errorCode: 3, errorReason: "INVALID_API_OPERATION" }] });
    await expect(MambuCommunicationMessage.get("nope", { connector: testConnector() })).rejects.toThrow(MambuError);
  });
});

describe("MambuCommunicationMessage.send", () => {
  const IDEM = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";

  it("POSTs the fields exactly with the caller's Idempotency-Key and returns the message Mambu recorded", async () => {
    tenant().post("/api/communications/messages").reply(201, message({ state: "QUEUED", event: "MANUAL", failureReason: undefined, failureCause: undefined }));
    const m = await MambuCommunicationMessage.send(
      { type: "SMS", destination: PHONE, body: "Su pago vence mañana", clientKey: "8a099a673f1f25a0013f1fd0a1c318a5" },
      { idempotencyKey: IDEM, connector: testConnector() },
    );
    expect([m.state, m.event]).toEqual(["QUEUED", "MANUAL"]);
    expect(seen).toHaveLength(1);
    expect(seen[0].body).toEqual({ type: "SMS", destination: PHONE, body: "Su pago vence mañana", clientKey: "8a099a673f1f25a0013f1fd0a1c318a5" });
    expect(seen[0].headers["idempotency-key"]).toBe(IDEM);
    const op = findOperation("POST", seen[0].path)!;
    expect([op.resource, op.op.operationId]).toEqual(["communications_messages", "send"]);
  });

  it("refuses, before any request, a message without type, content or recipient, fields Mambu sets and unknown fields", async () => {
    const conn = { connector: testConnector() };
    await expect(MambuCommunicationMessage.send({ destination: PHONE, body: "x" } as never, conn)).rejects.toThrow("type is required");
    await expect(MambuCommunicationMessage.send({ type: "SMS", destination: PHONE }, conn)).rejects.toThrow("give the content");
    await expect(MambuCommunicationMessage.send({ type: "SMS", body: "x" }, conn)).rejects.toThrow("give a recipient");
    await expect(MambuCommunicationMessage.send({ type: "SMS", destination: PHONE, body: "x", state: "SENT" } as never, conn)).rejects.toThrow("state is set by Mambu");
    await expect(MambuCommunicationMessage.send({ type: "FAX" as never, destination: PHONE, body: "x" }, conn)).rejects.toThrow(MambuTsError);
    await expect(MambuCommunicationMessage.send({ type: "SMS", destination: PHONE, body: "x", phone: "1" } as never, conn)).rejects.toThrow('unknown option "phone"');
    expect(seen).toEqual([]);
  });

  it("never quotes a destination or a body in its errors", async () => {
    const conn = { connector: testConnector() };
    const errors = await Promise.all([
      MambuCommunicationMessage.send({ type: "SMS", destination: 5512345678 as never, body: "x" }, conn).catch((e: Error) => e.message),
      MambuCommunicationMessage.send({ type: "EMAIL", destination: EMAIL, body: "secreto", subject: 7 as never }, conn).catch((e: Error) => e.message),
      MambuCommunicationMessage.send({ type: "FAX" as never, destination: EMAIL, body: "secreto" }, conn).catch((e: Error) => e.message),
    ]);
    expect(errors[0]).toBe("MambuCommunicationMessage.send: destination must be a string");
    for (const text of errors) {
      expect(text).not.toMatch(/5512345678|josefa|secreto/);
    }
  });
});

describe("MambuCommunicationMessage.resend", () => {
  it("names each message once, in batches of at most 1000, each with its own Idempotency-Key", async () => {
    const all = keys(2500);
    tenant().post("/api/communications/messages:resend").times(3).reply(202);
    const heard: Array<[number, number]> = [];
    const n = await MambuCommunicationMessage.resend([...all, all[0], all[1999]], {
      connector: testConnector(),
      onBatch: (batch, soFar) => heard.push([batch.length, soFar]),
    });
    expect(n).toBe(2500);
    expect(MAX_RESEND_BATCH).toBe(1000);
    expect(seen.map((r) => (r.body as { messages: string[] }).messages.length)).toEqual([1000, 1000, 500]);
    expect(seen.flatMap((r) => (r.body as { messages: string[] }).messages)).toEqual(all);
    expect(heard).toEqual([[1000, 1000], [1000, 2000], [500, 2500]]);
    const idem = seen.map((r) => r.headers["idempotency-key"]);
    expect(new Set(idem).size).toBe(3);
    for (const k of idem) expect(isV4Uuid(k)).toBe(true);
    const op = findOperation("POST", seen[0].path)!;
    expect([op.resource, op.op.operationId]).toEqual(["communications_messages", "resend"]);
    expect(validateAgainst("communications_messages", op.op.body!, seen[0].body)).toEqual([]);
  });

  it("derives the later batches' keys from the caller's, the same on a rerun", async () => {
    const IDEM = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    tenant().post("/api/communications/messages:resend").times(4).reply(202);
    await MambuCommunicationMessage.resend(keys(3), { connector: testConnector(), batchSize: 2, idempotencyKey: IDEM });
    await MambuCommunicationMessage.resend(keys(3), { connector: testConnector(), batchSize: 2, idempotencyKey: IDEM });
    const idem = seen.map((r) => r.headers["idempotency-key"]);
    expect(idem[0]).toBe(IDEM);
    expect(idem[1]).not.toBe(IDEM);
    expect(isV4Uuid(idem[1])).toBe(true);
    expect(idem.slice(2)).toEqual(idem.slice(0, 2));
  });

  it("when Mambu refuses a batch, rejects with its error; the batches before stay resent and onBatch said which", async () => {
    tenant()
      .post("/api/communications/messages:resend").reply(202)
      .post("/api/communications/messages:resend").reply(400, { errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "messages" }] });
    const heard: string[][] = [];
    const err = await MambuCommunicationMessage.resend(keys(5), { connector: testConnector(), batchSize: 2, onBatch: (b) => heard.push([...b]) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).errorReason).toBe("INVALID_PARAMETERS");
    expect(heard).toEqual([keys(2)]);
    expect(seen).toHaveLength(2); // the third batch was never sent
  });

  it("takes messages read from Mambu (their encodedKey, their connector)", async () => {
    const conn = testConnector();
    const m = MambuCommunicationMessage.fromWire(message(), conn);
    tenant().post("/api/communications/messages:resend").reply(202);
    expect(await MambuCommunicationMessage.resend([m])).toBe(1);
    expect(seen[0].body).toEqual({ messages: [KEY] });
  });

  it("refuses, before any request, an empty list, a bad key, a bad batch size and a lone string", async () => {
    const c = { connector: testConnector() };
    await expect(MambuCommunicationMessage.resend([], c)).rejects.toThrow("give at least one message");
    await expect(MambuCommunicationMessage.resend(["", KEY], c)).rejects.toThrow("message 0 is not an encodedKey");
    await expect(MambuCommunicationMessage.resend([KEY, "a b"], c)).rejects.toThrow("message 1 is not an encodedKey");
    await expect(MambuCommunicationMessage.resend([KEY], { ...c, batchSize: 1001 })).rejects.toThrow("batchSize must be an integer from 1 to 1000");
    await expect(MambuCommunicationMessage.resend(KEY as never, c)).rejects.toThrow("give a list of encodedKeys");
    expect(seen).toEqual([]);
  });

  it("message.resend() posts its key and re-reads it (reread: false: no read)", async () => {
    const conn = testConnector();
    const m = MambuCommunicationMessage.fromWire(message(), conn);
    tenant()
      .post("/api/communications/messages:resend").reply(202)
      .get(`/api/communications/messages/${KEY}`).query(true).reply(200, message({ state: "SENT", numRetries: 1, failureReason: undefined, failureCause: undefined }))
      .post("/api/communications/messages:resend").reply(202);
    expect(await m.resend()).toBe(m);
    expect([m.state, m.numRetries]).toEqual(["SENT", 1]);
    await m.resend({ reread: false });
    expect(seen.map((r) => r.method)).toEqual(["POST", "GET", "POST"]);
    expect(seen[0].body).toEqual({ messages: [KEY] });
  });
});

describe("MambuCommunicationMessage.resendFailed", () => {
  it("finds every FAILED message of the filters first, then resends them; returns how many", async () => {
    const failed = keys(3);
    tenant()
      .post("/api/communications/messages:search").query({ offset: "0", limit: "2" }).reply(200, failed.slice(0, 2).map((k) => message({ encodedKey: k })))
      .post("/api/communications/messages:search").query({ offset: "2", limit: "2" }).reply(200, [message({ encodedKey: failed[2] })])
      .post("/api/communications/messages:resend").reply(202);
    const n = await MambuCommunicationMessage.resendFailed({
      since: "2026-12-01", type: "SMS", clientKey: "8a099a673f1f25a0013f1fd0a1c318a5", connector: testConnector({ apipagination: 2 }),
    });
    expect(n).toBe(3);
    expect(seen.map((r) => r.path.replace(/\?.*/, ""))).toEqual([
      "/api/communications/messages:search", "/api/communications/messages:search", "/api/communications/messages:resend",
    ]);
    expect(seen[0].body).toEqual([
      { field: "state", operator: "EQUALS", value: "FAILED" },
      { field: "creationDate", operator: "AFTER", value: "2026-11-30" },
      { field: "type", operator: "EQUALS", value: "SMS" },
      { field: "clientKey", operator: "EQUALS", value: "8a099a673f1f25a0013f1fd0a1c318a5" },
    ]);
    expect(seen[2].body).toEqual({ messages: failed });
  });

  it("takes an instant as since (that second on) and a limit; resends nothing when none failed", async () => {
    tenant().post("/api/communications/messages:search").query({ offset: "0", limit: "5" }).reply(200, []);
    const since = DateTime.fromISO("2026-12-07T10:00:00.750-06:00", { setZone: true });
    expect(await MambuCommunicationMessage.resendFailed({ since, limit: 5, connector: testConnector() })).toBe(0);
    expect(seen).toHaveLength(1);
    expect((seen[0].body as Bag[])[1]).toEqual({ field: "creationDate", operator: "AFTER", value: "2026-12-07T09:59:59-06:00" });
  });

  it("refuses, before any request, a bad type, limit, since or batch size", async () => {
    const c = { connector: testConnector() };
    await expect(MambuCommunicationMessage.resendFailed({ ...c, type: "FAX" as never })).rejects.toThrow("type must be one of EMAIL, SMS, WEB_HOOK");
    await expect(MambuCommunicationMessage.resendFailed({ ...c, limit: 0 })).rejects.toThrow("limit must be an integer ≥ 1");
    await expect(MambuCommunicationMessage.resendFailed({ ...c, since: "yesterday" })).rejects.toThrow(MambuTsError);
    await expect(MambuCommunicationMessage.resendFailed({ ...c, batchSize: 0 })).rejects.toThrow("batchSize");
    expect(seen).toEqual([]);
  });
});

describe("personal data", () => {
  it("masks destinations: phone numbers, e-mail addresses, webhook URLs", () => {
    expect(maskDestination("+525512341234")).toBe("+52•••••1234");
    expect(maskDestination("5512345678")).toBe("55•••••5678");
    expect(maskDestination("alice@example.com")).toBe("a•••@example.com");
    expect(maskDestination("https://hooks.example.com/T000/B000/XXXXSECRET?token=abc")).toBe("https://hooks.example.com/…");
    expect(maskDestination("12345")).toBe("•••••45");
    expect(maskDestination("somebody")).toBe("•••");
  });

  it("console.log and the REPL show a message without its destination, subject or body; the fields stay exact", () => {
    const m = MambuCommunicationMessage.fromWire(message({ type: "EMAIL", destination: EMAIL, subject: "Pago de JOSEFA", failureCause: `550 no such user ${EMAIL}` }), testConnector());
    const shown = inspect(m);
    expect(shown).toContain(`MambuCommunicationMessage(${KEY})`);
    expect(shown).toContain("j•••@example.com");
    expect(shown).toContain("550 no such user j•••@example.com");
    expect(shown).toContain("(44 characters)");
    expect(shown).not.toMatch(/josefa\.garcia|JOSEFA|recibimos/);
    expect(m.destination).toBe(EMAIL);
    expect(m.toJSON()).toMatchObject({ destination: EMAIL, subject: "Pago de JOSEFA" });
  });
});
