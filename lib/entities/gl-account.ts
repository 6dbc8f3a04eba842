/** General ledger accounts (`/api/glaccounts`). */
import { callOperation } from "../core/call";
import { chain, Chain } from "../core/chain";
import { checkOptionKeys, connectorOf, EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import type { Listable, Listing } from "../core/query-types";
import type { GLAccountStruct, QueryParameters } from "../generated/types/glaccounts";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";

/** The GL account types (Swagger `GLAccount.type`), one of which `MambuGLAccount.getAll({ type })` needs. */
export const GL_ACCOUNT_TYPES = ["ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"] as const;
/** A GL account type. */
export type GLAccountType = (typeof GL_ACCOUNT_TYPES)[number];

/**
 * Options of `MambuGLAccount.get(id, ...)` (`GET /glaccounts/{glAccountId}`): the balance is computed
 * over `from`..`to` (dates `YYYY-MM-DD`) and for one branch when given; `balanceExcluded: true` leaves
 * it out.
 */
export interface GLAccountGetOptions {
  from?: string;
  to?: string;
  branchId?: string;
  balanceExcluded?: boolean;
  connector?: MambuConnector;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkPeriod(label: string, from: unknown, to: unknown): void {
  for (const [k, v] of [["from", from], ["to", to]] as const) {
    if (v !== undefined && (typeof v !== "string" || !DATE.test(v))) throw new MambuTsError(`${label}: ${k} must be a date "YYYY-MM-DD", got ${JSON.stringify(v)}`);
  }
  if (typeof from === "string" && typeof to === "string" && from > to) throw new MambuTsError(`${label}: from (${from}) is after to (${to})`);
}

/**
 * A general ledger account: `glCode` (its id), `name`, `type` (ASSET, LIABILITY, EQUITY, INCOME, EXPENSE),
 * `usage` (DETAIL, HEADER), `currency`, `activated`, `allowManualJournalEntries`, and `balance` (Decimal:
 * the sum of the journal entries posted to it — debits minus credits for ASSET and EXPENSE accounts,
 * credits minus debits for the others — over the period asked for).
 */
export class MambuGLAccount extends MambuEntity {
  static override resource = "glaccounts";
  static override definition = "GLAccount";
  static override spec = { prefix: "glaccounts" } as const satisfies EntitySpec;

  /**
   * The GL accounts of one type (`GET /glaccounts?type=...`, required by Mambu) with their balances:
   * `getAll({ type: "ASSET", from?, to?, branchId?, balanceExcluded? })`, paginated as every getAll.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const o = (opts ?? {}) as { type?: unknown; from?: unknown; to?: unknown };
    if (typeof o.type !== "string" || !(GL_ACCOUNT_TYPES as readonly string[]).includes(o.type)) {
      throw new MambuTsError(`MambuGLAccount.getAll: type is required, one of ${GL_ACCOUNT_TYPES.join(", ")} (got ${JSON.stringify(o.type)})`);
    }
    checkPeriod("MambuGLAccount.getAll", o.from, o.to);
    return MambuEntity.getAll.call(this, opts as never) as MambuList<T>;
  }

  /**
   * One GL account by its GL code or encodedKey (`GET /glaccounts/{glAccountId}`), its `balance` over
   * `from`..`to` when given. Not found rejects with `MambuError` (404).
   */
  static override get<T extends MambuEntity>(this: EntityClass<T>, glAccountId: string | number, opts: GLAccountGetOptions = {}): Chain<T> {
    const label = "MambuGLAccount.get";
    checkOptionKeys(label, opts, ["from", "to", "branchId", "balanceExcluded", "connector"]);
    if ((typeof glAccountId !== "string" && typeof glAccountId !== "number") || String(glAccountId).trim() === "") {
      throw new MambuTsError(`${label}: glAccountId must be a non-empty string`);
    }
    checkPeriod(label, opts.from, opts.to);
    const conn = connectorOf(undefined, opts.connector);
    const { from, to, branchId, balanceExcluded } = opts;
    return chain(async () => {
      const answer = await callOperation("glaccounts", "getById", {
        path: { glAccountId: String(glAccountId) }, query: { from, to, branchId, balanceExcluded }, connector: conn,
      });
      if (typeof answer !== "object" || answer === null || Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a GL account`);
      return this.fromWire(answer as Record<string, unknown>, conn, { detailsLevel: "FULL" });
    }, `${label}(${JSON.stringify(String(glAccountId))})`);
  }
}
export interface MambuGLAccount extends GLAccountStruct, Listable<Listing<QueryParameters["GET /glaccounts"], typeof MambuGLAccount.spec>> {}
