/**
 * What `--columns` asked for that the records do not have. A column no record has a value for is
 * either a field of the records' class that happens to be empty (`closedDate` of open loans: said
 * on stderr, not an error) or not a field at all — a typo, or a custom field asked for without
 * `--full` — which is a usage error rather than a silently empty column.
 */
import { definition } from "../contract/schema";
import type { FieldSpec } from "../contract/schema";
import { fieldSpecsOf, MambuStruct } from "../core/struct";
import type { StructClass } from "../core/struct";
import { suggest } from "./args";
import { splitPath, valueAt, wireAt } from "./columns";
import { UsageError } from "./exit";

/** Columns computed by the CLI rather than read from Mambu. */
const COMPUTED = new Set(["totalDue"]);

/**
 * Whether `path` names a field of the record's class (by its schema, nested objects and lists
 * followed); undefined when the record has no schema to tell (a plain object). Custom fields
 * (`_Set.field`, `Age`) are not schema fields.
 */
export function isSchemaPath(record: unknown, path: string): boolean | undefined {
  if (COMPUTED.has(path)) return true;
  if (!(record instanceof MambuStruct)) return undefined;
  const cls = record.constructor as StructClass;
  if (!cls.definition) return undefined;
  let fields: Record<string, FieldSpec> | undefined = fieldSpecsOf(cls);
  let spec: FieldSpec | undefined;
  for (const seg of splitPath(path)) {
    if (typeof seg === "number") {
      if (spec?.type !== "array") return false;
      spec = spec.items;
      fields = undefined;
      continue;
    }
    if (!fields && spec) {
      if (spec.type !== "object") return false;
      fields = spec.ref ? definition(cls.resource, spec.ref).fields : spec.fields;
      if (!fields) return true; // a free-form object: any key may be there
    }
    if (!fields || !Object.prototype.hasOwnProperty.call(fields, seg)) return false;
    spec = fields[seg];
    fields = undefined;
  }
  return true;
}

/** Whether a record has a value (not null, not absent) at a column path. */
export function hasValue(record: unknown, path: string): boolean {
  const v = valueAt(record, path);
  if (v !== undefined && v !== null) return true;
  const w = wireAt(record, path);
  return w !== undefined && w !== null;
}

/**
 * Tracks, as records stream by, which of the `--columns` some record has a value for (constant
 * memory: it keeps the first record only, to know its class).
 */
export class ColumnTracker {
  private readonly missing: Set<string>;
  private first: unknown;
  private any = false;

  constructor(private readonly paths: readonly string[]) {
    this.missing = new Set(paths);
  }

  /** Notes one record. */
  see(record: unknown): void {
    if (!this.any) {
      this.first = record;
      this.any = true;
    }
    for (const p of this.missing) if (hasValue(record, p)) this.missing.delete(p);
  }

  /**
   * What is wrong, once every record was seen: `unknown` columns (no record has them and they are
   * not fields of the records' class) and `empty` ones (fields no record has a value for). Nothing
   * when no record was seen.
   */
  problems(): { unknown: string[]; empty: string[] } {
    const unknown: string[] = [];
    const empty: string[] = [];
    if (!this.any) return { unknown, empty };
    for (const p of this.paths) {
      if (!this.missing.has(p)) continue;
      if (isSchemaPath(this.first, p) === false) unknown.push(p);
      else empty.push(p);
    }
    return { unknown, empty };
  }

  /** The class name of the records seen (`MambuClient`), for messages. */
  className(): string {
    return this.first instanceof MambuStruct ? this.first.constructor.name : "the records";
  }

  /** The top-level fields of the records' class (for "did you mean"). */
  fieldNames(): string[] {
    return this.first instanceof MambuStruct ? Object.keys(fieldSpecsOf(this.first.constructor as StructClass)) : [];
  }

  /** Whether a column could name a custom field: `_Set.field`, or a first segment that is no field of the class (`Age`). */
  couldBeCustom(path: string): boolean {
    const head = splitPath(path)[0];
    return path.startsWith("_") || typeof head !== "string" || isSchemaPath(this.first, head) === false;
  }
}

/** Options of {@link checkColumns}. */
export interface CheckColumnsOptions {
  /** Whether `--full` was given; undefined when the command has no `--full`. */
  full?: boolean;
  /** The command named in the usage error. */
  command?: string;
  /** Where the note about empty columns goes. */
  stderr: NodeJS.WritableStream;
}

/**
 * Says what is wrong with the `--columns` a tracker saw: a note on stderr for columns that are
 * empty in every record; a usage error for unknown ones.
 * @throws UsageError naming the unknown columns (and `--full` when custom fields were not read).
 */
export function checkColumns(tracker: ColumnTracker, opts: CheckColumnsOptions): void {
  const { unknown, empty } = tracker.problems();
  if (empty.length) {
    opts.stderr.write(`mambu: no record has a value for ${plural(empty, "column")} ${empty.join(", ")}\n`);
  }
  if (unknown.length) {
    const fields = tracker.fieldNames();
    const named = unknown.map((p) => (p.includes(".") || p.includes("[") ? p : `${p}${suggest(p, fields, "")}`));
    const custom = unknown.some((p) => tracker.couldBeCustom(p));
    const hint = !custom ? "" : opts.full === false ? " (custom fields are only read with --full)" : opts.full ? " nor a custom field of these records" : "";
    throw new UsageError(`unknown ${plural(unknown, "column")} ${named.join(", ")}: not a field of ${tracker.className()}${hint}`, opts.command);
  }
}

function plural(xs: readonly string[], word: string): string {
  return xs.length === 1 ? word : `${word}s`;
}
