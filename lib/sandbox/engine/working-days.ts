/**
 * Due dates on non-working days, as Mambu moves them in new schedules: the loan product's
 * `scheduleSettings.repaymentReschedulingMethod` says how (NONE: they stay; NEXT_WORKING_DAY / PREVIOUS_WORKING_DAY:
 * that installment moves, the others keep their dates; EXTEND_SCHEDULE: it moves to the next working day and the
 * later installments follow from there), the organization's non-working days of the week and holidays
 * (reference/holidays.ts) say which days are not working days.
 */
import { isWorkingDay } from "../reference/holidays";
import type { EngineContext } from "./context";
import type { ScheduleTerms } from "./schedule";
import type { WireRecord } from "../types";

/** The methods that move due dates. */
const MOVING = new Set(["NEXT_WORKING_DAY", "PREVIOUS_WORKING_DAY", "EXTEND_SCHEDULE"]);

/** How a product's new schedules treat due dates on non-working days (undefined: they stay where they fall). */
export function reschedulingOf(ctx: EngineContext, product: WireRecord | undefined): ScheduleTerms["rescheduling"] {
  const method = (product?.scheduleSettings as { repaymentReschedulingMethod?: unknown } | undefined)?.repaymentReschedulingMethod;
  if (typeof method !== "string" || !MOVING.has(method)) return undefined;
  return { method: method as NonNullable<ScheduleTerms["rescheduling"]>["method"], isWorkingDay: (date) => isWorkingDay(ctx, date) };
}

/** The same for a loan (by its product). */
export function loanRescheduling(ctx: EngineContext, loan: WireRecord): ScheduleTerms["rescheduling"] {
  const key = loan.productTypeKey;
  return typeof key === "string" ? reschedulingOf(ctx, ctx.store.find("loanproducts", key)) : undefined;
}
