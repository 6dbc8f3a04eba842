/**
 * What flows back to the investors of a funded loan (see funding.ts for the funds and the `LOAN_FUNDED` payments
 * at disbursement). Each movement is a deposit transaction posted through deposit-common's `postMovement`, so
 * every funder's deposit keeps `totalBalance` = the sum of its transactions.
 *
 * - **Repayments** (a REPAYMENT, a pay-off's REPAYMENT, a transfer from a deposit): each funder's deposit receives
 *   its part of the principal paid (`LOAN_REPAID`) and of the interest paid less the organization's commission
 *   (`INTEREST_APPLIED`, `affectedAmounts.interestAmount`), both with `transferDetails.linkedLoanTransactionKey` =
 *   the repayment. Fees and penalties stay with the organization.
 *   - principal: fund amount ÷ loan amount of the principal paid (funding.ts `splitAmount`: when the funds cover
 *     the whole loan, the last funder takes the rounding remainder, so the parts add up to the principal paid);
 *   - interest: each fund's part of the interest paid (same split) earns (rate − commission) ÷ rate of it, with
 *     rate = the loan's `interestSettings.interestRate` and commission = the fund's own `interestCommission`, else
 *     the loan's `interestCommission` ("the interest booked by the organization from the accounts funded by
 *     investors"), else the product's `fundingSettings.organizationInterestCommission.defaultValue`, else 0 (in
 *     the rate's unit, capped at the rate). The funders' total is rounded once and split by those weights, the
 *     last funder taking the remainder; the repayment's `affectedAmounts.fundersInterestAmount` is that total and
 *     `organizationCommissionAmount` the funded interest minus it.
 * - **Adjusting a repayment** reverses its payouts (`LOAN_REPAID_ADJUSTMENT`, `INTEREST_APPLIED_ADJUSTMENT`, each
 *   with `originalTransactionKey`; the original gets `adjustmentTransactionKey`). When a backdated repayment or an
 *   adjustment re-allocates the loan's other repayments, their payouts are reversed and posted again as now
 *   allocated (at the shares of the funds of that moment); a repayment whose allocation did not change keeps its
 *   payouts even after a fund was sold.
 * - **Adjusting the disbursement** refunds each `LOAN_FUNDED` payment (`LOAN_FUNDED_ADJUSTMENT`, +amount).
 *
 * Reversals skip the state and funds checks (as adjustments do): a funder who already spent the money goes below
 * zero. Not modelled: `fundingSettings.lockFundsAtApproval`, payouts of REDRAW_REPAYMENT / PAYMENT_MADE, fees.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { postMovement } from "./deposit-common";
import { fundsOf, splitAmount } from "./funding";
import { loanCurrency } from "./loan-common";
import { loanTransactions } from "./loan-ledger";
import { Dec, ZERO, dec, num, round, sum } from "./money";
import { path } from "./products";
import { nullProto, ownValue } from "../safe-keys";

/** What was paid out for one repayment: the allocation it was computed from and the deposit transactions. */
interface Payout {
  principal: string;
  interest: string;
  deposits: string[];
}

interface PayoutBook {
  /** Repayment encodedKey → its payout. */
  byRepayment: Record<string, Payout>;
  /** Disbursements (encodedKey) whose `LOAN_FUNDED` payments were refunded. */
  refunded: string[];
}

function book(ctx: EngineContext): PayoutBook {
  const e = ctx.store.extra as { fundingPayouts?: PayoutBook };
  if (!e.fundingPayouts) e.fundingPayouts = { byRepayment: nullProto<Payout>(), refunded: [] };
  return e.fundingPayouts;
}

const ADJUSTMENT: ReadonlyMap<string, string> = new Map([
  ["LOAN_REPAID", "LOAN_REPAID_ADJUSTMENT"],
  ["INTEREST_APPLIED", "INTEREST_APPLIED_ADJUSTMENT"],
  ["LOAN_FUNDED", "LOAN_FUNDED_ADJUSTMENT"],
]);

/** Reverses a deposit transaction (unless already adjusted) with its `*_ADJUSTMENT`. */
function reverse(ctx: EngineContext, depTxKey: string, notes: string): void {
  const original = ctx.store.find("depositTransactions", depTxKey);
  const type = original ? ADJUSTMENT.get(String(original.type)) : undefined;
  if (!original || !type || original.adjustmentTransactionKey) return;
  const dep = ctx.store.find("deposits", String(original.parentAccountKey));
  if (!dep) return;
  const { tx } = postMovement(ctx, dep, {
    type,
    amount: dec(original.amount).negated(),
    valueDate: String(original.valueDate),
    body: { notes },
    fields: { originalTransactionKey: original.encodedKey, transferDetails: original.transferDetails },
    anyState: true,
    noFundsCheck: true,
  });
  ctx.store.replace("depositTransactions", { ...original, adjustmentTransactionKey: tx.encodedKey });
}

/** Splits `value` in proportion to `weights` (rounded to `dp`), the last part taking the remainder. */
function byWeights(value: Dec, weights: Dec[], dp: number): Dec[] {
  const total = sum(weights);
  if (!total.greaterThan(0)) return weights.map(() => ZERO);
  const parts = weights.map((w) => round(value.times(w).dividedBy(total), dp));
  parts[parts.length - 1] = value.minus(sum(parts.slice(0, -1)));
  return parts;
}

/** The commission (rate units) the organization keeps on the loan's funded interest, before a fund's own. */
function organizationCommission(ctx: EngineContext, loan: WireRecord): Dec {
  if (typeof loan.interestCommission === "number") return dec(loan.interestCommission);
  const key = loan.productTypeKey;
  const product = typeof key === "string" ? ctx.store.find("loanproducts", key) : undefined;
  const dflt = path(product, "fundingSettings", "organizationInterestCommission", "defaultValue");
  return typeof dflt === "number" ? dec(dflt) : ZERO;
}

/** Each fund's principal and net interest for a repayment's allocation, and the funders' interest total. */
export function funderShares(ctx: EngineContext, loan: WireRecord, principal: Dec, interest: Dec): { principal: Dec[]; interest: Dec[]; fundersInterest: Dec; fundedInterest: Dec } {
  const funds = fundsOf(loan);
  const { dp } = loanCurrency(loan);
  const amounts = funds.map((f) => dec(f.amount));
  const loanAmount = dec(loan.loanAmount);
  const principalParts = splitAmount(principal, amounts, loanAmount, dp);
  const interestParts = splitAmount(interest, amounts, loanAmount, dp);
  const rate = dec(path(loan, "interestSettings", "interestRate"));
  const orgCommission = organizationCommission(ctx, loan);
  const keep = funds.map((f, i) => {
    if (!rate.greaterThan(0)) return interestParts[i];
    const c = typeof f.interestCommission === "number" ? dec(f.interestCommission) : orgCommission;
    const capped = c.isNegative() ? ZERO : c.greaterThan(rate) ? rate : c;
    return interestParts[i].times(rate.minus(capped)).dividedBy(rate);
  });
  const fundersInterest = round(sum(keep), dp);
  return { principal: principalParts, interest: byWeights(fundersInterest, keep, dp), fundersInterest, fundedInterest: sum(interestParts) };
}

/** Posts a repayment's payouts on the funders' deposits; returns the deposit transactions' keys. */
function payOut(ctx: EngineContext, loan: WireRecord, repayment: WireRecord, principal: Dec, interest: Dec): string[] {
  const funds = fundsOf(loan);
  const { dp } = loanCurrency(loan);
  const shares = funderShares(ctx, loan, principal, interest);
  const keys: string[] = [];
  const notes = `repayment ${String(repayment.id)} of loan ${String(loan.id)}`;
  funds.forEach((f, i) => {
    const dep = ctx.store.find("deposits", String(f.depositAccountKey));
    if (!dep) return;
    for (const [type, amount] of [["LOAN_REPAID", shares.principal[i]], ["INTEREST_APPLIED", shares.interest[i]]] as Array<[string, Dec]>) {
      if (!amount.greaterThan(0)) continue;
      const { tx } = postMovement(ctx, dep, {
        type,
        amount,
        valueDate: String(repayment.valueDate),
        body: { notes },
        fields: { transferDetails: { linkedLoanTransactionKey: repayment.encodedKey } },
        anyState: true,
      });
      keys.push(tx.encodedKey);
    }
  });
  const affected = { ...((repayment.affectedAmounts as object) ?? {}) } as Record<string, unknown>;
  affected.fundersInterestAmount = num(shares.fundersInterest, dp);
  affected.organizationCommissionAmount = num(shares.fundedInterest.minus(shares.fundersInterest), dp);
  ctx.store.replace("loanTransactions", { ...repayment, affectedAmounts: affected });
  return keys;
}

/** Refunds the `LOAN_FUNDED` payments of an adjusted disbursement (once). */
function refund(ctx: EngineContext, loan: WireRecord, disbursement: WireRecord): void {
  const b = book(ctx);
  if (b.refunded.includes(disbursement.encodedKey)) return;
  b.refunded.push(disbursement.encodedKey);
  const paid = ctx.store
    .all("depositTransactions")
    .filter((t) => t.type === "LOAN_FUNDED" && path(t, "transferDetails", "linkedLoanTransactionKey") === disbursement.encodedKey);
  for (const t of paid) reverse(ctx, t.encodedKey, `disbursement of loan ${String(loan.id)} adjusted`);
}

/**
 * Brings the funders' deposits of a loan in line with its transactions (see the module comment): pays out new
 * repayments, reverses the payouts of adjusted ones, re-posts those of re-allocated ones, refunds the funds of an
 * adjusted disbursement. Idempotent; does nothing for a loan without funds.
 */
export function syncFunderPayouts(ctx: EngineContext, loanKey: string): void {
  const loan = ctx.store.find("loans", loanKey);
  // funds are fixed from approval on (funding.ts): a loan without funds now never had payouts
  if (!loan || fundsOf(loan).length === 0) return;
  const b = book(ctx);
  for (const t of loanTransactions(ctx, loan.encodedKey)) {
    if (t.type === "DISBURSEMENT" && t.adjustmentTransactionKey) {
      refund(ctx, loan, t);
      continue;
    }
    if (t.type !== "REPAYMENT") continue;
    const prior = ownValue(b.byRepayment, t.encodedKey) as Payout | undefined;
    const live = !t.adjustmentTransactionKey;
    const principal = live ? dec(path(t, "affectedAmounts", "principalAmount")) : ZERO;
    const interest = live ? dec(path(t, "affectedAmounts", "interestAmount")) : ZERO;
    if (prior && live && prior.principal === principal.toString() && prior.interest === interest.toString()) continue;
    if (!prior && !live) continue;
    if (prior) {
      const why = live ? `repayment ${String(t.id)} re-allocated` : `repayment ${String(t.id)} adjusted`;
      for (const k of prior.deposits) reverse(ctx, k, why);
      delete b.byRepayment[t.encodedKey];
    }
    if (live) {
      const deposits = payOut(ctx, loan, t, principal, interest);
      b.byRepayment[t.encodedKey] = { principal: principal.toString(), interest: interest.toString(), deposits };
    }
  }
}
