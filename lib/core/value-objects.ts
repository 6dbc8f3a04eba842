/**
 * Value-object classes with behaviour: a nested object of an entity (e.g. a group's `groupMembers`
 * rows, Swagger definition `groups/GroupMember`) is normally built from a generic class made from
 * its definition; a class registered here for that (resource, definition) is used instead, so that
 * it can carry methods (`group.groupMembers[0].getClient()`).
 *
 * This module imports nothing at run time: struct.ts consults it, entity files fill it.
 */
import type { StructClass } from "./struct";

const registry = new Map<string, StructClass>();

/**
 * Makes `cls` the class of every value object of `definition` in Swagger `resource` read from now
 * on. `cls` must extend `MambuValueObject` and declare the same static `resource`/`definition`.
 */
export function registerValueObjectClass(resource: string, definition: string, cls: StructClass): void {
  if (cls.resource !== resource || cls.definition !== definition) {
    throw new Error(`registerValueObjectClass: ${cls.name} declares ${cls.resource}/${cls.definition}, not ${resource}/${definition}`);
  }
  registry.set(`${resource}/${definition}`, cls);
}

/** The registered class of a (resource, definition), if any. @internal */
export function registeredValueObjectClass(resource: string, definition: string): StructClass | undefined {
  return registry.get(`${resource}/${definition}`);
}
