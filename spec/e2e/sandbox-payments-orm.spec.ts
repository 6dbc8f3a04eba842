/**
 * The library's Payments entities against the sandbox's gateway (one sandbox for the file, its callout POSTing
 * to a receiver started here): account identifications mapped, listed, searched and replaced; a credit transfer
 * initiated (`CreditTransfer.initiate`), its pacs.008 received, rejected by a pacs.002 and read back RJCT with
 * `Payment.get` while API v2 shows the debit and its reversal; refusals as `MambuError` with every TPPMessage;
 * blocking rules; the Idempotency-Key kept by the caller.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { Decimal, MambuError, MambuTsError, Payments, payments } from "../../lib";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { DEMO_API_KEY, openEurAccount, v2Balance } from "./sandbox-payments-helpers";
import type { MambuConnector } from "../../lib";

const IBAN_A = "DE89370400440532013000";
const IBAN_B = "DE02120300000000202051";
const IBAN_FAR = "FR1420041010050500013M02606";

let sb: Sandbox;
let connector: MambuConnector;
let receiver: http.Server;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

async function tppOf(p: Promise<unknown>): Promise<MambuError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MambuError);
  return e as MambuError;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  sb = await startSandbox({ port: 0, paymentsCallout: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`, retryDelayMs: 5 } });
  connector = demoConnector(sb, { apikey: DEMO_API_KEY });
  await openEurAccount(sb, "ORM-A", "500");
  await openEurAccount(sb, "ORM-B", "0");
});

afterAll(async () => {
  await sb.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

test("AccountIdentification: map, get, search, mapMany, and the duplicate refused with its TPPMessage", async () => {
  const mapped = await Payments.AccountIdentification.map("ORM-A", { iban: IBAN_A }, { connector });
  expect(mapped.internalAccounts).toEqual([{ id: "ORM-A", type: "DEPOSIT", currency: "EUR" }]);
  await Payments.AccountIdentification.map("ORM-B", { other: { identification: "ORM-B-PAN", scheme: "PAN" } }, { connector });

  const list = await Payments.AccountIdentification.get("ORM-A", { connector });
  expect(list.map((i) => [i.iban, i.currency])).toEqual([[IBAN_A, "EUR"]]);

  const found = await Payments.AccountIdentification.search({ scheme: "PAN", identification: "ORM-B-PAN" }, { connector });
  expect(found.map((f) => [f.accountId, f.type, f.identification.other?.identification])).toEqual([["ORM-B", "DEPOSIT", "ORM-B-PAN"]]);

  const dup = await tppOf(Payments.AccountIdentification.map("ORM-A", { iban: IBAN_A }, { connector }));
  expect(dup.status).toBe(400);
  expect(dup.tppMessages).toEqual([{ category: "ERROR", code: "ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION", path: "identification", text: expect.any(String) }]);

  const many = await Payments.AccountIdentification.mapMany(["ORM-B"], { iban: IBAN_B }, { connector });
  expect(many.internalAccounts).toEqual([{ id: "ORM-B", type: "DEPOSIT", currency: "EUR" }]);
  expect((await Payments.AccountIdentification.search({ iban: IBAN_B }, { connector })).map((f) => f.accountId)).toEqual(["ORM-B"]);
});

test("CreditTransfer.initiate → pacs.008 at the callout → pacs.002 reject → Payment.get is RJCT, the v2 balance restored", async () => {
  expect(await v2Balance(sb, "ORM-A")).toBe(500);
  const payment = await Payments.CreditTransfer.initiate(
    {
      debtorAccount: { identification: { iban: IBAN_A } },
      debtorName: "Josefa Alas",
      creditorAccount: { identification: { iban: IBAN_FAR } },
      creditorName: "Boulangerie Paul",
      instructedAmount: { amount: new Decimal("120.40"), currency: "EUR" },
      remittanceInformationUnstructured: "Order 77",
    },
    { connector },
  );
  expect(payment.status).toBe("RCVD");
  expect(await v2Balance(sb, "ORM-A")).toBe(379.6);
  expect((await Payments.Payment.get(payment.id, { connector })).status).toBe("ACSP");

  await sb.paymentsCallout.idle();
  const out = sb.paymentsCallout.messages().find((m) => m.paymentId === payment.id)!;
  expect(out.status).toBe("DELIVERED");
  const got = received.find((r) => r.headers["message-id"] === out.messageId)!;
  expect(got.headers.authorization).toBeUndefined(); // no credentials configured
  const doc = new XMLParser({ parseTagValue: false }).parse(got.body).Document.FIToFICstmrCdtTrf;
  expect(doc.CdtTrfTxInf.IntrBkSttlmAmt).toBe("120.40");
  expect(doc.CdtTrfTxInf.Cdtr.Nm).toBe("Boulangerie Paul");

  const reject = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03"><FIToFIPmtStsRpt>
    <GrpHdr><MsgId>ORM-REJ-1</MsgId><CreDtTm>2026-12-07T10:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>${doc.GrpHdr.MsgId}</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts>
    <TxInfAndSts><OrgnlTxId>${doc.CdtTrfTxInf.PmtId.TxId}</OrgnlTxId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf></TxInfAndSts>
  </FIToFIPmtStsRpt></Document>`;
  const answer = await payments.incomingMessages.receiveIncomingMessage({}, reject, { connector });
  expect(answer).toEqual({ messageId: expect.any(String) });

  const after = await Payments.Payment.get(payment.id, { connector });
  expect(after.status).toBe("RJCT");
  expect(after.rejected).toBe(true);
  expect(after.tppMessages[0]).toMatchObject({ category: "WARN", code: "PAYMENT_FAILED" });
  expect(await v2Balance(sb, "ORM-A")).toBe(500);
});

test("refusals come back as MambuError with the TPPMessages: short funds PAYMENT_FAILED, an unknown payment RESOURCE_UNKNOWN", async () => {
  const poor = await tppOf(
    Payments.CreditTransfer.initiate(
      {
        debtorAccount: { identification: { iban: IBAN_A } },
        debtorName: "Josefa Alas",
        creditorAccount: { identification: { iban: IBAN_FAR } },
        creditorName: "Boulangerie Paul",
        instructedAmount: { amount: new Decimal("100000"), currency: "EUR" },
      },
      { connector },
    ),
  );
  expect(poor.status).toBe(400);
  expect(poor.tppMessages?.[0]).toMatchObject({ category: "ERROR", code: "PAYMENT_FAILED" });
  expect(await v2Balance(sb, "ORM-A")).toBe(500);
  const none = await tppOf(Payments.Payment.get("no-such-payment", { connector }));
  expect(none.status).toBe(404);
  expect(none.tppMessages?.[0].code).toBe("RESOURCE_UNKNOWN");
});

test("a retried initiation with the same idempotencyKey debits once and answers the same payment", async () => {
  const fields = {
    debtorAccount: { identification: { iban: IBAN_A } },
    debtorName: "Josefa Alas",
    creditorAccount: { identification: { iban: IBAN_FAR } },
    creditorName: "Boulangerie Paul",
    instructedAmount: { amount: new Decimal("5"), currency: "EUR" as const },
  };
  const idempotencyKey = randomUUID();
  const a = await Payments.CreditTransfer.initiate(fields, { connector, idempotencyKey });
  const b = await Payments.CreditTransfer.initiate(fields, { connector, idempotencyKey });
  expect(b.id).toBe(a.id);
  expect(await v2Balance(sb, "ORM-A")).toBe(495);
});

test("BlockingRule: create for all direct debits and for one mandate, delete one, deleteAll", async () => {
  const mandate = { creditorIdentifier: "DE98ZZZ09999999999", mandateIdentification: "MANDATE-1" };
  await Payments.BlockingRule.create("ORM-A", undefined, { connector });
  await Payments.BlockingRule.create("ORM-A", mandate, { connector });
  expect(sb.store.all("payblockingrules").map((r) => r.mandateIdentification)).toEqual([undefined, "MANDATE-1"]);
  await Payments.BlockingRule.delete("ORM-A", mandate, { connector });
  expect(sb.store.all("payblockingrules").map((r) => r.mandateIdentification)).toEqual([undefined]);
  await Payments.BlockingRule.deleteAll("ORM-A", { connector });
  expect(sb.store.all("payblockingrules")).toEqual([]);
  const unknown = await tppOf(Payments.BlockingRule.create("NO-SUCH-ACCOUNT", undefined, { connector }));
  expect(unknown.tppMessages?.[0].code).toBe("RESOURCE_UNKNOWN");
});

test("the library refuses a bad IBAN before any request", async () => {
  const before = sb.requests;
  await expect(Payments.AccountIdentification.map("ORM-A", { iban: "DE00370400440532013000" }, { connector })).rejects.toBeInstanceOf(MambuTsError);
  expect(sb.requests).toBe(before);
});
