/**
 * Loans' history beyond fees and repayments (the `loanTransactions` source, a `type` column):
 *
 * - INTEREST: interest applied up to the row's `valueDate` (`POST /loans/{id}:applyInterest`) — on a
 *   disbursed loan of the plan, not before its disbursement nor in the future;
 * - ADJUSTMENT: the reversal of one of the plan's fees or repayments of the same loan, named by its
 *   externalId in `adjusts` (`POST /loans/transactions/{id}:adjust`), once, its `valueDate` (the
 *   adjustment's booking date, optional) not before the transaction it reverses;
 * - PENALTY: refused at the cell — API v2 has no operation that applies a penalty by hand (Mambu
 *   applies penalties by the product's settings; a charge agreed with the client is a fee).
 *
 * Each row gets an `externalId` (the source's, or one derived from the row, the same on every run)
 * that keys its journal step and idempotency key, and joins its loan's transactions, which are then
 * put back in order (value date; on one date fees, interest, repayments, adjustments).
 */
import { derivedExternalId, rowKey } from "../keys";
import { toDateTime } from "../mapping";
import type { TxPlan } from "../types";
import { BookContext, colOf, instant, mapLoanRow, rowProblem } from "./context";
import { KIND_RANK } from "./transactions";

const TYPES: Record<string, "interest" | "adjustment" | "penalty"> = { INTEREST: "interest", INTEREST_APPLIED: "interest", ADJUSTMENT: "adjustment", PENALTY: "penalty", PENALTY_APPLIED: "penalty" };

/** The interest applications and adjustments of the rows, on their loans, in order (after {@link transactions}). */
export function loanHistory(c: BookContext): void {
  const { plan, problems } = c;
  const block = c.blocks.loanTransactions;
  if (!block) return;
  const occurrences = new Map<string, number>();
  const reported = new Set(c.problems.map((p) => p.row));
  const adjusted = new Map<string, number>();
  const touched = new Set<string>();
  for (const row of c.rows.loanTransactions ?? []) {
    const onLoan = mapLoanRow(c, block, row);
    if (!onLoan) continue;
    const { r, loanId, loan } = onLoan;
    const s = r.specials;
    const typeCol = colOf(block, "type");
    const typeText = String(s.type ?? "").toUpperCase();
    const kind = Object.prototype.hasOwnProperty.call(TYPES, typeText) ? TYPES[typeText] : undefined;
    if (!kind) {
      problems.push(rowProblem(row, `type: expected INTEREST or ADJUSTMENT, got ${s.type === undefined ? "nothing" : `"${String(s.type)}"`}`, typeCol));
      continue;
    }
    if (kind === "penalty") {
      problems.push(rowProblem(row, "type: PENALTY cannot be migrated: API v2 has no operation that applies a penalty by hand (Mambu applies penalties by the product's settings; migrate an agreed charge as a fee)", typeCol));
      continue;
    }
    if (!plan.steps.has(kind)) continue;
    const vdCol = colOf(block, "valueDate");
    const vdText = s.valueDate as string | undefined;
    let vd: string | undefined;
    if (vdText !== undefined) {
      const d = toDateTime(vdText, c.mapContext.offset);
      if ("error" in d) problems.push(rowProblem(row, `valueDate: ${d.error}`, vdCol));
      else if (instant(d.value) > c.nowMs) problems.push(rowProblem(row, `valueDate ${vdText} is in the future`, vdCol));
      else vd = d.value;
      if (!vd) continue;
    }
    const loanReported = reported.has(loan.row);
    if (!loanReported && !loan.disburse) {
      problems.push(rowProblem(row, `loan ${loanId} is not disbursed by the plan (no disbursement date)`, colOf(block, "loanId")));
      continue;
    }
    const notes = s.notes as string | undefined;
    let tx: TxPlan;
    if (kind === "interest") {
      if (vdText === undefined) {
        problems.push(rowProblem(row, "valueDate: is required (the date interest is applied up to)", vdCol));
        continue;
      }
      if (!vd) continue;
      if (loan.disburse && instant(vd) < instant(loan.disburse.valueDate)) {
        problems.push(rowProblem(row, `valueDate ${vdText} is before the disbursement of loan ${loanId} (${loan.disburse.valueDate})`, vdCol));
        continue;
      }
      const tuple = `${loanId}\u0000interest\u0000${vd}`;
      const occ = (occurrences.get(tuple) ?? 0) + 1;
      occurrences.set(tuple, occ);
      const externalId = (s.externalId as string | undefined) ?? derivedExternalId(plan.id, loanId, "interest", vd, "0", occ);
      tx = { kind, row, key: rowKey.transaction(kind, loanId, externalId), externalId, valueDate: vd, amount: "0", body: { interestApplicationDate: vd, ...(notes ? { notes } : {}) } };
    } else {
      const adjCol = colOf(block, "adjusts");
      const target = s.adjusts as string | undefined;
      if (!target) {
        problems.push(rowProblem(row, "adjusts: is required (the externalId of the fee or repayment it reverses)", adjCol));
        continue;
      }
      const original = loan.transactions.find((t) => t.externalId === target && (t.kind === "fee" || t.kind === "repayment"));
      if (!original) {
        if (!loanReported) problems.push(rowProblem(row, `adjusts: loan ${loanId} has no fee or repayment with externalId "${target}" in the plan`, adjCol));
        continue;
      }
      const first = adjusted.get(`${loanId}\u0000${target}`);
      if (first !== undefined) {
        problems.push(rowProblem(row, `adjusts: "${target}" of loan ${loanId} is adjusted twice (first at line ${first})`, adjCol));
        continue;
      }
      adjusted.set(`${loanId}\u0000${target}`, row.line);
      if (vd && instant(vd) < instant(original.valueDate)) {
        problems.push(rowProblem(row, `valueDate ${vdText} is before the transaction it adjusts (${original.valueDate})`, vdCol));
        continue;
      }
      const externalId = (s.externalId as string | undefined) ?? derivedExternalId(plan.id, loanId, "adjustment", target, "0", 1);
      tx = { kind, row, key: rowKey.transaction(kind, loanId, externalId), externalId, valueDate: vd ?? original.valueDate, amount: original.amount, adjusts: target, body: { ...(vd ? { bookingDate: vd } : {}), ...(notes ? { notes } : {}) } };
    }
    if (loan.transactions.some((t) => t.key === tx.key)) {
      problems.push(rowProblem(row, `externalId "${tx.externalId}" appears twice on loan ${loanId}`, colOf(block, "externalId")));
      continue;
    }
    loan.transactions.push(tx);
    touched.add(loanId);
  }
  for (const id of touched) {
    const loan = c.loans.get(id)!;
    // a stable sort: the order transactions() gave, the new rows after on equal keys
    loan.transactions.sort((a, b) => instant(a.valueDate) - instant(b.valueDate) || KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  }
}
