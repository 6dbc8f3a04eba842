/** Branches (`/api/branches`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { registerEntityClass } from "../core/registry";
import type { BranchStruct, QueryParameters } from "../generated/types/branches";
import type { MambuBranchCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";

/** A Mambu branch. */
export class MambuBranch extends MambuEntity {
  static override resource = "branches";
  static override definition = "Branch";
  static override spec = {
    prefix: "branches",
    sortBy: ["creationDate", "lastModifiedDate", "id", "name"],
    ownerType: "BRANCH",
  } as const satisfies EntitySpec;
}
export interface MambuBranch extends BranchStruct, MambuBranchCustomFields, Listable<Listing<QueryParameters["GET /branches"], typeof MambuBranch.spec>> {}

registerEntityClass("branch", MambuBranch);
