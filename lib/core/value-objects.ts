/**
 * Value-object classes with behaviour: a nested object of an entity (e.g. a group's `groupMembers`
 * rows, Swagger definition `groups/GroupMember`) is normally built from a generic class made from
 * its definition; a class registered here for that (resource, definition) is used instead, so that
 * it can carry methods (`group.groupMembers[0].getClient()`).
 *
 * Entity files call this; struct.ts keeps the registered classes (it builds the value objects).
 */
import { setValueObjectClass, StructClass } from "./struct";

/**
 * Makes `cls` the class of every value object of `definition` in Swagger `resource` read from now
 * on. `cls` must extend `MambuValueObject` and declare the same static `resource`/`definition`.
 */
export function registerValueObjectClass(resource: string, definition: string, cls: StructClass): void {
  if (cls.resource !== resource || cls.definition !== definition) {
    throw new Error(`registerValueObjectClass: ${cls.name} declares ${cls.resource}/${cls.definition}, not ${resource}/${definition}`);
  }
  setValueObjectClass(resource, definition, cls);
}
