/**
 * A collection's due date: as the sandbox clock reaches the requested collection date (never before), the
 * debtor's deposit account is debited with the amount, on the v2 deposit engine. A blocking rule of that account
 * against the mandate (or against all direct debits) rejects the collection (SEPA reason MS02); so do missing
 * funds (AM04) and an account that can no longer pay (AC04). Settled: `ACSC`; rejected: `RJCT` with a
 * PAYMENT_FAILED message saying why, and a pacs.002 to the callout (./collections-notify.ts). Run by
 * ./schedule.ts, in due-date order, once per collection.
 */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { CollectionRejectReason, sendCollectionReject } from "./collections-notify";
import { CollectionRecord, saveCollection } from "./collections-store";
import { text } from "./schedule-checks";
import { dayStart } from "./schedule-dates";
import { collectionBlocked, debitAccount, FailReason } from "./schedule-ports";
import type { TppMessage } from "./tpp";

/** The text and ISO 20022 reason of a rejection by a refused debit. */
const WHY: Record<FailReason, { text: string; code: CollectionRejectReason }> = {
  INSUFFICIENT_FUNDS: { text: "insufficient funds on the debtor's account (AM04)", code: "AM04" },
  ACCOUNT_INACTIVE: { text: "the debtor's account cannot be debited: closed or not active (AC04)", code: "AC04" },
  OTHER: { text: "the debtor's account refused the debit (MS03)", code: "MS03" },
};

function rejected(text: string): TppMessage {
  return { category: "ERROR", code: "PAYMENT_FAILED", text };
}

/** The blocking-rule rejection (MS02), as {@link settleCollection} and the initiation both answer it. */
export function blockedMessage(mandateId: string): TppMessage {
  return rejected(`a blocking rule of the debtor's account refuses direct debits under mandate ${mandateId} (MS02)`);
}

/**
 * The value date of a debit due on `day`: now when it is due today; the due day's start when the clock has
 * passed it since (the catch-up of a clock moved several days), but never before the account's activation.
 */
export function dueValueDate(ctx: SandboxContext, day: string, account: WireRecord): string {
  if (day >= ctx.clock.today()) return ctx.clock.nowIso();
  const start = dayStart(day, ctx.clock.offset);
  const activated = typeof account.activationDate === "string" ? account.activationDate : undefined;
  return activated !== undefined && Date.parse(activated) > Date.parse(start) ? activated : start;
}

/** Rejects a collection: RJCT with the message, and its pacs.002 queued for the callout. */
export function rejectCollection(ctx: SandboxContext, rec: CollectionRecord, message: TppMessage, reasonCode: CollectionRejectReason): CollectionRecord {
  const saved = saveCollection(ctx, { ...rec, status: "RJCT", messages: [message], reasonCode });
  sendCollectionReject(ctx, saved, reasonCode);
  return saved;
}

/** Settles (or rejects) one accepted collection whose due date has come. */
export function settleCollection(ctx: SandboxContext, rec: CollectionRecord): CollectionRecord {
  const account = ctx.store.find("deposits", rec.accountKey);
  if (!account) return rejectCollection(ctx, rec, rejected("the debtor's account no longer exists (AC01)"), "AC01");
  if (collectionBlocked(ctx, account, rec.creditorId, rec.mandateId)) return rejectCollection(ctx, rec, blockedMessage(rec.mandateId), "MS02");
  const amount = text(rec.request, "instructedAmount", "amount") ?? "0";
  const notes = `SEPA direct debit ${rec.id}, mandate ${rec.mandateId}, creditor ${rec.creditorId}`;
  const outcome = debitAccount(ctx, account, amount, dueValueDate(ctx, rec.dueDate, account), notes);
  if (!outcome.ok) return rejectCollection(ctx, rec, rejected(WHY[outcome.failReason].text), WHY[outcome.failReason].code);
  return saveCollection(ctx, { ...rec, status: "ACSC", transactionKey: outcome.transactionKey });
}
