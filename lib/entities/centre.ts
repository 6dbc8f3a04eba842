/** Centres (`/api/centres`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { registerEntityClass } from "../core/registry";
import { relate } from "../core/relations";
import type { Centre } from "../generated/types/centres";
import { MambuBranch } from "./branch";

/** A Mambu centre. */
export class MambuCentre extends MambuEntity {
  static override resource = "centres";
  static override definition = "Centre";
  static override spec: EntitySpec = {
    prefix: "centres",
    filters: ["branchId"],
    sortBy: ["creationDate", "lastModifiedDate", "id", "name"],
    ownerType: "CENTRE",
  };

  /** The centre's branch (also set as `centre.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }
}
export interface MambuCentre extends Centre {
  /** Set by getAssignedBranch(). */
  assignedBranch?: MambuBranch;
}

registerEntityClass("centre", MambuCentre);
