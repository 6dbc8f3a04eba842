/**
 * The work of a data import (see data-import.ts for its routes and data-import-workbook.ts for its file): its
 * records are applied in steps (../jobs.ts), each row by the API's own route — "Clients" rows as `POST /clients`,
 * "Deposit Accounts" rows as `POST /deposits` (then `POST /deposits/{id}:changeState` APPROVE when the row's
 * `accountState` is APPROVED), "Deposit Transactions" rows as `POST /deposits/{accountId}/deposit-transactions`,
 * "Loan Accounts" rows as `POST /loans` (then `POST /loans/{id}:changeState` APPROVE for `accountState` APPROVED) —
 * so a row is validated exactly as the same request would be. A row that fails is listed (sheet, row, column,
 * message) and the import goes on, so that every failing row is reported; rows may name records of earlier rows
 * by id (`accountHolderKey`: a client's id; `accountId`: a deposit account's id).
 *
 * All or nothing: every write of a row (records inserted, replaced or removed through the store) is journaled with
 * the record as it was before. When the last row is done, an import with a failed row is reverted (nothing of it
 * stays) and its state is ERROR; one without is COMPLETE with an `eventKey` (a draft, as Mambu's data migration
 * event): APPROVE keeps the data, REJECT reverts it. A revert first checks that nothing the import wrote was
 * changed since (each record still as the import left it, no other record pointing at a record it created); if
 * something was, a REJECT is refused (400, nothing changed) and a failed import keeps its data, its errors saying
 * which records were changed.
 */
import { mambuError } from "../errors";
import type { Router, RouteResponse, SandboxContext } from "../router";
import { nullProto } from "../safe-keys";
import { CollectionName, SandboxError, WireRecord } from "../types";
import type { ImportCell, ImportColumn, ImportRow, ImportWorkbook } from "./data-import-workbook";

/** `DataImportError`: a failed row (sheet, 1-based row, column name and 1-based index when known, message). */
export interface ImportError {
  sheet?: string;
  row?: number;
  column?: { name?: string; index?: number };
  errorMessage: string;
}

/** A write of the import: the record's collection and key, as it was before (null: created by the import), as the import left it. */
export interface JournalEntry {
  coll: CollectionName;
  key: string;
  before: WireRecord | null;
  after?: WireRecord | null;
}

/** A data import as the `dataimports` collection keeps it (the wire fields are `state`, `errors`, `eventKey`). */
export interface DataImportRecord extends WireRecord {
  state: "QUEUED" | "IN_PROGRESS" | "COMPLETE" | "ERROR";
  errors: ImportError[];
  rows?: ImportRow[];
  /** The columns of each sheet (to name the column of a field a row left empty). */
  columns?: ImportWorkbook["columns"];
  nextRow: number;
  journal?: JournalEntry[];
  eventKey?: string;
  /** Records the import had changed (not created) that another request changed while the import ran. */
  interference?: string[];
  /** The event's fate: DRAFT until APPROVE or REJECT. */
  eventState?: "DRAFT" | "APPROVED" | "REJECTED";
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Deep equality of JSON values, key order aside. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => same(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Runs `fn` with every store write journaled (the first write of a record keeps its before-image; `seen` holds the
 * `coll NUL key` of the records journaled already). Synchronous.
 */
function journaled<T>(ctx: SandboxContext, journal: JournalEntry[], seen: Set<string>, fn: () => T): T {
  const store = ctx.store;
  const note = (coll: CollectionName, key: string, before: WireRecord | null): void => {
    const id = `${coll}\u0000${key}`;
    if (seen.has(id)) return;
    seen.add(id);
    journal.push({ coll, key, before: before ? clone(before) : null });
  };
  const own = store as unknown as Record<string, unknown>;
  const { insert, replace, remove } = store;
  own.insert = (coll: CollectionName, rec: WireRecord): WireRecord => {
    const out = insert.call(store, coll, rec);
    note(coll, rec.encodedKey, null);
    return out;
  };
  own.replace = (coll: CollectionName, rec: WireRecord): WireRecord => {
    const old = store.coll(coll).byKey.get(rec.encodedKey);
    if (old) note(coll, rec.encodedKey, old);
    return replace.call(store, coll, rec);
  };
  own.remove = (coll: CollectionName, key: string): boolean => {
    const old = store.coll(coll).byKey.get(key);
    if (old) note(coll, key, old);
    return remove.call(store, coll, key);
  };
  try {
    return fn();
  } finally {
    delete own.insert;
    delete own.replace;
    delete own.remove;
  }
}

/** Calls a route of the API directly (synchronously: a handler that answers a promise is a bug here). */
function callRoute(router: Router, ctx: SandboxContext, method: string, path: string, body: unknown): RouteResponse {
  const m = router.match(method, path);
  if (m.kind !== "route") throw mambuError("INTERNAL_ERROR", `data import: no route ${method} ${path}`);
  const out = m.route.handler(ctx, { method, path, params: m.params, query: nullProto<string>(), headers: {}, body });
  if (out instanceof Promise) throw mambuError("INTERNAL_ERROR", `data import: ${method} ${path} is not synchronous`);
  if (out.status >= 400) throw mambuError("INTERNAL_ERROR", `data import: ${method} ${path} answered ${out.status}`);
  return out;
}

/** The body of a row: each cell at its dotted path. Throws a row error naming the column of a clash. */
function bodyOf(row: ImportRow, skip: Set<string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const c of row.cells) {
    if (skip.has(c.name)) continue;
    const path = c.name.split(".");
    let at: Record<string, unknown> = body;
    for (const seg of path.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(at, seg) ? at[seg] : undefined;
      if (next === undefined) at = at[seg] = {} as Record<string, unknown>;
      else if (next && typeof next === "object" && !Array.isArray(next)) at = next as Record<string, unknown>;
      else throw new RowError(`column ${c.name} clashes with column ${seg}`, c);
    }
    const last = path[path.length - 1];
    if (Object.prototype.hasOwnProperty.call(at, last)) throw new RowError(`column ${c.name} clashes with another column`, c);
    at[last] = c.value;
  }
  return body;
}

/** A row's own problem (not the API's), with the column when known. */
class RowError extends Error {
  constructor(message: string, readonly cell?: ImportCell) {
    super(message);
  }
}

function cellOf(row: ImportRow, name: string): ImportCell | undefined {
  return row.cells.find((c) => c.name === name);
}

/** Applies one row through the API's routes; throws SandboxError or RowError. */
function applyRow(router: Router, ctx: SandboxContext, row: ImportRow): void {
  switch (row.sheet) {
    case "Clients":
      callRoute(router, ctx, "POST", "/clients", bodyOf(row, new Set()));
      return;
    case "Deposit Accounts":
    case "Loan Accounts": {
      const path = row.sheet === "Loan Accounts" ? "/loans" : "/deposits";
      const stateCell = cellOf(row, "accountState");
      const state = stateCell?.value;
      if (state !== undefined && state !== "PENDING_APPROVAL" && state !== "APPROVED") {
        throw new RowError(`accountState: PENDING_APPROVAL (default) or APPROVED, got ${JSON.stringify(state)}`, stateCell);
      }
      const created = callRoute(router, ctx, "POST", path, bodyOf(row, new Set(["accountState"])));
      if (state === "APPROVED") {
        const id = String((created.body as { id?: unknown }).id);
        callRoute(router, ctx, "POST", `${path}/${encodeURIComponent(id)}:changeState`, { action: "APPROVE" });
      }
      return;
    }
    case "Deposit Transactions": {
      const accountCell = cellOf(row, "accountId");
      if (accountCell === undefined) throw new RowError("accountId: the deposit account (id) of the transaction is required");
      const accountId = String(accountCell.value);
      callRoute(router, ctx, "POST", `/deposits/${encodeURIComponent(accountId)}/deposit-transactions`, bodyOf(row, new Set(["accountId"])));
      return;
    }
  }
}

/** Reasons whose column is known whatever their message says. */
const REASON_COLUMNS: Array<[RegExp, string[]]> = [
  [/^INVALID_(CLIENT|GROUP)_ID$|ACCOUNT_HOLDER/, ["accountHolderKey"]],
  [/PRODUCT_(KEY|STATE)/, ["productTypeKey"]],
  [/^INVALID_DEPOSIT_ACCOUNT_ID$|^INVALID_DEPOSIT_ACCOUNT_STATE$/, ["accountId"]],
  [/AMOUNT/, ["amount"]],
  [/CHANNEL/, ["transactionDetails.transactionChannelId", "transactionDetails.transactionChannelKey"]],
  [/ALREADY_IN_USE|ID_ALREADY|DUPLICATE/, ["id"]],
];

/** The column an API error is about: the one its message names (longest name first), else by its reason. */
function columnOf(row: ImportRow, columns: ImportColumn[], e: SandboxError): ImportColumn | undefined {
  const text = e.errorSource ?? "";
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const words = (name: string): boolean => new RegExp(`(^|[^A-Za-z0-9_])${escape(name)}($|[^A-Za-z0-9_])`).test(text);
  const all: ImportColumn[] = columns.length ? columns : row.cells;
  const byName = [...all].sort((a, b) => b.name.length - a.name.length).find((c) => words(c.name) || words(c.name.split(".").pop() ?? c.name));
  if (byName) return byName;
  for (const [re, names] of REASON_COLUMNS) {
    if (!re.test(e.errorReason)) continue;
    const c = names.map((n) => all.find((x) => x.name === n)).find((x) => x !== undefined);
    if (c) return c;
  }
  return undefined;
}

function rowError(row: ImportRow, columns: ImportColumn[], e: unknown): ImportError {
  let message: string;
  let cell: ImportColumn | undefined;
  if (e instanceof RowError) {
    message = e.message;
    cell = e.cell;
  } else if (e instanceof SandboxError) {
    message = e.errorSource ? `${e.errorReason}: ${e.errorSource}` : e.errorReason;
    cell = columnOf(row, columns, e);
  } else {
    message = `INTERNAL_ERROR: ${(e as Error)?.message ?? String(e)}`;
  }
  return { sheet: row.sheet, row: row.row, ...(cell ? { column: { name: cell.name, index: cell.index } } : {}), errorMessage: message };
}

/** The import's writes as they are now: each entry's record as stored (null when gone). */
function withAfterImages(ctx: SandboxContext, journal: JournalEntry[]): JournalEntry[] {
  return journal.map((j) => ({ ...j, after: clone(ctx.store.coll(j.coll).byKey.get(j.key) ?? null) }));
}

const NO_SCAN: ReadonlySet<string> = new Set(["dataimports", "bulks"]);

/**
 * Why the import's writes cannot be reverted safely (empty: they can): a record it wrote that is no longer as it
 * left it, or a record it did not write that points (a top-level field holding the key) at a record it created.
 */
export function revertConflicts(ctx: SandboxContext, journal: JournalEntry[], collections: readonly CollectionName[]): string[] {
  const problems: string[] = [];
  const created = new Set<string>();
  const touched = new Set<string>();
  for (const j of journal) {
    touched.add(`${j.coll}\u0000${j.key}`);
    if (j.before === null) created.add(j.key);
    const now = ctx.store.coll(j.coll).byKey.get(j.key) ?? null;
    if (!same(now, j.after ?? null)) problems.push(`${j.coll} ${String((j.after ?? j.before ?? now)?.id ?? j.key)} was changed since the import`);
  }
  if (created.size === 0) return problems;
  for (const coll of collections) {
    if (NO_SCAN.has(coll)) continue;
    for (const rec of ctx.store.coll(coll).byKey.values()) {
      if (touched.has(`${coll}\u0000${rec.encodedKey}`)) continue;
      for (const [field, v] of Object.entries(rec)) {
        if (field !== "encodedKey" && typeof v === "string" && created.has(v)) {
          problems.push(`${coll} ${String(rec.id ?? rec.encodedKey)} refers to a record of the import (${field})`);
          break;
        }
      }
      if (problems.length >= 20) return problems;
    }
  }
  return problems;
}

/** Undoes the import's writes, newest first (call after {@link revertConflicts} found none). */
export function revertJournal(ctx: SandboxContext, journal: JournalEntry[]): void {
  for (const j of [...journal].reverse()) {
    const now = ctx.store.coll(j.coll).byKey.get(j.key);
    if (j.before === null) {
      if (now) ctx.store.remove(j.coll, j.key);
    } else if (now) {
      ctx.store.replace(j.coll, clone(j.before));
    } else {
      ctx.store.insert(j.coll, clone(j.before));
    }
  }
}

/** Every collection of the store (the ones a revert scans for references). */
function collectionsOf(ctx: SandboxContext): CollectionName[] {
  return Object.keys(ctx.store.snapshot().collections) as CollectionName[];
}

/**
 * One step of the import `key` (a ../jobs.ts stepper): applies at most `budget` rows; after the last row, the
 * import ends COMPLETE (with an event key) or ERROR (reverted). Synchronous.
 */
export function stepDataImport(ctx: SandboxContext, router: Router, key: string, budget: number): { rows: number; done: boolean } {
  const rec = ctx.store.coll("dataimports").byKey.get(key) as DataImportRecord | undefined;
  if (!rec || (rec.state !== "QUEUED" && rec.state !== "IN_PROGRESS") || !Array.isArray(rec.rows)) return { rows: 0, done: true };
  const rows = rec.rows;
  const journal = (rec.journal ?? []).map((j) => ({ ...j }));
  const errors = [...rec.errors];
  const interference = [...(rec.interference ?? [])];
  for (const j of journal) {
    if (j.before === null || j.after === undefined) continue;
    if (!same(ctx.store.coll(j.coll).byKey.get(j.key) ?? null, j.after)) {
      const what = `${j.coll} ${String(j.before.id ?? j.key)} was changed by another request while the import ran`;
      if (!interference.includes(what)) interference.push(what);
    }
  }
  let next = rec.nextRow;
  let done = 0;
  const seen = new Set(journal.map((j) => `${j.coll}\u0000${j.key}`));
  while (next < rows.length && done < budget) {
    const row = rows[next];
    try {
      journaled(ctx, journal, seen, () => applyRow(router, ctx, row));
    } catch (e) {
      errors.push(rowError(row, rec.columns?.find((c) => c.sheet === row.sheet)?.columns ?? [], e));
    }
    next++;
    done++;
  }
  for (const j of journal) if (j.before !== null) j.after = clone(ctx.store.coll(j.coll).byKey.get(j.key) ?? null);
  const updated: DataImportRecord = { ...rec, state: "IN_PROGRESS", errors, nextRow: next, journal, interference };
  if (next >= rows.length) {
    delete updated.rows;
    delete updated.columns;
    updated.journal = withAfterImages(ctx, journal);
    if (errors.length === 0) {
      updated.state = "COMPLETE";
      updated.eventKey = ctx.store.newEncodedKey();
      updated.eventState = "DRAFT";
    } else {
      updated.state = "ERROR";
      const conflicts = [...interference, ...revertConflicts(ctx, updated.journal, collectionsOf(ctx))];
      if (conflicts.length === 0) revertJournal(ctx, updated.journal);
      else updated.errors = [...errors, { errorMessage: `the import could not be reverted, its records stay: ${conflicts.join("; ")}` }];
      delete updated.journal;
    }
  }
  ctx.store.replace("dataimports", updated);
  return { rows: done, done: next >= rows.length };
}
