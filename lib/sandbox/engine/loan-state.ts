/**
 * Loan account state changes (`POST /loans/{loanAccountId}:changeState`, Swagger `LoanAccountAction`).
 *
 * | action           | from                                        | to                                   |
 * |------------------|---------------------------------------------|--------------------------------------|
 * | REQUEST_APPROVAL | PARTIAL_APPLICATION                         | PENDING_APPROVAL                     |
 * | SET_INCOMPLETE   | PENDING_APPROVAL                            | PARTIAL_APPLICATION                  |
 * | APPROVE          | PENDING_APPROVAL                            | APPROVED (approvedDate)              |
 * | UNDO_APPROVE     | APPROVED                                    | PENDING_APPROVAL                     |
 * | REJECT           | PARTIAL_APPLICATION, PENDING_APPROVAL       | CLOSED_REJECTED / REJECTED           |
 * | WITHDRAW         | PARTIAL_APPLICATION, PENDING_APPROVAL, APPROVED | CLOSED / WITHDRAWN               |
 * | CLOSE            | ACTIVE, ACTIVE_IN_ARREARS with nothing owed | CLOSED / REPAID                      |
 * | UNDO_REJECT      | CLOSED_REJECTED                             | PENDING_APPROVAL                     |
 * | UNDO_WITHDRAW    | CLOSED / WITHDRAWN                          | the state it was withdrawn from      |
 * | UNDO_CLOSE       | CLOSED / REPAID (disbursed)                 | ACTIVE (arrears recomputed)          |
 *
 * Anything else answers 400 `INVALID_STATE_TRANSITION` (116).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { checkLoanApproval } from "./credit-arrangements";
import { invalidParameters, mambuError } from "../errors";
import { RUNNING, frameOf, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { totalOutstanding } from "./loan-ledger";
import { totalOf } from "./allocation";
import { path } from "./products";

const ACTIONS = new Set(["REQUEST_APPROVAL", "SET_INCOMPLETE", "APPROVE", "UNDO_APPROVE", "REJECT", "WITHDRAW", "CLOSE", "UNDO_REJECT", "UNDO_WITHDRAW", "UNDO_CLOSE"]);

function previousStates(ctx: EngineContext): Record<string, string> {
  const extra = ctx.store.extra as { loanStatesBeforeWithdrawal?: Record<string, string> };
  if (!extra.loanStatesBeforeWithdrawal) extra.loanStatesBeforeWithdrawal = {};
  return extra.loanStatesBeforeWithdrawal;
}

function refuse(action: string, loan: WireRecord): never {
  const sub = loan.accountSubState ? `/${String(loan.accountSubState)}` : "";
  throw mambuError("INVALID_STATE_TRANSITION", `${action} is not allowed for a loan in state ${String(loan.accountState)}${sub}`);
}

/** Applies a LoanAccountAction to a loan; returns the updated loan record. */
export function changeLoanState(ctx: EngineContext, loanId: string, body: Record<string, unknown> | undefined): WireRecord {
  const loan = requireLoan(ctx, loanId);
  const action = body?.action;
  if (typeof action !== "string" || !ACTIONS.has(action)) throw invalidParameters(`Invalid action ${String(action)}`);
  const state = String(loan.accountState);
  const sub = loan.accountSubState;
  const now = ctx.clock.nowIso();
  const disbursed = typeof path(loan, "disbursementDetails", "disbursementDate") === "string";
  switch (action) {
    case "REQUEST_APPROVAL":
      if (state !== "PARTIAL_APPLICATION") refuse(action, loan);
      return touch(ctx, loan, { accountState: "PENDING_APPROVAL" });
    case "SET_INCOMPLETE":
      if (state !== "PENDING_APPROVAL") refuse(action, loan);
      return touch(ctx, loan, { accountState: "PARTIAL_APPLICATION" });
    case "APPROVE":
      if (state !== "PENDING_APPROVAL") refuse(action, loan);
      checkLoanApproval(ctx, loan); // credit arrangement, investor funds
      return touch(ctx, loan, { accountState: "APPROVED", approvedDate: now });
    case "UNDO_APPROVE":
      if (state !== "APPROVED") refuse(action, loan);
      return touch(ctx, loan, { accountState: "PENDING_APPROVAL", approvedDate: undefined });
    case "REJECT":
      if (state !== "PARTIAL_APPLICATION" && state !== "PENDING_APPROVAL") refuse(action, loan);
      return touch(ctx, loan, { accountState: "CLOSED_REJECTED", accountSubState: "REJECTED", closedDate: now });
    case "WITHDRAW":
      if (state !== "PARTIAL_APPLICATION" && state !== "PENDING_APPROVAL" && state !== "APPROVED") refuse(action, loan);
      previousStates(ctx)[loan.encodedKey] = state;
      return touch(ctx, loan, { accountState: "CLOSED", accountSubState: "WITHDRAWN", closedDate: now });
    case "UNDO_REJECT":
      if (!(state === "CLOSED_REJECTED" || (state === "CLOSED" && sub === "REJECTED"))) refuse(action, loan);
      return touch(ctx, loan, { accountState: "PENDING_APPROVAL", accountSubState: undefined, closedDate: undefined });
    case "UNDO_WITHDRAW": {
      if (!(state === "CLOSED" && sub === "WITHDRAWN")) refuse(action, loan);
      const back = previousStates(ctx)[loan.encodedKey] ?? "PENDING_APPROVAL";
      delete previousStates(ctx)[loan.encodedKey];
      return touch(ctx, loan, { accountState: back, accountSubState: undefined, closedDate: undefined });
    }
    case "CLOSE": {
      if (!RUNNING.has(state)) refuse(action, loan);
      const frame = frameOf(ctx, loan);
      const owed = totalOf(totalOutstanding(replay(ctx, frame)));
      if (owed.greaterThan(0)) throw mambuError("ACCOUNT_HAS_REMAINING_BALANCE", `the loan still owes ${owed.toFixed(frame.dp)}`);
      return touch(ctx, loan, { accountState: "CLOSED", accountSubState: "REPAID", closedDate: now, daysLate: 0, daysInArrears: 0 });
    }
    case "UNDO_CLOSE": {
      if (!(state === "CLOSED" && (sub === undefined || sub === "REPAID") && disbursed)) refuse(action, loan);
      const reopened = touch(ctx, loan, { accountState: "ACTIVE", accountSubState: undefined, closedDate: undefined });
      const frame = frameOf(ctx, reopened);
      return syncLoan(ctx, frame, replay(ctx, frame));
    }
    default:
      return refuse(action, loan);
  }
}
