/**
 * Errors of the migration's own files (workdir, journal, locks, the rehearsal's state): Node's
 * messages (`ENOSPC: no space left on device, write`) do not say which file, nor what to do; these do.
 */

/** A problem with a file of the migration's workdir: the message names the file and what to do. */
export class WorkdirError extends Error {
  constructor(
    message: string,
    /** The file or directory concerned. */
    readonly path: string,
    /** Node's error code (ENOSPC, EACCES, ...), when there was one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "WorkdirError";
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EIO: "input/output error (a failing disk or network share)",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is a file, not a directory",
  EISDIR: "it is a directory",
  EMFILE: "too many open files",
  EBUSY: "the file is busy",
};

const HINTS: Record<string, string> = {
  ENOSPC: "free some space",
  EDQUOT: "free some space or raise the quota",
  EACCES: "check its permissions and owner",
  EPERM: "check its permissions and owner",
  EROFS: "choose a writable --workdir",
  EIO: "check the disk",
};

/** Node's error code of an error, if any. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `no space left on the device (ENOSPC)`: the reason of a file-system error in words, with its code. */
export function fsReason(e: unknown): string {
  const code = errorCode(e);
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * A {@link WorkdirError} for a failed file operation: `cannot <action> <what> <path>: <reason> —
 * <hint>`, e.g. `cannot write the journal /w/journal.jsonl: no space left on the device (ENOSPC) —
 * free some space`. `then` is appended (what happens next, how to continue).
 */
export function fsError(action: string, what: string, path: string, e: unknown, then?: string): WorkdirError {
  const code = errorCode(e);
  const hint = code ? HINTS[code] : undefined;
  const text = `cannot ${action} ${what} ${path}: ${fsReason(e)}${hint ? ` — ${hint}` : ""}${then ? `. ${then}` : ""}`;
  return new WorkdirError(text, path, code);
}
