/** Users (`/api/users`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import { relate } from "../core/relations";
import type { User } from "../generated/types/users";
import { MambuBranch } from "./branch";

/** A Mambu user (credit officers, tellers, API users). */
export class MambuUser extends MambuEntity {
  static override resource = "users";
  static override definition = "User";
  static override spec: EntitySpec = {
    prefix: "users",
    filters: ["branchId", "branchIdType"],
    ownerType: "USER",
    writable: true,
  };

  /** The user's branch (also set as `user.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }
}
export interface MambuUser extends User {
  /** Set by getAssignedBranch(). */
  assignedBranch?: MambuBranch;
}
