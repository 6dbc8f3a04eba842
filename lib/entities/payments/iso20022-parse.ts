/**
 * Reading the ISO 20022 XML of a Payment Gateway callout into the typed messages of ./iso20022-types.ts.
 *
 * Safe on hostile input: a document with a DOCTYPE (where entities would be declared: XXE, "billion laughs") is
 * refused before parsing; only the five XML entities and character references are decoded, in one pass; the text
 * is checked to be well-formed first (fast-xml-parser's validator); every value read is a bounded string checked
 * for its form (ids ≤ 35 characters, amounts with at most 18 digits, 5 after the point, ISO currency codes, IBANs,
 * BICs). The counts and totals the group header declares must match the transactions received, so that a cut or
 * altered message is refused rather than handed over in part.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { DateTime } from "luxon";
import { MambuTsError } from "../../errors";
import { Decimal } from "../../core/money";
import type {
  Camt056Message,
  CalloutMessage,
  CalloutMessageKind,
  CreditTransferInstruction,
  Iso20022Amount,
  Iso20022Party,
  Iso20022Reason,
  Pacs002Message,
  Pacs008Message,
  PaymentCancellation,
  TransactionStatus,
} from "./iso20022-types";

/** A callout's XML is not a message this library reads: malformed, unsafe, or not what its headers say. */
export class Iso20022Error extends MambuTsError {
  constructor(message: string) {
    super(message);
    this.name = "Iso20022Error";
  }
}

/** The namespace prefix of every ISO 20022 message type. */
export const ISO20022_URN = "urn:iso:std:iso:20022:tech:xsd:";

/** The message types read, with the root element of each (under `Document`). */
const ROOTS: ReadonlyMap<CalloutMessageKind, string> = new Map([
  ["pacs.008", "FIToFICstmrCdtTrf"],
  ["camt.056", "FIToFIPmtCxlReq"],
  ["pacs.002", "FIToFIPmtStsRpt"],
]);

/** Most transactions (or cancellations, statuses) one message may hold. */
export const MAX_MESSAGE_TRANSACTIONS = 10_000;

/**
 * The kind of a `Message-Type` (`urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02` → `pacs.008`), or undefined for a
 * type this library does not read.
 */
export function calloutKind(messageType: string): CalloutMessageKind | undefined {
  const m = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.\d{3}\.\d{2}$/.exec(messageType);
  return m && ROOTS.has(m[1] as CalloutMessageKind) ? (m[1] as CalloutMessageKind) : undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Node = Record<string, unknown>;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The five XML entities and character references, decoded in one pass (`&amp;#233;` stays `&#233;`). */
function decodeText(s: string, where: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});|&/g, (all, name?: string) => {
    if (name === undefined) throw new Iso20022Error(`${where}: a bare "&" (write &amp;)`);
    switch (name) {
      case "amp": return "&";
      case "lt": return "<";
      case "gt": return ">";
      case "quot": return '"';
      case "apos": return "'";
    }
    const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    if (!(code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))) {
      throw new Iso20022Error(`${where}: ${all} is not an XML character`);
    }
    return String.fromCodePoint(code);
  });
}

/** A child element (one only), or undefined. */
function child(n: unknown, name: string, path: string): unknown {
  if (n === null || typeof n !== "object" || Array.isArray(n) || !hasOwn(n, name)) return undefined;
  const v = (n as Node)[name];
  if (Array.isArray(v)) throw new Iso20022Error(`${path}/${name}: given ${v.length} times, expected once`);
  return v;
}

/** Every child element of a name, in order (at most {@link MAX_MESSAGE_TRANSACTIONS}). */
function children(n: unknown, name: string, path: string): unknown[] {
  if (n === null || typeof n !== "object" || Array.isArray(n) || !hasOwn(n, name)) return [];
  const v = (n as Node)[name];
  const list = Array.isArray(v) ? v : [v];
  if (list.length > MAX_MESSAGE_TRANSACTIONS) throw new Iso20022Error(`${path}/${name}: more than ${MAX_MESSAGE_TRANSACTIONS}`);
  return list;
}

/** The element at a path of names (each once), or undefined. */
function at(n: unknown, path: string, ...names: string[]): unknown {
  let v = n;
  let where = path;
  for (const name of names) {
    v = child(v, name, where);
    where = `${where}/${name}`;
    if (v === undefined) return undefined;
  }
  return v;
}

/** The text of an element (its `#text` when it has attributes), decoded and bounded, or undefined when absent. */
function text(n: unknown, path: string, max = 140): string | undefined {
  if (n === undefined) return undefined;
  let v: unknown = n;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v).filter((k) => !k.startsWith("@"));
    if (keys.length === 0) return "";
    if (keys.length !== 1 || keys[0] !== "#text") throw new Iso20022Error(`${path}: expected text, got elements`);
    v = (v as Node)["#text"];
  }
  if (typeof v !== "string") throw new Iso20022Error(`${path}: expected text`);
  const s = decodeText(v, path);
  if (s.length > max) throw new Iso20022Error(`${path}: longer than ${max} characters`);
  return s;
}

function textAt(n: unknown, path: string, names: string[], max?: number): string | undefined {
  return text(at(n, path, ...names), `${path}/${names.join("/")}`, max);
}

function required<T>(v: T | undefined, path: string): T {
  if (v === undefined || v === "") throw new Iso20022Error(`${path}: missing`);
  return v;
}

/** An id (Max35Text). */
function idAt(n: unknown, path: string, names: string[]): string | undefined {
  const s = textAt(n, path, names, 35);
  if (s !== undefined && s === "") throw new Iso20022Error(`${path}/${names.join("/")}: empty`);
  return s;
}

const AMOUNT = /^\d{1,18}(\.\d{1,5})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const IBAN = /^[A-Z]{2}\d{2}[A-Za-z0-9]{1,30}$/;
const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;

/** An amount element with its `Ccy` attribute. */
function amountAt(n: unknown, path: string, names: string[]): Iso20022Amount | undefined {
  const el = at(n, path, ...names);
  if (el === undefined) return undefined;
  const where = `${path}/${names.join("/")}`;
  const value = text(el, where, 30);
  const ccy = el !== null && typeof el === "object" && hasOwn(el, "@Ccy") ? (el as Node)["@Ccy"] : undefined;
  if (value === undefined || !AMOUNT.test(value)) throw new Iso20022Error(`${where}: expected an amount such as 1500.00 (at most 18 digits, 5 decimals)`);
  if (typeof ccy !== "string" || !CURRENCY.test(ccy)) throw new Iso20022Error(`${where}: expected a Ccy attribute with an ISO 4217 code`);
  return { value: new Decimal(value), currency: ccy };
}

/** An ISODateTime (`CreDtTm`): with its offset, or UTC when it has none. */
function dateTimeAt(n: unknown, path: string, names: string[]): DateTime | undefined {
  const s = textAt(n, path, names, 40);
  if (s === undefined) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(s) ? DateTime.fromISO(s, { setZone: true, zone: "utc" }) : undefined;
  if (!d || !d.isValid) throw new Iso20022Error(`${path}/${names.join("/")}: expected an ISO date-time such as 2021-12-13T10:15:42`);
  return d;
}

/** An ISODate (`IntrBkSttlmDt`), as UTC midnight. */
function dateAt(n: unknown, path: string, names: string[]): DateTime | undefined {
  const s = textAt(n, path, names, 10);
  if (s === undefined) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s, { zone: "utc" }) : undefined;
  if (!d || !d.isValid) throw new Iso20022Error(`${path}/${names.join("/")}: expected a date such as 2021-12-13`);
  return d;
}

function countAt(n: unknown, path: string, names: string[]): number | undefined {
  const s = textAt(n, path, names, 15);
  if (s === undefined) return undefined;
  if (!/^\d{1,15}$/.test(s)) throw new Iso20022Error(`${path}/${names.join("/")}: expected a number of transactions`);
  return Number(s);
}

function ibanAt(n: unknown, path: string, names: string[]): string | undefined {
  const s = textAt(n, path, names, 34);
  if (s !== undefined && !IBAN.test(s)) throw new Iso20022Error(`${path}/${names.join("/")}: not an IBAN`);
  return s;
}

/** The BIC of a financial institution (`FinInstnId/BIC`, or `BICFI` in later versions). */
function bicAt(n: unknown, path: string, names: string[]): string | undefined {
  const fin = at(n, path, ...names, "FinInstnId");
  if (fin === undefined) return undefined;
  const where = `${path}/${names.join("/")}/FinInstnId`;
  const s = text(child(fin, "BIC", where), `${where}/BIC`, 11) ?? text(child(fin, "BICFI", where), `${where}/BICFI`, 11);
  if (s !== undefined && !BIC.test(s)) throw new Iso20022Error(`${where}: not a BIC`);
  return s;
}

function party(n: unknown, path: string, who: "Dbtr" | "Cdtr"): Iso20022Party {
  const p: Iso20022Party = {};
  const name = textAt(n, path, [who, "Nm"], 140);
  if (name !== undefined) p.name = name;
  const iban = ibanAt(n, path, [`${who}Acct`, "Id", "IBAN"]);
  if (iban !== undefined) p.iban = iban;
  const bic = bicAt(n, path, [`${who}Agt`]);
  if (bic !== undefined) p.bic = bic;
  return p;
}

function reason(n: unknown, path: string): Iso20022Reason | undefined {
  if (n === undefined) return undefined;
  const r: Iso20022Reason = { additionalInformation: [] };
  const code = textAt(n, path, ["Rsn", "Cd"], 4);
  if (code !== undefined) r.code = code;
  const prtry = textAt(n, path, ["Rsn", "Prtry"], 35);
  if (prtry !== undefined) r.proprietary = prtry;
  r.additionalInformation = children(n, "AddtlInf", path).map((x, i) => required(text(x, `${path}/AddtlInf[${i}]`, 105), `${path}/AddtlInf`));
  const orgtr = textAt(n, path, ["Orgtr", "Nm"], 140) ?? textAt(n, path, ["Orgtr", "Id", "OrgId", "BICOrBEI"], 11) ?? textAt(n, path, ["Orgtr", "Id", "OrgId", "AnyBIC"], 11);
  if (orgtr !== undefined) r.originator = orgtr;
  return r;
}

function set<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

function sumOf(amounts: Iso20022Amount[]): Decimal {
  return amounts.reduce((s, a) => s.plus(a.value), new Decimal(0));
}

function pacs008(root: unknown, base: Omit<Pacs008Message, "kind" | "numberOfTransactions" | "transfers" | "messageId" | "creationDateTime">): Pacs008Message {
  const p = "FIToFICstmrCdtTrf";
  const gh = required(at(root, p, "GrpHdr"), `${p}/GrpHdr`);
  const g = `${p}/GrpHdr`;
  const transfers = children(root, "CdtTrfTxInf", p).map((tx, i): CreditTransferInstruction => {
    const w = `${p}/CdtTrfTxInf[${i}]`;
    const t: CreditTransferInstruction = {
      endToEndId: required(idAt(tx, w, ["PmtId", "EndToEndId"]), `${w}/PmtId/EndToEndId`),
      transactionId: required(idAt(tx, w, ["PmtId", "TxId"]), `${w}/PmtId/TxId`),
      amount: required(amountAt(tx, w, ["IntrBkSttlmAmt"]), `${w}/IntrBkSttlmAmt`),
      debtor: party(tx, w, "Dbtr"),
      creditor: party(tx, w, "Cdtr"),
    };
    set(t, "instructionId", idAt(tx, w, ["PmtId", "InstrId"]));
    set(t, "chargeBearer", textAt(tx, w, ["ChrgBr"], 4));
    set(t, "serviceLevel", textAt(tx, w, ["PmtTpInf", "SvcLvl", "Cd"], 4));
    const rmt = at(tx, w, "RmtInf");
    const ustrd = children(rmt, "Ustrd", `${w}/RmtInf`).map((x) => required(text(x, `${w}/RmtInf/Ustrd`, 140), `${w}/RmtInf/Ustrd`));
    if (ustrd.length) t.remittanceInformation = ustrd.join(" ");
    set(t, "creditorReference", textAt(rmt, `${w}/RmtInf`, ["Strd", "CdtrRefInf", "Ref"], 35));
    set(t, "purpose", textAt(tx, w, ["Purp", "Cd"], 4));
    return t;
  });
  const declared = required(countAt(gh, g, ["NbOfTxs"]), `${g}/NbOfTxs`);
  if (transfers.length === 0) throw new Iso20022Error(`${p}: no CdtTrfTxInf`);
  if (declared !== transfers.length) throw new Iso20022Error(`${g}/NbOfTxs says ${declared} transactions, the message holds ${transfers.length}`);
  const m: Pacs008Message = {
    kind: "pacs.008",
    ...base,
    messageId: required(idAt(gh, g, ["MsgId"]), `${g}/MsgId`),
    creationDateTime: required(dateTimeAt(gh, g, ["CreDtTm"]), `${g}/CreDtTm`),
    numberOfTransactions: declared,
    transfers,
  };
  const total = amountAt(gh, g, ["TtlIntrBkSttlmAmt"]);
  if (total) {
    if (transfers.some((t) => t.amount.currency !== total.currency)) throw new Iso20022Error(`${g}/TtlIntrBkSttlmAmt is in ${total.currency}, a transaction is not`);
    const sum = sumOf(transfers.map((t) => t.amount));
    if (!sum.eq(total.value)) throw new Iso20022Error(`${g}/TtlIntrBkSttlmAmt says ${total.value.toFixed()}, the transactions sum to ${sum.toFixed()}`);
    m.totalAmount = total;
  }
  const ctrl = textAt(gh, g, ["CtrlSum"], 30);
  if (ctrl !== undefined) {
    if (!AMOUNT.test(ctrl)) throw new Iso20022Error(`${g}/CtrlSum: expected a decimal`);
    const sum = sumOf(transfers.map((t) => t.amount));
    if (!sum.eq(ctrl)) throw new Iso20022Error(`${g}/CtrlSum says ${ctrl}, the transactions sum to ${sum.toFixed()}`);
  }
  set(m, "settlementDate", dateAt(gh, g, ["IntrBkSttlmDt"]));
  set(m, "settlementMethod", textAt(gh, g, ["SttlmInf", "SttlmMtd"], 4));
  set(m, "clearingSystem", textAt(gh, g, ["SttlmInf", "ClrSys", "Prtry"], 35) ?? textAt(gh, g, ["SttlmInf", "ClrSys", "Cd"], 5));
  set(m, "instructingAgentBic", bicAt(gh, g, ["InstgAgt"]));
  set(m, "instructedAgentBic", bicAt(gh, g, ["InstdAgt"]));
  return m;
}

function camt056(root: unknown, base: Omit<Camt056Message, "kind" | "cancellations" | "messageId" | "creationDateTime">): Camt056Message {
  const p = "FIToFIPmtCxlReq";
  const a = `${p}/Assgnmt`;
  const asg = required(at(root, p, "Assgnmt"), a);
  const txs = children(at(root, p, "Undrlyg"), "TxInf", `${p}/Undrlyg`);
  const cancellations = txs.map((tx, i): PaymentCancellation => {
    const w = `${p}/Undrlyg/TxInf[${i}]`;
    const c: PaymentCancellation = { reason: reason(at(tx, w, "CxlRsnInf"), `${w}/CxlRsnInf`) ?? { additionalInformation: [] } };
    set(c, "cancellationId", idAt(tx, w, ["CxlId"]));
    set(c, "originalMessageId", idAt(tx, w, ["OrgnlGrpInf", "OrgnlMsgId"]));
    set(c, "originalMessageName", idAt(tx, w, ["OrgnlGrpInf", "OrgnlMsgNmId"]));
    set(c, "originalInstructionId", idAt(tx, w, ["OrgnlInstrId"]));
    set(c, "originalEndToEndId", idAt(tx, w, ["OrgnlEndToEndId"]));
    set(c, "originalTransactionId", idAt(tx, w, ["OrgnlTxId"]));
    set(c, "originalAmount", amountAt(tx, w, ["OrgnlIntrBkSttlmAmt"]));
    set(c, "originalSettlementDate", dateAt(tx, w, ["OrgnlIntrBkSttlmDt"]));
    if (c.originalEndToEndId === undefined && c.originalTransactionId === undefined) throw new Iso20022Error(`${w}: names no original transaction (OrgnlEndToEndId or OrgnlTxId)`);
    return c;
  });
  if (cancellations.length === 0) throw new Iso20022Error(`${p}/Undrlyg: no TxInf`);
  const m: Camt056Message = {
    kind: "camt.056",
    ...base,
    messageId: required(idAt(asg, a, ["Id"]), `${a}/Id`),
    creationDateTime: required(dateTimeAt(asg, a, ["CreDtTm"]), `${a}/CreDtTm`),
    cancellations,
  };
  const declared = countAt(root, p, ["CtrlData", "NbOfTxs"]);
  if (declared !== undefined) {
    if (declared !== cancellations.length) throw new Iso20022Error(`${p}/CtrlData/NbOfTxs says ${declared} transactions, the message holds ${cancellations.length}`);
    m.numberOfTransactions = declared;
  }
  set(m, "assignerBic", bicAt(asg, a, ["Assgnr", "Agt"]));
  set(m, "assigneeBic", bicAt(asg, a, ["Assgne", "Agt"]));
  set(m, "caseId", idAt(root, p, ["Case", "Id"]));
  return m;
}

function pacs002(root: unknown, base: Omit<Pacs002Message, "kind" | "transactions" | "messageId" | "creationDateTime" | "originalMessageId">): Pacs002Message {
  const p = "FIToFIPmtStsRpt";
  const g = `${p}/GrpHdr`;
  const gh = required(at(root, p, "GrpHdr"), g);
  const o = `${p}/OrgnlGrpInfAndSts`;
  const orig = required(at(root, p, "OrgnlGrpInfAndSts"), o);
  const transactions = children(root, "TxInfAndSts", p).map((tx, i): TransactionStatus => {
    const w = `${p}/TxInfAndSts[${i}]`;
    const t: TransactionStatus = {};
    set(t, "statusId", idAt(tx, w, ["StsId"]));
    set(t, "originalInstructionId", idAt(tx, w, ["OrgnlInstrId"]));
    set(t, "originalEndToEndId", idAt(tx, w, ["OrgnlEndToEndId"]));
    set(t, "originalTransactionId", idAt(tx, w, ["OrgnlTxId"]));
    set(t, "status", textAt(tx, w, ["TxSts"], 4));
    set(t, "reason", reason(at(tx, w, "StsRsnInf"), `${w}/StsRsnInf`));
    set(t, "originalAmount", amountAt(tx, w, ["OrgnlTxRef", "IntrBkSttlmAmt"]));
    return t;
  });
  const m: Pacs002Message = {
    kind: "pacs.002",
    ...base,
    messageId: required(idAt(gh, g, ["MsgId"]), `${g}/MsgId`),
    creationDateTime: required(dateTimeAt(gh, g, ["CreDtTm"]), `${g}/CreDtTm`),
    originalMessageId: required(idAt(orig, o, ["OrgnlMsgId"]), `${o}/OrgnlMsgId`),
    transactions,
  };
  set(m, "originalMessageName", idAt(orig, o, ["OrgnlMsgNmId"]));
  set(m, "groupStatus", textAt(orig, o, ["GrpSts"], 4));
  set(m, "groupReason", reason(at(orig, o, "StsRsnInf"), `${o}/StsRsnInf`));
  if (m.groupStatus === undefined && transactions.length === 0) throw new Iso20022Error(`${p}: neither a group status nor a transaction status`);
  return m;
}

/** The namespace of the root element (`<Document xmlns="...">`, or a prefixed `<x:Document xmlns:x="...">`). */
function rootNamespace(xml: string): { name: string; ns?: string } {
  const m = /<(?![?!])([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(xml);
  if (!m) throw new Iso20022Error("no root element");
  const [prefix, local] = m[1].includes(":") ? m[1].split(":") : [undefined, m[1]];
  const attr = prefix ? `xmlns:${prefix}` : "xmlns";
  let ns: string | undefined;
  for (const a of m[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) if (a[1] === attr) ns = a[2] ?? a[3];
  return { name: local, ns };
}

/**
 * Parses a callout's XML into its typed message. `messageType` is the callout's `Message-Type` header: the
 * document's namespace must be that type (and one of pacs.008, camt.056, pacs.002).
 * @throws Iso20022Error saying what is wrong (never a partial message).
 */
export function parseCalloutMessage(xml: string, messageType: string): CalloutMessage {
  const kind = calloutKind(messageType);
  if (!kind) throw new Iso20022Error(`Message-Type ${JSON.stringify(messageType.slice(0, 80))} is not one this receiver reads (pacs.008, camt.056, pacs.002 under ${ISO20022_URN})`);
  if (typeof xml !== "string" || xml.trim() === "") throw new Iso20022Error("the body is empty");
  // Entities can only be declared in a DOCTYPE: without one, none is expanded (no XXE, no "billion laughs").
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Iso20022Error("a DOCTYPE or ENTITY declaration is not allowed");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Iso20022Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const root = rootNamespace(xml);
  if (root.name !== "Document") throw new Iso20022Error(`the root element is ${root.name}, expected Document`);
  if (root.ns !== messageType) throw new Iso20022Error(`the document's namespace (${JSON.stringify(root.ns ?? "")}) is not the Message-Type header's (${messageType})`);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    throw new Iso20022Error(`not readable XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const document = at(doc, "", "Document");
  const rootName = ROOTS.get(kind)!;
  const body = at(document, "Document", rootName);
  if (body === undefined || body === null || typeof body !== "object") throw new Iso20022Error(`a ${kind} needs Document/${rootName}`);
  const base = { messageType, xml };
  if (kind === "pacs.008") return pacs008(body, base);
  if (kind === "camt.056") return camt056(body, base);
  return pacs002(body, base);
}
