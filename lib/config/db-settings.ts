/**
 * The database settings: where a restored backup of Mambu's database lives (MambuPy's `[DB]` section:
 * dbname, dbuser, dbpwd, dbhost, dbport, dbeng; plus dbsocket, a unix socket instead of host and port).
 *
 * Priority, highest first: code (`mambuconfig.set("dbname", ...)`, or the options of `openDatabase`),
 * environment (`MAMBU_DB_NAME`, `MAMBU_DB_USER`, `MAMBU_DB_PWD`, `MAMBU_DB_HOST`, `MAMBU_DB_PORT`,
 * `MAMBU_DB_ENG`, `MAMBU_DB_SOCKET`; MambuPy's `MAMBUPY_DBNAME` style accepted too), the `[DB]` section of
 * `~/.mambupy.rc` then `/etc/mambupy.rc` (over their `[DEFAULT]`), then MambuPy's defaults (mambu_db,
 * mambu_db_user, localhost, 3306, mysql) — but no default password.
 */
import { inspect } from "util";
import { MambuTsError } from "../errors";
import { MASK } from "./keys";
import type { ResolvedValue, SourceSnapshot, WarnState } from "./sources";
import { sectionWithDefaults } from "./inireader";

/** The rc file section of the database settings, as MambuPy's. */
export const DB_SECTION = "DB";

/** A database setting. */
export type DbKey = "dbname" | "dbuser" | "dbpwd" | "dbhost" | "dbport" | "dbeng" | "dbsocket";

/** Every database setting, in the order they are described. */
export const DB_KEYS: readonly DbKey[] = ["dbname", "dbuser", "dbpwd", "dbhost", "dbport", "dbeng", "dbsocket"];

/** MambuPy's defaults (its default password is left out: there is no default credential). */
export const DB_DEFAULTS: Readonly<Partial<Record<DbKey, string>>> = {
  dbname: "mambu_db",
  dbuser: "mambu_db_user",
  dbhost: "localhost",
  dbport: "3306",
  dbeng: "mysql",
};

/** Environment variable names of a setting, highest priority first: `dbname` → `MAMBU_DB_NAME`, `MAMBUPY_DBNAME`. */
export function dbEnvNames(key: DbKey): [string, string] {
  return [`MAMBU_DB_${key.slice(2).toUpperCase()}`, `MAMBUPY_${key.toUpperCase()}`];
}

/** The resolved database settings; the password never prints (`****` in JSON, inspect, strings). */
export class DbSettings {
  /** Database (schema) name. */
  readonly name: string;
  /** User name. */
  readonly user: string;
  /** Host (ignored when `socket` is set). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Unix socket path, when the server is reached through one. */
  readonly socket: string | undefined;
  /** `mysql` or `mariadb` (MambuPy's dbeng; the `+driver` suffix of SQLAlchemy is dropped). */
  readonly engine: string;
  /** Where each setting came from: `code`, `env MAMBU_DB_PWD`, `file /home/x/.mambupy.rc`, `default` or `unset`. */
  readonly sources: Readonly<Record<DbKey, string>>;
  readonly #password: string | undefined;

  /** @internal built by {@link resolveDbSettings}. */
  constructor(values: { name: string; user: string; host: string; port: number; socket?: string; engine: string; password?: string; sources: Record<DbKey, string> }) {
    this.name = values.name;
    this.user = values.user;
    this.host = values.host;
    this.port = values.port;
    this.socket = values.socket;
    this.engine = values.engine;
    this.sources = Object.freeze({ ...values.sources });
    this.#password = values.password;
  }

  /** Whether a password is configured. */
  get hasPassword(): boolean {
    return this.#password !== undefined;
  }

  /** The password itself: only for the connection. */
  revealPassword(): string | undefined {
    return this.#password;
  }

  /** The settings with the password masked. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      user: this.user,
      password: this.hasPassword ? MASK : undefined,
      host: this.host,
      port: this.port,
      socket: this.socket,
      engine: this.engine,
    };
  }

  /** `DbSettings { ... }` with the password masked. */
  [inspect.custom](): string {
    return `DbSettings ${inspect(this.toJSON())}`;
  }
}

/** Reads an environment variable; empty strings count as unset (as in MambuPy). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

/** One setting: code > env (MAMBU_DB_*, then MAMBUPY_DB*) > rc files' [DB] (the last listed wins) > default. */
function resolveDbKey(key: DbKey, snap: SourceSnapshot, code: ReadonlyMap<string, string>): ResolvedValue | undefined {
  const c = code.get(key) ?? snap.overrides.get(key);
  if (c !== undefined) return { key, value: c, source: "code" };
  for (const name of dbEnvNames(key)) {
    const v = envValue(snap.env, name);
    if (v !== undefined) return { key, value: v, source: `env ${name}` };
  }
  for (let i = snap.files.length - 1; i >= 0; i--) {
    const entry = sectionWithDefaults(snap.files[i].sections, DB_SECTION).get(key);
    if (entry) return { key, value: entry.value, source: `file ${snap.files[i].path}`, line: entry.line };
  }
  const d = DB_DEFAULTS[key];
  return d === undefined ? undefined : { key, value: d, source: "default" };
}

function where(r: ResolvedValue): string {
  return r.line ? `${r.source}, line ${r.line}` : r.source;
}

/**
 * Resolves the database settings from a snapshot of the configuration's sources, `code` (e.g. the
 * options of `openDatabase`) over the configuration's own code overrides.
 *
 * Warns (once per file, through `warnState`) when an rc file whose `[DB]` section holds `dbpwd` is readable
 * by group or others.
 * @throws MambuTsError naming the source when `dbport` is not a port or `dbeng` is not MySQL/MariaDB.
 */
export function resolveDbSettings(snap: SourceSnapshot, warnState: WarnState, code: ReadonlyMap<string, string> = new Map()): DbSettings {
  for (const f of snap.files) {
    const db = sectionWithDefaults(f.sections, DB_SECTION);
    if (db.has("dbpwd") && (f.mode & 0o077) !== 0 && process.platform !== "win32" && !warnState.warned.has(`mode:${f.path}`)) {
      warnState.warned.add(`mode:${f.path}`);
      warnState.warn(
        `mambu-ts: rc file ${f.path} holds credentials but is readable by group or others ` +
          `(mode ${f.mode.toString(8).padStart(3, "0")}); run: chmod 600 ${f.path}`,
      );
    }
  }
  const sources = Object.create(null) as Record<DbKey, string>;
  const values = new Map<DbKey, ResolvedValue>();
  for (const key of DB_KEYS) {
    const r = resolveDbKey(key, snap, code);
    sources[key] = r ? r.source : "unset";
    if (r) values.set(key, r);
  }
  const text = (key: DbKey): string | undefined => {
    const v = values.get(key)?.value.trim();
    return v === "" ? undefined : v;
  };
  const portValue = values.get("dbport")!;
  const port = Number(portValue.value.trim());
  if (!/^\d+$/.test(portValue.value.trim()) || port < 1 || port > 65535) {
    throw new MambuTsError(`dbport must be a TCP port (1 to 65535), got ${JSON.stringify(portValue.value)} (${where(portValue)})`);
  }
  const engValue = values.get("dbeng")!;
  const engine = engValue.value.trim().toLowerCase().replace(/\+.*$/, "");
  if (engine !== "mysql" && engine !== "mariadb") {
    throw new MambuTsError(
      `dbeng ${JSON.stringify(engValue.value)} (${where(engValue)}) is not supported: mambu-ts reads backups restored into MySQL or MariaDB (dbeng mysql or mariadb)`,
    );
  }
  const password = values.get("dbpwd")?.value;
  return new DbSettings({
    name: text("dbname") ?? DB_DEFAULTS.dbname!,
    user: text("dbuser") ?? DB_DEFAULTS.dbuser!,
    host: text("dbhost") ?? DB_DEFAULTS.dbhost!,
    port,
    socket: text("dbsocket"),
    engine,
    password: password === "" ? undefined : password,
    sources,
  });
}
