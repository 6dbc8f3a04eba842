/**
 * The text of a MySQL dump, as `mysqldump` writes one: a `SET` header, then per table `DROP TABLE IF EXISTS`,
 * `CREATE TABLE` (from lib/contract/backup-schema.ts) and batched multi-row `INSERT INTO ... VALUES`, then a
 * footer restoring the session settings.
 *
 * Values follow their column's type: strings escaped as mysqldump escapes them (NUL `\0`, newline `\n`, carriage
 * return `\r`, Ctrl-Z `\Z`, backslash, single and double quotes), so no value holds a raw line break and every
 * statement ends with `;` at the end of its line (a reader may split the dump on `;\n` outside quotes); DECIMAL
 * as exact text with the column's scale (from the JSON number's shortest decimal spelling, never through binary
 * arithmetic); DATETIME in the tenant's zone (`YYYY-MM-DD HH:MM:SS`); a missing value `NULL`. The header turns
 * off strict mode and NO_BACKSLASH_ESCAPES as mysqldump's does, so the escapes are read back as written.
 */
import Decimal from "decimal.js";
import { DateTime, FixedOffsetZone } from "luxon";
import { BackupColumn, BackupTable, createTableSql, quoteIdentifier } from "../../contract/backup-schema";

/** A row to dump: values by column name (a column without a value is NULL). */
export type DumpRow = ReadonlyMap<string, unknown>;

/** Largest INSERT statement written, in characters (mysqldump's default `net_buffer_length` is 1 MiB). */
export const MAX_INSERT_CHARS = 1024 * 1024;

/** Why a value cannot be written in its column (the backup then fails with this message). */
export class DumpValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DumpValueError";
  }
}

const ESCAPES: Readonly<Record<string, string>> = { "\0": "\\0", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z", "\\": "\\\\", "'": "\\'", '"': '\\"' };

/** A string as a quoted MySQL literal, escaped as mysqldump escapes it. */
export function sqlString(s: string): string {
  return `'${s.replace(/[\0\n\r\x1a\\'"]/g, (c) => ESCAPES[c] ?? c)}'`;
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** A number (or decimal text) as exact DECIMAL(p,s) text with `scale` places; throws when it does not fit. */
export function decimalText(value: unknown, precision: number, scale: number, where: string): string | undefined {
  let d: Decimal;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new DumpValueError(`${where}: ${String(value)} is not a decimal number`);
    d = new Decimal(String(value)); // the shortest decimal spelling of the JSON number: what the API shows
  } else if (typeof value === "string" && DECIMAL_TEXT.test(value.trim())) {
    d = new Decimal(value.trim());
  } else {
    return undefined;
  }
  const text = d.toFixed(scale, Decimal.ROUND_HALF_UP);
  const digits = text.replace(/^-/, "").split(".")[0]!.replace(/^0+(?=\d)/, "").length;
  if (digits > precision - scale) throw new DumpValueError(`${where}: ${text} does not fit DECIMAL(${precision},${scale})`);
  return text;
}

/** An ISO date (`YYYY-MM-DD`: midnight) or date-time as DATETIME text in `zone`; undefined when not a date. */
export function datetimeText(value: unknown, zone: FixedOffsetZone): string | undefined {
  if (typeof value !== "string") return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return DateTime.fromISO(value, { zone }).isValid ? `${value} 00:00:00` : undefined;
  }
  const dt = DateTime.fromISO(value, { setZone: true, zone });
  return dt.isValid ? dt.setZone(zone).toFormat("yyyy-MM-dd HH:mm:ss") : undefined;
}

function integerText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "string" && /^-?\d{1,18}$/.test(value)) return String(BigInt(value));
  return undefined;
}

/** One value as SQL text for its column (`NULL` for a missing value or one the type cannot hold). */
export function sqlValue(col: BackupColumn, value: unknown, zone: FixedOffsetZone, where: string): string {
  if (value === undefined || value === null) return "NULL";
  const t = col.type;
  switch (t.kind) {
    case "decimal":
      return decimalText(value, t.precision, t.scale, `${where}.${col.name}`) ?? "NULL";
    case "datetime": {
      const text = datetimeText(value, zone);
      return text === undefined ? "NULL" : `'${text}'`;
    }
    case "int":
    case "bigint":
      return integerText(value) ?? "NULL";
    case "varchar":
    case "text": {
      const s = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
      if (t.kind === "varchar" && [...s].length > t.length) {
        throw new DumpValueError(`${where}.${col.name}: ${[...s].length} characters do not fit VARCHAR(${t.length})`);
      }
      return sqlString(s);
    }
  }
}

/** Settings of a dump. */
export interface DumpOptions {
  /** The tenant's zone: DATETIME values are written in it. */
  zone: FixedOffsetZone;
  /** Shown in the header comment. */
  tenant: string;
  /** The instant shown in the header and footer comments (tenant zone). */
  at: string;
}

/** The header: what mysqldump writes before the first table. */
export function dumpHeader(o: DumpOptions): string {
  return [
    `-- MySQL dump of the mambu-ts sandbox tenant ${o.tenant.replace(/[\r\n]/g, " ")}`,
    `-- Tables and columns of Mambu's database; DATETIME values in the tenant's time zone (UTC${o.zone.formatOffset(0, "short")})`,
    `-- Dump started on ${o.at}`,
    "",
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
    "/*!40101 SET NAMES utf8mb4 */;",
    "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;",
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;",
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    "",
  ].join("\n") + "\n";
}

/** The footer: the session settings back, and the completion line. */
export function dumpFooter(o: DumpOptions): string {
  return [
    "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;",
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;",
    "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;",
    "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;",
    "",
    `-- Dump completed on ${o.at}`,
    "",
  ].join("\n");
}

/**
 * One table's part of the dump: structure, then its rows in INSERT statements of at most
 * {@link MAX_INSERT_CHARS} characters (a longer single row gets a statement of its own). Pushes text chunks.
 * @throws DumpValueError when a value does not fit its column.
 */
export function dumpTable(out: string[], table: BackupTable, rows: Iterable<DumpRow>, zone: FixedOffsetZone): number {
  const name = quoteIdentifier(table.name);
  out.push(`--\n-- Table structure for table ${name}\n--\n\nDROP TABLE IF EXISTS ${name};\n${createTableSql(table)}\n\n`);
  out.push(`--\n-- Dumping data for table ${name}\n--\n\n`);
  const head = `INSERT INTO ${name} (${table.columns.map((c) => quoteIdentifier(c.name)).join(",")}) VALUES `;
  let batch: string[] = [];
  let size = head.length;
  let count = 0;
  const flush = (): void => {
    if (batch.length) out.push(`${head}${batch.join(",")};\n`);
    batch = [];
    size = head.length;
  };
  for (const row of rows) {
    const where = `${table.name}[${String(row.get(table.primaryKey[0]!) ?? count)}]`;
    const tuple = `(${table.columns.map((c) => sqlValue(c, row.get(c.name), zone, where)).join(",")})`;
    if (batch.length && size + tuple.length + 2 > MAX_INSERT_CHARS) flush();
    batch.push(tuple);
    size += tuple.length + 1;
    count++;
  }
  flush();
  out.push("\n");
  return count;
}
