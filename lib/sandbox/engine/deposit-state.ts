/**
 * Deposit account state changes (`POST /deposits/{depositAccountId}:changeState`, `DepositAccountAction`).
 *
 * | action          | from                                              | to                                |
 * |-----------------|---------------------------------------------------|-----------------------------------|
 * | APPROVE         | PENDING_APPROVAL                                  | APPROVED (approvedDate)           |
 * | UNDO_APPROVE    | APPROVED                                          | PENDING_APPROVAL                  |
 * | LOCK            | ACTIVE, ACTIVE_IN_ARREARS, DORMANT, MATURED       | LOCKED (lockedDate)               |
 * | UNLOCK          | LOCKED                                            | the state it was locked from      |
 * | CLOSE           | APPROVED, ACTIVE, ACTIVE_IN_ARREARS, DORMANT, MATURED, with zero balance | CLOSED (closedDate) |
 * | CLOSE_WITHDRAW  | PENDING_APPROVAL, APPROVED                        | WITHDRAWN                         |
 * | CLOSE_REJECT    | PENDING_APPROVAL                                  | CLOSED_REJECTED                   |
 * | CLOSE_WRITE_OFF | ACTIVE, ACTIVE_IN_ARREARS, LOCKED, overdrawn or empty | CLOSED_WRITTEN_OFF (a WRITE_OFF transaction clears the overdraft) |
 *
 * Anything else answers 400 `INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION`; closing with money in the account,
 * 400 `ACCOUNT_HAS_REMAINING_BALANCE`.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { netBalance, postMovement, requireDeposit } from "./deposit-common";

const ACTIONS = new Set(["APPROVE", "UNDO_APPROVE", "LOCK", "UNLOCK", "CLOSE", "CLOSE_WITHDRAW", "CLOSE_REJECT", "CLOSE_WRITE_OFF"]);
const OPEN = new Set(["ACTIVE", "ACTIVE_IN_ARREARS", "DORMANT", "MATURED"]);

function lockedFrom(ctx: EngineContext): Record<string, string> {
  const extra = ctx.store.extra as { depositStatesBeforeLock?: Record<string, string> };
  if (!extra.depositStatesBeforeLock) extra.depositStatesBeforeLock = {};
  return extra.depositStatesBeforeLock;
}

function refuse(action: string, dep: WireRecord): never {
  throw mambuError("INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION", `${action} is not allowed for a deposit account in state ${String(dep.accountState)}`);
}

function update(ctx: EngineContext, dep: WireRecord, fields: Record<string, unknown>): WireRecord {
  const now = ctx.clock.nowIso();
  const next: WireRecord = { ...dep, ...fields, lastModifiedDate: now, lastAccountAppraisalDate: now };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete next[k];
  return ctx.store.replace("deposits", next);
}

/** Applies a DepositAccountAction; returns the updated deposit account. */
export function changeDepositState(ctx: EngineContext, depId: string, body: Record<string, unknown> | undefined): WireRecord {
  const dep = requireDeposit(ctx, depId);
  const action = body?.action;
  if (typeof action !== "string" || !ACTIONS.has(action)) throw invalidParameters(`Invalid action ${String(action)}`);
  const state = String(dep.accountState);
  const now = ctx.clock.nowIso();
  const hasTransactions = () => ctx.store.all("depositTransactions").some((t) => t.parentAccountKey === dep.encodedKey);
  switch (action) {
    case "APPROVE":
      if (state !== "PENDING_APPROVAL") refuse(action, dep);
      return update(ctx, dep, { accountState: "APPROVED", approvedDate: now });
    case "UNDO_APPROVE":
      if (state !== "APPROVED" || hasTransactions()) refuse(action, dep);
      return update(ctx, dep, { accountState: "PENDING_APPROVAL", approvedDate: undefined });
    case "LOCK":
      if (!OPEN.has(state)) refuse(action, dep);
      lockedFrom(ctx)[dep.encodedKey] = state;
      return update(ctx, dep, { accountState: "LOCKED", lockedDate: now });
    case "UNLOCK": {
      if (state !== "LOCKED") refuse(action, dep);
      const back = lockedFrom(ctx)[dep.encodedKey] ?? "ACTIVE";
      delete lockedFrom(ctx)[dep.encodedKey];
      return update(ctx, dep, { accountState: back, lockedDate: undefined });
    }
    case "CLOSE": {
      if (!OPEN.has(state) && state !== "APPROVED") refuse(action, dep);
      const net = netBalance(dep);
      if (!net.isZero()) throw mambuError("ACCOUNT_HAS_REMAINING_BALANCE", `the account balance is ${net.toString()}`);
      return update(ctx, dep, { accountState: "CLOSED", closedDate: now });
    }
    case "CLOSE_WITHDRAW":
      if (state !== "PENDING_APPROVAL" && state !== "APPROVED") refuse(action, dep);
      return update(ctx, dep, { accountState: "WITHDRAWN", closedDate: now });
    case "CLOSE_REJECT":
      if (state !== "PENDING_APPROVAL") refuse(action, dep);
      return update(ctx, dep, { accountState: "CLOSED_REJECTED", closedDate: now });
    case "CLOSE_WRITE_OFF": {
      if (!OPEN.has(state) && state !== "LOCKED") refuse(action, dep);
      const net = netBalance(dep);
      if (net.greaterThan(0)) throw mambuError("ACCOUNT_HAS_REMAINING_BALANCE", `the account balance is ${net.toString()}`);
      let current = dep;
      if (net.isNegative()) {
        current = postMovement(ctx, dep, { type: "WRITE_OFF", amount: net.negated(), valueDate: now, body: { notes: body?.notes }, anyState: true }).dep;
      }
      return update(ctx, current, { accountState: "CLOSED_WRITTEN_OFF", closedDate: now });
    }
    default:
      return refuse(action, dep);
  }
}
