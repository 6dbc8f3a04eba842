/**
 * What the gateway sends when it rejects a collection: a pacs.002.001.03 status report, RJCT with the ISO 20022
 * reason (MS02 for a blocking rule — as the seed says of blocked collections —, AM04 short funds, AC04 an account
 * that cannot be debited, AC01 an account that no longer exists, MS03 otherwise), queued for the callout
 * (./callout.ts) under the collection's id. The original it answers is the collection itself: its id (without
 * dashes, as a 35-character MsgId), its end-to-end and transaction ids as sent.
 */
import type { SandboxContext } from "../router";
import { outboxOf } from "./callout";
import type { CollectionRecord } from "./collections-store";
import { newMessageId } from "./credit-transfers";
import { buildPacs002, PACS_002 } from "./iso20022-build";
import { text } from "./schedule-checks";

/** ISO 20022 reason codes of a rejected collection. */
export type CollectionRejectReason = "MS02" | "AM04" | "AC04" | "AC01" | "MS03";

/** Queues the pacs.002 RJCT of a rejected collection. */
export function sendCollectionReject(ctx: SandboxContext, rec: CollectionRecord, reasonCode: CollectionRejectReason): void {
  const messageId = newMessageId(ctx, "SDDREJ");
  const txId = text(rec.request, "paymentIdentification", "transactionIdentification");
  const xml = buildPacs002({
    messageId,
    createdAt: ctx.clock.nowIso(),
    original: {
      messageId: rec.id.replace(/-/g, ""),
      messageType: "pacs.003.001.02",
      endToEndId: text(rec.request, "paymentIdentification", "endToEndIdentification") ?? "NOTPROVIDED",
      ...(txId !== undefined ? { txId } : {}),
    },
    status: "RJCT",
    reasonCode,
  });
  outboxOf(ctx.store).send({ messageId, messageType: PACS_002, paymentId: rec.id, xml });
}
