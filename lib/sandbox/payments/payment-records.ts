/**
 * Credit transfers as the gateway keeps them (`paypayments`, keyed by paymentId): sent ones (from
 * `POST /payments`, `/payments/credit-transfers`, `/payments/financial-institution-credit-transfers`) and received
 * ones (an incoming pacs.008), with the v2 deposit transaction that moved the money and, once reversed, its
 * adjustment. Incoming ISO 20022 messages are kept in `payincoming` by messageId (what they concerned, so that
 * `GET /payments/{messageId}` answers the payment's details, as the seed says).
 *
 * Statuses (the seed's seven ISO codes; `POST` answers RCVD, the contract's only value there):
 * - sent: ACSP once the debtor's account is debited and the pacs.008 is queued for the callout; ACSC when a
 *   pacs.002 reports it settled (ACSC/ACCP); RJCT when a pacs.002 rejects it (RJCT) or a pacs.004 returns it — the
 *   debit is reversed then, and a WARN TPPMessage says why (reason code of the message); PDNG with a cancellation
 *   requested when, before any reply, the debit is adjusted through API v2 (decision D32, ./cancellation.ts: a
 *   camt.056 goes to the callout; a later pacs.002 RJCT or pacs.004 makes it RJCT without reversing again).
 * - received: ACSC once the creditor's account is credited; RJCT when no account is mapped to the creditor IBAN
 *   (reason AC01) — the gateway answers that with a pacs.002 RJCT on the callout.
 */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import type { TppMessage } from "./tpp";

/** A payment's status (the seed's ISO codes). */
export type PaymentStatus = "ACSC" | "ACSP" | "ACTC" | "CPVP" | "RCVD" | "PDNG" | "RJCT";

/** A stored credit transfer. */
export interface PaymentRecord extends WireRecord {
  /** The paymentId. */
  id: string;
  direction: "OUTGOING" | "INCOMING";
  /** Which operation made it: SCT (`POST /payments`), ISO (`/payments/credit-transfers`), FI (financial institution), IN (a pacs.008 received). */
  kind: "SCT" | "ISO" | "FI" | "IN";
  status: PaymentStatus;
  amount: string;
  currency: string;
  /** The v2 deposit account debited (sent) or credited (received), when there is one. */
  accountKey?: string;
  accountId?: string;
  /** The v2 deposit transaction that moved the money, and its adjustment once reversed. */
  transactionKey?: string;
  reversalKey?: string;
  debtorIban?: string;
  creditorIban?: string;
  /** The creditor agent's BIC, when the transfer named one. */
  creditorBic?: string;
  endToEndId: string;
  txId: string;
  /** GrpHdr/MsgId of the pacs.008 (sent: ours; received: the sender's). */
  messageId: string;
  /** ISO reason code of a reject or return (AC01, AM04, MS02...). */
  reasonCode?: string;
  /** Whether a pacs.004 returned it. */
  returned?: boolean;
  /** Whether a reply (pacs.002 RJCT/ACSC, pacs.004) has been applied. */
  replied?: boolean;
  /** The camt.056 sent when the debit was adjusted through API v2 before any reply (D32). */
  cancellation?: { messageId: string; reasonCode: string; requestedAt: string };
  createdAt: string;
}

/** A stored incoming message. */
export interface IncomingRecord extends WireRecord {
  /** The messageId answered (and GrpHdr/MsgId of the message). */
  id: string;
  messageType: string;
  /** GrpHdr/MsgId of the message as its sender wrote it (a second message with it is not applied again). */
  senderMessageId: string;
  /** The payments it concerned. */
  paymentIds: string[];
  receivedAt: string;
}

/** A payment by paymentId, or undefined. */
export function findPayment(ctx: SandboxContext, paymentId: string): PaymentRecord | undefined {
  const key = ctx.store.coll("paypayments").idIndex.get(paymentId);
  return key === undefined ? undefined : (ctx.store.coll("paypayments").byKey.get(key) as PaymentRecord | undefined);
}

/** The sent payment whose pacs.008 had this MsgId and/or transaction id/end-to-end id, or undefined. */
export function findSentPayment(ctx: SandboxContext, ref: { messageId?: string; txId?: string; endToEndId?: string }): PaymentRecord | undefined {
  const sent = (ctx.store.all("paypayments") as PaymentRecord[]).filter((p) => p.direction === "OUTGOING");
  if (ref.txId !== undefined) {
    const byTx = sent.find((p) => p.txId === ref.txId && (ref.messageId === undefined || p.messageId === ref.messageId));
    if (byTx) return byTx;
  }
  if (ref.endToEndId !== undefined) {
    const byE2e = sent.filter((p) => p.endToEndId === ref.endToEndId && (ref.messageId === undefined || p.messageId === ref.messageId));
    if (byE2e.length === 1) return byE2e[0];
  }
  if (ref.txId === undefined && ref.endToEndId === undefined && ref.messageId !== undefined) {
    const byMsg = sent.filter((p) => p.messageId === ref.messageId);
    if (byMsg.length === 1) return byMsg[0];
  }
  return undefined;
}

/** Stores a new payment. */
export function insertPayment(ctx: SandboxContext, p: Omit<PaymentRecord, "encodedKey">): PaymentRecord {
  const rec = { encodedKey: ctx.store.newEncodedKey(), ...p } as PaymentRecord;
  ctx.store.insert("paypayments", rec);
  return rec;
}

/** Replaces a payment's fields. */
export function updatePayment(ctx: SandboxContext, p: PaymentRecord, changes: Partial<PaymentRecord>): PaymentRecord {
  const next = { ...p, ...changes } as PaymentRecord;
  ctx.store.replace("paypayments", next);
  return next;
}

/** What `GET /payments/{paymentId}` says about a payment beyond its status: why it was rejected or returned. */
function messagesOf(p: PaymentRecord): TppMessage[] {
  const c = p.cancellation;
  if (c && p.status !== "RJCT") {
    return [{ category: "WARN", code: "PAYMENT_FAILED", text: `cancellation requested (camt.056 ${c.messageId}, reason ${c.reasonCode}): the debit of account ${p.accountId ?? "?"} was adjusted through API v2` }];
  }
  if (p.status !== "RJCT") return [];
  const reason = p.reasonCode ? ` (reason ${p.reasonCode})` : "";
  if (p.direction === "INCOMING") {
    return [{ category: "WARN", code: "PAYMENT_FAILED", text: `received credit transfer rejected${reason}: no account is mapped to the creditor IBAN` }];
  }
  const what = p.returned ? `returned by the creditor's bank (pacs.004)${reason}` : `rejected (pacs.002)${reason}`;
  if (c) return [{ category: "WARN", code: "PAYMENT_FAILED", text: `${what} after its cancellation was requested (camt.056 ${c.messageId}); the debit of account ${p.accountId ?? "?"} was adjusted through API v2` }];
  return [{ category: "WARN", code: "PAYMENT_FAILED", text: `${what}; the debit of account ${p.accountId ?? "?"} was reversed` }];
}

/** The `PaymentDetailsResponse` of a payment. */
export function paymentDetails(p: PaymentRecord): Record<string, unknown> {
  const tppMessages = messagesOf(p);
  return { paymentId: p.id, transactionStatus: p.status, transactionFeeIndicator: false, ...(tppMessages.length ? { tppMessages } : {}) };
}
