/** Groups (`/api/groups`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import { relate } from "../core/relations";
import type { Group } from "../generated/types/groups";
import { MambuBranch } from "./branch";
import { MambuCentre } from "./centre";
import { MambuUser } from "./user";

/** A Mambu group of clients. */
export class MambuGroup extends MambuEntity {
  static override resource = "groups";
  static override definition = "Group";
  static override spec: EntitySpec = {
    prefix: "groups",
    filters: ["branchId", "centreId", "creditOfficerUsername"],
    sortBy: ["creationDate", "lastModifiedDate", "groupName"],
    search: { filterDefinition: "GroupFilterCriteria" },
    ownerType: "GROUP",
    writable: true,
  };

  /** The group's branch (also set as `group.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }
  /** The group's centre (also set as `group.assignedCentre`). */
  getAssignedCentre() {
    return relate(this, "assignedCentre", "assignedCentreKey", () => MambuCentre);
  }
  /** The group's credit officer (also set as `group.assignedUser`). */
  getAssignedUser() {
    return relate(this, "assignedUser", "assignedUserKey", () => MambuUser);
  }
}
export interface MambuGroup extends Group {
  assignedBranch?: MambuBranch;
  assignedCentre?: MambuCentre;
  assignedUser?: MambuUser;
}
