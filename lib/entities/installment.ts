/** Installments of a loan's repayment schedule (`GET /api/loans/{id}/schedule`). */
import { MambuStruct } from "../core/struct";
import type { InstallmentStruct } from "../generated/types/loans";

/**
 * One installment of a loan schedule: `number`, `dueDate`, `state` (PENDING, PARTIALLY_PAID,
 * PAID, LATE, ...), and `principal`/`interest`/`fee`/`penalty` with `amount.expected/paid/due`.
 */
export class MambuInstallment extends MambuStruct {
  static override resource = "loans";
  static override definition = "Installment";
}
export interface MambuInstallment extends InstallmentStruct {}
