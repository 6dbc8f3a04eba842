/**
 * Pay-off preview (`POST /loans/{loanAccountId}:previewPayOffAmounts`, `PreviewPayOffDueAmountsInAFutureDateInput`
 * → `PreviewPayOffDueAmountsInAFutureDateWrapper`): the amounts a pay-off would post, by element, computed by the
 * same function as the pay-off itself ({@link payOffAmounts}), so that a pay-off right after the preview posts
 * exactly what it announced. Nothing is stored.
 *
 * The engine's interest is the schedule's (no daily accrual), so only penalties grow with the date: for a later
 * day the preview adds the penalties the daily accrual (./penalties.ts) will have posted by then, so that a pay-off
 * on that day (nothing else posted meanwhile) posts exactly the preview. The date must be today or later
 * (`INVALID_DATE` otherwise).
 */
import { EngineContext } from "./context";
import { localDate, parseDateTimeInput } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { totalOf } from "./allocation";
import { LoanFrame, RUNNING, frameOf, requireLoan } from "./loan-common";
import { liveLoanTransactions, loanTransactions } from "./loan-ledger";
import { payOffAmounts } from "./loan-payments";
import { penaltyAccrual, penaltyTermsOf, unappliedPenalties } from "./penalties";
import { Dec, ZERO, num } from "./money";

/** The wire shape of `PreviewPayOffDueAmountsInAFutureDateWrapper`. */
export interface PayOffPreview {
  principalBalance: number;
  interestBalance: number;
  feeBalance: number;
  penaltyBalance: number;
  totalBalance: number;
}

/**
 * Penalties the daily accrual will post between today and `day` (what `accruePenalties` would post that day:
 * {@link unappliedPenalties} of the accrual up to the day).
 */
function penaltiesToCome(ctx: EngineContext, frame: LoanFrame, day: string): Dec {
  const terms = penaltyTermsOf(frame);
  if (!terms || day <= ctx.clock.today()) return ZERO;
  const owed = penaltyAccrual(frame, liveLoanTransactions(ctx, frame.loan.encodedKey), terms, day);
  let extra = ZERO;
  for (const delta of unappliedPenalties(owed, loanTransactions(ctx, frame.loan.encodedKey), frame.dp).values()) extra = extra.plus(delta);
  return extra;
}

/** Previews the pay-off of a running loan at `valueDate`. */
export function previewPayOff(ctx: EngineContext, loanId: string, input: Record<string, unknown> | undefined): PayOffPreview {
  const loan = requireLoan(ctx, loanId);
  const at = parseDateTimeInput(input?.valueDate, ctx.clock.offset, "valueDate");
  if (!at) throw invalidParameters("valueDate is required");
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  if (localDate(at, ctx.clock.offset) < ctx.clock.today()) throw mambuError("INVALID_DATE", `valueDate ${at} is before today`);
  const frame = frameOf(ctx, loan);
  const owed = payOffAmounts(ctx, frame);
  owed.penalty = owed.penalty.plus(penaltiesToCome(ctx, frame, localDate(at, ctx.clock.offset)));
  return {
    principalBalance: num(owed.principal, frame.dp),
    interestBalance: num(owed.interest, frame.dp),
    feeBalance: num(owed.fee, frame.dp),
    penaltyBalance: num(owed.penalty, frame.dp),
    totalBalance: num(totalOf(owed), frame.dp),
  };
}
