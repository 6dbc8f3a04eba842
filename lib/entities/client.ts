/** Clients (`/api/clients`): individual persons. */
import { EntitySpec, MambuEntity } from "../core/entity";
import { relate } from "../core/relations";
import type { Client } from "../generated/types/clients";
import { MambuBranch } from "./branch";
import { MambuCentre } from "./centre";
import { MambuUser } from "./user";

/** A Mambu client. Custom field sets are flattened onto it (see README "Custom fields"). */
export class MambuClient extends MambuEntity {
  static override resource = "clients";
  static override definition = "Client";
  static override spec: EntitySpec = {
    prefix: "clients",
    filters: ["branchId", "centreId", "creditOfficerUsername", "firstName", "lastName", "idNumber", "state", "birthDate"],
    sortBy: ["creationDate", "lastModifiedDate", "firstName", "lastName"],
    search: { filterDefinition: "ClientFilterCriteria" },
    ownerType: "CLIENT",
    writable: true,
  };

  /** The client's branch (also set as `client.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }
  /** The client's centre (also set as `client.assignedCentre`). */
  getAssignedCentre() {
    return relate(this, "assignedCentre", "assignedCentreKey", () => MambuCentre);
  }
  /** The client's credit officer (also set as `client.assignedUser`). */
  getAssignedUser() {
    return relate(this, "assignedUser", "assignedUserKey", () => MambuUser);
  }
}
export interface MambuClient extends Client {
  assignedBranch?: MambuBranch;
  assignedCentre?: MambuCentre;
  assignedUser?: MambuUser;
  /** Flattened custom fields (`client.Age`, `client.ASSETAGE_1`) and custom field sets (`client._OtherDetails`). */
  [customField: string]: unknown;
}
