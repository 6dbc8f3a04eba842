/**
 * `mambu db restore|verify`: a database backup (the zip of `mambu backup`, or Mambu's own) into MariaDB/MySQL,
 * for the SQL read models of `mambu-ts/db`.
 *
 *   mambu db verify tenant.zip                         # the zip's checks only (bounds, CRC-32, truncation)
 *   mambu db restore tenant.zip [--database NAME] [--host H] [--port P] [--socket PATH] [--user U] [--yes]
 *
 * The connection is the configuration's `[DB]` section (rc files), `MAMBU_DB_*`, then these options; the
 * password comes from dbpwd / `MAMBU_DB_PWD` only (a password on the command line is visible in `ps`). The
 * restore is all or nothing (lib/db/restore.ts). A database that already holds tables is replaced only after
 * "Replace ...? [y/N]" on a terminal, or with --yes.
 */
import { mambuconfig } from "../config";
import { BackupZip, BackupZipError } from "../db/backup-zip";
import { restoreBackup, RestoreError, RestoreOptions } from "../db/restore";
import { positiveInt } from "./args";
import type { Command, CommandContext } from "./commands";
import { askYesNo, canAsk, processIO } from "./confirm";
import { EXIT, UsageError } from "./exit";
import { StateProgress } from "./progress";

const NAME = "db";

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

/** The zip named by the positionals (exactly one). */
function zipArg(ctx: CommandContext, action: string): string {
  const p = ctx.args.positionals.slice(1);
  if (p.length === 0) throw new UsageError(`which backup? mambu db ${action} tenant.zip`, NAME);
  if (p.length > 1) throw new UsageError(`too many arguments: ${p.slice(1).join(" ")}`, NAME);
  return p[0]!;
}

/** A progress line on stderr (when it is a terminal, or with --progress). */
function progressOf(ctx: CommandContext, label: string): StateProgress | undefined {
  const stderr = ctx.out.stderr;
  const show = ctx.out.progress ?? !!stderr.isTTY;
  return show ? new StateProgress(stderr, { label }) : undefined;
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

async function verify(ctx: CommandContext): Promise<number> {
  const file = zipArg(ctx, "verify");
  for (const o of ["database", "host", "port", "socket", "user", "yes"]) if (ctx.args.options[o] !== undefined) throw new UsageError(`--${o} does not apply to db verify`, NAME);
  const bar = progressOf(ctx, `verify ${file}`);
  try {
    const zip = await BackupZip.verify(file, {}, (done, total) => bar?.update({ state: "reading", fraction: total ? done / total : undefined }));
    bar?.finish({ state: "OK", done: true });
    ctx.out.stdout.write(`${file}: OK — ${zip.entry.name}, ${sizeOf(zip.entry.size)} of SQL (${sizeOf(zip.entry.compressedSize)} compressed), CRC-32 checked\n`);
    return EXIT.OK;
  } catch (e) {
    bar?.finish({ state: "REFUSED", done: true });
    throw e;
  }
}

async function restore(ctx: CommandContext): Promise<number> {
  const file = zipArg(ctx, "restore");
  const options: RestoreOptions = { config: mambuconfig };
  const database = str(ctx, "database");
  if (database !== undefined) options.database = database;
  const host = str(ctx, "host");
  if (host !== undefined) options.host = host;
  const port = str(ctx, "port");
  if (port !== undefined) {
    const n = positiveInt("port", port, NAME)!;
    if (n > 65535) throw new UsageError(`--port must be a TCP port (1 to 65535), got ${port}`, NAME);
    options.port = n;
  }
  const socket = str(ctx, "socket");
  if (socket !== undefined) options.socket = socket;
  const user = str(ctx, "user");
  if (user !== undefined) options.user = user;
  if (ctx.args.options.password !== undefined) {
    throw new UsageError("--password is refused: a password on the command line is visible to every user of this machine (ps); set dbpwd in the [DB] section of ~/.mambupy.rc (mode 600) or MAMBU_DB_PWD", NAME);
  }
  const yes = !!ctx.args.options.yes;
  options.replace = yes;
  const io = processIO();
  if (!yes && canAsk(io)) {
    options.confirmReplace = (db, tables) => askYesNo(`Database ${db} holds ${tables.length} table(s). Replace them all with the backup? [y/N] `, io);
  }
  const target = options.database ?? mambuconfig.dbSettings().name;
  const bar = progressOf(ctx, `restore ${file} → ${target}`);
  options.onProgress = (p) =>
    bar?.update({ state: p.phase, fraction: p.totalBytes ? p.bytes / p.totalBytes : undefined, detail: p.phase === "verify" ? undefined : `${p.statements} statements` });
  try {
    const r = await restoreBackup(file, options);
    bar?.finish({ state: "DONE", done: true });
    ctx.out.stdout.write(
      `restored ${file} into ${r.database}: ${r.tables.length} tables, ${r.statements} statements` +
        `${r.skipped ? ` (${r.skipped} skipped: they named another database)` : ""}${r.replaced ? "; its previous tables were replaced" : ""}\n`,
    );
    return EXIT.OK;
  } catch (e) {
    bar?.finish({ state: "FAILED", done: true });
    if (e instanceof RestoreError && e.problem === "target" && !yes && !canAsk(io)) {
      throw new UsageError(e.message.replace(/ — confirm with replace: true \(mambu db restore --yes\), or/, " — add --yes to replace them, or"), NAME);
    }
    if (e instanceof BackupZipError || e instanceof RestoreError) {
      ctx.out.stderr.write(`mambu: ${e.message}\n`);
      return e instanceof RestoreError && e.problem === "statement" ? EXIT.FAILURE : EXIT.USAGE;
    }
    throw e;
  }
}

/** `mambu db`: see the module comment. */
export const dbCommand: Command = {
  name: NAME,
  globals: ["progress", "debug", "help"],
  synopsis: "restore|verify <backup.zip>",
  summary: "Restore a database backup into MariaDB/MySQL for the SQL read models (mambu-ts/db), or verify one.",
  description:
    "restore: verifies the zip (bounds, CRC-32, truncation) before anything is written, runs its SQL dump into a scratch\n" +
    "database, and only when all of it applied swaps the tables into --database (one atomic RENAME TABLE): all or nothing.\n" +
    "The connection is the [DB] section of the rc files (dbname, dbuser, dbpwd, dbhost, dbport, dbsocket), MAMBU_DB_* and\n" +
    "these options; the password only from dbpwd or MAMBU_DB_PWD. A database that holds tables is replaced after a\n" +
    "question on a terminal, or with --yes. verify: the zip's checks alone.",
  options: [
    { name: "database", kind: "value", arg: "NAME", help: "restore into NAME (default: the configured dbname)" },
    { name: "host", kind: "value", arg: "HOST", help: "the server's host (default: dbhost, else localhost)" },
    { name: "port", kind: "value", arg: "PORT", help: "the server's port (default: dbport, else 3306)" },
    { name: "socket", kind: "value", arg: "PATH", help: "the server's unix socket, instead of host and port (default: dbsocket)" },
    { name: "user", kind: "value", arg: "USER", help: "the database user (default: dbuser)" },
    { name: "password", kind: "value", arg: "VALUE", help: "refused: a password on the command line is visible in ps; use dbpwd or MAMBU_DB_PWD" },
    { name: "yes", kind: "flag", short: "y", help: "replace the tables of a database that has some, without asking" },
  ],
  examples: [
    "mambu db verify tenant.zip",
    "mambu db restore tenant.zip --database mambu",
    "MAMBU_DB_USER=root mambu db restore tenant.zip --database mambu --socket /run/mysqld/mysqld.sock --yes",
  ],
  async run(ctx) {
    if (ctx.sandbox) throw new UsageError("--sandbox makes no sense with the db command (it talks to a database server)", NAME);
    const action = ctx.args.positionals[0];
    if (action === "restore") return restore(ctx);
    if (action === "verify") return verify(ctx);
    throw new UsageError(action ? `unknown action "${action}": restore or verify` : "restore or verify? mambu db restore tenant.zip --database mambu", NAME);
  },
};
