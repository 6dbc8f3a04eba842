/**
 * One run at a time per workdir (and per rehearsal state file): a lock file created atomically
 * (written aside, then hard-linked into place, so it never exists half-written) holding who took it —
 * pid, host, start time, plan, target. A lock whose process is gone (same host, pid not running, or
 * the pid now belongs to another process) is taken over at once, so a resume right after `kill -9`
 * is not held up. A lock of another host cannot be checked: the message says who holds it and which
 * file to delete if that run is known to be gone.
 *
 * Not proper-lockfile: its staleness is an mtime refreshed by a timer, so a live run whose event loop
 * is busy (a large file being parsed) can look stale and lose its lock — two runs in one journal is
 * what the lock must prevent — and a lock left by `kill -9` blocks reruns until it ages out.
 */
import { randomBytes } from "crypto";
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "fs";
import { hostname } from "os";
import { errorCode, fsError } from "./fserrors";

/** Who holds a lock (the content of the lock file). */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the run started (ISO). */
  started: string;
  /** Linux: the process's start time in clock ticks since boot (tells a reused pid apart). */
  procStart?: string;
  plan?: string;
  target?: string;
}

/** A lock that another run holds. */
export class LockedError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
    this.name = "LockedError";
  }
}

/** Linux: field 22 of /proc/<pid>/stat (start time since boot); undefined elsewhere. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Whether the holder's process is gone (only knowable on this host). */
function isStale(h: LockHolder): boolean {
  if (h.host !== hostname()) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    return errorCode(e) === "ESRCH";
  }
  const now = procStart(h.pid);
  return h.procStart !== undefined && now !== undefined && now !== h.procStart;
}

function readHolder(path: string): { text: string; holder?: LockHolder } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (errorCode(e) === "ENOENT") return undefined;
    throw fsError("read", "the lock", path, e);
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return typeof h?.pid === "number" && typeof h.host === "string" ? { text, holder: h } : { text };
  } catch {
    return { text };
  }
}

/** `pid 123 on host h, started …, plan p, target t`. */
export function describeHolder(h: LockHolder): string {
  const same = h.host === hostname() && h.pid === process.pid;
  return `${same ? "this process" : `pid ${h.pid}`} on host ${h.host}, started ${h.started}${h.plan ? `, plan ${h.plan}` : ""}${h.target ? `, target ${h.target}` : ""}`;
}

/** Creates `path` (EEXIST when it exists) holding `text`, synced to disk before it is closed. */
function writeNewFile(path: string, text: string): void {
  const fd = openSync(path, "wx", 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A lock held by this process. */
export class FileLock {
  private released = false;

  private constructor(
    /** The lock file. */
    readonly path: string,
    private readonly text: string,
  ) {}

  /**
   * Takes the lock `path` for `what` (`the workdir /w`, shown in messages).
   * @throws LockedError when another live run holds it; WorkdirError when the file cannot be written.
   */
  static acquire(path: string, what: string, info: { plan?: string; target?: string } = {}): FileLock {
    const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), procStart: procStart(process.pid), ...info };
    const text = `${JSON.stringify(holder)}\n`;
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      writeNewFile(tmp, text);
    } catch (e) {
      throw fsError("create", "the lock", path, e, `Is ${what} writable?`);
    }
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          FileLock.create(tmp, path, text);
          return new FileLock(path, text);
        } catch (e) {
          if (errorCode(e) !== "EEXIST") throw fsError("create", "the lock", path, e);
        }
        const seen = readHolder(path);
        if (!seen) continue; // released meanwhile
        if (!seen.holder) {
          throw new LockedError(`${what} is locked by ${path}, which does not say by whom (${JSON.stringify(seen.text.slice(0, 80))}). If no run is under way, delete ${path}.`, path);
        }
        if (!isStale(seen.holder)) {
          throw new LockedError(
            `${what} is in use by another run: ${describeHolder(seen.holder)}. Wait for it to end, or use another --workdir. If that run is gone (its machine crashed), delete ${path}.`,
            path,
            seen.holder,
          );
        }
        FileLock.breakStale(path, seen.text);
      }
      throw new LockedError(`${what}: could not take the lock ${path} (other runs keep taking it)`, path);
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
  }

  /** Who holds the lock `path` now, if a live run does (a stale lock, or none, is undefined; an unreadable one is reported as held). */
  static holder(path: string): LockHolder | { unknown: string } | undefined {
    const seen = readHolder(path);
    if (!seen) return undefined;
    if (!seen.holder) return { unknown: seen.text.slice(0, 80) };
    return isStale(seen.holder) ? undefined : seen.holder;
  }

  /**
   * Puts the lock file in place atomically: a hard link of the file written aside (EEXIST when it is
   * there). File systems without hard links get an exclusive create, then the content.
   */
  private static create(tmp: string, path: string, text: string): void {
    try {
      linkSync(tmp, path);
      return;
    } catch (e) {
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"].includes(errorCode(e) ?? "")) throw e;
    }
    writeNewFile(path, text);
  }

  /** Removes a stale lock unless someone replaced it meanwhile (then it is put back). */
  private static breakStale(path: string, staleText: string): void {
    const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if (errorCode(e) === "ENOENT") return;
      throw fsError("remove", "the stale lock", path, e);
    }
    let text = "";
    try {
      text = readFileSync(aside, "utf8");
    } catch {
      /* gone: nothing to put back */
    }
    if (text && text !== staleText) {
      // a live run took the lock between our look and the rename: give it back
      try {
        linkSync(aside, path);
      } catch {
        /* another run holds it now; it is theirs */
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      /* already gone */
    }
  }

  /** Releases the lock (synchronously; safe to call twice, and from an exit path). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readFileSync(this.path, "utf8") === this.text) unlinkSync(this.path);
    } catch {
      /* gone already */
    }
  }
}
