/**
 * Cancellation of a sent credit transfer (decision D32 of payments-v1.json): no Payments API operation cancels a
 * payment, so the gateway requests a cancellation (a SEPA recall, camt.056.001.01 on the callout) when the bank
 * reverses the debit itself — when the v2 WITHDRAWAL that a sent credit transfer (or standing-order execution)
 * made is adjusted through API v2 (`POST /deposits/transactions/{depositTransactionId}:adjust`) before the
 * transfer is answered: its status ACSP (sent) or PDNG (pending). The camt.056 names the pacs.008 (OrgnlGrpInf
 * MsgId and MsgNmId, OrgnlEndToEndId, OrgnlTxId, OrgnlIntrBkSttlmAmt and date), reason CUST (requested by the
 * customer; the adjustment's notes, when given, as AddtlInf), and the payment becomes PDNG with the cancellation
 * kept (`GET /payments/{paymentId}` says so in a WARN message). A later pacs.002 RJCT or pacs.004 return makes it
 * RJCT without reversing the debit again; a pacs.002 ACSC makes it ACSC (the debit stays adjusted: the bank chose
 * to give the money back). A settled (ACSC) or rejected (RJCT) transfer's adjustment sends nothing: it is a v2
 * adjustment only.
 *
 * The gateway's own reversals (a reject or return: ./incoming.ts) go through the engine directly, not through the
 * v2 route, and so never request a cancellation.
 */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { outboxOf } from "./callout";
import { newMessageId } from "./credit-transfers";
import { buildCamt056, CAMT_056, PACS_008 } from "./iso20022-build";
import { PaymentRecord, updatePayment } from "./payment-records";

/** The ISO cancellation reason the gateway gives: requested by the customer. */
export const CANCELLATION_REASON = "CUST";

/** The sent payment whose debit is this v2 deposit transaction, or undefined. */
function paymentOfDebit(ctx: SandboxContext, transactionKey: string): PaymentRecord | undefined {
  return (ctx.store.all("paypayments") as PaymentRecord[]).find((p) => p.direction === "OUTGOING" && p.transactionKey === transactionKey);
}

/**
 * Called by the v2 adjust route with the adjustment it made (and the request's body): when the adjusted
 * transaction is the debit of a sent, unanswered credit transfer, queues its camt.056 and marks the payment
 * PDNG with the cancellation requested. Returns the adjustment unchanged.
 */
export function requestCancellationOnAdjust(ctx: SandboxContext, adjustment: WireRecord, body?: unknown): WireRecord {
  const original = adjustment.originalTransactionKey;
  if (typeof original !== "string") return adjustment;
  const p = paymentOfDebit(ctx, original);
  if (!p || p.cancellation || (p.status !== "ACSP" && p.status !== "PDNG")) return adjustment;
  const notes = body && typeof body === "object" && typeof (body as { notes?: unknown }).notes === "string" ? (body as { notes: string }).notes.trim() : "";
  const messageId = newMessageId(ctx, "CXLREQ");
  const requestedAt = ctx.clock.nowIso();
  const xml = buildCamt056({
    messageId,
    createdAt: requestedAt,
    ...(p.creditorBic !== undefined ? { assigneeBic: p.creditorBic } : {}),
    cancellationId: messageId,
    original: {
      messageId: p.messageId,
      messageType: PACS_008,
      endToEndId: p.endToEndId,
      txId: p.txId,
      amount: p.amount,
      currency: p.currency,
      settlementDate: p.createdAt.slice(0, 10),
    },
    reasonCode: CANCELLATION_REASON,
    ...(notes !== "" ? { additionalInformation: notes } : {}),
  });
  updatePayment(ctx, p, { status: "PDNG", cancellation: { messageId, reasonCode: CANCELLATION_REASON, requestedAt } });
  outboxOf(ctx.store).send({ messageId, messageType: CAMT_056, paymentId: p.id, xml });
  return adjustment;
}
