/**
 * A private MariaDB server for the database specs: one per spec file, started in beforeAll by
 * scripts/mariadb.js (a temp data directory, a unix socket and 127.0.0.1 on a free port, a generated
 * password) and stopped in afterAll — and killed when the worker exits, so that no server outlives a run.
 *
 * Where MariaDB is not installed (a user's machine), {@link describeWithMariaDb} skips its tests and says
 * why once; CI installs it (.ci/run runs `node scripts/mariadb.js install`), so there they run.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const SCRIPT = resolve(__dirname, "../../scripts/mariadb.js");

/** A running server: where it listens and how to log in. */
export interface MariaDb {
  host: string;
  port: number;
  socket: string;
  user: string;
  password: string;
  pid: number;
  dir: string;
}

let availability: { ok: boolean; reason: string } | undefined;

/** Whether a MariaDB (or MySQL) server binary is installed here, and if not, why the specs skip. */
export function mariaDbAvailable(): { ok: boolean; reason: string } {
  if (!availability) {
    const r = spawnSync(process.execPath, [SCRIPT, "available"], { encoding: "utf8" });
    availability = { ok: r.status === 0, reason: r.stderr.trim() };
  }
  return availability;
}

const running = new Set<number>();
process.once("exit", () => {
  for (const pid of running) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

/** Starts a server in a new temp directory. */
export async function startMariaDb(): Promise<MariaDb> {
  // A short path: a unix socket path may not pass ~100 bytes.
  const dir = mkdtempSync(join(tmpdir(), "mdb-"));
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, "start", dir], { encoding: "utf8", timeout: 120_000 });
  const info = JSON.parse(stdout.trim().split("\n").pop()!) as MariaDb;
  running.add(info.pid);
  return info;
}

/** Stops a server and removes its directory. */
export async function stopMariaDb(db: MariaDb): Promise<void> {
  await promisify(execFile)(process.execPath, [SCRIPT, "stop", db.dir], { encoding: "utf8", timeout: 60_000 });
  running.delete(db.pid);
  rmSync(db.dir, { recursive: true, force: true });
}

/**
 * `describe` with a server: `server()` gives the running one inside the tests. Skipped (saying why, once)
 * when MariaDB is not installed.
 */
export function describeWithMariaDb(name: string, body: (server: () => MariaDb) => void): void {
  const { ok, reason } = mariaDbAvailable();
  if (!ok) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED "${name}": ${reason}`);
    describe.skip(name, () => body(() => undefined as unknown as MariaDb));
    return;
  }
  describe(name, () => {
    let db: MariaDb | undefined;
    beforeAll(async () => {
      db = await startMariaDb();
    }, 120_000);
    afterAll(async () => {
      if (db) await stopMariaDb(db);
    }, 60_000);
    body(() => {
      if (!db) throw new Error("the MariaDB server did not start");
      return db;
    });
  });
}

/** A SQL literal for the fixture dumps (strings escaped as mysqldump does). */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  const s = String(v);
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\0/g, "\\0")}'`;
}

/** `INSERT INTO t (cols) VALUES (...),(...);` for rows of one table (columns of the first row). */
export function insertSql(table: string, rows: Array<Record<string, unknown>>): string {
  const cols = Object.keys(rows[0]!);
  const values = rows.map((r) => `(${cols.map((c) => sqlLiteral(r[c])).join(",")})`).join(",");
  return `INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(",")}) VALUES ${values};`;
}
