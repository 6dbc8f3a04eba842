/**
 * `configuration/customfields.yaml`: the tenant's custom field sets with their fields as one document
 * (`CustomFieldsConfiguration`; `?availableFor=` keeps the sets of those entity types), and
 * `configuration/customfields/template.yaml` (an example document).
 *
 * Shapes: a set's `name` is its `displaySettings.displayName`, `type` SINGLE/GROUPED its `fieldSetType`
 * STANDARD/GROUPED; a field's `validationRules` are its `valueValidationSettings`, `usage[].id` the id of the
 * record type its `objectKey` names, `dependentFieldId` the id of its `dependentFieldKey`, selection options'
 * `forSelectionId`/`selectionId` their `forSelectionKey`/`selectionKey`, and access rights' roles are role ids.
 *
 * A PUT creates and updates sets and fields to match the document. A field the document no longer lists is
 * deleted when no record has a value for it, else deactivated (kept INACTIVE, with a warning); a set the
 * document no longer lists goes with its fields (kept, with its fields INACTIVE, while records have values).
 */
import type { SandboxContext } from "../router";
import type { CollectionName, WireRecord } from "../types";
import { mambuError } from "../errors";

interface FieldConfig {
  id: string;
  type: string;
  state: string;
  displaySettings: { displayName: string; description?: string; fieldSize: string };
  validationRules?: { validationPattern?: string; unique?: boolean };
  usage?: Array<{ id?: string; required?: boolean; default?: boolean }>;
  selectionOptions?: Array<{ forSelectionId?: string; availableOptions: Array<{ selectionId: string; value: string; score?: number | string }> }>;
  editRights?: { allUsers?: boolean; roles?: string[] };
  viewRights?: { allUsers?: boolean; roles?: string[] };
  dependentFieldId?: string;
  required?: boolean;
  default?: boolean;
}

interface SetConfig {
  id: string;
  name: string;
  description?: string;
  type: "SINGLE" | "GROUPED";
  availableFor: string;
  customFields?: FieldConfig[];
}

/** Collections whose records carry custom field values (`_<set>` keys). */
const HOLDERS: CollectionName[] = ["clients", "groups", "loans", "deposits", "branches", "centres", "users", "creditarrangements"];

/** Collections that usage `objectKey`s may name (record types). */
const RECORD_TYPES: CollectionName[] = ["loanproducts", "depositproducts"];

const byId = <T extends { id?: unknown }>(a: T, b: T): number => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);

function idOfKey(ctx: SandboxContext, colls: CollectionName[], key: string): string {
  for (const c of colls) {
    const r = ctx.store.find(c, key);
    if (r && r.id !== undefined) return String(r.id);
  }
  return key;
}

function keyOfId(ctx: SandboxContext, colls: CollectionName[], id: string): string {
  for (const c of colls) {
    const r = ctx.store.find(c, id);
    if (r) return r.encodedKey;
  }
  return id;
}

function rightsOf(ctx: SandboxContext, r: unknown): { allUsers?: boolean; roles?: string[] } | undefined {
  if (!r || typeof r !== "object") return undefined;
  const x = r as { allUsers?: boolean; roles?: string[] };
  const out: { allUsers?: boolean; roles?: string[] } = {};
  if (typeof x.allUsers === "boolean") out.allUsers = x.allUsers;
  if (Array.isArray(x.roles)) out.roles = x.roles.map((k) => idOfKey(ctx, ["userroles"], String(k)));
  return out;
}

function fieldConfig(ctx: SandboxContext, f: WireRecord): FieldConfig {
  const ds = (f.displaySettings ?? {}) as Record<string, unknown>;
  const out: FieldConfig = {
    id: String(f.id),
    type: String(f.type),
    state: f.state === "INACTIVE" ? "INACTIVE" : "ACTIVE",
    displaySettings: { displayName: String(ds.displayName ?? f.id), fieldSize: ds.fieldSize === "LONG" ? "LONG" : "SHORT" },
  };
  if (typeof ds.description === "string" && ds.description !== "") out.displaySettings.description = ds.description;
  const vv = f.valueValidationSettings as { validationPattern?: string; unique?: boolean } | undefined;
  if (vv && (vv.validationPattern !== undefined || vv.unique !== undefined)) out.validationRules = { ...vv };
  const usage = f.usage as Array<{ objectKey?: string; required?: boolean; default?: boolean }> | undefined;
  if (usage?.length) {
    out.usage = usage.map((u) => ({ ...(u.objectKey ? { id: idOfKey(ctx, RECORD_TYPES, u.objectKey) } : {}), required: u.required === true, default: u.default === true }));
  }
  const opts = f.selectionOptions as Array<{ forSelectionKey?: string; availableOptions?: Array<{ selectionKey?: string; value?: string; score?: number }> }> | undefined;
  if (opts?.length) {
    out.selectionOptions = opts.map((o) => ({
      ...(o.forSelectionKey ? { forSelectionId: o.forSelectionKey } : {}),
      availableOptions: (o.availableOptions ?? []).map((a) => ({ selectionId: String(a.selectionKey ?? a.value), value: String(a.value ?? ""), ...(a.score !== undefined ? { score: a.score } : {}) })),
    }));
  }
  const edit = rightsOf(ctx, f.editRights);
  if (edit) out.editRights = edit;
  const view = rightsOf(ctx, f.viewRights);
  if (view) out.viewRights = view;
  if (typeof f.dependentFieldKey === "string") out.dependentFieldId = idOfKey(ctx, ["customfields"], f.dependentFieldKey);
  if (typeof f.required === "boolean") out.required = f.required;
  if (typeof f.default === "boolean") out.default = f.default;
  return out;
}

/** The `CustomFieldsConfiguration` document (the sets of `availableFor` types only, when given). */
export function customFieldsDocument(ctx: SandboxContext, availableFor?: string[]): { customFieldSets: SetConfig[] } {
  const sets = ctx.store
    .all("customfieldsets")
    .filter((s) => !availableFor || availableFor.includes(String(s.availableFor)))
    .sort(byId)
    .map((s) => {
      const ds = (s.displaySettings ?? {}) as Record<string, unknown>;
      const out: SetConfig = {
        id: String(s.id),
        name: String(ds.displayName ?? s.id),
        type: s.fieldSetType === "GROUPED" ? "GROUPED" : "SINGLE",
        availableFor: String(s.availableFor),
      };
      if (typeof s.description === "string" && s.description !== "") out.description = s.description;
      const fields = ((s.customFields as Array<{ id?: string; encodedKey?: string }> | undefined) ?? [])
        .map((ref) => ctx.store.find("customfields", String(ref.encodedKey ?? ref.id)))
        .filter((f): f is WireRecord => f !== undefined)
        .map((f) => fieldConfig(ctx, f));
      out.customFields = fields;
      return out;
    });
  return { customFieldSets: sets };
}

/** The example document of `customfields/template.yaml`. */
export function customFieldsTemplate(): { customFieldSets: SetConfig[] } {
  return {
    customFieldSets: [
      {
        id: "_example_set",
        name: "Example set",
        description: "An example custom field set",
        type: "SINGLE",
        availableFor: "CLIENT",
        customFields: [
          { id: "example_field", type: "FREE_TEXT", state: "ACTIVE", displaySettings: { displayName: "Example field", description: "An example field", fieldSize: "SHORT" } },
        ],
      },
    ],
  };
}

/** Whether any record holds a value of `fieldId` in set `setId`. */
function fieldInUse(ctx: SandboxContext, setId: string, fieldId: string): boolean {
  const has = (row: unknown): boolean =>
    !!row && typeof row === "object" && Object.prototype.hasOwnProperty.call(row, fieldId) && (row as Record<string, unknown>)[fieldId] !== null && (row as Record<string, unknown>)[fieldId] !== "";
  return HOLDERS.some((c) =>
    ctx.store.all(c).some((r) => {
      if (!Object.prototype.hasOwnProperty.call(r, setId)) return false;
      const v = r[setId];
      return Array.isArray(v) ? v.some(has) : has(v);
    }),
  );
}

function fieldRecord(ctx: SandboxContext, f: FieldConfig, availableFor: string, old: WireRecord | undefined, now: string): WireRecord {
  const rec: WireRecord = {
    ...(old ?? { encodedKey: ctx.store.newEncodedKey(), creationDate: now }),
    id: f.id,
    type: f.type,
    state: f.state,
    availableFor,
    displaySettings: { ...((old?.displaySettings as Record<string, unknown> | undefined) ?? {}), ...f.displaySettings },
    lastModifiedDate: now,
  };
  if (f.displaySettings.description === undefined) delete (rec.displaySettings as Record<string, unknown>).description;
  const put = (k: string, v: unknown): void => {
    if (v === undefined) delete rec[k];
    else rec[k] = v;
  };
  put("valueValidationSettings", f.validationRules ? { ...f.validationRules } : undefined);
  put("usage", f.usage?.map((u) => ({ ...(u.id !== undefined ? { objectKey: keyOfId(ctx, RECORD_TYPES, u.id) } : {}), required: u.required === true, default: u.default === true })));
  put(
    "selectionOptions",
    f.selectionOptions?.map((o) => ({
      ...(o.forSelectionId !== undefined ? { forSelectionKey: o.forSelectionId } : {}),
      availableOptions: o.availableOptions.map((a) => ({ selectionKey: a.selectionId, value: a.value, ...(a.score !== undefined ? { score: a.score } : {}) })),
    })),
  );
  const rights = (r: FieldConfig["editRights"]): unknown =>
    r ? { ...(r.allUsers !== undefined ? { allUsers: r.allUsers } : {}), ...(r.roles ? { roles: r.roles.map((id) => keyOfId(ctx, ["userroles"], id)) } : {}) } : undefined;
  put("editRights", rights(f.editRights));
  put("viewRights", rights(f.viewRights));
  put("required", f.required);
  put("default", f.default);
  return rec;
}

/** Applies a validated `CustomFieldsConfiguration`; returns the warnings. */
export function applyCustomFields(ctx: SandboxContext, doc: { customFieldSets: SetConfig[] }): string[] {
  if (!doc.customFieldSets.length) throw mambuError("CUSTOM_FIELDS_CONFIGURATION_EMPTY", "customFieldSets: at least one set");
  const setIds = new Set<string>();
  const fieldIds = new Map<string, string>(); // field id -> set id
  doc.customFieldSets.forEach((s, i) => {
    if (!s.id.startsWith("_") || s.id.length < 2) throw mambuError("CF_SET_INVALID_ID", `customFieldSets[${i}].id: ${s.id} (a set id starts with "_")`);
    if (setIds.has(s.id)) throw mambuError("CF_SET_DUPLICATE_ID", `customFieldSets[${i}].id: ${s.id}`);
    setIds.add(s.id);
    (s.customFields ?? []).forEach((f, j) => {
      if (f.id.trim() === "" || f.id.startsWith("_")) throw mambuError("CF_SET_INVALID_ID", `customFieldSets[${i}].customFields[${j}].id: ${JSON.stringify(f.id)}`);
      if (fieldIds.has(f.id)) throw mambuError("CF_SET_DUPLICATE_ID", `customFieldSets[${i}].customFields[${j}].id: ${f.id} is listed twice`);
      fieldIds.set(f.id, s.id);
    });
  });
  for (const s of doc.customFieldSets) {
    for (const f of s.customFields ?? []) {
      if (f.dependentFieldId !== undefined && !fieldIds.has(f.dependentFieldId)) {
        throw mambuError("CF_SET_INVALID_ID", `${s.id}.${f.id}.dependentFieldId: no field ${f.dependentFieldId} in the document`);
      }
    }
  }
  const now = ctx.clock.nowIso();
  const warnings: string[] = [];
  // Fields that leave (their set leaves, or the set no longer lists them).
  const kept = new Map<string, string[]>(); // set id -> ids of leaving fields kept INACTIVE (in use)
  for (const set of ctx.store.all("customfieldsets")) {
    const refs = (set.customFields as Array<{ id?: string; encodedKey?: string }> | undefined) ?? [];
    for (const ref of refs) {
      const f = ctx.store.find("customfields", String(ref.encodedKey ?? ref.id));
      if (!f || fieldIds.get(String(f.id)) === set.id) continue;
      if (fieldIds.has(String(f.id))) continue; // moved to another set of the document: updated below
      if (fieldInUse(ctx, String(set.id), String(f.id))) {
        ctx.store.replace("customfields", { ...f, state: "INACTIVE", lastModifiedDate: now });
        kept.set(String(set.id), [...(kept.get(String(set.id)) ?? []), String(f.id)]);
        warnings.push(`Custom field [id = ${f.id}] could not be deleted and was deactivated`);
      } else {
        ctx.store.remove("customfields", f.encodedKey);
      }
    }
  }
  // Sets and fields of the document.
  for (const s of doc.customFieldSets) {
    const refs: Array<{ id: string; encodedKey: string }> = [];
    for (const f of s.customFields ?? []) {
      const old = ctx.store.find("customfields", f.id);
      const rec = fieldRecord(ctx, f, s.availableFor, old, now);
      if (old) ctx.store.replace("customfields", rec);
      else ctx.store.insert("customfields", rec);
      refs.push({ id: f.id, encodedKey: rec.encodedKey });
    }
    for (const id of kept.get(s.id) ?? []) {
      const f = ctx.store.find("customfields", id);
      if (f) refs.push({ id, encodedKey: f.encodedKey });
    }
    const old = ctx.store.find("customfieldsets", s.id);
    const rec: WireRecord = {
      ...(old ?? { encodedKey: ctx.store.newEncodedKey(), creationDate: now }),
      id: s.id,
      availableFor: s.availableFor,
      fieldSetType: s.type === "GROUPED" ? "GROUPED" : "STANDARD",
      displaySettings: { builtIn: false, position: 1, ...((old?.displaySettings as Record<string, unknown> | undefined) ?? {}), displayName: s.name },
      customFields: refs,
    };
    if (s.description !== undefined) rec.description = s.description;
    else delete rec.description;
    if (old) ctx.store.replace("customfieldsets", rec);
    else ctx.store.insert("customfieldsets", rec);
  }
  // Sets the document no longer lists: gone, unless fields of theirs are kept.
  for (const set of ctx.store.all("customfieldsets").filter((x) => !setIds.has(String(x.id)))) {
    const still = kept.get(String(set.id)) ?? [];
    if (!still.length) {
      ctx.store.remove("customfieldsets", set.encodedKey);
    } else {
      const refs = still.map((id) => ({ id, encodedKey: ctx.store.find("customfields", id)?.encodedKey ?? id }));
      ctx.store.replace("customfieldsets", { ...set, customFields: refs });
      warnings.push(`Custom field set [id = ${set.id}] could not be deleted: records have values of its fields`);
    }
  }
  return warnings;
}
