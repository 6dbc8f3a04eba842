/**
 * Validation before any write: every row of every source is mapped and checked against the mapping
 * and the API contract (required fields, enums, dates, exact amounts), against the tenant (branches,
 * centres, users, products and their limits, custom fields, holders that are not in the plan) and
 * against the plan itself (unique ids, loans of known holders, transactions of disbursed loans, value
 * dates not before the disbursement nor in the future, schedules adding up to the loan amount). All
 * problems come back at once with file, line and column; the valid rows become the {@link Book}.
 *
 * One job per file of book/: the plan's blocks and files (blocks.ts), clients and groups
 * (holders.ts), group memberships with roles (memberships.ts), loans (loans.ts), standalone deposit accounts (deposits.ts) and their deposits and
 * withdrawals (deposit-transactions.ts), references outside the plan (external.ts), schedules
 * (schedules.ts), fees and repayments (transactions.ts), interest applied and adjustments
 * (loan-history.ts), documents (documents.ts), and the units in order with the invalid
 * ones left out (outcome.ts), over a shared context (context.ts).
 */
import { readPlan } from "./book/blocks";
import { BookOptions, newContext } from "./book/context";
import { depositTransactions } from "./book/deposit-transactions";
import { documentPlans } from "./book/documents";
import { attachDeposits, depositPlans } from "./book/deposits";
import { lookUpExternal } from "./book/external";
import { holderUnits } from "./book/holders";
import { memberships } from "./book/memberships";
import { loanHistory } from "./book/loan-history";
import { attachLoans, loanPlans } from "./book/loans";
import { finishBook } from "./book/outcome";
import { schedules } from "./book/schedules";
import { transactions } from "./book/transactions";
import type { Book, Plan } from "./types";

export type { BookOptions } from "./book/context";
export { sumDecimals } from "./book/sums";
export { unitStepNames, unitSteps } from "./book/unit-steps";

/**
 * Reads, maps and validates every row of a plan into a {@link Book}. Plan-level problems (mapping
 * fields unknown to the contract or the tenant, missing columns, malformed files) throw
 * {@link PlanError}; row problems are returned in `book.problems` (with `skipInvalid`, their units
 * are left out and listed in `book.skipped`).
 */
export async function buildBook(plan: Plan, opts: BookOptions = {}): Promise<Book> {
  const { blocks, rows, layouts, personal } = await readPlan(plan, opts);
  const c = newContext(plan, opts, blocks, rows, layouts, personal);
  holderUnits(c);
  memberships(c);
  loanPlans(c);
  depositPlans(c);
  await lookUpExternal(c);
  attachLoans(c);
  attachDeposits(c);
  depositTransactions(c);
  schedules(c);
  transactions(c);
  loanHistory(c);
  documentPlans(c);
  return finishBook(c);
}
