/**
 * The one place where a deposit account's reserved money changes: card authorization holds
 * (`balances.holdBalance`) and fund blocks (`balances.blockedBalance`). Both functions re-read the account,
 * move the reserved amount by a signed delta (never below zero) and recompute the wire balances with
 * {@link balancesFor}, so that `availableBalance = totalBalance − holdBalance − blockedBalance` always holds.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { balancesFor, depositCurrency, netBalance } from "./deposit-common";
import { Dec, ZERO, dec, max, num } from "./money";

type Reserved = "holdBalance" | "blockedBalance";

function adjustReserved(ctx: EngineContext, depIn: WireRecord, field: Reserved, delta: Dec): WireRecord {
  const dep = ctx.store.find("deposits", depIn.encodedKey) ?? depIn;
  const { dp } = depositCurrency(dep);
  const b = (dep.balances ?? {}) as Record<string, unknown>;
  const next = max(dec(b[field]).plus(delta), ZERO);
  const withField: WireRecord = { ...dep, balances: { ...b, [field]: num(next, dp) } };
  return ctx.store.replace("deposits", {
    ...withField,
    balances: balancesFor(withField, netBalance(dep), dp),
    lastModifiedDate: ctx.clock.nowIso(),
  });
}

/**
 * Moves `balances.holdBalance` of a deposit by `delta` (positive: a new card hold; negative: a hold released
 * or settled), never below zero; recomputes `availableBalance`. Returns the stored account.
 */
export function adjustHoldBalance(ctx: EngineContext, dep: WireRecord, delta: Dec): WireRecord {
  return adjustReserved(ctx, dep, "holdBalance", delta);
}

/**
 * Moves `balances.blockedBalance` of a deposit by `delta` (positive: a fund block; negative: a block removed or
 * seized), never below zero; recomputes `availableBalance`. Returns the stored account.
 */
export function adjustBlockedBalance(ctx: EngineContext, dep: WireRecord, delta: Dec): WireRecord {
  return adjustReserved(ctx, dep, "blockedBalance", delta);
}
