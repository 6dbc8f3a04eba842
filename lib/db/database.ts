/**
 * `openDatabase()`: a connection pool to a restored backup of Mambu's database (MariaDB or MySQL, through
 * mysql2) with the read models on top (kysely). The connection comes from the same configuration as the
 * API (see `MambuConfig.dbSettings`): the rc files' `[DB]` section, `MAMBU_DB_*`, or the options here.
 */
import { Kysely, MysqlDialect, type MysqlPool } from "kysely";
import { createPool, type Pool } from "mysql2";
import { inspect } from "util";
import { DbSettings, mambuconfig, MambuConfig } from "../config";
import { MambuTsError } from "../errors";
import { Secret } from "../transport/secret";
import { typeCastFor } from "./cast";
import { Models } from "./models";
import type { MambuTables } from "./tables";

/** Options of {@link openDatabase}: each wins over the configuration. */
export interface DatabaseOptions {
  /** Database (schema) name (`dbname`). */
  name?: string;
  /** User (`dbuser`). */
  user?: string;
  /** Password (`dbpwd`): a `Secret` keeps it out of every output. */
  password?: string | Secret;
  /** Host (`dbhost`). */
  host?: string;
  /** Port (`dbport`). */
  port?: number;
  /** Unix socket (`dbsocket`), instead of host and port. */
  socket?: string;
  /** The configuration to read the rest from (default: `mambuconfig`). */
  config?: MambuConfig;
  /**
   * The zone of the backup's naive dates: a luxon zone (`"Europe/Madrid"`, `"UTC+2"`). Default: the configured
   * `tenantoffset`, else UTC.
   */
  zone?: string;
  /** Most connections at once (default 4). */
  connectionLimit?: number;
}

/** A restored backup opened for reading: the models, the raw query builder, and `close()`. */
export class MambuDatabase extends Models {
  readonly #kysely: Kysely<MambuTables>;
  readonly #settings: DbSettings;
  /** The database (schema) name. */
  readonly name: string;
  /** The zone naive dates are read in. */
  readonly zone: string;

  /** @internal made by {@link openDatabase}. */
  constructor(kysely: Kysely<MambuTables>, settings: DbSettings, zone: string) {
    super({ kysely: kysely as Kysely<any>, zone }, settings.name);
    this.#kysely = kysely;
    this.#settings = settings;
    this.name = settings.name;
    this.zone = zone;
  }

  /** The kysely query builder, for queries the models do not cover (typed for the known tables). */
  get kysely(): Kysely<MambuTables> {
    return this.#kysely;
  }

  /** The connection settings (password masked when printed). */
  get settings(): DbSettings {
    return this.#settings;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.#kysely.destroy();
  }

  /** `MambuDatabase { name, host, ... }`, no password. */
  [inspect.custom](): string {
    return `MambuDatabase ${inspect({ ...this.#settings.toJSON(), zone: this.zone })}`;
  }

  /** The settings, password masked. */
  toJSON(): Record<string, unknown> {
    return { ...this.#settings.toJSON(), zone: this.zone };
  }
}

/** The zone of naive dates: `"+02:00"` → `"UTC+02:00"`. */
function zoneOf(options: DatabaseOptions, config: MambuConfig): string {
  if (options.zone) return options.zone;
  const offset = config.tenantoffset;
  return offset ? `UTC${offset}` : "UTC";
}

/** The options that are settings, as the configuration's code values. */
function codeSettings(options: DatabaseOptions): Record<string, string> {
  const code: Record<string, string> = {};
  if (options.name !== undefined) code.dbname = options.name;
  if (options.user !== undefined) code.dbuser = options.user;
  if (options.host !== undefined) code.dbhost = options.host;
  if (options.port !== undefined) code.dbport = String(options.port);
  if (options.socket !== undefined) code.dbsocket = options.socket;
  return code;
}

/**
 * The password to connect with: the option (a `Secret` or text), else the configured dbpwd. A text password is
 * wrapped in a `Secret` once, so that outputs the library does not control (the REPL's history) leave it out.
 * @internal
 */
export function passwordOf(option: string | Secret | undefined, settings: DbSettings): string | undefined {
  const value = option === undefined ? settings.revealPassword() : option instanceof Secret ? option.reveal() : option;
  if (value === undefined || value === "") return undefined;
  return new Secret(value, "database password").reveal();
}

/** Where the server is, for messages. */
export function describeServer(s: DbSettings): string {
  return s.socket ? `socket ${s.socket}` : `${s.host}:${s.port}`;
}

/**
 * A mysql2 pool for the settings (Decimal and DateTime type casting; no multiple statements), wrapped so
 * that printing it cannot show the password. @internal
 */
export function poolFor(settings: DbSettings, password: string | undefined, zone: string, options: { database?: string | null; connectionLimit?: number } = {}): { pool: MysqlPool; raw: Pool } {
  const raw = createPool({
    host: settings.socket ? undefined : settings.host,
    port: settings.socket ? undefined : settings.port,
    socketPath: settings.socket,
    user: settings.user,
    password,
    database: options.database === null ? undefined : (options.database ?? settings.name),
    charset: "utf8mb4",
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
    typeCast: typeCastFor(zone) as never,
    connectionLimit: options.connectionLimit ?? 4,
    connectTimeout: 20_000,
  });
  const pool: MysqlPool = {
    getConnection: (cb) => raw.getConnection(cb as never),
    end: (cb) => raw.end(cb),
  };
  return { pool, raw };
}

/** A connection failure as a clear error (never the password). @internal */
export function connectionError(err: unknown, s: DbSettings): MambuTsError {
  const e = err as { code?: string; sqlMessage?: string; message?: string };
  const detail = e?.sqlMessage ?? e?.message ?? String(err);
  const hint =
    e?.code === "ER_BAD_DB_ERROR"
      ? ` (restore a backup first: mambu db restore tenant.zip --database ${s.name})`
      : e?.code === "ER_ACCESS_DENIED_ERROR"
        ? ` (check dbuser/dbpwd: user from ${s.sources.dbuser}, password from ${s.sources.dbpwd})`
        : e?.code === "ECONNREFUSED" || e?.code === "ENOENT"
          ? ` (is the server running? host/port from ${s.sources.dbhost}/${s.sources.dbport}${s.socket ? `, socket from ${s.sources.dbsocket}` : ""})`
          : "";
  return new MambuTsError(`cannot open database ${s.name} on ${describeServer(s)} as ${s.user}: ${detail}${hint}`);
}

/**
 * Opens a restored backup for reading: checks the connection, then gives the models.
 *
 * ```ts
 * const db = await openDatabase({ name: "mambu" });
 * const client = await db.clients.get("ABC123");
 * const loans = await client.loans().where("accountState", "=", "ACTIVE").all();
 * await db.close();
 * ```
 * @throws MambuTsError when a setting is invalid or the server refuses the connection (saying where the
 *   settings came from, never the password).
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<MambuDatabase> {
  const config = options.config ?? mambuconfig;
  const settings = config.dbSettings(codeSettings(options));
  const password = passwordOf(options.password, settings);
  const zone = zoneOf(options, config);
  const limit = options.connectionLimit ?? 4;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100) throw new MambuTsError(`connectionLimit must be a whole number from 1 to 100, got ${String(limit)}`);
  const { pool } = poolFor(settings, password, zone, { connectionLimit: limit });
  const kysely = new Kysely<MambuTables>({ dialect: new MysqlDialect({ pool }) });
  try {
    await kysely.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
  } catch (err) {
    await kysely.destroy().catch(() => undefined);
    throw connectionError(err, settings);
  }
  return new MambuDatabase(kysely, settings, zone);
}
