/**
 * JSON Patch (RFC 6902) as Mambu applies it to PATCH bodies: operations add, replace, remove and move, in upper
 * or lower case; paths with or without the leading "/" (`/firstName`, `addresses/0/city`).
 *
 * Custom field sets follow the API reference:
 * - standard set: `add /_OtherDetails {"Age":"48"}` adds the fields to the set (creating it),
 *   `replace /_OtherDetails/Age "51"`, `remove /_OtherDetails/Age`; `add /_OtherDetails/Age "48"` works too;
 * - grouped set: `add /_Assets [{...},{...}]` appends the rows (a single object appends one row),
 *   `replace /_Assets/1/ASSETAGE "2"`, `remove /_Assets/0/ASSETAGE` (a field of a row), `remove /_Assets/1`
 *   (a row), `remove /_Assets` (every row); `add /_Assets/-` or `/_Assets/2` inserts a row.
 * Operations on read-only or immutable fields are rejected; any failure rejects the whole patch (nothing applied).
 *
 * Paths are walked through own properties only, and a segment `__proto__`, `constructor` or `prototype` (in `path`
 * or `from`) is a 400, as is a value holding a `"__proto__"` key: no operation can reach an object's prototype.
 */
import { valueDepth } from "./body";
import { invalidParameters } from "./errors";
import { MAX_JSON_DEPTH } from "./limits";
import { findProtoKey, isForbiddenSegment, ownValue } from "./safe-keys";

/** One patch operation as sent. */
export interface PatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

function tokens(path: unknown, what: string): string[] {
  if (typeof path !== "string" || path === "" || path === "/") throw invalidParameters(`${what}: a path is required`);
  const p = path.startsWith("/") ? path.slice(1) : path;
  const toks = p.split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  const bad = toks.find(isForbiddenSegment);
  if (bad !== undefined) throw invalidParameters(`${what}: "${bad}" is not allowed in a path`);
  return toks;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function index(arr: unknown[], tok: string, forInsert: boolean, path: string): number {
  if (forInsert && tok === "-") return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(tok)) throw invalidParameters(`${path}: "${tok}" is not an index`);
  const i = Number(tok);
  if (i > arr.length || (!forInsert && i >= arr.length)) throw invalidParameters(`${path}: index ${i} is out of range`);
  return i;
}

/** Walks to the container of the last token; custom field sets are created on the way when `create`. */
function parentOf(doc: Record<string, unknown>, toks: string[], path: string, create: boolean): Container {
  let cur: unknown = doc;
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i];
    if (Array.isArray(cur)) {
      cur = cur[index(cur, t, false, path)];
    } else if (isObj(cur)) {
      if (ownValue(cur, t) === undefined && create && i === 0 && t.startsWith("_")) cur[t] = {};
      cur = ownValue(cur, t);
    } else {
      cur = undefined;
    }
    if (cur === undefined || cur === null || typeof cur !== "object") throw invalidParameters(`${path}: path not found`);
  }
  return cur as Container;
}

function getAt(doc: Record<string, unknown>, toks: string[], path: string): unknown {
  const parent = parentOf(doc, toks, path, false);
  const last = toks[toks.length - 1];
  const v = Array.isArray(parent) ? parent[index(parent, last, false, path)] : ownValue(parent, last);
  if (v === undefined) throw invalidParameters(`${path}: path not found`);
  return v;
}

function add(doc: Record<string, unknown>, toks: string[], value: unknown, path: string): void {
  if (toks.length === 1 && toks[0].startsWith("_")) {
    const key = toks[0];
    const cur = ownValue(doc, key);
    if (Array.isArray(value)) {
      doc[key] = Array.isArray(cur) ? [...cur, ...clone(value)] : clone(value);
    } else if (isObj(value)) {
      if (Array.isArray(cur)) cur.push(clone(value));
      else doc[key] = isObj(cur) ? { ...cur, ...clone(value) } : clone(value);
    } else {
      throw invalidParameters(`${path}: a custom field set takes an object (standard) or a list of rows (grouped)`);
    }
    return;
  }
  const parent = parentOf(doc, toks, path, true);
  const last = toks[toks.length - 1];
  if (Array.isArray(parent)) parent.splice(index(parent, last, true, path), 0, clone(value));
  else parent[last] = clone(value);
}

function replace(doc: Record<string, unknown>, toks: string[], value: unknown, path: string): void {
  const parent = parentOf(doc, toks, path, true);
  const last = toks[toks.length - 1];
  if (Array.isArray(parent)) parent[index(parent, last, false, path)] = clone(value);
  else parent[last] = clone(value);
}

function remove(doc: Record<string, unknown>, toks: string[], path: string): unknown {
  let parent: Container;
  try {
    parent = parentOf(doc, toks, path, false);
  } catch (e) {
    if (toks[0].startsWith("_") && ownValue(doc, toks[0]) === undefined) return undefined; // nothing to remove
    throw e;
  }
  const last = toks[toks.length - 1];
  if (Array.isArray(parent)) return parent.splice(index(parent, last, false, path), 1)[0];
  const old = ownValue(parent, last);
  delete parent[last];
  // A standard custom field set left without fields disappears, as in Mambu.
  const set = ownValue(doc, toks[0]);
  if (toks.length === 2 && toks[0].startsWith("_") && isObj(set) && Object.keys(set).length === 0) {
    delete doc[toks[0]];
  }
  return old;
}

/**
 * Applies operations to a copy of `record` and returns the copy. `immutable` holds top-level fields that no
 * operation may touch (read-only fields of the contract, keys, dates kept by the server, states changed only by
 * actions). Throws 400 INVALID_PARAMETERS (nothing applied) on any problem, including a result nested deeper than
 * `maxDepth`.
 */
export function applyPatch<T extends Record<string, unknown>>(
  record: T,
  ops: unknown,
  immutable: Set<string>,
  maxDepth = MAX_JSON_DEPTH,
): T {
  if (!Array.isArray(ops)) throw invalidParameters("PATCH body must be a list of operations");
  if (ops.length === 0) throw invalidParameters("PATCH body has no operations");
  const doc = clone(record) as Record<string, unknown>;
  ops.forEach((raw, i) => {
    if (!isObj(raw)) throw invalidParameters(`[${i}]: an operation must be an object`);
    const rawOp = ownValue(raw, "op");
    const op = typeof rawOp === "string" ? rawOp.toLowerCase() : "";
    const path = ownValue(raw, "path") as string;
    const toks = tokens(path, `[${i}].path`);
    const hasValue = Object.prototype.hasOwnProperty.call(raw, "value");
    const proto = hasValue ? findProtoKey(raw.value, `[${i}].value`) : undefined;
    if (proto) throw invalidParameters(`${proto}: "__proto__" is not allowed as a field name`);
    const guard = (t: string[], p: string): void => {
      if (immutable.has(t[0])) throw invalidParameters(`${p}: field ${t[0]} cannot be changed`);
    };
    guard(toks, path);
    switch (op) {
      case "add":
        if (!hasValue) throw invalidParameters(`[${i}].value: required for add`);
        add(doc, toks, raw.value, path);
        break;
      case "replace":
        if (!hasValue) throw invalidParameters(`[${i}].value: required for replace`);
        replace(doc, toks, raw.value, path);
        break;
      case "remove":
        remove(doc, toks, path);
        break;
      case "move": {
        const rawFrom = ownValue(raw, "from");
        const from = tokens(rawFrom, `[${i}].from`);
        guard(from, String(rawFrom));
        const v = getAt(doc, from, String(rawFrom));
        remove(doc, from, String(rawFrom));
        add(doc, toks, v, path);
        break;
      }
      default:
        throw invalidParameters(`[${i}].op: expected one of ADD, REPLACE, REMOVE, MOVE, got "${String(rawOp)}"`);
    }
  });
  // Patches nest values inside values: keep records as shallow as any body may be (see limits.ts).
  if (valueDepth(doc, maxDepth) > maxDepth) throw invalidParameters(`the patched record would nest deeper than ${maxDepth} levels`);
  return doc as T;
}
