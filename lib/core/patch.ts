/**
 * PATCH: the RFC 6902 operations that take Mambu from the state last read to the entity's current
 * state. Native fields become ADD/REPLACE/REMOVE on `/field`; custom fields follow the API
 * reference: standard sets `REPLACE /_Set/field`, new fields `ADD /_Set {field: value}`; grouped
 * sets `REPLACE /_Set/1/field`, removed rows `REMOVE /_Set/1`, new rows `ADD /_Set/N`, a new set
 * `ADD /_Set [rows]`, a removed set `REMOVE /_Set`.
 */
import { hasOwn, isPlainObject, setOwn } from "./clone";
import { isCustomFieldKey, liveSet, locateCustomField, originOfRow } from "./custom-fields";
import { MambuTsError } from "../errors";
import { stringifyExact } from "./json";
import { RAW } from "./symbols";
import { MambuStruct, specsOfInstance, toWire } from "./struct";

type Bag = Record<string, unknown>;

/** One RFC 6902 operation as Mambu takes it. */
export interface PatchOperation {
  op: "ADD" | "REPLACE" | "REMOVE";
  path: string;
  value?: unknown;
}

/** Options of {@link buildPatch}. */
export interface PatchOptions {
  /** Fields (native names, custom field ids, `_Set`, grouped `field_N`) to restrict the patch to. */
  fields?: string[];
  /** Turn fields present in the last read but missing now into REMOVE operations. */
  autodetectRemove?: boolean;
}

/**
 * One JSON Pointer segment (RFC 6901): `~` → `~0`, `/` → `~1`, so that a key holding a slash patches
 * that key and not a nested path.
 */
export function pointerSegment(key: string | number): string {
  const k = String(key);
  return k.indexOf("~") < 0 && k.indexOf("/") < 0 ? k : k.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Whether two wire values are the same JSON (strings, numbers and booleans by value; others as written). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "string" || ta === "number" || ta === "boolean") && (tb === "string" || tb === "number" || tb === "boolean")) return false;
  return stringifyExact(a) === stringifyExact(b);
}

/** Computes the PATCH operations of an entity (empty when nothing changed). */
export function buildPatch(s: MambuStruct, opts: PatchOptions = {}): PatchOperation[] {
  const raw = s[RAW];
  const wire = toWire(s);
  const specs = specsOfInstance(s);
  const named = opts.fields ? resolveNames(s, opts.fields) : undefined;
  const mayRemove = (path: string): boolean => !!opts.autodetectRemove || !!named?.has(path);
  const wanted = (path: string): boolean => {
    if (!named) return true;
    for (const n of named) if (path === n || path.startsWith(n + "/") || n.startsWith(path + "/")) return true;
    return false;
  };
  const ops: PatchOperation[] = [];
  const keys = new Set<string>([...Object.keys(raw), ...Object.keys(wire)]);
  for (const k of keys) {
    const path = `/${pointerSegment(k)}`;
    if (!wanted(path)) continue;
    const had = hasOwn(raw, k) && raw[k] !== undefined;
    const has = hasOwn(wire, k) && wire[k] !== undefined;
    if (isCustomFieldKey(k)) {
      customSetOps(s, k, had ? raw[k] : undefined, has ? wire[k] : undefined, ops, mayRemove, wanted);
      continue;
    }
    if (had && has && same(raw[k], wire[k])) continue;
    if (hasOwn(specs, k) && specs[k].readOnly && (has || had)) {
      throw new MambuTsError(`${k} is read-only in Mambu and cannot be patched`);
    }
    if (had && has) ops.push({ op: "REPLACE", path, value: wire[k] });
    else if (has) ops.push({ op: "ADD", path, value: wire[k] });
    else if (mayRemove(path)) ops.push({ op: "REMOVE", path });
  }
  return ops;
}

function resolveNames(s: MambuStruct, fields: string[]): Set<string> {
  const out = new Set<string>();
  const specs = specsOfInstance(s);
  for (const name of fields) {
    if (typeof name !== "string" || name === "") throw new MambuTsError(`patch fields must be non-empty strings`);
    const cf = hasOwn(specs, name) ? undefined : locateCustomField(s, name);
    if (cf) out.add(`/${pointerSegment(cf.set)}${cf.row !== undefined ? `/${cf.row}` : ""}${cf.field !== undefined ? `/${pointerSegment(cf.field)}` : ""}`);
    else if (hasOwn(specs, name) || hasOwn(s[RAW], name) || name in s) out.add(`/${pointerSegment(name)}`);
    else throw new MambuTsError(`cannot patch "${name}": not a field or custom field of this entity`);
  }
  return out;
}

function customSetOps(
  s: MambuStruct,
  key: string,
  before: unknown,
  after: unknown,
  ops: PatchOperation[],
  mayRemove: (p: string) => boolean,
  wanted: (p: string) => boolean,
): void {
  const base = `/${pointerSegment(key)}`;
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    ops.push({ op: "ADD", path: base, value: after });
    return;
  }
  if (after === undefined) {
    if (mayRemove(base)) ops.push({ op: "REMOVE", path: base });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    groupedOps(s, key, before, after, ops, mayRemove, wanted);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const added: Bag = {};
    for (const f of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const p = `${base}/${pointerSegment(f)}`;
      if (!wanted(p)) continue;
      const had = hasOwn(before, f);
      const has = hasOwn(after, f);
      if (had && has) {
        if (!same(before[f], after[f])) ops.push({ op: "REPLACE", path: p, value: after[f] });
      } else if (has) setOwn(added, f, after[f]);
      else if (mayRemove(p)) ops.push({ op: "REMOVE", path: p });
    }
    if (Object.keys(added).length) ops.push({ op: "ADD", path: base, value: added });
    return;
  }
  if (!same(before, after)) ops.push({ op: "REPLACE", path: base, value: after });
}

function groupedOps(
  s: MambuStruct,
  key: string,
  before: unknown[],
  after: unknown[],
  ops: PatchOperation[],
  mayRemove: (p: string) => boolean,
  wanted: (p: string) => boolean,
): void {
  const base = `/${pointerSegment(key)}`;
  const live = liveSet(s, key) as Bag[];
  const origins = live.map((row) => originOfRow(row));
  // Rows must keep their original order with new rows appended; otherwise the set is replaced whole.
  let last = -1;
  let seenNew = false;
  let orderly = true;
  for (const o of origins) {
    if (o === undefined) seenNew = true;
    else if (seenNew || o <= last || o >= before.length) orderly = false;
    else last = o;
  }
  if (!orderly) {
    if (!same(before, after)) ops.push({ op: "REPLACE", path: base, value: after });
    return;
  }
  const kept = new Set<number>();
  origins.forEach((o, i) => {
    if (o === undefined) return;
    kept.add(o);
    const b = before[o] as Bag;
    const a = after[i] as Bag;
    for (const f of new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])) {
      const p = `${base}/${o}/${pointerSegment(f)}`;
      if (!wanted(p)) continue;
      const had = hasOwn(b ?? {}, f);
      const has = hasOwn(a ?? {}, f);
      if (had && has) {
        if (!same(b[f], a[f])) ops.push({ op: "REPLACE", path: p, value: a[f] });
      } else if (has) ops.push({ op: "ADD", path: p, value: a[f] });
      else if (mayRemove(p)) ops.push({ op: "REMOVE", path: p });
    }
  });
  const removed: number[] = [];
  for (let o = before.length - 1; o >= 0; o--) if (!kept.has(o)) removed.push(o);
  let length = before.length;
  for (const o of removed) {
    const p = `${base}/${o}`;
    if (mayRemove(p) || mayRemove(base)) {
      ops.push({ op: "REMOVE", path: p });
      length--;
    }
  }
  origins.forEach((o, i) => {
    if (o !== undefined || !wanted(base)) return;
    ops.push({ op: "ADD", path: `${base}/${length}`, value: after[i] });
    length++;
  });
}
