/**
 * A structural diff of two configuration documents (parsed YAML): what a PUT of `after` would change on a
 * tenant that has `before`. Mappings are compared key by key; lists of mappings are matched by a key field
 * when every item has a distinct one (`id`, else `customFieldId`, `selectionId`, `mcc`, `index`) and shown as
 * `branches[id=MTY].name`, other lists by position (`[0]`); lists of scalars by value (an item added or
 * removed, or the whole list when only the order changed). Numbers compare by value (`7` equals `7.0`), so a
 * Decimal and a number with the same value are equal.
 */
import { Decimal } from "../core/money";

/** One difference: a path and the values before and after. */
export interface DiffEntry {
  kind: "added" | "removed" | "changed";
  /** e.g. `branches[id=MTY].name`, `roles[id=CO].permissions[]`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** The key fields that identify list items, in order of preference. */
export const ITEM_KEYS = ["id", "customFieldId", "selectionId", "mcc", "index"] as const;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !Decimal.isDecimal(v);
const isNum = (v: unknown): boolean => typeof v === "number" || Decimal.isDecimal(v);

function sameScalar(a: unknown, b: unknown): boolean {
  if (isNum(a) && isNum(b)) {
    try {
      return new Decimal(a as number).equals(new Decimal(b as number));
    } catch {
      return false;
    }
  }
  return a === b;
}

/** Whether two parsed values are equal (numbers by value, lists in order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  if (Array.isArray(a) || Array.isArray(b) || isMap(a) || isMap(b)) return false;
  return sameScalar(a, b);
}

function keyPath(base: string, key: string): string {
  const k = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : JSON.stringify(key);
  return base === "" ? k : /^[A-Za-z_$]/.test(k) ? `${base}.${k}` : `${base}[${k}]`;
}

function idText(v: unknown): string {
  const s = Decimal.isDecimal(v) ? (v as Decimal).toFixed() : String(v);
  return /^[A-Za-z0-9_.:@-]+$/.test(s) ? s : JSON.stringify(s);
}

/** The key field shared by every item of both lists with distinct scalar values, if any. */
function itemKey(a: unknown[], b: unknown[]): string | undefined {
  if (!a.length && !b.length) return undefined;
  return ITEM_KEYS.find((k) =>
    [a, b].every((list) => {
      const seen = new Set<string>();
      return list.every((x) => {
        if (!isMap(x)) return false;
        const v = x[k];
        if (v === undefined || v === null || typeof v === "object") return false;
        const t = String(v);
        if (seen.has(t)) return false;
        seen.add(t);
        return true;
      });
    }),
  );
}

function diffLists(path: string, a: unknown[], b: unknown[], out: DiffEntry[]): void {
  const key = itemKey(a, b);
  if (key) {
    const byKey = (list: unknown[]): Map<string, Record<string, unknown>> => new Map(list.map((x) => [String((x as Record<string, unknown>)[key]), x as Record<string, unknown>]));
    const before = byKey(a);
    const after = byKey(b);
    for (const [k, x] of before) {
      const at = `${path}[${key}=${idText(x[key])}]`;
      const y = after.get(k);
      if (y === undefined) out.push({ kind: "removed", path: at, before: x });
      else diffValues(at, x, y, out);
    }
    for (const [k, y] of after) if (!before.has(k)) out.push({ kind: "added", path: `${path}[${key}=${idText(y[key])}]`, after: y });
    return;
  }
  const scalars = [...a, ...b].every((x) => !isMap(x) && !Array.isArray(x));
  if (scalars) {
    if (deepEqual(a, b)) return;
    const removed = a.filter((x) => !b.some((y) => sameScalar(x, y)));
    const added = b.filter((y) => !a.some((x) => sameScalar(x, y)));
    if (!removed.length && !added.length) {
      out.push({ kind: "changed", path, before: a, after: b }); // same items, another order (or count)
      return;
    }
    for (const x of removed) out.push({ kind: "removed", path: `${path}[]`, before: x });
    for (const y of added) out.push({ kind: "added", path: `${path}[]`, after: y });
    return;
  }
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const at = `${path}[${i}]`;
    if (i >= b.length) out.push({ kind: "removed", path: at, before: a[i] });
    else if (i >= a.length) out.push({ kind: "added", path: at, after: b[i] });
    else diffValues(at, a[i], b[i], out);
  }
}

function diffValues(path: string, a: unknown, b: unknown, out: DiffEntry[]): void {
  if (isMap(a) && isMap(b)) {
    for (const k of Object.keys(a)) {
      if (a[k] === undefined) continue;
      const at = keyPath(path, k);
      if (!Object.prototype.hasOwnProperty.call(b, k) || b[k] === undefined) out.push({ kind: "removed", path: at, before: a[k] });
      else diffValues(at, a[k], b[k], out);
    }
    for (const k of Object.keys(b)) {
      if (b[k] === undefined || (Object.prototype.hasOwnProperty.call(a, k) && a[k] !== undefined)) continue;
      out.push({ kind: "added", path: keyPath(path, k), after: b[k] });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffLists(path, a, b, out);
    return;
  }
  if (!deepEqual(a, b)) out.push({ kind: "changed", path: path === "" ? "(document)" : path, before: a, after: b });
}

/** The differences that turn `before` into `after` (empty when they are equal). */
export function diffDocuments(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  diffValues("", before, after, out);
  return out;
}

/** Longest value shown in a diff line (characters). */
export const MAX_SHOWN = 160;

/** A value on one line: strings quoted, a Decimal with its digits, structures as compact JSON (cut at {@link MAX_SHOWN}). */
export function showValue(v: unknown): string {
  const text = Decimal.isDecimal(v) ? (v as Decimal).toFixed() : (JSON.stringify(v) ?? String(v));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** One line per difference: `~ path: before → after`, `+ path: after`, `- path: before`. */
export function formatDiff(entries: DiffEntry[]): string[] {
  return entries.map((e) =>
    e.kind === "changed" ? `~ ${e.path}: ${showValue(e.before)} → ${showValue(e.after)}` : e.kind === "added" ? `+ ${e.path}: ${showValue(e.after)}` : `- ${e.path}: ${showValue(e.before)}`,
  );
}
