/**
 * The Payments API entities (lib/entities/payments): CreditTransfer.initiate checks every field before sending and
 * sends the exact body (amount digits kept) with the apikey and a v4 Idempotency-Key kept on retry; Payment.get
 * reads a status; an error answer is a MambuError keeping every TPPMessage; StandingOrder create/get/cancel/
 * suspend/search/executions with dates as luxon DateTime and amounts as Decimal.
 */
import nock from "nock";
import { DateTime } from "luxon";
import { Decimal, MambuError, MambuTsError, Payments } from "../../lib";

const { AccountIdentification, BlockingRule, Collection, CreditTransfer, Payment, StandingOrder } = Payments;
import { capture, Captured, mambu, testConnector } from "../helpers/mambu";

const KEY = "pay-K3y-S3cr3t";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const keyed = () => testConnector({ apikey: KEY });
const IBAN_DE = "DE89370400440532013000";
const IBAN_NL = "NL91ABNA0417164300";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const transfer = () => ({
  debtorAccount: { identification: { iban: IBAN_DE } },
  debtorName: "Erika Mustermann",
  creditorAccount: { identification: { iban: IBAN_NL } },
  creditorName: "Jan de Vries",
  instructedAmount: { amount: new Decimal("1234567.10"), currency: "EUR" as const },
  remittanceInformationUnstructured: "Invoice 2026/117",
  paymentIdentification: { endToEndIdentification: "E2E-2026-117" },
});

/** Any request reaching the API while this scope is active fails the test (afterEach checks no mock is left). */
function noRequest(): void {
  mambu().post(/.*/).reply(500, "must not be sent").get(/.*/).reply(500, "must not be sent");
}

describe("CreditTransfer.initiate", () => {
  test("sends the exact body (amount digits kept) with the apikey and a v4 Idempotency-Key, and answers the payment", async () => {
    const seen: Captured = {};
    mambu().post("/api/v1/payments").reply(capture(seen, 201, { paymentId: "P1", transactionStatus: "RCVD", transactionFeeIndicator: false }));
    const payment = await CreditTransfer.initiate(transfer(), { connector: keyed() });
    expect(JSON.parse(seen.body!)).toEqual({
      debtorAccount: { identification: { iban: IBAN_DE } },
      debtorName: "Erika Mustermann",
      creditorAccount: { identification: { iban: IBAN_NL } },
      creditorName: "Jan de Vries",
      instructedAmount: { amount: "1234567.10", currency: "EUR" },
      remittanceInformationUnstructured: "Invoice 2026/117",
      paymentIdentification: { endToEndIdentification: "E2E-2026-117" },
    });
    expect(seen.body).toContain('"amount":"1234567.10"');
    expect(seen.headers?.apikey).toBe(KEY);
    expect(seen.headers?.authorization).toBeUndefined();
    expect(String(seen.headers?.["idempotency-key"])).toMatch(UUID_V4);
    expect(payment).toBeInstanceOf(Payment);
    expect(payment.id).toBe("P1");
    expect(payment.status).toBe("RCVD");
    expect(payment.transactionFeeIndicator).toBe(false);
    expect(payment.tppMessages).toEqual([]);
  });

  test("a requested execution day given as a DateTime is sent as YYYY-MM-DD", async () => {
    const seen: Captured = {};
    mambu().post("/api/v1/payments").reply(capture(seen, 201, { paymentId: "P4", transactionStatus: "RCVD" }));
    await CreditTransfer.initiate({ ...transfer(), requestedExecutionDate: DateTime.fromISO("2026-12-24", { zone: "Europe/Berlin" }) }, { connector: keyed() });
    expect(JSON.parse(seen.body!).requestedExecutionDate).toBe("2026-12-24");
  });

  test("a given Idempotency-Key is sent, and the same key goes again when a 503 is retried", async () => {
    const keys: string[] = [];
    const record = (status: number, body: string) =>
      function (this: nock.ReplyFnContext): nock.ReplyFnResult {
        keys.push(String(this.req.headers["idempotency-key"]));
        return [status, body, { "Content-Type": "application/json" }];
      };
    const key = "3b241101-e2bb-4255-8caf-4136c566a962";
    mambu().post("/api/v1/payments").reply(record(503, "")).post("/api/v1/payments").reply(record(201, '{"paymentId":"P2","transactionStatus":"RCVD"}'));
    const payment = await CreditTransfer.initiate(transfer(), { connector: keyed(), idempotencyKey: key });
    expect(keys).toEqual([key, key]);
    expect(payment.id).toBe("P2");

    keys.length = 0;
    mambu().post("/api/v1/payments").reply(record(503, "")).post("/api/v1/payments").reply(record(201, '{"paymentId":"P3","transactionStatus":"RCVD"}'));
    await CreditTransfer.initiate(transfer(), { connector: keyed() });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(UUID_V4);
    expect(keys[1]).toBe(keys[0]);
  });

  test("a 400 with TPPMessages is a MambuError keeping every message whole", async () => {
    const messages = [
      { category: "ERROR", code: "FORMAT_ERROR", path: "creditorAccount.identification.iban", text: "IBAN not reachable" },
      { category: "WARN", code: "PAYMENT_FAILED", text: "second message" },
    ];
    mambu().post("/api/v1/payments").reply(400, { tppMessages: messages }, { "Content-Type": "application/json" });
    const err = await CreditTransfer.initiate(transfer(), { connector: keyed() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).status).toBe(400);
    expect((err as MambuError).tppMessages).toEqual(messages);
  });

  test.each<[string, (t: ReturnType<typeof transfer>) => unknown, RegExp]>([
    ["a wrong IBAN check digit", (t) => ({ ...t, creditorAccount: { identification: { iban: "NL92ABNA0417164300" } } }), /^creditorAccount\.identification\.iban: IBAN NL92…4300: its check digits are wrong/],
    ["a wrong IBAN length", (t) => ({ ...t, debtorAccount: { identification: { iban: "DE8937040044053201300" } } }), /^debtorAccount\.identification\.iban: .*wrong length/],
    ["a bad BIC", (t) => ({ ...t, creditorAgent: { institutionIdentification: { bicfi: "ABNANL2" } } }), /^creditorAgent\.institutionIdentification\.bicfi: a BIC has 8 or 11/],
    ["a character outside the SEPA set", (t) => ({ ...t, creditorName: "Jan & Søn" }), /^creditorName: use only the SEPA character set/],
    ["a name over 70 characters", (t) => ({ ...t, debtorName: "E".repeat(71) }), /^debtorName: at most 70 characters/],
    ["a remittance over 140 characters", (t) => ({ ...t, remittanceInformationUnstructured: "R".repeat(141) }), /^remittanceInformationUnstructured: at most 140/],
    ["an end-to-end id over 35 characters", (t) => ({ ...t, paymentIdentification: { endToEndIdentification: "E".repeat(36) } }), /^paymentIdentification\.endToEndIdentification: at most 35/],
    ["another currency", (t) => ({ ...t, instructedAmount: { amount: new Decimal("1"), currency: "USD" } }), /^instructedAmount\.currency: SEPA payments are in euros/],
    ["an amount as a number", (t) => ({ ...t, instructedAmount: { amount: 12.5, currency: "EUR" } }), /^instructedAmount\.amount: .*never a number/],
    ["a missing creditor name", (t) => ({ ...t, creditorName: undefined }), /^creditorName: is required/],
    ["an execution date that is not a day", (t) => ({ ...t, requestedExecutionDate: "31.12.2026" }), /^requestedExecutionDate: give a luxon DateTime or a YYYY-MM-DD date/],
  ])("%s is refused before any request", async (_what, change, message) => {
    noRequest();
    const err = await CreditTransfer.initiate(change(transfer()) as never, { connector: keyed() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err).not.toBeInstanceOf(MambuError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("Mustermann");
    expect(nock.pendingMocks()).toHaveLength(2); // nothing was sent
    nock.cleanAll();
  });

  test("an unknown option and a non-v4 idempotency key are refused before any request", async () => {
    noRequest();
    await expect(CreditTransfer.initiate(transfer(), { connector: keyed(), idempotency: "x" } as never)).rejects.toThrow(MambuTsError);
    await expect(CreditTransfer.initiate(transfer(), { connector: keyed(), idempotencyKey: "not-a-uuid" })).rejects.toThrow(MambuTsError);
    expect(nock.pendingMocks()).toHaveLength(2);
    nock.cleanAll();
  });
});

describe("Payment.get", () => {
  test("reads the payment's status and keeps the details", async () => {
    const seen: Captured = {};
    mambu()
      .get("/api/v1/payments/P%2F1")
      .reply(capture(seen, 200, { paymentId: "P/1", transactionStatus: "RJCT", tppMessages: [{ category: "WARN", code: "PAYMENT_FAILED" }], extra: "kept" }));
    const p = await Payment.get("P/1", { connector: keyed() });
    expect(seen.headers?.apikey).toBe(KEY);
    expect(p.id).toBe("P/1");
    expect(p.status).toBe("RJCT");
    expect(p.rejected).toBe(true);
    expect(p.tppMessages).toEqual([{ category: "WARN", code: "PAYMENT_FAILED" }]);
    expect(p.details.extra).toBe("kept");
  });

  test("a 404 is a MambuError with its TPPMessages; an empty id is refused before sending", async () => {
    const tpp = [{ category: "ERROR", code: "RESOURCE_UNKNOWN", text: "no payment P9" }];
    mambu().get("/api/v1/payments/P9").reply(404, { tppMessages: tpp }, { "Content-Type": "application/json" });
    const err = await Payment.get("P9", { connector: keyed() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).tppMessages).toEqual(tpp);
    await expect(Payment.get("", { connector: keyed() })).rejects.toThrow(/Payment\.get: give the id/);
  });
});

const SO_PAYMENT = () => ({
  debtorAccount: { identification: { iban: IBAN_DE } },
  debtorName: "Erika Mustermann",
  creditorAccount: { identification: { iban: IBAN_NL } },
  creditorName: "Hausverwaltung GmbH",
  instructedAmount: { amount: new Decimal("850"), currency: "EUR" as const },
  remittanceInformationUnstructured: "Rent",
});

const SO_ANSWER = {
  id: "SO1",
  status: "SUSPENDED",
  ownerId: "ACC1",
  frequency: "MONTHLY",
  startDate: "2027-01-01",
  endDate: "2027-12-01",
  creationDateTime: "2026-12-07T08:00:00+01:00",
  nextExecution: "2027-02-01",
  paymentsCount: 1,
  retryCount: 2,
  suspendDateFrom: "2027-03-01",
  suspendDateTo: null,
  payment: { ...SO_PAYMENT(), instructedAmount: { amount: "850.00", currency: "EUR" } },
};

describe("StandingOrder", () => {
  test("create checks and sends the order (days as YYYY-MM-DD, amount with two decimals), then answers it with its id", async () => {
    const seen: Captured = {};
    mambu().post("/api/v1/payments/standing-orders").reply(capture(seen, 201, { id: "SO1" }));
    const so = await StandingOrder.create(
      { ownerId: "ACC1", frequency: "MONTHLY", startDate: DateTime.fromISO("2027-01-01", { zone: "UTC" }), endDate: "2027-12-01", payment: SO_PAYMENT() },
      { connector: keyed() },
    );
    expect(JSON.parse(seen.body!)).toEqual({
      ownerId: "ACC1",
      frequency: "MONTHLY",
      startDate: "2027-01-01",
      endDate: "2027-12-01",
      payment: { ...SO_PAYMENT(), instructedAmount: { amount: "850.00", currency: "EUR" } },
      retryPolicy: {},
    });
    expect(String(seen.headers?.["idempotency-key"])).toMatch(UUID_V4);
    expect(so.id).toBe("SO1");
    expect((so.startDate as DateTime).toISODate()).toBe("2027-01-01");
    expect(Decimal.isDecimal(so.payment!.instructedAmount.amount)).toBe(true);
    expect(String(so.payment!.instructedAmount.amount)).toBe("850");
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["a bad creditor IBAN", { payment: { ...SO_PAYMENT(), creditorAccount: { identification: { iban: "NL91ABNA0417164301" } } } }, /^payment\.creditorAccount\.identification\.iban: /],
    ["a name with signs outside SEPA", { payment: { ...SO_PAYMENT(), creditorName: "Müller & Co" } }, /^payment\.creditorName: use only the SEPA character set/],
    ["a non-EUR amount", { payment: { ...SO_PAYMENT(), instructedAmount: { amount: "1", currency: "GBP" } } }, /^payment\.instructedAmount\.currency: /],
    ["an unknown frequency", { frequency: "YEARLY" }, /^frequency: give DAILY, WEEKLY or MONTHLY/],
    ["a date that is not a day", { startDate: "01/01/2027" }, /^startDate: give a luxon DateTime or a YYYY-MM-DD date/],
    ["an end before the start", { endDate: "2026-12-31" }, /^endDate: must not be before startDate/],
  ])("create refuses %s before any request", async (_what, change, message) => {
    noRequest();
    const fields = { ownerId: "ACC1", frequency: "MONTHLY", startDate: "2027-01-01", payment: SO_PAYMENT(), ...change };
    await expect(StandingOrder.create(fields as never, { connector: keyed() })).rejects.toThrow(message);
    expect(nock.pendingMocks()).toHaveLength(2);
    nock.cleanAll();
  });

  test("get reads dates as DateTime, the amount as a Decimal, a null suspension day as null", async () => {
    mambu().get("/api/v1/payments/standing-orders/SO1").reply(200, SO_ANSWER, { "Content-Type": "application/json" });
    const so = await StandingOrder.get("SO1", { connector: keyed() });
    expect(so.status).toBe("SUSPENDED");
    expect((so.nextExecution as DateTime).toISODate()).toBe("2027-02-01");
    expect((so.creationDateTime as DateTime).toISO()).toBe("2026-12-07T08:00:00.000+01:00");
    expect((so.suspendDateFrom as DateTime).toISODate()).toBe("2027-03-01");
    expect(so.suspendDateTo).toBeNull();
    expect((so.payment!.instructedAmount.amount as Decimal).toFixed(2)).toBe("850.00");
    expect(so.paymentsCount).toBe(1);
  });

  test("cancel, suspend and executions use the order's id and connector; suspend sends a v4 key", async () => {
    mambu().get("/api/v1/payments/standing-orders/SO1").reply(200, SO_ANSWER, { "Content-Type": "application/json" });
    const so = await StandingOrder.get("SO1", { connector: keyed() });
    const seen: Captured = {};
    mambu().post("/api/v1/payments/standing-orders:suspend").reply(capture(seen, 200));
    await so.suspend({ startDate: "2027-03-01", endDate: DateTime.fromISO("2027-04-30", { zone: "UTC" }) });
    expect(JSON.parse(seen.body!)).toEqual({ id: "SO1", startDate: "2027-03-01", endDate: "2027-04-30" });
    expect(seen.headers?.apikey).toBe(KEY);
    expect(String(seen.headers?.["idempotency-key"])).toMatch(UUID_V4);
    mambu()
      .get("/api/v1/payments/standing-orders/SO1/executions")
      .reply(200, [{ standingOrderId: "SO1", paymentOrderId: "P7", status: "FAILED", type: "RETRY", failReason: "INSUFFICIENT_FUNDS", creationDate: "2027-02-01T06:00:00Z", requestedExecuteOn: "2027-02-01T05:00:00" }], {
        "Content-Type": "application/json",
      });
    const runs = await so.executions();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ paymentOrderId: "P7", status: "FAILED", failReason: "INSUFFICIENT_FUNDS" });
    expect((runs[0]!.creationDate as DateTime).toISO()).toBe("2027-02-01T06:00:00.000Z");
    expect(runs[0]!.requestedExecuteOn).toBe("2027-02-01T05:00:00"); // no offset sent: kept as the text, never the machine's zone
    const del: Captured = {};
    mambu().delete("/api/v1/payments/standing-orders/SO1").reply(capture(del, 204));
    await so.cancel();
    expect(del.headers?.apikey).toBe(KEY);
  });

  test("search sends the filters and answers the orders; no filter is refused before sending", async () => {
    const seen: Captured = {};
    mambu().post("/api/v1/payments/standing-orders:search").reply(capture(seen, 200, [SO_ANSWER]));
    const found = await StandingOrder.search({ ownerId: "ACC1", status: "SUSPENDED", limit: 10 }, { connector: keyed() });
    expect(JSON.parse(seen.body!)).toEqual({
      filterCriteria: [
        { field: "OWNER_ID", operator: "EQUALS", value: "ACC1" },
        { field: "STATUS", operator: "EQUALS", value: "SUSPENDED" },
      ],
      limit: 10,
    });
    expect(found.map((s) => s.id)).toEqual(["SO1"]);
    await expect(StandingOrder.search({}, { connector: keyed() })).rejects.toThrow(/give ownerId or status/);
    await expect(StandingOrder.search({ ownerId: "A", limit: 0 }, { connector: keyed() })).rejects.toThrow(/limit: an integer ≥ 1/);
  });

  test("a 404 RESOURCE_UNKNOWN is a MambuError with its TPPMessages", async () => {
    const tpp = [{ category: "ERROR", code: "RESOURCE_UNKNOWN", path: "id", text: "unknown standing order" }];
    mambu().get("/api/v1/payments/standing-orders/NOPE").reply(404, { tppMessages: tpp }, { "Content-Type": "application/json" });
    const err = await StandingOrder.get("NOPE", { connector: keyed() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).tppMessages).toEqual(tpp);
  });
});

const collection = () => ({
  debtorAccount: { identification: { iban: IBAN_NL } },
  debtorName: "Jan de Vries",
  creditorAccount: { identification: { iban: IBAN_DE } },
  creditorName: "Stadtwerke Musterstadt",
  instructedAmount: { amount: "49.9", currency: "EUR" as const },
  mandateRelatedInformation: { mandateIdentification: "MANDATE-2026-0042", dateOfSignature: DateTime.fromISO("2026-01-15", { zone: "UTC" }) },
  creditorSchemeIdentification: { identification: { privateIdentification: "DE98ZZZ09999999999" } },
  paymentTypeInformation: { sequenceType: "RCUR" as const },
});

describe("Collection", () => {
  test("initiate sends the collection (signature day as YYYY-MM-DD, amount with two decimals) and answers it", async () => {
    const seen: Captured = {};
    mambu().post("/api/v1/collections").reply(capture(seen, 201, { collectionId: "C1", transactionStatus: "RCVD" }));
    const c = await Collection.initiate(collection(), { connector: keyed() });
    expect(JSON.parse(seen.body!)).toEqual({
      ...collection(),
      instructedAmount: { amount: "49.90", currency: "EUR" },
      mandateRelatedInformation: { mandateIdentification: "MANDATE-2026-0042", dateOfSignature: "2026-01-15" },
    });
    expect(String(seen.headers?.["idempotency-key"])).toMatch(UUID_V4);
    expect(seen.headers?.apikey).toBe(KEY);
    expect(c.id).toBe("C1");
    expect(c.status).toBe("RCVD");
  });

  test.each<[string, (c: ReturnType<typeof collection>) => unknown, RegExp]>([
    ["no mandate", ({ mandateRelatedInformation: _m, ...c }) => c, /^mandateRelatedInformation: a collection needs its mandate/],
    ["no mandate id", (c) => ({ ...c, mandateRelatedInformation: { dateOfSignature: "2026-01-15" } }), /^mandateRelatedInformation\.mandateIdentification: the mandate's id is required/],
    ["a mandate id over 35", (c) => ({ ...c, mandateRelatedInformation: { mandateIdentification: "M".repeat(36), dateOfSignature: "2026-01-15" } }), /^mandateRelatedInformation\.mandateIdentification: at most 35/],
    ["no signature date", (c) => ({ ...c, mandateRelatedInformation: { mandateIdentification: "M1" } }), /^mandateRelatedInformation\.dateOfSignature: the day the debtor signed/],
    ["a signature in the future", (c) => ({ ...c, mandateRelatedInformation: { mandateIdentification: "M1", dateOfSignature: "2999-01-01" } }), /^mandateRelatedInformation\.dateOfSignature: a mandate cannot be signed in the future/],
    ["no creditor identifier", ({ creditorSchemeIdentification: _s, ...c }) => c, /^creditorSchemeIdentification\.identification: the creditor identifier is required/],
    ["a creditor identifier with wrong check digits", (c) => ({ ...c, creditorSchemeIdentification: { identification: { privateIdentification: "DE99ZZZ09999999999" } } }), /^creditorSchemeIdentification\.identification\.privateIdentification: the creditor identifier's check digits are wrong/],
    ["no sequence type", ({ paymentTypeInformation: _p, ...c }) => c, /^paymentTypeInformation\.sequenceType: give FRST/],
    ["a debtor IBAN typo", (c) => ({ ...c, debtorAccount: { identification: { iban: "NL91ABNA0417164301" } } }), /^debtorAccount\.identification\.iban: IBAN NL91…4301/],
    ["a non-EUR amount", (c) => ({ ...c, instructedAmount: { amount: "1", currency: "SEK" } }), /^instructedAmount\.currency: SEPA payments are in euros/],
  ])("initiate refuses %s before any request", async (_what, change, message) => {
    noRequest();
    await expect(Collection.initiate(change(collection()) as never, { connector: keyed() })).rejects.toThrow(message);
    expect(nock.pendingMocks()).toHaveLength(2);
    nock.cleanAll();
  });

  test("get reads the status; a 400 keeps every TPPMessage", async () => {
    mambu().get("/api/v1/collections/C1").reply(200, { collectionId: "C1", transactionStatus: "ACSC", transactionFeeIndicator: true }, { "Content-Type": "application/json" });
    const c = await Collection.get("C1", { connector: keyed() });
    expect([c.id, c.status, c.transactionFeeIndicator]).toEqual(["C1", "ACSC", true]);
    const tpp = [{ category: "ERROR", code: "FORMAT_ERROR", path: "mandateRelatedInformation.mandateIdentification", text: "unknown mandate" }];
    mambu().post("/api/v1/collections").reply(400, { tppMessages: tpp }, { "Content-Type": "application/json" });
    const err = await Collection.initiate(collection(), { connector: keyed() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).tppMessages).toEqual(tpp);
  });
});

describe("AccountIdentification", () => {
  test("get lists an account's identifications with offset and limit", async () => {
    const seen: Captured = {};
    mambu()
      .get("/api/v1/accounts/ACC%201/identifications")
      .query({ offset: "0", limit: "5" })
      .reply(capture(seen, 200, [{ iban: IBAN_DE, currency: "EUR" }, { other: { identification: "12345", scheme: "BBAN" } }]));
    const ids = await AccountIdentification.get("ACC 1", { connector: keyed(), offset: 0, limit: 5 });
    expect(seen.headers?.apikey).toBe(KEY);
    expect(ids.map((i) => [i.iban, i.currency, i.other])).toEqual([
      [IBAN_DE, "EUR", undefined],
      [undefined, undefined, { identification: "12345", scheme: "BBAN" }],
    ]);
  });

  test("map and mapMany send the checked identification with a v4 key and answer the internal accounts", async () => {
    const seen: Captured = {};
    mambu().post("/api/v1/accounts/ACC1/identifications").reply(capture(seen, 201, { internalAccounts: [{ id: "ACC1", type: "DEPOSIT", currency: "EUR" }] }));
    const m = await AccountIdentification.map("ACC1", { iban: IBAN_DE, currency: "EUR" }, { connector: keyed() });
    expect(JSON.parse(seen.body!)).toEqual({ identification: { iban: IBAN_DE, currency: "EUR" } });
    expect(String(seen.headers?.["idempotency-key"])).toMatch(UUID_V4);
    expect(m).toEqual({ internalAccounts: [{ id: "ACC1", type: "DEPOSIT", currency: "EUR" }], tppMessages: [] });
    const put: Captured = {};
    mambu().put("/api/v1/accounts/identifications").reply(capture(put, 201, { internalAccounts: [{ id: "A" }, { id: "B" }] }));
    const many = await AccountIdentification.mapMany(["A", "B"], { other: { identification: "X1", scheme: "CUST" } }, { connector: keyed() });
    expect(JSON.parse(put.body!)).toEqual({ accountIds: ["A", "B"], identification: { other: { identification: "X1", scheme: "CUST" } } });
    expect(many.internalAccounts.map((a) => a.id)).toEqual(["A", "B"]);
  });

  test("a bad IBAN, no identification, an empty or repeated account id are refused before any request", async () => {
    noRequest();
    await expect(AccountIdentification.map("ACC1", { iban: "DE89370400440532013001" }, { connector: keyed() })).rejects.toThrow(/^identification\.iban: IBAN DE89…3001: its check digits/);
    await expect(AccountIdentification.map("ACC1", {}, { connector: keyed() })).rejects.toThrow(/^identification: give an iban or an other/);
    await expect(AccountIdentification.mapMany([], { iban: IBAN_DE }, { connector: keyed() })).rejects.toThrow(/^accountIds: give at least one/);
    await expect(AccountIdentification.mapMany(["A", "A"], { iban: IBAN_DE }, { connector: keyed() })).rejects.toThrow(/^accountIds\[1\]: given twice/);
    await expect(AccountIdentification.search({ iban: "NL00ABNA0417164300" }, { connector: keyed() })).rejects.toThrow(/^iban: /);
    await expect(AccountIdentification.search({}, { connector: keyed() })).rejects.toThrow(/give iban, scheme or identification/);
    expect(nock.pendingMocks()).toHaveLength(2);
    nock.cleanAll();
  });

  test("search sends EQUALS filters and answers the matches", async () => {
    const seen: Captured = {};
    mambu()
      .post("/api/v1/accounts/identifications:search")
      .reply(capture(seen, 200, [{ accountId: "ACC1", type: "DEPOSIT", currency: "EUR", identification: { iban: IBAN_DE } }]));
    const found = await AccountIdentification.search({ iban: IBAN_DE }, { connector: keyed() });
    expect(JSON.parse(seen.body!)).toEqual({ filterCriteria: [{ field: "IBAN", operator: "EQUALS", value: IBAN_DE }] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ accountId: "ACC1", type: "DEPOSIT", currency: "EUR" });
    expect(found[0]!.identification.iban).toBe(IBAN_DE);
  });

  test("a mapping already made is a MambuError with its TPPMessage", async () => {
    const tpp = [{ category: "ERROR", code: "ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION", text: "already mapped" }];
    mambu().post("/api/v1/accounts/ACC1/identifications").reply(400, { tppMessages: tpp }, { "Content-Type": "application/json" });
    const err = await AccountIdentification.map("ACC1", { iban: IBAN_DE }, { connector: keyed() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).tppMessages).toEqual(tpp);
  });
});

describe("BlockingRule", () => {
  const mandate = { creditorIdentifier: "DE98ZZZ09999999999", mandateIdentification: "MANDATE-1" };

  test("create blocks SEPA direct debits (all, or one mandate's) with a v4 key", async () => {
    const all: Captured = {};
    const one: Captured = {};
    mambu().post("/api/v1/accounts/ACC1/blocking-rules").reply(capture(all, 202)).post("/api/v1/accounts/ACC1/blocking-rules").reply(capture(one, 202));
    await BlockingRule.create("ACC1", undefined, { connector: keyed() });
    await BlockingRule.create("ACC1", mandate, { connector: keyed() });
    expect(JSON.parse(all.body!)).toEqual({ product: "SEPA_DIRECT_DEBIT" });
    expect(JSON.parse(one.body!)).toEqual({
      product: "SEPA_DIRECT_DEBIT",
      creditorMandate: {
        creditorSchemeIdentification: { identification: { privateIdentification: "DE98ZZZ09999999999" } },
        mandateRelatedInformation: { mandateIdentification: "MANDATE-1" },
      },
    });
    expect(String(one.headers?.["idempotency-key"])).toMatch(UUID_V4);
  });

  test("delete sends the mandate; deleteAll sends no body", async () => {
    const one: Captured = {};
    const all: Captured = {};
    mambu().delete("/api/v1/accounts/ACC1/blocking-rules").reply(capture(one, 202)).delete("/api/v1/accounts/ACC1/blocking-rules").reply(capture(all, 202));
    await BlockingRule.delete("ACC1", mandate, { connector: keyed() });
    await BlockingRule.deleteAll("ACC1", { connector: keyed() });
    expect(JSON.parse(one.body!)).toMatchObject({ product: "SEPA_DIRECT_DEBIT", creditorMandate: { mandateRelatedInformation: { mandateIdentification: "MANDATE-1" } } });
    expect(all.body ?? "").toBe("");
  });

  test("a bad creditor identifier or mandate id is refused before any request", async () => {
    noRequest();
    await expect(BlockingRule.create("ACC1", { ...mandate, creditorIdentifier: "DE99ZZZ09999999999" }, { connector: keyed() })).rejects.toThrow(/^creditorIdentifier: .*check digits/);
    await expect(BlockingRule.create("ACC1", { ...mandate, mandateIdentification: "M#1" }, { connector: keyed() })).rejects.toThrow(/^mandateIdentification: use only the SEPA character set/);
    await expect(BlockingRule.delete("ACC1", undefined as never, { connector: keyed() })).rejects.toThrow(/deleteAll removes every rule/);
    expect(nock.pendingMocks()).toHaveLength(2);
    nock.cleanAll();
  });
});
