/**
 * Writing files that hold credentials so that a crash or a full disk never leaves half a file: a new file is
 * created exclusively (`O_EXCL`, mode 600, never through a symlink); a replaced file is written whole to a
 * temporary file of mode 600 in the same directory, synced, renamed over the old one, and the directory synced,
 * so that the path holds either the old content or the new, never a mix.
 */
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { MambuTsError } from "../errors";

/** Mode of every file written here: read and write by the owner only. */
export const PRIVATE_MODE = 0o600;

/** Syncs a directory so that a rename or a creation in it survives a crash (best effort where it cannot be opened). */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch (e) {
    // Some filesystems refuse fsync on a directory (EINVAL); the rename itself is done.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EISDIR" && code !== "EPERM") throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
  fs.fsyncSync(fd);
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Creates `path` with `text`, mode 600, failing if anything (a file, a symlink) is already there.
 * @throws MambuTsError naming the path: it exists (`EEXIST`), or the write failed (the partial file is removed).
 */
export function writeNewFile(path: string, text: string): void {
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(path, flags, PRIVATE_MODE);
  } catch (e) {
    if (codeOf(e) === "EEXIST") throw new MambuTsError(`${path} already exists; it is left as it is (give another file, or --force to replace it)`);
    throw new MambuTsError(`cannot create ${path}: ${codeOf(e)}`);
  }
  try {
    fs.fchmodSync(fd, PRIVATE_MODE); // the umask may have taken bits away, never added: this is for clarity
    writeAll(fd, text);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(path, { force: true });
    throw new MambuTsError(`cannot write ${path}: ${codeOf(e)}`);
  }
  fs.closeSync(fd);
  syncDirectory(dirname(path));
}

/**
 * Replaces (or creates) `path` with `text` atomically: a temporary file of mode 600 beside it, written and synced,
 * then renamed over `path`, then the directory synced. If anything fails before the rename, `path` is untouched and
 * the temporary file removed.
 * @throws MambuTsError naming the path and the system error.
 */
export function replaceFile(path: string, text: string): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(tmp, flags, PRIVATE_MODE);
  } catch (e) {
    throw new MambuTsError(`cannot write ${path}: cannot create a temporary file in ${dir} (${codeOf(e)})`);
  }
  try {
    try {
      fs.fchmodSync(fd, PRIVATE_MODE);
      writeAll(fd, text);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new MambuTsError(`cannot write ${path}: ${codeOf(e)}; the file is unchanged`);
  }
  syncDirectory(dir);
}
