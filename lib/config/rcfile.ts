/**
 * Reading `mambupy.rc` files: the `[API]` section, cached by path, mtime and size so that reading
 * the configuration on every request stays cheap.
 */
import * as fs from "fs";
import { MambuTsError } from "../errors";
import { IniDocument, IniEntry, parseIni, sectionWithDefaults } from "./inireader";

/** The section of an rc file that holds mambu-ts (and MambuPy) API settings. */
export const RC_SECTION = "API";

/** What one rc file says: its `[API]` options (over `[DEFAULT]`) and its permission bits. */
export interface RcFile {
  /** Absolute or relative path as given. */
  path: string;
  /** Lower-cased option name → value and line. */
  options: Map<string, IniEntry>;
  /** `stat.mode & 0o777`. */
  mode: number;
  /** Every section of the file (the `[DB]` section of the database settings is read from here). */
  sections: IniDocument;
}

/** Outcome of looking at one rc file path. */
export type RcFileResult =
  | { kind: "file"; file: RcFile }
  | { kind: "missing" }
  /** The file exists but this process may not read it (e.g. a root-owned `/etc/mambupy.rc` with mode 600). */
  | { kind: "unreadable"; code: string };

interface CacheEntry {
  mtimeMs: number;
  size: number;
  ino: number;
  file: RcFile;
}

const cache = new Map<string, CacheEntry>();

/**
 * Reads one rc file, re-parsing only when its mtime, size or inode changed since the last read.
 *
 * A missing file (or a missing directory on its path) is `missing`; a file the process may not read
 * is `unreadable` (as configparser, the caller decides whether to skip it).
 * @throws MambuTsError naming the file (and line) when it is not a regular file, is not UTF-8, or
 *   its INI syntax is wrong.
 */
export function readRcFile(path: string): RcFileResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EACCES" || code === "EPERM") return { kind: "unreadable", code };
    throw new MambuTsError(`cannot read rc file ${path}: ${code || "unknown error"}`);
  }
  if (!stat.isFile()) throw new MambuTsError(`rc file ${path} is not a regular file`);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size && hit.ino === stat.ino) {
    return { kind: "file", file: hit.file };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "EACCES" || code === "EPERM") return { kind: "unreadable", code };
    throw new MambuTsError(`cannot read rc file ${path}: ${code || "unknown error"}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new MambuTsError(`malformed rc file ${path}, line ${firstInvalidUtf8Line(bytes)}: not valid UTF-8`);
  }
  const sections = parseIni(text, path);
  const options = sectionWithDefaults(sections, RC_SECTION);
  const file: RcFile = { path, options, mode: stat.mode & 0o777, sections };
  cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, file });
  return { kind: "file", file };
}

/** Forgets every cached parse (tests use it; normal callers never need to). */
export function clearRcFileCache(): void {
  cache.clear();
}

/** 1-based line of the first byte sequence that is not UTF-8 (decoded leniently, it becomes U+FFFD). */
function firstInvalidUtf8Line(bytes: Buffer): number {
  const lenient = new TextDecoder("utf-8").decode(bytes);
  const at = lenient.indexOf("\uFFFD");
  return lenient.slice(0, at < 0 ? lenient.length : at).split(/\r\n|\r|\n/).length;
}
