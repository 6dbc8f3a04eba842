/**
 * Schedule endpoints: `GET /loans/{loanAccountId}/schedule` (`LoanAccountSchedule`), the schedule edit of
 * newer Mambu versions (`PUT /loans/{loanAccountId}/schedule`, before disbursement), `POST /loans:previewSchedule`
 * (`PreviewLoanAccountSchedule`), `GET /installments?dueFrom&dueTo`, and `:applyInterest` (interest is
 * schedule-based here: applying it posts the scheduled interest due so far as INTEREST_APPLIED and sets
 * `lastInterestAppliedDate`, the balances unchanged).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { localDate, parseDateInput, parseDateTimeInput } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { RUNNING, commitTransaction, frameOf, loanCurrency, newLoanTransaction, replay, requireLoan, syncLoan, touch } from "./loan-common";
import { isDisbursed } from "./loan-disburse";
import { liveLoanTransactions, replayLoan, Ledger } from "./loan-ledger";
import { StoredInstallment, derivedKey, disbursementFees, firstInstallmentFeeTotal, loanProductOf, loanScheduleTerms, pendingDisbursementFees, planOf, saveSchedule } from "./loan-schedule";
import { installmentWire } from "./loan-view";
import { D, currencyDecimals, dec, num, sum } from "./money";
import { loanProductSettings, path } from "./products";
import { ScheduleTerms, computeSchedule } from "./schedule";
import { reschedulingOf } from "./working-days";

/** The replayed ledger of a loan for display: live transactions if disbursed, the plan (+ pending fees) otherwise. */
function displayLedger(ctx: EngineContext, loan: WireRecord): Ledger {
  const frame = frameOf(ctx, loan);
  if (isDisbursed(loan)) return replay(ctx, frame);
  const ledger = replayLoan(frame.plan, [], frame.opts);
  const fees = pendingDisbursementFees(ctx, loan);
  if (fees.greaterThan(0) && ledger.installments.length > 0) {
    ledger.installments[0].expected.fee = ledger.installments[0].expected.fee.plus(fees);
  }
  return ledger;
}

/** A loan's schedule in the wire shape of `LoanAccountSchedule`. */
export function scheduleOf(ctx: EngineContext, loan: WireRecord): { currency: { code: string }; installments: Array<Record<string, unknown>> } {
  const { code, dp } = loanCurrency(loan);
  const today = ctx.clock.today();
  const ledger = displayLedger(ctx, loan);
  return { currency: { code }, installments: ledger.installments.map((i) => installmentWire(i, loan.encodedKey, today, ctx.clock.offset, dp)) };
}

/** `GET /loans/{loanAccountId}/schedule`. */
export function getLoanSchedule(ctx: EngineContext, loanId: string) {
  return scheduleOf(ctx, requireLoan(ctx, loanId));
}

function expectedOf(inst: Record<string, unknown>, element: string): number | undefined {
  const v = path(inst, element, "amount", "expected");
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw invalidParameters(`${element}.amount.expected must be a non-negative number`);
  return v;
}

/**
 * Edits the schedule of a loan not yet disbursed (body: `[Installment]` or `{installments: [...]}`): installments
 * matched by encodedKey or number get the given dueDate and expected amounts; new numbers are appended. The
 * principal must add up to the loan amount. The loan gets `scheduleSettings.hasCustomSchedule = true`.
 */
export function editLoanSchedule(ctx: EngineContext, loanId: string, body: unknown) {
  const loan = requireLoan(ctx, loanId);
  if (!["PARTIAL_APPLICATION", "PENDING_APPROVAL", "APPROVED"].includes(String(loan.accountState))) {
    throw mambuError("INVALID_ACCOUNT_STATE", `the schedule of a ${String(loan.accountState)} loan cannot be edited here`);
  }
  const input = Array.isArray(body) ? body : Array.isArray((body as { installments?: unknown })?.installments) ? (body as { installments: unknown[] }).installments : undefined;
  if (!input) throw invalidParameters("a list of installments is required");
  const { code, dp } = loanCurrency(loan);
  const off = ctx.clock.offset;
  const plan = planOf(ctx, loan);
  const fees = pendingDisbursementFees(ctx, loan);
  const rows: StoredInstallment[] = plan.installments.map((i, k) => ({ ...i, fee: k === 0 ? num(dec(i.fee).plus(fees), dp) : i.fee }));
  for (const raw of input) {
    if (!raw || typeof raw !== "object") throw invalidParameters("installments must be objects");
    const inst = raw as Record<string, unknown>;
    let row = rows.find((r) => typeof inst.encodedKey === "string" && r.encodedKey === inst.encodedKey) ?? rows.find((r) => inst.number !== undefined && r.number === String(inst.number));
    if (!row) {
      if (inst.encodedKey !== undefined) throw invalidParameters(`installment ${String(inst.encodedKey)} is not part of the schedule`);
      row = { encodedKey: "", number: String(rows.length + 1), dueDate: "", principal: 0, interest: 0, fee: 0, penalty: 0 };
      rows.push(row);
    }
    if (inst.dueDate !== undefined) {
      const v = String(inst.dueDate);
      row.dueDate = /^\d{4}-\d{2}-\d{2}$/.test(v) ? (parseDateInput(v, "dueDate") as string) : localDate(parseDateTimeInput(v, off, "dueDate") as string, off);
    }
    for (const e of ["principal", "interest", "fee", "penalty"] as const) {
      const x = expectedOf(inst, e);
      if (x !== undefined) row[e] = num(dec(x), dp);
    }
  }
  if (rows.some((r) => r.dueDate === "")) throw invalidParameters("new installments need a dueDate");
  rows.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  for (let k = 1; k < rows.length; k++) {
    if (rows[k].dueDate === rows[k - 1].dueDate) throw invalidParameters(`two installments are due on ${rows[k].dueDate}`);
  }
  const principal = sum(rows.map((r) => dec(r.principal)));
  if (!principal.equals(dec(loan.loanAmount))) {
    throw mambuError("INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT", `principal ${principal.toFixed(dp)} ≠ loan amount ${dec(loan.loanAmount).toFixed(dp)}`);
  }
  rows.forEach((r, k) => {
    r.number = String(k + 1);
    if (!r.encodedKey) r.encodedKey = ctx.store.newEncodedKey();
  });
  if (rows.length > 0) rows[0].fee = num(new D(rows[0].fee).minus(fees).clampedTo(0, Infinity), dp);
  saveSchedule(ctx, loan.encodedKey, { currency: code, custom: true, installments: rows });
  const ss = { ...((loan.scheduleSettings as Record<string, unknown>) ?? {}), hasCustomSchedule: true, repaymentInstallments: rows.length };
  const dd = { ...((loan.disbursementDetails as Record<string, unknown>) ?? {}) };
  if (rows.length > 0) dd.firstRepaymentDate = `${rows[0].dueDate}T00:00:00${off}`;
  const updated = touch(ctx, loan, { scheduleSettings: ss, disbursementDetails: dd });
  return scheduleOf(ctx, updated);
}

/**
 * Computes a schedule for terms that are not a loan yet (`PreviewLoanAccountSchedule`: productTypeKey,
 * loanAmount, interestSettings, scheduleSettings, disbursementDetails), product defaults filling the gaps.
 * Installments have no encodedKey. Required disbursement fees are due with the first installment.
 */
export function previewSchedule(product: WireRecord, terms: Record<string, unknown>, today: string, offset: string, rescheduling?: ScheduleTerms["rescheduling"]) {
  const settings = loanProductSettings(product);
  const fake: WireRecord = {
    encodedKey: "preview",
    loanAmount: terms.loanAmount,
    currency: { code: settings.currency },
    interestSettings: terms.interestSettings ?? {},
    scheduleSettings: terms.scheduleSettings ?? {},
  };
  const dd = (terms.disbursementDetails ?? {}) as Record<string, unknown>;
  const expected = parseDateTimeInput(dd.expectedDisbursementDate, offset, "disbursementDetails.expectedDisbursementDate");
  const first = parseDateTimeInput(dd.firstRepaymentDate, offset, "disbursementDetails.firstRepaymentDate");
  const start = expected ? localDate(expected, offset) : today;
  if (first && localDate(first, offset) <= start) {
    throw mambuError("FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE", "firstRepaymentDate must be after the expected disbursement date");
  }
  const fees = firstInstallmentFeeTotal(disbursementFees(settings, dec(terms.loanAmount), []));
  const plan = computeSchedule({ ...loanScheduleTerms(fake, settings, start, first ? localDate(first, offset) : undefined, fees), rescheduling });
  const dp = currencyDecimals(settings.currency);
  const ledger = replayLoan(
    { currency: settings.currency, custom: false, installments: plan.map((p) => ({ encodedKey: derivedKey("preview", String(p.number)), number: String(p.number), dueDate: p.dueDate, principal: num(p.principal, dp), interest: num(p.interest, dp), fee: num(p.fee, dp), penalty: 0 })) },
    [],
    { order: settings.allocationOrder, method: settings.paymentMethod, interestApplicationMethod: settings.interestApplicationMethod, offset },
  );
  return {
    currency: { code: settings.currency },
    installments: ledger.installments.map((i) => {
      const w = installmentWire(i, "", today, offset, dp);
      delete w.encodedKey;
      delete w.parentAccountKey;
      return w;
    }),
  };
}

/** `POST /loans:previewSchedule`. */
export function previewScheduleRequest(ctx: EngineContext, body: Record<string, unknown> | undefined) {
  if (!body || typeof body !== "object") throw invalidParameters("a PreviewLoanAccountSchedule body is required");
  if (body.loanAmount === undefined) throw invalidParameters("loanAmount is required");
  const product = loanProductOf(ctx, body.productTypeKey);
  return previewSchedule(product, body, ctx.clock.today(), ctx.clock.offset, reschedulingOf(ctx, product));
}

/** `GET /installments?dueFrom=YYYY-MM-DD&dueTo=YYYY-MM-DD` over all disbursed loans (offset/limit paging). */
export function listInstallments(ctx: EngineContext, query: Record<string, string>): { items: unknown[]; total: number } {
  const from = parseDateInput(query.dueFrom, "dueFrom");
  const to = parseDateInput(query.dueTo, "dueTo");
  if (!from || !to) throw invalidParameters("dueFrom and dueTo are required");
  if (from > to) throw mambuError("INVALID_PARAMETERS", "dueFrom is after dueTo");
  const offset = query.offset !== undefined ? Number(query.offset) : 0;
  const limit = query.limit !== undefined ? Number(query.limit) : 50;
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameters("offset must be a non-negative integer");
  if (!Number.isInteger(limit) || limit < 0) throw invalidParameters("limit must be a non-negative integer");
  const out: Array<Record<string, unknown>> = [];
  for (const loan of ctx.store.all("loans")) {
    if (!isDisbursed(loan)) continue;
    try {
      for (const inst of scheduleOf(ctx, loan).installments) {
        const due = String(inst.dueDate).slice(0, 10);
        if (due >= from && due <= to) out.push(inst);
      }
    } catch {
      // skip loans whose product is gone
    }
  }
  out.sort((a, b) => (String(a.dueDate) < String(b.dueDate) ? -1 : String(a.dueDate) > String(b.dueDate) ? 1 : 0));
  return { items: out.slice(offset, offset + limit), total: out.length };
}

/**
 * `POST /loans/{loanAccountId}:applyInterest`: applies the interest of the schedule up to the application date —
 * that of the installments due on or before that day, less what earlier applications (live INTEREST_APPLIED
 * transactions) posted — as an INTEREST_APPLIED transaction of that amount (none when nothing is left to apply;
 * it books nothing: loans' interest is booked when paid, see ledger-rules.ts), and sets the loan's
 * `lastInterestAppliedDate` to the date (never back): the two traces Mambu leaves of an application. The interest
 * itself is in the schedule already, so the balances do not move.
 */
export function applyLoanInterest(ctx: EngineContext, loanId: string, body: Record<string, unknown> | undefined): void {
  const loan = requireLoan(ctx, loanId);
  const date = parseDateTimeInput(body?.interestApplicationDate, ctx.clock.offset, "interestApplicationDate");
  if (!date) throw invalidParameters("interestApplicationDate is required");
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const frame = frameOf(ctx, loan);
  const day = localDate(date, ctx.clock.offset);
  const scheduled = sum(replay(ctx, frame).installments.filter((i) => String(i.dueDate).slice(0, 10) <= day).map((i) => i.expected.interest));
  const applied = sum(liveLoanTransactions(ctx, loan.encodedKey).filter((t) => t.type === "INTEREST_APPLIED").map((t) => dec(t.amount)));
  const amount = scheduled.minus(applied);
  if (amount.greaterThan(0)) {
    const tx = newLoanTransaction(ctx, loan, "INTEREST_APPLIED", num(amount, frame.dp), date, typeof body?.notes === "string" ? { notes: body.notes } : {});
    commitTransaction(ctx, tx);
  }
  const current = ctx.store.find("loans", loan.encodedKey) ?? loan;
  const last = current.lastInterestAppliedDate;
  const next = typeof last === "string" && localDate(last, ctx.clock.offset) > day ? last : date;
  // the replay writes the new transaction's affectedAmounts (its interest) and its account balances
  const touched = touch(ctx, current, { lastInterestAppliedDate: next });
  const after = frameOf(ctx, touched);
  syncLoan(ctx, after, replay(ctx, after), touched);
}
