/**
 * Daily arrears: installments past their due date become LATE and running loans move between ACTIVE and
 * ACTIVE_IN_ARREARS (days late beyond the arrears tolerance period); `balances.*Due`, `daysLate`,
 * `daysInArrears` and `accruedInterest` follow the clock's day. The server calls {@link refreshArrears} before
 * each request that reads or writes loans: it returns at once when neither the day nor the number of loans
 * changed, and otherwise recomputes only the running loans not yet synced for the day, posting the penalties
 * they owe up to the day first (./penalties.ts).
 */
import { SandboxStore } from "../store";
import { EngineContext } from "./context";
import { RUNNING, frameOf, replay, syncLoan, syncedOn } from "./loan-common";
import { accruePenalties } from "./penalties";

const lastRun = new WeakMap<SandboxStore, string>();

/** Brings every running loan up to the clock's day (see the module comment). */
export function refreshArrears(ctx: EngineContext): void {
  const today = ctx.clock.today();
  const stamp = `${today}|${ctx.store.count("loans")}`;
  if (lastRun.get(ctx.store) === stamp) return;
  for (const loan of ctx.store.all("loans")) {
    if (!RUNNING.has(String(loan.accountState)) || syncedOn(ctx.store, loan.encodedKey) === today) continue;
    try {
      const frame = frameOf(ctx, loan);
      let ledger = replay(ctx, frame);
      // loans put in the store as ACTIVE without a disbursement (e.g. hand-written seed data) are not the engine's
      if (!ledger.disbursed) continue;
      if (accruePenalties(ctx, frame)) ledger = replay(ctx, frame);
      syncLoan(ctx, frame, ledger);
    } catch {
      // a loan whose product vanished or whose data is inconsistent is left as it is
    }
  }
  lastRun.set(ctx.store, stamp);
}

/** Forgets what was refreshed for a store (e.g. after records were replaced behind the engine's back). */
export function resetArrearsMemo(store: SandboxStore): void {
  lastRun.delete(store);
  syncedOn(store, undefined);
}
