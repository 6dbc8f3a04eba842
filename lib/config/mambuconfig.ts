/**
 * `MambuConfig`: the library's settings, merged from defaults, rc files, the environment and code,
 * and read afresh every time a value is asked for.
 */
import * as os from "os";
import * as path from "path";
import { inspect } from "util";
import { MambuTsError } from "../errors";
import { INTEGER_KEYS, KNOWN_KEYS, MASK, isSecretKey, isUrlKey, maskUserinfo, normaliseKey } from "./keys";
import { ResolvedValue, SourceSnapshot, WarnState, extraKeys, loadRcFiles, resolveKey } from "./sources";
import { parseIntegerKey, parseOffset } from "./validate";
import { DB_KEYS, DbKey, DbSettings, resolveDbSettings } from "./db-settings";

/** Options of `new MambuConfig(...)`; meant for tests and for tools that read other files. */
export interface MambuConfigOptions {
  /** The environment to read, or a function returning it (read on every access). Default `process.env`. */
  env?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  /** rc files, lowest priority first. Default `["/etc/mambupy.rc", <home>/.mambupy.rc]`. */
  rcFiles?: string[];
  /** Receives warnings (rc file permissions). Default `process.emitWarning`. */
  warn?: (msg: string) => void;
}

/** One line of `describe()`: a key, its (masked when secret) value and where it came from. */
export interface ConfigEntry {
  key: string;
  /** The raw value, `****` for secrets, undefined when no source has the key. */
  value: string | undefined;
  /** `code`, `env MAMBU_API_PWD`, `file /home/x/.mambupy.rc`, `default` or `unset`. */
  source: string;
}

/** The rc files read by default, lowest priority first: `/etc/mambupy.rc`, then `~/.mambupy.rc`. */
export function defaultRcFiles(): string[] {
  return ["/etc/mambupy.rc", path.join(os.homedir(), ".mambupy.rc")];
}

/**
 * The configuration of mambu-ts, as MambuPy's `mambuconfig` but read when asked, not frozen at import.
 *
 * Priority, lowest first: built-in defaults < `/etc/mambupy.rc` < `~/.mambupy.rc` (section `[API]`;
 * the files complement each other key by key) < environment (`MAMBUPY_APIURL` style, then the
 * `MAMBU_API_URL` style, which wins when both are set; empty variables count as unset) < code
 * (`mambuconfig.apiurl = "..."`, undone by `unset()` / `reset()`).
 *
 * Keys: `apiurl` (bare host such as `tenant.sandbox.mambu.com`), `apiuser`, `apipwd`, `apikey`
 * (wins over user/password when set), `apipagination` (default 50; values above 1000 are lowered to
 * 1000, Mambu's largest page), `retries` (default 5), `timeout` (ms, default 60000), `concurrency`
 * (parallel page fetches, default 4), `maxresponsebytes` (largest response body accepted, default
 * 64 MiB), `tenantoffset` (e.g. `+02:00`, the tenant's UTC offset for naive
 * dates). Any other key of the rc files is kept and readable with `get()`.
 *
 * Every read stats the rc files and re-parses only those whose mtime or size changed. See
 * `parseIni` for how rc file values are read (configparser's rules: no inline comments, quotes
 * kept). Secret values (`apipwd`, `apikey`, any key containing pwd/password/secret/key/token) are
 * masked as `****` by `describe()`, `toJSON()` and `util.inspect`, and never appear in errors; so is
 * the userinfo of a URL value (`https://user:pwd@host` shows as `https://****@host`).
 */
export class MambuConfig {
  readonly #overrides = new Map<string, string>();
  readonly #env: () => NodeJS.ProcessEnv;
  readonly #rcFiles: () => string[];
  readonly #warnState: WarnState;

  constructor(options: MambuConfigOptions = {}) {
    const env = options.env;
    this.#env = typeof env === "function" ? env : env ? () => env : () => process.env;
    const files = options.rcFiles ? [...options.rcFiles] : undefined;
    this.#rcFiles = files ? () => files : defaultRcFiles;
    this.#warnState = {
      warn: options.warn ?? ((msg) => process.emitWarning(msg, { code: "MAMBU_TS_RC_PERMISSIONS" })),
      warned: new Set(),
    };
  }

  /** The rc files this configuration reads, lowest priority first. */
  get rcFiles(): string[] {
    return [...this.#rcFiles()];
  }

  /**
   * A key's raw value and its source, resolved now.
   * @returns undefined when no source (not even a default) has the key.
   * @throws MambuTsError when an rc file is malformed.
   */
  lookup(key: string): ResolvedValue | undefined {
    return resolveKey(normaliseKey(key), this.#snapshot());
  }

  /** A key's raw string value (real value, even for secrets), or undefined when no source has it. */
  get(key: string): string | undefined {
    return this.lookup(key)?.value;
  }

  /**
   * Overrides a key from code (highest priority). `undefined` or `null` removes the override.
   * @throws MambuTsError when the value does not fit a typed key (e.g. `apipagination = 0`).
   */
  set(key: string, value: string | number | boolean | undefined | null): void {
    const k = normaliseKey(key);
    if (value === undefined || value === null) {
      this.#overrides.delete(k);
      return;
    }
    const text = String(value);
    validate({ key: k, value: text, source: "code" });
    this.#overrides.set(k, text);
  }

  /** Removes the code override of a key, so the environment, rc files or default apply again. */
  unset(key: string): void {
    this.#overrides.delete(normaliseKey(key));
  }

  /** Removes every code override. */
  reset(): void {
    this.#overrides.clear();
  }

  /**
   * Every known key plus any key found in rc files or code, with its value (secrets masked as
   * `****`, and the userinfo of a URL as `https://****@host`) and source (`unset` when no source
   * has it).
   */
  describe(): ConfigEntry[] {
    const snap = this.#snapshot();
    return [...KNOWN_KEYS, ...extraKeys(snap, KNOWN_KEYS)].map((key) => {
      const r = resolveKey(key, snap);
      if (!r) return { key, value: undefined, source: "unset" };
      return { key, value: isSecretKey(key) ? MASK : maskUserinfo(r.value, isUrlKey(key)), source: r.source };
    });
  }

  /** Key → value of every key that has one, secrets masked as `****`. */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.describe()) if (e.value !== undefined) out[e.key] = e.value;
    return out;
  }

  /** REPL view: `describe()` as `key: value  (source)` lines, secrets masked. */
  [inspect.custom](_depth: number, options: { stylize?: (s: string, style: string) => string }): string {
    const style = options?.stylize ?? ((s: string) => s);
    const lines = this.describe()
      .filter((e) => e.value !== undefined)
      .map((e) => {
        const shown = e.value === MASK && isSecretKey(e.key) ? MASK : style(inspect(e.value), "string");
        return `  ${e.key}: ${shown}  ${style(`(${e.source})`, "undefined")}`;
      });
    return lines.length ? `MambuConfig {\n${lines.join("\n")}\n}` : "MambuConfig {}";
  }

  /**
   * Mambu's host, e.g. `tenant.sandbox.mambu.com` (or `http://127.0.0.1:7070` for the sandbox).
   * @throws MambuTsError when no source has it.
   */
  get apiurl(): string {
    const r = this.lookup("apiurl");
    if (!r || r.value.trim() === "") {
      throw new MambuTsError(
        "apiurl is not configured: set MAMBU_API_URL, apiurl in ~/.mambupy.rc or mambuconfig.apiurl",
      );
    }
    return r.value.trim();
  }
  set apiurl(value: string | undefined) {
    this.set("apiurl", value);
  }

  /** The API user for Basic authentication, if configured. */
  get apiuser(): string | undefined {
    return this.get("apiuser");
  }
  set apiuser(value: string | undefined) {
    this.set("apiuser", value);
  }

  /** The API user's password, if configured (secret: masked everywhere but here). */
  get apipwd(): string | undefined {
    return this.get("apipwd");
  }
  set apipwd(value: string | undefined) {
    this.set("apipwd", value);
  }

  /** A Mambu API key (sent as the `apiKey` header; wins over user/password), if configured. */
  get apikey(): string | undefined {
    return this.get("apikey");
  }
  set apikey(value: string | undefined) {
    this.set("apikey", value);
  }

  /** Page size when fetching "all" (default 50; above 1000 is lowered to 1000). */
  get apipagination(): number {
    return this.#integer("apipagination");
  }
  set apipagination(value: number | string | undefined) {
    this.set("apipagination", value);
  }

  /** How many times a failed request is retried (default 5, so up to 6 attempts). */
  get retries(): number {
    return this.#integer("retries");
  }
  set retries(value: number | string | undefined) {
    this.set("retries", value);
  }

  /** Per-request timeout in milliseconds, covering headers and body (default 60000). */
  get timeout(): number {
    return this.#integer("timeout");
  }
  set timeout(value: number | string | undefined) {
    this.set("timeout", value);
  }

  /** How many pages may be fetched in parallel when the total is known (default 4). */
  get concurrency(): number {
    return this.#integer("concurrency");
  }
  set concurrency(value: number | string | undefined) {
    this.set("concurrency", value);
  }

  /**
   * Largest response body accepted, in bytes (default 64 MiB, between 1024 and Node's longest
   * string). A larger body fails with a `MambuCommError` as soon as it is seen to be larger.
   */
  get maxresponsebytes(): number {
    return this.#integer("maxresponsebytes");
  }
  set maxresponsebytes(value: number | string | undefined) {
    this.set("maxresponsebytes", value);
  }

  /** The tenant's UTC offset (`±HH:MM`) used for naive dates, if configured. */
  get tenantoffset(): string | undefined {
    const r = this.lookup("tenantoffset");
    return r ? parseOffset(r) : undefined;
  }
  set tenantoffset(value: string | undefined) {
    this.set("tenantoffset", value);
  }

  /**
   * The database settings (MambuPy's `[DB]` section: dbname, dbuser, dbpwd, dbhost, dbport, dbeng, and
   * dbsocket), resolved now from the same sources: `code` (e.g. `{ dbname: "mambu" }`) > this configuration's
   * code overrides > `MAMBU_DB_*` / `MAMBUPY_DB*` env > the rc files' `[DB]` sections > MambuPy's defaults.
   * @throws MambuTsError when dbport is not a port or dbeng is not mysql/mariadb (naming where it came from).
   */
  dbSettings(code: Partial<Record<DbKey, string>> = {}): DbSettings {
    const map = new Map<string, string>();
    for (const key of DB_KEYS) {
      const v = Object.prototype.hasOwnProperty.call(code, key) ? code[key] : undefined;
      if (v !== undefined) map.set(key, String(v));
    }
    return resolveDbSettings(this.#snapshot(), this.#warnState, map);
  }

  #integer(key: string): number {
    // Every integer key has a default, so resolution always finds a value.
    return parseIntegerKey(this.lookup(key)!);
  }

  #snapshot(): SourceSnapshot {
    return {
      overrides: this.#overrides,
      env: this.#env(),
      files: loadRcFiles(this.#rcFiles(), this.#warnState),
    };
  }
}

/** Checks a code override of a typed key before keeping it. */
function validate(r: ResolvedValue): void {
  if (r.key === "tenantoffset") parseOffset(r);
  else if (Object.prototype.hasOwnProperty.call(INTEGER_KEYS, r.key)) parseIntegerKey(r);
}

/** The default configuration, read by `MambuConnector.default()` and every entity without a connector. */
export const mambuconfig = new MambuConfig();
