/**
 * Locking a loan's income sources (`POST /loans/{loanAccountId}/lock-transactions`, `LockLoanAccountInput`) and
 * unlocking them (`/unlock-transactions`, `UnlockLoanAccountInput`), both answering `LockLoanTransactionsWrapper`
 * (201). A lock puts a running loan in sub-state LOCKED with `lockedOperations` (default: all three) and
 * `lastLockedDate`, and logs one transaction per newly locked operation — INTEREST_LOCKED (amount: the interest
 * accrued so far), FEE_LOCKED, PENALTY_LOCKED (the penalty accrued); locking again with another list changes it
 * (operations dropped from the list are logged as unlocked), with the same list answers ACCOUNT_ALREADY_LOCKED.
 * Unlocking logs the matching *_UNLOCKED transactions and clears the sub-state (ACCOUNT_ALREADY_UNLOCKED when the
 * loan is not locked). These transactions move no balance.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { RUNNING, commitTransaction, frameOf, newLoanTransaction, reload, replay, requireLoan, syncLoan, touch } from "./loan-common";

const OPERATIONS = ["APPLY_INTEREST", "APPLY_FEES", "APPLY_PENALTIES"] as const;
type Operation = (typeof OPERATIONS)[number];
const LOCKED: Record<Operation, string> = { APPLY_INTEREST: "INTEREST_LOCKED", APPLY_FEES: "FEE_LOCKED", APPLY_PENALTIES: "PENALTY_LOCKED" };
const UNLOCKED: Record<Operation, string> = { APPLY_INTEREST: "INTEREST_UNLOCKED", APPLY_FEES: "FEE_UNLOCKED", APPLY_PENALTIES: "PENALTY_UNLOCKED" };

/** The answer of both operations. */
export interface LockTransactions {
  loanTransactions: WireRecord[];
}

function isOperation(v: unknown): v is Operation {
  return typeof v === "string" && (OPERATIONS as readonly string[]).includes(v);
}

function lockedOf(loan: WireRecord): Operation[] {
  return loan.accountSubState === "LOCKED" && Array.isArray(loan.lockedOperations) ? loan.lockedOperations.filter(isOperation) : [];
}

function accrued(loan: WireRecord, op: Operation): number {
  const v = op === "APPLY_INTEREST" ? loan.accruedInterest : op === "APPLY_PENALTIES" ? loan.accruedPenalty : 0;
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

function post(ctx: EngineContext, loan: WireRecord, entries: Array<[string, number]>, notes: unknown, fields: Record<string, unknown>): LockTransactions {
  const now = ctx.clock.nowIso();
  const txs = entries.map(([type, amount]) => commitTransaction(ctx, newLoanTransaction(ctx, loan, type, amount, now, { notes })));
  const next = touch(ctx, loan, fields);
  const frame = frameOf(ctx, next);
  syncLoan(ctx, frame, replay(ctx, frame), next);
  return { loanTransactions: txs.map((t) => reload(ctx, t)) };
}

/** Locks (or changes the locked operations of) a running loan. */
export function lockLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): LockTransactions {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const asked = body.lockedOperations;
  if (asked !== undefined && (!Array.isArray(asked) || asked.length > OPERATIONS.length * 4 || !asked.every(isOperation))) {
    throw invalidParameters(`lockedOperations must list ${OPERATIONS.join(", ")}`);
  }
  const wanted = OPERATIONS.filter((op) => (asked === undefined || asked.length === 0 ? true : (asked as unknown[]).includes(op)));
  const current = lockedOf(loan);
  if (loan.accountSubState === "LOCKED" && current.length === wanted.length && wanted.every((op) => current.includes(op))) {
    throw mambuError("ACCOUNT_ALREADY_LOCKED", `loan ${String(loan.id)} is already locked for ${wanted.join(", ")}`);
  }
  const entries: Array<[string, number]> = [
    ...wanted.filter((op) => !current.includes(op)).map((op): [string, number] => [LOCKED[op], accrued(loan, op)]),
    ...current.filter((op) => !wanted.includes(op)).map((op): [string, number] => [UNLOCKED[op], accrued(loan, op)]),
  ];
  const now = ctx.clock.nowIso();
  return post(ctx, loan, entries, body.notes, {
    accountSubState: "LOCKED",
    lockedOperations: wanted,
    lastLockedDate: loan.accountSubState === "LOCKED" && typeof loan.lastLockedDate === "string" ? loan.lastLockedDate : now,
  });
}

/** Unlocks a locked loan. */
export function unlockLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): LockTransactions {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (loan.accountSubState !== "LOCKED") throw mambuError("ACCOUNT_ALREADY_UNLOCKED", `loan ${String(loan.id)} is not locked`);
  const entries = lockedOf(loan).map((op): [string, number] => [UNLOCKED[op], accrued(loan, op)]);
  return post(ctx, loan, entries, body.notes, { accountSubState: undefined, lockedOperations: undefined, lastLockedDate: undefined });
}
