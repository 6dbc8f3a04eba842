/**
 * Penalties on late installments, as the loan product's `penaltySettings` say, accrued on the sandbox clock.
 *
 * Settings: the product's `penaltySettings.loanPenaltyCalculationMethod` (NONE — the default — computes nothing),
 * its `penaltySettings.loanPenaltyGracePeriod` (days late before penalties start, default 0), and the rate: the
 * loan's own `penaltySettings.penaltyRate`, else the product's `penaltySettings.penaltyRate.defaultValue`, in
 * percent per year.
 *
 * Formula. The daily rate is `penaltyRate / 100 / daysInYear`, `daysInYear` from the product's
 * `interestSettings.daysInYear` (365, or 360 / 364 for ACTUAL_360 / E30_360 / ACTUAL_364). Each day `d` on which an
 * installment is more than the grace period late (`d > dueDate + loanPenaltyGracePeriod`) charges the installment
 * `base × dailyRate`, where `base` is taken at the start of day `d` (after every transaction valued before `d`):
 * - `OVERDUE_BALANCE`: the installment's principal still owed;
 * - `OVERDUE_BALANCE_AND_INTEREST`: the installment's principal and interest still owed;
 * - `OUTSTANDING_PRINCIPAL`: the loan's whole outstanding principal, charged once a day to the oldest installment
 *   that is still owed something (principal, interest or fees) and late beyond the grace period.
 * An installment's penalty is the sum over its days, rounded half-up to the currency's decimals once (not per day):
 * e.g. 1 000.00 overdue at 36 % a year (365 days) for 10 days → 1000 × 0.36 / 365 × 10 = 9.86.
 *
 * Posting. {@link accruePenalties} runs with the daily arrears refresh (./arrears.ts, before each `/loans` request):
 * it recomputes each installment's penalty up to the clock's day and posts the difference with what was already
 * applied as one `PENALTY_APPLIED` transaction per installment, valued at the start of the day (so a repayment made
 * that day pays it first: fee → penalty → interest → principal by default). A run after a clock jump of many days
 * posts those days at once; the total does not depend on how often it runs. Penalties already posted are kept when a
 * later, backdated repayment lowers the base of past days (the sandbox does not re-apply them as Mambu does); when an
 * adjusted repayment raises it, the next run charges the difference. A PENALTY_APPLIED reversed by an adjustment
 * (`POST /loans/transactions/{id}:adjust`) is waived: it is not charged again. No penalty accrues on the days after a
 * PENALTY_LOCKED (a lock of APPLY_PENALTIES, `POST /loans/{id}/lock-transactions`) until the PENALTY_UNLOCKED.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { addDays, daysBetween, localDate, startOfDay } from "./dates";
import { outstandingElements } from "./allocation";
import { commitTransaction, LoanFrame, newLoanTransaction } from "./loan-common";
import { Ledger, balancesAt, liveLoanTransactions, loanTransactions, replayLoan } from "./loan-ledger";
import { Dec, ZERO, dec, num, round } from "./money";
import { PenaltyMethod, path } from "./products";

/** What the penalty computation of one loan needs. */
export interface PenaltyTerms {
  method: Exclude<PenaltyMethod, "NONE">;
  /** Percent per year. */
  rate: Dec;
  /** Days late before penalties accrue. */
  graceDays: number;
  daysInYear: number;
}

/** The penalty terms of a loan, or undefined when it accrues none (method NONE, or no positive rate). */
export function penaltyTermsOf(frame: LoanFrame): PenaltyTerms | undefined {
  const p = frame.settings.penalty;
  if (p.method === "NONE") return undefined;
  const own = path(frame.loan, "penaltySettings", "penaltyRate");
  const rate = typeof own === "number" ? dec(own) : p.rate.default;
  if (!rate || !rate.greaterThan(0)) return undefined;
  return { method: p.method, rate, graceDays: p.gracePeriod, daysInYear: frame.settings.daysInYear };
}

/** Transaction types that change no penalty base (no principal or interest owed moves). */
const BASE_NEUTRAL = new Set(["PENALTY_APPLIED", "FEE_APPLIED", "INTEREST_RATE_CHANGED", "TERMS_CHANGED", "DUE_DATE_CHANGED", "PENALTY_RATE_CHANGED", "BRANCH_CHANGED"]);

/** Whether penalties are locked after the first `j` transactions (the last PENALTY_LOCKED / PENALTY_UNLOCKED says). */
function lockedAfter(txs: WireRecord[], j: number): boolean {
  for (let k = j - 1; k >= 0; k--) {
    if (txs[k].type === "PENALTY_LOCKED") return true;
    if (txs[k].type === "PENALTY_UNLOCKED") return false;
  }
  return false;
}

/** The base of one day's penalty for an installment of a replayed ledger (see the module comment). */
function baseOf(method: PenaltyTerms["method"], ledger: Ledger, index: number): Dec {
  const o = outstandingElements(ledger.installments[index]);
  if (method === "OVERDUE_BALANCE") return o.principal;
  if (method === "OVERDUE_BALANCE_AND_INTEREST") return o.principal.plus(o.interest);
  return balancesAt(ledger, "9999-12-31", "AFTER_DISBURSEMENT").principal;
}

/**
 * Penalty owed per installment (encodedKey → unrounded amount) from the loan's live transactions `txs` (replay
 * order) up to `today`, excluding nothing: PENALTY_APPLIED transactions take part in the replay (they change how
 * repayments are allocated) but not in the base.
 */
export function penaltyAccrual(frame: LoanFrame, txs: WireRecord[], terms: PenaltyTerms, today: string): Map<string, Dec> {
  const off = frame.opts.offset;
  const acc = new Map<string, Dec>();
  const days = txs.map((t) => localDate(String(t.valueDate), off));
  if (!txs.some((t) => t.type === "DISBURSEMENT")) return acc;
  const daily = terms.rate.dividedBy(100).dividedBy(terms.daysInYear);
  const terminated = txs.findIndex((t) => t.type === "ACCOUNT_TERMINATED");
  // the state after the transactions of a day holds for the days after it, up to the next day with a transaction
  // that can change a base (penalties, fees and zero-amount records of settings changes cannot)
  const moves = (k: number) => !BASE_NEUTRAL.has(String(txs[k].type));
  let i = txs.findIndex((_, k) => moves(k));
  while (i >= 0 && i < txs.length && days[i] < today) {
    let j = i;
    while (j < txs.length && (days[j] === days[i] || !moves(j))) j++;
    const from = days[i];
    const to = j < txs.length && days[j] < today ? days[j] : today;
    const ledger = replayLoan(frame.plan, txs.slice(0, j), frame.opts);
    const locked = lockedAfter(txs, j);
    i = j;
    if (locked || !ledger.disbursed || ledger.writtenOff || (terminated >= 0 && terminated < j)) continue;
    const owedSomething = (k: number) => {
      const o = outstandingElements(ledger.installments[k]);
      return o.principal.plus(o.interest).plus(o.fee).greaterThan(0);
    };
    const candidates = ledger.installments.map((_, k) => k).filter(owedSomething);
    const charged = terms.method === "OUTSTANDING_PRINCIPAL" ? candidates.slice(0, 1) : candidates;
    for (const k of charged) {
      const inst = ledger.installments[k];
      const start = addDays(inst.dueDate, terms.graceDays);
      const n = daysBetween(start > from ? start : from, to);
      if (n <= 0) continue;
      const base = baseOf(terms.method, ledger, k);
      if (!base.greaterThan(0)) continue;
      acc.set(inst.encodedKey, (acc.get(inst.encodedKey) ?? ZERO).plus(base.times(daily).times(n)));
    }
  }
  return acc;
}

/**
 * The penalties still to post, per installment (encodedKey → amount > 0): each installment's accrued total
 * (`owed`, from {@link penaltyAccrual}) rounded half-up to `dp` decimals once, less the PENALTY_APPLIED amounts of
 * `transactions` (all the loan's transactions: adjusted ones count too, so a penalty reversed by an adjustment is
 * waived, not charged again). Installments with nothing more to post are left out; the order is `owed`'s.
 * Used by {@link accruePenalties} (what it posts) and the pay-off preview (what the days until its date will post).
 */
export function unappliedPenalties(owed: ReadonlyMap<string, Dec>, transactions: readonly WireRecord[], dp: number): Map<string, Dec> {
  const applied = new Map<string, Dec>();
  for (const t of transactions) {
    if (t.type !== "PENALTY_APPLIED" || typeof t.installmentEncodedKey !== "string") continue;
    applied.set(t.installmentEncodedKey, (applied.get(t.installmentEncodedKey) ?? ZERO).plus(dec(t.amount)));
  }
  const due = new Map<string, Dec>();
  for (const [key, total] of owed) {
    const delta = round(total, dp).minus(applied.get(key) ?? ZERO);
    if (delta.greaterThan(0)) due.set(key, delta);
  }
  return due;
}

/**
 * Posts the penalties a running loan owes up to the clock's day and has not been charged yet (one PENALTY_APPLIED
 * per installment, valued at the start of the day). Returns whether anything was posted.
 */
export function accruePenalties(ctx: EngineContext, frame: LoanFrame): boolean {
  const terms = penaltyTermsOf(frame);
  if (!terms) return false;
  const today = ctx.clock.today();
  const txs = liveLoanTransactions(ctx, frame.loan.encodedKey);
  const owed = penaltyAccrual(frame, txs, terms, today);
  if (owed.size === 0) return false;
  const due = unappliedPenalties(owed, loanTransactions(ctx, frame.loan.encodedKey), frame.dp);
  let posted = false;
  for (const inst of frame.plan.installments) {
    const delta = due.get(inst.encodedKey);
    if (!delta) continue;
    const tx = newLoanTransaction(ctx, frame.loan, "PENALTY_APPLIED", num(delta, frame.dp), startOfDay(today, ctx.clock.offset), {
      notes: `Penalty on installment ${inst.number}`,
    });
    tx.installmentEncodedKey = inst.encodedKey;
    commitTransaction(ctx, tx);
    posted = true;
  }
  return posted;
}

