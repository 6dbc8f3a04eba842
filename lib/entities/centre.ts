/** Centres (`/api/centres`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { registerEntityClass } from "../core/registry";
import { relate } from "../core/relations";
import type { CentreStruct, QueryParameters } from "../generated/types/centres";
import type { MambuCentreCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";
import { MambuBranch } from "./branch";

/** A Mambu centre. */
export class MambuCentre extends MambuEntity {
  static override resource = "centres";
  static override definition = "Centre";
  static override spec = {
    prefix: "centres",
    filters: ["branchId"],
    sortBy: ["creationDate", "lastModifiedDate", "id", "name"],
    ownerType: "CENTRE",
  } as const satisfies EntitySpec;

  /** The centre's branch (also set as `centre.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }
}
export interface MambuCentre extends CentreStruct, MambuCentreCustomFields, Listable<Listing<QueryParameters["GET /centres"], typeof MambuCentre.spec>> {
  /** Set by getAssignedBranch(). */
  assignedBranch?: MambuBranch;
}

registerEntityClass("centre", MambuCentre);
