/**
 * Source files of a migration: rows with their file, line and column positions from CSV (csv.ts,
 * csv-parse) and JSON lines (jsonl.ts), read in constant memory; and writers of rows back in the same
 * format (failures files: same header, delimiter, line endings and BOM).
 */
import { createReadStream } from "fs";
import { CsvShape, csvLine, readCsv } from "./csv";
import { readJsonLines } from "./jsonl";
import { SourceError } from "./source-error";

export { SourceError } from "./source-error";
export { csvField, csvLine, parseCsvText, readCsv } from "./csv";
export type { CsvRecord, CsvShape } from "./csv";

/** Format of a source file. */
export type SourceFormat = "csv" | "jsonl";

/** One row of a source file, with everything needed to point at a cell. */
export interface SourceRow {
  /** Logical source of the plan (`clients`, `loans`, ...). */
  source: string;
  /** File as shown in messages (relative to the plan when it lives there). */
  file: string;
  /** 1-based line where the row starts. */
  line: number;
  /** Cell values by column name; JSON lines: scalars as their exact text, nested keys flattened (`address.city`). */
  values: Record<string, string>;
  /** 1-based column of each cell (CSV: field number; JSON lines: character where the key starts). */
  columns: Record<string, number>;
  /** The row as read, for writing it back unchanged. */
  raw: { kind: "csv"; fields: string[] } | { kind: "jsonl"; text: string };
  /** A problem with the row's shape (wrong number of fields), reported by validation. */
  shapeProblem?: string;
  /** The column the shape problem most likely comes from (a number split by its thousands separator). */
  shapeColumn?: string;
  /** More fields than the header: the cells after an unquoted separator are shifted, so none is trusted. */
  misaligned?: boolean;
}

/** The shape of a source file, kept to write rows back in the same format. */
export interface SourceLayout {
  format: SourceFormat;
  /** CSV: header fields, delimiter, line ending and whether the file started with a BOM. */
  header?: string[];
  delimiter?: string;
  eol?: string;
  bom?: boolean;
}

/** The format of a file by its extension (.csv/.txt → csv; .jsonl/.ndjson/.json → jsonl). */
export function formatOf(file: string, explicit?: string): SourceFormat {
  if (explicit === "csv" || explicit === "jsonl") return explicit;
  if (/\.(jsonl|ndjson|json)$/i.test(file)) return "jsonl";
  return "csv";
}

/** Options of {@link readSource}. */
export interface ReadOptions {
  /** Logical source name (`clients`). */
  source: string;
  /** Path to open. */
  path: string;
  /** Name shown in messages (default: path). */
  shownAs?: string;
  format?: SourceFormat;
  delimiter?: string;
  /** Receives the file's layout once known (header, delimiter, line ending, BOM). */
  onLayout?: (layout: SourceLayout) => void;
  /**
   * Receives each JSON lines row that is not JSON, and reading goes on (every bad line is reported);
   * without it, the first one throws. CSV structure errors (quotes) always throw.
   */
  onError?: (e: SourceError) => void;
  /** Whether a column holds personal data: messages about the file then never quote its cells. */
  isPersonal?: (column: string) => boolean;
}

/** Reads a source file row by row, in constant memory (chunks of 64 KiB). */
export async function* readSource(opts: ReadOptions): AsyncGenerator<SourceRow> {
  const format = opts.format ?? formatOf(opts.path);
  const shown = opts.shownAs ?? opts.path;
  if (format === "jsonl") {
    yield* readJsonLines(opts.source, opts.path, shown, opts.onLayout, opts.onError, opts.isPersonal);
    return;
  }
  const delimiter = opts.delimiter ?? ",";
  const shape: CsvShape = { bom: false };
  let header: string[] | undefined;
  let index: Record<string, number> = {};
  const toRow = (rec: { fields: string[]; line: number }): SourceRow | undefined => {
    if (!header) {
      header = rec.fields.map((h) => h.trim());
      const seen = new Set<string>();
      header.forEach((h, i) => {
        if (h === "") throw new SourceError(shown, rec.line, i + 1, "empty column name in the header");
        if (seen.has(h)) throw new SourceError(shown, rec.line, i + 1, `duplicate column "${h}" in the header`);
        seen.add(h);
      });
      index = Object.fromEntries(header.map((h, i) => [h, i + 1]));
      opts.onLayout?.({ format: "csv", header: [...header], delimiter, eol: shape.eol ?? "\n", bom: shape.bom });
      return undefined;
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => {
      if (i < rec.fields.length) values[h] = rec.fields[i];
    });
    const row: SourceRow = { source: opts.source, file: shown, line: rec.line, values, columns: index, raw: { kind: "csv", fields: rec.fields } };
    if (rec.fields.length !== header.length) {
      row.shapeProblem = `expected ${header.length} fields (as the header), got ${rec.fields.length}`;
      if (rec.fields.length > header.length) {
        row.misaligned = true;
        const split = delimiter === "," ? thousandsSplit(rec.fields, rec.fields.length - header.length) : undefined;
        if (split && opts.isPersonal?.(header[split.index])) {
          row.shapeProblem += `: ${header[split.index]} looks like a number with a thousands separator (quote the cell)`;
          row.shapeColumn = header[split.index];
        } else if (split) {
          row.shapeProblem += `: "${split.text}" looks like a number with a thousands separator (write ${split.text.replace(/,/g, "")}, or quote the cell)`;
          row.shapeColumn = header[split.index];
        } else row.shapeProblem += ` (a "${delimiter}" inside a value? quote that cell)`;
      }
    }
    return row;
  };
  try {
    for await (const rec of readCsv(createReadStream(opts.path, { highWaterMark: 64 * 1024 }), shown, delimiter, shape)) {
      const row = toRow(rec);
      if (row) yield row;
    }
  } catch (e) {
    // a malformed quote's message quotes the cell's text: not when the file has personal columns
    if (e instanceof SourceError && header?.some((h) => opts.isPersonal?.(h)) && /^unexpected ".*" after/s.test(e.reason)) {
      throw new SourceError(e.file, e.line, e.column, e.reason.replace(/^unexpected ".*" after/s, "unexpected characters after"));
    }
    throw e;
  }
  if (!header) throw new SourceError(shown, 1, 1, "the file is empty (a CSV source needs a header line)");
}

/**
 * A number written with thousands separators and left unquoted, so that the CSV split it into
 * several fields (`13,000.00` → `13` and `000.00`): its text and the index of its first field.
 * `extra` is how many fields the row has beyond the header.
 */
function thousandsSplit(fields: readonly string[], extra: number): { text: string; index: number } | undefined {
  for (let i = 0; i + extra < fields.length; i++) {
    if (!/^-?\d{1,3}$/.test(fields[i])) continue;
    const groups = fields.slice(i + 1, i + 1 + extra);
    if (groups.every((g, k) => (k === extra - 1 ? /^\d{3}(\.\d+)?$/ : /^\d{3}$/).test(g))) return { text: [fields[i], ...groups].join(","), index: i };
  }
  return undefined;
}

/**
 * Writes rows back in their file's format: CSV with the original header (plus `extraColumn`, when
 * given, holding `extra(row)`), delimiter, line ending and BOM; JSON lines as the original text (plus
 * the extra key). Returns the file's text.
 */
export function formatRows(layout: SourceLayout, rows: readonly SourceRow[], extraColumn?: string, extra?: (row: SourceRow) => string): string {
  if (layout.format === "jsonl") {
    return rows
      .map((r) => {
        const text = r.raw.kind === "jsonl" ? r.raw.text : JSON.stringify(r.values);
        if (!extraColumn || !extra) return text;
        const body = text.replace(/\}\s*$/, "");
        const sep = /\{\s*$/.test(body) ? "" : ",";
        return `${body}${sep}${JSON.stringify(extraColumn)}:${JSON.stringify(extra(r))}}`;
      })
      .map((l) => `${l}\n`)
      .join("");
  }
  const d = layout.delimiter ?? ",";
  const eol = layout.eol ?? "\n";
  const header = [...(layout.header ?? [])];
  const withExtra = extraColumn && extra && !header.includes(extraColumn);
  const lines = [csvLine(withExtra ? [...header, extraColumn] : header, d)];
  for (const r of rows) {
    const fields = r.raw.kind === "csv" ? [...r.raw.fields] : header.map((h) => r.values[h] ?? "");
    if (withExtra) {
      while (fields.length < header.length) fields.push("");
      fields.push(extra(r));
    }
    lines.push(csvLine(fields, d));
  }
  return (layout.bom ? "\ufeff" : "") + lines.join(eol) + eol;
}
