/** Branches (`/api/branches`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { registerEntityClass } from "../core/registry";
import type { Branch } from "../generated/types/branches";

/** A Mambu branch. */
export class MambuBranch extends MambuEntity {
  static override resource = "branches";
  static override definition = "Branch";
  static override spec: EntitySpec = {
    prefix: "branches",
    sortBy: ["creationDate", "lastModifiedDate", "id", "name"],
    ownerType: "BRANCH",
  };
}
export interface MambuBranch extends Branch {}

registerEntityClass("branch", MambuBranch);
