/** Aligned text tables for the terminal (demo, CLI): money right-aligned, dates with their offset. */
import Decimal from "decimal.js";
import { DateTime } from "luxon";
import { formatWireDateTime } from "../core/coerce";

/** A column: header, how to get the cell, and alignment. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  align?: "left" | "right";
}

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

/** Renders rows as an aligned table with a header and a rule. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (parts: string[]): string =>
    parts.map((p, i) => (columns[i].align === "right" ? p.padStart(widths[i]) : p.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
