/**
 * Entity classes by role: each entity file that core code needs to name registers its class
 * (`registerEntityClass("branch", MambuBranch)`), and core code looks it up when it runs
 * (reassignment resolves a branch, a centre or a credit officer), so that lib/core never imports
 * lib/entities.
 */
import { MambuTsError } from "../errors";
import type { EntityClass } from "./entity";

/** The roles core code looks up. */
export type EntityRole = "branch" | "centre" | "user";

const classes = new Map<EntityRole, EntityClass>();

/** Declares the entity class of a role (entity files call it once, when they load). @internal */
export function registerEntityClass(role: EntityRole, cls: EntityClass): void {
  classes.set(role, cls);
}

/**
 * The entity class registered for a role.
 * @throws MambuTsError when no entity file registered one (import `mambu-ts`, or the entity's file).
 * @internal
 */
export function entityClass(role: EntityRole): EntityClass {
  const cls = classes.get(role);
  if (!cls) throw new MambuTsError(`no entity class is registered for "${role}": import mambu-ts (or lib/entities/${role})`);
  return cls;
}
