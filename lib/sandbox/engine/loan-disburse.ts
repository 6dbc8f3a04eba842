/**
 * Disbursement (`POST /loans/{loanAccountId}/disbursement-transactions`, `DisbursementLoanTransactionInput`):
 * only from APPROVED; fixes the schedule from the disbursement date (or keeps an edited one), charges the
 * disbursement fees (DISBURSEMENT / CAPITALIZED_DISBURSEMENT: due with installment 1; UPFRONT_DISBURSEMENT:
 * taken from the amount paid out), optionally pays the money into a deposit account (`transferDetails`),
 * and moves the loan to ACTIVE.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { checkLoanDisbursement } from "./credit-arrangements";
import { localDate, parseDateTimeInput, startOfDay } from "./dates";
import { mambuError } from "../errors";
import { commitTransaction, frameOf, newLoanTransaction, reload, replay, requireLoan, syncLoan, touched, transactionDate } from "./loan-common";
import { disbursementFees, loanScheduleTerms, saveSchedule, storedSchedule, toStored, StoredSchedule } from "./loan-schedule";
import { dec, num, sum } from "./money";
import { path } from "./products";
import { computeSchedule } from "./schedule";
import { loanRescheduling } from "./working-days";
import { withTransactionChannel } from "./transaction-channel";
import { postMovement, requireDeposit, depositCurrency } from "./deposit-common";

/** Disburses an APPROVED loan; returns the DISBURSEMENT transaction. */
export function disburseLoan(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): WireRecord {
  const body = input ?? {};
  const loan = requireLoan(ctx, loanId);
  if (loan.accountState !== "APPROVED") {
    throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}; only APPROVED loans can be disbursed`);
  }
  const frame = frameOf(ctx, loan, true); // the plan is computed below, from the value date
  const off = ctx.clock.offset;
  const valueDate = transactionDate(ctx, loan, body.valueDate, "valueDate", "INVALID_DISBURSEMENT_DATE");
  const loanAmount = dec(loan.loanAmount);
  if (body.amount !== undefined && body.amount !== null && !dec(body.amount).equals(loanAmount)) {
    throw mambuError("INVALID_AMOUNT", `disbursement amount ${String(body.amount)} differs from the loan amount ${loanAmount.toString()}`);
  }
  const dd = (loan.disbursementDetails ?? {}) as Record<string, unknown>;
  const start = localDate(valueDate, off);
  const firstIso = parseDateTimeInput(body.firstRepaymentDate, off, "firstRepaymentDate") ?? (typeof dd.firstRepaymentDate === "string" ? dd.firstRepaymentDate : undefined);
  const first = firstIso ? localDate(firstIso, off) : undefined;
  const requested = [...(Array.isArray(dd.fees) ? dd.fees : []), ...(Array.isArray(body.fees) ? body.fees : [])];
  const fees = disbursementFees(frame.settings, loanAmount, requested);
  const upfront = sum(fees.filter((f) => f.trigger === "UPFRONT_DISBURSEMENT").map((f) => f.amount));
  if (upfront.greaterThanOrEqualTo(loanAmount)) throw mambuError("DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT", "upfront fees exceed the loan amount");

  let plan: StoredSchedule;
  const edited = storedSchedule(ctx, loan.encodedKey);
  if (edited?.custom) {
    const principal = sum(edited.installments.map((i) => dec(i.principal)));
    if (!principal.equals(loanAmount)) {
      throw mambuError("INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT", `schedule principal ${principal.toString()} ≠ loan amount ${loanAmount.toString()}`);
    }
    if (edited.installments.length === 0 || edited.installments[0].dueDate <= start) {
      throw mambuError("INVALID_FIRST_REPAYMENT_DUE_DATE", "the edited schedule's first due date is not after the disbursement date");
    }
    plan = edited;
  } else {
    const computed = computeSchedule({ ...loanScheduleTerms(loan, frame.settings, start, first), rescheduling: loanRescheduling(ctx, loan) });
    plan = toStored(computed, frame.currency, false, () => ctx.store.newEncodedKey());
  }

  // paid into a deposit account (transferDetails): no channel unless one is named; paid out: through a channel
  const paidInto = (body.transferDetails ?? {}) as Record<string, unknown>;
  const toDeposit = paidInto.linkedAccountKey !== undefined || paidInto.linkedAccountId !== undefined;
  const through = toDeposit && (body.transactionDetails === undefined || body.transactionDetails === null)
    ? body
    : withTransactionChannel(ctx, body, { account: loan, kind: "LOAN", type: "DISBURSEMENT", amount: loanAmount });
  const tx = newLoanTransaction(ctx, loan, "DISBURSEMENT", num(loanAmount, frame.dp), valueDate, through);
  tx.fees = fees.map((f) => ({ predefinedFeeKey: f.predefinedFeeKey, ...(f.name ? { name: f.name } : {}), amount: num(f.amount, frame.dp), trigger: f.trigger }));
  checkLoanDisbursement(ctx, loan, valueDate, plan.installments[plan.installments.length - 1]?.dueDate, tx.encodedKey, body); // credit arrangement, investor funds

  const td = (body.transferDetails ?? {}) as Record<string, unknown>;
  const target = (td.linkedAccountKey ?? td.linkedAccountId) as string | undefined;
  if (target) {
    const dep = requireDeposit(ctx, target, true);
    if (depositCurrency(dep).code !== frame.currency) throw mambuError("TRANSFER_CANT_BE_MADE", "the deposit account has another currency");
    const { tx: depTx } = postMovement(ctx, dep, {
      type: "TRANSFER",
      amount: loanAmount.minus(upfront),
      valueDate,
      body: { notes: body.notes },
      fields: { transferDetails: { linkedLoanTransactionKey: tx.encodedKey } },
    });
    tx.transferDetails = { linkedDepositTransactionKey: depTx.encodedKey };
  }

  saveSchedule(ctx, loan.encodedKey, plan);
  const stored = commitTransaction(ctx, tx);
  const held = ctx.store.find("loans", loan.encodedKey) ?? loan; // what the store holds now (written once, below)
  const active = touched(ctx, loan, {
    accountState: "ACTIVE",
    accountSubState: undefined,
    disbursementDetails: {
      ...dd,
      encodedKey: typeof dd.encodedKey === "string" ? dd.encodedKey : ctx.store.newEncodedKey(),
      disbursementDate: valueDate,
      firstRepaymentDate: startOfDay(plan.installments[0].dueDate, off),
      ...(through.transactionDetails ? { transactionDetails: through.transactionDetails } : {}),
    },
    scheduleSettings: { ...((loan.scheduleSettings as object) ?? {}), repaymentInstallments: plan.installments.length },
  });
  const frame2 = frameOf(ctx, active);
  syncLoan(ctx, frame2, replay(ctx, frame2), active, held);
  return reload(ctx, stored);
}

/** Whether a loan has been disbursed (has a live disbursement date). */
export function isDisbursed(loan: WireRecord): boolean {
  return typeof path(loan, "disbursementDetails", "disbursementDate") === "string";
}
