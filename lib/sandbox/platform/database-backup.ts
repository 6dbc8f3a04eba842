/**
 * Database backups of the sandbox tenant, as Mambu makes them:
 * - `POST /database/backup` (body `{ callback? }`) answers 202 `{ state: "QUEUED" }` at once and makes the backup
 *   in the background: a zip holding one MySQL dump (`<file>.sql`, database-backup-sql.ts) of the tenant's state at
 *   that moment, in the tables and columns of Mambu's database (lib/contract/backup-schema.ts,
 *   database-backup-rows.ts); then, when a callback URL was given, POSTs the webhook to it
 *   (database-backup-callback.ts). While a backup is being made, another trigger is refused with 400
 *   DATABASE_BACKUP_IN_PROGRESS (Mambu: "while a backup is in progress, Mambu will not allow starting another one").
 * - `GET /database/backup/LATEST` serves the last completed backup (`application/vnd.mambu.v2+zip`, with
 *   Content-Length, `Content-Disposition: attachment; filename="<file>.zip"`, `Last-Modified`: when that backup
 *   started, on the tenant's clock, and an `ETag` that differs from one backup to the next); 404
 *   DATABASE_BACKUP_NOT_FOUND before the first one.
 *
 * Not a job of jobs.ts: those advance only when requests come in, and a backup must finish and call back with no
 * further request. The work starts on the next turn of the event loop (after the 202 is on its way) and runs
 * synchronously to its end (rows, dump, zip), so it sees one instant's state. Backups live in memory with the
 * sandbox (not in `--persist` files): after a restart `LATEST` is 404 again.
 */
import { createHash } from "node:crypto";
import { zipSync } from "fflate";
import { DateTime, FixedOffsetZone } from "luxon";
import { BACKUP_TABLES } from "../../contract/backup-schema";
import { parseOffset } from "../clock";
import { invalidParameters, mambuError } from "../errors";
import { headerValue } from "../request";
import type { Router, SandboxContext } from "../router";
import type { SandboxStore } from "../store";
import { BackupCallbackBody, callbackUrlProblem, CallbackOutcome, deliverCallback } from "./database-backup-callback";
import { backupRows } from "./database-backup-rows";
import { dumpFooter, dumpHeader, dumpTable } from "./database-backup-sql";

/** The tenant id the sandbox's backups and callbacks name. */
export const SANDBOX_TENANT_ID = "sandbox";
/** The backup's file name without extension, as Mambu names a backup asked through the API. */
export const BACKUP_FILE_NAME = `${SANDBOX_TENANT_ID}-MANUAL-DATABASE-BACKUP`;
/** Media type of the backup download. */
export const BACKUP_CONTENT_TYPE = "application/vnd.mambu.v2+zip";

/** A completed backup. */
export interface SandboxBackup {
  zip: Buffer;
  /** When it started, on the tenant's clock (ISO with offset). */
  startedAt: string;
  etag: string;
  /** Rows written per table. */
  counts: Record<string, number>;
}

/** Backup state of one sandbox tenant. */
interface BackupState {
  running: boolean;
  seq: number;
  latest?: SandboxBackup;
  /** Why the last backup failed, if it did. */
  lastError?: string;
  /** How the last callback went (tests and diagnostics). */
  lastCallback?: CallbackOutcome;
  /** Settles when the running backup and its callback are done. */
  settled?: Promise<void>;
}

const states = new WeakMap<SandboxStore, BackupState>();

function stateOf(store: SandboxStore): BackupState {
  let s = states.get(store);
  if (!s) states.set(store, (s = { running: false, seq: 0 }));
  return s;
}

/** The latest completed backup of a sandbox's store, if any (for tests and tools on the same process). */
export function latestBackup(store: SandboxStore): SandboxBackup | undefined {
  return states.get(store)?.latest;
}

/** Resolves when the backup being made (and its callback) is done; at once when none is running. */
export function backupSettled(store: SandboxStore): Promise<void> {
  return states.get(store)?.settled ?? Promise.resolve();
}

/** The dump and its zip for the tenant's current state (synchronous: one instant's state). */
export function makeBackup(ctx: SandboxContext, seq: number): SandboxBackup {
  const startedAt = ctx.clock.nowIso();
  const zone = FixedOffsetZone.instance(parseOffset(ctx.clock.offset));
  const at = DateTime.fromISO(startedAt, { setZone: true }).setZone(zone).toFormat("yyyy-MM-dd HH:mm:ss");
  const rows = backupRows(ctx);
  const opts = { zone, tenant: SANDBOX_TENANT_ID, at };
  const out: string[] = [dumpHeader(opts)];
  const counts: Record<string, number> = {};
  for (const t of BACKUP_TABLES) counts[t.name] = dumpTable(out, t, rows.get(t.name) ?? [], zone);
  out.push(dumpFooter(opts));
  const sql = Buffer.from(out.join(""), "utf8");
  const mtime = new Date(DateTime.fromISO(startedAt).toMillis());
  const zip = Buffer.from(zipSync({ [`${BACKUP_FILE_NAME}.sql`]: [new Uint8Array(sql.buffer, sql.byteOffset, sql.length), { level: 6, mtime }] }));
  const etag = `"${seq}-${createHash("sha256").update(zip).digest("hex").slice(0, 16)}"`;
  return { zip, startedAt, etag, counts };
}

function callbackOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== "object" || Array.isArray(body)) throw invalidParameters("body: must be an object { callback? }");
  const cb = (body as Record<string, unknown>).callback;
  if (cb === undefined || cb === null || cb === "") return undefined;
  if (typeof cb !== "string") throw invalidParameters("callback: must be a string (a URL)");
  const problem = callbackUrlProblem(cb);
  if (problem) throw invalidParameters(problem);
  return cb;
}

function domainOf(host: string | undefined): string {
  const h = (host ?? "").trim();
  return /^[A-Za-z0-9.:[\]-]{1,255}$/.test(h) ? h : "localhost";
}

async function runBackup(ctx: SandboxContext, state: BackupState, callback: string | undefined, domain: string): Promise<void> {
  let result: BackupCallbackBody["result"] = "COMPLETE";
  try {
    state.latest = makeBackup(ctx, state.seq);
    state.lastError = undefined;
  } catch (e) {
    result = "ERROR";
    state.lastError = (e as Error)?.message ?? String(e);
  } finally {
    state.running = false;
  }
  if (callback !== undefined) {
    state.lastCallback = await deliverCallback(callback, { tenantId: SANDBOX_TENANT_ID, result, domain, fileName: BACKUP_FILE_NAME });
  }
}

/** Registers `POST /database/backup` and `GET /database/backup/{databaseBackupVersion}`. */
export function registerDatabaseBackupRoutes(router: Router): void {
  router.add("POST", "/database/backup", (ctx, req) => {
    const callback = callbackOf(req.body);
    const state = stateOf(ctx.store);
    if (state.running) throw mambuError("DATABASE_BACKUP_IN_PROGRESS", "a database backup is already being made; try again when it is done");
    state.running = true;
    state.seq += 1;
    const domain = domainOf(headerValue(req.headers, "host"));
    state.settled = new Promise<void>((resolve) => {
      setImmediate(() => {
        runBackup(ctx, state, callback, domain).then(resolve, resolve);
      });
    });
    return { status: 202, body: { state: "QUEUED" } };
  });

  router.add("GET", "/database/backup/{databaseBackupVersion}", (ctx, req) => {
    if (req.params.databaseBackupVersion !== "LATEST") {
      throw invalidParameters(`databaseBackupVersion: must be LATEST, got ${JSON.stringify(req.params.databaseBackupVersion.slice(0, 64))}`);
    }
    const latest = states.get(ctx.store)?.latest;
    if (!latest) throw mambuError("DATABASE_BACKUP_NOT_FOUND", "no database backup has been made yet: trigger one with POST /database/backup");
    return {
      status: 200,
      raw: latest.zip,
      headers: {
        "Content-Type": BACKUP_CONTENT_TYPE,
        "Content-Disposition": `attachment; filename="${BACKUP_FILE_NAME}.zip"`,
        "Last-Modified": DateTime.fromISO(latest.startedAt).toUTC().toHTTP() ?? "",
        ETag: latest.etag,
      },
    };
  });
}
