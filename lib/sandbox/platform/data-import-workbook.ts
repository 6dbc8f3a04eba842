/**
 * The workbook of a data import (`POST /data/import`, multipart part `file`): an .xlsx file whose sheets are named
 * after what they import ({@link IMPORT_SHEETS}), whose first row names the v2 fields of the sheet's columns
 * (dotted paths for nested fields, e.g. `_Personal_Info.nickname`, `transactionDetails.transactionChannelId`) and
 * whose other rows are one record each (empty rows are skipped; row numbers stay the spreadsheet's).
 *
 * Bounds, each a 400 INVALID_PARAMETERS naming the bound, checked before anything is written:
 * - the file at most {@link MAX_IMPORT_FILE_BYTES} (10 MiB);
 * - at most {@link MAX_IMPORT_ZIP_ENTRIES} entries (1,000) in the zip;
 * - the zip's declared uncompressed size at most {@link MAX_IMPORT_UNZIPPED_BYTES} (50 MiB), read from the zip's
 *   directory before anything is inflated, and its REAL one too: every entry is inflated here, stopped as soon as it
 *   passes the size it declares (a zip bomb lies about its sizes), and the workbook is read from those counted
 *   bytes only (see zip-bounds.ts);
 * - at most {@link MAX_IMPORT_ROWS} records (10,000) in all sheets;
 * - a file that is not a readable .xlsx workbook, a sheet of another name, a blank, repeated or unsafe column name
 *   (`__proto__`, `constructor`, `prototype` as a path segment) is refused too.
 * Cells: text as written, numbers as numbers (but in a column named `id`, `…Id` or `…Key` a number becomes its
 * text, e.g. 1001 → "1001"), booleans as booleans, an empty cell is no field. Dates are best written as text in the
 * API's format (`2026-03-01`, `2026-03-01T10:00:00+02:00`); a date cell becomes `YYYY-MM-DD`.
 */
import type readXlsxFileType from "read-excel-file/node";
import { invalidParameters } from "../errors";
import { isForbiddenSegment } from "../safe-keys";
import { readBoundedZip, rebuildZip, ZipBoundsError } from "./zip-bounds";

let xlsxReader: typeof readXlsxFileType | undefined;
/**
 * read-excel-file, loaded on the first data import: with its zip and XML readers it is about a tenth of what
 * loading the sandbox costs, which every sandbox that never imports a workbook (tests, rehearsals) would pay.
 */
function readXlsxFile(): typeof readXlsxFileType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (xlsxReader ??= (require("read-excel-file/node") as { default: typeof readXlsxFileType }).default);
}

/** Largest workbook file, in bytes (10 MiB). */
export const MAX_IMPORT_FILE_BYTES = 10 * 1024 * 1024;
/** Largest uncompressed size of the workbook's zip, declared and real, in bytes (50 MiB). */
export const MAX_IMPORT_UNZIPPED_BYTES = 50 * 1024 * 1024;
/** Most entries (files) in the workbook's zip. */
export const MAX_IMPORT_ZIP_ENTRIES = 1_000;
/** Most records (non-empty rows after the header) in all sheets of one workbook. */
export const MAX_IMPORT_ROWS = 10_000;

/** The sheets a workbook may have, in the order they are imported (later sheets may name records of earlier ones). */
export const IMPORT_SHEETS = ["Clients", "Deposit Accounts", "Deposit Transactions", "Loan Accounts"] as const;

/** Name of an importable sheet. */
export type ImportSheet = (typeof IMPORT_SHEETS)[number];

/** A cell of a record: its column (name and 1-based index, A = 1) and its value. */
export interface ImportCell {
  name: string;
  index: number;
  value: string | number | boolean;
}

/** A column of a sheet: its name (first row) and 1-based index. */
export interface ImportColumn {
  name: string;
  index: number;
}

/** A read workbook: its records in import order, and the columns of each sheet. */
export interface ImportWorkbook {
  rows: ImportRow[];
  columns: Array<{ sheet: ImportSheet; columns: ImportColumn[] }>;
}

/** One record of a sheet: the sheet, its 1-based row number in the spreadsheet, its non-empty cells. */
export interface ImportRow {
  sheet: ImportSheet;
  row: number;
  cells: ImportCell[];
}

type CellValue = string | number | boolean | Date | null | undefined;

/**
 * The workbook's zip entries, inflated within the bounds; throws 400 unless the file's size, its zip's entry count,
 * declared and real uncompressed sizes are within the bounds.
 */
function boundedEntries(data: Buffer): Map<string, Uint8Array> {
  if (data.length > MAX_IMPORT_FILE_BYTES) {
    throw invalidParameters(`file: a data import file has at most ${MAX_IMPORT_FILE_BYTES} bytes (10 MiB), got ${data.length}`);
  }
  try {
    return readBoundedZip(data, { maxEntries: MAX_IMPORT_ZIP_ENTRIES, maxBytes: MAX_IMPORT_UNZIPPED_BYTES });
  } catch (e) {
    if (!(e instanceof ZipBoundsError)) throw e;
    const r = e.refusal;
    switch (r.kind) {
      case "entries":
        throw invalidParameters(`file: the workbook's zip has ${r.count} entries, more than the ${MAX_IMPORT_ZIP_ENTRIES} allowed`);
      case "declared":
        throw invalidParameters(`file: the workbook unzips to ${r.bytes} bytes, more than the ${MAX_IMPORT_UNZIPPED_BYTES} (50 MiB) allowed`);
      case "entry":
        throw invalidParameters(`file: the workbook's zip entry ${JSON.stringify(r.name.slice(0, 100))} inflates to more than the ${r.declared} bytes it declares`);
      case "inflated":
        throw invalidParameters(`file: the workbook inflates to more than the ${MAX_IMPORT_UNZIPPED_BYTES} bytes (50 MiB) allowed`);
      case "unreadable":
        throw invalidParameters(`file: not a readable .xlsx workbook (${r.detail})`);
    }
  }
}

/**
 * Throws 400 unless the file's size, its zip's entry count and its declared and real (inflated) uncompressed sizes
 * are within the bounds. Synchronous: inflates the entries (at most {@link MAX_IMPORT_UNZIPPED_BYTES} in all).
 */
export function checkWorkbookBounds(data: Buffer): void {
  boundedEntries(data);
}

function isIdColumn(name: string): boolean {
  const last = name.split(".").pop() ?? name;
  return last === "id" || /[a-z](Id|Key)$/.test(last);
}

function cellValue(v: CellValue, column: string): string | number | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v === "number") return isIdColumn(column) ? String(v) : v;
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "boolean") return v;
  return String(v);
}

function headerOf(sheet: string, first: CellValue[]): Array<string | undefined> {
  const seen = new Set<string>();
  return first.map((c, i) => {
    if (c === null || c === undefined || c === "") return undefined;
    const name = String(c).trim();
    const where = `sheet "${sheet}", column ${i + 1}`;
    if (name === "" || name.split(".").some((s) => s === "")) throw invalidParameters(`${where}: "${name}" is not a field name`);
    if (name.split(".").some((s) => isForbiddenSegment(s))) throw invalidParameters(`${where}: "${name}" is not allowed as a field name`);
    if (seen.has(name)) throw invalidParameters(`${where}: column "${name}" is repeated`);
    seen.add(name);
    return name;
  });
}

/**
 * Reads a workbook (after {@link checkWorkbookBounds}) into its records, in import order ({@link IMPORT_SHEETS}).
 * Checks the bounds again and reads only the entries inflated within them. Throws 400 for a file that is not a
 * workbook, a sheet not in {@link IMPORT_SHEETS}, a bad header, a value under no column, or more than
 * {@link MAX_IMPORT_ROWS} records.
 */
export async function readImportWorkbook(data: Buffer): Promise<ImportWorkbook> {
  // read-excel-file reads a stored zip of the bounded entries, never the sender's zip itself
  const bounded = rebuildZip(boundedEntries(data));
  let sheets: Array<{ sheet: string; data: CellValue[][] }>;
  try {
    sheets = (await readXlsxFile()(bounded)) as Array<{ sheet: string; data: CellValue[][] }>;
  } catch (e) {
    throw invalidParameters(`file: not a readable .xlsx workbook (${(e as Error)?.message ?? String(e)})`);
  }
  const bySheet = new Map<ImportSheet, ImportRow[]>();
  const columns: ImportWorkbook["columns"] = [];
  let count = 0;
  for (const s of sheets) {
    const name = IMPORT_SHEETS.find((n) => n === s.sheet);
    if (!name) throw invalidParameters(`sheet "${s.sheet}": not a sheet a data import reads (sheets: ${IMPORT_SHEETS.join(", ")})`);
    if (bySheet.has(name)) throw invalidParameters(`sheet "${s.sheet}" is repeated`);
    const rows: ImportRow[] = [];
    bySheet.set(name, rows);
    if (s.data.length === 0) continue;
    const header = headerOf(name, s.data[0]);
    columns.push({ sheet: name, columns: header.flatMap((n, i) => (n === undefined ? [] : [{ name: n, index: i + 1 }])) });
    for (let r = 1; r < s.data.length; r++) {
      const cells: ImportCell[] = [];
      s.data[r].forEach((v, i) => {
        const column = header[i];
        const value = cellValue(v, column ?? "");
        if (value === undefined) return;
        if (column === undefined) throw invalidParameters(`sheet "${name}", row ${r + 1}, column ${i + 1}: a value under no column name`);
        cells.push({ name: column, index: i + 1, value });
      });
      if (cells.length === 0) continue;
      if (++count > MAX_IMPORT_ROWS) throw invalidParameters(`file: a data import has at most ${MAX_IMPORT_ROWS} records, this one has more`);
      rows.push({ sheet: name, row: r + 1, cells });
    }
  }
  return { rows: IMPORT_SHEETS.flatMap((n) => bySheet.get(n) ?? []), columns };
}
