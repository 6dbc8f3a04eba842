/**
 * The typed errors of {@link backupDatabase} (lib/core/backup.ts) beyond Mambu's own answers: the backup did not
 * become ready in time, or Mambu reported that it failed. (A corrupt download is a BackupZipError: backup-zip.ts.)
 */
import { MambuTsError } from "../errors";

/** The backup was not ready before the timeout; `lastStatus` says what was last seen. */
export class BackupTimeoutError extends MambuTsError {
  /** What was last seen while waiting, e.g. `no callback received at http://...` or `LATEST: HTTP 404`. */
  readonly lastStatus: string;
  /** How it waited. */
  readonly via: "callback" | "poll";
  /** The timeout, in ms. */
  readonly timeoutMs: number;

  constructor(via: "callback" | "poll", timeoutMs: number, lastStatus: string) {
    super(`the database backup was not ready after ${Math.round(timeoutMs / 1000)} s (waiting by ${via}); last status: ${lastStatus}`);
    this.name = "BackupTimeoutError";
    this.via = via;
    this.timeoutMs = timeoutMs;
    this.lastStatus = lastStatus;
  }
}

/** Mambu's callback said the backup failed (its `result` was not `COMPLETE`). */
export class BackupFailedError extends MambuTsError {
  /** The `result` Mambu's callback sent, e.g. `ERROR`. */
  readonly result: string;

  constructor(result: string) {
    super(`Mambu reports that the database backup failed (callback result ${JSON.stringify(result.slice(0, 64))}); trigger a new one`);
    this.name = "BackupFailedError";
    this.result = result;
  }
}
