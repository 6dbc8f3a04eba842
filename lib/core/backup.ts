/**
 * `backupDatabase`: a copy of the tenant's whole database on disk, as MambuPy's `backup_db` makes one — trigger a
 * backup (`POST /database/backup`), learn that it is ready, download `GET /database/backup/LATEST` (a zip holding a
 * MySQL dump).
 *
 * How it learns that the backup is ready:
 * - with `callback` (`{ port, host?, publicUrl? }`): it listens on that port for Mambu's callback (backup-callback.ts)
 *   and gives Mambu its URL — `via: "callback"`;
 * - without: it polls `GET /database/backup/LATEST` every `pollInterval` and takes the first answer 200 whose
 *   `ETag`, else `Last-Modified` ("start date of the last completed backup"), differs from what LATEST answered
 *   just before the trigger (or any 200 when there was no backup before) — `via: "poll"`. A tenant that sends
 *   neither header can only be waited for by callback.
 * - with `justDownload` (MambuPy's `justbackup`): no trigger; the latest existing backup is downloaded —
 *   `via: "existing"`.
 * `timeout` bounds the wait for the backup to be ready (not the download); passing it fails with a
 * BackupTimeoutError carrying the last status seen.
 *
 * The download never leaves a partial file under the final name: it is written to a temporary file (mode 600:
 * a backup holds the data of real people) in the same directory as `out`, its length checked against
 * Content-Length, synced, checked as a zip (backup-zip.ts: every entry's size and CRC-32, a `.sql` inside), and
 * only then renamed to `out` (replacing a file there) and the directory synced. On any failure, abort or timeout,
 * the temporary file is removed and `out` is untouched.

 */
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { PRIVATE_MODE, syncDirectory } from "../config/atomic-file";
import { MambuCommError, MambuTsError } from "../errors";
import { BackupCallbackListener, BackupCallbackOptions, BackupCallbackPayload, listenForBackupCallback } from "./backup-callback";
import { BackupTimeoutError } from "./backup-errors";
import { BackupHttp, backupConnector, connectorBackupHttp, LatestAnswer } from "./backup-http";
import { BackupZipEntry, verifyBackupZip } from "./backup-zip";
import { checkOptionKeys } from "./entity";
import type { MambuConnector } from "../transport";

export { BackupTimeoutError, BackupFailedError } from "./backup-errors";
export { BackupZipError } from "./backup-zip";
export type { BackupZipEntry } from "./backup-zip";
export type { BackupCallbackOptions, BackupCallbackPayload } from "./backup-callback";

/** Default of {@link BackupOptions.timeout}: one hour (Mambu: "up to one hour, depending on the size"). */
export const DEFAULT_BACKUP_TIMEOUT_MS = 60 * 60 * 1000;
/** Default of {@link BackupOptions.pollInterval}: 30 seconds. */
export const DEFAULT_BACKUP_POLL_MS = 30 * 1000;

/** How a backup became ready: Mambu's callback, polling LATEST, or none asked (`justDownload`). */
export type BackupVia = "callback" | "poll" | "existing";

/** What {@link BackupOptions.onProgress} hears. */
export interface BackupProgress {
  /** `trigger` (asking Mambu), `waiting` (for the callback or a new LATEST), `download`, `verify`, `done`. */
  phase: "trigger" | "waiting" | "download" | "verify" | "done";
  /** Bytes written so far (download). */
  bytes?: number;
  /** Bytes announced by Content-Length (download), when known. */
  total?: number;
  /** What is being waited for or was last seen, e.g. `LATEST: HTTP 404`. */
  detail?: string;
}

/** Options of {@link backupDatabase}. */
export interface BackupOptions {
  /** Where the zip goes (its directory must exist); a file there is replaced only by a complete, checked backup. */
  out: string;
  /** Listen for Mambu's callback (the URL Mambu can reach); without it, LATEST is polled. */
  callback?: BackupCallbackOptions;
  /** Longest wait for the backup to be ready, in ms (default one hour). */
  timeout?: number;
  /** Time between two polls of LATEST, in ms (default 30 s; polling only). */
  pollInterval?: number;
  /** Hears each step, and the download's bytes as they are written. */
  onProgress?: (p: BackupProgress) => void;
  /** Download the latest existing backup without triggering one (MambuPy's `justbackup`). */
  justDownload?: boolean;
  /** Aborts the whole backup (the temporary file is removed). */
  signal?: AbortSignal;
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/** What {@link backupDatabase} did. */
export interface BackupResult {
  /** The final file (absolute). */
  path: string;
  /** Its size. */
  bytes: number;
  /** How it learned that the backup was ready. */
  via: BackupVia;
  /** The backup's `Last-Modified` header, when Mambu sent one. */
  lastModified?: string;
  /** The zip's entries (the `.sql` dump among them). */
  entries: BackupZipEntry[];
  /** What Mambu's callback said (`via: "callback"`). */
  callback?: BackupCallbackPayload;
}

const OPTION_KEYS = ["out", "callback", "timeout", "pollInterval", "onProgress", "justDownload", "signal", "connector"];

function positive(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new MambuTsError(`backupDatabase: ${name} must be a positive number of milliseconds, got ${String(v)}`);
  return v;
}

function checkOut(out: unknown): string {
  if (typeof out !== "string" || out.trim() === "") throw new MambuTsError("backupDatabase: out must be the path of the zip to write");
  const path = resolve(out);
  const dir = dirname(path);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new MambuTsError(`backupDatabase: the directory ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new MambuTsError(`backupDatabase: ${dir} is not a directory`);
  if (fs.existsSync(path) && fs.statSync(path).isDirectory()) throw new MambuTsError(`backupDatabase: ${path} is a directory; give a file name`);
  return path;
}

function abortError(): MambuTsError {
  return new MambuTsError("backupDatabase: aborted by the caller");
}

/** Waits `ms`, or rejects when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res, rej) => {
    if (signal?.aborted) return rej(abortError());
    const onAbort = (): void => {
      clearTimeout(t);
      rej(abortError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      res();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The header that tells one backup from the next: ETag, else Last-Modified. */
function validatorOf(a: LatestAnswer): string | undefined {
  return a.headers["etag"] ?? a.headers["last-modified"];
}

function describe(a: LatestAnswer): string {
  if (a.status === 404) return "LATEST: HTTP 404 (no backup yet)";
  const lm = a.headers["last-modified"];
  return `LATEST: HTTP ${a.status}, still the backup from before the trigger${lm ? ` (Last-Modified ${lm})` : ""}`;
}

/** Drops an answer's body that is not wanted (a stream must be read or released). */
async function discard(a: LatestAnswer): Promise<void> {
  if (a.cancel) return a.cancel();
  const it = a.body[Symbol.asyncIterator]();
  await it.return?.();
}

async function waitByPoll(http: BackupHttp, o: { timeout: number; pollInterval: number; signal?: AbortSignal; progress: (p: BackupProgress) => void }): Promise<LatestAnswer> {
  const before = await http.latest(o.signal);
  const old = before.status === 200 ? validatorOf(before) : undefined;
  if (before.status === 200 && old === undefined) {
    await discard(before);
    throw new MambuTsError("backupDatabase: Mambu's LATEST answer has neither ETag nor Last-Modified, so a new backup cannot be told from the old one by polling; use callback");
  }
  await discard(before);
  o.progress({ phase: "trigger" });
  await http.trigger(undefined, o.signal);
  const deadline = Date.now() + o.timeout;
  let last = "no answer yet";
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new BackupTimeoutError("poll", o.timeout, last);
    o.progress({ phase: "waiting", detail: last });
    await sleep(Math.min(o.pollInterval, left), o.signal);
    const a = await http.latest(o.signal);
    if (a.status === 200 && (old === undefined || validatorOf(a) !== old)) return a;
    last = describe(a);
    await discard(a);
  }
}

async function waitByCallback(
  http: BackupHttp,
  listener: BackupCallbackListener,
  o: { timeout: number; signal?: AbortSignal; progress: (p: BackupProgress) => void },
): Promise<BackupCallbackPayload> {
  o.progress({ phase: "trigger" });
  await http.trigger(listener.url, o.signal);
  const shown = listener.url.replace(/\/mambu-backup\/[0-9a-f]+$/, "/mambu-backup/…");
  o.progress({ phase: "waiting", detail: `Mambu's callback at ${shown}` });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      listener.received,
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => {
          const hits = listener.hits();
          rej(new BackupTimeoutError("callback", o.timeout, hits ? `${hits} unreadable callback(s) at ${shown}` : `no callback received at ${shown}`));
        }, o.timeout);
      }),
      new Promise<never>((_, rej) => {
        if (o.signal?.aborted) return rej(abortError());
        onAbort = () => rej(abortError());
        o.signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) o.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Writes an answer's body to `path` by way of a temporary file beside it: length checked, synced, zip checked, then
 * renamed. The temporary file never outlives a failure.
 */
async function saveVerified(a: LatestAnswer, path: string, signal: AbortSignal | undefined, progress: (p: BackupProgress) => void): Promise<{ bytes: number; entries: BackupZipEntry[] }> {
  const declared = a.headers["content-length"];
  const total = declared !== undefined && /^\d+$/.test(declared.trim()) ? Number(declared) : undefined;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.part`);
  const fh = await fs.promises.open(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), PRIVATE_MODE);
  let open = true;
  try {
    let bytes = 0;
    progress({ phase: "download", bytes, total });
    for await (const chunk of a.body) {
      if (signal?.aborted) throw abortError();
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      bytes += chunk.length;
      progress({ phase: "download", bytes, total });
    }
    if (signal?.aborted) throw abortError();
    if (total !== undefined && bytes !== total) {
      throw new MambuCommError(`the backup download stopped after ${bytes} of the ${total} bytes Mambu announced; nothing was kept, try again`);
    }
    await fh.sync();
    await fh.close();
    open = false;
    progress({ phase: "verify", bytes, total });
    const entries = verifyBackupZip(tmp);
    if (signal?.aborted) throw abortError();
    await fs.promises.rename(tmp, path);
    syncDirectory(dirname(path));
    return { bytes, entries };
  } catch (e) {
    a.cancel?.();
    if (open) await fh.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Makes a database backup and downloads it to `out` (see the module comment): trigger, wait (callback or poll),
 * download, check, rename. `http` replaces the connector's requests (tests).
 * @throws MambuTsError for invalid options or an abort; MambuError when Mambu refuses (e.g. 400
 *   DATABASE_BACKUP_IN_PROGRESS, or 404 with `justDownload` and no backup); BackupTimeoutError; BackupFailedError
 *   (the callback said ERROR); BackupZipError (a truncated or corrupt zip: nothing kept); MambuCommError.
 */
export async function backupDatabase(opts: BackupOptions, http?: BackupHttp): Promise<BackupResult> {
  if (opts === null || typeof opts !== "object") throw new MambuTsError("backupDatabase: give the options { out, ... }");
  checkOptionKeys("backupDatabase", opts, OPTION_KEYS);
  const path = checkOut(opts.out);
  const timeout = positive("timeout", opts.timeout, DEFAULT_BACKUP_TIMEOUT_MS);
  const pollInterval = positive("pollInterval", opts.pollInterval, DEFAULT_BACKUP_POLL_MS);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== "function") throw new MambuTsError("backupDatabase: onProgress must be a function");
  if (opts.justDownload && opts.callback) throw new MambuTsError("backupDatabase: justDownload triggers no backup, so there is no callback to wait for; give one of them");
  const web = http ?? connectorBackupHttp(backupConnector(opts.connector));
  const signal = opts.signal;
  const progress = (p: BackupProgress): void => {
    try {
      opts.onProgress?.(p);
    } catch {
      // a failing listener must not fail the backup
    }
  };
  if (signal?.aborted) throw abortError();

  let via: BackupVia;
  let answer: LatestAnswer;
  let callback: BackupCallbackPayload | undefined;
  if (opts.justDownload) {
    via = "existing";
    answer = await web.latest(signal);
    if (answer.status === 404) throw new MambuTsError("backupDatabase: the tenant has no backup to download yet (LATEST: HTTP 404); run it without justDownload to make one");
  } else if (opts.callback) {
    via = "callback";
    const listener = await listenForBackupCallback(opts.callback);
    try {
      callback = await waitByCallback(web, listener, { timeout, signal, progress });
    } finally {
      await listener.close();
    }
    answer = await web.latest(signal);
    if (answer.status === 404) throw new MambuTsError("backupDatabase: Mambu called back, but LATEST answers 404 (no backup)");
  } else {
    via = "poll";
    answer = await waitByPoll(web, { timeout, pollInterval, signal, progress });
  }
  const { bytes, entries } = await saveVerified(answer, path, signal, progress);
  progress({ phase: "done", bytes });
  const lastModified = answer.headers["last-modified"];
  return { path, bytes, via, ...(lastModified ? { lastModified } : {}), entries, ...(callback ? { callback } : {}) };
}
