/**
 * `MambuStruct`: the attribute store shared by entities and the value objects nested in them.
 *
 * A struct keeps the wire object exactly as Mambu sent it (`RAW`) and exposes each field of its
 * schema definition as an accessor on the class prototype that converts on first read (amounts →
 * Decimal, date-times → DateTime, nested objects → value objects). Writing a field records the new
 * value; serialising writes back every untouched field byte-for-byte as it came.
 */
import Decimal from "decimal.js";
import { DateTime } from "luxon";
import { inspect } from "node:util";
import { definition, FieldSpec } from "../contract/schema";
import { mambuconfig } from "../config";
import { cloneWire, hasOwn, isPlainObject, setOwn } from "./clone";
import {
  dehydrateScalar, describe, fastWireDateTime, formatWireDateTime, hydrateScalar, OffsetSource, parseWireDate, parseWireDateTime, ScalarKind, toWireDate,
  toWireDateTime, toWireDecimal,
} from "./coerce";
import { MambuTsError } from "../errors";
import { currencyDigits, currencyOf } from "./money";
import { PendingPage, RawNumber, settlePage } from "./json";
import { decimalFromJsonText, decimalFromNumber } from "./fast-decimal";
import { CONN, DIRTY, OFFSET, RAW, ROOT, VALS } from "./symbols";
import { absorbNewSets, customFieldSetToWire, forgetDueTypes, isCustomFieldKey, liveSet, syncCustomFieldAccessors } from "./custom-fields";

type Bag = Record<string, unknown>;

/** The wire object behind {@link RAW} (read through RAW, which first settles a pending page). */
const WIRE = Symbol("mambu-ts.wire");
/** The listing page whose exact numbers the wire object still waits on (json.ts `parseJsonPage`), if any. */
const PENDING = Symbol("mambu-ts.pendingPage");

/** Schema identity of a struct class: the Swagger resource file and definition name. */
export interface StructSchema {
  resource: string;
  definition: string;
}

/** Base of entities and value objects: typed, lazily converted fields over the exact wire object. */
export class MambuStruct {
  /** Swagger resource (file) holding this struct's definition, e.g. "loans". */
  static resource = "";
  /** Swagger definition name, e.g. "LoanAccount". */
  static definition = "";

  declare [RAW]: Bag;
  declare [WIRE]: Bag;
  declare [PENDING]: PendingPage | undefined;
  declare [VALS]: Bag | undefined;
  declare [DIRTY]: Set<string> | undefined;
  declare [ROOT]: MambuStruct | undefined;
  declare [OFFSET]: string | null | undefined;

  /**
   * A new struct not read from Mambu; `fields` are user values (Decimal, DateTime, strings...) set
   * as if assigned one by one.
   */
  constructor(fields?: Bag) {
    ensureAccessors(new.target as StructClass);
    this[RAW] = {};
    this[VALS] = undefined;
    this[DIRTY] = undefined;
    this[ROOT] = undefined;
    if (fields) {
      assignFields(this, fields);
      if (Object.keys(fields).some(isCustomFieldKey)) syncCustomFieldAccessors(this);
    }
  }

  /** The wire shape Mambu would receive for this struct (exact for every untouched field). */
  toJSON(): Bag {
    return toWire(this);
  }

  /** Field names present on this struct (read from Mambu or set since), in wire order. */
  fieldNames(): string[] {
    return Object.keys(toWire(this));
  }

  /** REPL/console form: `ClassName { field: value, ... }` with internals hidden. */
  [inspect.custom](depth: number, options: { stylize: (s: string, style: string) => string }, insp: typeof inspect): string {
    const cls = this.constructor as StructClass;
    const label = cls.name.startsWith("Mambu") ? cls.name : cls.definition || cls.name;
    return inspectStruct(this, label, depth, options, insp);
  }
}

/**
 * `struct[RAW]`: the wire object, every number in it exact. A struct built from a listing page
 * parsed lazily (json.ts `parseJsonPage`) settles that page (places its unsafe numbers) on the first
 * access, so nothing reads a number of its wire object before it is exact. Assigning replaces the
 * wire object (and forgets the page).
 */
Object.defineProperty(MambuStruct.prototype, RAW, {
  configurable: true,
  enumerable: false,
  get(this: MambuStruct): Bag {
    return exactWire(this);
  },
  set(this: MambuStruct, raw: Bag) {
    this[WIRE] = raw;
    this[PENDING] = undefined;
  },
});

/** `s[RAW]` without the accessor (the read path's own loads: plain slots, no getter call). */
function exactWire(s: MambuStruct): Bag {
  const page = s[PENDING];
  if (page !== undefined) {
    s[PENDING] = undefined;
    settlePage(page);
  }
  return s[WIRE];
}

/**
 * The wire object of a struct without settling a pending page: for its keys, strings, booleans and
 * nulls only (final from the start) — a number, or an object or array handed on, is read through
 * `RAW`. @internal
 */
export function wireOf(s: MambuStruct): Bag {
  return s[WIRE];
}

/** A struct class (constructor plus its schema identity). */
export type StructClass = (new (fields?: Bag) => MambuStruct) & StructSchema & { prototype: MambuStruct };

const installed = new WeakSet<object>();
const fieldSpecCache = new WeakMap<object, Record<string, FieldSpec>>();

/** Field specs of a struct class's definition ({} for classes without one). @internal */
export function fieldSpecsOf(cls: StructClass): Record<string, FieldSpec> {
  let specs = fieldSpecCache.get(cls);
  if (!specs) {
    specs = cls.definition ? definition(cls.resource, cls.definition).fields : {};
    fieldSpecCache.set(cls, specs);
  }
  return specs;
}

/** Field specs of a struct instance. @internal */
export function specsOfInstance(s: MambuStruct): Record<string, FieldSpec> {
  return fieldSpecsOf(s.constructor as StructClass);
}

/**
 * Installs one accessor per schema field on the class prototype (once per class). A field whose
 * name is already a method or accessor of the class is not installed (the method wins); its value
 * stays reachable with `struct.get(name)`-style access through `getField`.
 * @internal
 */
export function ensureAccessors(cls: StructClass): void {
  if (installed.has(cls)) return;
  installed.add(cls);
  const specs = fieldSpecsOf(cls);
  for (const name of Object.keys(specs)) {
    if (name in cls.prototype) continue;
    Object.defineProperty(cls.prototype, name, accessorFor(name, specs[name], cls.resource));
  }
}

function accessorFor(name: string, spec: FieldSpec, resource: string): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get: getterFor(name, spec, resource),
    set(this: MambuStruct, v: unknown) {
      setField(this, name, v);
    },
  };
}

/**
 * The getter of a schema field, made once per class and field. A value Mambu sent in the field's
 * usual wire form converts on each read, without being stored: an amount (a JSON number) to its
 * Decimal, a date-time with its offset or a date to its DateTime, a string or boolean as it is —
 * conversions that depend on nothing but the wire text (Decimals and DateTimes are immutable, and
 * recent ones are shared by text: see fast-decimal.ts, coerce.ts). Everything else (nested objects
 * and lists, which the user may change in place; a value of an unexpected wire type; a date-time
 * without an offset) goes through {@link getField}, which converts it once and keeps it. A value the
 * user assigned is always what reads back.
 */
function getterFor(name: string, spec: FieldSpec, resource: string): (this: MambuStruct) => unknown {
  // What the user assigned is marked changed (setField): only such a value stands in for the wire
  // value here; values getField keeps are of the forms handed to it below.
  switch (spec.type) {
    case "decimal":
      return function (this: MambuStruct) {
        const dirty = this[DIRTY];
        if (dirty !== undefined && dirty.has(name)) return assigned(this, name);
        const raw = exactWire(this)[name];
        if (raw instanceof RawNumber) return decimalFromJsonText(raw.text);
        if (typeof raw === "number") return decimalFromNumber(raw);
        return getField(this, name, spec, resource);
      };
    case "datetime":
      return function (this: MambuStruct) {
        const dirty = this[DIRTY];
        if (dirty !== undefined && dirty.has(name)) return assigned(this, name);
        const raw = this[WIRE][name]; // a string is final before its page is settled
        if (typeof raw === "string") {
          const dt = fastWireDateTime(raw);
          if (dt !== undefined) return dt;
        }
        return getField(this, name, spec, resource);
      };
    case "date":
      return function (this: MambuStruct) {
        const dirty = this[DIRTY];
        if (dirty !== undefined && dirty.has(name)) return assigned(this, name);
        const raw = this[WIRE][name]; // a string is final before its page is settled
        return typeof raw === "string" ? parseWireDate(raw) : getField(this, name, spec, resource);
      };
    case "string":
    case "boolean":
    case "integer":
      return function (this: MambuStruct) {
        const dirty = this[DIRTY];
        if (dirty !== undefined && dirty.has(name)) return assigned(this, name);
        const wire = this[WIRE][name]; // strings and booleans are final before the page is settled, numbers are not
        if (typeof wire === "string" || typeof wire === "boolean" || wire === undefined) return wire;
        const raw = exactWire(this)[name];
        return typeof raw !== "object" ? raw : getField(this, name, spec, resource);
      };
    default:
      return function (this: MambuStruct) {
        return getField(this, name, spec, resource);
      };
  }
}

/** A value the user assigned to a field (setField keeps it in the store). */
function assigned(s: MambuStruct, name: string): unknown {
  const vals = s[VALS];
  return vals !== undefined ? vals[name] : undefined;
}

/**
 * The prototype of value stores: empty, frozen, itself without a prototype — a store inherits
 * nothing (no `__proto__` accessor, no `constructor`: `in` sees its own keys only, as on
 * `Object.create(null)`), but starts with fast properties, where `Object.create(null)` makes a
 * dictionary per struct.
 */
const STORE_PROTO: object = Object.freeze(Object.create(null) as object);

/** A new value store (see {@link STORE_PROTO}). */
function newStore(): Bag {
  return Object.create(STORE_PROTO) as Bag;
}

/** Reads a field through the store (converted lazily, cached). @internal */
export function getField(s: MambuStruct, name: string, spec: FieldSpec | undefined, resource: string): unknown {
  const vals = s[VALS];
  if (vals !== undefined && name in vals) return vals[name]; // a null-prototype store: `in` sees own keys only
  const raw = exactWire(s)[name];
  if (raw === undefined || raw === null) return raw;
  const v = spec ? hydrateField(spec, raw, resource, rootOf(s)) : raw;
  if (v !== raw || typeof raw === "object") (s[VALS] ??= newStore())[name] = v;
  return v;
}

/** Writes a field (marks it changed). @internal */
export function setField(s: MambuStruct, name: string, v: unknown): void {
  (s[VALS] ??= newStore())[name] = v;
  (s[DIRTY] ??= new Set()).add(name);
}

function assignFields(s: MambuStruct, fields: Bag): void {
  const specs = specsOfInstance(s);
  for (const [k, v] of Object.entries(fields)) {
    if (hasOwn(specs, k) || isCustomFieldKey(k)) setField(s, k, v);
    else (s as unknown as Bag)[k] = v;
  }
}

/** The entity a struct belongs to (itself for entities). @internal */
export function rootOf(s: MambuStruct): MambuStruct {
  return s[ROOT] ?? s;
}

const voClasses = new Map<string, StructClass>();
const registeredVoClasses = new Map<string, StructClass>();
const inlineClasses = new WeakMap<object, StructClass>();

/**
 * Makes `cls` the class of the value objects of (resource, definition) built from now on, instead
 * of the generic one (`registerValueObjectClass` in value-objects.ts checks it, then calls this).
 * @internal
 */
export function setValueObjectClass(resource: string, def: string, cls: StructClass): void {
  registeredVoClasses.set(`${resource}/${def}`, cls);
  voGeneration++;
}

/** Bumped whenever a value-object class is registered: the per-spec cache below is then stale. */
let voGeneration = 0;
/** The value-object class of a `ref` field spec, by spec object (so that reading a nested object builds no key string). */
const voClassBySpec = new WeakMap<FieldSpec, { resource: string; generation: number; cls: StructClass }>();

/** {@link valueObjectClass} of a field spec with a `ref`, cached per spec object. */
function refClass(spec: FieldSpec, resource: string): StructClass {
  const hit = voClassBySpec.get(spec);
  if (hit !== undefined && hit.resource === resource && hit.generation === voGeneration) return hit.cls;
  const cls = valueObjectClass(resource, spec.ref!);
  voClassBySpec.set(spec, { resource, generation: voGeneration, cls });
  return cls;
}

/** The value-object class for a definition of a resource: the registered one, else a generic one (created once). @internal */
export function valueObjectClass(resource: string, def: string): StructClass {
  const key = `${resource}/${def}`;
  let cls = registeredVoClasses.get(key) ?? voClasses.get(key);
  if (!cls) {
    cls = class extends MambuValueObject {
      static override resource = resource;
      static override definition = def;
    } as unknown as StructClass;
    Object.defineProperty(cls, "name", { value: def });
    voClasses.set(key, cls);
  }
  return cls;
}

function inlineClass(resource: string, fields: Record<string, FieldSpec>): StructClass {
  let cls = inlineClasses.get(fields);
  if (!cls) {
    cls = class extends MambuValueObject {
      static override resource = resource;
    } as unknown as StructClass;
    fieldSpecCache.set(cls, fields);
    inlineClasses.set(fields, cls);
  }
  return cls;
}

/** A nested object of an entity (e.g. `loan.disbursementDetails`), typed by its definition. */
export class MambuValueObject extends MambuStruct {}

/**
 * Builds a struct of a class over a wire object without copying it; `page`: the pending listing page
 * `raw` belongs to (its numbers are placed on the struct's first access to `RAW`). @internal
 */
export function structFromWire<T extends MambuStruct>(cls: StructClass, raw: Bag, root?: MambuStruct, page?: PendingPage): T {
  ensureAccessors(cls);
  const s = Object.create(cls.prototype) as T;
  s[WIRE] = raw;
  s[PENDING] = page;
  s[VALS] = undefined;
  s[DIRTY] = undefined;
  s[ROOT] = root;
  return s;
}

/** Wire value → user value for a field spec. @internal */
export function hydrateField(spec: FieldSpec, raw: unknown, resource: string, root: MambuStruct): unknown {
  if (raw === null || raw === undefined) return raw;
  switch (spec.type) {
    case "object":
      if (!isPlainObject(raw)) return raw;
      if (spec.ref) return structFromWire(refClass(spec, resource), raw, root);
      if (spec.fields) return structFromWire(inlineClass(resource, spec.fields), raw, root);
      return cloneWire(raw);
    case "array": {
      if (!Array.isArray(raw)) return raw;
      const items = spec.items;
      return items ? raw.map((x) => hydrateField(items, x, resource, root)) : cloneWire(raw);
    }
    case "any":
    case "binary":
      return cloneWire(raw);
    case "datetime":
      // a date-time sent without an offset takes the tenant's or the entity's, never the machine's zone
      if (typeof raw !== "string") return raw;
      return fastWireDateTime(raw) ?? parseWireDateTime(raw, offsetSourceOf(root)); // the offset source only when one may be needed
    default:
      return hydrateScalar(spec.type as ScalarKind, raw);
  }
}

/** The UTC offset used for naive dates of a struct: config tenantoffset, else the entity's own. @internal */
export function offsetSourceOf(s: MambuStruct): OffsetSource {
  return () => {
    const root = rootOf(s);
    const conn = (root as unknown as { [CONN]?: { config: typeof mambuconfig } })[CONN];
    const configured = (conn?.config ?? mambuconfig).tenantoffset;
    if (configured) return configured;
    if (root[OFFSET] === undefined) root[OFFSET] = findOffset(root[RAW]);
    return root[OFFSET] ?? undefined;
  };
}

const OFFSET_AT_END = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-]\d{2}:\d{2}|Z)$/;

/** The UTC offset a date-time text ends with (`Z` is `+00:00`), if any. */
function offsetAtEnd(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const m = OFFSET_AT_END.exec(v);
  return m ? (m[1] === "Z" ? "+00:00" : m[1]) : undefined;
}

/** The entity's own offset: that of its first top-level date-time that carries one. */
function findOffset(raw: Bag): string | null {
  for (const k of ["creationDate", "lastModifiedDate", "approvedDate", "activationDate", "valueDate", "bookingDate"]) {
    const o = offsetAtEnd(getOwnValue(raw, k));
    if (o) return o;
  }
  for (const k of Object.keys(raw)) {
    const o = offsetAtEnd(raw[k]);
    if (o) return o;
  }
  return null;
}

function getOwnValue(o: Bag, k: string): unknown {
  return hasOwn(o, k) ? o[k] : undefined;
}

function isContainer(v: unknown): boolean {
  return typeof v === "object" && v !== null && !(v instanceof RawNumber) && !Decimal.isDecimal(v) && !DateTime.isDateTime(v) && !(v instanceof Date);
}

/** The spec of a field by name, never an inherited member of the specs object (`constructor`, `__proto__`). */
function specOf(specs: Record<string, FieldSpec> | undefined, k: string): FieldSpec | undefined {
  return specs !== undefined && hasOwn(specs, k) ? specs[k] : undefined;
}

/**
 * The exact wire object of a struct: untouched fields as read, changed ones converted. Keys from
 * Mambu are data: a key `__proto__` is written as an own key, like any other. @internal
 */
export function toWire(s: MambuStruct): Bag {
  absorbNewSets(s);
  const raw = s[RAW];
  const vals = s[VALS];
  const dirty = s[DIRTY];
  const specs = specsOfInstance(s);
  const out: Bag = {};
  for (const k in raw) {
    if (isCustomFieldKey(k)) {
      const w = customFieldSetToWire(s, k);
      if (w !== undefined) setOwn(out, k, w);
    } else if (vals !== undefined && hasOwn(vals, k)) {
      const v = vals[k];
      if (v === undefined) continue;
      setOwn(out, k, dirty?.has(k) || isContainer(v) ? dehydrate(specOf(specs, k), v, k, s) : raw[k]);
    } else {
      setOwn(out, k, raw[k]);
    }
  }
  if (vals !== undefined) {
    for (const k in vals) {
      if (hasOwn(raw, k) || vals[k] === undefined) continue;
      setOwn(out, k, isCustomFieldKey(k) ? customFieldSetToWire(s, k) : dehydrate(specOf(specs, k), vals[k], k, s));
    }
  }
  for (const k of Object.keys(s)) {
    const v = (s as unknown as Bag)[k];
    if (v === undefined) delete out[k];
    else setOwn(out, k, dehydrate(specOf(specs, k), v, k, s));
  }
  return out;
}

/** User value → wire value, following the field spec when there is one. @internal */
export function dehydrate(spec: FieldSpec | undefined, v: unknown, path: string, s: MambuStruct, resource: string = rootResource(s)): unknown {
  if (v === undefined || v === null) return v;
  if (v instanceof MambuStruct) return toWire(v);
  if (v instanceof RawNumber) return v;
  if (Array.isArray(v)) {
    if (spec && spec.type !== "array" && spec.type !== "any") throw new MambuTsError(`${path}: expected ${spec.type}, got an array`);
    return v.map((x, i) => dehydrate(spec?.items, x, `${path}[${i}]`, s, resource));
  }
  if (Decimal.isDecimal(v)) return spec && spec.type !== "decimal" && spec.type !== "any" ? dehydrateScalar(spec, v, path, offsetSourceOf(s)) : toWireDecimal(v, path);
  if (DateTime.isDateTime(v) || v instanceof Date) {
    if (spec?.type === "date") return toWireDate(v, path, offsetSourceOf(s));
    return toWireDateTime(v, path, offsetSourceOf(s));
  }
  if (isPlainObject(v)) {
    if (spec && spec.type !== "object" && spec.type !== "any") throw new MambuTsError(`${path}: expected ${spec.type}, got an object`);
    const fields = spec?.ref ? definition(resource, spec.ref).fields : spec?.fields;
    const out: Bag = {};
    for (const [k, x] of Object.entries(v)) {
      if (fields && !hasOwn(fields, k) && !isCustomFieldKey(k)) {
        throw new MambuTsError(`${path}.${k}: unknown field (known: ${Object.keys(fields).slice(0, 12).join(", ")}${Object.keys(fields).length > 12 ? ", ..." : ""})`);
      }
      setOwn(out, k, dehydrate(specOf(fields, k), x, `${path}.${k}`, s, resource));
    }
    return out;
  }
  if (spec && spec.type !== "object" && spec.type !== "array") return dehydrateScalar(spec, v, path, offsetSourceOf(s));
  if (spec && (spec.type === "object" || spec.type === "array")) throw new MambuTsError(`${path}: expected ${spec.type}, got ${describe(v)}`);
  return v;
}

function rootResource(s: MambuStruct): string {
  return (s.constructor as StructClass).resource;
}

/** Replaces the baseline of a struct with a new wire object (after a read or a write). @internal */
export function resetFromWire(s: MambuStruct, raw: Bag): void {
  s[RAW] = raw;
  s[VALS] = undefined;
  forgetDueTypes(s);
  s[DIRTY] = undefined;
  s[OFFSET] = undefined;
  for (const k of Object.keys(s)) delete (s as unknown as Bag)[k];
}

/** Formats a user value for the REPL. @internal */
export function displayValue(v: unknown, key: string, currencyDecimals = 2): unknown {
  if (Decimal.isDecimal(v)) {
    const d = v as Decimal;
    const money = !/rate|percent|ratio|spread/i.test(key);
    const text = money ? d.toFixed(Math.max(currencyDecimals, d.decimalPlaces())) : d.toString();
    return { [inspect.custom]: (_d: number, o: { stylize: (s: string, st: string) => string }) => o.stylize(text, "number") };
  }
  if (DateTime.isDateTime(v)) {
    const text = v.isValid ? (/T00:00:00/.test(v.toISO() ?? "") && v.zone.name === "UTC" ? (v.toISODate() as string) : formatWireDateTime(v)) : "Invalid DateTime";
    return { [inspect.custom]: (_d: number, o: { stylize: (s: string, st: string) => string }) => o.stylize(text, "date") };
  }
  return v;
}

/**
 * The value of a field for display, by name as it comes from the wire: own properties (unknown
 * fields, custom field accessors) as they read; a custom field set whose name could not be an
 * accessor (`__proto__`) from its live set; schema fields through the store (also those named like
 * a method); an unknown field shadowed by a method (`toString`) as read. Never an inherited member.
 */
function shownField(s: MambuStruct, k: string): unknown {
  if (hasOwn(s, k)) return (s as unknown as Bag)[k];
  if (isCustomFieldKey(k)) return liveSet(s, k);
  const cls = s.constructor as StructClass;
  const spec = specOf(fieldSpecsOf(cls), k);
  if (spec !== undefined) return getField(s, k, spec, cls.resource);
  const vals = s[VALS];
  if (vals !== undefined && hasOwn(vals, k)) return vals[k];
  return hasOwn(s[RAW], k) ? s[RAW][k] : undefined;
}

/** Shared REPL rendering of structs and entities. @internal */
export function inspectStruct(
  s: MambuStruct,
  label: string,
  depth: number,
  options: { stylize: (s: string, style: string) => string },
  insp: typeof inspect,
): string {
  if (depth < 0) return options.stylize(`[${label}]`, "special");
  const shown: Bag = {};
  const root = rootOf(s);
  const decimals = currencyDigits(currencyOf(root[RAW]) ?? currencyOf(s[RAW]));
  const names = new Set<string>([...Object.keys(s[RAW]), ...Object.keys(s[VALS] ?? {}), ...Object.keys(s)]);
  for (const k of names) {
    const v = shownField(s, k);
    if (v === undefined) continue;
    setOwn(shown, k, displayValue(v, k, decimals));
  }
  const body = insp(shown, { ...(options as object), depth: (options as unknown as { depth?: number | null }).depth == null ? 2 : ((options as unknown as { depth: number }).depth - 1) } as never);
  return `${label} ${body}`;
}
