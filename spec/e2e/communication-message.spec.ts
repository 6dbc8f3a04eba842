/**
 * End to end: communication messages through the ORM against the sandbox — the SMS a repayment sends, found by
 * searching; one message read by key; a send; and the resend of failed messages (the sandbox's failure share set to
 * 1 makes the gateway refuse, set back to 0 lets the resend through): by key, by entity, in batches, and
 * `resendFailed` narrowed to a client, a type and a day.
 */
import { inspect } from "node:util";
import { DateTime, MambuClient, MambuCommunicationMessage, MambuConnector, MambuLoan } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;
let josefa: MambuClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-12-07T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
  josefa = await MambuClient.get("0512N0025", { connector: conn });
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});
afterEach(() => sandbox.communications.set({ failureRate: 0 }));

/** Josefa's messages of an event, oldest first. */
async function josefasMessages(event: string): Promise<MambuCommunicationMessage[]> {
  return await MambuCommunicationMessage.search({
    filterCriteria: [
      { field: "clientKey", operator: "EQUALS", value: josefa.encodedKey! },
      { field: "event", operator: "EQUALS", value: event as never },
    ],
    connector: conn,
  });
}

/** A repayment of loan 54321 made while the SMS gateway refuses everything: its (FAILED) message. */
async function failedRepaymentMessage(amount: number): Promise<MambuCommunicationMessage> {
  sandbox.communications.set({ failureRate: 1 });
  const tx = await (await MambuLoan.get("54321", { connector: conn })).repay(amount);
  sandbox.communications.set({ failureRate: 0 });
  const found = (await josefasMessages("LOAN_REPAYMENT")).filter((m) => m.repaymentKey === tx.encodedKey);
  expect(found).toHaveLength(1);
  expect([found[0].state, found[0].failureReason]).toEqual(["FAILED", "SMS_NOT_SENT"]);
  return found[0];
}

test("a repayment sends its SMS to the client's phone: search finds it by client and event, with DateTimes", async () => {
  const loan = await MambuLoan.get("54321", { connector: conn });
  const tx = await loan.repay(100, { notes: "installment" });
  const messages = await josefasMessages("LOAN_REPAYMENT");
  const mine = messages.filter((m) => m.repaymentKey === tx.encodedKey);
  expect(mine).toHaveLength(1);
  const m = mine[0];
  expect(m).toBeInstanceOf(MambuCommunicationMessage);
  expect([m.type, m.state, m.destination, m.loanAccountKey]).toEqual(["SMS", "SENT", josefa.mobilePhone, loan.encodedKey]);
  expect(m.body).toContain("100.00 MXN");
  expect(DateTime.isDateTime(m.creationDate)).toBe(true);
  expect(m.creationDate!.toISODate()).toBe(sandbox.clock.today());
  // printed, the message keeps Josefa's phone number and the text to itself
  expect(inspect(m)).not.toContain(String(josefa.mobilePhone));
  expect(inspect(m)).not.toContain("100.00 MXN");
});

test("get reads one message by its key; an unknown key is Mambu's 404", async () => {
  const [first] = await josefasMessages("LOAN_DISBURSEMENT");
  const again = await MambuCommunicationMessage.get(first.encodedKey!, { detailsLevel: "FULL", connector: conn });
  expect(again.toJSON()).toEqual(first.toJSON());
  expect(await reasonOf(MambuCommunicationMessage.get("0123456789abcdef0123456789abcdef", { connector: conn }))).toBe("INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY");
});

test("search pages as every listing: small pages give the same messages, in the same order; for await streams them", async () => {
  const all = await MambuCommunicationMessage.search({ connector: conn });
  expect(all.length).toBeGreaterThan(3);
  const small = demoConnector(sandbox, { apipagination: 2 });
  try {
    const paged = await MambuCommunicationMessage.search({ connector: small });
    expect(paged.map((m) => m.encodedKey)).toEqual(all.map((m) => m.encodedKey));
    const streamed: string[] = [];
    for await (const m of MambuCommunicationMessage.search({ limit: 3, offset: 1, connector: small })) streamed.push(m.encodedKey!);
    expect(streamed).toEqual(all.slice(1, 4).map((m) => m.encodedKey));
  } finally {
    small.close();
  }
});

test("send: an e-mail to a client goes to the client's address; the same idempotency key sends it once; Mambu's refusals come through", async () => {
  const key = "0f6b7e3c-2a41-4d7e-9c55-7d8e9f0a1b2c";
  const fields = { type: "EMAIL", subject: "Su estado de cuenta", body: "Adjuntamos su estado de cuenta.", clientKey: josefa.encodedKey } as const;
  const sent = await MambuCommunicationMessage.send(fields, { idempotencyKey: key, connector: conn });
  expect([sent.type, sent.event, sent.state, sent.destination]).toEqual(["EMAIL", "MANUAL", "SENT", josefa.emailAddress]);
  const replay = await MambuCommunicationMessage.send(fields, { idempotencyKey: key, connector: conn });
  expect(replay.encodedKey).toBe(sent.encodedKey);
  expect((await josefasMessages("MANUAL")).map((m) => m.encodedKey)).toEqual([sent.encodedKey]);
  expect(await reasonOf(MambuCommunicationMessage.send({ type: "EMAIL", body: "sin asunto", clientKey: josefa.encodedKey }, { connector: conn }))).toBe("INVALID_EMAIL_SUBJECT");
});

test("a failed message: message.resend() sends it again (SENT, numRetries 1); a message that is not FAILED is refused", async () => {
  const m = await failedRepaymentMessage(50);
  expect(await m.resend()).toBe(m);
  expect([m.state, m.numRetries, m.failureReason]).toEqual(["SENT", 1, undefined]);
  expect(await reasonOf(MambuCommunicationMessage.resend([m], { connector: conn }))).toBe("MESSAGE_STATE_MUST_BE_FAILED");
});

test("resend in batches: five failed sends resent two at a time, every one SENT after", async () => {
  sandbox.communications.set({ failureRate: 1 });
  const failed: MambuCommunicationMessage[] = [];
  for (let i = 0; i < 5; i++) {
    failed.push(await MambuCommunicationMessage.send({ type: "SMS", body: `Recordatorio ${i}`, clientKey: josefa.encodedKey }, { connector: conn }));
  }
  expect(failed.map((m) => m.state)).toEqual(Array(5).fill("FAILED"));
  sandbox.communications.set({ failureRate: 0 });
  const batches: number[] = [];
  const n = await MambuCommunicationMessage.resend(failed.map((m) => m.encodedKey!), { batchSize: 2, connector: conn, onBatch: (b) => batches.push(b.length) });
  expect([n, batches]).toEqual([5, [2, 2, 1]]);
  for (const m of failed) await m.refresh();
  expect(failed.map((m) => [m.state, m.numRetries])).toEqual(Array(5).fill(["SENT", 1]));
});

test("resendFailed: the failed SMS of one client since today, found first and then resent; 0 when nothing failed", async () => {
  const m = await failedRepaymentMessage(60);
  const othersFailed = (await MambuCommunicationMessage.search({ filterCriteria: [{ field: "state", operator: "EQUALS", value: "FAILED" }], connector: conn }))
    .filter((x) => x.clientKey !== josefa.encodedKey);
  expect(othersFailed.length).toBeGreaterThan(0); // the demo tenant's clients without a phone
  const n = await MambuCommunicationMessage.resendFailed({ clientKey: josefa.encodedKey!, type: "SMS", since: sandbox.clock.today(), connector: conn });
  expect(n).toBe(1);
  await m.refresh();
  expect([m.state, m.numRetries]).toEqual(["SENT", 1]);
  for (const o of othersFailed) expect((await o.refresh()).numRetries).toBe(0); // other clients' messages untouched
  expect(await MambuCommunicationMessage.resendFailed({ clientKey: josefa.encodedKey!, connector: conn })).toBe(0);
  expect(await MambuCommunicationMessage.resendFailed({ since: DateTime.fromISO("2099-01-01T00:00:00+02:00", { setZone: true }), connector: conn })).toBe(0);
});
