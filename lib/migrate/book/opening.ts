/**
 * An account's opening balance as a source row gives it (a standalone savings account's, or a loan's
 * settlement account's): not negative, exact to the plan's decimals, with an opening date that is a
 * date or date-time and not in the future; posted as one deposit on that date, tagged with the
 * account's `mig-` externalId. An empty or zero balance opens the account without a deposit.
 */
import { openingExternalId } from "../keys";
import { checkAmount, CompiledBlock, toDateTime } from "../mapping";
import type { SourceRow } from "../sources";
import type { OpeningPlan } from "../types";
import { BookContext, cmpDec, colOf, instant, rowProblem } from "./context";

/**
 * The opening deposit of account `id` from a row's `openingBalance`, `openingDate` and
 * `openingNotes` (problems at their cells join the book's); undefined when there is none to post
 * (`post`: whether the plan runs the step that posts it).
 */
export function openingOf(c: BookContext, block: CompiledBlock, row: SourceRow, specials: Record<string, unknown>, id: string, post: boolean): OpeningPlan | undefined {
  const { plan, problems } = c;
  const balance = specials.openingBalance !== undefined ? String(specials.openingBalance) : undefined;
  const balanceCol = colOf(block, "openingBalance");
  const dateCol = colOf(block, "openingDate");
  if (balance !== undefined && balance.startsWith("-")) {
    problems.push(rowProblem(row, `openingBalance must not be negative, got ${balance}`, balanceCol));
    return undefined;
  }
  if (balance === undefined || cmpDec(balance, "0") <= 0 || !post) return undefined;
  const dateText = specials.openingDate as string | undefined;
  if (dateText === undefined) {
    problems.push(rowProblem(row, "openingDate: is required when the opening balance is not zero", dateCol));
    return undefined;
  }
  const d = toDateTime(dateText, c.mapContext.offset);
  if ("error" in d) problems.push(rowProblem(row, `openingDate: ${d.error}`, dateCol));
  else if (instant(d.value) > c.nowMs) problems.push(rowProblem(row, `openingDate ${dateText} is in the future`, dateCol));
  else if (!checkAmount(balance, plan.amountDecimals, true)) {
    const notes = specials.openingNotes as string | undefined;
    return { amount: balance, valueDate: d.value, externalId: openingExternalId(plan.id, id), ...(notes ? { notes } : {}) };
  }
  return undefined;
}
