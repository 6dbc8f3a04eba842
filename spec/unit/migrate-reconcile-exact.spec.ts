/** Reconciliation adds amounts exactly: totals beyond decimal.js's default 20 digits are not rounded. */
import { sourceFigures } from "../../lib/migrate/reconcile";
import type { Plan, Unit } from "../../lib/migrate/types";

test("source totals keep every digit of large amounts", () => {
  const loan = (loanAmount: string, amounts: string[]): unknown => ({
    loanAmount,
    disburse: true,
    transactions: amounts.map((amount) => ({ kind: "repayment", amount })),
  });
  const unit = { loans: [loan("12345678901234567890123.45", ["0.01", "98765432109876543210987.65"]), loan("0.01", [])] } as unknown as Unit;
  const plan = { steps: new Set(["client", "loan", "disburse", "repayment"]) } as unknown as Plan;
  const f = sourceFigures(unit, plan);
  expect(f.loanAmount.toFixed(2)).toBe("12345678901234567890123.46");
  expect(f.repaid.toFixed(2)).toBe("98765432109876543210987.66");
  expect(f.repaymentCount.toString()).toBe("2");
});
