/** Credit arrangements (lines of credit, `/api/creditarrangements`). */
import type { ActionOptions } from "../core/actions";
import { Chain, chain } from "../core/chain";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf, EntitySpec, listOf, MambuEntity } from "../core/entity";
import type { MambuList } from "../core/list";
import type { DetailsLevel } from "../core/query";
import "../core/entity-methods";
import { changeState } from "../core/operations";
import { relate, setTransient } from "../core/relations";
import { accountOperation, entityKey, expectRecord } from "../core/account-operation";
import type { CreditArrangementAction, CreditArrangementFilterCriteria, CreditArrangementSortingCriteria, CreditArrangementStruct, QueryParameters } from "../generated/types/creditarrangements";
import { MambuError, MambuTsError } from "../errors";
import type { Listable, Listing } from "../core/query-types";
import type { MambuCreditArrangementCustomFields } from "./custom-fields";
import { MambuClient } from "./client";
import { MambuDeposit } from "./deposit";
import { MambuGroup } from "./group";
import { MambuLoan } from "./loan";

/** A state action of `POST /creditarrangements/{id}:changeState` (Swagger `CreditArrangementAction.action`). */
export type CreditArrangementStateAction = CreditArrangementAction["action"];

/** The accounts under a credit arrangement (`creditArrangement.getAccounts()`). */
export interface CreditArrangementAccountsList {
  /** Its loan accounts. */
  loans: MambuLoan[];
  /** Its deposit accounts (overdrafts count against the limit). */
  deposits: MambuDeposit[];
}

/**
 * A credit arrangement (line of credit): the most a client or group may owe across the loans and
 * overdrafts attached to it. `amount` (the limit), `availableCreditAmount` and `consumedCreditAmount`
 * (Decimal), `state`/`subState`, `startDate`/`expireDate`/`approvedDate` (DateTime), `holderType` and
 * `holderKey`, `exposureLimitType`.
 */
export class MambuCreditArrangement extends MambuEntity {
  static override resource = "creditarrangements";
  static override definition = "CreditArrangement";
  static override spec = {
    prefix: "creditarrangements",
    sortBy: ["creationDate", "startDate", "expireDate", "amount"],
    search: { filterDefinition: "CreditArrangementFilterCriteria" },
    ownerType: "LINE_OF_CREDIT",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * The loans and deposits attached to the arrangement (`GET /creditarrangements/{id}/accounts`), as
   * {@link MambuLoan} and {@link MambuDeposit} entities; also set as `creditArrangement.accounts`.
   */
  getAccounts(): Chain<CreditArrangementAccountsList> {
    return chain(async () => {
      const label = "MambuCreditArrangement.getAccounts";
      const conn = connectorOf(this);
      const answer = await callOperation("creditarrangements", "getAllAccounts", { path: { creditArrangementId: entityKey(this) }, connector: conn });
      return this.takeAccounts(answer, label);
    }, `${this.constructor.name}.accounts`);
  }

  /**
   * Puts an existing loan or deposit account under the arrangement (`POST /creditarrangements/{id}:addAccount`,
   * newer Mambu versions: `{ accountId, accountType }` from the entity given). Mambu refuses an account already
   * under an arrangement (ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT), of another holder, or beyond the available
   * amount. Returns the arrangement, re-read (its `consumedCreditAmount` / `availableCreditAmount` now count the
   * account; with `reread: false`, as last read); `creditArrangement.accounts` is set to the accounts Mambu
   * answers with. The account entity given is not re-read (`account.refresh()` shows its `creditArrangementKey`).
   */
  addAccount(account: MambuLoan | MambuDeposit, opts?: ActionOptions): Promise<this> {
    return this.linkAccount("addAccount", account, opts, "MambuCreditArrangement.addAccount");
  }

  /**
   * Takes a loan or deposit account out of the arrangement (`POST /creditarrangements/{id}:removeAccount`, newer
   * Mambu versions). Mambu refuses an account not under this arrangement (ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT)
   * and one whose product requires an arrangement (CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION). Returns the
   * arrangement, re-read as {@link addAccount} does; `creditArrangement.accounts` is set to those left.
   */
  removeAccount(account: MambuLoan | MambuDeposit, opts?: ActionOptions): Promise<this> {
    return this.linkAccount("removeAccount", account, opts, "MambuCreditArrangement.removeAccount");
  }

  private async linkAccount(operationId: "addAccount" | "removeAccount", account: MambuLoan | MambuDeposit, opts: ActionOptions | undefined, label: string): Promise<this> {
    checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
    const accountType = account instanceof MambuLoan ? "LOAN" : account instanceof MambuDeposit ? "DEPOSIT" : undefined;
    if (accountType === undefined) throw new MambuTsError(`${label}: account must be a MambuLoan or a MambuDeposit`);
    const answer = await accountOperation(this, "creditarrangements", operationId, { accountId: entityKey(account), accountType }, opts ?? {}, { returns: "answer", label });
    this.takeAccounts(answer, label);
    return this;
  }

  /** Mambu's `CreditArrangementAccounts` as entities, also set as `creditArrangement.accounts`. */
  private takeAccounts(answer: unknown, label: string): CreditArrangementAccountsList {
    const conn = connectorOf(this);
    const { loanAccounts = [], depositAccounts = [] } = expectRecord(answer, "the accounts", label) as { loanAccounts?: unknown; depositAccounts?: unknown };
    const records = (list: unknown, what: string): Record<string, unknown>[] => {
      if (!Array.isArray(list) || !list.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))) {
        throw new MambuError(`malformed response from Mambu to ${label}: ${what} is not a list of records`);
      }
      return list as Record<string, unknown>[];
    };
    const accounts: CreditArrangementAccountsList = {
      loans: records(loanAccounts, "loanAccounts").map((raw) => MambuLoan.fromWire(raw, conn, { detailsLevel: "FULL" })),
      deposits: records(depositAccounts, "depositAccounts").map((raw) => MambuDeposit.fromWire(raw, conn, { detailsLevel: "FULL" })),
    };
    setTransient(this, "accounts", accounts);
    return accounts;
  }

  /** The holder: a {@link MambuClient} or a {@link MambuGroup} as `holderType` says (also `creditArrangement.holder`). */
  getHolder(): Chain<MambuClient | MambuGroup> {
    return relate<MambuClient | MambuGroup>(this, "holder", "holderKey", () => (this.holderType === "GROUP" ? MambuGroup : MambuClient) as never);
  }

  /**
   * Changes the arrangement's state (`POST /creditarrangements/{id}:changeState`): APPROVE,
   * UNDO_APPROVE, REJECT, UNDO_REJECT, WITHDRAW, UNDO_WITHDRAW, CLOSE, UNDO_CLOSE. Returns the
   * refreshed arrangement (with `reread: false`, the one Mambu answers with).
   */
  setState(action: CreditArrangementStateAction, notes?: string, opts?: ActionOptions): Promise<this> {
    return changeState(this, "creditarrangements", "CreditArrangementAction", action, notes, opts, "MambuCreditArrangement.setState");
  }
  /** `setState("APPROVE", notes)`. */
  approve(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("APPROVE", notes, opts);
  }
  /** `setState("UNDO_APPROVE", notes)`. */
  undoApprove(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_APPROVE", notes, opts);
  }
  /** `setState("REJECT", notes)`. */
  reject(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("REJECT", notes, opts);
  }
  /** `setState("UNDO_REJECT", notes)`. */
  undoReject(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_REJECT", notes, opts);
  }
  /** `setState("WITHDRAW", notes)`. */
  withdraw(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("WITHDRAW", notes, opts);
  }
  /** `setState("UNDO_WITHDRAW", notes)`. */
  undoWithdraw(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_WITHDRAW", notes, opts);
  }
  /** `setState("CLOSE", notes)`. */
  close(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("CLOSE", notes, opts);
  }
  /** `setState("UNDO_CLOSE", notes)`. */
  undoClose(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_CLOSE", notes, opts);
  }
}
/** Options of `client.getCreditArrangements()` / `group.getCreditArrangements()`. */
export interface CreditArrangementListOptions {
  offset?: number;
  limit?: number;
  paginationDetails?: "ON" | "OFF";
  detailsLevel?: DetailsLevel;
}

/**
 * The credit arrangements of a client or group (`GET /clients/{id}/creditarrangements`,
 * `GET /groups/{id}/creditarrangements`), paginated like getAll. @internal
 */
export function holderCreditArrangements(holder: MambuEntity, opts?: CreditArrangementListOptions): MambuList<MambuCreditArrangement> {
  checkOptionKeys(`${holder.constructor.name}.getCreditArrangements`, opts, ["offset", "limit", "paginationDetails", "detailsLevel"]);
  return listOf(MambuCreditArrangement, { method: "GET", path: `${holder.entityPath()}/creditarrangements`, query: {} }, { ...(opts ?? {}), connector: connectorOf(holder) });
}

export interface MambuCreditArrangement
  extends CreditArrangementStruct, MambuCreditArrangementCustomFields,
    Listable<Listing<QueryParameters["GET /creditarrangements"], typeof MambuCreditArrangement.spec, CreditArrangementFilterCriteria, CreditArrangementSortingCriteria>> {
  /** Set by getAccounts(). */
  accounts?: CreditArrangementAccountsList;
  /** Set by getHolder(). */
  holder?: MambuClient | MambuGroup;
}
