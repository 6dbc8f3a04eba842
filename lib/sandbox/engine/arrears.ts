/**
 * Daily arrears: installments past their due date become LATE and running loans move between ACTIVE and
 * ACTIVE_IN_ARREARS (days late beyond the arrears tolerance period); `balances.*Due`, `daysLate`,
 * `daysInArrears` and `accruedInterest` follow the clock's day. The server calls {@link refreshArrears} before
 * each request that reads or writes loans: it returns at once when neither the day nor the loans changed,
 * and otherwise recomputes only the running loans not yet synced for the day — all of them on a new day, the
 * ones inserted or replaced since the last refresh within a day — posting the penalties they owe up to the day
 * first (./penalties.ts).
 */
import { SandboxStore } from "../store";
import { EngineContext } from "./context";
import { RUNNING, frameOf, replay, syncLoan, syncedOn } from "./loan-common";
import { accruePenalties } from "./penalties";

/** What a store's last refresh covered: the clock's day and the loans collection's version (store.ts). */
const lastRun = new WeakMap<SandboxStore, { day: string; version: number }>();

/**
 * Brings every running loan up to the clock's day (see the module comment). On a new day every loan is
 * looked at; within a day only the loans inserted or replaced since the last refresh (the store's change
 * log), so that a migration creating loans one by one does not rescan the whole book per request.
 */
export function refreshArrears(ctx: EngineContext): void {
  const today = ctx.clock.today();
  const version = ctx.store.version("loans");
  const last = lastRun.get(ctx.store);
  if (last && last.day === today && last.version === version) return;
  const changes = last && last.day === today ? ctx.store.changesSince("loans", last.version) : undefined;
  const loans = changes ? changes.flatMap((c) => (c.rec ? [c.rec] : [])) : ctx.store.all("loans");
  for (const seen of loans) {
    // a change log entry may be a record replaced since: the stored one is the one to bring up to date
    const loan = changes ? ctx.store.find("loans", String(seen.encodedKey)) : seen;
    if (!loan || loan !== seen) continue;
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
  // the version after the syncs: the loans this refresh replaced are up to date
  lastRun.set(ctx.store, { day: today, version: ctx.store.version("loans") });
}

/** Forgets what was refreshed for a store (e.g. after records were replaced behind the engine's back). */
export function resetArrearsMemo(store: SandboxStore): void {
  lastRun.delete(store);
  syncedOn(store, undefined);
}
