/**
 * Credit transfers through the sandbox's Payments gateway, over raw HTTP: the life of a transfer (initiate → the
 * pacs.008 arrives at a callout receiver started here → a pacs.002 reject comes in → RJCT and the debit
 * reversed), a return (pacs.004), received transfers (pacs.008 in), refused initiations (PAYMENT_FAILED), incoming
 * XML errors (FORMAT_ERROR, INVALID_MESSAGE_TYPE, XXE), Idempotency-Key replay and callout retries. The v2 deposit
 * balances are read through API v2 at every step. The XML is checked by parsing it and reading the elements the
 * pacs.008.001.02 schema requires (no npm package ships the official XSD).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { XMLParser } from "fast-xml-parser";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { outboxOf } from "../../lib/sandbox/payments/callout";
import { openEurAccount, payCall, v2Balance, v2Transactions } from "./sandbox-payments-helpers";

const IBAN_A = "DE89370400440532013000";
const IBAN_B = "DE02120300000000202051";
const IBAN_FAR = "FR1420041010050500013M02606";
const CALLOUT_PASSWORD = "s3cret-callout-pw";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let sb: Sandbox;
let receiver: http.Server;
const received: Received[] = [];
/** Statuses the receiver answers next (200 when empty). */
const answers: number[] = [];

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false });

function transfer(amount: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    debtorAccount: { identification: { iban: IBAN_A }, currency: "EUR" },
    debtorName: "Josefa Alas",
    instructedAmount: { amount, currency: "EUR" },
    creditorAccount: { identification: { iban: IBAN_FAR }, currency: "EUR" },
    creditorAgent: { institutionIdentification: { bicfi: "BNPAFRPPXXX" } },
    creditorName: "Merchant & Co <Paris>",
    remittanceInformationUnstructured: "Invoice 2026-117",
    paymentIdentification: { endToEndIdentification: `E2E-${amount}` },
    ...over,
  };
}

async function messageFor(paymentId: string): Promise<Received> {
  await sb.paymentsCallout.idle();
  const out = sb.paymentsCallout.messages().find((m) => m.paymentId === paymentId);
  if (!out) throw new Error(`no outgoing message for ${paymentId}`);
  const got = received.find((r) => r.headers["message-id"] === out.messageId);
  if (!got) throw new Error(`the receiver did not get ${out.messageId}`);
  return got;
}

function pacs002Reject(orgnlMsgId: string, txId: string, reason = "AC04"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03">
  <FIToFIPmtStsRpt>
    <GrpHdr><MsgId>REJ-${randomUUID().slice(0, 8)}</MsgId><CreDtTm>2026-12-07T10:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>${orgnlMsgId}</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts>
    <TxInfAndSts><OrgnlTxId>${txId}</OrgnlTxId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>${reason}</Cd></Rsn></StsRsnInf></TxInfAndSts>
  </FIToFIPmtStsRpt>
</Document>`;
}

function pacs008In(iban: string, amount: string, msgId = `IN-${randomUUID().slice(0, 12)}`): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02">
  <FIToFICstmrCdtTrf>
    <GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-12-07T10:00:00</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>
    <CdtTrfTxInf>
      <PmtId><EndToEndId>SALARY-12</EndToEndId><TxId>${msgId}-TX1</TxId></PmtId>
      <IntrBkSttlmAmt Ccy="EUR">${amount}</IntrBkSttlmAmt>
      <ChrgBr>SLEV</ChrgBr>
      <Dbtr><Nm>Employer GmbH &amp; Co</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>${IBAN_FAR}</IBAN></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BIC>BNPAFRPPXXX</BIC></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><BIC>SANDDEFFXXX</BIC></FinInstnId></CdtrAgt>
      <Cdtr><Nm>Beatriz</Nm></Cdtr>
      <CdtrAcct><Id><IBAN>${iban}</IBAN></Id></CdtrAcct>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
</Document>`;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callout`;
  sb = await startSandbox({ port: 0, paymentsCallout: { url, username: "gateway", password: CALLOUT_PASSWORD, retryDelayMs: 5 } });
  await openEurAccount(sb, "TRF-A", "1000");
  await openEurAccount(sb, "TRF-B", "0");
  for (const [id, iban] of [["TRF-A", IBAN_A], ["TRF-B", IBAN_B]]) {
    const m = await payCall(sb, "POST", `/accounts/${id}/identifications`, { body: { identification: { iban } } });
    expect(m.status).toBe(201);
  }
});

afterAll(async () => {
  await sb.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

test("the life of a transfer: debited, pacs.008 to the callout, pacs.002 reject in, RJCT and the debit reversed", async () => {
  expect(await v2Balance(sb, "TRF-A")).toBe(1000);
  const created = await payCall(sb, "POST", "/payments", { body: transfer("250.50") });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ paymentId: expect.any(String), transactionStatus: "RCVD", transactionFeeIndicator: false });
  const paymentId = created.body.paymentId as string;
  expect(created.headers.location).toBe(`/api/v1/payments/${paymentId}`);
  expect(await v2Balance(sb, "TRF-A")).toBe(749.5);

  const details = await payCall(sb, "GET", `/payments/${paymentId}`);
  expect(details.body).toEqual({ paymentId, transactionStatus: "ACSP", transactionFeeIndicator: false });

  const got = await messageFor(paymentId);
  expect(got.headers["content-type"]).toBe("application/xml");
  expect(got.headers["message-type"]).toBe("urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02");
  expect(got.headers.authorization).toBe(`BASIC ${Buffer.from(`gateway:${CALLOUT_PASSWORD}`).toString("base64")}`);
  const doc = xmlParser.parse(got.body).Document;
  expect(doc["@_xmlns"]).toBe("urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02");
  const hdr = doc.FIToFICstmrCdtTrf.GrpHdr;
  expect(hdr.MsgId).toBe(got.headers["message-id"]);
  expect((hdr.MsgId as string).length).toBeLessThanOrEqual(35);
  expect(hdr.NbOfTxs).toBe("1");
  expect(hdr.CreDtTm).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(hdr.SttlmInf.SttlmMtd).toBe("CLRG");
  expect(hdr.TtlIntrBkSttlmAmt).toEqual({ "@_Ccy": "EUR", "#text": "250.50" });
  const tx = doc.FIToFICstmrCdtTrf.CdtTrfTxInf;
  expect(tx.PmtId.EndToEndId).toBe("E2E-250.50");
  expect(typeof tx.PmtId.TxId).toBe("string");
  expect(tx.PmtTpInf.SvcLvl.Cd).toBe("SEPA");
  expect(tx.IntrBkSttlmAmt).toEqual({ "@_Ccy": "EUR", "#text": "250.50" });
  expect(tx.ChrgBr).toBe("SLEV");
  expect(tx.Dbtr.Nm).toBe("Josefa Alas");
  expect(tx.DbtrAcct.Id.IBAN).toBe(IBAN_A);
  expect(tx.DbtrAgt.FinInstnId.BIC).toBe("SANDDEFFXXX");
  expect(tx.CdtrAgt.FinInstnId.BIC).toBe("BNPAFRPPXXX");
  expect(tx.Cdtr.Nm).toBe("Merchant & Co <Paris>");
  expect(got.body).toContain("<Nm>Merchant &amp; Co &lt;Paris&gt;</Nm>");
  expect(tx.CdtrAcct.Id.IBAN).toBe(IBAN_FAR);
  expect(tx.RmtInf.Ustrd).toBe("Invoice 2026-117");
  // the schema's order of the transaction's elements
  expect(Object.keys(tx)).toEqual(["PmtId", "PmtTpInf", "IntrBkSttlmAmt", "ChrgBr", "Dbtr", "DbtrAcct", "DbtrAgt", "CdtrAgt", "Cdtr", "CdtrAcct", "RmtInf"]);

  const reject = await payCall(sb, "POST", "/payments/incoming", { xml: pacs002Reject(hdr.MsgId, tx.PmtId.TxId) });
  expect(reject.status).toBe(202);
  expect(reject.body).toEqual({ messageId: expect.any(String) });
  const after = await payCall(sb, "GET", `/payments/${paymentId}`);
  expect(after.body).toMatchObject({ paymentId, transactionStatus: "RJCT" });
  expect(after.body.tppMessages).toEqual([{ category: "WARN", code: "PAYMENT_FAILED", text: expect.stringContaining("reason AC04") }]);
  expect(await v2Balance(sb, "TRF-A")).toBe(1000);
  const withdrawal = (await v2Transactions(sb, "TRF-A")).find((t) => t.type === "WITHDRAWAL" && Number(t.amount) === -250.5);
  expect(withdrawal?.adjustmentTransactionKey).toEqual(expect.any(String));
  // the incoming message's id reads the payment too
  expect((await payCall(sb, "GET", `/payments/${reject.body.messageId}`)).body).toMatchObject({ paymentId, transactionStatus: "RJCT" });
  // a second reject of the same payment
  const again = await payCall(sb, "POST", "/payments/incoming", { xml: pacs002Reject(hdr.MsgId, tx.PmtId.TxId) });
  expect(again.status).toBe(400);
  expect(again.body.tppMessages[0].code).toBe("ORIGINAL_MESSAGE_ALREADY_REPLIED");
  expect(await v2Balance(sb, "TRF-A")).toBe(1000);
});

test("a pacs.004 return reverses the debit; a pacs.002 naming no sent payment is NOT_FOUND", async () => {
  const created = await payCall(sb, "POST", "/payments/credit-transfers", {
    body: { ...transfer("100"), scheme: "SEPA", settlementInformation: { settlementMethod: "CLRG", clearingSystem: "STEP2" } },
  });
  expect(created.status).toBe(201);
  expect(await v2Balance(sb, "TRF-A")).toBe(900);
  const got = await messageFor(created.body.paymentId);
  const doc = xmlParser.parse(got.body).Document.FIToFICstmrCdtTrf;
  expect(doc.GrpHdr.SttlmInf).toEqual({ SttlmMtd: "CLRG", ClrSys: { Prtry: "STEP2" } });
  const ret = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.02"><PmtRtr>
    <GrpHdr><MsgId>RET-1</MsgId><CreDtTm>2026-12-07T10:00:00</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>
    <TxInf><OrgnlGrpInf><OrgnlMsgId>${doc.GrpHdr.MsgId}</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInf>
      <OrgnlTxId>${doc.CdtTrfTxInf.PmtId.TxId}</OrgnlTxId><RtrdIntrBkSttlmAmt Ccy="EUR">100.00</RtrdIntrBkSttlmAmt>
      <RtrRsnInf><Rsn><Cd>AC04</Cd></Rsn></RtrRsnInf></TxInf></PmtRtr></Document>`;
  const returned = await payCall(sb, "POST", "/payments/incoming", { xml: ret });
  expect(returned.status).toBe(202);
  const details = await payCall(sb, "GET", `/payments/${created.body.paymentId}`);
  expect(details.body.transactionStatus).toBe("RJCT");
  expect(details.body.tppMessages[0].text).toContain("returned");
  expect(await v2Balance(sb, "TRF-A")).toBe(1000);

  const unknown = await payCall(sb, "POST", "/payments/incoming", { xml: pacs002Reject("NO-SUCH-MSG", "NO-SUCH-TX") });
  expect(unknown.status).toBe(400);
  expect(unknown.body.tppMessages[0].code).toBe("NOT_FOUND");
});

test("a financial-institution credit transfer debits the debtor institution's account", async () => {
  const fi = await payCall(sb, "POST", "/payments/financial-institution-credit-transfers", {
    body: {
      debtor: { institutionIdentification: { bicfi: "SANDDEFFXXX" }, account: { identification: { iban: IBAN_A } } },
      creditor: { institutionIdentification: { bicfi: "BNPAFRPPXXX" }, account: { identification: { iban: IBAN_FAR } } },
      instructedAgent: { institutionIdentification: { bicfi: "BNPAFRPPXXX" } },
      instructedAmount: { amount: "10.00", currency: "EUR" },
      settlementInformation: { settlementMethod: "INDA" },
    },
  });
  expect(fi.status).toBe(201);
  expect(await v2Balance(sb, "TRF-A")).toBe(990);
  const doc = xmlParser.parse((await messageFor(fi.body.paymentId)).body).Document.FIToFICstmrCdtTrf;
  expect(doc.GrpHdr.SttlmInf.SttlmMtd).toBe("INDA");
  expect(doc.CdtTrfTxInf.CdtrAgt.FinInstnId.BIC).toBe("BNPAFRPPXXX");
});

test("short funds, an unmapped debtor IBAN, another currency or another day fail before any debit", async () => {
  const before = await v2Balance(sb, "TRF-A");
  const sent = sb.paymentsCallout.messages().length;
  const poor = await payCall(sb, "POST", "/payments", { body: transfer("5000") });
  expect(poor.status).toBe(400);
  expect(poor.body.tppMessages).toEqual([{ category: "ERROR", code: "PAYMENT_FAILED", text: expect.stringContaining("BALANCE_BELOW_ZERO") }]);
  const unmapped = await payCall(sb, "POST", "/payments", { body: transfer("1", { debtorAccount: { identification: { iban: IBAN_FAR } } }) });
  expect(unmapped.status).toBe(400);
  expect(unmapped.body.tppMessages[0]).toMatchObject({ code: "PAYMENT_FAILED", path: "debtorAccount.identification" });
  const usd = await payCall(sb, "POST", "/payments", { body: transfer("1", { instructedAmount: { amount: "1", currency: "USD" } }) });
  expect(usd.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "instructedAmount.currency" });
  const digits = await payCall(sb, "POST", "/payments", { body: transfer("1.005") });
  expect(digits.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "instructedAmount.amount" });
  const later = await payCall(sb, "POST", "/payments", { body: transfer("1", { requestedExecutionDate: "2099-01-01" }) });
  expect(later.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "requestedExecutionDate" });
  const missing = await payCall(sb, "POST", "/payments", { body: { ...transfer("1"), debtorAccount: undefined, creditorName: "x".repeat(71) } });
  expect(missing.status).toBe(400);
  expect(missing.body.tppMessages).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ code: "FORMAT_ERROR", path: "debtorAccount" }),
      expect.objectContaining({ code: "FORMAT_ERROR", path: "creditorName", text: "creditorName size must be at most 70" }),
    ]),
  );
  expect(await v2Balance(sb, "TRF-A")).toBe(before);
  expect(sb.paymentsCallout.messages()).toHaveLength(sent);
});

test("a received pacs.008 credits the account mapped to the creditor IBAN; an unmapped IBAN is rejected with a pacs.002 back", async () => {
  expect(await v2Balance(sb, "TRF-B")).toBe(0);
  const inMsg = pacs008In(IBAN_B, "75.25");
  const got = await payCall(sb, "POST", "/payments/incoming", { xml: inMsg });
  expect(got.status).toBe(202);
  expect(await v2Balance(sb, "TRF-B")).toBe(75.25);
  expect((await payCall(sb, "GET", `/payments/${got.body.messageId}`)).body).toMatchObject({ transactionStatus: "ACSC" });
  // the same message again: the same answer, not a second credit
  const again = await payCall(sb, "POST", "/payments/incoming", { xml: inMsg });
  expect(again.body).toEqual(got.body);
  expect(await v2Balance(sb, "TRF-B")).toBe(75.25);

  const lost = await payCall(sb, "POST", "/payments/incoming", { xml: pacs008In("DE75512108001245126199", "5.00", "IN-LOST-1") });
  expect(lost.status).toBe(202);
  const details = await payCall(sb, "GET", `/payments/${lost.body.messageId}`);
  expect(details.body).toMatchObject({ transactionStatus: "RJCT", tppMessages: [expect.objectContaining({ code: "PAYMENT_FAILED", text: expect.stringContaining("AC01") })] });
  await sb.paymentsCallout.idle();
  const back = received.find((r) => r.headers["message-type"] === "urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03");
  expect(back).toBeDefined();
  const rpt = xmlParser.parse(back!.body).Document.FIToFIPmtStsRpt;
  expect(rpt.OrgnlGrpInfAndSts.OrgnlMsgId).toBe("IN-LOST-1");
  expect(rpt.TxInfAndSts).toMatchObject({ OrgnlEndToEndId: "SALARY-12", TxSts: "RJCT", StsRsnInf: { Rsn: { Cd: "AC01" } } });
});

describe("incoming XML errors", () => {
  test.each([
    ["not well-formed", "FORMAT_ERROR", "<Document><FIToFICstmrCdtTrf></Document>"],
    ["empty", "FORMAT_ERROR", " "],
    ["an external entity (XXE)", "FORMAT_ERROR", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>'],
    ["an entity bomb", "FORMAT_ERROR", '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><Document>&b;</Document>'],
    ["nested too deep", "FORMAT_ERROR", `${"<a>".repeat(100)}${"</a>".repeat(100)}`],
    ["without GrpHdr/MsgId", "FORMAT_ERROR", '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02"><FIToFICstmrCdtTrf><GrpHdr/></FIToFICstmrCdtTrf></Document>'],
    ["a camt.056", "INVALID_MESSAGE_TYPE", '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.01"><FIToFIPmtCxlReq><Assgnmt><Id>1</Id></Assgnmt></FIToFIPmtCxlReq></Document>'],
    ["another root", "INVALID_MESSAGE_TYPE", "<Invoice><Id>1</Id></Invoice>"],
    ["a foreign namespace", "INVALID_MESSAGE_TYPE", '<Document xmlns="urn:example:other"><FIToFICstmrCdtTrf/></Document>'],
  ])("%s is 400 %s", async (_what, code, xml) => {
    const a = await payCall(sb, "POST", "/payments/incoming", { xml });
    expect(a.status).toBe(400);
    expect(a.body.tppMessages[0]).toMatchObject({ category: "ERROR", code });
    expect(a.text).not.toContain("root:");
  });

  test("JSON sent to /payments/incoming is 415 SERVICE_INVALID", async () => {
    const a = await payCall(sb, "POST", "/payments/incoming", { body: { messageId: "x" } });
    expect(a.status).toBe(415);
    expect(a.body.tppMessages[0].code).toBe("SERVICE_INVALID");
  });
});

test("Idempotency-Key: the same key and body get the same answer and one debit; another body under it is 422", async () => {
  const key = randomUUID();
  const before = await v2Balance(sb, "TRF-A");
  const first = await payCall(sb, "POST", "/payments", { body: transfer("20"), headers: { "Idempotency-Key": key } });
  const second = await payCall(sb, "POST", "/payments", { body: transfer("20"), headers: { "Idempotency-Key": key } });
  expect(first.status).toBe(201);
  expect(second.status).toBe(201);
  expect(second.body).toEqual(first.body);
  expect(second.headers["idempotency-replayed"]).toBe("true");
  expect(await v2Balance(sb, "TRF-A")).toBe(before - 20);
  const other = await payCall(sb, "POST", "/payments", { body: transfer("21"), headers: { "Idempotency-Key": key } });
  expect(other.status).toBe(422);
  expect(other.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "Idempotency-Key" });
  const notUuid = await payCall(sb, "POST", "/payments", { body: transfer("21"), headers: { "Idempotency-Key": "abc" } });
  expect(notUuid.status).toBe(400);
  expect(notUuid.body.tppMessages[0]).toMatchObject({ code: "FORMAT_ERROR", path: "Idempotency-Key" });
  expect(await v2Balance(sb, "TRF-A")).toBe(before - 20);
});

test("the callout is retried until it answers 2xx, and the credential never shows", async () => {
  answers.push(503, 500);
  const created = await payCall(sb, "POST", "/payments", { body: transfer("1") });
  expect(created.status).toBe(201);
  await sb.paymentsCallout.idle();
  const msg = sb.paymentsCallout.messages().find((m) => m.paymentId === created.body.paymentId)!;
  expect(msg).toMatchObject({ status: "DELIVERED", attempts: 3 });
  expect(received.filter((r) => r.headers["message-id"] === msg.messageId)).toHaveLength(3);
  const shown = JSON.stringify(sb.paymentsCallout.messages()) + inspect(outboxOf(sb.store), { depth: 10, showHidden: true }) + inspect(sb, { depth: 4 });
  expect(shown).not.toContain(CALLOUT_PASSWORD);
  expect(shown).not.toContain(Buffer.from(`gateway:${CALLOUT_PASSWORD}`).toString("base64"));
});

test("stopping a sandbox ends a delivery waiting for its next attempt; the message stays PENDING", async () => {
  const dead = http.createServer((_req, res) => {
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
  const other = await startSandbox({ port: 0, paymentsCallout: { url: `http://127.0.0.1:${(dead.address() as AddressInfo).port}/`, retryDelayMs: 60_000, maxAttempts: 3 } });
  try {
    await openEurAccount(other, "STOP-A", "10");
    expect((await payCall(other, "POST", "/accounts/STOP-A/identifications", { body: { identification: { iban: IBAN_A } } })).status).toBe(201);
    expect((await payCall(other, "POST", "/payments", { body: transfer("1") })).status).toBe(201);
    while (other.paymentsCallout.messages()[0].attempts < 1 || other.paymentsCallout.messages()[0].lastError === undefined) await new Promise((r) => setImmediate(r));
  } finally {
    await other.stop();
    await new Promise<void>((resolve) => dead.close(() => resolve()));
  }
  await other.paymentsCallout.idle(); // returns: nothing waits for the minute-long retry delay any more
  expect(other.paymentsCallout.messages()[0]).toMatchObject({ status: "PENDING", attempts: 1, lastError: "answered 500" });
});
