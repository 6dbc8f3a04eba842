/**
 * A sent credit transfer cancelled by the bank (decision D32 of payments-v1.json): the transfer's pacs.008 reaches
 * the callout receiver (`Payments.listenForCallouts`, Basic credentials) typed — amount as Decimal, IBANs, names,
 * end-to-end id —; the bank then adjusts the transfer's v2 WITHDRAWAL through API v2
 * (`POST /deposits/transactions/{id}:adjust`): the balance comes back, the gateway sends a camt.056.001.01 naming
 * the pacs.008 (message id, end-to-end id, transaction id, amount; reason CUST) that the receiver parses, and the
 * payment is PDNG with the cancellation said in its details. A later pacs.004 return makes it RJCT without crediting
 * the account a second time; a settled transfer's adjustment sends nothing.
 */
import { Decimal, Payments } from "../../lib";
import type { Camt056Message, CalloutMessage, Pacs008Message } from "../../lib/entities/payments";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { call } from "./sandbox-helpers";
import { DEMO_API_KEY, openEurAccount, payCall, v2Balance, v2Transactions } from "./sandbox-payments-helpers";

jest.setTimeout(60_000);

const IBAN_A = "DE89370400440532013000";
const IBAN_FAR = "FR1420041010050500013M02606";
const USER = "gateway";
const PASSWORD = "Cancel-Sandbox-pw-7";

let sb: Sandbox;
let listener: Payments.CalloutListener;
const received: CalloutMessage[] = [];

beforeAll(async () => {
  listener = await Payments.listenForCallouts({ username: USER, password: PASSWORD, onMessage: (m) => void received.push(m) });
  sb = await startSandbox({ port: 0, paymentsCallout: { url: listener.url, username: USER, password: PASSWORD, retryDelayMs: 5 } });
  await openEurAccount(sb, "CANCEL-A", "500");
  await Payments.AccountIdentification.map("CANCEL-A", { iban: IBAN_A }, { connector: demoConnector(sb, { apikey: DEMO_API_KEY }) });
});

afterAll(async () => {
  await sb?.stop();
  await listener?.close();
});

async function transfer(amount: string, endToEnd: string): Promise<Payments.Payment> {
  return Payments.CreditTransfer.initiate(
    {
      debtorAccount: { identification: { iban: IBAN_A } },
      debtorName: "Josefa Alas",
      creditorAccount: { identification: { iban: IBAN_FAR } },
      creditorName: "Boulangerie Paul",
      instructedAmount: { amount: new Decimal(amount), currency: "EUR" },
      paymentIdentification: { endToEndIdentification: endToEnd },
    },
    { connector: demoConnector(sb, { apikey: DEMO_API_KEY }) },
  );
}

/** The v2 WITHDRAWAL the gateway made for a payment (its notes name the payment). */
async function debitOf(paymentId: string): Promise<Record<string, unknown>> {
  const tx = (await v2Transactions(sb, "CANCEL-A")).find((t) => t.type === "WITHDRAWAL" && String(t.notes).includes(paymentId));
  if (!tx) throw new Error(`no WITHDRAWAL for ${paymentId}`);
  return tx;
}

async function delivered(paymentId: string, type: RegExp): Promise<CalloutMessage> {
  await sb.paymentsCallout.idle();
  const out = sb.paymentsCallout.messages().find((m) => m.paymentId === paymentId && type.test(m.messageType));
  if (!out) throw new Error(`no ${type} sent for ${paymentId}`);
  expect(out.status).toBe("DELIVERED");
  const m = received.find((x) => x.messageId === out.messageId);
  if (!m) throw new Error(`the listener did not hand over ${out.messageId}`);
  expect(m.xml).toBe(out.xml);
  return m;
}

it("transfer → typed pacs.008 at the listener → v2 adjust of its debit → camt.056 at the listener, the payment PDNG with its cancellation", async () => {
  const payment = await transfer("80.25", "E2E-CANCEL-1");
  expect(await v2Balance(sb, "CANCEL-A")).toBe(419.75);

  const pacs = (await delivered(payment.id, /pacs\.008/)) as Pacs008Message;
  expect(pacs.kind).toBe("pacs.008");
  const t = pacs.transfers[0];
  expect(t.amount.value).toBeInstanceOf(Decimal);
  expect(t.amount.value.eq("80.25")).toBe(true);
  expect(t.amount.currency).toBe("EUR");
  expect(t.debtor).toMatchObject({ name: "Josefa Alas", iban: IBAN_A });
  expect(t.creditor).toMatchObject({ name: "Boulangerie Paul", iban: IBAN_FAR });
  expect(t.endToEndId).toBe("E2E-CANCEL-1");

  const debit = await debitOf(payment.id);
  const adjusted = await call(sb, "POST", `/deposits/transactions/${String(debit.encodedKey)}:adjust`, { body: { notes: "sent twice by mistake" } });
  expect(adjusted.status).toBe(200);
  expect(await v2Balance(sb, "CANCEL-A")).toBe(500);

  const camt = (await delivered(payment.id, /camt\.056/)) as Camt056Message;
  expect(camt.kind).toBe("camt.056");
  expect(camt.messageType).toBe("urn:iso:std:iso:20022:tech:xsd:camt.056.001.01");
  expect(camt.numberOfTransactions).toBe(1);
  expect(camt.assignerBic).toBe("SANDDEFFXXX");
  expect(camt.cancellations).toHaveLength(1);
  const c = camt.cancellations[0];
  expect(c).toMatchObject({
    originalMessageId: pacs.messageId,
    originalMessageName: "pacs.008.001.02",
    originalEndToEndId: "E2E-CANCEL-1",
    originalTransactionId: t.transactionId,
    reason: { code: "CUST", additionalInformation: ["sent twice by mistake"] },
  });
  expect(c.originalAmount!.value.eq("80.25")).toBe(true);
  expect(c.originalAmount!.currency).toBe("EUR");
  expect(c.originalSettlementDate!.toISODate()).toBe(pacs.settlementDate!.toISODate());

  const details = await Payments.Payment.get(payment.id, { connector: demoConnector(sb, { apikey: DEMO_API_KEY }) });
  expect(details.status).toBe("PDNG");
  const raw = await payCall(sb, "GET", `/payments/${payment.id}`);
  expect(raw.body.tppMessages[0]).toMatchObject({ category: "WARN", code: "PAYMENT_FAILED" });
  expect(raw.body.tppMessages[0].text).toContain(`camt.056 ${camt.messageId}`);

  // The creditor's bank returns the money (pacs.004): RJCT, and the account is not credited a second time.
  const ret = await payCall(sb, "POST", "/payments/incoming", {
    xml: `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.02"><PmtRtr><GrpHdr><MsgId>RET-CANCEL-1</MsgId><CreDtTm>2026-01-01T10:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>
<TxInf><OrgnlGrpInf><OrgnlMsgId>${pacs.messageId}</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInf><OrgnlEndToEndId>E2E-CANCEL-1</OrgnlEndToEndId><OrgnlTxId>${t.transactionId}</OrgnlTxId><RtrdIntrBkSttlmAmt Ccy="EUR">80.25</RtrdIntrBkSttlmAmt><RtrRsnInf><Rsn><Cd>FOCR</Cd></Rsn></RtrRsnInf></TxInf></PmtRtr></Document>`,
  });
  expect([ret.status, ret.text]).toEqual([202, expect.any(String)]);
  expect(await v2Balance(sb, "CANCEL-A")).toBe(500);
  const after = await payCall(sb, "GET", `/payments/${payment.id}`);
  expect(after.body.transactionStatus).toBe("RJCT");
  expect(after.body.tppMessages[0].text).toContain("after its cancellation was requested");
});

it("adjusting the debit of a settled transfer (pacs.002 ACSC) is a v2 adjustment only: no camt.056", async () => {
  const payment = await transfer("10.00", "E2E-SETTLED-1");
  const pacs = (await delivered(payment.id, /pacs\.008/)) as Pacs008Message;
  const settled = await payCall(sb, "POST", "/payments/incoming", {
    xml: `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03"><FIToFIPmtStsRpt><GrpHdr><MsgId>STS-SETTLED-1</MsgId><CreDtTm>2026-01-01T10:00:00Z</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>${pacs.messageId}</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts><TxInfAndSts><OrgnlEndToEndId>E2E-SETTLED-1</OrgnlEndToEndId><OrgnlTxId>${pacs.transfers[0].transactionId}</OrgnlTxId><TxSts>ACSC</TxSts></TxInfAndSts></FIToFIPmtStsRpt></Document>`,
  });
  expect(settled.status).toBe(202);
  const debit = await debitOf(payment.id);
  expect((await call(sb, "POST", `/deposits/transactions/${String(debit.encodedKey)}:adjust`, { body: {} })).status).toBe(200);
  await sb.paymentsCallout.idle();
  expect(sb.paymentsCallout.messages().filter((m) => m.paymentId === payment.id).map((m) => m.messageType)).toEqual(["urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02"]);
  expect((await payCall(sb, "GET", `/payments/${payment.id}`)).body.transactionStatus).toBe("ACSC");
});
