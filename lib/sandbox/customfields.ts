/**
 * Custom field sets on written records, checked against the tenant's `customfieldsets` and `customfields`:
 * a set must exist for the entity (availableFor), a standard set is an object of its fields, a grouped set a
 * list of such objects; values are strings (numbers and booleans accepted) that fit the field's type
 * (NUMBER, CHECKBOX TRUE/FALSE, DATE YYYY-MM-DD, SELECTION options, CLIENT_LINK/GROUP_LINK/USER_LINK keys of
 * existing records). A tenant without any set definitions for an entity accepts any set.
 */
import { invalidParameters } from "./errors";
import type { SandboxContext } from "./router";
import type { WireRecord } from "./types";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkValue(ctx: SandboxContext, field: WireRecord | undefined, value: unknown, where: string): void {
  if (value === null || value === undefined) return;
  if (!["string", "number", "boolean"].includes(typeof value)) throw invalidParameters(`${where}: a custom field value must be a string`);
  if (!field) return;
  const s = String(value);
  switch (field.type) {
    case "NUMBER":
      if (s !== "" && !/^-?\d+(\.\d+)?$/.test(s)) throw invalidParameters(`${where}: "${s}" is not a number`);
      return;
    case "CHECKBOX":
      if (!/^(true|false)$/i.test(s)) throw invalidParameters(`${where}: expected TRUE or FALSE, got "${s}"`);
      return;
    case "DATE":
      if (s !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(s)) throw invalidParameters(`${where}: expected a date (YYYY-MM-DD), got "${s}"`);
      return;
    case "SELECTION": {
      const opts = ((field.selectionOptions as Array<{ availableOptions?: Array<{ value?: string }> }> | undefined) ?? [])
        .flatMap((o) => o.availableOptions ?? [])
        .map((o) => o.value);
      if (opts.length && s !== "" && !opts.includes(s)) throw invalidParameters(`${where}: "${s}" is not one of ${opts.join(", ")}`);
      return;
    }
    case "CLIENT_LINK":
    case "GROUP_LINK":
    case "USER_LINK": {
      const coll = field.type === "CLIENT_LINK" ? "clients" : field.type === "GROUP_LINK" ? "groups" : "users";
      if (s !== "" && !ctx.store.find(coll, s)) throw invalidParameters(`${where}: no ${coll.slice(0, -1)} with key ${s}`);
      return;
    }
    default:
      return;
  }
}

/**
 * Validates the `_` keys of a record for an entity type (CLIENT, GROUP, LOAN_ACCOUNT, ...). Throws 400.
 * Link values given as ids are normalised to encodedKeys in place.
 */
export function validateCustomFields(ctx: SandboxContext, availableFor: string | undefined, rec: Record<string, unknown>): void {
  const keys = Object.keys(rec).filter((k) => k.startsWith("_"));
  if (!keys.length || !availableFor) return;
  const sets = ctx.store.all("customfieldsets").filter((s) => s.availableFor === availableFor);
  if (!sets.length) return;
  const fields = new Map(ctx.store.all("customfields").map((f) => [String(f.id), f]));
  for (const k of keys) {
    const set = sets.find((s) => s.id === k);
    if (!set) throw invalidParameters(`${k}: unknown custom field set for ${availableFor}`);
    const ids = new Set(((set.customFields as Array<{ id?: string }> | undefined) ?? []).map((f) => String(f.id)));
    const grouped = set.fieldSetType === "GROUPED";
    const v = rec[k];
    if (v === null) continue;
    const rows = grouped ? v : [v];
    if (grouped && !Array.isArray(v)) throw invalidParameters(`${k}: a grouped custom field set takes a list of entries`);
    if (!grouped && !isObj(v)) throw invalidParameters(`${k}: a standard custom field set takes an object`);
    (rows as unknown[]).forEach((row, i) => {
      if (!isObj(row)) throw invalidParameters(`${k}[${i}]: an entry must be an object`);
      for (const [f, x] of Object.entries(row)) {
        if (grouped && f === "_index") continue;
        if (!ids.has(f)) throw invalidParameters(`${k}.${f}: unknown custom field`);
        const def = fields.get(f);
        checkValue(ctx, def, x, grouped ? `${k}[${i}].${f}` : `${k}.${f}`);
        if (def && typeof x === "string" && /_LINK$/.test(String(def.type))) {
          const coll = def.type === "CLIENT_LINK" ? "clients" : def.type === "GROUP_LINK" ? "groups" : "users";
          const target = ctx.store.find(coll, x);
          if (target) row[f] = target.encodedKey;
        }
      }
    });
  }
}
