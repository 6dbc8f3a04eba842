/**
 * The sandbox's loan and deposit engine: the business rules behind the money endpoints of the Mambu API v2
 * (state changes, disbursement, schedules, repayments and their allocation, fees, write-off, pay-off,
 * adjustments, arrears; deposits, withdrawals, transfers, fees, interest). Records stay in Mambu's wire shape
 * in the {@link SandboxStore}; schedules live in `store.extra.schedules`.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { scheduleOf as scheduleWire, previewSchedule as previewWire } from "./loan-schedule-api";

export type { EngineContext, EngineRequest, EngineResult, EngineRoute } from "./context";
export { engineRoutes } from "./routes";
export { prepareCreate } from "./create";
export { refreshArrears, resetArrearsMemo } from "./arrears";
export { matureDueDeposits } from "./deposit-maturity";
export { expireAuthorizationHolds } from "./card-hold-expiry";
export { computeSchedule } from "./schedule";
export type { ScheduleTerms, PlannedInstallment } from "./schedule";

/** The wire shape of `LoanAccountSchedule`. */
export interface LoanAccountScheduleWire {
  currency: { code: string };
  installments: Array<Record<string, unknown>>;
}

/**
 * A schedule for terms that are not a loan (the `POST /loans:previewSchedule` computation): `product` is a
 * loan product record, `terms` a `PreviewLoanAccountSchedule`-like object (loanAmount, interestSettings,
 * scheduleSettings, disbursementDetails). `today`/`offset` default to the system date in UTC+00:00; the
 * engine passes the tenant clock's.
 */
export function previewSchedule(product: WireRecord, terms: Record<string, unknown>, today?: string, offset = "+00:00"): LoanAccountScheduleWire {
  return previewWire(product, terms, today ?? new Date().toISOString().slice(0, 10), offset);
}

/** A loan's schedule as `GET /loans/{loanAccountId}/schedule` answers it (a preview before disbursement). */
export function scheduleOf(ctx: EngineContext, loan: WireRecord): LoanAccountScheduleWire {
  return scheduleWire(ctx, loan);
}
