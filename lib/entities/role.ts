/** User roles (`/api/userroles`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { Role } from "../generated/types/userroles";

/** A Mambu user role (its `access` rights, `name`, `notes`); writable. */
export class MambuRole extends MambuEntity {
  static override resource = "userroles";
  static override definition = "Role";
  static override spec: EntitySpec = {
    prefix: "userroles",
    writable: true,
  };
}
export interface MambuRole extends Role {}
