/**
 * Data imports (`data_import`): `POST /data/import` (multipart part `file`, an .xlsx workbook: see
 * data-import-workbook.ts) answers 202 `{importKey, state: "QUEUED"}` once the workbook is read and within its
 * bounds (else 400, nothing queued); the rows are applied in the background (data-import-run.ts, ../jobs.ts).
 * `GET /data/import/{importKey}` answers `DataImportStatus` — `state` QUEUED, IN_PROGRESS, then COMPLETE with an
 * `eventKey` or ERROR with `errors` (every failed row: sheet, row, column, message; nothing of the import stays).
 * `POST /data/import/events/{eventKey}:action` `{type: "APPROVE" | "REJECT"}` answers 204: APPROVE keeps the data,
 * REJECT removes everything the import wrote — or 400 (nothing changed) when something it wrote was changed since;
 * a second action on the same event is a 400. Unknown keys: 404 INVALID_DATA_IMPORT_TASK_KEY /
 * INVALID_DATA_MIGRATION_EVENT_KEY.
 */
import { invalidParameters, mambuError } from "../errors";
import { enqueueJob } from "../jobs";
import type { Router, SandboxContext } from "../router";
import type { CollectionName } from "../types";
import { DataImportRecord, revertConflicts, revertJournal } from "./data-import-run";
import { readImportWorkbook } from "./data-import-workbook";

function requireImport(ctx: SandboxContext, key: string): DataImportRecord {
  const rec = ctx.store.coll("dataimports").byKey.get(key) as DataImportRecord | undefined;
  if (!rec) throw mambuError("INVALID_DATA_IMPORT_TASK_KEY", `no data import ${key.slice(0, 64)}`);
  return rec;
}

function requireEvent(ctx: SandboxContext, eventKey: string): DataImportRecord {
  for (const rec of ctx.store.coll("dataimports").byKey.values()) {
    if ((rec as DataImportRecord).eventKey === eventKey) return rec as DataImportRecord;
  }
  throw mambuError("INVALID_DATA_MIGRATION_EVENT_KEY", `no data import event ${eventKey.slice(0, 64)}`);
}

/** `DataImportStatus` of a stored import. */
export function importStatus(rec: DataImportRecord): Record<string, unknown> {
  return {
    state: rec.state,
    ...(rec.errors.length ? { errors: rec.errors } : {}),
    ...(rec.eventKey !== undefined ? { eventKey: rec.eventKey } : {}),
  };
}

/** Registers the routes of data imports. */
export function registerDataImportRoutes(router: Router): void {
  router.add("POST", "/data/import", async (ctx, req) => {
    const file = req.multipart?.files.file;
    if (!file) throw invalidParameters("file: a multipart/form-data part named \"file\" with the .xlsx workbook is required");
    const { rows, columns } = await readImportWorkbook(file.data); // checks the bounds while inflating, once
    // From here on synchronous: the import is stored and queued in one go.
    const importKey = ctx.store.newEncodedKey();
    const rec: DataImportRecord = {
      encodedKey: importKey,
      state: "QUEUED",
      errors: [],
      rows,
      columns,
      nextRow: 0,
      journal: [],
      creationDate: ctx.clock.nowIso(),
      fileName: file.filename.slice(0, 255),
    };
    ctx.store.insert("dataimports", rec);
    enqueueJob(ctx.store, { kind: "dataimport", key: importKey });
    return { status: 202, body: { importKey, state: "QUEUED" } };
  });

  router.add("GET", "/data/import/{importKey}", (ctx, req) => ({ status: 200, body: importStatus(requireImport(ctx, req.params.importKey)) }));

  router.add("POST", "/data/import/events/{eventKey}:action", (ctx, req) => {
    const rec = requireEvent(ctx, req.params.eventKey);
    const body = req.body as { type?: unknown } | undefined;
    const type = body && typeof body === "object" && !Array.isArray(body) ? body.type : undefined;
    if (type !== "APPROVE" && type !== "REJECT") throw invalidParameters(`type: expected APPROVE or REJECT, got ${JSON.stringify(type) ?? "nothing"}`);
    if (rec.eventState !== "DRAFT") {
      throw invalidParameters(`data import event ${req.params.eventKey} was already ${rec.eventState === "APPROVED" ? "approved" : "rejected"}`);
    }
    const journal = rec.journal ?? [];
    if (type === "REJECT") {
      const collections = Object.keys(ctx.store.snapshot().collections) as CollectionName[];
      const conflicts = [...(rec.interference ?? []), ...revertConflicts(ctx, journal, collections)];
      if (conflicts.length) {
        throw invalidParameters(`the import cannot be rejected safely, nothing was changed: ${conflicts.slice(0, 10).join("; ")}${conflicts.length > 10 ? "; …" : ""}`);
      }
      revertJournal(ctx, journal);
    }
    const updated: DataImportRecord = { ...rec, eventState: type === "APPROVE" ? "APPROVED" : "REJECTED" };
    delete updated.journal;
    ctx.store.replace("dataimports", updated);
    return { status: 204 };
  });
}
