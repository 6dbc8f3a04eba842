/**
 * Where a configuration value comes from: code overrides, the environment, rc files, defaults —
 * resolved fresh on every read.
 */
import { DEFAULTS, envNames, isSecretKey } from "./keys";
import { RcFile, readRcFile } from "./rcfile";

/** A value together with where it was found. */
export interface ResolvedValue {
  /** The lower-cased key. */
  key: string;
  /** The raw string, as the source gave it. */
  value: string;
  /** `code`, `env MAMBU_API_PWD`, `file /home/x/.mambupy.rc` or `default`. */
  source: string;
  /** For values from an rc file: the 1-based line of the option. */
  line?: number;
}

/** A snapshot of every source, taken at the start of one read. */
export interface SourceSnapshot {
  overrides: ReadonlyMap<string, string>;
  env: NodeJS.ProcessEnv;
  /** Readable rc files, lowest priority first. */
  files: RcFile[];
}

/** Remembers which warnings were already given, so that each is given once. */
export interface WarnState {
  warn: (msg: string) => void;
  warned: Set<string>;
}

/**
 * Reads the rc files (lowest priority first), skipping missing ones.
 *
 * Warns once per file (through `state.warn`) when a file holding a secret (apipwd, apikey, ...) is
 * readable by group or others, and when a file exists but may not be read by this process (it is
 * then skipped, as configparser does).
 * @throws MambuTsError naming the file and line when a file is malformed.
 */
export function loadRcFiles(paths: readonly string[], state: WarnState): RcFile[] {
  const files: RcFile[] = [];
  for (const path of paths) {
    const result = readRcFile(path);
    if (result.kind === "missing") continue;
    if (result.kind === "unreadable") {
      warnOnce(state, `unreadable:${path}`, `mambu-ts: rc file ${path} exists but cannot be read (${result.code}); it is skipped`);
      continue;
    }
    const file = result.file;
    const holdsSecret = [...file.options.keys()].some(isSecretKey);
    if (holdsSecret && (file.mode & 0o077) !== 0 && process.platform !== "win32") {
      warnOnce(
        state,
        `mode:${path}`,
        `mambu-ts: rc file ${path} holds credentials but is readable by group or others ` +
          `(mode ${file.mode.toString(8).padStart(3, "0")}); run: chmod 600 ${path}`,
      );
    }
    files.push(file);
  }
  return files;
}

function warnOnce(state: WarnState, id: string, msg: string): void {
  if (state.warned.has(id)) return;
  state.warned.add(id);
  state.warn(msg);
}

/** Reads an environment variable; empty strings count as unset (as in MambuPy). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

/**
 * Resolves one (lower-cased) key: code override > `MAMBU_API_*` > `MAMBUPY_*` > rc files (the last
 * listed wins) > built-in default.
 * @returns undefined when no source has the key.
 */
export function resolveKey(key: string, snap: SourceSnapshot): ResolvedValue | undefined {
  const code = snap.overrides.get(key);
  if (code !== undefined) return { key, value: code, source: "code" };
  for (const name of envNames(key)) {
    const v = envValue(snap.env, name);
    if (v !== undefined) return { key, value: v, source: `env ${name}` };
  }
  for (let i = snap.files.length - 1; i >= 0; i--) {
    const entry = snap.files[i].options.get(key);
    if (entry) return { key, value: entry.value, source: `file ${snap.files[i].path}`, line: entry.line };
  }
  const def = DEFAULTS[key];
  if (def !== undefined) return { key, value: def, source: "default" };
  return undefined;
}

/** Every key some source mentions besides the known ones: rc file options and code overrides. */
export function extraKeys(snap: SourceSnapshot, known: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const f of snap.files) for (const k of f.options.keys()) keys.add(k);
  for (const k of snap.overrides.keys()) keys.add(k);
  for (const k of known) keys.delete(k);
  return [...keys].sort();
}
