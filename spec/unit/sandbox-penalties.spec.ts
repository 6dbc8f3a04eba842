/**
 * The one computation of the penalties still to post (lib/sandbox/engine/penalties.ts `unappliedPenalties`), used
 * by the daily accrual (what it posts) and the pay-off preview (what the days until its date will post): per
 * installment, the accrued total rounded half-up once, less every PENALTY_APPLIED already posted on it.
 */
import Decimal from "decimal.js";
import { unappliedPenalties } from "../../lib/sandbox/engine/penalties";
import { WireRecord } from "../../lib/sandbox/types";

const owed = (entries: Array<[string, string]>) => new Map(entries.map(([k, v]) => [k, new Decimal(v)]));
const tx = (type: string, amount: number, installmentEncodedKey?: string, extra: Record<string, unknown> = {}): WireRecord =>
  ({ encodedKey: `tx-${Math.random()}`, type, amount, ...(installmentEncodedKey ? { installmentEncodedKey } : {}), ...extra }) as WireRecord;
const plain = (m: Map<string, Decimal>) => [...m].map(([k, v]) => [k, v.toFixed(2)]);

test("rounds each installment's total half-up once and subtracts what was applied on it", () => {
  // 1000.00 overdue at 36 % a year for 10 days: 1000 × 0.36 / 365 × 10 = 9.8630… → 9.86
  const accrued = new Decimal(1000).times(0.36).dividedBy(365).times(10);
  const due = unappliedPenalties(new Map([["i1", accrued], ["i2", new Decimal("0.125")]]), [tx("PENALTY_APPLIED", 4.93, "i1")], 2);
  expect(plain(due)).toEqual([["i1", "4.93"], ["i2", "0.13"]]);
});

test("a penalty reversed by an adjustment still counts (it is waived, not charged again)", () => {
  const txs = [tx("PENALTY_APPLIED", 3, "i1", { adjustmentTransactionKey: "adj-1" }), tx("PENALTY_ADJUSTMENT", -3, "i1"), tx("PENALTY_APPLIED", 1.5, "i1")];
  expect(plain(unappliedPenalties(owed([["i1", "5.004"]]), txs, 2))).toEqual([["i1", "0.50"]]);
});

test("leaves out installments with nothing more to post, and ignores other transactions and other installments", () => {
  const txs = [
    tx("PENALTY_APPLIED", 2, "i1"),
    tx("PENALTY_APPLIED", 9, "i2"), // more than accrued (a later backdated repayment lowered the base): nothing, never negative
    tx("FEE_APPLIED", 7, "i3"),
    tx("PENALTY_APPLIED", 7), // no installment
    tx("PENALTY_APPLIED", 1, "i9"),
  ];
  const due = unappliedPenalties(owed([["i1", "1.995"], ["i2", "4"], ["i3", "0.004"], ["i4", "2.5"], ["i3b", "7"]]), txs, 2);
  expect(plain(due)).toEqual([["i4", "2.50"], ["i3b", "7.00"]]);
});

test("uses the currency's decimals", () => {
  expect([...unappliedPenalties(owed([["i1", "12.5"]]), [], 0)].map(([k, v]) => [k, v.toString()])).toEqual([["i1", "13"]]);
});
