/**
 * Deposit interest (`POST /deposits/{depositAccountId}:applyInterest`, `ApplyInterestInput`): simple interest
 * on the end-of-day positive balance at the account's rate (else the product's; after a changeInterestRate, the
 * rate in force on each day, see ./deposit-rate.ts), day by day from the last
 * interest calculation (or the activation) to `interestApplicationDate`, over daysInYear (365 unless the
 * product says ACTUAL_360 / ACTUAL_364). Posts an INTEREST_APPLIED credit when it rounds to more than zero.
 */
import { EngineContext } from "./context";
import { compareInstant, daysBetween, localDate, parseDateTimeInput } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { DEBIT_STATES, depositCurrency, depositSettings, postMovement, requireDeposit } from "./deposit-common";
import { D, Dec, ZERO, dec, round } from "./money";
import { path } from "./products";
import { annualRate } from "./schedule";
import { rateChangeDays, rateOn } from "./deposit-rate";

/** Applies interest to a deposit account. */
export function applyDepositInterest(ctx: EngineContext, depId: string, body: Record<string, unknown> | undefined): void {
  const dep = requireDeposit(ctx, depId);
  const off = ctx.clock.offset;
  const at = parseDateTimeInput(body?.interestApplicationDate, off, "interestApplicationDate");
  if (!at) throw invalidParameters("interestApplicationDate is required");
  if (compareInstant(at, ctx.clock.nowIso()) > 0) throw mambuError("BACKDATE_SET_IN_THE_FUTURE", "interestApplicationDate is in the future");
  if (!DEBIT_STATES.has(String(dep.accountState))) throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  const settings = depositSettings(ctx, dep);
  const rateValue = path(dep, "interestSettings", "interestRateSettings", "interestRate") ?? settings.interestRate?.toNumber();
  const fromIso = (dep.lastInterestCalculationDate ?? dep.activationDate) as string | undefined;
  const to = localDate(at, off);
  const from = fromIso ? localDate(fromIso, off) : to;
  let interest: Dec = ZERO;
  if (rateValue !== undefined && rateValue !== null && to > from) {
    const frequency = (path(dep, "interestSettings", "interestRateSettings", "interestChargeFrequency") as string | undefined) ?? settings.interestChargeFrequency;
    // the rate in force on each day: a changeInterestRate counts from its value date on (./deposit-rate.ts)
    const yearlyOn = (d: string): Dec =>
      annualRate({ interestRate: dec(rateOn(ctx, dep, d) ?? rateValue), interestChargeFrequency: frequency, daysInYear: settings.daysInYear });
    const rateDays = rateChangeDays(ctx, dep);
    // end-of-day balance: every movement dated on or before a day counts for that day
    const moves = ctx.store
      .all("depositTransactions")
      .filter((t) => t.parentAccountKey === dep.encodedKey)
      .map((t) => ({ day: localDate(String(t.valueDate), off), amount: dec(t.amount) }))
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    let balance = ZERO;
    let k = 0;
    while (k < moves.length && moves[k].day < from) balance = balance.plus(moves[k++].amount);
    let day = from;
    let accrued = new D(0);
    while (day < to) {
      while (k < moves.length && moves[k].day <= day) balance = balance.plus(moves[k++].amount);
      let nextChange = k < moves.length && moves[k].day < to ? moves[k].day : to;
      const rateDay = rateDays.find((d) => d > day && d < nextChange);
      if (rateDay) nextChange = rateDay;
      const days = Math.max(1, daysBetween(day, nextChange));
      if (balance.greaterThan(0)) accrued = accrued.plus(balance.times(yearlyOn(day)).times(days).dividedBy(settings.daysInYear));
      day = nextChange;
    }
    interest = round(accrued, depositCurrency(dep).dp);
  }
  let current = dep;
  if (interest.greaterThan(0)) {
    current = postMovement(ctx, dep, { type: "INTEREST_APPLIED", amount: interest, valueDate: at, body: { notes: body?.notes } }).dep;
  }
  ctx.store.replace("deposits", {
    ...current,
    lastInterestCalculationDate: at,
    lastInterestStoredDate: at,
    accruedAmounts: { ...((current.accruedAmounts as object) ?? {}), interestAccrued: 0 },
    lastModifiedDate: ctx.clock.nowIso(),
  });
}
