/**
 * YAML of configuration-as-code documents, read and written exactly and safely (the `yaml` package).
 *
 * Reading: YAML 1.2 core schema, unique keys, no `<<` merge keys, at most {@link MAX_CONFIG_YAML_CHARS}
 * characters, at most {@link MAX_CONFIG_ALIASES} alias expansions (an alias bomb is refused, not expanded), at
 * most {@link MAX_CONFIG_DEPTH} levels of nesting, no `__proto__` key. Numbers keep their digits: an integer is
 * a `number` when a double holds it exactly, a fractional number (or a longer integer) is a `Decimal` of the
 * library, made from the text as written (`score: 0.10` → `new Decimal("0.10")`).
 * Writing: block style, no line folding, no anchors; a `Decimal` is written as a plain number with every digit.
 */
import type * as YamlLib from "yaml";
import type { ScalarTag } from "yaml";
import { MambuTsError } from "../errors";
import { Decimal } from "./money";

let yamlLib: typeof YamlLib | undefined;
/**
 * The `yaml` package, loaded with the first document read or written: a program that never reads
 * configuration as code does not load its ~70 modules (with fflate's, ~45 ms of CPU and ~2 MB at `require`).
 */
function yaml(): typeof YamlLib {
  return (yamlLib ??= require("yaml") as typeof YamlLib);
}

/** Longest document read (characters). */
export const MAX_CONFIG_YAML_CHARS = 16 * 1024 * 1024;
/** Most alias expansions in one document. */
export const MAX_CONFIG_ALIASES = 100;
/** Deepest nesting of mappings and sequences. */
export const MAX_CONFIG_DEPTH = 64;

/** A place in a YAML text (1-based). */
export interface YamlPosition {
  line: number;
  column: number;
}

/** A problem of a YAML document: what, and where when known. */
export interface YamlProblem extends Partial<YamlPosition> {
  message: string;
}

/** A YAML document that does not parse or is out of bounds; `problems` say where. */
export class YamlDocumentError extends MambuTsError {
  constructor(
    message: string,
    readonly problems: YamlProblem[],
  ) {
    super(message);
    this.name = "YamlDocumentError";
  }
}

/** A number as written, before it becomes a Decimal (has no toJSON, so `toJS` keeps it as is). */
class ExactNumber {
  constructor(readonly text: string) {}
}

const EXACT_NUMBER: ScalarTag = {
  tag: "tag:yaml.org,2002:float",
  default: true,
  test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  resolve: (src: string) => {
    const plain = /^[-+]?[0-9]+$/.test(src);
    const n = Number(src);
    return plain && Number.isSafeInteger(n) ? n : new ExactNumber(src);
  },
};

const DECIMAL_OUT: ScalarTag = {
  tag: "tag:yaml.org,2002:float",
  identify: (v: unknown) => Decimal.isDecimal(v),
  default: true,
  resolve: (src: string) => new Decimal(src),
  stringify: (item) => (item.value as Decimal).toFixed(),
};

function replaceExact(value: unknown): unknown {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) {
      if (x instanceof ExactNumber) (v as Record<string | number, unknown>)[k] = new Decimal(x.text);
      else stack.push(x);
    }
  }
  return value instanceof ExactNumber ? new Decimal(value.text) : value;
}

/** Deepest nesting of a value (iterative), stopping once past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object" || Decimal.isDecimal(v)) continue;
    if (d + 1 > max && (max = d + 1) > limit) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

function protoKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || Decimal.isDecimal(v)) continue;
    if (!Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, "__proto__")) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push(x);
  }
  return false;
}

/**
 * Parses a configuration document (see the module comment for the bounds and numbers).
 * @param source - named in the error message (a file name), when given.
 * @throws YamlDocumentError with line and column of the first syntax problem.
 */
export function parseConfigYaml(text: string, source = "YAML document"): unknown {
  if (text.length > MAX_CONFIG_YAML_CHARS) throw new YamlDocumentError(`${source}: longer than ${MAX_CONFIG_YAML_CHARS} characters`, [{ message: "too long" }]);
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, {
    schema: "core",
    merge: false,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false,
    lineCounter,
    customTags: (tags) => [EXACT_NUMBER, ...tags],
  });
  if (doc.errors.length) {
    const problems = doc.errors.map((e) => {
      const at = lineCounter.linePos(e.pos[0]);
      return { message: e.message.split("\n")[0], line: at.line, column: at.col };
    });
    const p = problems[0];
    throw new YamlDocumentError(`${source}:${p.line}:${p.column}: ${p.message}`, problems);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (e) {
    const message = e instanceof ReferenceError ? "too many aliases: the document expands beyond the limit" : String((e as Error)?.message ?? e);
    throw new YamlDocumentError(`${source}: ${message}`, [{ message }]);
  }
  if (depthOf(value, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH) {
    throw new YamlDocumentError(`${source}: nested deeper than ${MAX_CONFIG_DEPTH} levels`, [{ message: "too deep" }]);
  }
  value = replaceExact(value);
  if (protoKey(value)) throw new YamlDocumentError(`${source}: a "__proto__" key is not allowed`, [{ message: "__proto__ key" }]);
  return value;
}

/** Writes a document as YAML (block style, Decimals as plain numbers with every digit, no anchors). */
export function stringifyConfigYaml(value: unknown): string {
  const doc = new (yaml().Document)(value, { customTags: (tags) => [DECIMAL_OUT, ...tags], aliasDuplicateObjects: false });
  return doc.toString({ lineWidth: 0 });
}

/**
 * Where a path of a document (`["branches", 0, "state"]`) is in its YAML text: the position of the value, or
 * of the nearest enclosing node that exists. Undefined when the text does not parse.
 */
export function locateInYaml(text: string, path: Array<string | number>): YamlPosition | undefined {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: false, customTags: (tags) => [EXACT_NUMBER, ...tags] });
  if (doc.errors.length) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === "object" && node.range) {
      const at = lineCounter.linePos(node.range[0]);
      return { line: at.line, column: at.col };
    }
  }
  return undefined;
}

/** The path segments of a validator problem (`document.branches[0].state: ...` → `["branches", 0, "state"]`). */
export function problemPath(problem: string, root = "document"): Array<string | number> {
  const m = new RegExp(`^${root}((?:\\.[^.\\[:\\s]+|\\[\\d+\\])*)`).exec(problem);
  if (!m) return [];
  const out: Array<string | number> = [];
  const re = /\.([^.[:\s]+)|\[(\d+)\]/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(m[1]))) out.push(x[1] !== undefined ? x[1] : Number(x[2]));
  return out;
}

/** Every Decimal of a value replaced by its text (for the contract's validator, which takes numeric strings). */
export function decimalsAsText(value: unknown): unknown {
  if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
  if (Array.isArray(value)) return value.map(decimalsAsText);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: decimalsAsText(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
