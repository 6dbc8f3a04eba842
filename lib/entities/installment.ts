/** Installments of loan repayment schedules (`GET /api/loans/{id}/schedule`, `GET /api/installments`). */
import { callOperation } from "../core/call";
import { toWireDate } from "../core/coerce";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { MambuList, paginate } from "../core/list";
import { MambuStruct, structFromWire } from "../core/struct";
import { MambuError, MambuTsError } from "../errors";
import type { InstallmentStruct } from "../generated/types/loans";
import type { DateInput } from "../core/operations";
import type { MambuConnector } from "../transport";

/** Options of `MambuInstallment.getAll()`: the due-date range (required); offset and limit as getAll's. */
export interface InstallmentsOptions {
  /** First due date (a date, or a date-time read in the tenant's offset). */
  dueFrom: DateInput;
  /** Last due date. */
  dueTo: DateInput;
  /** First installment (default 0). */
  offset?: number;
  /** At most this many installments (default: all of them, page by page). */
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
   * page by page; await it for the array), each with its `parentAccountKey`.
   * @throws MambuTsError before any request without `dueFrom` and `dueTo`, or with a bad offset/limit.
   */
  static getAll(opts: InstallmentsOptions): MambuList<MambuInstallment> {
    const label = "MambuInstallment.getAll";
    checkOptionKeys(label, opts, ["dueFrom", "dueTo", "offset", "limit", "connector"]);
    const conn = connectorOf(undefined, opts?.connector);
    const tenantOffset = (): string | undefined => conn.config.tenantoffset || undefined;
    const range: Record<string, string> = {};
    for (const k of ["dueFrom", "dueTo"] as const) {
      if (opts?.[k] === undefined) throw new MambuTsError(`${label}: give dueFrom and dueTo (the range of due dates)`);
      range[k] = toWireDate(opts[k], `${label}.${k}`, tenantOffset);
    }
    const { offset = 0, limit } = opts;
    for (const [k, v, min] of [["offset", offset, 0], ["limit", limit, 1]] as const) {
      if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)) throw new MambuTsError(`${label}: ${k} must be an integer ≥ ${min}`);
    }
    return new MambuList<MambuInstallment>(async function* () {
      const pages = paginate<unknown>({
        offset, limit, pageSize: conn.pageSize, concurrency: 1,
        request: { method: "GET", url: "/api/installments" },
        fetchPage: async (w) => {
          const answer = await callOperation("installments", "getAll", { query: { offset: w.offset, limit: w.limit, ...range }, connector: conn });
          if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a list of installments`);
          return { items: answer };
        },
      });
      for await (const page of pages) {
        yield page.map((raw) => {
          if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new MambuError(`malformed response from Mambu to ${label}: an installment is no object`);
          return structFromWire<MambuInstallment>(MambuInstallment, raw as Record<string, unknown>);
        });
      }
    }, label);
  }
}
export interface MambuInstallment extends InstallmentStruct {}
