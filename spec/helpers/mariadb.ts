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
import { renderBackupDdl } from "../../lib/contract/backup-schema";

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

/** A 32-character encoded key for fixture rows. */
export const K = (n: string): string => `8a${n.padStart(30, "0")}`;
export const BRANCH = K("b1");
export const C1 = K("c1");
export const C2 = K("c2");
export const C3 = K("c3");
export const G1 = K("91");
export const L1 = K("11");
export const L2 = K("12");
export const L3 = K("13");

/** A small backup's dump (the fixture of the db specs): what mysqldump writes around the data, the schema's DDL, and rows. */
export function fixtureDump(extra = ""): string {
  return [
    "-- MySQL dump 10.13  Distrib 8.0 (mambu-ts test fixture)",
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
    "/*!40101 SET NAMES utf8mb4 */;",
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;",
    "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `tenant_prod` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;",
    "USE `tenant_prod`;",
    renderBackupDdl(),
    "LOCK TABLES `branch` WRITE;",
    insertSql("branch", [{ encodedKey: BRANCH, id: "BR1", name: "Main; branch", state: "ACTIVE", creationDate: "2020-01-01 09:00:00" }]),
    "UNLOCK TABLES;",
    insertSql("client", [
      { encodedKey: C1, id: "CL1", firstName: "Ana", lastName: "O'Neil", state: "ACTIVE", assignedBranchKey: BRANCH, birthDate: "1990-05-17 00:00:00", loanCycle: 2 },
      { encodedKey: C2, id: "CL2", firstName: "Zoë 😀", lastName: "Back\\slash;\nline", state: "ACTIVE", assignedBranchKey: BRANCH, birthDate: null, loanCycle: 0 },
      { encodedKey: C3, id: "CL3", firstName: "Ciro", lastName: "Solo", state: "INACTIVE", assignedBranchKey: null, birthDate: null, loanCycle: 0 },
    ]),
    insertSql("group", [{ encodedKey: G1, id: "GR1", groupName: "Weavers -- of /* the */ valley", assignedBranchKey: BRANCH }]),
    insertSql("groupmember", [
      { clientkey: C1, groupkey: G1 },
      { clientkey: C2, groupkey: G1 },
    ]),
    insertSql("loanproduct", [{ encodedKey: K("p1"), id: "PL1", productName: "Personal", activated: 1 }]),
    insertSql("loanaccount", [
      { encodedKey: L1, id: "LN1", accountState: "ACTIVE", loanAmount: "1000.5000000000", principalBalance: "800.2500000000", interestRate: "12.5000000000", accountHolderType: "CLIENT", accountHolderKey: C1, productTypeKey: K("p1"), assignedBranchKey: BRANCH, creationDate: "2026-01-02 10:30:00" },
      { encodedKey: L2, id: "LN2", accountState: "ACTIVE", loanAmount: "2500.0000000001", principalBalance: "2500.0000000001", interestRate: "0.0000000000", accountHolderType: "GROUP", accountHolderKey: G1, productTypeKey: K("p1"), assignedBranchKey: BRANCH, creationDate: "2026-01-03 10:30:00" },
      { encodedKey: L3, id: "LN3", accountState: "CLOSED", loanAmount: "99.9900000000", principalBalance: "0.0000000000", interestRate: "3.0000000000", accountHolderType: "CLIENT", accountHolderKey: C1, productTypeKey: K("p1"), assignedBranchKey: BRANCH, creationDate: "2025-01-03 10:30:00" },
    ]),
    insertSql("repayment", [
      { encodedKey: K("r3"), parentAccountKey: L1, dueDate: "2026-03-15 00:00:00", principalDue: "266.7500000000", state: "PENDING" },
      { encodedKey: K("r1"), parentAccountKey: L1, dueDate: "2026-01-15 00:00:00", principalDue: "266.7500000000", state: "PAID" },
      { encodedKey: K("r2"), parentAccountKey: L1, dueDate: "2026-02-15 00:00:00", principalDue: "267.0000000000", state: "PENDING" },
    ]),
    insertSql("loantransaction", [
      { encodedKey: K("t2"), transactionId: 1002, parentAccountKey: L1, type: "REPAYMENT", amount: "200.2500000000", comment: "paid; thanks", entryDate: "2026-01-15 12:00:00" },
      { encodedKey: K("t1"), transactionId: 1001, parentAccountKey: L1, type: "DISBURSEMENT", amount: "1000.5000000000", comment: null, entryDate: "2026-01-02 10:30:00" },
    ]),
    insertSql("customfieldset", [{ encodedKey: K("s1"), id: "_personal", name: "Personal", type: "CLIENT_INFO", indexInList: 0 }]),
    insertSql("customfield", [
      { encodedKey: K("f1"), id: "nationalId", name: "National id", dataType: "STRING", indexInList: 0, customFieldSet_encodedKey_oid: K("s1") },
      { encodedKey: K("f2"), id: "income", name: "Income", dataType: "NUMBER", indexInList: 1, customFieldSet_encodedKey_oid: K("s1") },
    ]),
    insertSql("customfieldvalue", [
      { encodedKey: K("v1"), parentKey: C1, customFieldKey: K("f1"), value: "X-1;2'3", amount: null, customFieldSetGroupIndex: null },
      { encodedKey: K("v2"), parentKey: C1, customFieldKey: K("f2"), value: "1234.56", amount: "1234.5600000000", customFieldSetGroupIndex: null },
    ]),
    extra,
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;",
    "-- Dump completed on 2026-12-07  9:00:00",
    "",
  ].join("\n");
}

