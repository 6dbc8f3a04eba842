/**
 * Source files of a migration: a streaming RFC 4180 CSV parser (quoted fields, `""` escapes, line
 * breaks inside quotes, BOM, CRLF / LF / CR) and a JSON lines reader, both giving rows with their
 * file, line and column positions; and writers of rows back in the same format (failures files).
 */
import { createReadStream } from "fs";
import { parseJsonExact, RawNumber } from "../core/json";

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

/** A malformed file (unterminated quote, stray quote, bad JSON): fatal for that file. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "SourceError";
  }
}

/** One CSV record: its fields and the line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Incremental RFC 4180 parser: `push()` chunks as they arrive, `end()` at the end; both return the
 * records completed so far. Empty lines are skipped. Throws {@link SourceError} on an unterminated
 * quoted field or a quote inside an unquoted field.
 */
export class CsvParser {
  private state: S = S.FieldStart;
  private field = "";
  private fields: string[] = [];
  private line = 1;
  private col = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private quoteCol = 1;
  private pendingCR = false;
  private started = false;
  /** Whether the input began with a byte order mark. */
  bom = false;
  /** The first line ending seen ("\r\n", "\n" or "\r"). */
  eol: string | undefined;

  constructor(
    private readonly file: string,
    private readonly delimiter = ",",
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\r" || delimiter === "\n") {
      throw new Error(`invalid CSV delimiter ${JSON.stringify(delimiter)}`);
    }
  }

  /** Parses a chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        this.bom = true;
        i = 1;
      }
    }
    const d = this.delimiter;
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === "\n") {
          // the \n of a \r\n pair: the line was already counted at the \r
          if (this.state === S.Quoted) this.field += c;
          continue;
        }
      }
      switch (this.state) {
        case S.FieldStart:
          if (c === '"') {
            this.state = S.Quoted;
            this.quoteLine = this.line;
            this.quoteCol = this.col;
          } else if (c === d) {
            this.fields.push("");
          } else if (c === "\r" || c === "\n") {
            if (this.fields.length > 0) this.fields.push("");
            this.endRecord(out);
            this.newline(c);
            continue;
          } else {
            this.state = S.Unquoted;
            this.field = c;
          }
          break;
        case S.Unquoted:
          if (c === d) {
            this.fields.push(this.field);
            this.field = "";
            this.state = S.FieldStart;
          } else if (c === "\r" || c === "\n") {
            this.fields.push(this.field);
            this.field = "";
            this.state = S.FieldStart;
            this.endRecord(out);
            this.newline(c);
            continue;
          } else if (c === '"') {
            throw new SourceError(this.file, this.line, this.col, 'a quote inside an unquoted field (quote the whole field and double the quote: "a""b")');
          } else {
            this.field += c;
          }
          break;
        case S.Quoted:
          if (c === '"') {
            this.state = S.QuoteInQuoted;
          } else {
            this.field += c;
            if (c === "\r" || c === "\n") {
              this.newline(c);
              continue;
            }
          }
          break;
        case S.QuoteInQuoted:
          if (c === '"') {
            this.field += '"';
            this.state = S.Quoted;
          } else if (c === d) {
            this.fields.push(this.field);
            this.field = "";
            this.state = S.FieldStart;
          } else if (c === "\r" || c === "\n") {
            this.fields.push(this.field);
            this.field = "";
            this.state = S.FieldStart;
            this.endRecord(out);
            this.newline(c);
            continue;
          } else {
            throw new SourceError(this.file, this.line, this.col, `unexpected ${JSON.stringify(c)} after the closing quote of a field`);
          }
          break;
      }
      this.col++;
    }
    return out;
  }

  /** Ends the input; returns the last record, if any. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === S.Quoted) {
      throw new SourceError(this.file, this.quoteLine, this.quoteCol, "unterminated quoted field (a quote opened here is never closed)");
    }
    if (this.state === S.Unquoted || this.state === S.QuoteInQuoted) {
      this.fields.push(this.field);
      this.field = "";
    } else if (this.fields.length > 0) {
      this.fields.push("");
    }
    this.state = S.FieldStart;
    this.endRecord(out);
    return out;
  }

  private newline(c: string): void {
    if (this.eol === undefined) this.eol = c === "\n" ? "\n" : "\r\n";
    if (c === "\r") this.pendingCR = true;
    this.line++;
    this.col = 1;
    if (this.state === S.FieldStart) this.recordLine = this.line;
  }

  private endRecord(out: CsvRecord[]): void {
    const f = this.fields;
    this.fields = [];
    if (f.length > 0 && !(f.length === 1 && f[0] === "")) out.push({ fields: f, line: this.recordLine });
    // the next record starts on the line after the break (set by newline())
  }
}

/** Splits a CSV text at once (tests and small files). */
export function parseCsvText(text: string, file = "<text>", delimiter = ","): CsvRecord[] {
  const p = new CsvParser(file, delimiter);
  return [...p.push(text), ...p.end()];
}

/** Quotes a CSV field when it needs it (delimiter, quote, line break, or leading/trailing space). */
export function csvField(value: string, delimiter = ","): string {
  if (value === "") return "";
  if (value.includes(delimiter) || /["\r\n]/.test(value) || /^\s|\s$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** One CSV line (without its line ending). */
export function csvLine(fields: readonly string[], delimiter = ","): string {
  return fields.map((f) => csvField(f, delimiter)).join(delimiter);
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
}

/** Reads a source file row by row, in constant memory (chunks of 64 KiB). */
export async function* readSource(opts: ReadOptions): AsyncGenerator<SourceRow> {
  const format = opts.format ?? formatOf(opts.path);
  const shown = opts.shownAs ?? opts.path;
  if (format === "jsonl") {
    yield* readJsonLines(opts.source, opts.path, shown, opts.onLayout, opts.onError);
    return;
  }
  const delimiter = opts.delimiter ?? ",";
  const parser = new CsvParser(shown, delimiter);
  let header: string[] | undefined;
  let index: Record<string, number> = {};
  const toRow = (rec: CsvRecord): SourceRow | undefined => {
    if (!header) {
      header = rec.fields.map((h) => h.trim());
      const seen = new Set<string>();
      header.forEach((h, i) => {
        if (h === "") throw new SourceError(shown, rec.line, i + 1, "empty column name in the header");
        if (seen.has(h)) throw new SourceError(shown, rec.line, i + 1, `duplicate column "${h}" in the header`);
        seen.add(h);
      });
      index = Object.fromEntries(header.map((h, i) => [h, i + 1]));
      opts.onLayout?.({ format: "csv", header: [...header], delimiter, eol: parser.eol ?? "\n", bom: parser.bom });
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
        if (split) {
          row.shapeProblem += `: "${split.text}" looks like a number with a thousands separator (write ${split.text.replace(/,/g, "")}, or quote the cell)`;
          row.shapeColumn = header[split.index];
        } else row.shapeProblem += ` (a "${delimiter}" inside a value? quote that cell)`;
      }
    }
    return row;
  };
  const stream = createReadStream(opts.path, { encoding: "utf8", highWaterMark: 64 * 1024 });
  for await (const chunk of stream) {
    for (const rec of parser.push(chunk as string)) {
      const row = toRow(rec);
      if (row) yield row;
    }
  }
  for (const rec of parser.end()) {
    const row = toRow(rec);
    if (row) yield row;
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
 * Why a JSON line does not parse, and where (0-based): a number with a leading zero (`046`), a
 * number with thousands separators (`13,000.00`), or the parser's own message.
 */
export function describeJsonError(line: string, message: string): { at: number; reason: string } {
  const m = /position (\d+)/.exec(message);
  const generic = { at: m ? Number(m[1]) : 0, reason: `invalid JSON: ${message.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, "")}` };
  if (!m) return generic;
  const isNum = (c: string | undefined): boolean => c !== undefined && /[0-9.eE+-]/.test(c);
  let start = Number(m[1]);
  if (!/\d/.test(line[start] ?? "")) return generic;
  while (start > 0 && isNum(line[start - 1])) start--;
  let end = Number(m[1]);
  while (end < line.length && isNum(line[end])) end++;
  const num = line.slice(start, end);
  if (line[start - 1] === "," && /\d/.test(line[start - 2] ?? "")) {
    let from = start - 1;
    while (from > 0 && /[\d,]/.test(line[from - 1])) from--;
    if (line[from - 1] === "-") from--;
    const text = line.slice(from, end);
    return { at: from, reason: `invalid JSON: ${text} looks like a number with a thousands separator (write ${text.replace(/,/g, "")}, or quote it)` };
  }
  if (/^-?0\d/.test(num)) {
    return { at: start, reason: `invalid JSON: the number ${num} has a leading zero (write ${num.replace(/^(-?)0+(?=\d)/, "$1")}, or quote it: "${num}")` };
  }
  return generic;
}

/** Flattens a parsed JSON object into dotted keys; scalars become their exact text. */
function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, string>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || v === undefined) out[key] = "";
    else if (v instanceof RawNumber) out[key] = v.text;
    else if (Array.isArray(v)) {
      out[key] = JSON.stringify(v);
      v.forEach((x, i) => {
        if (x !== null && typeof x === "object" && !(x instanceof RawNumber)) flatten(x as Record<string, unknown>, `${key}.${i}`, out);
        else out[`${key}.${i}`] = x === null ? "" : String(x);
      });
    } else if (typeof v === "object") {
      out[key] = JSON.stringify(v);
      flatten(v as Record<string, unknown>, key, out);
    } else out[key] = String(v);
  }
}

async function* readJsonLines(source: string, path: string, shown: string, onLayout?: (l: SourceLayout) => void, onError?: (e: SourceError) => void): AsyncGenerator<SourceRow> {
  onLayout?.({ format: "jsonl" });
  let buf = "";
  let line = 0;
  let first = true;
  const parseLine = (text: string, n: number): SourceRow | undefined => {
    const t = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (t.trim() === "") return undefined;
    let parsed: unknown;
    const bad = (column: number, reason: string): undefined => {
      const e = new SourceError(shown, n, column, reason);
      if (!onError) throw e;
      onError(e);
      return undefined;
    };
    try {
      parsed = parseJsonExact(t);
    } catch (e) {
      const d = describeJsonError(t, (e as Error).message);
      return bad(d.at + 1, d.reason);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return bad(1, "each line must be a JSON object");
    const values: Record<string, string> = {};
    flatten(parsed as Record<string, unknown>, "", values);
    const columns: Record<string, number> = {};
    for (const k of Object.keys(values)) {
      const top = k.split(".")[0];
      const at = t.indexOf(JSON.stringify(top));
      columns[k] = at >= 0 ? at + 1 : 1;
    }
    return { source, file: shown, line: n, values, columns, raw: { kind: "jsonl", text: t } };
  };
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 64 * 1024 });
  for await (const chunk of stream) {
    buf += chunk as string;
    if (first) {
      first = false;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    }
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      line++;
      const row = parseLine(text, line);
      if (row) yield row;
    }
  }
  if (buf.length > 0) {
    line++;
    const row = parseLine(buf, line);
    if (row) yield row;
  }
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
