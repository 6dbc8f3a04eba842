/**
 * `restoreBackup()`: a Mambu database backup (a zip of one mysqldump `.sql`) into a MariaDB or MySQL database,
 * all or nothing:
 *
 * 1. the zip is verified first (bounds, CRC-32, size: see ./backup-zip.ts) — a corrupt or truncated file is
 *    refused before any connection is made;
 * 2. the dump's statements (./sql-splitter.ts) are sent one at a time (never several in one query) into a new
 *    scratch database `<database>__restore_<hex>`; statements that would leave it (`USE`, `CREATE DATABASE`,
 *    `DROP DATABASE`) are skipped and counted;
 * 3. only when the whole dump applied, one `RENAME TABLE` (atomic in MariaDB and MySQL) moves the target's
 *    old tables aside and the new ones in; the old tables are dropped after. If anything fails before the
 *    rename, the scratch database is dropped and the target is as it was.
 *
 * A target that already holds tables is replaced only with `replace: true` (the CLI asks, or takes --yes).
 */
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { Pool, PoolConnection } from "mysql2";
import { mambuconfig, MambuConfig } from "../config";
import { MambuTsError } from "../errors";
import { Secret } from "../transport/secret";
import { BackupZip, BackupZipBounds } from "./backup-zip";
import { connectionError, describeServer, passwordOf, poolFor } from "./database";
import { SqlSplitter } from "./sql-splitter";

/** What a restore reports while it runs. */
export interface RestoreProgress {
  /** `verify` (reading the zip), `load` (running the dump), `swap` (moving the tables in), `done`. */
  phase: "verify" | "load" | "swap" | "done";
  /** Compressed bytes of the zip read in this phase. */
  bytes: number;
  /** Compressed bytes of the dump in the zip. */
  totalBytes: number;
  /** Statements run so far. */
  statements: number;
}

/** Options of {@link restoreBackup}: the connection (over the configuration's `[DB]` settings) and bounds. */
export interface RestoreOptions {
  /** The database to restore into (default: the configured dbname). Letters, digits, `_` and `$`, at most 40. */
  database?: string;
  /** User, password, host, port, socket: as `openDatabase` (default: the configuration). */
  user?: string;
  password?: string | Secret;
  host?: string;
  port?: number;
  socket?: string;
  /** The configuration to read the rest from (default: `mambuconfig`). */
  config?: MambuConfig;
  /** Replace the tables of a target database that has some (default false: refused, unless `confirmReplace` says yes). */
  replace?: boolean;
  /**
   * Asked (after the zip was verified, before anything is written) when the target holds tables and `replace`
   * is not true: resolve true to replace them. The CLI asks on a terminal.
   */
  confirmReplace?: (database: string, tables: readonly string[]) => Promise<boolean>;
  /** Bounds of the zip. */
  bounds?: BackupZipBounds;
  /** Called as the restore goes (at most a few times a second per phase, and at each phase's end). */
  onProgress?: (p: RestoreProgress) => void;
}

/** What a restore did. */
export interface RestoreResult {
  database: string;
  /** The tables now in the database. */
  tables: string[];
  /** Statements run. */
  statements: number;
  /** Statements skipped because they would leave the database (`USE`, `CREATE/DROP DATABASE`). */
  skipped: number;
  /** Whether the target held tables that were replaced. */
  replaced: boolean;
}

/** A restore that failed: the target database is untouched (`problem` says where it failed). */
export class RestoreError extends MambuTsError {
  /** `target` (not empty, bad name), `statement` (the dump failed at the server), `swap`. */
  readonly problem: "target" | "statement" | "swap" | "connection";
  /** For `statement`: the statement's 1-based number and line in the dump. */
  readonly statement?: { number: number; line: number };

  constructor(problem: RestoreError["problem"], message: string, statement?: { number: number; line: number }, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.problem = problem;
    if (statement) this.statement = statement;
  }
}

const NAME = /^[A-Za-z0-9_$]{1,40}$/;
const LEAVES_DATABASE = /^(\/\*M?!\d*\s*)?(use\s|create\s+(database|schema)\b|drop\s+(database|schema)\b)/i;

/** A statement without its leading comments (executable comments `/*!...` kept). */
function leadingCode(text: string): string {
  let s = text;
  for (;;) {
    const t = s.replace(/^\s+/, "");
    if (t.startsWith("#") || /^--(\s|$)/.test(t)) {
      const nl = t.indexOf("\n");
      s = nl < 0 ? "" : t.slice(nl + 1);
    } else if (t.startsWith("/*") && !/^\/\*M?!/.test(t)) {
      const end = t.indexOf("*/", 2);
      s = end < 0 ? "" : t.slice(end + 2);
    } else return t;
  }
}

function q(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** A throttle: true at most every `ms` milliseconds. */
function every(ms: number): () => boolean {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < ms) return false;
    last = now;
    return true;
  };
}

/**
 * Restores a backup zip into a database, all or nothing (see the module comment).
 * @throws BackupZipError (from ./backup-zip) when the zip is refused — before anything is sent;
 *   RestoreError when the target is not empty (without `replace`), the name is bad, the connection fails or a
 *   statement of the dump fails (the target is then untouched).
 */
export async function restoreBackup(zipFile: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const config = options.config ?? mambuconfig;
  const code: Record<string, string> = {};
  if (options.database !== undefined) code.dbname = options.database;
  if (options.user !== undefined) code.dbuser = options.user;
  if (options.host !== undefined) code.dbhost = options.host;
  if (options.port !== undefined) code.dbport = String(options.port);
  if (options.socket !== undefined) code.dbsocket = options.socket;
  const settings = config.dbSettings(code);
  const target = settings.name;
  if (!NAME.test(target)) {
    throw new RestoreError("target", `the database name ${JSON.stringify(target.slice(0, 100))} is refused: use 1 to 40 letters, digits, _ or $`);
  }
  const progress = options.onProgress;
  const tick = every(250);

  // 1. Verify the zip before any connection.
  const zip = await BackupZip.verify(zipFile, options.bounds, (done, total) => {
    if (progress && (tick() || done === total)) progress({ phase: "verify", bytes: done, totalBytes: total, statements: 0 });
  });

  const password = passwordOf(options.password, settings);
  const { raw: pool } = poolFor(settings, password, "UTC", { database: null, connectionLimit: 1 });
  let conn: PoolConnection;
  try {
    conn = await promisify<PoolConnection>((cb) => pool.getConnection(cb as never))();
  } catch (err) {
    await endPool(pool);
    throw new RestoreError("connection", connectionError(err, settings).message.replace(/^cannot open database/, "cannot restore into database"), undefined, err);
  }
  const run = (text: string, values?: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => conn.query({ sql: text, values }, (err: unknown, rows: unknown) => (err ? reject(err) : resolve(rows))));
  const tablesOf = async (db: string): Promise<string[]> =>
    ((await run("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [db])) as Array<{ t: string }>).map(
      (r) => r.t,
    );
  const scratch = `${target}__restore_${randomBytes(6).toString("hex")}`;
  let scratchMade = false;
  try {
    const existing = await tablesOf(target);
    if (existing.length && !options.replace && !(options.confirmReplace && (await options.confirmReplace(target, existing)))) {
      throw new RestoreError(
        "target",
        `database ${target} on ${describeServer(settings)} already holds ${existing.length} table(s); restoring replaces them all — confirm with replace: true (mambu db restore --yes), or choose another --database`,
      );
    }

    // 2. Load the dump into the scratch database.
    await run(`CREATE DATABASE ${q(scratch)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    scratchMade = true;
    await run(`USE ${q(scratch)}`);
    await run("SET SESSION foreign_key_checks = 0, unique_checks = 0");
    const splitter = new SqlSplitter();
    let statements = 0;
    let skipped = 0;
    let bytes = 0;
    const total = zip.entry.compressedSize;
    const apply = async (list: Array<{ sql: string; line: number }>): Promise<void> => {
      for (const st of list) {
        if (LEAVES_DATABASE.test(leadingCode(st.sql))) {
          skipped++;
          continue;
        }
        statements++;
        try {
          await run(st.sql);
        } catch (err) {
          const e = err as { sqlMessage?: string; message?: string; code?: string };
          throw new RestoreError(
            "statement",
            `statement ${statements} of the dump (line ${st.line}) failed: ${e.code ? `${e.code}: ` : ""}${e.sqlMessage ?? e.message ?? String(err)}; database ${target} is untouched`,
            { number: statements, line: st.line },
            err,
          );
        }
        if (progress && tick()) progress({ phase: "load", bytes, totalBytes: total, statements });
      }
    };
    for await (const chunk of zip.open(options.bounds, (done) => (bytes = done))) await apply(splitter.push(chunk));
    await apply(splitter.end());
    progress?.({ phase: "load", bytes: total, totalBytes: total, statements });

    // 3. Swap: one RENAME TABLE moves the old tables aside and the new ones in.
    progress?.({ phase: "swap", bytes: total, totalBytes: total, statements });
    const fresh = await tablesOf(scratch);
    await run(`CREATE DATABASE IF NOT EXISTS ${q(target)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const old = await tablesOf(target);
    const aside = `${target}__old_${randomBytes(6).toString("hex")}`;
    const renames: string[] = [];
    if (old.length) {
      await run(`CREATE DATABASE ${q(aside)}`);
      for (const t of old) renames.push(`${q(target)}.${q(t)} TO ${q(aside)}.${q(t)}`);
    }
    for (const t of fresh) renames.push(`${q(scratch)}.${q(t)} TO ${q(target)}.${q(t)}`);
    if (renames.length) {
      try {
        await run(`RENAME TABLE ${renames.join(", ")}`);
      } catch (err) {
        if (old.length) await run(`DROP DATABASE IF EXISTS ${q(aside)}`).catch(() => undefined);
        throw new RestoreError("swap", `moving the restored tables into ${target} failed (${(err as Error).message}); database ${target} is untouched`, undefined, err);
      }
    }
    if (old.length) await run(`DROP DATABASE ${q(aside)}`);
    await run(`DROP DATABASE ${q(scratch)}`);
    scratchMade = false;
    progress?.({ phase: "done", bytes: total, totalBytes: total, statements });
    return { database: target, tables: fresh, statements, skipped, replaced: old.length > 0 };
  } finally {
    if (scratchMade) await run(`DROP DATABASE IF EXISTS ${q(scratch)}`).catch(() => undefined);
    conn.release();
    await endPool(pool);
  }
}

function endPool(pool: Pool): Promise<void> {
  return new Promise((resolve) => pool.end(() => resolve()));
}
