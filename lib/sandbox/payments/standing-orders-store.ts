/**
 * How standing orders sit in the sandbox's store: `paystandingorders`, one record per order (the order as created,
 * its schedule's position, its pending retries, its suspension) and `paysoexecutions`, one record per execution
 * (exactly the `StandingOrderExecutionResponse` answered). The answers of get, search and executions are built here.
 */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { Frequency, occurrence } from "./schedule-dates";

/** A retry waiting for its day: the occurrence it pays and the how-many-th retry it is. */
export interface PendingRetry {
  on: string;
  occurrence: string;
  attempt: number;
}

/** A stored standing order. */
export interface StandingOrderRecord extends WireRecord {
  id: string;
  ownerId: string;
  frequency: Frequency;
  startDate: string;
  endDate?: string;
  /** The payment as sent (`PaymentDTO`). */
  payment: Record<string, unknown>;
  retryCount: number;
  creationDateTime: string;
  /** ACTIVE until cancelled (SUSPENDED is read from the suspension days). */
  state: "ACTIVE" | "CANCELED";
  suspendDateFrom: string | null;
  suspendDateTo: string | null;
  /** Index of the next regular occurrence (0 = startDate). */
  nextIndex: number;
  pending: PendingRetry[];
  /** The day of the last successful payment, and how many there were. */
  lastExecution?: string;
  paymentsCount: number;
  /** The debtor's deposit account (encodedKey). */
  accountKey: string;
}

/** A stored execution: `wire` is the answer. */
export interface ExecutionRecord extends WireRecord {
  standingOrderId: string;
  wire: Record<string, unknown>;
}

/** Every standing order, in the order they were created. */
export function allStandingOrders(ctx: SandboxContext): StandingOrderRecord[] {
  return ctx.store.all("paystandingorders") as StandingOrderRecord[];
}

/** A standing order by id, or undefined. */
export function findStandingOrder(ctx: SandboxContext, id: string): StandingOrderRecord | undefined {
  const key = ctx.store.coll("paystandingorders").idIndex.get(id);
  return key === undefined ? undefined : (ctx.store.coll("paystandingorders").byKey.get(key) as StandingOrderRecord | undefined);
}

/** Stores a changed standing order. */
export function saveStandingOrder(ctx: SandboxContext, rec: StandingOrderRecord): StandingOrderRecord {
  return ctx.store.replace("paystandingorders", rec) as StandingOrderRecord;
}

/** The executions of an order, oldest first. */
export function executionsOf(ctx: SandboxContext, id: string): ExecutionRecord[] {
  return (ctx.store.all("paysoexecutions") as ExecutionRecord[]).filter((e) => e.standingOrderId === id);
}

/** The next regular occurrence's day, or undefined when the schedule (or the order) has ended. */
export function nextRegular(rec: StandingOrderRecord): string | undefined {
  if (rec.state !== "ACTIVE") return undefined;
  const day = occurrence(rec.startDate, rec.frequency, rec.nextIndex);
  return rec.endDate !== undefined && day > rec.endDate ? undefined : day;
}

/** Whether the order is suspended on a day. */
export function suspendedOn(rec: StandingOrderRecord, day: string): boolean {
  return rec.suspendDateFrom !== null && rec.suspendDateTo !== null && rec.suspendDateFrom <= day && day <= rec.suspendDateTo;
}

/** The order's status on `today`: CANCELED, SUSPENDED (within its suspension) or ACTIVE. */
export function statusOf(rec: StandingOrderRecord, today: string): "ACTIVE" | "SUSPENDED" | "CANCELED" {
  if (rec.state === "CANCELED") return "CANCELED";
  return suspendedOn(rec, today) ? "SUSPENDED" : "ACTIVE";
}

/** Most occurrences looked at to find the next one outside a suspension. */
const MAX_SCAN = 5000;

/** The day of the next execution (a regular occurrence outside the suspension, or a pending retry), if any. */
export function nextExecution(rec: StandingOrderRecord): string | undefined {
  if (rec.state !== "ACTIVE") return undefined;
  let regular: string | undefined;
  for (let i = rec.nextIndex, n = 0; n < MAX_SCAN; i += 1, n += 1) {
    const day = occurrence(rec.startDate, rec.frequency, i);
    if (rec.endDate !== undefined && day > rec.endDate) break;
    if (!suspendedOn(rec, day)) {
      regular = day;
      break;
    }
  }
  const days = [regular, ...rec.pending.map((p) => p.on)].filter((d): d is string => d !== undefined).sort();
  return days[0];
}

/** The fields every answer about an order carries (search and get). */
function common(rec: StandingOrderRecord, today: string): Record<string, unknown> {
  return {
    id: rec.id,
    ownerId: rec.ownerId,
    payment: structuredClone(rec.payment),
    startDate: rec.startDate,
    frequency: rec.frequency,
    ...(rec.endDate !== undefined ? { endDate: rec.endDate } : {}),
    creationDateTime: rec.creationDateTime,
    status: statusOf(rec, today),
    retryCount: rec.retryCount,
    suspendDateFrom: rec.suspendDateFrom,
    suspendDateTo: rec.suspendDateTo,
  };
}

/** The answer of `GET /payments/standing-orders/{id}` (StandingOrderGetResponse). */
export function getAnswer(rec: StandingOrderRecord, today: string): Record<string, unknown> {
  const next = nextExecution(rec);
  return {
    ...common(rec, today),
    ...(rec.lastExecution !== undefined ? { lastExecution: rec.lastExecution } : {}),
    ...(next !== undefined ? { nextExecution: next } : {}),
    paymentsCount: rec.paymentsCount,
  };
}

/** One item of a search's answer (StandingOrderSearchResponse). */
export function searchAnswer(rec: StandingOrderRecord, today: string): Record<string, unknown> {
  return common(rec, today);
}
