/**
 * How `mambu` prints records: an aligned table (default), one JSON document (`--json`, exact
 * amounts, streamed element by element for lists) or JSON lines (`--jsonl`), with `--columns`
 * choosing what is shown, and a progress indicator on stderr while long lists are fetched.
 */
import { stringifyExact } from "../core/json";
import { checkColumns, ColumnTracker } from "./column-check";
import { cellText, currencyOf, flattenRecord, headerOf, isNumeric, needsWire, project, valueAt, wireAt, wireOf } from "./columns";
import { Column, renderTable } from "./table";

/** Where and how to print. */
export interface OutputOptions {
  format: "table" | "json" | "jsonl";
  /** Columns chosen with `--columns` (paths); undefined: the defaults. */
  columns?: string[];
  /** Currency of records that do not say theirs (a schedule's installments: the loan's). */
  currency?: string;
  /** Show a progress indicator on stderr: true (forced), false (never), undefined (when stderr is a terminal). */
  progress?: boolean;
  /** How many records the listing holds, when Mambu said (`items-total`), for the progress line. */
  itemsTotal?: () => number | undefined;
  /** Fit tables to this many characters per line (the terminal's width; none: every cell whole). JSON is never fitted. */
  width?: number;
  /** Whether `--full` was given (custom fields read); undefined for commands without `--full`. */
  full?: boolean;
  /** The command printing, named in usage errors about `--columns`. */
  command?: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Re-indents compact JSON text (2 spaces) without re-parsing it, so every number keeps its digits.
 */
export function prettyJson(compact: string, indent = "  ", base = ""): string {
  let out = "";
  let depth = 0;
  let inString = false;
  const nl = (): string => `\n${base}${indent.repeat(depth)}`;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (inString) {
      out += c;
      if (c === "\\") out += compact[++i];
      else if (c === '"') inString = false;
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case "{":
      case "[": {
        const close = c === "{" ? "}" : "]";
        if (compact[i + 1] === close) {
          out += c + close;
          i++;
        } else {
          depth++;
          out += c + nl();
        }
        break;
      }
      case "}":
      case "]":
        depth--;
        out += nl() + c;
        break;
      case ",":
        out += c + nl();
        break;
      case ":":
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** A record as exact JSON text (its wire shape, or its projection on `columns`). */
export function recordJson(r: unknown, columns?: readonly string[]): string {
  return stringifyExact(columns ? project(r, columns) : wireOf(r));
}

/** Progress on stderr while pages arrive: `\r`-updated on a terminal, one line per page when forced elsewhere. */
export class Progress {
  private shown = false;
  private readonly enabled: boolean;

  constructor(private readonly stream: OutputOptions["stderr"], private readonly label: string, forced: boolean | undefined) {
    this.enabled = forced ?? !!stream.isTTY;
  }

  /** Reports how many records were fetched so far, and of how many when Mambu said (a total below the count is ignored). */
  update(count: number, total?: number): void {
    if (!this.enabled) return;
    const text = `${this.label}: ${count}${total !== undefined && total >= count ? ` of ${total}` : ""} fetched…`;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${text}`);
      this.shown = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Clears the indicator (on a terminal). */
  done(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}

/** Table columns for records from column paths: headers, typed cells, numbers right-aligned. */
export function tableColumns(rows: readonly unknown[], paths: readonly string[], explicit: boolean, currency?: string): Column<unknown>[] {
  return paths.map((p) => {
    const values = rows.map((r) => valueAt(r, p)).filter((v) => v !== undefined && v !== null);
    const right = values.length > 0 && values.every(isNumeric);
    return { header: explicit ? p : headerOf(p), value: (r: unknown) => {
        const v = valueAt(r, p);
        return cellText(v, p, currencyOf(r) ?? currency, needsWire(v, p) ? wireAt(r, p) : undefined);
      }, align: right ? "right" : "left" };
  });
}

/**
 * Prints a stream of pages of records: JSON and JSON lines are written as pages arrive (constant
 * memory); a table is printed once every record is in (it needs every width), fitted to
 * `out.width`. Returns the count. `--columns` no record has a value for are said on stderr.
 * @throws UsageError when a `--columns` column is not a field of the records and none has it
 *   (a table is then not printed; JSON was already streamed).
 */
export async function printPages(
  pages: AsyncIterable<unknown[]>,
  out: OutputOptions,
  defaults: (rows: readonly unknown[]) => readonly string[],
  label: string,
): Promise<number> {
  const progress = new Progress(out.stderr, label, out.progress);
  const tracker = out.columns ? new ColumnTracker(out.columns) : undefined;
  let count = 0;
  const rows: unknown[] = [];
  let opened = false;
  try {
    for await (const page of pages) {
      for (const r of page) {
        tracker?.see(r);
        if (out.format === "jsonl") out.stdout.write(`${recordJson(r, out.columns)}\n`);
        else if (out.format === "json") {
          out.stdout.write(`${opened ? ",\n" : "[\n"}  ${prettyJson(recordJson(r, out.columns), "  ", "  ")}`);
          opened = true;
        } else rows.push(r);
        count++;
      }
      progress.update(count, out.itemsTotal?.());
    }
  } finally {
    progress.done();
  }
  if (out.format === "json") out.stdout.write(opened ? "\n]\n" : "[]\n");
  // JSON was streamed as it came; a table is printed only when its columns are right.
  if (tracker) checkColumns(tracker, { full: out.full, command: out.command, stderr: out.stderr });
  if (out.format === "table") {
    if (rows.length === 0) {
      out.stdout.write(`(no ${label})\n`);
    } else {
      const paths = out.columns ?? defaults(rows);
      out.stdout.write(`${renderTable(rows, tableColumns(rows, paths, !!out.columns, out.currency), { width: out.width })}\n`);
    }
  }
  return count;
}

/**
 * Prints one record: a vertical `field value` table (every field, or `--columns`; long values
 * wrapped to the width), or its exact JSON.
 * @throws UsageError before printing when a `--columns` column is not a field of the record and it has no value there.
 */
export function printRecord(r: unknown, out: OutputOptions): void {
  if (out.columns) {
    const tracker = new ColumnTracker(out.columns);
    tracker.see(r);
    checkColumns(tracker, { full: out.full, command: out.command, stderr: out.stderr });
  }
  if (out.format === "json") {
    out.stdout.write(`${prettyJson(recordJson(r, out.columns))}\n`);
    return;
  }
  if (out.format === "jsonl") {
    out.stdout.write(`${recordJson(r, out.columns)}\n`);
    return;
  }
  const currency = currencyOf(r) ?? out.currency;
  const triples: Array<[string, unknown, unknown]> = out.columns ? out.columns.map((c) => [c, valueAt(r, c), wireAt(r, c)]) : flattenRecord(r);
  const rows = triples.map(([k, v, w]) => ({ field: k, value: cellText(v, k, currency, w) }));
  out.stdout.write(`${renderTable(rows, [
    { header: "field", value: (x) => x.field, overflow: "wrap" },
    { header: "value", value: (x) => x.value, overflow: "wrap" },
  ], { width: out.width })}\n`);
}
