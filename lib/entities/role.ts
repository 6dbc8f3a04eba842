/** User roles (`/api/userroles`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { QueryParameters, RoleStruct } from "../generated/types/userroles";
import type { Listable, Listing } from "../core/query-types";

/** A Mambu user role (its `access` rights, `name`, `notes`); writable. */
export class MambuRole extends MambuEntity {
  static override resource = "userroles";
  static override definition = "Role";
  static override spec = {
    prefix: "userroles",
    writable: true,
  } as const satisfies EntitySpec;
}
export interface MambuRole extends RoleStruct, Listable<Listing<QueryParameters["GET /userroles"], typeof MambuRole.spec>> {}
