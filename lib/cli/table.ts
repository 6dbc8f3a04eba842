/**
 * Aligned text tables for the terminal (demo, CLI, REPL): money right-aligned, dates with their
 * offset, and — given a width — fitted to it: the widest text columns are cut with "…" (or wrapped,
 * for columns that ask) until the table fits; numbers are never cut.
 */
import Decimal from "decimal.js";
import { DateTime } from "luxon";
import { formatWireDateTime } from "../core/coerce";
import { truncate, wrapText } from "./terminal";

/** A column: header, how to get the cell, alignment, and what to do when the table is too wide. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** `right` for numbers: their cells are never cut. */
  align?: "left" | "right";
  /** Too wide: `truncate` (default, one line per row, "…" at the cut) or `wrap` (more lines). */
  overflow?: "truncate" | "wrap";
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Fit the table to this many characters per line (none: every cell whole). */
  width?: number;
}

/** Narrowest a text column is cut to (narrower columns keep their width). */
const MIN_TEXT = 6;
/** Narrowest a wrapped column gets. */
const MIN_WRAP = 12;
const GAP = 2;

/** Formats one cell: Decimals with at least 2 decimals, DateTimes as ISO (date-only when midnight UTC). */
export function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Decimal.isDecimal(v)) {
    const d = v as Decimal;
    return d.toFixed(Math.max(2, d.decimalPlaces()));
  }
  if (DateTime.isDateTime(v)) {
    if (!v.isValid) return "Invalid date";
    return v.zone.name === "UTC" && v.hour === 0 && v.minute === 0 && v.second === 0 ? (v.toISODate() as string) : formatWireDateTime(v);
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * Column widths that fit `width`: every column keeps its natural width when the table fits;
 * otherwise the widest shrink first (water-filling), text columns down to {@link MIN_TEXT}
 * characters, numeric ones down to their widest cell (only their header may be cut). When even
 * that is too wide, the narrowest widths are returned and lines run over.
 */
export function fitWidths(natural: readonly number[], floors: readonly number[], width: number): number[] {
  const available = width - GAP * (natural.length - 1);
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  if (sum(natural) <= available) return [...natural];
  if (sum(floors) >= available) return [...floors];
  const at = (level: number): number[] => natural.map((n, i) => Math.max(floors[i], Math.min(n, level)));
  let lo = 0;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(at(mid)) <= available) lo = mid;
    else hi = mid - 1;
  }
  const widths = at(lo);
  // What is left goes, a character at a time, to the column cut the most (a date before a short name).
  for (let left = available - sum(widths); left > 0; left--) {
    let most = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i] < natural[i] && (most < 0 || natural[i] - widths[i] > natural[most] - widths[most])) most = i;
    if (most < 0) break;
    widths[most]++;
  }
  return widths;
}

/** Renders rows as an aligned table with a header and a rule, fitted to `opts.width` when given. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], opts: TableOptions = {}): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const longest = (i: number): number => Math.max(0, ...cells.map((row) => row[i].length));
  const natural = columns.map((c, i) => Math.max(c.header.length, longest(i)));
  const floors = columns.map((c, i) => {
    if (c.align === "right") return Math.max(longest(i), Math.min(c.header.length, MIN_TEXT));
    return Math.min(natural[i], c.overflow === "wrap" ? MIN_WRAP : MIN_TEXT);
  });
  const widths = opts.width === undefined ? natural : fitWidths(natural, floors, opts.width);
  const pad = (p: string, i: number): string => (columns[i].align === "right" ? p.padStart(widths[i]) : p.padEnd(widths[i]));
  const lines = (parts: readonly string[]): string[] => {
    const split = parts.map((p, i) => (p.length <= widths[i] ? [p] : columns[i].overflow === "wrap" ? wrapText(p, widths[i]) : [truncate(p, widths[i])]));
    const height = Math.max(...split.map((s) => s.length));
    return Array.from({ length: height }, (_, k) => split.map((s, i) => pad(s[k] ?? "", i)).join(" ".repeat(GAP)).trimEnd());
  };
  return [
    ...lines(columns.map((c, i) => truncate(c.header, widths[i]))),
    lines(widths.map((w) => "-".repeat(w)))[0],
    ...cells.flatMap(lines),
  ].join("\n");
}
