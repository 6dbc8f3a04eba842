/**
 * The error hierarchy of mambu-ts, as in MambuPy:
 * `MambuTsError` (anything the library raises) ⊃ `MambuError` (Mambu answered with an error)
 * ⊃ `MambuCommError` (Mambu could not be reached, or kept failing after every retry).
 *
 * Messages never carry a credential: they are built only from Mambu's error body, the HTTP status
 * and the library's own words.
 */

/** One entry of a Mambu error body: `{"errors":[{"errorCode":301,"errorReason":"INVALID_CLIENT_ID"}]}`. */
export interface MambuErrorEntry {
  errorCode?: number | string;
  errorReason?: string;
  errorSource?: string;
  [key: string]: unknown;
}

/**
 * One message of a Payments API error answer (`{"tppMessages":[{"category":"ERROR","code":"FORMAT_ERROR",
 * "path":"creditorAccount.iban","text":"..."}]}`), as the API sent it (each text at most 2,000 characters).
 */
export interface TppMessage {
  /** `ERROR` or `WARN`. */
  category: string;
  /** The API's code, e.g. `FORMAT_ERROR`, `RESOURCE_UNKNOWN`. */
  code: string;
  /** The field concerned, when the API names one. */
  path?: string;
  /** The API's explanation, when it gives one. */
  text?: string;
}

/** Base of every error the library raises (alias `MambuPyError` for scripts ported from MambuPy). */
export class MambuTsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options as ErrorOptions);
    this.name = new.target.name;
  }
}

/** Mambu answered with an error body or an error status. */
export class MambuError extends MambuTsError {
  /** Mambu's numeric error code of the first error (e.g. 301), when Mambu gave one. */
  readonly errorCode?: number;
  /** HTTP status of the response (e.g. 404). */
  readonly status?: number;
  /** Mambu's error reason of the first error (e.g. `INVALID_CLIENT_ID`). */
  readonly errorReason?: string;
  /** Mambu's error source of the first error (e.g. `credentials`), when present. */
  readonly errorSource?: string;
  /** Every error of the body, as Mambu sent them. */
  readonly errors: MambuErrorEntry[];
  /**
   * The messages of a Payments API error answer (`{ tppMessages: [...] }`), each whole (category, code, path,
   * text); undefined for other answers.
   */
  readonly tppMessages?: TppMessage[];
  /** A bounded excerpt of a body that was not a Mambu error document (e.g. a proxy's HTML page). */
  readonly bodyExcerpt?: string;
  /** HTTP method of the request that failed (e.g. `GET`), when the error came from a request. */
  readonly method?: string;
  /** Path and query of the request that failed (e.g. `/api/clients/1?detailsLevel=BASIC`); never credentials. */
  readonly url?: string;
  /** How many attempts were made before giving up (1 when the request was not retried). */
  readonly attempts?: number;

  constructor(
    message: string,
    fields: {
      status?: number;
      errors?: MambuErrorEntry[];
      tppMessages?: TppMessage[];
      bodyExcerpt?: string;
      method?: string;
      url?: string;
      attempts?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: fields.cause });
    this.status = fields.status;
    this.errors = fields.errors ?? [];
    const first = this.errors[0];
    if (first) {
      const code = Number(first.errorCode);
      this.errorCode = Number.isFinite(code) ? code : undefined;
      this.errorReason = first.errorReason;
      this.errorSource = first.errorSource;
    }
    if (fields.tppMessages !== undefined) this.tppMessages = fields.tppMessages;
    this.bodyExcerpt = fields.bodyExcerpt;
    if (fields.method !== undefined) this.method = fields.method;
    if (fields.url !== undefined) this.url = fields.url;
    if (fields.attempts !== undefined) this.attempts = fields.attempts;
  }

  /** Builds the MambuPy-style message: `301 (404) - INVALID_CLIENT_ID` (+ ` (source)` when present). */
  static formatMessage(status: number | undefined, entry: MambuErrorEntry | undefined): string {
    if (!entry) return `Mambu error (${status ?? "no status"})`;
    let msg = `${entry.errorCode ?? "?"} (${status ?? "?"}) - ${entry.errorReason ?? "UNKNOWN_ERROR"}`;
    if (entry.errorSource !== undefined && entry.errorSource !== null && entry.errorSource !== "") {
      msg += ` (${entry.errorSource})`;
    }
    return msg;
  }
}

/** Mambu could not be reached, timed out, or kept failing until retries were exhausted. */
export class MambuCommError extends MambuError {}

/** Alias for scripts ported from MambuPy. */
export const MambuPyError = MambuTsError;
/** Alias type for scripts ported from MambuPy. */
export type MambuPyError = MambuTsError;

/** What is wrong with a database backup zip ({@link BackupZipError.problem}). */
export type BackupZipProblem = "missing" | "not-zip" | "truncated" | "corrupt" | "bounds" | "no-sql" | "unsupported";

/**
 * A database backup zip refused: a truncated or damaged download (`backupDatabase`, nothing kept under the final
 * name), or a file `restoreBackup` will not restore (refused before anything is written). One class for both, so
 * `catch (e) { if (e instanceof BackupZipError) ... }` works whichever found it.
 */
export class BackupZipError extends MambuTsError {
  /** What is wrong, when the check says (`restoreBackup` always does). */
  readonly problem?: BackupZipProblem;
  /** The file, when the check read one. */
  readonly file?: string;

  constructor(message: string, options: { problem?: BackupZipProblem; file?: string } = {}) {
    super(message);
    this.name = "BackupZipError";
    if (options.problem !== undefined) this.problem = options.problem;
    if (options.file !== undefined) this.file = options.file;
  }
}
