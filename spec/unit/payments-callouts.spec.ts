/**
 * The receiver of the Payment Gateway's callouts: ISO 20022 pacs.008 / camt.056 / pacs.002 XML (fixtures written
 * from the seed's example and the SEPA rulebook's message shapes) parsed into typed messages, exact amounts and
 * all; malformed, unsafe (XXE, "billion laughs"), oversized, unauthenticated deliveries refused with nothing handed
 * over; the credentials never shown.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { inspect } from "node:util";
import { Decimal, MambuTsError, Payments, Secret } from "../../lib";
import type { CalloutMessage, CalloutRejection, Camt056Message, Pacs002Message, Pacs008Message } from "../../lib/entities/payments";

const FIXTURES = join(__dirname, "..", "fixtures", "callouts");
const PACS008 = readFileSync(join(FIXTURES, "pacs008.xml"), "utf8");
const CAMT056 = readFileSync(join(FIXTURES, "camt056.xml"), "utf8");
const PACS002 = readFileSync(join(FIXTURES, "pacs002.xml"), "utf8");
const T008 = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02";
const T056 = "urn:iso:std:iso:20022:tech:xsd:camt.056.001.01";
const T002 = "urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03";
const ID008 = "SCTORD156820211213000000012649";
const USER = "gateway";
const PASSWORD = "callout-Pa55word-xyz";
const basic = (u: string, p: string): string => `BASIC ${Buffer.from(`${u}:${p}`).toString("base64")}`;

function refusal(xml: string, type = T008): string {
  try {
    Payments.parseCalloutMessage(xml, type);
  } catch (e) {
    expect(e).toBeInstanceOf(Payments.Iso20022Error);
    expect(e).toBeInstanceOf(MambuTsError);
    return (e as Error).message;
  }
  throw new Error("parsed a message that should have been refused");
}

describe("parseCalloutMessage", () => {
  it("reads a pacs.008 into its group header and credit transfers: exact amounts, names with entities decoded, IBANs, BICs, remittance", () => {
    const m = Payments.parseCalloutMessage(PACS008, T008) as Pacs008Message;
    expect(m.kind).toBe("pacs.008");
    expect(m.messageType).toBe(T008);
    expect(m.messageId).toBe(ID008);
    expect(m.creationDateTime.toISO()).toBe("2021-12-13T10:15:42.000Z");
    expect(m.numberOfTransactions).toBe(2);
    expect(m.totalAmount!.value.toFixed()).toBe("1512.35");
    expect(m.totalAmount!.currency).toBe("EUR");
    expect(m.settlementDate!.toISODate()).toBe("2021-12-13");
    expect(m).toMatchObject({ settlementMethod: "CLRG", clearingSystem: "ST2", instructingAgentBic: "MAMBDEFFXXX" });
    expect(m.xml).toBe(PACS008);
    const [a, b] = m.transfers;
    expect(a).toMatchObject({
      instructionId: "INSTR-0001",
      endToEndId: "E2E-INV-2021-0042",
      transactionId: "SCTTX156820211213000000000001",
      chargeBearer: "SLEV",
      serviceLevel: "SEPA",
      debtor: { name: "Müller & Söhne GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
      creditor: { name: "Dupont SARL", iban: "FR1420041010050500013M02606", bic: "BNPAFRPPXXX" },
      remittanceInformation: "Invoice 2021-0042 \u2014 December",
    });
    expect(Decimal.isDecimal(a.amount.value)).toBe(true);
    expect(a.amount.value.toFixed(2)).toBe("1500.00");
    expect(a.amount.currency).toBe("EUR");
    expect(b).toMatchObject({ endToEndId: "NOTPROVIDED", creditorReference: "RF18539007547034", creditor: { name: "J. de Vries", iban: "NL91ABNA0417164300", bic: "INGBNL2A" } });
    expect(b.instructionId).toBeUndefined();
    expect(b.remittanceInformation).toBeUndefined();
    expect(b.amount.value.eq("12.35")).toBe(true);
  });

  it("reads a camt.056: which original message and transaction to cancel, and why", () => {
    const m = Payments.parseCalloutMessage(CAMT056, T056) as Camt056Message;
    expect(m).toMatchObject({ kind: "camt.056", messageId: "SCTREC156820211214000000000007", assignerBic: "MAMBDEFFXXX", assigneeBic: "BNPAFRPPXXX", numberOfTransactions: 1 });
    expect(m.creationDateTime.toISO()).toBe("2021-12-14T08:02:11.250+01:00");
    expect(m.cancellations).toHaveLength(1);
    const c = m.cancellations[0];
    expect(c).toMatchObject({
      cancellationId: "CXL-2021-0007",
      originalMessageId: ID008,
      originalMessageName: "pacs.008.001.02",
      originalInstructionId: "INSTR-0001",
      originalEndToEndId: "E2E-INV-2021-0042",
      originalTransactionId: "SCTTX156820211213000000000001",
      reason: { code: "DUPL", originator: "Müller & Söhne GmbH", additionalInformation: ["Sent twice by mistake"] },
    });
    expect(c.originalAmount!.value.toFixed(2)).toBe("1500.00");
    expect(c.originalSettlementDate!.toISODate()).toBe("2021-12-13");
  });

  it("reads a pacs.002: the original message, the group and transaction statuses with their reason", () => {
    const m = Payments.parseCalloutMessage(PACS002, T002) as Pacs002Message;
    expect(m).toMatchObject({ kind: "pacs.002", messageId: "SDDRJT156820211215000000000003", originalMessageId: "SDDCOL156820211215000000000001", originalMessageName: "pacs.003.001.02", groupStatus: "RJCT" });
    expect(m.transactions[0]).toMatchObject({ statusId: "STS-0001", originalEndToEndId: "E2E-SDD-0001", status: "RJCT", reason: { code: "MS02", originator: "MAMBDEFFXXX" } });
    expect(m.transactions[0].originalAmount!.value.toFixed(2)).toBe("49.90");
  });

  it.each([
    ["a DOCTYPE with nested entities (billion laughs)", PACS008.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>').replace("Dupont SARL", "&b;"), "a DOCTYPE or ENTITY declaration is not allowed"],
    ["an external entity (XXE)", PACS008.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace("Dupont SARL", "&x;"), "a DOCTYPE or ENTITY declaration is not allowed"],
    ["an undeclared entity", PACS008.replace("Dupont SARL", "Dupont &x; SARL"), 'a bare "&"'],
    ["XML that is not well-formed", PACS008.replace("</Cdtr>", "</Cdr>"), "not well-formed XML"],
    ["a count that is not the transactions'", PACS008.replace("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>"), "NbOfTxs says 3 transactions, the message holds 2"],
    ["a total that is not their sum", PACS008.replace(">1512.35<", ">1512.36<"), "TtlIntrBkSttlmAmt says 1512.36, the transactions sum to 1512.35"],
    ["an amount that is not one", PACS008.replace(">1500.00<", ">1,500.00<"), "IntrBkSttlmAmt: expected an amount"],
    ["an amount without its currency", PACS008.replace('<IntrBkSttlmAmt Ccy="EUR">12.35', "<IntrBkSttlmAmt>12.35"), "expected a Ccy attribute"],
    ["an IBAN that is not one", PACS008.replace("NL91ABNA0417164300", "NL91 ABNA 0417"), "CdtrAcct/Id/IBAN: not an IBAN"],
    ["a transfer without its end-to-end id", PACS008.replace("<EndToEndId>NOTPROVIDED</EndToEndId>", ""), "CdtTrfTxInf[1]/PmtId/EndToEndId: missing"],
    ["an id longer than 35 characters", PACS008.replace("<TxId>SCTTX156820211213000000000002", "<TxId>SCTTX156820211213000000000002-TOO-LONG"), "longer than 35 characters"],
    ["a message id given twice", PACS008.replace("<MsgId>", "<MsgId>X</MsgId><MsgId>"), "MsgId: given 2 times"],
    ["an element named __proto__ (prototype pollution)", PACS008.replace("<ChrgBr>SLEV</ChrgBr>", "<__proto__><polluted>1</polluted></__proto__><ChrgBr>SLEV</ChrgBr>"), "not readable XML"],
    ["another document than the Message-Type", PACS008.replace("pacs.008.001.02", "pacs.008.001.08"), "is not the Message-Type header's"],
  ])("refuses %s, handing nothing over", (_what, xml, expected) => {
    expect(refusal(xml)).toContain(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a Message-Type it does not read and a camt.056 naming no original transaction", () => {
    expect(refusal(PACS008, "urn:iso:std:iso:20022:tech:xsd:pacs.004.001.02")).toContain("is not one this receiver reads");
    expect(refusal(CAMT056.replace(/<OrgnlEndToEndId>.*<\/OrgnlEndToEndId>/, "").replace(/<OrgnlTxId>.*<\/OrgnlTxId>/, ""), T056)).toContain("names no original transaction");
  });
});

/** POSTs a callout to the listener. */
async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const good = (type = T008, id = ID008): Record<string, string> => ({ "Content-Type": "application/xml", Authorization: basic(USER, PASSWORD), "Message-Type": type, "Message-Id": id });

describe("listenForCallouts", () => {
  let listener: Payments.CalloutListener;
  const received: CalloutMessage[] = [];
  const rejected: CalloutRejection[] = [];
  let fail = false;

  beforeAll(async () => {
    listener = await Payments.listenForCallouts({
      port: 0,
      username: USER,
      password: new Secret(PASSWORD, "callout password"),
      maxBodyBytes: 64 * 1024,
      onMessage: (m) => {
        if (fail) throw new Error("the bank's database is down");
        received.push(m);
      },
      onRejected: (r) => rejected.push(r),
    });
  });

  afterAll(async () => {
    await listener.close();
  });

  beforeEach(() => {
    received.length = 0;
    rejected.length = 0;
    fail = false;
  });

  it("listens on 127.0.0.1; a pacs.008 with the right credentials and headers is answered 200 and handed over typed", async () => {
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}/`);
    const r = await post(listener.url, PACS008, good());
    expect(r.status).toBe(200);
    expect(received).toHaveLength(1);
    const m = received[0] as Pacs008Message;
    expect(m.messageId).toBe(ID008);
    expect(m.transfers.map((t) => t.amount.value.toFixed(2))).toEqual(["1500.00", "12.35"]);
    const c = await post(listener.url, CAMT056, good(T056, "SCTREC156820211214000000000007"));
    expect(c.status).toBe(200);
    expect(received[1].kind).toBe("camt.056");
  });

  it("without credentials, or with wrong ones, answers 401 and hands nothing over; the password is never reported", async () => {
    const { Authorization: _a, ...noAuth } = good();
    const none = await post(listener.url, PACS008, noAuth);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const wrong = await post(listener.url, PACS008, { ...good(), Authorization: basic(USER, `${PASSWORD}x`) });
    expect(wrong.status).toBe(401);
    const user = await post(listener.url, PACS008, { ...good(), Authorization: basic("other", PASSWORD) });
    expect(user.status).toBe(401);
    const bearer = await post(listener.url, PACS008, { ...good(), Authorization: `Bearer ${PASSWORD}` });
    expect(bearer.status).toBe(401);
    expect(received).toHaveLength(0);
    expect(rejected.map((x) => x.status)).toEqual([401, 401, 401, 401]);
    const shown = JSON.stringify(rejected) + none.body + wrong.body + inspect(listener, { depth: 5, showHidden: true }) + JSON.stringify(listener);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString("base64"));
  });

  it("checks Content-Type, Message-Type and Message-Id before reading the body", async () => {
    const ct = await post(listener.url, PACS008, { ...good(), "Content-Type": "application/json" });
    expect(ct.status).toBe(415);
    const { "Message-Type": _t, ...noType } = good();
    expect((await post(listener.url, PACS008, noType)).status).toBe(400);
    const other = await post(listener.url, PACS008, good("urn:iso:std:iso:20022:tech:xsd:pacs.004.001.02"));
    expect(other.status).toBe(400);
    expect(JSON.parse(other.body).error).toContain("is not read here");
    const { "Message-Id": _i, ...noId } = good();
    expect((await post(listener.url, PACS008, noId)).status).toBe(400);
    const mismatch = await post(listener.url, PACS008, good(T008, "SCTORD-SOMETHING-ELSE"));
    expect(mismatch.status).toBe(400);
    expect(JSON.parse(mismatch.body).error).toBe(`the Message-Id header (SCTORD-SOMETHING-ELSE) is not the message's id (${ID008})`);
    expect(received).toHaveLength(0);
  });

  it("a malformed or unsafe body is 400 with the reason; a body over maxBodyBytes is 413; nothing is handed over", async () => {
    const bad = await post(listener.url, PACS008.replace("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>1</NbOfTxs>"), good());
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ status: 400, error: "FIToFICstmrCdtTrf/GrpHdr/NbOfTxs says 1 transactions, the message holds 2" });
    const xxe = await post(listener.url, PACS008.replace('<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), good());
    expect(xxe.status).toBe(400);
    const big = await post(listener.url, PACS008.replace("</FIToFICstmrCdtTrf>", `<!--${"x".repeat(70 * 1024)}--></FIToFICstmrCdtTrf>`), good());
    expect(big.status).toBe(413);
    const latin1 = await fetch(listener.url, { method: "POST", headers: good(), body: Buffer.concat([Buffer.from(PACS008.slice(0, 100)), Buffer.from([0xe9, 0xff])]) });
    expect(latin1.status).toBe(400);
    expect(received).toHaveLength(0);
    expect(rejected.map((x) => x.status)).toEqual([400, 400, 413, 400]);
  });

  it("a handler that throws makes it 500 (the gateway sends it again); the redelivery is handed over once", async () => {
    fail = true;
    const first = await post(listener.url, PACS008, good());
    expect(first.status).toBe(500);
    expect(first.body).not.toContain("database");
    fail = false;
    const again = await post(listener.url, PACS008, good());
    expect(again.status).toBe(200);
    expect(received).toHaveLength(1);
  });

  it("only POST", async () => {
    const r = await fetch(listener.url);
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});

describe("listenForCallouts without onMessage", () => {
  it("hands messages to the async iterator, answers 503 when queueLimit wait, serves only `path`, and ends the iteration on close", async () => {
    const l = await Payments.listenForCallouts({ username: USER, password: PASSWORD, path: "/callouts", queueLimit: 1 });
    try {
      expect(l.url).toBe(`http://127.0.0.1:${l.port}/callouts`);
      expect((await post(`http://127.0.0.1:${l.port}/other`, PACS008, good())).status).toBe(404);
      expect((await post(l.url, PACS008, good())).status).toBe(200);
      const full = await post(l.url, PACS002, good(T002, "SDDRJT156820211215000000000003"));
      expect(full.status).toBe(503);
      expect(full.headers.get("retry-after")).toBe("5");
      const it = l[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.done).toBe(false);
      expect((first.value as CalloutMessage).messageId).toBe(ID008);
      const pending = it.next();
      expect((await post(l.url, PACS002, good(T002, "SDDRJT156820211215000000000003"))).status).toBe(200);
      expect(((await pending).value as CalloutMessage).kind).toBe("pacs.002");
      const waiting = it.next();
      await l.close();
      expect((await waiting).done).toBe(true);
    } finally {
      await l.close();
    }
  });

  it("is closed by its signal", async () => {
    const ac = new AbortController();
    const l = await Payments.listenForCallouts({ allowUnauthenticated: true, signal: ac.signal });
    const { Authorization: _a, ...noAuth } = good();
    expect((await post(l.url, PACS008, noAuth)).status).toBe(200);
    ac.abort();
    const it = l[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ messageId: ID008 });
    await expect(fetch(l.url, { method: "POST", body: PACS008, headers: noAuth })).rejects.toThrow();
  });

  it("closed from its handler, answers the delivery under way with Connection: close (close() does not wait on the sender's keep-alive)", async () => {
    let closing: Promise<void> | undefined;
    const l: Payments.CalloutListener = await Payments.listenForCallouts({ allowUnauthenticated: true, onMessage: () => void (closing = l.close()) });
    const { Authorization: _a, ...noAuth } = good();
    // a sender that keeps its connection alive, on a plain socket (nock's interception of node:http would decide that itself)
    const head = Object.entries({ ...noAuth, Host: `127.0.0.1:${l.port}`, Connection: "keep-alive", "Content-Length": String(Buffer.byteLength(PACS008)) }).map(([k, v]) => `${k}: ${v}\r\n`);
    const socket = connect(l.port, "127.0.0.1");
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        let text = "";
        socket.setEncoding("utf8").on("data", (d: string) => {
          text += d;
          if (text.includes("\r\n\r\n")) resolve(text.slice(0, text.indexOf("\r\n\r\n")));
        });
        socket.on("error", reject);
        socket.write(`POST / HTTP/1.1\r\n${head.join("")}\r\n${PACS008}`);
      });
      expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
      expect(answer.split("\r\n").filter((h) => /^connection:/i.test(h))).toEqual(["Connection: close"]);
      expect(closing).toBeDefined();
      await closing;
    } finally {
      socket.destroy();
    }
  });

  it("refuses options that would make it unsafe or useless, before listening", async () => {
    await expect(Payments.listenForCallouts({})).rejects.toThrow("give the callout's Basic credentials");
    await expect(Payments.listenForCallouts({ username: USER })).rejects.toThrow("password must be a non-empty string or Secret");
    await expect(Payments.listenForCallouts({ username: USER, password: PASSWORD, allowUnauthenticated: true })).rejects.toThrow("allowUnauthenticated with credentials");
    await expect(Payments.listenForCallouts({ username: USER, password: PASSWORD, port: 70000 })).rejects.toThrow("port must be an integer");
    await expect(Payments.listenForCallouts({ username: USER, password: PASSWORD, maxBodyBytes: 0 })).rejects.toThrow("maxBodyBytes");
    const l = await Payments.listenForCallouts({ username: USER, password: PASSWORD, onMessage: () => undefined });
    try {
      expect(() => l[Symbol.asyncIterator]()).toThrow("messages go to onMessage");
    } finally {
      await l.close();
    }
  });
});
