/**
 * The gateway's time-driven work, caught up lazily: {@link runDuePayments} runs, in date order, every collection
 * and standing-order execution (and retry) whose day the sandbox clock has reached, then stops. It runs before
 * each collection and standing-order request ({@link afterDueWork}), before each API v2 `/deposits` request (so
 * a balance read after moving the clock already shows the debits) and in the end-of-day cron
 * (`POST /crons/eod:run`). Each piece of work moves its record on as it runs, so running again changes nothing
 * until the clock moves: idempotent. One pass lists each record's earliest due work once and, after running it,
 * asks only that record what is due next, so a long clock jump costs the work done, not work × records.
 *
 * Order: the earliest day first; on one day, collections before standing orders, each kind in creation order (a
 * standing order's retries before its regular occurrence of the same day).
 */
import type { RouteHandler, SandboxContext } from "../router";
import { rejectCollection, settleCollection } from "./collections-settle";
import { allCollections, CollectionRecord, findCollection } from "./collections-store";
import { dueDay, runNextDue, skipNextDue } from "./standing-orders-run";
import { allStandingOrders, findStandingOrder } from "./standing-orders-store";

/** Most pieces of work one catch-up runs (a clock moved decades ahead finishes on the following requests). */
export const MAX_DUE_PER_RUN = 20000;

/** Rejects (MS03) a collection whose settlement failed unexpectedly, if it is still waiting. */
function abandonCollection(ctx: SandboxContext, c: CollectionRecord): void {
  const current = findCollection(ctx, c.id);
  if (current?.status !== "ACSP") return;
  try {
    rejectCollection(ctx, current, { category: "ERROR", code: "PAYMENT_FAILED", text: "the gateway could not process the collection (MS03)" }, "MS03");
  } catch {
    ctx.store.replace("paycollections", { ...current, status: "RJCT" });
  }
}

/** One record's earliest due work: run it, or skip it when running failed; then what is due next for it. */
interface DueItem {
  day: string;
  run: () => void;
  skip: () => void;
  next: () => DueItem | undefined;
}

function collectionItem(ctx: SandboxContext, c: CollectionRecord): DueItem {
  return { day: c.dueDate, run: () => settleCollection(ctx, c), skip: () => abandonCollection(ctx, c), next: () => undefined };
}

function orderItem(ctx: SandboxContext, id: string, today: string): DueItem | undefined {
  const so = findStandingOrder(ctx, id);
  if (!so) return undefined;
  let day: string | undefined;
  try {
    day = dueDay(so, today);
  } catch {
    return undefined; // a record that cannot even say when it is due is left alone
  }
  if (day === undefined) return undefined;
  return { day, run: () => runNextDue(ctx, so, today), skip: () => skipNextDue(ctx, so, today), next: () => orderItem(ctx, id, today) };
}

/** Runs every payment due by the sandbox clock's today, in order; returns how many pieces of work ran. */
export function runDuePayments(ctx: SandboxContext): number {
  const today = ctx.clock.today();
  const items: Array<DueItem | undefined> = [];
  for (const c of allCollections(ctx)) if (c.status === "ACSP" && c.dueDate <= today) items.push(collectionItem(ctx, c));
  for (const so of allStandingOrders(ctx)) items.push(orderItem(ctx, so.id, today));
  let ran = 0;
  while (ran < MAX_DUE_PER_RUN) {
    let best = -1;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it !== undefined && (best < 0 || it.day < (items[best] as DueItem).day)) best = i;
    }
    if (best < 0) break;
    const it = items[best] as DueItem;
    try {
      it.run();
      items[best] = it.next();
    } catch {
      // never let one broken piece of work stop the others (nor every /deposits request): past it, and leave
      // its record alone until the next catch-up
      try {
        it.skip();
      } catch {
        // nothing more to do for it in this pass
      }
      items[best] = undefined;
    }
    ran += 1;
  }
  return ran;
}

/** A gateway handler that first catches up the due work, so that its answer is as of the sandbox clock's now. */
export function afterDueWork(handler: RouteHandler): RouteHandler {
  return (ctx, req) => {
    runDuePayments(ctx);
    return handler(ctx, req);
  };
}
