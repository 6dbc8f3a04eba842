/**
 * Custom fields by name, untyped: what `entity.customField(name)` and `entity.setCustomField(name,
 * value)` do. The typed way is `entity.Age` with the tenant's types (`mambu types`); this is the
 * escape hatch for a field those types do not name, or a name only known at run time. A name is
 * what the flattened property would be called (`Age`, `ASSETAGE_0`, the grouped set's `Assets`) or
 * a set (`_OtherDetails`); a custom field whose id collides with a native field (`id`) is found in
 * its set all the same.
 */
import { setOwn } from "./clone";
import { absorbNewSets, isCustomFieldKey, liveSet, locateCustomField } from "./custom-fields";
import { MambuTsError } from "../errors";
import type { MambuStruct } from "./struct";

type Row = Record<string, unknown>;

/** The value of a custom field or set of a struct; `undefined` when it has none of that name. */
export function readCustomField(s: MambuStruct, name: string): unknown {
  checkName(name);
  const at = locateCustomField(s, name);
  if (!at) return undefined;
  const live = liveSet(s, at.set);
  if (at.field === undefined) return live;
  const row = at.row === undefined ? (live as Row | undefined) : (live as Row[] | undefined)?.[at.row];
  return row === undefined || row === null ? undefined : row[at.field];
}

/**
 * Writes a custom field or a whole set of a struct (a set that does not exist yet is added). A field
 * the struct has no set for is a `MambuTsError`: assign its set instead.
 */
export function writeCustomField(s: MambuStruct, name: string, value: unknown): void {
  checkName(name);
  if (isCustomFieldKey(name)) {
    (s as unknown as Row)[name] = value;
    absorbNewSets(s);
    return;
  }
  const at = locateCustomField(s, name);
  if (!at) {
    throw new MambuTsError(`${s.constructor.name} has no custom field ${name} (read it with detailsLevel FULL?); a new field goes in with its set: setCustomField("_Set", { ... })`);
  }
  if (at.field === undefined) {
    (s as unknown as Row)[at.set] = value;
    absorbNewSets(s);
    return;
  }
  const live = liveSet(s, at.set);
  const row = at.row === undefined ? (live as Row) : (live as Row[])[at.row];
  setOwn(row, at.field, value);
}

function checkName(name: unknown): void {
  if (typeof name !== "string" || name === "") throw new MambuTsError(`a custom field is named by a non-empty string`);
}
