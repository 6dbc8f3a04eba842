/**
 * The two requests of a database backup, through the connector: `POST /database/backup` (the trigger, with the
 * callback URL) and `GET /database/backup/LATEST` (the zip, with its headers: Content-Length, Last-Modified, ETag).
 * The download is read as a stream (`MambuConnector.stream`): backup.ts writes its chunks to disk as they arrive,
 * whatever the size, and an answer that is not wanted (polling: still the old backup) is cancelled after its
 * headers, not downloaded.
 */
import { MambuError, MambuTsError } from "../errors";
import { MambuConnector } from "../transport";
import { callOperation } from "./call";

/** The Accept header of the download, as Mambu's Swagger declares it. */
export const BACKUP_ZIP_ACCEPT = "application/vnd.mambu.v2+zip";

/** An answer of `GET /database/backup/LATEST`. */
export interface LatestAnswer {
  /** 200 with a body, or 404 when the tenant has no backup (`DATABASE_BACKUP_NOT_FOUND`). */
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  /** The zip's bytes, in order (empty for a 404). */
  body: AsyncIterable<Uint8Array>;
  /** Stops the transfer of an answer that is not wanted (none: read or drop the body). */
  cancel?(): void;
}

/** What a backup needs from HTTP (a seam: tests and a streaming transport plug in here). */
export interface BackupHttp {
  /** Triggers a backup; resolves with the answer's `state` (e.g. `QUEUED`). */
  trigger(callback: string | undefined, signal?: AbortSignal): Promise<string | undefined>;
  /** Reads `LATEST`; a 404 resolves (status 404), other refusals reject with Mambu's error. */
  latest(signal?: AbortSignal): Promise<LatestAnswer>;
}

async function* nothing(): AsyncIterable<Uint8Array> {
  // a 404 has no zip
}

/** The backup's requests through `connector`. */
export function connectorBackupHttp(connector: MambuConnector): BackupHttp {
  return {
    async trigger(callback, signal) {
      const answer = await callOperation("database_backup", "triggerBackup", { connector, signal, body: callback === undefined ? {} : { callback } });
      const state = answer !== null && typeof answer === "object" ? (answer as Record<string, unknown>).state : undefined;
      return typeof state === "string" ? state : undefined;
    },
    async latest(signal) {
      try {
        const res = await connector.stream({ method: "GET", path: "/database/backup/LATEST", accept: BACKUP_ZIP_ACCEPT, signal });
        return { status: res.status, headers: res.headers, body: res.body, cancel: () => res.cancel() };
      } catch (e) {
        if (e instanceof MambuError && e.status === 404) return { status: 404, headers: {}, body: nothing() };
        throw e;
      }
    },
  };
}

/** Checks a connector option (a MambuConnector, or undefined for the default). */
export function backupConnector(c: unknown): MambuConnector {
  if (c === undefined) return MambuConnector.default();
  if (!(c instanceof MambuConnector)) throw new MambuTsError("backupDatabase: connector must be a MambuConnector");
  return c;
}
