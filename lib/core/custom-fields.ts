/**
 * Custom field sets: Mambu sends them as `_`-prefixed keys at the end of an entity, a standard set
 * as an object (`"_OtherDetails": {"Age": "48"}`) and a grouped set as a list of rows
 * (`"_Assets": [{"ASSETAGE": "10"}, ...]`).
 *
 * They are flattened onto the entity: a standard set's fields become `entity.Age`; a grouped set
 * becomes `entity.Assets` (its rows) and `entity.ASSETAGE_0`, `entity.ASSETAGE_1`, ... Every
 * flattened property reads and writes through to the set (`entity._OtherDetails`), so there is one
 * source of truth. A custom field id that collides with a native field or a method is not
 * flattened (it stays reachable through its set).
 */
import { DateTime } from "luxon";
import { getOwn, hasOwn, isPlainObject, setOwn } from "./clone";
import { describe, parseWireDate, sameValue } from "./coerce";
import { MambuTsError } from "../errors";
import { Decimal } from "./money";
import { decimalFromPlainText } from "./fast-decimal";
import { RawNumber, stringifyExact } from "./json";
import { CF_NAMES, DIRTY, RAW, StructSlots, VALS } from "./symbols";
import { TenantOptions, tenantOfStruct, tenantsOfDefinitions } from "./tenant";

type Bag = Record<string, unknown>;
type Row = Record<string, unknown>;

/** Mambu custom field types that change how values are typed (others stay strings). */
export type CustomFieldType = "NUMBER" | "CHECKBOX" | "DATE" | string;

/** Field id → type, for one tenant. */
type Types = ReadonlyMap<string, CustomFieldType>;
/** Tenant (see tenant.ts) → its registered types. */
type TypeStore = ReadonlyMap<string, Types>;

/**
 * The registered types, by tenant: a type registered for one tenant never types another tenant's
 * values. Replaced, never mutated, on each change: an entity keeps the store that was in force when
 * its sets were due to be typed (see TYPES_AT_SYNC).
 */
let typeStore: TypeStore = new Map();
const NO_TYPES: Types = new Map();
const rowOrigin = new WeakMap<object, number>();

/**
 * Per entity, the registered types in force at the sync that made each raw set due (set key → map).
 * Sets are typed on first use, with these types: the same values as typing them at that sync. An
 * entry goes when its set becomes live (typed, or assigned).
 */
const TYPES_AT_SYNC: unique symbol = Symbol("mambu-ts.customFieldTypesAtSync");
type TypesAtSync = Record<string, TypeStore>;
type WithTypes = { [TYPES_AT_SYNC]?: TypesAtSync };

/** Whether a wire key is a custom field set (`_` prefix). */
export function isCustomFieldKey(k: string): boolean {
  return k.charCodeAt(0) === 95;
}

/**
 * Tells the library the type of custom fields (from Mambu's custom field definitions), so that their
 * values are typed: NUMBER → Decimal, CHECKBOX → boolean, DATE → DateTime (date only). Without a
 * definition a value stays the string Mambu sent — never a lossy guess.
 *
 * Types are per tenant: they type the values of entities read from the tenant of
 * `opts.connector`; without it, each definition's own tenant when it was read from Mambu (the
 * records of `MambuCustomField.getAll({ connector })`), else the default connector's.
 */
export function registerCustomFieldTypes(
  defs: Iterable<{ id: string; type: CustomFieldType }> | Record<string, CustomFieldType>,
  opts?: TenantOptions,
): void {
  const tenantFor = tenantsOfDefinitions("registerCustomFieldTypes", opts);
  const entries: Array<[string, string, CustomFieldType]> = Symbol.iterator in Object(defs)
    ? [...(defs as Iterable<{ id: string; type: CustomFieldType }>)].map((d) => [tenantFor(d), d.id, d.type])
    : Object.entries(defs as Record<string, CustomFieldType>).map(([id, type]) => [tenantFor(undefined), id, type]);
  addCustomFieldTypes(entries);
}

/** Registers `[tenant, field id, type]` entries (a new store: entities keep the one they were due with). @internal */
export function addCustomFieldTypes(entries: Iterable<[tenant: string, id: string, type: CustomFieldType]>): void {
  const next = new Map(typeStore);
  const copied = new Set<string>();
  for (const [tenant, id, type] of entries) {
    let types = next.get(tenant) as Map<string, CustomFieldType> | undefined;
    if (!copied.has(tenant)) {
      types = new Map(types ?? []);
      next.set(tenant, types);
      copied.add(tenant);
    }
    types!.set(id, String(type).toUpperCase());
  }
  typeStore = next;
}

/**
 * Forgets the registered custom field types: of every tenant, or with `{ connector }` of that
 * connector's tenant only.
 */
export function clearCustomFieldTypes(opts?: TenantOptions): void {
  const tenantFor = tenantsOfDefinitions("clearCustomFieldTypes", opts);
  if (opts?.connector === undefined) {
    typeStore = new Map();
    return;
  }
  const next = new Map(typeStore);
  next.delete(tenantFor(undefined));
  typeStore = next;
}

/** The types of a struct's tenant in a store (none registered: no tenant lookup). */
function typesOf(s: StructSlots, store: TypeStore = typeStore): Types {
  return store.size === 0 ? NO_TYPES : store.get(tenantOfStruct(s)) ?? NO_TYPES;
}

/** Wire custom field value → user value (typed only when its definition is known). @internal */
export function hydrateCustomValue(fieldId: string, raw: unknown, types: Types): unknown {
  if (typeof raw !== "string") return raw;
  const type = types.get(fieldId);
  if (type === undefined) return raw;
  if (type === "NUMBER" || type === "DECIMAL") {
    const t = raw.trim();
    return decimalFromPlainText(t) ?? (/^-?\d+(?:\.\d+)?$/.test(t) ? new Decimal(t) : raw);
  }
  if (type === "CHECKBOX") return raw.toUpperCase() === "TRUE" ? true : raw.toUpperCase() === "FALSE" ? false : raw;
  if (type === "DATE") return raw === "" ? raw : parseWireDate(raw);
  return raw;
}

/** User custom field value → wire value (Mambu sends and takes custom field values as strings). @internal */
export function dehydrateCustomValue(path: string, v: unknown): unknown {
  if (v === null || typeof v === "string") return v;
  if (Decimal.isDecimal(v)) return (v as Decimal).toFixed();
  if (v instanceof RawNumber) return v.text;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new MambuTsError(`${path}: ${v} is not a valid custom field value`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (DateTime.isDateTime(v)) return v.toISODate();
  throw new MambuTsError(`${path}: a custom field value must be a string, number, Decimal, boolean or DateTime, got ${describe(v)}`);
}

function hydrateRow(raw: unknown, index: number, types: Types): Row {
  const row: Row = {};
  if (isPlainObject(raw)) for (const f in raw) setOwn(row, f, hydrateCustomValue(f, raw[f], types));
  rowOrigin.set(row, index);
  return row;
}

/** Index a grouped row had when read from Mambu (undefined for rows added since). @internal */
export function originOfRow(row: object): number | undefined {
  return rowOrigin.get(row);
}

/** The live (typed, mutable) custom field set of an entity, created from the wire on first use. @internal */
export function liveSet(s: StructSlots, key: string): Row | Row[] | undefined {
  const vals = s[VALS];
  if (vals !== undefined && hasOwn(vals, key)) return vals[key] as Row | Row[] | undefined;
  const raw = s[RAW][key];
  const due = (s as WithTypes)[TYPES_AT_SYNC];
  const types = typesOf(s, (due !== undefined && due[key]) || typeStore);
  let live: Row | Row[] | undefined;
  if (Array.isArray(raw)) live = raw.map((r, i) => hydrateRow(r, i, types));
  else if (isPlainObject(raw)) {
    live = {};
    for (const f in raw) setOwn(live, f, hydrateCustomValue(f, raw[f], types));
  } else return raw as undefined;
  if (due !== undefined) delete due[key];
  (s[VALS] ??= Object.create(null) as Bag)[key] = live;
  return live;
}

/**
 * Whether a value of an unexpected wire type kept as Mambu sent it (an object or a list where a
 * string was due) is still what the wire holds, after the baseline was re-read (a new copy).
 */
function sameWireValue(v: unknown, r: unknown): boolean {
  return typeof v === "object" && v !== null && (Array.isArray(v) || isPlainObject(v)) && typeof r === "object" && r !== null && stringifyExact(v) === stringifyExact(r);
}

function serialiseFields(path: string, live: Row, raw: unknown, types: Types): Row {
  const rawRow = isPlainObject(raw) ? raw : undefined;
  const out: Row = {};
  for (const f in live) {
    const v = live[f];
    if (v === undefined) continue;
    const r = rawRow === undefined ? undefined : getOwn(rawRow, f);
    setOwn(out, f, r !== undefined && (v === r || sameValue(v, hydrateCustomValue(f, r, types)) || sameWireValue(v, r)) ? r : dehydrateCustomValue(`${path}.${f}`, v));
  }
  return out;
}

/** Wire form of a custom field set: untouched values exactly as read. @internal */
export function customFieldSetToWire(s: StructSlots, key: string): unknown {
  const vals = s[VALS];
  const raw = s[RAW][key];
  if (vals === undefined || !hasOwn(vals, key)) return raw;
  const live = vals[key];
  if (live === undefined || live === null) return live;
  const types = typesOf(s);
  if (Array.isArray(live)) {
    const rawRows = Array.isArray(raw) ? raw : [];
    return live.map((row, i) => {
      if (!isPlainObject(row)) throw new MambuTsError(`${key}[${i}]: a grouped custom field row must be an object`);
      const o = rowOrigin.get(row);
      return serialiseFields(`${key}[${i}]`, row, o === undefined ? undefined : rawRows[o], types);
    });
  }
  if (!isPlainObject(live)) throw new MambuTsError(`${key}: a custom field set must be an object (standard) or an array of rows (grouped)`);
  return serialiseFields(key, live, raw, types);
}

function define(s: StructSlots, name: string, acc: Accessor, names: string[]): void {
  if (name in s) return;
  Object.defineProperty(s, name, { configurable: true, enumerable: false, get: acc.get, set: acc.set });
  names.push(name);
}

/**
 * Accessor functions, shared by every entity with the same custom field layout (they work on
 * `this`): entities then share V8 shapes, and reading thousands of records makes no closures.
 */
interface Accessor {
  get(this: StructSlots): unknown;
  set(this: StructSlots, v: unknown): void;
}
const setAccessors = new Map<string, Accessor>();
const fieldAccessors = new Map<string, Map<string, Accessor>>();
const rowAccessors = new Map<string, Map<string, Accessor[]>>();

function setAccessor(key: string): Accessor {
  let acc = setAccessors.get(key);
  if (!acc) {
    acc = {
      get(this: StructSlots) {
        return liveSet(this, key);
      },
      set(this: StructSlots, v: unknown) {
        setCustomSet(this, key, v);
      },
    };
    setAccessors.set(key, acc);
  }
  return acc;
}

function fieldAccessor(key: string, f: string): Accessor {
  let byField = fieldAccessors.get(key);
  if (!byField) fieldAccessors.set(key, (byField = new Map()));
  let acc = byField.get(f);
  if (!acc) {
    acc = {
      get(this: StructSlots) {
        const set = liveSet(this, key) as Row | undefined;
        return set === undefined || set === null ? undefined : getOwn(set, f);
      },
      set(this: StructSlots, v: unknown) {
        const set = liveSet(this, key) as Row | undefined;
        if (!set) throw new MambuTsError(`custom field set ${key} was removed; assign entity.${key} = { ${f}: ... } to add it back`);
        setOwn(set, f, v);
      },
    };
    byField.set(f, acc);
  }
  return acc;
}

function rowAccessor(key: string, f: string, i: number): Accessor {
  let byField = rowAccessors.get(key);
  if (!byField) rowAccessors.set(key, (byField = new Map()));
  let byRow = byField.get(f);
  if (!byRow) byField.set(f, (byRow = []));
  let acc = byRow[i];
  if (!acc) {
    acc = {
      get(this: StructSlots) {
        const row = (liveSet(this, key) as Row[] | undefined)?.[i];
        return row === undefined || row === null ? undefined : getOwn(row, f);
      },
      set(this: StructSlots, v: unknown) {
        const rows = liveSet(this, key) as Row[] | undefined;
        if (!rows?.[i]) throw new MambuTsError(`${key} has no row ${i}`);
        setOwn(rows[i], f, v);
      },
    };
    byRow[i] = acc;
  }
  return acc;
}

/** The field names a raw row or standard set gets once typed (the keys of the typed copy: all of its own keys, `__proto__` too). */
function typedKeys(raw: Record<string, unknown>): string[] {
  return Object.keys(raw);
}

/**
 * (Re)defines the flattened accessors of an entity's custom field sets: `_Set`, the fields of
 * standard sets, and for grouped sets `SetName` and `field_N`. Call after adding rows to a
 * grouped set so that `field_N` of the new rows appears (entities do it after every read/write).
 * Sets read from Mambu are typed on first use, with the custom field types registered now for the
 * entity's tenant.
 * @internal
 */
export function syncCustomFieldAccessors(s: StructSlots): void {
  absorbNewSets(s, false);
  const previous = (s as unknown as { [CF_NAMES]?: string[] })[CF_NAMES];
  if (previous) for (const n of previous) delete (s as unknown as Bag)[n];
  const names: string[] = [];
  const keys = new Set<string>();
  const raw = s[RAW];
  const vals = s[VALS];
  for (const k in raw) if (isCustomFieldKey(k)) keys.add(k);
  for (const k in vals ?? {}) if (isCustomFieldKey(k)) keys.add(k);
  for (const key of keys) {
    const live = vals !== undefined && hasOwn(vals, key);
    const current = live ? vals[key] : raw[key];
    if (!live && (Array.isArray(current) || isPlainObject(current))) {
      const due = ((s as WithTypes)[TYPES_AT_SYNC] ??= Object.create(null) as TypesAtSync);
      due[key] ??= typeStore;
    }
    const acc = setAccessor(key);
    define(s, key, acc, names);
    if (Array.isArray(current)) {
      define(s, key.slice(1), acc, names);
      current.forEach((row, i) => {
        const fields = live ? Object.keys(row as object) : isPlainObject(row) ? typedKeys(row) : [];
        for (const f of fields) define(s, `${f}_${i}`, rowAccessor(key, f, i), names);
      });
    } else if (isPlainObject(current)) {
      for (const f of live ? Object.keys(current) : typedKeys(current)) define(s, f, fieldAccessor(key, f), names);
    }
  }
  Object.defineProperty(s, CF_NAMES, { value: names, configurable: true, enumerable: false, writable: true });
}

/** The flattened accessors of one custom field layout: property descriptors (shared functions), and its shape. */
interface Layout {
  /** The layout's shape, as {@link layoutTokens} writes it. */
  tokens: ReadonlyArray<string | number>;
  descriptors: PropertyDescriptorMap;
}
/** Per class prototype: layout signature → its accessors. */
const layouts = new WeakMap<object, Map<string, Layout>>();
/** Per class prototype: the layouts used last, most recent first (matched token by token, no signature text built). */
const recentLayouts = new WeakMap<object, Layout[]>();
const MAX_RECENT_LAYOUTS = 8;
/** Layouts kept per class (a tenant has few; beyond this, entities get their accessors one by one as before). */
const MAX_LAYOUTS = 512;

/** Tokens of a layout's shape (field ids are strings; these mark the structure). */
const SET_KEY = 0;
const STANDARD = 1;
const GROUPED = 2;
const ROW = 3;
const OTHER = 4;

/** Reused by {@link layoutTokens} (one entity at a time: nothing in between calls back into it). */
const scratch: Array<string | number> = [];

/**
 * Writes the shape of a record's custom field sets into {@link scratch}: for each set, in wire
 * order, a SET_KEY mark, its key, then STANDARD and its field ids, or GROUPED and for each row a
 * ROW mark and its field ids, or OTHER (not a set). Marks and ids are of different types, and every
 * list of ids is closed by a mark or by the end, so two different shapes never write the same
 * tokens. Returns how many tokens were written (0: no custom field set).
 */
function layoutTokens(raw: Record<string, unknown>): number {
  const t = scratch;
  let n = 0;
  for (const k in raw) {
    if (!isCustomFieldKey(k)) continue;
    const v = raw[k];
    t[n++] = SET_KEY;
    t[n++] = k;
    if (Array.isArray(v)) {
      t[n++] = GROUPED;
      for (let r = 0; r < v.length; r++) {
        t[n++] = ROW;
        const row = v[r];
        if (isPlainObject(row)) for (const f of typedKeys(row)) t[n++] = f;
      }
    } else if (isPlainObject(v)) {
      t[n++] = STANDARD;
      for (const f of typedKeys(v)) t[n++] = f;
    } else t[n++] = OTHER;
  }
  return n;
}

/** Whether the first `n` tokens of {@link scratch} are a layout's. */
function sameTokens(tokens: ReadonlyArray<string | number>, n: number): boolean {
  if (tokens.length !== n) return false;
  const t = scratch;
  for (let i = 0; i < n; i++) if (tokens[i] !== t[i]) return false;
  return true;
}

/** `key` written so that no two different key sequences give the same text. */
function sigPart(k: string): string {
  return `${k.length}:${k}`;
}

/** The layout of the first `n` tokens of {@link scratch} for a class prototype: a recent one, else by signature (made once); undefined when the class has too many. */
function layoutFor(raw: Record<string, unknown>, base: object, n: number): Layout | undefined {
  let recent = recentLayouts.get(base);
  if (recent === undefined) recentLayouts.set(base, (recent = []));
  for (let i = 0; i < recent.length; i++) {
    const l = recent[i];
    if (sameTokens(l.tokens, n)) {
      if (i > 0) {
        recent.splice(i, 1);
        recent.unshift(l);
      }
      return l;
    }
  }
  let sig = "";
  for (let i = 0; i < n; i++) {
    const x = scratch[i];
    sig += typeof x === "number" ? `#${x}` : sigPart(x);
  }
  let byLayout = layouts.get(base);
  if (byLayout === undefined) layouts.set(base, (byLayout = new Map()));
  let layout = byLayout.get(sig);
  if (layout === undefined) {
    if (byLayout.size >= MAX_LAYOUTS) return undefined;
    layout = { tokens: scratch.slice(0, n), descriptors: layoutDescriptors(raw, base) };
    byLayout.set(sig, layout);
  }
  recent.unshift(layout);
  if (recent.length > MAX_RECENT_LAYOUTS) recent.length = MAX_RECENT_LAYOUTS;
  return layout;
}

/**
 * The accessors of a record's layout, worked out on a bare object of the class: the names a method
 * or schema field already takes are left out, as on an entity.
 */
function layoutDescriptors(raw: Record<string, unknown>, base: object): PropertyDescriptorMap {
  const probe = Object.create(base) as StructSlots;
  const names: string[] = [];
  for (const key in raw) {
    if (!isCustomFieldKey(key)) continue;
    const current = raw[key];
    const acc = setAccessor(key);
    define(probe, key, acc, names);
    if (Array.isArray(current)) {
      define(probe, key.slice(1), acc, names);
      current.forEach((row, i) => {
        for (const f of isPlainObject(row) ? typedKeys(row) : []) define(probe, `${f}_${i}`, rowAccessor(key, f, i), names);
      });
    } else if (isPlainObject(current)) {
      for (const f of typedKeys(current)) define(probe, f, fieldAccessor(key, f), names);
    }
  }
  const descriptors: PropertyDescriptorMap = Object.create(null) as PropertyDescriptorMap;
  for (const n of names) setOwn(descriptors as Record<string, unknown>, n, Object.getOwnPropertyDescriptor(probe, n));
  (descriptors as Record<symbol, PropertyDescriptor>)[CF_NAMES] = { value: Object.freeze(names), configurable: true, enumerable: false, writable: true };
  return descriptors;
}

/**
 * Defines the flattened custom field accessors of an entity just read from Mambu (no own
 * properties yet but the symbol slots) in one step: the accessors of its layout (set keys, and each
 * set's field ids, row by row) are worked out once per class and layout — the same names, in the
 * same order, with the same shared functions as {@link syncCustomFieldAccessors} defines — and the
 * sets read from Mambu are due to be typed with the custom field types registered now. False when
 * the record has no custom field set, or its class has too many layouts: then call
 * {@link syncCustomFieldAccessors}. `raw`: the struct's wire object (its keys and structure are
 * all that is read here: a record of a page not settled yet may be passed as it is).
 * @internal
 */
export function adoptCustomFieldLayout(s: StructSlots, base: object, raw: Record<string, unknown> = s[RAW]): boolean {
  const n = layoutTokens(raw);
  if (n === 0) return false;
  const layout = layoutFor(raw, base, n);
  if (layout === undefined) return false;
  Object.defineProperties(s, layout.descriptors);
  markWireSetsDue(s, raw);
  return true;
}

/** The sets read from Mambu are due to be typed with the custom field types registered now (what {@link syncCustomFieldAccessors} records). */
function markWireSetsDue(s: StructSlots, raw: Record<string, unknown>): void {
  let due: TypesAtSync | undefined;
  for (const key in raw) {
    if (!isCustomFieldKey(key)) continue;
    const current = raw[key];
    if (Array.isArray(current) || isPlainObject(current)) (due ??= Object.create(null) as TypesAtSync)[key] = typeStore;
  }
  if (due !== undefined) (s as WithTypes)[TYPES_AT_SYNC] = due;
}

/** Forgets which types the sets of a struct were due to be typed with (its baseline was replaced). @internal */
export function forgetDueTypes(s: StructSlots): void {
  if ((s as WithTypes)[TYPES_AT_SYNC] !== undefined) (s as WithTypes)[TYPES_AT_SYNC] = undefined;
}

/** Forgets which types a set was due to be typed with (it is live now). */
function settled(s: StructSlots, key: string): void {
  const due = (s as WithTypes)[TYPES_AT_SYNC];
  if (due !== undefined) delete due[key];
}

function setCustomSet(s: StructSlots, key: string, v: unknown): void {
  if (v !== undefined && v !== null && !Array.isArray(v) && !isPlainObject(v)) {
    throw new MambuTsError(`${key}: a custom field set must be an object (standard) or an array of rows (grouped), got ${describe(v)}`);
  }
  settled(s, key);
  (s[VALS] ??= Object.create(null) as Bag)[key] = v;
  (s[DIRTY] ??= new Set()).add(key);
  syncCustomFieldAccessors(s);
}

/** Where a flattened custom field name lives: `{ set: "_Assets", row: 1, field: "ASSETAGE" }`. @internal */
export function locateCustomField(s: StructSlots, name: string): { set: string; row?: number; field?: string } | undefined {
  if (isCustomFieldKey(name)) return hasOwn(s[RAW], name) || hasOwn(s[VALS] ?? {}, name) ? { set: name } : undefined;
  const keys = new Set<string>([...Object.keys(s[RAW]), ...Object.keys(s[VALS] ?? {})].filter(isCustomFieldKey));
  for (const key of keys) {
    const live = liveSet(s, key);
    if (Array.isArray(live)) {
      if (key.slice(1) === name) return { set: key };
      const m = /^(.*)_(\d+)$/.exec(name);
      if (m && live[Number(m[2])] && hasOwn(live[Number(m[2])], m[1])) return { set: key, row: Number(m[2]), field: m[1] };
    } else if (isPlainObject(live) && hasOwn(live, name)) return { set: key, field: name };
  }
  return undefined;
}

/**
 * A set assigned to an entity that had none (`client._NewSet = {...}`) lands as a plain property
 * (no accessor existed yet); move it into the store so that it is a live set like the others.
 * @internal
 */
export function absorbNewSets(s: StructSlots, sync = true): void {
  let moved = false;
  for (const k of Object.keys(s)) {
    if (!isCustomFieldKey(k)) continue;
    const v = (s as unknown as Bag)[k];
    delete (s as unknown as Bag)[k];
    if (v !== undefined && v !== null && !Array.isArray(v) && !isPlainObject(v)) {
      throw new MambuTsError(`${k}: a custom field set must be an object (standard) or an array of rows (grouped), got ${describe(v)}`);
    }
    settled(s, k);
    (s[VALS] ??= Object.create(null) as Bag)[k] = v;
    (s[DIRTY] ??= new Set()).add(k);
    moved = true;
  }
  if (moved && sync) syncCustomFieldAccessors(s);
}
