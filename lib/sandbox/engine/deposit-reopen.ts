/**
 * Reopening a closed deposit account (`POST /deposits/{depositAccountId}:reopen`, `ReopenDepositAction`):
 * a CLOSED account becomes ACTIVE again (its `closedDate` removed, its activation kept). Accounts in any other
 * state — including CLOSED_WRITTEN_OFF, CLOSED_REJECTED and WITHDRAWN, which are final — answer 400
 * INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { mambuError } from "../errors";
import { requireDeposit } from "./deposit-common";

/** Reopens a CLOSED deposit account; returns it. */
export function reopenDeposit(ctx: EngineContext, depId: string): WireRecord {
  const dep = requireDeposit(ctx, depId);
  if (dep.accountState !== "CLOSED") {
    throw mambuError("INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION", `only a CLOSED account can be reopened; ${String(dep.id)} is ${String(dep.accountState)}`);
  }
  const next: WireRecord = { ...dep, accountState: "ACTIVE", lastModifiedDate: ctx.clock.nowIso() };
  delete next.closedDate;
  return ctx.store.replace("deposits", next);
}
