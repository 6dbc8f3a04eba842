/** Installments of loan repayment schedules (`GET /api/loans/{id}/schedule`, `GET /api/installments`). */
import { callOperation } from "../core/call";
import { toWireDate } from "../core/coerce";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { MambuStruct, structFromWire } from "../core/struct";
import { MambuError, MambuTsError } from "../errors";
import type { InstallmentStruct } from "../generated/types/loans";
import type { DateInput } from "../core/operations";
import type { MambuConnector } from "../transport";

/** Options of `MambuInstallment.getAll()`: the due-date range (required) and one page. */
export interface InstallmentsOptions {
  /** First due date (a date, or a date-time read in the tenant's offset). */
  dueFrom: DateInput;
  /** Last due date. */
  dueTo: DateInput;
  offset?: number;
  limit?: number;
  connector?: MambuConnector;
}

/**
 * One installment of a loan schedule: `number`, `dueDate`, `state` (PENDING, PARTIALLY_PAID,
 * PAID, LATE, ...), and `principal`/`interest`/`fee`/`penalty` with `amount.expected/paid/due`.
 */
export class MambuInstallment extends MambuStruct {
  static override resource = "loans";
  static override definition = "Installment";

  /**
   * The installments of every loan falling due between two dates (`GET /installments?dueFrom&dueTo`,
   * one page: `offset`, `limit`), each with its `parentAccountKey`.
   * @throws MambuTsError before any request without `dueFrom` and `dueTo`.
   */
  static async getAll(opts: InstallmentsOptions): Promise<MambuInstallment[]> {
    const label = "MambuInstallment.getAll";
    checkOptionKeys(label, opts, ["dueFrom", "dueTo", "offset", "limit", "connector"]);
    const conn = connectorOf(undefined, opts?.connector);
    const tenantOffset = (): string | undefined => conn.config.tenantoffset || undefined;
    const query: Record<string, unknown> = { offset: opts?.offset, limit: opts?.limit };
    for (const k of ["dueFrom", "dueTo"] as const) {
      if (opts?.[k] === undefined) throw new MambuTsError(`${label}: give dueFrom and dueTo (the range of due dates)`);
      query[k] = toWireDate(opts[k], `${label}.${k}`, tenantOffset);
    }
    const answer = await callOperation("installments", "getAll", { query, connector: conn });
    if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a list of installments`);
    return answer.map((raw) => {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new MambuError(`malformed response from Mambu to ${label}: an installment is no object`);
      return structFromWire<MambuInstallment>(MambuInstallment, raw as Record<string, unknown>);
    });
  }
}
export interface MambuInstallment extends InstallmentStruct {}
