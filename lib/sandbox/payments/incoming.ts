/**
 * `POST /payments/incoming` (receiveIncomingMessage): ISO 20022 XML from the clearing (Content-Type
 * application/xml), answered 202 `{ messageId }` once applied — the messageId the gateway gives the message, which
 * `GET /payments/{messageId}` also takes. The document is read safely (./iso20022-xml.ts: no DOCTYPE/entities,
 * bounded); at most {@link MAX_TRANSACTIONS} transactions per message; every transaction is checked before any is
 * applied. Handled (by the root's element, any version of the urn:iso:std:iso:20022:tech:xsd namespace):
 *
 * - pacs.002 (`FIToFIPmtStsRpt`), a status report on a pacs.008 the gateway sent (found by OrgnlTxId, else
 *   OrgnlEndToEndId, within OrgnlMsgId): TxSts RJCT (or GrpSts RJCT for the whole message) → the payment is RJCT,
 *   its debit reversed (unless it was already adjusted through API v2: a cancellation requested, D32), the reason
 *   (StsRsnInf/Rsn/Cd) kept; ACSC/ACCP/ACSP → ACSC; PDNG → PDNG.
 * - pacs.004 (`PmtRtr`), a return of a sent payment (OrgnlTxId/OrgnlEndToEndId; the whole amount) → RJCT, debit
 *   reversed, returned, reason RtrRsnInf/Rsn/Cd.
 * - pacs.008 (`FIToFICstmrCdtTrf`), a credit transfer to an account of the sandbox: credits the deposit account
 *   mapped to CdtrAcct/Id/IBAN in the amount's currency (ACSC). When no account is mapped (or it cannot take the
 *   credit) the transfer is kept RJCT with reason AC01 (AC06 when refused) and a pacs.002 RJCT goes back on the
 *   callout; the message is still accepted (202).
 *
 * Errors: not well-formed or unsafe XML, a missing GrpHdr/MsgId or a field the flow needs → 400 FORMAT_ERROR; a
 * root other than Document, a foreign namespace or another message (camt.056, pacs.003...) → 400
 * INVALID_MESSAGE_TYPE; a reply naming no payment the gateway sent → 400 NOT_FOUND; a reply to a payment already
 * rejected or returned → 400 ORIGINAL_MESSAGE_ALREADY_REPLIED. The same GrpHdr/MsgId received again is answered
 * with the first messageId, without acting twice.
 */
import { randomUUID } from "node:crypto";
import type { Router, RouteRequest, SandboxContext } from "../router";
import { outboxOf } from "./callout";
import { newMessageId } from "./credit-transfers";
import { normaliseIban } from "./iban";
import { depositForIdentification } from "./identifications";
import { buildPacs002, PACS_002 } from "./iso20022-build";
import { attr, child, children, parseXml, text, XmlNode } from "./iso20022-xml";
import { checkAmountFor, creditDeposit, reverseMovement } from "./money";
import { findSentPayment, IncomingRecord, insertPayment, PaymentRecord, PaymentStatus, updatePayment } from "./payment-records";
import { TppError, tppError } from "./tpp";

/** Most transactions one incoming message may carry. */
export const MAX_TRANSACTIONS = 1000;

const ISO_NS = "urn:iso:std:iso:20022:tech:xsd:";

/** Message kinds by the root's child element. */
const KINDS: Record<string, "pacs.002" | "pacs.004" | "pacs.008"> = {
  FIToFIPmtStsRpt: "pacs.002",
  PmtRtr: "pacs.004",
  FIToFICstmrCdtTrf: "pacs.008",
};

function required(value: string | undefined, path: string): string {
  if (value === undefined || value === "") throw tppError("FORMAT_ERROR", `${path} is required`, path);
  return value;
}

function bounded(list: XmlNode[], path: string): XmlNode[] {
  if (list.length > MAX_TRANSACTIONS) throw tppError("FORMAT_ERROR", `at most ${MAX_TRANSACTIONS} transactions per message`, path);
  return list;
}

/** One action of a message, checked, to apply once every transaction passed. */
type Action = () => string | undefined;

/** Finds the sent payment a reply names; NOT_FOUND / ORIGINAL_MESSAGE_ALREADY_REPLIED otherwise. */
function repliedPayment(ctx: SandboxContext, ref: { messageId?: string; txId?: string; endToEndId?: string }, path: string, seen: Set<string>): PaymentRecord {
  if (ref.txId === undefined && ref.endToEndId === undefined && ref.messageId === undefined) {
    throw tppError("FORMAT_ERROR", `${path} needs OrgnlTxId, OrgnlEndToEndId or OrgnlMsgId`, path);
  }
  const p = findSentPayment(ctx, ref);
  if (!p) throw tppError("NOT_FOUND", `no payment sent by the gateway matches ${JSON.stringify(ref)}`.slice(0, 300), path);
  if (p.status === "RJCT" || seen.has(p.id)) throw tppError("ORIGINAL_MESSAGE_ALREADY_REPLIED", `payment ${p.id} was already ${p.returned ? "returned" : "rejected"}`, path);
  seen.add(p.id);
  return p;
}

/** Rejects or returns a sent payment: its debit reversed. */
function reject(ctx: SandboxContext, p: PaymentRecord, reason: string | undefined, returned: boolean): string {
  // A debit already adjusted through API v2 (a cancellation requested, D32) is not reversed a second time.
  const debit = p.transactionKey ? ctx.store.find("depositTransactions", p.transactionKey) : undefined;
  const adjusted = typeof debit?.adjustmentTransactionKey === "string" ? debit.adjustmentTransactionKey : undefined;
  const adj = p.transactionKey && adjusted === undefined ? reverseMovement(ctx, p.transactionKey, `SEPA credit transfer ${p.id} ${returned ? "returned" : "rejected"}${reason ? ` (${reason})` : ""}`) : undefined;
  const reversalKey = adj?.encodedKey ?? adjusted;
  updatePayment(ctx, p, { status: "RJCT", replied: true, ...(returned ? { returned: true } : {}), ...(reason ? { reasonCode: reason } : {}), ...(reversalKey ? { reversalKey } : {}) });
  return p.id;
}

function pacs002(ctx: SandboxContext, doc: XmlNode): Action[] {
  const grp = child(doc, "OrgnlGrpInfAndSts");
  const orgnlMsgId = text(grp, "OrgnlMsgId");
  const seen = new Set<string>();
  const txs = bounded(children(doc, "TxInfAndSts"), "TxInfAndSts");
  const statusOf = (s: string | undefined, path: string): PaymentStatus | "RJCT" => {
    if (s === "RJCT") return "RJCT";
    if (s === "ACSC" || s === "ACCP" || s === "ACSP") return "ACSC";
    if (s === "PDNG") return "PDNG";
    throw tppError("FORMAT_ERROR", `${path}: status ${JSON.stringify(s ?? "")} is not RJCT, ACSC, ACCP, ACSP or PDNG`, path);
  };
  if (txs.length === 0) {
    // A group status: the whole original message.
    const grpSts = required(text(grp, "GrpSts"), "OrgnlGrpInfAndSts.GrpSts");
    const status = statusOf(grpSts, "OrgnlGrpInfAndSts.GrpSts");
    const p = repliedPayment(ctx, { messageId: required(orgnlMsgId, "OrgnlGrpInfAndSts.OrgnlMsgId") }, "OrgnlGrpInfAndSts", seen);
    const reason = text(grp, "StsRsnInf", "Rsn", "Cd");
    return [() => (status === "RJCT" ? reject(ctx, p, reason, false) : updatePayment(ctx, p, { status, replied: true }).id)];
  }
  return txs.map((tx, i) => {
    const path = `TxInfAndSts[${i}]`;
    const status = statusOf(text(tx, "TxSts") ?? text(grp, "GrpSts"), `${path}.TxSts`);
    const p = repliedPayment(ctx, { messageId: orgnlMsgId, txId: text(tx, "OrgnlTxId"), endToEndId: text(tx, "OrgnlEndToEndId") }, path, seen);
    const reason = text(tx, "StsRsnInf", "Rsn", "Cd");
    return () => (status === "RJCT" ? reject(ctx, p, reason, false) : updatePayment(ctx, p, { status, replied: true }).id);
  });
}

function pacs004(ctx: SandboxContext, doc: XmlNode): Action[] {
  const seen = new Set<string>();
  const groupMsgId = text(doc, "OrgnlGrpInf", "OrgnlMsgId");
  const txs = bounded(children(doc, "TxInf"), "TxInf");
  if (txs.length === 0) throw tppError("FORMAT_ERROR", "TxInf is required", "TxInf");
  return txs.map((tx, i) => {
    const path = `TxInf[${i}]`;
    const p = repliedPayment(ctx, { messageId: text(tx, "OrgnlGrpInf", "OrgnlMsgId") ?? groupMsgId, txId: text(tx, "OrgnlTxId"), endToEndId: text(tx, "OrgnlEndToEndId") }, path, seen);
    const amt = child(tx, "RtrdIntrBkSttlmAmt");
    const amount = text(tx, "RtrdIntrBkSttlmAmt");
    if (amount !== undefined && (Number(amount) !== Number(p.amount) || (attr(amt, "Ccy") ?? p.currency) !== p.currency)) {
      throw tppError("FORMAT_ERROR", `${path}.RtrdIntrBkSttlmAmt: only the whole amount (${p.amount} ${p.currency}) can be returned`, `${path}.RtrdIntrBkSttlmAmt`);
    }
    const reason = text(tx, "RtrRsnInf", "Rsn", "Cd");
    return () => reject(ctx, p, reason, true);
  });
}

function pacs008(ctx: SandboxContext, doc: XmlNode, senderMsgId: string): Action[] {
  const txs = bounded(children(doc, "CdtTrfTxInf"), "CdtTrfTxInf");
  if (txs.length === 0) throw tppError("FORMAT_ERROR", "CdtTrfTxInf is required", "CdtTrfTxInf");
  return txs.map((tx, i) => {
    const path = `CdtTrfTxInf[${i}]`;
    const amtNode = child(tx, "IntrBkSttlmAmt");
    const amount = required(text(tx, "IntrBkSttlmAmt"), `${path}.IntrBkSttlmAmt`);
    const currency = required(attr(amtNode, "Ccy"), `${path}.IntrBkSttlmAmt.Ccy`);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(amount) || !/[1-9]/.test(amount)) throw tppError("FORMAT_ERROR", `${path}.IntrBkSttlmAmt: a positive decimal amount`, `${path}.IntrBkSttlmAmt`);
    const ibanText = required(text(tx, "CdtrAcct", "Id", "IBAN"), `${path}.CdtrAcct.Id.IBAN`);
    const creditorIban = normaliseIban(ibanText);
    const debtorIbanText = text(tx, "DbtrAcct", "Id", "IBAN");
    const endToEndId = text(tx, "PmtId", "EndToEndId") ?? "NOTPROVIDED";
    const txId = text(tx, "PmtId", "TxId") ?? `${senderMsgId}-${i + 1}`;
    const dep = depositForIdentification(ctx, { iban: creditorIban }, currency);
    if (dep) checkAmountFor(dep, { amount, currency }, `${path}.IntrBkSttlmAmt`);
    const debtorName = text(tx, "Dbtr", "Nm");
    return () => {
      const base = {
        id: randomUUID(),
        direction: "INCOMING" as const,
        kind: "IN" as const,
        amount,
        currency,
        creditorIban,
        ...(debtorIbanText !== undefined ? { debtorIban: normaliseIban(debtorIbanText) } : {}),
        endToEndId,
        txId,
        messageId: senderMsgId,
        createdAt: ctx.clock.nowIso(),
      };
      let reason = "AC01";
      if (dep) {
        try {
          const credit = creditDeposit(ctx, dep.encodedKey, amount, `SEPA credit transfer received ${endToEndId}${debtorName ? ` from ${debtorName}` : ""}`);
          return insertPayment(ctx, { ...base, status: "ACSC", accountKey: dep.encodedKey, accountId: String(dep.id ?? dep.encodedKey), transactionKey: credit.encodedKey }).id;
        } catch (e) {
          if (!(e instanceof TppError)) throw e;
          reason = "AC06";
        }
      }
      const p = insertPayment(ctx, { ...base, status: "RJCT", reasonCode: reason, replied: true });
      const messageId = newMessageId(ctx, "SCTREJ");
      const xml = buildPacs002({
        messageId,
        createdAt: p.createdAt,
        original: { messageId: senderMsgId, messageType: "pacs.008.001.02", endToEndId, txId },
        status: "RJCT",
        reasonCode: reason,
      });
      outboxOf(ctx.store).send({ messageId, messageType: PACS_002, paymentId: p.id, xml });
      return p.id;
    };
  });
}

function receive(ctx: SandboxContext, req: RouteRequest) {
  const { rootName, root, namespace: ns } = parseXml(req.text ?? "");
  if (rootName !== "Document") throw tppError("INVALID_MESSAGE_TYPE", `the root element is ${rootName.slice(0, 60)}, not an ISO 20022 Document`);
  if (ns !== undefined && !ns.startsWith(ISO_NS)) throw tppError("INVALID_MESSAGE_TYPE", `namespace ${ns.slice(0, 100)} is not ISO 20022`);
  const names = Object.keys(root).filter((k) => !k.startsWith("@_") && k !== "#text");
  const kind = names.length === 1 && Object.prototype.hasOwnProperty.call(KINDS, names[0]) ? KINDS[names[0]] : undefined;
  if (!kind || (ns !== undefined && !ns.startsWith(`${ISO_NS}${kind}.`))) {
    throw tppError("INVALID_MESSAGE_TYPE", `${(ns ?? names.join(", ")).slice(0, 100)}: the gateway handles pacs.002, pacs.004 and pacs.008`);
  }
  const doc = child(root, names[0])!;
  const senderMsgId = required(text(doc, "GrpHdr", "MsgId"), "GrpHdr.MsgId");
  const earlier = (ctx.store.all("payincoming") as IncomingRecord[]).find((m) => m.senderMessageId === senderMsgId && m.messageType === kind);
  if (earlier) return { status: 202, body: { messageId: earlier.id } };
  const actions = kind === "pacs.002" ? pacs002(ctx, doc) : kind === "pacs.004" ? pacs004(ctx, doc) : pacs008(ctx, doc, senderMsgId);
  const paymentIds = actions.map((a) => a()).filter((x): x is string => x !== undefined);
  const messageId = randomUUID();
  ctx.store.insert("payincoming", { encodedKey: ctx.store.newEncodedKey(), id: messageId, messageType: kind, senderMessageId: senderMsgId, paymentIds, receivedAt: ctx.clock.nowIso() } as IncomingRecord);
  return { status: 202, body: { messageId } };
}

/** Registers `POST /payments/incoming`. */
export function registerIncomingRoutes(router: Router): void {
  router.add("POST", "/payments/incoming", receive);
}
