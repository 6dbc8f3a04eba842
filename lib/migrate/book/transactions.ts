/**
 * Fees and repayments: each of a loan of the plan that is disbursed, dated (not in the future, not
 * before the disbursement), with an amount (a fee: or a predefined fee of the product), and tagged
 * with an `externalId` — the source's, or one derived from the row that is the same on every run —
 * unique on its loan. Each loan's transactions are then put in value-date order (fees first on the
 * same date, then source order).
 */
import { checkAmount } from "../mapping";
import { derivedExternalId, rowKey } from "../keys";
import type { CompiledBlock } from "../mapping";
import type { SourceRow } from "../sources";
import type { TxPlan } from "../types";
import { BookContext, colOf, contractProblems, instant, mapLoanRow, rowProblem } from "./context";

/** On the same value date: fees, then interest applied, repayments, and adjustments last (of what came before). */
export const KIND_RANK: Record<TxPlan["kind"], number> = { fee: 0, interest: 1, repayment: 2, adjustment: 3 };

/** The fees and repayments of their rows, on their loans, in order. */
export function transactions(c: BookContext): void {
  const occurrences = new Map<string, number>();
  /** Rows already reported: a transaction of a loan whose row is invalid is not blamed for it again. */
  const reported = new Set(c.problems.map((p) => p.row));
  txRows(c, "fee", c.blocks.fees, c.rows.fees, occurrences, reported);
  txRows(c, "repayment", c.blocks.repayments, c.rows.repayments, occurrences, reported);
  for (const loan of c.loans.values()) {
    const seq = new Map(loan.transactions.map((t, i) => [t, i]));
    loan.transactions.sort((a, b) => {
      const da = instant(a.valueDate);
      const db = instant(b.valueDate);
      if (da !== db) return da - db;
      return KIND_RANK[a.kind] - KIND_RANK[b.kind] || seq.get(a)! - seq.get(b)!;
    });
  }
}

function txRows(
  c: BookContext,
  kind: "fee" | "repayment",
  block: CompiledBlock | undefined,
  list: SourceRow[] | undefined,
  occurrences: Map<string, number>,
  reported: Set<SourceRow | undefined>,
): void {
  const { plan, opts, problems } = c;
  if (!block || !list) return;
  for (const row of list) {
    const onLoan = mapLoanRow(c, block, row);
    if (!onLoan) continue;
    const { r, loanId, loan } = onLoan;
    if (!plan.steps.has(kind)) continue;
    problems.push(...contractProblems(block, r.body, row, [], r.problems));
    const vd = r.body.valueDate as string | undefined;
    const vdCol = colOf(block, "valueDate");
    if (!vd) {
      if (!r.problems.some((p) => p.columnName === vdCol)) problems.push(rowProblem(row, "valueDate: is required (the date the transaction happened)", vdCol));
      continue;
    }
    if (instant(vd) > c.nowMs) problems.push(rowProblem(row, `valueDate ${vd} is in the future`, vdCol));
    if (reported.has(loan.row)) {
      // the loan's own row is invalid (reported): its unit is left out anyway
    } else if (!loan.disburse) problems.push(rowProblem(row, `loan ${loanId} is not disbursed by the plan (no disbursement date)`, colOf(block, "loanId")));
    else if (vd.slice(0, 10) < loan.disburse.valueDate.slice(0, 10)) problems.push(rowProblem(row, `valueDate ${vd} is before the disbursement of loan ${loanId} (${loan.disburse.valueDate})`, vdCol));
    const product = opts.refs ? [...opts.refs.loanProducts.values()].find((p) => p.encodedKey === loan.body.productTypeKey) : undefined;
    let amount = r.body.amount !== undefined ? String(r.body.amount) : undefined;
    const amountCol = colOf(block, "amount");
    if (kind === "fee") {
      const feeId = r.body.predefinedFeeKey as string | undefined;
      if (feeId !== undefined && product) {
        const key = product.fees.get(feeId);
        if (!key) problems.push(rowProblem(row, `product ${product.id} has no fee "${feeId}"`, colOf(block, "predefinedFeeKey")));
        else {
          r.body.predefinedFeeKey = key;
          amount ??= product.feeAmounts.get(key);
        }
      }
      if (feeId === undefined && amount === undefined) problems.push(rowProblem(row, "a fee needs an amount or a predefinedFeeKey", amountCol));
      if (feeId === undefined && product && !product.allowArbitraryFees) problems.push(rowProblem(row, `product ${product.id} does not allow arbitrary fees (give predefinedFeeKey)`, amountCol));
    } else if (amount === undefined) {
      continue; // the contract problem (amount required) was reported
    }
    if (amount !== undefined) {
      const e = checkAmount(amount, plan.amountDecimals, true);
      if (e) problems.push(rowProblem(row, `amount: ${e}`, amountCol));
    }
    amount ??= "0";
    const tuple = `${loanId}\u0000${kind}\u0000${vd}\u0000${amount}`;
    const occ = (occurrences.get(tuple) ?? 0) + 1;
    occurrences.set(tuple, occ);
    const externalId = (r.body.externalId as string | undefined) ?? derivedExternalId(plan.id, loanId, kind, vd, amount, occ);
    r.body.externalId = externalId;
    if (loan.transactions.some((t) => t.externalId === externalId)) {
      problems.push(rowProblem(row, `externalId "${externalId}" appears twice on loan ${loanId}`, colOf(block, "externalId")));
      continue;
    }
    const tx: TxPlan = { kind, row, key: rowKey.transaction(kind, loanId, externalId), externalId, valueDate: vd, amount, body: r.body };
    loan.transactions.push(tx);
  }
}
