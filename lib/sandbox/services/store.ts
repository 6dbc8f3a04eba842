/**
 * How the Services API's objects sit in the sandbox's store: one record per object, `{ encodedKey, id, parent?,
 * wire }` — `id` the object's identifier (a currency's code, a source's source_id, a rate's rate_id), `parent` the
 * currency or source a rate belongs to, `wire` the object exactly as answered.
 */
import { invalidParameters } from "../errors";
import type { SandboxContext } from "../router";
import type { CollectionName, WireRecord } from "../types";

/** A stored Services object. */
export interface ServicesRecord extends WireRecord {
  id: string;
  parent?: string;
  wire: Record<string, unknown>;
}

/** The object stored under an identifier, or undefined. */
export function findObject(ctx: SandboxContext, coll: CollectionName, id: string): ServicesRecord | undefined {
  const key = ctx.store.coll(coll).idIndex.get(id);
  return key === undefined ? undefined : (ctx.store.coll(coll).byKey.get(key) as ServicesRecord | undefined);
}

/** The objects of a collection (of one parent when given), in insertion order. */
export function objectsOf(ctx: SandboxContext, coll: CollectionName, parent?: string): ServicesRecord[] {
  return (ctx.store.all(coll) as ServicesRecord[]).filter((r) => parent === undefined || r.parent === parent);
}

/** Stores a new object. */
export function insertObject(ctx: SandboxContext, coll: CollectionName, id: string, wire: Record<string, unknown>, parent?: string): ServicesRecord {
  const rec: ServicesRecord = { encodedKey: ctx.store.newEncodedKey(), id, ...(parent !== undefined ? { parent } : {}), wire };
  ctx.store.insert(coll, rec);
  return rec;
}

/** Replaces an object's wire form (same identifier). */
export function replaceObject(ctx: SandboxContext, coll: CollectionName, rec: ServicesRecord, wire: Record<string, unknown>): void {
  ctx.store.replace(coll, { ...rec, wire });
}

/** Removes an object. */
export function removeObject(ctx: SandboxContext, coll: CollectionName, rec: ServicesRecord): void {
  ctx.store.remove(coll, rec.encodedKey);
}

/** A copy of the wire object (answers never share the stored object). */
export function answerOf(rec: ServicesRecord): Record<string, unknown> {
  return { ...rec.wire };
}

/** A date-time in UTC (`Z`), as answers write them; whole seconds without a fraction. */
export function utc(value: string, field = "start_time"): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidParameters(`${field}: not a date-time: "${value.slice(0, 40)}"`);
  return new Date(t).toISOString().replace(".000Z", "Z");
}
