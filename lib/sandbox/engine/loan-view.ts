/**
 * Wire views of a replayed loan at a given day: installments (`Installment`), `Balances`, days late.
 */
import { Elements, outstandingElements, totalOf } from "./allocation";
import { daysBetween, startOfDay } from "./dates";
import { Ledger, LedgerInstallment, LedgerOptions, balancesAt, outstandingDueBy } from "./loan-ledger";
import { Dec, ZERO, num, sum } from "./money";

/** Installment states, as Mambu's. */
export type InstallmentState = "PENDING" | "LATE" | "PAID" | "PARTIALLY_PAID" | "GRACE";

/** The state of an installment on `today` (`YYYY-MM-DD`). */
export function installmentState(i: LedgerInstallment, today: string): InstallmentState {
  const expected = totalOf(i.expected);
  const owed = totalOf(outstandingElements(i));
  if (expected.isZero()) return "GRACE";
  if (owed.isZero()) return "PAID";
  if (i.dueDate < today) return "LATE";
  return totalOf(i.paid).greaterThan(0) ? "PARTIALLY_PAID" : "PENDING";
}

function amount(expected: Dec, paid: Dec, dp: number) {
  const due = expected.minus(paid);
  return { expected: num(expected, dp), paid: num(paid, dp), due: num(due.isNegative() ? ZERO : due, dp) };
}

const NO_TAX = { expected: 0, paid: 0, due: 0 };

/** One installment in the wire shape of the Swagger `Installment`. */
export function installmentWire(i: LedgerInstallment, loanKey: string, today: string, offset: string, dp: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    encodedKey: i.encodedKey,
    parentAccountKey: loanKey,
    number: i.number,
    dueDate: startOfDay(i.dueDate, offset),
    state: installmentState(i, today),
    principal: { amount: amount(i.expected.principal, i.paid.principal, dp) },
    interest: { amount: amount(i.expected.interest, i.paid.interest, dp), tax: { ...NO_TAX } },
    fee: { amount: amount(i.expected.fee, i.paid.fee, dp), tax: { ...NO_TAX } },
    penalty: { amount: amount(i.expected.penalty, i.paid.penalty, dp), tax: { ...NO_TAX } },
  };
  if (i.lastPaidDate) out.lastPaidDate = i.lastPaidDate;
  if (i.repaidDate && out.state === "PAID") out.repaidDate = i.repaidDate;
  return out;
}

/** Due amounts: outstanding on installments whose due date is on or before `today`. */
export function dueOn(ledger: Ledger, today: string): Elements {
  if (!ledger.disbursed || ledger.writtenOff) return { principal: ZERO, interest: ZERO, fee: ZERO, penalty: ZERO };
  return outstandingDueBy(ledger, today) ?? freshDueOn(ledger, today);
}

/** {@link dueOn} summed over the installments (a disbursed loan not written off). */
function freshDueOn(ledger: Ledger, today: string): Elements {
  const due = ledger.installments.filter((i) => i.dueDate <= today).map(outstandingElements);
  return {
    principal: sum(due.map((e) => e.principal)),
    interest: sum(due.map((e) => e.interest)),
    fee: sum(due.map((e) => e.fee)),
    penalty: sum(due.map((e) => e.penalty)),
  };
}

/** The loan's `balances` (Swagger `Balances`) on `today`. */
export function balancesWire(ledger: Ledger, today: string, method: LedgerOptions["interestApplicationMethod"], dp: number): Record<string, number> {
  const bal = balancesAt(ledger, today, method);
  const due = dueOn(ledger, today);
  return {
    principalDue: num(due.principal, dp),
    principalPaid: num(ledger.paid.principal, dp),
    principalBalance: num(bal.principal, dp),
    interestDue: num(due.interest, dp),
    interestPaid: num(ledger.paid.interest, dp),
    interestBalance: num(bal.interest, dp),
    feesDue: num(due.fee, dp),
    feesPaid: num(ledger.paid.fee, dp),
    feesBalance: num(bal.fee, dp),
    penaltyDue: num(due.penalty, dp),
    penaltyPaid: num(ledger.paid.penalty, dp),
    penaltyBalance: num(bal.penalty, dp),
    // holdBalance is not the ledger's: card holds keep it (card-holds.ts); syncLoan keeps the stored value
    redrawBalance: 0,
    interestFromArrearsDue: 0,
    interestFromArrearsPaid: 0,
    interestFromArrearsBalance: 0,
  };
}

/** Days since the oldest unpaid installment fell due (0 when none is late), and that installment's due date. */
export function daysLate(ledger: Ledger, today: string): { days: number; since?: string } {
  if (!ledger.disbursed || ledger.writtenOff) return { days: 0 };
  // only an installment due before today can be LATE (see installmentState): the others are not looked at
  const oldest = ledger.installments.find((i) => i.dueDate < today && installmentState(i, today) === "LATE");
  if (!oldest) return { days: 0 };
  return { days: daysBetween(oldest.dueDate, today), since: oldest.dueDate };
}
