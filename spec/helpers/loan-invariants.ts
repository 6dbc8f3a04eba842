/**
 * The money invariants of a sandbox loan, checked over HTTP (the loan, all its transactions, its schedule):
 * - principal, fees and penalty balances equal the signed sums of the transactions' affected amounts
 *   (DISBURSEMENT, FEE_APPLIED, PENALTY_APPLIED, INTEREST_APPLIED add; REPAYMENT, REDRAW_REPAYMENT, WRITE_OFF,
 *   TRANSFER and the *_DUE_REDUCED waivers subtract; an adjustment counts as its original type with its negated
 *   amounts; upfront disbursement fees are paid at once and owe nothing);
 * - the paid balances equal the sums of the payments (REPAYMENT, REDRAW_REPAYMENT) by element, and the redraw
 *   balance the sum of PAYMENT_MADE less WITHDRAWAL_REDRAW and REDRAW_REPAYMENT;
 * - on a running loan the schedule agrees: interest balance = interest outstanding on the installments whose
 *   interest is applied (all of them with AFTER_DISBURSEMENT, those due by today otherwise), paid amounts = the
 *   installments' paid amounts; a closed loan owes nothing;
 * - the installments' expected principal sums to the loan amount;
 * - nothing is negative (balances, installment amounts, amounts and affected amounts of non-adjustments).
 * Used by the restructure specs, and meant for any spec that moves a loan's money.
 */
import Decimal from "decimal.js";
import type { Sandbox } from "../../lib/sandbox";
import { call } from "../e2e/sandbox-helpers";

/** What the check read, for further assertions. */
export interface LoanSnapshot {
  loan: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  transactions: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  installments: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const ADD = new Set(["DISBURSEMENT", "FEE_APPLIED", "PENALTY_APPLIED", "INTEREST_APPLIED"]);
const SUBTRACT = new Set(["REPAYMENT", "REDRAW_REPAYMENT", "WRITE_OFF", "TRANSFER", "INTEREST_DUE_REDUCED", "FEES_DUE_REDUCED", "PENALTIES_DUE_REDUCED"]);
const PAYMENTS = new Set(["REPAYMENT", "REDRAW_REPAYMENT"]);
const REDRAW: Record<string, number> = { PAYMENT_MADE: 1, WITHDRAWAL_REDRAW: -1, REDRAW_REPAYMENT: -1 };
const RUNNING = new Set(["ACTIVE", "ACTIVE_IN_ARREARS"]);
/** Most transactions a checked loan may have (pages of 1000). */
const MAX_PAGES = 10;

const d = (v: unknown): Decimal => new Decimal(v === undefined || v === null ? 0 : (v as Decimal.Value));

async function getAll(sb: Sandbox, path: string): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const out: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await call(sb, "GET", `${path}?offset=${page * 1000}&limit=1000`);
    expect([path, r.status, r.status === 200 ? "" : r.text]).toEqual([path, 200, ""]);
    out.push(...r.body);
    if (r.body.length < 1000) return out;
  }
  throw new Error(`${path}: more than ${MAX_PAGES * 1000} records`);
}

function expectAmount(label: string, actual: unknown, expected: Decimal): void {
  expect(`${label} ${d(actual).toFixed(2)}`).toBe(`${label} ${expected.toFixed(2)}`);
}

/** Fetches a loan, its transactions and schedule and asserts the invariants above; returns what it read. */
export async function checkLoanInvariants(sb: Sandbox, loanId: string): Promise<LoanSnapshot> {
  const lr = await call(sb, "GET", `/loans/${encodeURIComponent(loanId)}`);
  expect([loanId, lr.status, lr.status === 200 ? "" : lr.text]).toEqual([loanId, 200, ""]);
  const loan = lr.body;
  const transactions = await getAll(sb, `/loans/${encodeURIComponent(loanId)}/transactions`);
  const sr = await call(sb, "GET", `/loans/${encodeURIComponent(loanId)}/schedule`);
  expect([loanId, sr.status, sr.status === 200 ? "" : sr.text]).toEqual([loanId, 200, ""]);
  const installments: any[] = sr.body.installments; // eslint-disable-line @typescript-eslint/no-explicit-any
  const b = loan.balances ?? {};
  const byKey = new Map(transactions.map((t) => [t.encodedKey, t]));
  const typeOf = (t: { type: string; originalTransactionKey?: string }): string =>
    t.originalTransactionKey ? String(byKey.get(t.originalTransactionKey)?.type ?? t.type.replace(/_ADJUSTMENT$/, "")) : t.type;

  const signed = { principal: new Decimal(0), interest: new Decimal(0), fee: new Decimal(0), penalty: new Decimal(0) };
  const paid = { principal: new Decimal(0), interest: new Decimal(0), fee: new Decimal(0), penalty: new Decimal(0) };
  let redraw = new Decimal(0);
  for (const t of transactions) {
    const type = typeOf(t);
    const a = t.affectedAmounts ?? {};
    const sign = ADD.has(type) ? 1 : SUBTRACT.has(type) ? -1 : 0;
    signed.principal = signed.principal.plus(d(a.principalAmount).times(sign));
    signed.interest = signed.interest.plus(d(a.interestAmount).times(sign));
    signed.fee = signed.fee.plus(d(a.feesAmount).times(sign));
    signed.penalty = signed.penalty.plus(d(a.penaltyAmount).times(sign));
    if (type === "DISBURSEMENT" && !t.originalTransactionKey && !t.adjustmentTransactionKey && Array.isArray(t.fees)) {
      for (const f of t.fees) if (f.trigger === "UPFRONT_DISBURSEMENT") signed.fee = signed.fee.minus(d(f.amount));
    }
    if (PAYMENTS.has(type)) {
      paid.principal = paid.principal.plus(d(a.principalAmount));
      paid.interest = paid.interest.plus(d(a.interestAmount));
      paid.fee = paid.fee.plus(d(a.feesAmount));
      paid.penalty = paid.penalty.plus(d(a.penaltyAmount));
    }
    if (REDRAW[type]) redraw = redraw.plus(d(t.amount).times(REDRAW[type]));
    if (!t.originalTransactionKey) {
      expect([t.type, d(t.amount).isNegative()]).toEqual([t.type, false]);
      for (const [k, v] of Object.entries(a)) expect([t.type, k, d(v).isNegative()]).toEqual([t.type, k, false]);
    }
  }

  expectAmount("principalBalance", b.principalBalance, signed.principal);
  expectAmount("feesBalance", b.feesBalance, signed.fee);
  expectAmount("penaltyBalance", b.penaltyBalance, signed.penalty);
  expectAmount("principalPaid", b.principalPaid, paid.principal);
  expectAmount("interestPaid", b.interestPaid, paid.interest);
  expectAmount("feesPaid", b.feesPaid, paid.fee);
  expectAmount("penaltyPaid", b.penaltyPaid, paid.penalty);
  expectAmount("redrawBalance", b.redrawBalance, redraw);

  const sumOf = (list: any[], element: string, field: string) => list.reduce((acc: Decimal, i) => acc.plus(d(i[element]?.amount?.[field])), new Decimal(0)); // eslint-disable-line @typescript-eslint/no-explicit-any
  expectAmount("installments' principal expected", loan.loanAmount, sumOf(installments, "principal", "expected"));
  if (RUNNING.has(loan.accountState)) {
    const today = sb.clock.today();
    const allApplied = loan.interestSettings?.interestApplicationMethod === "AFTER_DISBURSEMENT";
    const applied = installments.filter((i) => allApplied || String(i.dueDate).slice(0, 10) <= today);
    expectAmount("interestBalance", b.interestBalance, sumOf(applied, "interest", "expected").minus(sumOf(applied, "interest", "paid")));
    expectAmount("installments' principal paid", b.principalPaid, sumOf(installments, "principal", "paid"));
    expectAmount("installments' interest paid", b.interestPaid, sumOf(installments, "interest", "paid"));
  } else if (typeof loan.accountState === "string" && loan.accountState.startsWith("CLOSED")) {
    for (const f of ["principalBalance", "interestBalance", "feesBalance", "penaltyBalance"]) expectAmount(f, b[f], new Decimal(0));
  }

  for (const [k, v] of Object.entries(b)) if (typeof v === "number") expect([k, v < 0]).toEqual([k, false]);
  for (const i of installments) {
    for (const e of ["principal", "interest", "fee", "penalty"]) {
      for (const f of ["expected", "paid", "due"]) expect([i.number, e, f, d(i[e]?.amount?.[f]).isNegative()]).toEqual([i.number, e, f, false]);
    }
  }
  return { loan, transactions, installments };
}
