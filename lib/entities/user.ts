/** Users (`/api/users`). */
import { Chain, chain } from "../core/chain";
import { connectorOf, EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { registerEntityClass } from "../core/registry";
import { MambuTsError } from "../errors";
import { registerLinkTarget } from "../core/link-fields";
import { MambuList } from "../core/list";
import { relate, setTransient } from "../core/relations";
import { RAW } from "../core/symbols";
import { operation } from "../contract/schema";
import type { QueryParameters, UserStruct } from "../generated/types/users";
import type { MambuUserCustomFields } from "./custom-fields";
import type { Listable, Listing, LooseGetAllOptions } from "../core/query-types";
import { MambuBranch } from "./branch";
import { MambuRole } from "./role";

/** A Mambu user (credit officers, tellers, API users). */
export class MambuUser extends MambuEntity {
  static override resource = "users";
  static override definition = "User";
  static override spec = {
    prefix: "users",
    filters: ["branchId", "branchIdType"],
    ownerType: "USER",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * Users, as `getAll`. `branchIdType` (ASSIGNED: users assigned to the branch; MANAGE: also those
   * who can manage it) goes with a `branchId` filter, as a filter or as an option.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const opts = (options ?? {}) as LooseGetAllOptions;
    const { branchIdType: top, ...rest } = opts;
    const filters = { ...((rest.filters as Record<string, unknown> | undefined) ?? {}) };
    if (top !== undefined) {
      if (filters.branchIdType !== undefined && filters.branchIdType !== top) throw new MambuTsError(`MambuUser.getAll: branchIdType given twice`);
      filters.branchIdType = top;
    }
    if (filters.branchIdType !== undefined) {
      const allowed = operation("users", "GET", "/users")?.query.find((q) => q.name === "branchIdType")?.enum ?? ["ASSIGNED", "MANAGE"];
      if (!allowed.includes(filters.branchIdType as string)) {
        throw new MambuTsError(`Invalid branchIdType: ${JSON.stringify(filters.branchIdType)} (one of ${allowed.join(", ")})`);
      }
      if (filters.branchId === undefined || filters.branchId === null || filters.branchId === "") {
        throw new MambuTsError(`branchIdType not allowed if branchId not provided`);
      }
    }
    return super.getAll<T>({ ...rest, ...(rest.filters !== undefined || top !== undefined ? { filters } : {}) } as never);
  }

  /** The user's branch (also set as `user.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }

  /**
   * The user's role as a {@link MambuRole} (from `role.encodedKey`/`role.id`; Mambu sends `role`
   * with detailsLevel FULL only). As MambuPy's `get_role`, `user.role` then reads as the MambuRole;
   * what is written back to Mambu stays the `{ encodedKey, id }` that was read.
   */
  getRole(): Chain<MambuRole> {
    return chain(async () => {
      const role = this[RAW].role as { encodedKey?: unknown; id?: unknown } | undefined;
      const key = role?.encodedKey ?? role?.id;
      if (typeof key !== "string" || key === "") {
        throw new MambuTsError(`${this.constructor.name} has no role (Mambu sends it with detailsLevel FULL)`);
      }
      const found = await MambuRole.get(key, { connector: connectorOf(this) });
      setTransient(this, "role", found);
      return found;
    }, `${this.constructor.name}.role`);
  }
}
export interface MambuUser extends UserStruct, MambuUserCustomFields, Listable<Listing<QueryParameters["GET /users"], typeof MambuUser.spec>> {
  /** Set by getAssignedBranch(). */
  assignedBranch?: MambuBranch;
}

registerLinkTarget("USER_LINK", () => MambuUser);

registerEntityClass("user", MambuUser);
