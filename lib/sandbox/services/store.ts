/**
 * How the Services API's objects sit in the sandbox's store: one record per object, `{ encodedKey, id, parent?,
 * seq, wire, exact? }` — `id` the object's identifier (a currency's code, a source's source_id, a rate's rate_id),
 * `parent` the currency or source a rate belongs to, `seq` its place in the order of creation (a list's
 * tie-breaker: ./paging.ts), `wire` the object as answered (numbers as doubles, JSON-safe for persistence) and
 * `exact` the text of each of its numbers that a double would change (a rate sent with 21 digits:
 * ./exact-json.ts), so that answers give back every digit sent.
 */
import { invalidParameters } from "../errors";
import type { SandboxContext } from "../router";
import type { CollectionName, WireRecord } from "../types";
import { ExactNumber } from "./exact-json";

/** A stored Services object. */
export interface ServicesRecord extends WireRecord {
  id: string;
  parent?: string;
  /** Order of creation among the Services objects (1, 2, ...); absent on records stored before it existed. */
  seq?: number;
  wire: Record<string, unknown>;
  /** The exact text of the wire's top-level numbers that a double changes, by field. */
  exact?: Record<string, string>;
}

/** The store's counter of Services objects (in `store.extra`, persisted with the records). */
const SEQ = "servicesSequence";

/** The wire form with doubles, and the exact text of the numbers a double changes; `old` keeps its unchanged ones. */
function split(wire: Record<string, unknown>, old?: Record<string, string>): { wire: Record<string, unknown>; exact?: Record<string, string> } {
  const plain: Record<string, unknown> = {};
  const exact: Record<string, string> = {};
  for (const [k, v] of Object.entries(wire)) {
    if (v instanceof ExactNumber) {
      plain[k] = v.valueOf();
      exact[k] = v.text;
    } else {
      plain[k] = v;
      if (old && Object.prototype.hasOwnProperty.call(old, k) && typeof v === "number" && Number(old[k]) === v) exact[k] = old[k];
    }
  }
  return Object.keys(exact).length ? { wire: plain, exact } : { wire: plain };
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
  const seq = (typeof ctx.store.extra[SEQ] === "number" ? (ctx.store.extra[SEQ] as number) : 0) + 1;
  ctx.store.extra[SEQ] = seq;
  const rec: ServicesRecord = { encodedKey: ctx.store.newEncodedKey(), id, ...(parent !== undefined ? { parent } : {}), seq, ...split(wire) };
  ctx.store.insert(coll, rec);
  return rec;
}

/** Replaces an object's wire form (same identifier). */
export function replaceObject(ctx: SandboxContext, coll: CollectionName, rec: ServicesRecord, wire: Record<string, unknown>): void {
  const { exact: _old, ...rest } = rec;
  ctx.store.replace(coll, { ...rest, ...split(wire, rec.exact) });
}

/** Removes an object. */
export function removeObject(ctx: SandboxContext, coll: CollectionName, rec: ServicesRecord): void {
  ctx.store.remove(coll, rec.encodedKey);
}

/** A copy of the wire object (answers never share the stored object), its numbers exact (see ./exact-json.ts). */
export function answerOf(rec: ServicesRecord): Record<string, unknown> {
  const out = { ...rec.wire };
  for (const [k, text] of Object.entries(rec.exact ?? {})) if (Object.prototype.hasOwnProperty.call(out, k)) out[k] = new ExactNumber(text);
  return out;
}

/** A date-time in UTC (`Z`), as answers write them; whole seconds without a fraction. */
export function utc(value: string, field = "start_time"): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidParameters(`${field}: not a date-time: "${value.slice(0, 40)}"`);
  return new Date(t).toISOString().replace(".000Z", "Z");
}
