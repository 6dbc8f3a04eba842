/**
 * A standing order's executions as the sandbox clock reaches them (./schedule.ts calls {@link runNextDue} for
 * the earliest due work of all orders and collections, so every account sees its debits in date order):
 *
 * - a regular occurrence (startDate, then every day, week or month up to endDate) debits the debtor's deposit
 *   account with the amount and records an execution: type REGULAR, COMPLETED with the id of the credit transfer
 *   it made (`paymentOrderId`, ./standing-orders-payment.ts), or FAILED with the reason (INSUFFICIENT_FUNDS,
 *   ACCOUNT_INACTIVE, OTHER) and no payment; an occurrence inside the suspension is skipped (no execution);
 * - a failed payment is retried the next day, and the day after, up to the order's retryCount (sandbox decision:
 *   the seed gives a count, no interval — one day it is); each retry is an execution of type RETRY; when the last
 *   one fails the occurrence stays unpaid. A retry due inside a suspension waits for the day after it;
 * - a cancelled order runs nothing more, not even its retries.
 *
 * Each step moves the order's position (next occurrence index, pending retries) as it records its execution, so
 * running the catch-up again the same day does nothing: idempotent.
 */
import { randomUUID } from "node:crypto";
import type { SandboxContext } from "../router";
import { dueValueDate } from "./collections-settle";
import { text } from "./schedule-checks";
import { addDays, dayStart } from "./schedule-dates";
import { debitAccount, DebitOutcome } from "./schedule-ports";
import { recordExecutionPayment } from "./standing-orders-payment";
import { nextRegular, PendingRetry, saveStandingOrder, StandingOrderRecord, suspendedOn } from "./standing-orders-store";

/** The earliest day with work due by `today` (a regular occurrence or a retry), or undefined. */
export function dueDay(rec: StandingOrderRecord, today: string): string | undefined {
  if (rec.state !== "ACTIVE") return undefined;
  const days = [nextRegular(rec), ...rec.pending.map((p) => p.on)].filter((d): d is string => d !== undefined && d <= today).sort();
  return days[0];
}

/** Debits one payment of the order for `day` and records the execution; returns whether it was paid. */
function execute(ctx: SandboxContext, rec: StandingOrderRecord, day: string, type: "REGULAR" | "RETRY"): boolean {
  const account = ctx.store.find("deposits", rec.accountKey);
  const amount = text(rec.payment, "instructedAmount", "amount") ?? "0";
  const paymentOrderId = randomUUID();
  const notes = `SEPA standing order ${rec.id}, payment ${paymentOrderId} to ${text(rec.payment, "creditorName") ?? "creditor"}`;
  const outcome: DebitOutcome = account
    ? debitAccount(ctx, account, amount, dueValueDate(ctx, day, account), notes)
    : { ok: false, failReason: "ACCOUNT_INACTIVE", text: "the debtor's account no longer exists" };
  let paid = false;
  if (outcome.ok && account) {
    try {
      recordExecutionPayment(ctx, rec, account, paymentOrderId, outcome.transactionKey);
      paid = true;
    } catch {
      // the debit stands: the execution is recorded as COMPLETED, without a payment to point to
    }
  }
  const wire: Record<string, unknown> = {
    standingOrderId: rec.id,
    ...(paid ? { paymentOrderId } : {}),
    requestedExecuteOn: dayStart(day, ctx.clock.offset),
    status: outcome.ok ? "COMPLETED" : "FAILED",
    creationDate: ctx.clock.nowIso(),
    type,
    ...(outcome.ok ? {} : { failReason: outcome.failReason }),
  };
  ctx.store.insert("paysoexecutions", { encodedKey: ctx.store.newEncodedKey(), standingOrderId: rec.id, wire });
  return outcome.ok;
}

/** Runs the order's earliest due work (see the module comment); call only when {@link dueDay} gives a day. */
export function runNextDue(ctx: SandboxContext, rec: StandingOrderRecord, today: string): StandingOrderRecord {
  const day = dueDay(rec, today);
  if (day === undefined) return rec;
  const retry = rec.pending.find((p) => p.on === day);
  if (retry) {
    const others = rec.pending.filter((p) => p !== retry);
    if (suspendedOn(rec, day)) {
      return saveStandingOrder(ctx, { ...rec, pending: [...others, { ...retry, on: addDays(rec.suspendDateTo as string, 1) }] });
    }
    if (execute(ctx, rec, day, "RETRY")) return saveStandingOrder(ctx, { ...rec, pending: others, paymentsCount: rec.paymentsCount + 1, lastExecution: day });
    const again: PendingRetry[] = retry.attempt < rec.retryCount ? [{ ...retry, on: addDays(day, 1), attempt: retry.attempt + 1 }] : [];
    return saveStandingOrder(ctx, { ...rec, pending: [...others, ...again] });
  }
  const next = { ...rec, nextIndex: rec.nextIndex + 1 };
  if (suspendedOn(rec, day)) return saveStandingOrder(ctx, next);
  if (execute(ctx, rec, day, "REGULAR")) return saveStandingOrder(ctx, { ...next, paymentsCount: rec.paymentsCount + 1, lastExecution: day });
  const retries: PendingRetry[] = rec.retryCount > 0 ? [{ on: addDays(day, 1), occurrence: day, attempt: 1 }] : [];
  return saveStandingOrder(ctx, { ...next, pending: [...rec.pending, ...retries] });
}

/**
 * Moves the order past its earliest due work without running it (the regular occurrence skipped, or the retry
 * dropped): what ./schedule.ts does when running it failed unexpectedly, so that one broken order never blocks
 * the catch-up of the others.
 */
export function skipNextDue(ctx: SandboxContext, rec: StandingOrderRecord, today: string): void {
  const current = ctx.store.find("paystandingorders", rec.encodedKey) as StandingOrderRecord | undefined;
  if (!current) return;
  const day = dueDay(current, today);
  if (day === undefined) return;
  const retry = current.pending.find((p) => p.on === day);
  if (retry) saveStandingOrder(ctx, { ...current, pending: current.pending.filter((p) => p !== retry) });
  else saveStandingOrder(ctx, { ...current, nextIndex: current.nextIndex + 1 });
}
