/**
 * Standing orders on the sandbox's payment gateway, through the library's `Payments.StandingOrder`: executions on
 * the sandbox clock (each debiting the debtor's EUR deposit account, found by its IBAN), a failed one retried the
 * next day per the order's retry policy, suspension and cancellation stopping them, search with paging, and the
 * executions list. The v2 balance is read through API v2 at every step. One sandbox for the file; its clock only
 * moves forward, and each test counts its days from where the clock stands.
 */
import { DateTime } from "luxon";
import { Decimal, MambuError, Payments } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { outboxOf } from "../../lib/sandbox/payments/callout";
import { demoConnector } from "../helpers/sandbox-connector";
import { call } from "./sandbox-helpers";
import { DEMO_API_KEY, openEurAccount, payCall, v2Balance } from "./sandbox-payments-helpers";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;

/** The sandbox's today moved by `n` days, `YYYY-MM-DD`. */
function day(n: number): string {
  return DateTime.fromISO(sb.clock.today(), { zone: "utc" }).plus({ days: n }).toISODate()!;
}

/** `YYYY-MM-DD` of a DateTime or string the library answered. */
function iso(d: DateTime | string | null | undefined): string | undefined | null {
  return DateTime.isDateTime(d) ? d.toISODate() : d;
}

/** Opens an EUR account with `opening` and maps `iban` to it. */
async function account(id: string, iban: string, opening: string): Promise<void> {
  await openEurAccount(sb, id, opening);
  await Payments.AccountIdentification.map(id, { iban, currency: "EUR" }, { connector });
}

/** The fields of an order paying `amount` from `iban`. */
function order(iban: string, amount: string, over: Partial<Payments.StandingOrderFields>): Payments.StandingOrderFields {
  return {
    ownerId: "OWNER-1",
    frequency: "DAILY",
    startDate: day(1),
    payment: {
      debtorAccount: { identification: { iban }, currency: "EUR" },
      debtorName: "Jane Debtor",
      creditorAccount: { identification: { iban: "GB29NWBK60161331926819" }, currency: "EUR" },
      creditorName: "Landlord Ltd",
      instructedAmount: { amount: new Decimal(amount), currency: "EUR" },
      remittanceInformationUnstructured: "Rent",
      scheme: "SEPA",
    },
    retryPolicy: { retryCount: 2 },
    ...over,
  };
}

/** The executions' status/type/reason, in order. */
async function runs(o: Payments.StandingOrder): Promise<string[]> {
  return (await o.executions({ connector })).map((e) => `${iso(e.requestedExecuteOn as DateTime)?.slice(0, 10) ?? String(e.requestedExecuteOn).slice(0, 10)} ${e.type} ${e.status}${e.failReason ? ` ${e.failReason}` : ""}`);
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-03-02T10:00:00+01:00", offset: "+01:00" } });
  connector = demoConnector(sb, { retries: 0, apikey: DEMO_API_KEY });
});
afterAll(async () => {
  await sb.stop();
});

test("three monthly periods: paid, failed for short funds then retried the next day after a deposit, paid; balances exact at each step", async () => {
  await account("SO-A", "DE89370400440532013000", "100");
  const first = day(1);
  const second = DateTime.fromISO(first).plus({ months: 1 }).toISODate()!;
  const third = DateTime.fromISO(first).plus({ months: 2 }).toISODate()!;
  const created = await Payments.StandingOrder.create(order("DE89370400440532013000", "40.25", { frequency: "MONTHLY", startDate: first, endDate: third }), { connector });
  const o = await Payments.StandingOrder.get(created.id, { connector });
  expect(o).toMatchObject({ status: "ACTIVE", frequency: "MONTHLY", retryCount: 2, paymentsCount: 0, suspendDateFrom: null, suspendDateTo: null });
  expect(iso(o.nextExecution)).toBe(first);
  expect(o.payment?.instructedAmount.amount).toEqual(new Decimal("40.25"));
  expect(await v2Balance(sb, "SO-A")).toBe(100);

  sb.clock.set(`${first}T09:00:00+01:00`);
  expect(await v2Balance(sb, "SO-A")).toBe(59.75);
  expect(await runs(o)).toEqual([`${first} REGULAR COMPLETED`]);

  // The account is nearly emptied: the second period fails and is retried the next day.
  expect((await call(sb, "POST", "/deposits/SO-A/withdrawal-transactions", { body: { amount: 50 } })).status).toBe(201);
  sb.clock.set(`${second}T09:00:00+01:00`);
  expect(await v2Balance(sb, "SO-A")).toBe(9.75);
  expect(await runs(o)).toEqual([`${first} REGULAR COMPLETED`, `${second} REGULAR FAILED INSUFFICIENT_FUNDS`]);
  const failing = await Payments.StandingOrder.get(o.id, { connector });
  expect(iso(failing.nextExecution)).toBe(DateTime.fromISO(second).plus({ days: 1 }).toISODate());
  expect(failing.paymentsCount).toBe(1);

  expect((await call(sb, "POST", "/deposits/SO-A/deposit-transactions", { body: { amount: 100 } })).status).toBe(201);
  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "SO-A")).toBe(69.5);
  const retried = await runs(o);
  expect(retried[2]).toBe(`${DateTime.fromISO(second).plus({ days: 1 }).toISODate()} RETRY COMPLETED`);
  expect(retried).toHaveLength(3);

  sb.clock.set(`${third}T09:00:00+01:00`);
  expect(await v2Balance(sb, "SO-A")).toBe(29.25);
  const done = await Payments.StandingOrder.get(o.id, { connector });
  expect(done.paymentsCount).toBe(3);
  expect(iso(done.lastExecution)).toBe(third);
  expect(done.nextExecution).toBeUndefined();
  const executions = await o.executions({ connector });
  expect(executions).toHaveLength(4);
  expect(executions.every((e) => e.standingOrderId === o.id)).toBe(true);
  // Each paid execution is a credit transfer (its pacs.008 queued for the callout); the failed one made none.
  const paid = executions.filter((e) => e.status === "COMPLETED");
  expect(executions.find((e) => e.status === "FAILED")?.paymentOrderId).toBeUndefined();
  for (const e of paid) expect((await Payments.Payment.get(e.paymentOrderId!, { connector })).status).toBe("ACSP");
  const sent = outboxOf(sb.store).list().filter((m) => paid.some((e) => e.paymentOrderId === m.paymentId));
  expect(sent).toHaveLength(3);
  expect(sent[0].xml).toContain('<IntrBkSttlmAmt Ccy="EUR">40.25</IntrBkSttlmAmt>');
  sb.clock.advance({ days: 40 });
  expect(await v2Balance(sb, "SO-A")).toBe(29.25);
});

test("a failure retried up to the retry count is left unpaid; a retry count of 0 never retries", async () => {
  await account("SO-R", "DE44500105175407324931", "5");
  const start = day(1);
  const o = await Payments.StandingOrder.create(order("DE44500105175407324931", "10", { startDate: start, endDate: start, retryPolicy: { retryCount: 2 } }), { connector });
  const none = await Payments.StandingOrder.create(order("DE44500105175407324931", "10", { startDate: start, endDate: start, retryPolicy: { retryCount: 0 } }), { connector });
  sb.clock.advance({ days: 5 });
  expect(await v2Balance(sb, "SO-R")).toBe(5);
  expect((await runs(o)).map((r) => r.slice(11))).toEqual(["REGULAR FAILED INSUFFICIENT_FUNDS", "RETRY FAILED INSUFFICIENT_FUNDS", "RETRY FAILED INSUFFICIENT_FUNDS"]);
  expect((await runs(none)).map((r) => r.slice(11))).toEqual(["REGULAR FAILED INSUFFICIENT_FUNDS"]);
  const after = await Payments.StandingOrder.get(o.id, { connector });
  expect(after).toMatchObject({ status: "ACTIVE", paymentsCount: 0 });
  expect(after.nextExecution).toBeUndefined();
});

test("a suspension skips the occurrences inside it (SUSPENDED meanwhile); a cancellation ends the order", async () => {
  await account("SO-S", "DE75512108001245126199", "1000");
  const o = await Payments.StandingOrder.create(order("DE75512108001245126199", "10", { frequency: "WEEKLY", startDate: day(0) }), { connector });
  expect(await v2Balance(sb, "SO-S")).toBe(990); // starting today: paid at once
  await o.suspend({ startDate: day(1), endDate: day(8) }, { connector });
  const planned = await Payments.StandingOrder.get(o.id, { connector });
  expect(planned.status).toBe("ACTIVE");
  expect([iso(planned.suspendDateFrom), iso(planned.suspendDateTo)]).toEqual([day(1), day(8)]);
  expect(iso(planned.nextExecution)).toBe(day(14));

  sb.clock.advance({ days: 7 });
  expect(await v2Balance(sb, "SO-S")).toBe(990);
  expect((await Payments.StandingOrder.get(o.id, { connector })).status).toBe("SUSPENDED");
  sb.clock.advance({ days: 7 });
  expect(await v2Balance(sb, "SO-S")).toBe(980);
  expect((await Payments.StandingOrder.get(o.id, { connector })).status).toBe("ACTIVE");
  expect((await runs(o)).map((r) => r.slice(11))).toEqual(["REGULAR COMPLETED", "REGULAR COMPLETED"]);

  await o.cancel({ connector });
  const cancelled = await Payments.StandingOrder.get(o.id, { connector });
  expect(cancelled.status).toBe("CANCELED");
  expect(cancelled.nextExecution).toBeUndefined();
  sb.clock.advance({ days: 21 });
  expect(await v2Balance(sb, "SO-S")).toBe(980);
  expect(await runs(o)).toHaveLength(2);
  await o.cancel({ connector }); // again: nothing changes
  const refused = await o.suspend({ endDate: day(3) }, { connector }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(MambuError);
  expect((refused as MambuError).tppMessages?.[0]).toMatchObject({ code: "INVALID_TRANSACTION_STATE" });
});

test("search by owner and status, paged by offset and limit in creation order; unsupported filters are refused", async () => {
  await account("SO-P", "DE12500105170648489890", "0");
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await Payments.StandingOrder.create(order("DE12500105170648489890", "1", { ownerId: "OWNER-PAGED", startDate: day(30), endDate: day(30) }), { connector })).id);
  await Payments.StandingOrder.get(ids[4], { connector }).then((o) => o.cancel({ connector }));

  const page1 = await Payments.StandingOrder.search({ ownerId: "OWNER-PAGED", limit: 2 }, { connector });
  const page2 = await Payments.StandingOrder.search({ ownerId: "OWNER-PAGED", limit: 2, offset: 2 }, { connector });
  const page3 = await Payments.StandingOrder.search({ ownerId: "OWNER-PAGED", limit: 2, offset: 4 }, { connector });
  expect([...page1, ...page2, ...page3].map((o) => o.id)).toEqual(ids);
  expect(page3[0].status).toBe("CANCELED");
  const active = await Payments.StandingOrder.search({ ownerId: "OWNER-PAGED", status: "ACTIVE" }, { connector });
  expect(active.map((o) => o.id)).toEqual(ids.slice(0, 4));
  expect((await Payments.StandingOrder.search({ ownerId: "OWNER-PAGED", status: "CANCELED" }, { connector })).map((o) => o.id)).toEqual([ids[4]]);
  expect(await Payments.StandingOrder.search({ ownerId: "NOBODY" }, { connector })).toEqual([]);

  const unsupported = await payCall(sb, "POST", "/payments/standing-orders:search", { body: { filterCriteria: [{ field: "AMOUNT", operator: "EQUALS", value: "1" }] } });
  expect(unsupported.status).toBe(400);
  expect(unsupported.body.tppMessages[0]).toMatchObject({ code: "PARAMETER_NOT_SUPPORTED", path: "filterCriteria[0].field" });
  const tooMany = await payCall(sb, "POST", "/payments/standing-orders:search", { body: { filterCriteria: [], limit: 1001 } });
  expect(tooMany.status).toBe(400);
});

test("refused: a start in the past, an IBAN mapped to no account, a retry count out of range; an unknown order is 404 RESOURCE_UNKNOWN", async () => {
  const past = await Payments.StandingOrder.create(order("DE89370400440532013000", "1", { startDate: day(-1) }), { connector }).catch((e: unknown) => e);
  expect(past).toBeInstanceOf(MambuError);
  expect((past as MambuError).tppMessages?.[0]).toMatchObject({ code: "FORMAT_ERROR", path: "startDate" });
  const unmapped = Payments.StandingOrder.create(order("AT611904300234573201", "1", {}), { connector });
  await expect(unmapped).rejects.toMatchObject({ status: 400, tppMessages: [{ code: "FORMAT_ERROR", path: "payment.debtorAccount.identification.iban" }] });
  const retries = Payments.StandingOrder.create(order("DE89370400440532013000", "1", { retryPolicy: { retryCount: 11 } }), { connector });
  await expect(retries).rejects.toMatchObject({ status: 400, tppMessages: [{ code: "FORMAT_ERROR", path: "retryPolicy.retryCount" }] });
  const missing = await Payments.StandingOrder.get("no-such-order", { connector }).catch((e: unknown) => e);
  expect((missing as MambuError).status).toBe(404);
  expect((missing as MambuError).tppMessages?.[0]).toMatchObject({ code: "RESOURCE_UNKNOWN" });
  const executions = await payCall(sb, "GET", "/payments/standing-orders/no-such-order/executions");
  expect(executions.status).toBe(404);
});

test("an order whose stored amount is broken fails its execution (OTHER): the other orders still run and API v2 keeps answering", async () => {
  await account("SO-X", "DE27100777770209299700", "100");
  const broken = await Payments.StandingOrder.create(order("DE27100777770209299700", "1", { startDate: day(1), endDate: day(1) }), { connector });
  const healthy = await Payments.StandingOrder.create(order("DE27100777770209299700", "2", { startDate: day(1), endDate: day(1) }), { connector });
  const rec = sb.store.find("paystandingorders", sb.store.coll("paystandingorders").idIndex.get(broken.id)!)!;
  sb.store.replace("paystandingorders", { ...rec, payment: { ...(rec.payment as object), instructedAmount: { currency: "EUR", amount: "not a number" } } });
  sb.clock.advance({ days: 1 });
  expect(await v2Balance(sb, "SO-X")).toBe(98);
  expect((await runs(healthy)).map((r) => r.slice(11))).toEqual(["REGULAR COMPLETED"]);
  expect((await runs(broken)).map((r) => r.slice(11))).toEqual(["REGULAR FAILED OTHER"]);
});

test("a monthly order from the 31st pays on the last day of a shorter month, then on the 31st again", async () => {
  await account("SO-M", "NL91ABNA0417164300", "1000");
  const o = await Payments.StandingOrder.create(order("NL91ABNA0417164300", "100", { frequency: "MONTHLY", startDate: "2027-01-31", endDate: "2027-03-31" }), { connector });
  sb.clock.set("2027-01-31T12:00:00+01:00");
  expect(iso((await Payments.StandingOrder.get(o.id, { connector })).nextExecution)).toBe("2027-02-28");
  sb.clock.set("2027-04-01T12:00:00+01:00");
  expect((await runs(o)).map((r) => r.slice(0, 10))).toEqual(["2027-01-31", "2027-02-28", "2027-03-31"]);
  expect(await v2Balance(sb, "SO-M")).toBe(700);
});
