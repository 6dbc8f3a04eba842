/**
 * Changing one value of an rc file (`~/.mambupy.rc`) in place — the new API key after a rotation — without
 * touching anything else: every other line, comment, section, indentation and line ending stays byte for byte;
 * only the option's line (and the continuation lines of its old value) change. The file is replaced atomically
 * (see ./atomic-file.ts: a temporary file of mode 600 beside it, synced, renamed, the directory synced), so a
 * crash leaves the old file or the new one. A symlink, something that is not a regular file, or a file owned by
 * another user is refused: a credential is not written through a link or into someone else's file.
 */
import * as fs from "node:fs";
import { MambuTsError } from "../errors";
import { replaceFile } from "./atomic-file";
import { parseIni } from "./inireader";
import { normaliseKey } from "./keys";
import { RC_SECTION } from "./rcfile";

/** What {@link updateRcKey} did (or, from {@link planRcUpdate}, will do). */
export interface RcUpdateResult {
  path: string;
  /** `replaced`: the option's value changed in place; `added`: the option was added to the section; `created`: a new file. */
  action: "replaced" | "added" | "created";
  /** The section written to (`API`). */
  section: string;
  /** 1-based line of the option in the new file. */
  line: number;
}

/** Options of {@link updateRcKey}. */
export interface RcUpdateOptions {
  /** The section (default `API`, the one mambu-ts and MambuPy read). */
  section?: string;
}

const SECTION_RE = /^\[(.+)\]/;
const OPTION_PREFIX_RE = /^(\s*[^=:]*?\s*[=:]\s*)/;

interface Current {
  /** The file's text (without a byte order mark), undefined when there is no file. */
  text?: string;
  bom: string;
}

/** Reads `path` for an update: refuses symlinks, non-regular files and files of another owner. */
function readCurrent(path: string): Current {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { bom: "" };
    throw new MambuTsError(`cannot read rc file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (st.isSymbolicLink()) throw new MambuTsError(`rc file ${path} is a symbolic link: refusing to write a credential through it (give the real file's path)`);
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    throw new MambuTsError(`cannot read rc file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) throw new MambuTsError(`rc file ${path} is not a regular file`);
    const uid = process.getuid?.();
    if (uid !== undefined && fst.uid !== uid) {
      throw new MambuTsError(`rc file ${path} belongs to another user (uid ${fst.uid}); refusing to change it`);
    }
    const bytes = fs.readFileSync(fd);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new MambuTsError(`malformed rc file ${path}: not valid UTF-8; it is left as it is`);
    }
    const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
    return { text: text.slice(bom.length), bom };
  } finally {
    fs.closeSync(fd);
  }
}

/** The index of the `[section]` header line, read with parseIni's rules (a header inside a continued value is not one). */
function headerIndex(lines: readonly string[], section: string): number | undefined {
  let inOption = false;
  let optionIndent = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const stripped = raw.trim();
    if (stripped === "" || stripped.startsWith("#") || stripped.startsWith(";")) continue;
    const indent = raw.length - raw.trimStart().length;
    if (inOption && indent > optionIndent) continue;
    optionIndent = indent;
    const h = SECTION_RE.exec(stripped);
    if (h) {
      if (h[1] === section) return i;
      inOption = false;
      continue;
    }
    inOption = true;
  }
  return undefined;
}

function checkValue(key: string, value: string): void {
  if (typeof value !== "string" || value === "") throw new MambuTsError(`the new ${key} is empty`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value) || value.trim() !== value) {
    throw new MambuTsError(`the new ${key} has a line break, a control character or surrounding spaces: it cannot be one rc file value`);
  }
}

/** The new text, and what changes. */
function edit(cur: Current, path: string, key: string, value: string, section: string): { text: string; result: RcUpdateResult } {
  if (cur.text === undefined) {
    return { text: `[${section}]\n${key} = ${value}\n`, result: { path, action: "created", section, line: 2 } };
  }
  const doc = parseIni(cur.text, path); // refuses a malformed file before anything is written
  const eol = /\r\n/.test(cur.text) ? "\r\n" : "\n";
  const lines = cur.text.split(/\r\n|\r|\n/);
  const entry = doc.get(section)?.get(key);
  if (entry) {
    const at = entry.line - 1;
    const raw = lines[at];
    const prefix = OPTION_PREFIX_RE.exec(raw)?.[1];
    if (prefix === undefined) throw new MambuTsError(`rc file ${path}, line ${entry.line}: cannot find where the value of ${key} starts`);
    lines[at] = `${prefix}${value}`;
    // The old value's continuation lines (indented deeper) go; comments and blank lines among them stay.
    const indent = raw.length - raw.trimStart().length;
    for (let j = at + 1; j < lines.length; ) {
      const s = lines[j].trim();
      if (s === "" || s.startsWith("#") || s.startsWith(";")) {
        j++;
        continue;
      }
      if (lines[j].length - lines[j].trimStart().length <= indent) break;
      lines.splice(j, 1);
    }
    return { text: lines.join(eol), result: { path, action: "replaced", section, line: entry.line } };
  }
  const header = headerIndex(lines, section);
  if (header !== undefined) {
    lines.splice(header + 1, 0, `${key} = ${value}`);
    return { text: lines.join(eol), result: { path, action: "added", section, line: header + 2 } };
  }
  let text = cur.text;
  if (text !== "" && !/(\r\n|\r|\n)$/.test(text)) text += eol;
  const blank = text !== "" && !/(\r\n|\r|\n){2}$/.test(text) ? eol : "";
  const line = (text + blank).split(/\r\n|\r|\n/).length + 1;
  return { text: `${text}${blank}[${section}]${eol}${key} = ${value}${eol}`, result: { path, action: "added", section, line } };
}

/**
 * What {@link updateRcKey} would do, checked without writing anything: the file is readable, a regular file of
 * this user (not a symlink), valid UTF-8 and INI. A caller checks this before an action whose result must be
 * written (an API key rotation), so that a refusal comes before, not after.
 * @throws MambuTsError naming the file for each refusal.
 */
export function planRcUpdate(path: string, key: string, opts: RcUpdateOptions = {}): RcUpdateResult {
  const k = normaliseKey(key);
  return edit(readCurrent(path), path, k, "placeholder", opts.section ?? RC_SECTION).result;
}

/**
 * Sets `key` in the `[API]` section of the rc file at `path` to `value`, in place and atomically: the option's
 * line keeps its name, spelling and separator (`apikey = OLD` → `apikey = NEW`), continuation lines of its old
 * value go, and every other byte stays. A section without the option gets it right after the header; a file
 * without the section gets it appended; a missing file is created. The result has mode 600.
 * @param path the rc file (e.g. `~/.mambupy.rc`).
 * @param key the option (lower-cased, as rc files read it).
 * @param value one line without surrounding spaces (rc values are trimmed when read).
 * @throws MambuTsError for a symlink, a non-regular file, a file owned by another user, a malformed file, a value
 *   that cannot be one line, or a write that failed (the file is then unchanged). Messages never hold the value.
 */
export function updateRcKey(path: string, key: string, value: string, opts: RcUpdateOptions = {}): RcUpdateResult {
  const k = normaliseKey(key);
  checkValue(k, value);
  const section = opts.section ?? RC_SECTION;
  const cur = readCurrent(path);
  const { text, result } = edit(cur, path, k, value, section);
  // The new text must read back as intended before it replaces anything.
  if (parseIni(text, path).get(section)?.get(k)?.value !== value) {
    throw new MambuTsError(`rc file ${path}: the edited file would not read back the new ${k}; it is left as it is`);
  }
  replaceFile(path, cur.bom + text);
  return result;
}
