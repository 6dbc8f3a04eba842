/** Tasks (`/api/tasks`). */
import { Chain, chain } from "../core/chain";
import { EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { MambuTsError } from "../errors";
import { MambuList } from "../core/list";
import { relate } from "../core/relations";
import { operation } from "../contract/schema";
import type { QueryParameters, TaskStruct } from "../generated/types/tasks";
import type { Listable, Listing, LooseGetAllOptions } from "../core/query-types";
import { MambuBranch } from "./branch";
import { MambuCentre } from "./centre";
import { MambuClient } from "./client";
import { MambuDeposit } from "./deposit";
import { MambuDepositProduct } from "./deposit-product";
import { MambuGroup } from "./group";
import { MambuLoan } from "./loan";
import { MambuProduct } from "./product";
import { MambuUser } from "./user";

/** The entity class each `taskLinkType` resolves to. */
export const TASK_LINK_TARGETS: Readonly<Record<string, () => EntityClass>> = {
  CLIENT: () => MambuClient,
  GROUP: () => MambuGroup,
  LOAN_ACCOUNT: () => MambuLoan,
  DEPOSIT_ACCOUNT: () => MambuDeposit,
  LOAN_PRODUCT: () => MambuProduct,
  SAVINGS_PRODUCT: () => MambuDepositProduct,
  USER: () => MambuUser,
  BRANCH: () => MambuBranch,
  CENTRE: () => MambuCentre,
};

/** A Mambu task (`title`, `description`, `dueDate`, `status`, `assignedUserKey`, `taskLinkType`/`taskLinkKey`); writable. */
export class MambuTask extends MambuEntity {
  static override resource = "tasks";
  static override definition = "Task";
  static override spec = {
    prefix: "tasks",
    filters: ["username", "clientId", "groupId", "status"],
    writable: true,
  } as const satisfies EntitySpec;

  /** Tasks, as `getAll`; the `status` filter is checked against the API's values (OPEN, COMPLETED). */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const opts = (options ?? {}) as LooseGetAllOptions;
    const status = (opts.filters as Record<string, unknown> | undefined)?.status;
    if (status !== undefined) {
      const allowed = operation("tasks", "GET", "/tasks")?.query.find((q) => q.name === "status")?.enum ?? ["OPEN", "COMPLETED"];
      if (!allowed.includes(status as string)) throw new MambuTsError(`MambuTask.getAll: status must be one of ${allowed.join(", ")}, got ${JSON.stringify(status)}`);
    }
    return super.getAll<T>(options as never);
  }

  /** The user the task is assigned to (also set as `task.assignedUser`). */
  getAssignedUser() {
    return relate(this, "assignedUser", "assignedUserKey", () => MambuUser);
  }

  /**
   * The entity the task is about, by `taskLinkType` (CLIENT → MambuClient, GROUP → MambuGroup,
   * LOAN_ACCOUNT → MambuLoan, DEPOSIT_ACCOUNT → MambuDeposit, LOAN_PRODUCT → MambuProduct,
   * SAVINGS_PRODUCT → MambuDepositProduct,   * USER → MambuUser, BRANCH → MambuBranch, CENTRE → MambuCentre); also set as `task.taskLink`.
   */
  getTaskLink(): Chain<MambuEntity> {
    const type = this.taskLinkType as string | undefined;
    const target = type === undefined ? undefined : TASK_LINK_TARGETS[type];
    if (!target) {
      return chain<MambuEntity>(() => {
        throw new MambuTsError(type === undefined ? `${this.constructor.name} has no taskLinkType: it is linked to nothing` : `taskLinkType ${type} cannot be resolved to an entity by mambu-ts`);
      });
    }
    return relate<MambuEntity>(this, "taskLink", "taskLinkKey", target);
  }
}
export interface MambuTask extends TaskStruct, Listable<Listing<QueryParameters["GET /tasks"], typeof MambuTask.spec>> {
  assignedUser?: MambuUser;
  /** Set by getTaskLink(). */
  taskLink?: MambuEntity;
}
