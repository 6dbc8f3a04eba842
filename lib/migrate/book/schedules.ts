/**
 * Edited schedules: the rows of each loan's installments (number, due date, principal, interest,
 * fee, penalty), which must number and date their installments in order, add up to the loan amount,
 * fall after the disbursement and match the loan's number of installments.
 */
import { sumDecimals } from "./sums";
import type { SourceRow } from "../sources";
import { BookContext, cmpDec, colOf, mapLoanRow, rowProblem } from "./context";

type Rec = Record<string, unknown>;

/** The schedules of the schedules' rows, on their loans. */
export function schedules(c: BookContext): void {
  const { plan, problems } = c;
  const block = c.blocks.schedules!;
  const byLoan = new Map<string, Array<{ row: SourceRow; inst: Rec }>>();
  for (const row of c.rows.schedules ?? []) {
    const onLoan = mapLoanRow(c, block, row);
    if (!onLoan) continue;
    const { r, loanId } = onLoan;
    const s = r.specials;
    if (s.number === undefined || s.dueDate === undefined || s.principal === undefined) {
      for (const f of ["number", "dueDate", "principal"]) if (s[f] === undefined && !r.problems.length) problems.push(rowProblem(row, `${f}: is required but empty`, colOf(block, f)));
      continue;
    }
    const inst: Rec = { number: s.number, dueDate: s.dueDate };
    for (const e of ["principal", "interest", "fee", "penalty"]) if (s[e] !== undefined) inst[e] = { amount: { expected: s[e] } };
    if (!byLoan.has(loanId)) byLoan.set(loanId, []);
    byLoan.get(loanId)!.push({ row, inst });
  }
  if (!plan.steps.has("schedule")) return;
  for (const [loanId, list] of byLoan) {
    const loan = c.loans.get(loanId)!;
    const first = list[0].row;
    list.sort((a, b) => (a.inst.number as number) - (b.inst.number as number));
    const nums = list.map((x) => x.inst.number as number);
    if (new Set(nums).size !== nums.length) problems.push(rowProblem(first, `loan ${loanId}: installment numbers repeat`, colOf(block, "number")));
    for (let i = 1; i < list.length; i++) {
      if ((list[i].inst.dueDate as string) <= (list[i - 1].inst.dueDate as string)) {
        problems.push(rowProblem(list[i].row, `loan ${loanId}: installment ${String(list[i].inst.number)} is not due after installment ${String(list[i - 1].inst.number)}`, colOf(block, "dueDate")));
      }
    }
    const principal = sumDecimals(list.map((x) => String(((x.inst.principal as Rec).amount as Rec).expected)));
    if (cmpDec(principal, loan.loanAmount) !== 0) {
      problems.push(rowProblem(first, `loan ${loanId}: the installments' principal adds up to ${principal}, not the loan amount ${loan.loanAmount}`, colOf(block, "principal")));
    }
    if (loan.disburse && (list[0].inst.dueDate as string) <= loan.disburse.valueDate.slice(0, 10)) {
      problems.push(rowProblem(first, `loan ${loanId}: the first installment is due on or before the disbursement date ${loan.disburse.valueDate.slice(0, 10)}`, colOf(block, "dueDate")));
    }
    const declared = (loan.body.scheduleSettings as Rec | undefined)?.repaymentInstallments;
    if (declared !== undefined && declared !== list.length) {
      problems.push(rowProblem(first, `loan ${loanId}: ${list.length} schedule rows, but the loan has ${String(declared)} installments (scheduleSettings.repaymentInstallments)`, colOf(block, "number")));
    }
    loan.schedule = { rows: list.map((x) => x.row), installments: list.map((x) => x.inst) };
  }
}
