/**
 * Custom field values of branches and centres in configuration-as-code shape (`customFieldValueSets`: a set's
 * `standardCustomFieldValues`, or its `groupedCustomFieldValues` by `index`) and back to the records' `_<set>`
 * keys (a standard set an object of values, a grouped set a list of such objects, as the JSON API keeps them).
 * Sets are ordered by id and values by custom field id, as Mambu's YAML is.
 */
import { invalidParameters } from "../errors";
import { isForbiddenSegment } from "../safe-keys";
import type { WireRecord } from "../types";

/** One `CustomFieldValueSetConfiguration`. */
export interface ValueSetConfig {
  id: string;
  standardCustomFieldValues?: Array<{ customFieldId: string; value: string }>;
  groupedCustomFieldValues?: Array<{ index: number; customFieldValues: Array<{ customFieldId: string; value: string }> }>;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function values(row: Record<string, unknown>): Array<{ customFieldId: string; value: string }> {
  return Object.keys(row)
    .filter((k) => !k.startsWith("_") && row[k] !== null && row[k] !== undefined)
    .sort(byId)
    .map((k) => ({ customFieldId: k, value: String(row[k]) }));
}

/** The `customFieldValueSets` of a record (undefined when it has none). */
export function valueSetsOf(rec: WireRecord): ValueSetConfig[] | undefined {
  const sets: ValueSetConfig[] = [];
  for (const k of Object.keys(rec).filter((x) => x.startsWith("_")).sort(byId)) {
    const v = rec[k];
    if (Array.isArray(v)) {
      const groups = v
        .map((row, index) => ({ index, customFieldValues: values((row ?? {}) as Record<string, unknown>) }))
        .filter((g) => g.customFieldValues.length);
      if (groups.length) sets.push({ id: k, groupedCustomFieldValues: groups });
    } else if (v && typeof v === "object") {
      const vs = values(v as Record<string, unknown>);
      if (vs.length) sets.push({ id: k, standardCustomFieldValues: vs });
    }
  }
  return sets.length ? sets : undefined;
}

/**
 * The `_<set>` keys of a record for `customFieldValueSets` (validated by the caller against the definition).
 * @throws SandboxError 400 for a set with both or neither kind of values, duplicate set ids, indexes or fields.
 */
export function valueSetsToRecord(sets: ValueSetConfig[] | undefined, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [i, s] of (sets ?? []).entries()) {
    const at = `${where}.customFieldValueSets[${i}]`;
    if (!s.id.startsWith("_") || isForbiddenSegment(s.id)) throw invalidParameters(`${at}.id: a custom field set id starts with "_" (CF_SET_INVALID_ID)`);
    if (seen.has(s.id)) throw invalidParameters(`${at}.id: duplicate set ${s.id} (CF_SET_DUPLICATE_ID)`);
    seen.add(s.id);
    const row = (list: Array<{ customFieldId: string; value: string }>, w: string): Record<string, string> => {
      const r: Record<string, string> = {};
      for (const v of list) {
        if (isForbiddenSegment(v.customFieldId) || v.customFieldId.startsWith("_")) throw invalidParameters(`${w}: invalid custom field id ${v.customFieldId}`);
        if (Object.prototype.hasOwnProperty.call(r, v.customFieldId)) throw invalidParameters(`${w}: duplicate custom field ${v.customFieldId}`);
        r[v.customFieldId] = v.value;
      }
      return r;
    };
    if (s.standardCustomFieldValues && s.groupedCustomFieldValues) throw invalidParameters(`${at}: standard and grouped values in one set`);
    if (s.groupedCustomFieldValues) {
      const groups = [...s.groupedCustomFieldValues].sort((a, b) => a.index - b.index);
      groups.forEach((g, j) => {
        if (g.index !== j) throw invalidParameters(`${at}.groupedCustomFieldValues: indexes must be 0, 1, 2, ... (got ${g.index})`);
      });
      out[s.id] = groups.map((g, j) => row(g.customFieldValues, `${at}.groupedCustomFieldValues[${j}]`));
    } else {
      out[s.id] = row(s.standardCustomFieldValues ?? [], `${at}.standardCustomFieldValues`);
    }
  }
  return out;
}

/** A copy of a record without its `_<set>` keys. */
export function withoutValueSets(rec: WireRecord): WireRecord {
  const out: WireRecord = { ...rec };
  for (const k of Object.keys(out)) if (k.startsWith("_")) delete out[k];
  return out;
}
