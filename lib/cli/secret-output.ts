/**
 * Where the credentials of `mambu apikey` go and come from: key files (`--out FILE`, JSON of mode 600 created
 * exclusively, or replaced atomically with `--force`), key files read back (`--api-key-file`,
 * `--secret-key-file`: such a JSON file or a file holding the key alone), and the one loud message that prints
 * new keys on stderr when they could not be stored (after a rotation the old keys are already dead).
 *
 * The key file format (documented in `mambu apikey --help` and the README):
 *
 * ```json
 * { "apiKey": "…", "secretKey": "…", "createdAt": "2026-12-07T10:00:00.000Z", "apiurl": "tenant.mambu.com", "by": "mambu apikey rotate" }
 * ```
 * `apiKey` and/or `secretKey` as the command made them; `consumerId`, `apiKeyId`, `expirationTime` for
 * `mambu apikey create`/`secret`.
 */
import * as fs from "node:fs";
import { dirname, resolve } from "node:path";
import { replaceFile, writeNewFile } from "../config/atomic-file";
import { UsageError } from "./exit";

/** Largest key file read (a key is 32 characters; a key file a few hundred bytes). */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/** The fields of a key file, in the order written. */
export interface KeyFile {
  by: string;
  createdAt: string;
  apiurl?: string;
  consumerId?: string;
  apiKeyId?: string;
  expirationTime?: number;
  apiKey?: string;
  secretKey?: string;
}

/** The text of a key file (JSON, 2-space indented, a final newline). */
export function keyFileText(k: KeyFile): string {
  return `${JSON.stringify(k, null, 2)}\n`;
}

/**
 * Checks, before anything is sent to Mambu, that `--out FILE` can be written: its directory exists and is
 * writable; the file does not exist (or `force` and it is a regular file or a symlink, then replaced).
 * @throws UsageError saying what to do.
 */
export function checkOutPath(path: string, force: boolean, command: string): void {
  const dir = dirname(resolve(path));
  try {
    if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--out ${path}: ${dir} is not a directory`, command);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--out ${path}: cannot write in ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, command);
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(path);
  } catch {
    return;
  }
  if (!force) throw new UsageError(`--out ${path} already exists; it is left as it is (give a new file, or --force to replace it)`, command);
  if (!st.isFile() && !st.isSymbolicLink()) throw new UsageError(`--out ${path} exists and is not a regular file`, command);
}

/**
 * Writes a key file: created with `O_EXCL` and mode 600, or with `force` replaced atomically (mode 600).
 * @throws MambuTsError naming the path (never the content).
 */
export function writeKeyFile(path: string, k: KeyFile, force: boolean): void {
  const text = keyFileText(k);
  if (force) replaceFile(path, text);
  else writeNewFile(path, text);
}

/**
 * Reads a key from a file: a key file of `mambu apikey` (its `field`, e.g. `secretKey`) or a file holding the key
 * alone (surrounding whitespace ignored). Warns on `warn` when the file is readable by group or others.
 * @throws UsageError naming the file and what is wrong (never its content).
 */
export function readKeyFile(path: string, field: "apiKey" | "secretKey", option: string, command: string, warn: (line: string) => void): string {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY);
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, command);
  }
  let text: string;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${option} ${path}: not a regular file`, command);
    if (st.size > MAX_KEY_FILE_BYTES) throw new UsageError(`${option} ${path}: more than ${MAX_KEY_FILE_BYTES} bytes, not a key file`, command);
    if ((st.mode & 0o077) !== 0 && process.platform !== "win32") {
      warn(`mambu: ${option} ${path} is readable by group or others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
    }
    const buf = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    text = buf.subarray(0, n).toString("utf8").replace(/^\uFEFF/, "").trim();
  } finally {
    fs.closeSync(fd);
  }
  let key: unknown = text;
  if (text.startsWith("{")) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new UsageError(`${option} ${path}: starts with "{" but is not valid JSON`, command);
    }
    key = doc !== null && typeof doc === "object" && Object.prototype.hasOwnProperty.call(doc, field) ? (doc as Record<string, unknown>)[field] : undefined;
    if (typeof key !== "string") throw new UsageError(`${option} ${path}: a JSON key file without a "${field}" string`, command);
  }
  const k = key as string;
  if (k === "") throw new UsageError(`${option} ${path}: the file is empty`, command);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(k) || k !== k.trim()) throw new UsageError(`${option} ${path}: expected the key alone on one line`, command);
  return k;
}

/**
 * The lines printed on stderr when new keys exist only in memory (Mambu made them, writing them failed): the
 * warning, then each key once, so that they are not lost.
 */
export function emergencyLines(what: string, failure: string, keys: ReadonlyArray<[string, string]>): string {
  return [
    "",
    "mambu: !!! WARNING !!!",
    `mambu: ${what}, but ${failure}.`,
    "mambu: The new keys exist nowhere else and Mambu will not show them again. They are printed here ONCE:",
    "mambu: copy them to a safe place now (and clear this terminal's scrollback afterwards).",
    "",
    ...keys.map(([name, value]) => `${name} = ${value}`),
    "",
  ].join("\n");
}
