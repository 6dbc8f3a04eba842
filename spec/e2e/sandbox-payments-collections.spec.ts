/**
 * SEPA direct debit collections on the sandbox's payment gateway, through the library's `Payments.Collection`:
 * the debtor's EUR deposit account (found by its IBAN through account identifications) is debited on the
 * requested collection date as the sandbox clock reaches it — never before —, a blocking rule rejects (MS02), short
 * funds reject at the due date (AM04), and the mandate's sequence types are kept. The v2 balance is read through
 * API v2 at every step. One sandbox for the file; its clock only moves forward.
 */
import { DateTime } from "luxon";
import { Decimal, MambuError, Payments } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { outboxOf } from "../../lib/sandbox/payments/callout";
import { demoConnector } from "../helpers/sandbox-connector";
import { call } from "./sandbox-helpers";
import { DEMO_API_KEY, openEurAccount, payCall, v2Balance, v2Transactions } from "./sandbox-payments-helpers";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;
const CREDITOR = "DE98ZZZ09999999999";
const OTHER_CREDITOR = "DE79ZZZ01234567890";
const CREDITOR_IBAN = "GB29NWBK60161331926819";

/** The sandbox's today moved by `n` days, `YYYY-MM-DD`. */
function day(n: number): string {
  return DateTime.fromISO(sb.clock.today(), { zone: "utc" }).plus({ days: n }).toISODate()!;
}

/** Fields of a collection of `amount` from `iban` under `mandate`, due `due`. */
function collection(iban: string, amount: string, mandate: string, due: string, sequenceType = "RCUR", creditor = CREDITOR): Payments.CollectionFields {
  return {
    debtorAccount: { identification: { iban }, currency: "EUR" },
    debtorName: "Jane Debtor",
    creditorAccount: { identification: { iban: CREDITOR_IBAN }, currency: "EUR" },
    creditorName: "Utility Company",
    instructedAmount: { amount: new Decimal(amount), currency: "EUR" },
    requestedExecutionDate: due,
    mandateRelatedInformation: { mandateIdentification: mandate, dateOfSignature: "2025-06-01" },
    paymentTypeInformation: { sequenceType: sequenceType as "RCUR" },
    creditorSchemeIdentification: { identification: { privateIdentification: creditor } },
  };
}

/** The pacs.002 reports queued for the callout about a collection. */
function reportsOf(collectionId: string): string[] {
  return outboxOf(sb.store)
    .list()
    .filter((m) => m.paymentId === collectionId && m.messageType === "urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03")
    .map((m) => m.xml);
}

/** Opens an EUR account with `opening` and maps `iban` to it. */
async function account(id: string, iban: string, opening: string): Promise<void> {
  await openEurAccount(sb, id, opening);
  await Payments.AccountIdentification.map(id, { iban, currency: "EUR" }, { connector });
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-03-02T10:00:00+01:00", offset: "+01:00" } });
  connector = demoConnector(sb, { retries: 0, apikey: DEMO_API_KEY });
});
afterAll(async () => {
  await sb.stop();
});

test("a collection is debited on its due date, not before: RCVD, accepted until then, settled (ACSC) with the exact amount", async () => {
  await account("DD-A", "DE89370400440532013000", "300");
  const due = day(2);
  const c = await Payments.Collection.initiate(collection("DE89370400440532013000", "123.45", "MANDATE-A-1", due, "FRST"), { connector });
  expect(c.status).toBe("RCVD");
  expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await v2Balance(sb, "DD-A")).toBe(300);

  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "DD-A")).toBe(300);
  const waiting = await Payments.Collection.get(c.id, { connector });
  expect(waiting.status).toBe("ACSP");

  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "DD-A")).toBe(176.55);
  const settled = await Payments.Collection.get(c.id, { connector });
  expect(settled.status).toBe("ACSC");
  expect(settled.tppMessages).toEqual([]);
  expect(reportsOf(c.id)).toEqual([]);
  const tx = (await v2Transactions(sb, "DD-A")).find((t) => String(t.notes).includes(c.id));
  expect(tx).toMatchObject({ type: "WITHDRAWAL", amount: -123.45 });
  expect(String(tx?.valueDate).slice(0, 10)).toBe(due);

  // Later requests, EOD and the gateway's own reads never debit it twice.
  expect((await call(sb, "POST", "/crons/eod:run")).status).toBe(202);
  sb.clock.advance({ days: 3 });
  expect(await v2Balance(sb, "DD-A")).toBe(176.55);
  expect((await Payments.Collection.get(c.id, { connector })).status).toBe("ACSC");
});

test("a collection due today is debited at once; one the clock jumped past is debited dated its due day", async () => {
  await account("DD-T", "DE44500105175407324931", "100");
  const today = await Payments.Collection.initiate(collection("DE44500105175407324931", "10", "MANDATE-T-1", day(0), "OOFF"), { connector });
  expect(await v2Balance(sb, "DD-T")).toBe(90);
  expect((await Payments.Collection.get(today.id, { connector })).status).toBe("ACSC");

  const due = day(1);
  const later = await Payments.Collection.initiate(collection("DE44500105175407324931", "0.01", "MANDATE-T-2", due, "FRST"), { connector });
  sb.clock.advance({ days: 4 }); // nothing touched the sandbox in between: the end-of-day run catches up
  expect((await call(sb, "POST", "/crons/eod:run")).status).toBe(202);
  expect((await Payments.Collection.get(later.id, { connector })).status).toBe("ACSC");
  const tx = (await v2Transactions(sb, "DD-T")).find((t) => String(t.notes).includes(later.id));
  expect(tx).toMatchObject({ type: "WITHDRAWAL", amount: -0.01 });
  expect(String(tx?.valueDate).slice(0, 10)).toBe(due);
  expect(await v2Balance(sb, "DD-T")).toBe(89.99);
});

test("a blocking rule rejects: against the mandate at initiation (RJCT, PAYMENT_FAILED, MS02), against all at the due date; others still go", async () => {
  await account("DD-B", "DE75512108001245126199", "500");
  await Payments.BlockingRule.create("DD-B", { creditorIdentifier: CREDITOR, mandateIdentification: "MANDATE-B-1" }, { connector });

  const blocked = await Payments.Collection.initiate(collection("DE75512108001245126199", "50", "MANDATE-B-1", day(1)), { connector });
  expect(blocked.status).toBe("RJCT");
  expect(blocked.tppMessages).toEqual([{ category: "ERROR", code: "PAYMENT_FAILED", text: expect.stringContaining("MS02") }]);
  const [report] = reportsOf(blocked.id);
  expect(report).toContain("<TxSts>RJCT</TxSts>");
  expect(report).toContain("<Cd>MS02</Cd>");
  expect(report).toContain("<OrgnlMsgNmId>pacs.003.001.02</OrgnlMsgNmId>");
  // Another creditor's mandate of the same id, and another mandate, are not blocked.
  const other = await Payments.Collection.initiate(collection("DE75512108001245126199", "20", "MANDATE-B-1", day(1), "RCUR", OTHER_CREDITOR), { connector });
  const second = await Payments.Collection.initiate(collection("DE75512108001245126199", "30", "MANDATE-B-2", day(2)), { connector });
  expect([other.status, second.status]).toEqual(["RCVD", "RCVD"]);

  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "DD-B")).toBe(480);
  expect((await Payments.Collection.get(blocked.id, { connector })).status).toBe("RJCT");
  expect((await Payments.Collection.get(other.id, { connector })).status).toBe("ACSC");

  // A rule against every direct debit, added before the second one falls due, rejects it then.
  await Payments.BlockingRule.create("DD-B", undefined, { connector });
  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "DD-B")).toBe(480);
  const rejected = await Payments.Collection.get(second.id, { connector });
  expect(rejected.status).toBe("RJCT");
  expect(rejected.tppMessages[0]).toMatchObject({ code: "PAYMENT_FAILED", text: expect.stringContaining("MS02") });

  await Payments.BlockingRule.deleteAll("DD-B", { connector });
  const after = await Payments.Collection.initiate(collection("DE75512108001245126199", "5", "MANDATE-B-3", day(0), "FRST"), { connector });
  expect((await Payments.Collection.get(after.id, { connector })).status).toBe("ACSC");
  expect(await v2Balance(sb, "DD-B")).toBe(475);
});

test("short funds on the due date reject the collection (RJCT, AM04) and leave the balance", async () => {
  await account("DD-F", "DE12500105170648489890", "40");
  const c = await Payments.Collection.initiate(collection("DE12500105170648489890", "40.01", "MANDATE-F-1", day(1)), { connector });
  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "DD-F")).toBe(40);
  const failed = await Payments.Collection.get(c.id, { connector });
  expect(failed.status).toBe("RJCT");
  expect(failed.tppMessages).toEqual([{ category: "ERROR", code: "PAYMENT_FAILED", text: expect.stringContaining("AM04") }]);
  expect(reportsOf(c.id)).toEqual([expect.stringContaining("<Cd>AM04</Cd>")]);
  // A rejected FRST does not count: the mandate may start again.
  const retry = await Payments.Collection.initiate(collection("DE12500105170648489890", "40", "MANDATE-F-1", day(0), "FRST"), { connector });
  expect((await Payments.Collection.get(retry.id, { connector })).status).toBe("ACSC");
  expect(await v2Balance(sb, "DD-F")).toBe(0);
});

test("the mandate's sequence: FRST and OOFF only first, nothing after FNAL or OOFF (400 FORMAT_ERROR on the sequence type)", async () => {
  await account("DD-S", "DE91100000000123456789", "1000");
  await Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-1", day(1), "FRST"), { connector });
  const twice = await Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-1", day(1), "FRST"), { connector }).catch((e: unknown) => e);
  expect(twice).toBeInstanceOf(MambuError);
  expect((twice as MambuError).status).toBe(400);
  expect((twice as MambuError).tppMessages).toEqual([{ category: "ERROR", code: "FORMAT_ERROR", path: "paymentTypeInformation.sequenceType", text: expect.stringContaining("first") }]);
  await Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-1", day(2), "RCUR"), { connector });
  await Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-1", day(3), "FNAL"), { connector });
  const afterFinal = Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-1", day(4), "RCUR"), { connector });
  await expect(afterFinal).rejects.toMatchObject({ status: 400, tppMessages: [{ code: "FORMAT_ERROR", path: "paymentTypeInformation.sequenceType" }] });
  await Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-2", day(1), "OOFF"), { connector });
  const afterOneOff = Payments.Collection.initiate(collection("DE91100000000123456789", "1", "MANDATE-S-2", day(2), "RCUR"), { connector });
  await expect(afterOneOff).rejects.toMatchObject({ status: 400, tppMessages: [{ code: "FORMAT_ERROR", path: "paymentTypeInformation.sequenceType" }] });
  expect(await v2Balance(sb, "DD-S")).toBe(1000);
});

test("refused before anything is stored: a past due date, a mandate signed later, an unmapped IBAN, a currency other than EUR; an unknown id is 404", async () => {
  const body = (over: Record<string, unknown>) => ({
    debtorAccount: { identification: { iban: "DE89370400440532013000" } },
    debtorName: "Jane Debtor",
    creditorAccount: { identification: { iban: CREDITOR_IBAN } },
    creditorName: "Utility Company",
    instructedAmount: { amount: "10.00", currency: "EUR" },
    requestedExecutionDate: day(1),
    mandateRelatedInformation: { mandateIdentification: "MANDATE-R-1", dateOfSignature: "2025-06-01" },
    paymentTypeInformation: { sequenceType: "RCUR" },
    creditorSchemeIdentification: { identification: { privateIdentification: CREDITOR } },
    ...over,
  });
  const headers = { "X-Request-ID": "req-1" };
  const past = await payCall(sb, "POST", "/collections", { body: body({ requestedExecutionDate: day(-1) }), headers });
  expect(past.status).toBe(400);
  expect(past.body.tppMessages).toEqual([{ category: "ERROR", code: "FORMAT_ERROR", path: "requestedExecutionDate", text: expect.stringContaining("today") }]);
  const signedLater = await payCall(sb, "POST", "/collections", { body: body({ requestedExecutionDate: day(1), mandateRelatedInformation: { mandateIdentification: "M", dateOfSignature: day(1) } }), headers });
  expect(signedLater.status).toBe(400);
  expect(signedLater.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "mandateRelatedInformation.dateOfSignature" });
  const unmapped = await payCall(sb, "POST", "/collections", { body: body({ debtorAccount: { identification: { iban: "AT611904300234573201" } } }), headers });
  expect(unmapped.status).toBe(400);
  expect(unmapped.body.tppMessages[0]).toMatchObject({ code: "PAYMENT_FAILED", path: "debtorAccount.identification.iban" });
  const dollars = await payCall(sb, "POST", "/collections", { body: body({ instructedAmount: { amount: "10.00", currency: "USD" } }), headers });
  expect(dollars.status).toBe(400);
  expect(dollars.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "instructedAmount.currency" });
  const cents = await payCall(sb, "POST", "/collections", { body: body({ instructedAmount: { amount: "10.001", currency: "EUR" } }), headers });
  expect(cents.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "instructedAmount.amount" });

  const missing = await Payments.Collection.get("no-such-collection", { connector }).catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(MambuError);
  expect((missing as MambuError).status).toBe(404);
  expect((missing as MambuError).tppMessages?.[0]).toMatchObject({ code: "RESOURCE_UNKNOWN" });
});
