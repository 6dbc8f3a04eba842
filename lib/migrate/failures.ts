/**
 * The failures files: the rows of every failed or skipped client in the format of their source, with
 * a `migrate_error` column, and a copy of the plan reading them, so that they can be corrected and
 * fed back. They carry personal data (the rows as they are), so each is created readable by its owner
 * only (mode 600, written aside with O_EXCL then renamed into place: an existing file of any mode is
 * replaced, never reused), the directory is mode 700, and `PERSONAL-DATA.txt` beside them says what
 * they hold. With `redact`, the personal columns (personal.ts) are masked as `[redacted]` and the note
 * names them: put the values back from the source before running the plan (validation refuses a
 * masked cell).
 */
import { randomBytes } from "crypto";
import { chmodSync, closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "fs";
import { basename, extname, join, relative } from "path";
import { stringify as toYaml } from "yaml";
import { parseJsonExact, stringifyExact } from "../core/json";
import { fsError } from "./fserrors";
import { isPersonalColumn, PersonalColumns, REDACTED } from "./personal";
import { formatRows, SourceRow } from "./sources";
import type { Book, Plan, PlanSpec } from "./types";

/** The name of the column (JSON key) that carries the reason in failures files. */
export const ERROR_COLUMN = "migrate_error";

/** The note written beside the failures files. */
export const PERSONAL_NOTE = "PERSONAL-DATA.txt";

/** A failed or skipped unit's rows and why. */
export interface FailedRows {
  unit?: string;
  rows: SourceRow[];
  reason: string;
}

/** Options of {@link writeFailures}. */
export interface FailuresOptions {
  /** Mask the personal columns (`--redact`). */
  redact?: boolean;
}

type Rec = Record<string, unknown>;

/** A row with its personal cells masked, and the columns masked. */
function masked(row: SourceRow, header: readonly string[] | undefined, personal: PersonalColumns): { row: SourceRow; columns: string[] } {
  const columns: string[] = [];
  if (row.raw.kind === "csv") {
    const fields = [...row.raw.fields];
    (header ?? []).forEach((h, i) => {
      if (i < fields.length && fields[i].trim() !== "" && isPersonalColumn(personal, row.source, h)) {
        fields[i] = REDACTED;
        columns.push(h);
      }
    });
    return { row: { ...row, raw: { kind: "csv", fields } }, columns };
  }
  let doc: unknown;
  try {
    doc = parseJsonExact(row.raw.text);
  } catch {
    return { row, columns }; // a line that was not JSON is not a row (never in a failures file)
  }
  const walk = (o: Rec, prefix: string): void => {
    for (const k of Object.keys(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      const v = o[k];
      if (v !== null && v !== "" && isPersonalColumn(personal, row.source, key)) {
        o[k] = REDACTED;
        columns.push(key);
      } else if (v && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) walk(v as Rec, key);
      else if (Array.isArray(v)) v.forEach((x, i) => x && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype && walk(x as Rec, `${key}.${i}`));
    }
  };
  if (doc && typeof doc === "object" && !Array.isArray(doc)) walk(doc as Rec, "");
  return { row: { ...row, raw: { kind: "jsonl", text: stringifyExact(doc) } }, columns };
}

/**
 * Writes the failures files into `dir` (see the module comment): for each source file of the plan,
 * the failed rows in its format (a header-only file when none failed, so that the plan still reads),
 * `plan.<ext>` with its sources pointing at them (same id: a rerun adopts what the failed run did),
 * and the note. Returns the path of that plan, or undefined when nothing failed.
 */
export function writeFailures(dir: string, plan: Plan, book: Book, failed: readonly FailedRows[], opts: FailuresOptions = {}): string | undefined {
  if (!failed.length) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (e) {
    throw fsError("create", "the failures directory", dir, e);
  }
  const reasonOf = new Map<SourceRow, string>();
  for (const f of failed) for (const r of f.rows) reasonOf.set(r, f.reason);
  const used = new Set<string>();
  const maskedColumns = new Map<string, Set<string>>();
  const spec: PlanSpec = JSON.parse(JSON.stringify(plan.spec)) as PlanSpec;
  for (const file of plan.files) {
    const layout = book.layouts.get(file.shown) ?? { format: file.format };
    let name = basename(file.path);
    while (used.has(name)) name = `${basename(name, extname(name))}_${used.size}${extname(name)}`;
    used.add(name);
    let rows = [...reasonOf.keys()].filter((r) => r.file === file.shown).sort((a, b) => a.line - b.line);
    if (opts.redact) {
      const cols = new Set<string>();
      rows = rows.map((r) => {
        const m = masked(r, layout.header, book.personal);
        m.columns.forEach((c) => cols.add(c));
        reasonOf.set(m.row, reasonOf.get(r) ?? "");
        return m.row;
      });
      if (cols.size) maskedColumns.set(name, cols);
    }
    writePrivate(join(dir, name), formatRows(layout, rows, ERROR_COLUMN, (r) => reasonOf.get(r) ?? ""), "the failures file");
    const src = spec.sources[file.source]!;
    const list = Array.isArray(src.file) ? src.file : [src.file];
    const idx = plan.files.filter((f) => f.source === file.source).indexOf(file);
    list[idx] = name;
    src.file = list.length === 1 ? list[0] : list;
  }
  // the documents' files stay where they are: the failures plan reads them from the first plan's directory
  if (spec.sources.documents) spec.documentsDir = plan.documentsDir ?? plan.dir;
  const isJson = /\.json$/i.test(plan.file);
  const planPath = join(dir, isJson ? "plan.json" : "plan.yaml");
  const header =
    `# Failed rows of plan ${plan.id} (${relative(dir, plan.file)}): correct them, then run\n#   mambu-migrate ${planPath}\n` +
    `# The files here hold personal data (see ${PERSONAL_NOTE}): readable by their owner only; delete them once migrated.\n`;
  writePrivate(planPath, isJson ? `${JSON.stringify(spec, null, 2)}\n` : header + toYaml(spec), "the failures plan");
  writePrivate(join(dir, PERSONAL_NOTE), personalNote(plan, book, maskedColumns, opts.redact === true), "the failures note");
  return planPath;
}

/** The text of {@link PERSONAL_NOTE}. */
function personalNote(plan: Plan, book: Book, maskedColumns: Map<string, Set<string>>, redact: boolean): string {
  const personal = [...book.personal].filter(([, cols]) => cols.size).map(([source, cols]) => `  ${source}: ${[...cols].join(", ")}`);
  const lines = [
    `The files in this directory hold the source rows of the clients that plan ${plan.id} could not migrate:`,
    "PERSONAL DATA (names, birth dates, addresses, phone numbers, e-mails, identity documents, notes) as in",
    "the source files, which falls under the GDPR. They are created readable and writable by their owner",
    "only (mode 600, the directory 700). Keep them as you keep the source files; delete them once the rows",
    "are migrated.",
    "",
    personal.length ? "Personal columns of the plan:" : "The plan marks no column as personal.",
    ...personal,
    "",
  ];
  if (redact) {
    lines.push(
      maskedColumns.size
        ? `Masked by --redact (written ${REDACTED}): put the values back from the source before running the plan here:`
        : "--redact: no personal cell was among these rows.",
      ...[...maskedColumns].map(([file, cols]) => `  ${file}: ${[...cols].join(", ")}`),
      "",
    );
  } else lines.push("Not masked: run with --redact to mask the personal columns in these files.", "");
  return lines.join("\n");
}

/**
 * Writes `path` readable by its owner only: a new file (O_EXCL, mode 600 whatever the umask) written
 * and synced aside, then renamed over `path`, so an existing file — of any mode, or a link — is
 * replaced rather than written through.
 */
export function writePrivate(path: string, text: string, what: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "wx", 0o600);
    try {
      fchmodSync(fd, 0o600);
      const buf = Buffer.from(text, "utf8");
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or renamed */
    }
    throw fsError("write", what, path, e);
  }
}
