/**
 * Columns of the `mambu` tables and JSON projections: the default columns of each entity, field
 * paths (`balances.principalBalance`, `addresses[0].city`, custom fields `Age` or
 * `_OtherDetails.Age`), cell formatting (money with the currency's decimals, dates with their offset).
 */
import Decimal from "decimal.js";
import { currencyDigits, currencyOf } from "../core/money";
import { DateTime } from "luxon";
import { isPlainObject } from "../core/clone";
import { formatWireDateTime } from "../core/coerce";
import { RawNumber } from "../core/json";
import { MambuStruct } from "../core/struct";
import { cell } from "./table";

type Bag = Record<string, unknown>;

/** Default table columns per entity (by command-line name); entities not listed get {@link guessColumns}. */
export const DEFAULT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  client: ["id", "firstName", "lastName", "state", "birthDate", "creationDate"],
  group: ["id", "groupName", "emailAddress", "creationDate"],
  loan: ["id", "loanName", "accountState", "accountHolderType", "loanAmount", "balances.principalBalance", "daysInArrears", "creationDate"],
  deposit: ["id", "name", "accountType", "accountState", "balances.totalBalance", "currencyCode", "creationDate"],
  branch: ["id", "name", "state", "phoneNumber", "emailAddress"],
  centre: ["id", "name", "state", "meetingDay"],
  user: ["id", "username", "firstName", "lastName", "userState", "email"],
  role: ["id", "name", "creationDate"],
  task: ["id", "title", "status", "dueDate", "taskLinkType"],
  product: ["id", "name", "type", "state", "category"],
  depositproduct: ["id", "name", "type", "state", "category"],
  transaction: ["id", "type", "valueDate", "amount", "affectedAmounts.principalAmount", "affectedAmounts.interestAmount", "accountBalances.totalBalance", "notes"],
  deposittransaction: ["id", "type", "valueDate", "amount", "accountBalances.totalBalance", "notes"],
  customfield: ["id", "type", "availableFor", "state"],
  customfieldset: ["id", "name", "type", "availableFor"],
};

/** Columns of a loan schedule. */
export const SCHEDULE_COLUMNS: readonly string[] = [
  "number", "dueDate", "state", "principal.amount.expected", "interest.amount.expected", "fee.amount.expected",
  "penalty.amount.expected", "principal.amount.paid", "interest.amount.paid", "totalDue",
];

/** Columns of a loan's transactions. */
export const LOAN_TRANSACTION_COLUMNS: readonly string[] = DEFAULT_COLUMNS.transaction;

const PREFERRED = ["id", "name", "title", "username", "firstName", "lastName", "groupName", "loanName", "type", "state", "accountState", "status", "amount", "valueDate", "creationDate"];

/** Columns for an entity without defaults: the usual identifying fields its first records have, else their first scalar fields. */
export function guessColumns(rows: readonly unknown[]): string[] {
  const keys = new Set<string>();
  for (const r of rows.slice(0, 20)) for (const k of Object.keys(wireOf(r))) keys.add(k);
  const cols = PREFERRED.filter((k) => keys.has(k)).slice(0, 7);
  if (cols.length) return cols;
  const first = wireOf(rows[0]);
  return Object.keys(first).filter((k) => !isPlainObject(first[k]) && !Array.isArray(first[k])).slice(0, 6);
}

/**
 * The header shown for a column path: its last segment (`balances.principalBalance` →
 * `principalBalance`); an installment's `principal.amount.expected` → `principal`, `interest.amount.paid` → `interestPaid`.
 */
export function headerOf(path: string): string {
  const amount = /^(\w+)\.amount\.(\w+)$/.exec(path);
  if (amount) return amount[2] === "expected" ? amount[1] : `${amount[1]}${amount[2][0].toUpperCase()}${amount[2].slice(1)}`;
  const m = /([^.[\]]+)(?:\[\d+\])?$/.exec(path);
  return m ? m[1] : path;
}

/** Splits a path: `addresses[0].city` → `["addresses", 0, "city"]`. */
export function splitPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split(".")) {
    const re = /\[(\d+)\]/g;
    const name = part.replace(/\[\d+\].*$/, "");
    if (name) out.push(name);
    for (let m = re.exec(part); m; m = re.exec(part)) out.push(Number(m[1]));
  }
  return out;
}

/** The user value at a path (Decimal, DateTime, string...), read through the entity's accessors (custom fields included). */
export function valueAt(root: unknown, path: string): unknown {
  if (path === "totalDue") return totalDue(root);
  let v: unknown = root;
  for (const seg of splitPath(path)) {
    if (v === null || v === undefined || typeof v !== "object") return undefined;
    v = (v as Bag)[seg as string];
  }
  return v;
}

/** The exact wire value at a path, as Mambu sent it; custom fields are also found by their bare id (`Age`, `ASSETAGE_1`). */
export function wireAt(root: unknown, path: string): unknown {
  const wire = wireOf(root);
  let v: unknown = wire;
  for (const seg of splitPath(path)) {
    if (v === null || v === undefined || typeof v !== "object") {
      v = undefined;
      break;
    }
    v = (v as Bag)[seg as string];
  }
  if (v !== undefined || path.includes(".") || path.includes("[")) return v;
  for (const [k, set] of Object.entries(wire)) {
    if (!k.startsWith("_")) continue;
    if (isPlainObject(set) && path in set) return set[path];
    const m = /^(.+)_(\d+)$/.exec(path);
    if (m && Array.isArray(set)) {
      const row = set[Number(m[2])];
      if (isPlainObject(row) && m[1] in row) return row[m[1]];
    }
  }
  return undefined;
}

/** The wire object of a record (its `toJSON()` for entities and structs). */
export function wireOf(r: unknown): Bag {
  if (r instanceof MambuStruct) return r.toJSON();
  return isPlainObject(r) ? r : {};
}

/** A value made JSON-ready and exact: Decimals as their digits, DateTimes as Mambu writes them, structs as their wire shape. */
export function jsonValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (Decimal.isDecimal(v)) return new RawNumber((v as Decimal).toFixed());
  if (DateTime.isDateTime(v)) return v.isValid ? dateText(v) : null;
  if (v instanceof MambuStruct) return v.toJSON();
  if (Array.isArray(v)) return v.map(jsonValue);
  return v;
}

/** The projection of a record on columns, for JSON: each column's exact wire value. */
export function project(r: unknown, columns: readonly string[]): Bag {
  const out: Bag = {};
  for (const c of columns) {
    const w = wireAt(r, c);
    out[c] = w !== undefined ? w : jsonValue(valueAt(r, c));
  }
  return out;
}

/** Whether a field name holds a rate or a share rather than money. */
function isRate(path: string): boolean {
  return /rate|percent|ratio|spread/i.test(headerOf(path));
}

/**
 * A table cell: money with the currency's decimals (never fewer digits than Mambu sent), rates as
 * Mambu wrote them (`wire`, the value as sent, when known), dates with their offset.
 */
export function cellText(v: unknown, path: string, currency?: string, wire?: unknown): string {
  return rawCellText(v, path, currency, wire).replace(/[\r\n\t]+/g, " ");
}

/** Whether a cell's text depends on the wire value (rates keep Mambu's digits): callers look it up only then. */
export function needsWire(v: unknown, path: string): boolean {
  return Decimal.isDecimal(v) && isRate(path);
}

function rawCellText(v: unknown, path: string, currency?: string, wire?: unknown): string {
  if (v instanceof RawNumber) return v.text;
  if (Decimal.isDecimal(v) && isRate(path) && (wire instanceof RawNumber || typeof wire === "number" || typeof wire === "string")) {
    if (new Decimal(String(wire)).eq(v as Decimal)) return String(wire);
  }
  if (Decimal.isDecimal(v) && !isRate(path)) {
    const d = v as Decimal;
    return d.toFixed(Math.max(currencyDigits(currency), d.decimalPlaces()));
  }
  if (Decimal.isDecimal(v)) return (v as Decimal).toFixed();
  if (DateTime.isDateTime(v)) return v.isValid ? dateText(v) : "Invalid date";
  if (v instanceof MambuStruct) return JSON.stringify(jsonValue(v));
  if (Array.isArray(v)) return v.every((x) => x === null || typeof x !== "object" || Decimal.isDecimal(x) || DateTime.isDateTime(x)) ? v.map((x) => cellText(x, path, currency)).join(", ") : JSON.stringify(jsonValue(v));
  return cell(v);
}

/** Whether a value is a number of some kind (right-aligned in tables). */
export function isNumeric(v: unknown): boolean {
  return typeof v === "number" || Decimal.isDecimal(v) || v instanceof RawNumber;
}

function dateText(v: DateTime): string {
  return v.zone.name === "UTC" && v.hour === 0 && v.minute === 0 && v.second === 0 && v.millisecond === 0 ? (v.toISODate() as string) : formatWireDateTime(v);
}

/** Sum of an installment's expected amounts minus what was paid, when the schedule gives them. */
function totalDue(inst: unknown): Decimal | undefined {
  let total: Decimal | undefined;
  for (const part of ["principal", "interest", "fee", "penalty"]) {
    const due = valueAt(inst, `${part}.amount.due`);
    if (Decimal.isDecimal(due)) total = (total ?? new Decimal(0)).plus(due as Decimal);
  }
  return total;
}

/**
 * A record flattened into `[path, value, wire value]` rows for a vertical table (`get`): nested objects as
 * dotted paths, lists of objects with `[i]`, custom field sets as `_Set.field`. Values are read
 * through the entity (typed), in the order Mambu sent the fields.
 */
export function flattenRecord(r: unknown): Array<[string, unknown, unknown]> {
  const out: Array<[string, unknown, unknown]> = [];
  const walk = (wire: unknown, live: unknown, prefix: string): void => {
    if (isPlainObject(wire) && !(wire instanceof RawNumber)) {
      const keys = Object.keys(wire);
      if (keys.length === 0 && prefix) out.push([prefix, "{}", wire]);
      for (const k of keys) walk(wire[k], child(live, k), prefix ? `${prefix}.${k}` : k);
    } else if (Array.isArray(wire)) {
      if (wire.length === 0) out.push([prefix, "[]", wire]);
      else if (wire.every((x) => !isPlainObject(x) && !Array.isArray(x))) out.push([prefix, Array.isArray(live) ? live : wire, wire]);
      else wire.forEach((x, i) => walk(x, Array.isArray(live) ? live[i] : undefined, `${prefix}[${i}]`));
    } else {
      out.push([prefix, live !== undefined ? live : wire, wire]);
    }
  };
  walk(wireOf(r), r, "");
  return out;
}

function child(live: unknown, k: string): unknown {
  if (live === null || live === undefined || typeof live !== "object") return undefined;
  try {
    return (live as Bag)[k];
  } catch {
    return undefined;
  }
}

export { currencyDigits, currencyOf };
