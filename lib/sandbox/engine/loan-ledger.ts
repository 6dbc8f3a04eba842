/**
 * The loan ledger: replays a loan's live transactions (not adjusted) in value-date order over its planned
 * schedule, giving paid amounts per installment and the effect of every transaction (affected amounts,
 * balances after it). Replaying from scratch keeps backdated repayments and adjustments exact: reversing a
 * transaction is just replaying without it.
 */
import { SandboxStore } from "../store";
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { compareInstant, daysBetween, localDate } from "./dates";
import { Allocatable, Elements, OrderName, allocate, outstandingElements, outstandingOf, reduce, totalOf, zeroElements } from "./allocation";
import { Dec, ZERO, currencyDecimals, dec, sum } from "./money";
import { StoredInstallment, StoredSchedule } from "./loan-schedule";
import { findCheckpoint, saveCheckpoint } from "./loan-ledger-checkpoint";

/** A replayed installment. */
export interface LedgerInstallment extends Allocatable {
  number: string;
  /** `YYYY-MM-DD`. */
  dueDate: string;
  /** ISO value date of the last transaction that paid it. */
  lastPaidDate?: string;
  /** ISO value date of the transaction that completed it. */
  repaidDate?: string;
}

/** The effect of one transaction at its place in the replay. */
export interface TxEffect {
  affected: Elements;
  principalBalance: Dec;
  totalBalance: Dec;
  /** Money a repayment could not allocate (excess). */
  left: Dec;
  /** Installment a fee/penalty was applied to. */
  installmentKey?: string;
  /** Redraw balance after the transaction (money paid in ahead, see PAYMENT_MADE). */
  redraw: Dec;
}

/** Result of a replay. */
export interface Ledger {
  installments: LedgerInstallment[];
  effects: Map<string, TxEffect>;
  disbursedAmount: Dec;
  disbursed: boolean;
  writtenOff: boolean;
  /** Totals paid over the loan's life. */
  paid: Elements;
  /** Redraw balance: PAYMENT_MADE in, WITHDRAWAL_REDRAW and REDRAW_REPAYMENT out. */
  redraw: Dec;
  /** Local date of a live ACCOUNT_TERMINATED (everything owed fell due then). */
  terminatedOn?: string;
}

/** How the replay treats money and interest. */
export interface LedgerOptions {
  order: OrderName[];
  method: "HORIZONTAL" | "VERTICAL";
  interestApplicationMethod: "AFTER_DISBURSEMENT" | "REPAYMENT_DUE_DATE";
  offset: string;
}

/** Transaction types that are themselves adjustments (never replayed, never adjustable). */
export function isAdjustmentType(type: unknown): boolean {
  return typeof type === "string" && type.endsWith("_ADJUSTMENT");
}

/** Orders transactions by value date, then by creation (numeric id, then insertion). */
export function byValueDate(a: WireRecord, b: WireRecord): number {
  const c = compareInstant(String(a.valueDate), String(b.valueDate));
  if (c !== 0) return c;
  const ia = a.id === undefined ? Number.MAX_SAFE_INTEGER : Number(a.id);
  const ib = b.id === undefined ? Number.MAX_SAFE_INTEGER : Number(b.id);
  return ia - ib;
}

/** Index of loan transaction keys by loan, per store; rebuilt when the collection's size is not what it knew. */
const txIndex = new WeakMap<SandboxStore, { count: number; byLoan: Map<string, string[]> }>();

function indexOf(store: SandboxStore): Map<string, string[]> {
  const count = store.count("loanTransactions");
  let idx = txIndex.get(store);
  if (!idx || idx.count !== count) {
    const byLoan = new Map<string, string[]>();
    for (const t of store.all("loanTransactions")) {
      const k = String(t.parentAccountKey);
      const list = byLoan.get(k);
      if (list) list.push(t.encodedKey);
      else byLoan.set(k, [t.encodedKey]);
    }
    idx = { count, byLoan };
    txIndex.set(store, idx);
  }
  return idx.byLoan;
}

/** Records a transaction just inserted by the engine in the index (keeps lookups O(transactions of the loan)). */
export function indexLoanTransaction(store: SandboxStore, tx: WireRecord): void {
  const idx = txIndex.get(store);
  if (!idx || idx.count !== store.count("loanTransactions") - 1) return; // stale: the next lookup rebuilds it
  const k = String(tx.parentAccountKey);
  const list = idx.byLoan.get(k);
  if (list) list.push(tx.encodedKey);
  else idx.byLoan.set(k, [tx.encodedKey]);
  idx.count += 1;
}

/** All transactions of a loan, in store order. */
export function loanTransactions(ctx: EngineContext, loanKey: string): WireRecord[] {
  const out: WireRecord[] = [];
  for (const key of indexOf(ctx.store).get(loanKey) ?? []) {
    const t = ctx.store.find("loanTransactions", key);
    if (t) out.push(t);
  }
  return out;
}

/** The live (not adjusted, not adjustment) transactions of a loan, in replay order. */
export function liveLoanTransactions(ctx: EngineContext, loanKey: string): WireRecord[] {
  return loanTransactions(ctx, loanKey)
    .filter((t) => !t.adjustmentTransactionKey && !isAdjustmentType(t.type))
    .sort(byValueDate);
}

function outstandingTotals(insts: LedgerInstallment[]): Elements {
  const o = zeroElements();
  for (const i of insts) {
    const e = outstandingElements(i);
    o.principal = o.principal.plus(e.principal);
    o.interest = o.interest.plus(e.interest);
    o.fee = o.fee.plus(e.fee);
    o.penalty = o.penalty.plus(e.penalty);
  }
  return o;
}

/** Balances at a date: principal, interest (per application method), fees and penalties outstanding. */
export function balancesAt(ledger: Pick<Ledger, "installments" | "disbursedAmount" | "writtenOff" | "disbursed">, date: string, method: LedgerOptions["interestApplicationMethod"]): Elements {
  if (!ledger.disbursed || ledger.writtenOff) return zeroElements();
  const totals = currentTotals(ledger);
  if (totals) {
    const o = totals.outstanding;
    const interest = method === "AFTER_DISBURSEMENT" ? o.interest : totals.interestDueBy(date);
    return { principal: ledger.disbursedAmount.minus(totals.principalPaid), interest, fee: o.fee, penalty: o.penalty };
  }
  return freshBalancesAt(ledger, date, method);
}

/** {@link balancesAt} summed over every installment (a disbursed loan not written off). */
function freshBalancesAt(ledger: Pick<Ledger, "installments" | "disbursedAmount" | "writtenOff" | "disbursed">, date: string, method: LedgerOptions["interestApplicationMethod"]): Elements {
  const o = outstandingTotals(ledger.installments);
  const interest =
    method === "AFTER_DISBURSEMENT"
      ? o.interest
      : sum(ledger.installments.filter((i) => i.dueDate <= date).map((i) => outstandingElements(i).interest));
  const principalPaid = sum(ledger.installments.map((i) => i.paid.principal));
  return { principal: ledger.disbursedAmount.minus(principalPaid), interest, fee: o.fee, penalty: o.penalty };
}

/** What {@link RunningTotals} last saw of an installment: its amounts (Decimals are immutable) and outstanding. */
interface Seen {
  expected: Elements;
  paid: Elements;
  outstanding: Elements;
}

const ELEMENTS = ["principal", "interest", "fee", "penalty"] as const;

/** Whether a sum of many such amounts stays exact at the engine's 34 significant digits (< 1e16, ≤ 12 decimals). */
function small(v: Dec): boolean {
  return v.e < 16 && v.decimalPlaces() <= 12;
}

/**
 * Outstanding totals and principal paid over a replay's installments, kept up to date from the installments
 * whose amounts changed since the last look (a changed amount is a new Decimal object) instead of summed afresh
 * after every transaction. The sums are exact (amounts below 1e16 with at most 12 decimals; anything else makes
 * {@link RunningTotals.refresh} answer false and the caller sums afresh), so they are the values a fresh sum gives.
 */
class RunningTotals {
  private readonly seen: Seen[] = [];
  readonly outstanding: Elements = zeroElements();
  principalPaid: Dec = ZERO;
  /** Cleared for good once an amount is out of the exact range. */
  private exact = true;

  /**
   * Totals over `installments`, which hold the plan's amounts (`start.parts`, nothing paid yet): they start from
   * the plan's totals (kept per plan) instead of a sum over every installment.
   */
  constructor(
    private readonly installments: LedgerInstallment[],
    start: PlanStart,
  ) {
    if (!start.exact) {
      this.exact = false;
      return;
    }
    const nothingPaid = zeroElements(); // the same (ZERO) amounts as each installment's `paid` now
    for (const p of start.parts) this.seen.push({ expected: p.amounts, paid: nothingPaid, outstanding: p.outstanding });
    this.outstanding = { ...start.outstanding };
  }

  /** A copy of the totals' state (what they last saw of each installment), for {@link RunningTotals.restored}. */
  snapshot(): TotalsState {
    return { seen: [...this.seen], outstanding: { ...this.outstanding }, principalPaid: this.principalPaid, exact: this.exact };
  }

  /** Totals over `installments` (copies of the ones `state` was taken over) in that state. */
  static restored(installments: LedgerInstallment[], start: PlanStart, state: TotalsState): RunningTotals {
    const totals = new RunningTotals(installments, { ...start, exact: false }); // nothing summed: the state is copied in
    totals.seen.push(...state.seen);
    Object.assign(totals.outstanding, state.outstanding);
    totals.principalPaid = state.principalPaid;
    totals.exact = state.exact;
    return totals;
  }

  /** Whether these are the totals of that array of installments. */
  covers(installments: LedgerInstallment[]): boolean {
    return installments === this.installments;
  }

  /** Brings the totals up to date; false when some amount is out of the exact range. */
  refresh(): boolean {
    if (!this.exact) return false;
    const insts = this.installments;
    for (let n = 0; n < insts.length; n++) {
      const i = insts[n];
      const s = this.seen[n];
      if (s && sameAmounts(s.expected, i.expected) && sameAmounts(s.paid, i.paid)) continue;
      const out = outstandingElements(i);
      if (!ELEMENTS.every((e) => small(out[e])) || !small(i.paid.principal)) return (this.exact = false);
      const o = this.outstanding;
      if (s) {
        for (const e of ELEMENTS) o[e] = o[e].minus(s.outstanding[e]).plus(out[e]);
        this.principalPaid = this.principalPaid.minus(s.paid.principal).plus(i.paid.principal);
      } else {
        for (const e of ELEMENTS) o[e] = o[e].plus(out[e]);
        this.principalPaid = this.principalPaid.plus(i.paid.principal);
      }
      this.seen[n] = { expected: { ...i.expected }, paid: { ...i.paid }, outstanding: out };
    }
    return true;
  }

  /** The outstanding amounts of installments due on or before `date`, summed in installment order. */
  dueBy(date: string): Elements {
    const due = zeroElements();
    for (let n = 0; n < this.installments.length; n++) {
      if (this.installments[n].dueDate > date) continue;
      const o = this.seen[n].outstanding;
      due.principal = due.principal.plus(o.principal);
      due.interest = due.interest.plus(o.interest);
      due.fee = due.fee.plus(o.fee);
      due.penalty = due.penalty.plus(o.penalty);
    }
    return due;
  }

  /** The outstanding interest of installments due on or before `date` (REPAYMENT_DUE_DATE interest). */
  interestDueBy(date: string): Dec {
    let total = ZERO;
    for (let n = 0; n < this.installments.length; n++) {
      if (this.installments[n].dueDate <= date) total = total.plus(this.seen[n].outstanding.interest);
    }
    return total;
  }
}

/** The state of {@link RunningTotals} (its `seen` entries are never changed, only replaced). */
interface TotalsState {
  seen: Seen[];
  outstanding: Elements;
  principalPaid: Dec;
  exact: boolean;
}

function sameAmounts(a: Elements, b: Elements): boolean {
  return a.principal === b.principal && a.interest === b.interest && a.fee === b.fee && a.penalty === b.penalty;
}

/** The running totals of the replay that made `ledger` (over its installments), brought up to date; undefined when not exact. */
const replayTotals = new WeakMap<object, RunningTotals>();

function currentTotals(ledger: Pick<Ledger, "installments">): RunningTotals | undefined {
  const totals = replayTotals.get(ledger);
  return totals && totals.covers(ledger.installments) && totals.refresh() ? totals : undefined;
}

/** The planned amounts of a stored installment as Decimals, with the numbers they were made from. */
interface PlannedAmounts {
  from: [number, number, number, number];
  amounts: Elements;
  /** Outstanding with nothing paid. */
  outstanding: Elements;
}

/** The starting point of a plan's replays: its installments' planned amounts and their outstanding totals. */
interface PlanStart {
  parts: PlannedAmounts[];
  outstanding: Elements;
  /** Whether every amount is in the range where running sums are exact (see {@link RunningTotals}). */
  exact: boolean;
  /** The plan's installment records the parts were made from (in order). */
  from: StoredInstallment[];
}

const planStarts = new WeakMap<StoredSchedule, PlanStart>();

/** The plan's planned amounts and totals (kept per plan while its installments and their amounts are the same). */
function planStart(plan: StoredSchedule): PlanStart {
  const known = planStarts.get(plan);
  if (known && sameInstallments(known, plan.installments)) return known;
  const parts = plan.installments.map(plannedAmounts);
  const outstanding = zeroElements();
  let exact = true;
  for (const p of parts) {
    for (const e of ELEMENTS) {
      if (!small(p.outstanding[e])) exact = false;
      outstanding[e] = outstanding[e].plus(p.outstanding[e]);
    }
  }
  const start = { parts, outstanding, exact, from: [...plan.installments] };
  planStarts.set(plan, start);
  return start;
}

/** Whether `installments` are the records `start` was made from, with the amounts its parts were parsed from. */
function sameInstallments(start: PlanStart, installments: StoredInstallment[]): boolean {
  if (installments.length !== start.from.length) return false;
  for (let n = 0; n < installments.length; n++) {
    const s = installments[n];
    const f = start.parts[n].from;
    if (s !== start.from[n] || f[0] !== s.principal || f[1] !== s.interest || f[2] !== s.fee || f[3] !== s.penalty) return false;
  }
  return true;
}

const planned = new WeakMap<StoredInstallment, PlannedAmounts>();

/**
 * A stored installment's planned amounts as Decimals (shared by replays: they are immutable; each replay copies
 * the Elements object), parsed once per installment record and reused while its four numbers are the same.
 */
function plannedAmounts(s: StoredInstallment): PlannedAmounts {
  let p = planned.get(s);
  if (!p || p.from[0] !== s.principal || p.from[1] !== s.interest || p.from[2] !== s.fee || p.from[3] !== s.penalty) {
    const amounts = { principal: amountOf(s.principal), interest: amountOf(s.interest), fee: amountOf(s.fee), penalty: amountOf(s.penalty) };
    // outstanding with nothing paid: each amount itself (0 when negative), as outstandingOf(amount − 0) gives
    const outstanding = { principal: owed(amounts.principal), interest: owed(amounts.interest), fee: owed(amounts.fee), penalty: owed(amounts.penalty) };
    p = { from: [s.principal, s.interest, s.fee, s.penalty], amounts, outstanding };
    planned.set(s, p);
  }
  return p;
}

/** A stored planned amount as a Decimal (the shared ZERO for 0, most fees and penalties). */
function amountOf(v: number): Dec {
  return Object.is(v, 0) ? ZERO : dec(v);
}

function owed(amount: Dec): Dec {
  return amount.isNegative() ? ZERO : amount;
}

/** Where a replay stood after some transactions: a copy of its ledger, running totals and disbursement day. */
interface ReplayState {
  ledger: Ledger;
  totals: TotalsState;
  start: string | undefined;
}

/** A copy of a ledger sharing nothing that changes (installments' amounts and the effects map are copied). */
function copyLedger(l: Ledger): Ledger {
  return { ...l, installments: l.installments.map((i) => ({ ...i, expected: { ...i.expected }, paid: { ...i.paid } })), effects: new Map(l.effects), paid: { ...l.paid } };
}

/**
 * Replays `txs` (live, in order) over `plan` — from the checkpoint of an earlier replay of the same plan whose
 * transactions are the first of `txs` (loan-ledger-checkpoint.ts), otherwise from the start.
 */
export function replayLoan(plan: StoredSchedule, txs: WireRecord[], opts: LedgerOptions): Ledger {
  const origin = planStart(plan);
  const from = txs.length > 0 ? findCheckpoint(plan, origin, txs, opts) : undefined;
  let ledger: Ledger;
  let start: string | undefined;
  let totals: RunningTotals;
  if (from) {
    const state = from.state as ReplayState;
    ledger = copyLedger(state.ledger);
    totals = RunningTotals.restored(ledger.installments, origin, state.totals);
    start = state.start;
  } else {
    const fresh: LedgerInstallment[] = plan.installments.map((s, n) => ({
      encodedKey: s.encodedKey,
      number: s.number,
      dueDate: s.dueDate,
      expected: { ...origin.parts[n].amounts },
      paid: zeroElements(),
    }));
    ledger = { installments: fresh, effects: new Map(), disbursedAmount: ZERO, disbursed: false, writtenOff: false, paid: zeroElements(), redraw: ZERO };
    totals = new RunningTotals(fresh, origin);
  }
  const installments = ledger.installments;
  const dp = currencyDecimals(plan.currency);
  replayTotals.set(ledger, totals);
  const firstOpen = () => installments.find((i) => totalOf(outstandingElements(i)).greaterThan(0)) ?? installments[installments.length - 1];

  for (let n = from?.replayed ?? 0; n < txs.length; n++) {
    const tx = txs[n];
    const amount = dec(tx.amount);
    const date = String(tx.valueDate);
    let affected = zeroElements();
    let left = ZERO;
    let installmentKey: string | undefined;
    switch (tx.type) {
      case "DISBURSEMENT": {
        ledger.disbursed = true;
        ledger.disbursedAmount = amount;
        start = localDate(date, opts.offset);
        // fees charged at disbursement (except upfront ones, paid out of the disbursed amount) fall due with installment 1
        const fees = Array.isArray(tx.fees) ? (tx.fees as Array<{ amount?: unknown; trigger?: unknown }>) : [];
        const due = sum(fees.filter((f) => f.trigger !== "UPFRONT_DISBURSEMENT").map((f) => dec(f.amount)));
        if (due.greaterThan(0) && installments.length > 0) {
          installments[0].expected.fee = installments[0].expected.fee.plus(due);
        }
        affected = { ...affected, principal: amount, fee: due };
        break;
      }
      case "REPAYMENT":
      case "REDRAW_REPAYMENT": {
        if (tx.type === "REDRAW_REPAYMENT") ledger.redraw = ledger.redraw.minus(amount);
        const only = typeof tx.installmentEncodedKey === "string" ? installments.filter((i) => i.encodedKey === tx.installmentEncodedKey) : installments;
        const a = allocate(only, amount, opts.order, opts.method);
        affected = a.affected;
        left = a.left;
        for (const inst of installments) {
          if (!a.touched.has(inst.encodedKey)) continue;
          inst.lastPaidDate = date;
          if (totalOf(outstandingElements(inst)).isZero()) inst.repaidDate = date;
        }
        break;
      }
      case "FEE_APPLIED":
      case "PENALTY_APPLIED": {
        const target = installments.find((i) => i.encodedKey === tx.installmentEncodedKey) ?? firstOpen();
        if (target) {
          const e = tx.type === "FEE_APPLIED" ? "fee" : "penalty";
          target.expected[e] = target.expected[e].plus(amount);
          delete target.repaidDate;
          affected = { ...affected, [e]: amount };
          installmentKey = target.encodedKey;
        }
        break;
      }
      case "INTEREST_APPLIED":
        // the schedule holds the interest already: the application moves no balance, it shows its amount
        affected = { ...affected, interest: amount };
        break;
      case "INTEREST_DUE_REDUCED":
        affected = { ...affected, interest: reduce(installments, "interest", amount) };
        break;
      case "FEES_DUE_REDUCED":
        affected = { ...affected, fee: reduce(installments, "fee", amount) };
        break;
      case "PENALTIES_DUE_REDUCED":
        affected = { ...affected, penalty: reduce(installments, "penalty", amount) };
        break;
      case "WRITE_OFF":
        affected = balancesAt(ledger, "9999-12-31", "AFTER_DISBURSEMENT");
        ledger.writtenOff = true;
        break;
      case "PAYMENT_MADE":
        ledger.redraw = ledger.redraw.plus(amount);
        break;
      case "WITHDRAWAL_REDRAW":
        ledger.redraw = ledger.redraw.minus(amount);
        break;
      case "TRANSFER":
        affected = transferOut(installments, amount, date, opts);
        break;
      case "ACCOUNT_TERMINATED":
        affected = terminate(installments, localDate(date, opts.offset), opts, start, dp);
        ledger.terminatedOn = localDate(date, opts.offset);
        break;
      default:
        break;
    }
    if (tx.type === "REPAYMENT" || tx.type === "REDRAW_REPAYMENT") {
      ledger.paid.principal = ledger.paid.principal.plus(affected.principal);
      ledger.paid.interest = ledger.paid.interest.plus(affected.interest);
      ledger.paid.fee = ledger.paid.fee.plus(affected.fee);
      ledger.paid.penalty = ledger.paid.penalty.plus(affected.penalty);
    }
    // from the replay's running totals (balancesAt finds them) while they are exact
    const b = balancesAt(ledger, localDate(date, opts.offset), opts.interestApplicationMethod);
    ledger.effects.set(tx.encodedKey, { affected, principalBalance: b.principal, totalBalance: totalOf(b), left, installmentKey, redraw: ledger.redraw });
  }
  if (txs.length > 0 && from?.replayed !== txs.length) {
    // a copy of exactly where this replay stands (its running totals too), to continue from
    const state: ReplayState = { ledger: copyLedger(ledger), totals: totals.snapshot(), start };
    saveCheckpoint(plan, origin, txs, opts, state);
  }
  return ledger;
}

/**
 * A restructure's TRANSFER (reschedule/refinance: the balances move to the new account): interest not applied yet
 * (REPAYMENT_DUE_DATE interest of installments due after `day`) is no longer owed, then `amount` settles fees,
 * penalties, interest and principal in that order, oldest installments first. What it leaves (a principal
 * write-off) is closed by the WRITE_OFF the restructure posts after it. `date` is the transaction's value date.
 */
function transferOut(installments: LedgerInstallment[], amount: Dec, date: string, opts: LedgerOptions): Elements {
  const day = localDate(date, opts.offset);
  if (opts.interestApplicationMethod === "REPAYMENT_DUE_DATE") {
    for (const i of installments) if (i.dueDate > day) i.expected.interest = i.paid.interest;
  }
  const a = allocate(installments, amount, ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"], "VERTICAL");
  for (const i of installments) if (a.touched.has(i.encodedKey) && totalOf(outstandingElements(i)).isZero()) i.repaidDate ??= date;
  return a.affected;
}

/**
 * ACCOUNT_TERMINATED on `day`: everything owed falls due that day — installments due later take `day` as due date;
 * REPAYMENT_DUE_DATE interest is charged up to `day` (the running period pro rata of its days, later periods
 * none). Returns the interest that fell due with the termination.
 */
function terminate(installments: LedgerInstallment[], day: string, opts: LedgerOptions, start: string | undefined, dp: number): Elements {
  const affected = zeroElements();
  let previous = start;
  let first = true;
  for (const i of installments) {
    if (i.dueDate <= day) {
      previous = i.dueDate;
      continue;
    }
    if (opts.interestApplicationMethod === "REPAYMENT_DUE_DATE") {
      const owed = outstandingOf(i, "interest");
      let keep = ZERO;
      if (first && previous !== undefined) {
        const period = daysBetween(previous, i.dueDate);
        if (period > 0) keep = owed.times(Math.max(0, daysBetween(previous, day))).dividedBy(period).toDecimalPlaces(dp);
      }
      i.expected.interest = i.paid.interest.plus(keep);
      affected.interest = affected.interest.plus(keep);
    }
    first = false;
    i.dueDate = day;
  }
  return affected;
}

/**
 * What is outstanding on the installments due on or before `date` (a disbursed loan not written off), from the
 * replay's running totals; undefined when the ledger has none (sum the installments then).
 */
export function outstandingDueBy(ledger: Ledger, date: string): Elements | undefined {
  return currentTotals(ledger)?.dueBy(date);
}

/** Everything still owed on the loan (all installments, whatever their due date). */
export function totalOutstanding(ledger: Ledger): Elements {
  if (!ledger.disbursed || ledger.writtenOff) return zeroElements();
  const totals = currentTotals(ledger);
  if (totals) return { ...totals.outstanding };
  return outstandingTotals(ledger.installments);
}
