/**
 * How the Services and Payments APIs' bodies carry `Decimal`s: as their contract types each field. A decimal the
 * contract keeps a string (`asString`: the Services API's `Amount.value`, `AccountingRate.rate`; the Payments API's
 * amounts) is written as a string of digits in plain notation (`"0.00000012"`, never `"1.2e-7"`); a decimal the
 * contract types as a JSON number (`buy_rate`, `sell_rate`, an index rate) is written as that number, exactly and in
 * plain notation (`16.123456789012345678`, every digit kept — no double in between). Plain objects and arrays are
 * copied; anything else is kept as it is (the contract check that follows reports what does not fit).
 */
import { Decimal } from "./money";
import { resource } from "../contract/schema";
import type { ApiName, FieldSpec, ResourceSpec } from "../contract/schema";
import { hasOwn } from "./clone";
import { RawNumber } from "./json";

/** Deepest nesting walked (bodies are bounded by the transport; this bounds the walk). */
const MAX_DEPTH = 64;

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function fieldsOf(res: ResourceSpec, spec: FieldSpec | undefined): Record<string, FieldSpec> | undefined {
  if (!spec || spec.type !== "object") return undefined;
  if (spec.ref) return hasOwn(res.definitions, spec.ref) ? res.definitions[spec.ref].fields : undefined;
  return spec.fields;
}

function itemsOf(res: ResourceSpec, spec: FieldSpec | undefined): FieldSpec | undefined {
  if (!spec) return undefined;
  if (spec.type === "array") return spec.items;
  if (spec.type === "object" && spec.ref && hasOwn(res.definitions, spec.ref)) return res.definitions[spec.ref].items;
  return undefined;
}

function walk(res: ResourceSpec, spec: FieldSpec | undefined, value: unknown, depth: number): unknown {
  if (Decimal.isDecimal(value)) {
    const d = value as Decimal;
    if (!d.isFinite()) return value;
    // a number field: the exact JSON number; a decimal string (or a field the contract does not know): digits
    return spec?.type === "decimal" && !spec.asString ? new RawNumber(d.toFixed()) : d.toFixed();
  }
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = itemsOf(res, spec);
    return value.map((v) => walk(res, items, v, depth + 1));
  }
  if (!isPlain(value)) return value;
  const fields = fieldsOf(res, spec);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const field = fields && hasOwn(fields, k) ? fields[k] : undefined;
    // defineProperty: a key such as "__proto__" stays a plain field (the contract check reports it next).
    Object.defineProperty(out, k, { value: walk(res, field, v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The body of a Services or Payments operation with each `Decimal` written as its field's contract says (see the
 * module comment). `spec` is the operation's body spec; `resourceName` and `api` name where its definitions are.
 */
export function wireDecimals(api: ApiName, resourceName: string, spec: FieldSpec | undefined, value: unknown): unknown {
  return walk(resource(resourceName, api), spec, value, 0);
}
