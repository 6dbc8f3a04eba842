/**
 * Deposits and withdrawals of the plan's deposit accounts (the `depositTransactions` source): each
 * row names a deposit account of the plan (`depositId`), a `type` (DEPOSIT, the default, or
 * WITHDRAWAL), an amount above zero exact to the plan's decimals, and a value date that is neither in
 * the future nor before the account's opening deposit; it is tagged with an `externalId` — the
 * source's, or one derived from the row that is the same on every run — unique on its account. Each
 * account's transactions are then put in value-date order (then source order), and a withdrawal that
 * would take the account below zero is a problem at its amount. The rows join the account's unit
 * (an invalid one leaves the unit out with `--skip-invalid`).
 */
import { derivedExternalId } from "../keys";
import { checkAmount, toDateTime } from "../mapping";
import { sumDecimals } from "./sums";
import type { DepositTxPlan } from "../types";
import { BookContext, checkShape, colOf, instant, mapInto, rowProblem } from "./context";

/** The row key of a deposit account's transaction (journal, idempotency keys). */
export const depositTxRowKey = (depositId: string, externalId: string): string => `depositTransaction:${depositId}:${externalId}`;

const TYPES = new Set(["DEPOSIT", "WITHDRAWAL"]);

/** The deposits and withdrawals of the rows, on their accounts, in order (after {@link attachDeposits}). */
export function depositTransactions(c: BookContext): void {
  const { plan, problems } = c;
  const block = c.blocks.depositTransactions;
  if (!block) return;
  const occurrences = new Map<string, number>();
  for (const row of c.rows.depositTransactions ?? []) {
    checkShape(c, row);
    const r = mapInto(c, block, row);
    const s = r.specials;
    const depositId = s.depositId as string | undefined;
    const idCol = colOf(block, "depositId");
    if (!depositId) {
      problems.push(rowProblem(row, "depositId: is required but empty", idCol));
      continue;
    }
    const dep = c.deposits.get(depositId);
    if (!dep) {
      problems.push(rowProblem(row, `deposit account "${depositId}" is not in the plan's deposits`, idCol));
      continue;
    }
    c.depositUnit.get(depositId)?.rows.push(row);
    if (!plan.steps.has("depositTransaction")) continue;
    const type = String(s.type ?? "DEPOSIT").toUpperCase();
    if (!TYPES.has(type)) problems.push(rowProblem(row, `type: expected DEPOSIT or WITHDRAWAL, got "${String(s.type)}"`, colOf(block, "type")));
    const amountCol = colOf(block, "amount");
    const amount = s.amount !== undefined ? String(s.amount) : undefined;
    if (amount === undefined) {
      if (!r.problems.some((p) => p.columnName === amountCol)) problems.push(rowProblem(row, "amount: is required but empty", amountCol));
    } else {
      const e = checkAmount(amount, plan.amountDecimals, true);
      if (e && !r.problems.some((p) => p.columnName === amountCol)) problems.push(rowProblem(row, `amount: ${e}`, amountCol));
    }
    const vdCol = colOf(block, "valueDate");
    const vdText = s.valueDate as string | undefined;
    let valueDate: string | undefined;
    if (vdText === undefined) problems.push(rowProblem(row, "valueDate: is required (the date the transaction happened)", vdCol));
    else {
      const d = toDateTime(vdText, c.mapContext.offset);
      if ("error" in d) problems.push(rowProblem(row, `valueDate: ${d.error}`, vdCol));
      else if (instant(d.value) > c.nowMs) problems.push(rowProblem(row, `valueDate ${vdText} is in the future`, vdCol));
      else if (dep.opening && instant(d.value) < instant(dep.opening.valueDate)) {
        problems.push(rowProblem(row, `valueDate ${vdText} is before the opening deposit of ${depositId} (${dep.opening.valueDate.slice(0, 10)})`, vdCol));
      } else valueDate = d.value;
    }
    if (!valueDate || amount === undefined || !TYPES.has(type) || checkAmount(amount, plan.amountDecimals, true)) continue;
    const tuple = `${depositId}\u0000${type}\u0000${valueDate}\u0000${amount}`;
    const occ = (occurrences.get(tuple) ?? 0) + 1;
    occurrences.set(tuple, occ);
    const externalId = (s.externalId as string | undefined) ?? derivedExternalId(plan.id, depositId, `depositTransaction:${type}`, valueDate, amount, occ);
    const list = (dep.transactions ??= []);
    if (list.some((t) => t.externalId === externalId) || dep.opening?.externalId === externalId) {
      problems.push(rowProblem(row, `externalId "${externalId}" appears twice on deposit account ${depositId}`, colOf(block, "externalId")));
      continue;
    }
    const notes = s.notes as string | undefined;
    const tx: DepositTxPlan = { type: type as DepositTxPlan["type"], row, key: depositTxRowKey(depositId, externalId), externalId, valueDate, amount, ...(notes ? { notes } : {}) };
    list.push(tx);
  }
  for (const dep of c.deposits.values()) {
    const list = dep.transactions;
    if (!list?.length) continue;
    const seq = new Map(list.map((t, i) => [t, i]));
    list.sort((a, b) => instant(a.valueDate) - instant(b.valueDate) || seq.get(a)! - seq.get(b)!);
    // the balance as the transactions go: a withdrawal may not take the account below zero
    let balance = dep.opening?.amount ?? "0";
    for (const t of list) {
      balance = sumDecimals([balance, t.type === "DEPOSIT" ? t.amount : `-${t.amount}`]);
      if (balance.startsWith("-")) {
        problems.push(rowProblem(t.row, `the withdrawal of ${t.amount} on ${t.valueDate.slice(0, 10)} takes deposit account ${dep.id} below zero (${balance})`, colOf(block, "amount")));
        break;
      }
    }
  }
}
