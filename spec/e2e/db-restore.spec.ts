/**
 * `restoreBackup` and the read models against a real MariaDB (started for this file by spec/helpers/mariadb.ts;
 * skipped, saying why, where MariaDB is not installed): a small mysqldump-style backup built from the backup
 * schema (lib/contract/backup-schema.ts) with awkward values (quotes, backslashes, `;`, line breaks, emoji,
 * exact decimals), restored all or nothing, then read back through `openDatabase` with its relations.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { zipSync, strToU8 } from "fflate";
import { DateTime } from "luxon";
import { createConnection } from "mysql2/promise";
import { renderBackupDdl } from "../../lib/contract/backup-schema";
import { Decimal } from "../../lib/core/money";
import { MambuConfig } from "../../lib/config";
import { BackupZipError, DbClient, DbGroup, openDatabase, restoreBackup, RestoreError } from "../../lib/db";
import { MambuTsError } from "../../lib/errors";
import { describeWithMariaDb, insertSql, MariaDb } from "../helpers/mariadb";

const K = (n: string): string => `8a${n.padStart(30, "0")}`;
const BRANCH = K("b1");
const C1 = K("c1");
const C2 = K("c2");
const C3 = K("c3");
const G1 = K("91");
const L1 = K("11");
const L2 = K("12");
const L3 = K("13");

/** A backup's dump: what mysqldump writes around the data, the schema's DDL, and rows. */
function fixtureDump(extra = ""): string {
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

const dir = mkdtempSync(join(tmpdir(), "mambu-db-restore-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a zip holding `dump` as mambu.sql; returns its path. */
function zipOf(name: string, dump: string): string {
  const file = join(dir, name);
  writeFileSync(file, zipSync({ "mambu.sql": strToU8(dump) }, { level: 6 }));
  return file;
}

describeWithMariaDb("restoring a backup into MariaDB and reading it with the read models", (server) => {
  const conn = (s: MariaDb, database?: string) => ({ host: s.host, port: s.port, user: s.user, password: s.password, ...(database ? { name: database } : {}) });
  const restoreOpts = (s: MariaDb, database: string) => ({ host: s.host, port: s.port, user: s.user, password: s.password, database, config: new MambuConfig({ env: {}, rcFiles: [] }) });
  const databases = async (s: MariaDb, like: string): Promise<string[]> => {
    const c = await createConnection({ host: s.host, port: s.port, user: s.user, password: s.password });
    try {
      const [rows] = await c.query("SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY 1", [like]);
      return (rows as Array<{ n: string }>).map((r) => r.n);
    } finally {
      await c.end();
    }
  };

  test("a backup restores into the named database (the dump's own CREATE DATABASE / USE skipped), every table of the schema in it, with progress", async () => {
    const phases = new Set<string>();
    const r = await restoreBackup(zipOf("ok.zip", fixtureDump()), { ...restoreOpts(server(), "mambu"), onProgress: (p) => phases.add(p.phase) });
    expect(r.database).toBe("mambu");
    expect(r.tables).toEqual(expect.arrayContaining(["client", "loanaccount", "group", "groupmember", "repayment", "loantransaction", "customfieldvalue"]));
    expect(r.skipped).toBe(2);
    expect(r.replaced).toBe(false);
    expect([...phases]).toEqual(["verify", "load", "swap", "done"]);
    // The dump's own database was never made; no scratch database is left.
    expect(await databases(server(), "tenant_prod")).toEqual([]);
    expect(await databases(server(), "mambu\\_\\_%")).toEqual([]);
  });

  test("the read models: counts, get by id or encoded key, exact Decimals, DateTimes, and MambuPy's relations", async () => {
    const db = await openDatabase({ ...conn(server(), "mambu"), config: new MambuConfig({ env: {}, rcFiles: [] }) });
    try {
      expect(await db.clients.count()).toBe(3);
      const ana = await db.clients.get("CL1");
      expect(ana).toBeInstanceOf(DbClient);
      expect(ana.name).toBe("Ana O'Neil");
      expect((await db.clients.get(C2)).lastName).toBe("Back\\slash;\nline");
      expect((await db.clients.get(C2)).firstName).toBe("Zoë 😀");
      await expect(db.clients.get("NOPE")).rejects.toThrow(/no client with id or encoded key "NOPE" in database mambu/);
      expect(ana.birthDate).toBeInstanceOf(DateTime);
      expect(ana.birthDate!.toISODate()).toBe("1990-05-17");
      expect(ana.birthDate!.zoneName).toBe("UTC");

      const loans = await ana.loans().orderBy("id").all();
      expect(loans.map((l) => l.id)).toEqual(["LN1", "LN3"]);
      expect(loans[0]!.loanAmount).toBeInstanceOf(Decimal);
      expect(loans[0]!.loanAmount!.toFixed()).toBe("1000.5");
      expect((await ana.loans().where("accountState", "=", "ACTIVE").all()).map((l) => l.id)).toEqual(["LN1"]);
      // Sums are exact (a float would lose the last digit of 2500.0000000001).
      expect((await db.loans.sum("loanAmount")).toFixed()).toBe("3600.4900000001");
      expect((await db.loans.where("loanAmount", ">", new Decimal("1000.5")).count())).toBe(1);
      expect((await db.loans.where("accountState", "in", ["ACTIVE", "CLOSED"]).count())).toBe(3);

      const ln1 = await db.loans.get("LN1");
      expect((await ln1.repayments().all()).map((r) => r.dueDate!.toISODate())).toEqual(["2026-01-15", "2026-02-15", "2026-03-15"]);
      expect((await ln1.transactions().all()).map((t) => [t.transactionId, t.type, t.amount!.toFixed(), t.comment])).toEqual([
        [1001, "DISBURSEMENT", "1000.5", null],
        [1002, "REPAYMENT", "200.25", "paid; thanks"],
      ]);
      expect((await ln1.holder())?.id).toBe("CL1");
      expect((await ln1.product())?.productName).toBe("Personal");
      const ln2 = await db.loans.get("LN2");
      const holder = await ln2.holder();
      expect(holder).toBeInstanceOf(DbGroup);
      expect((holder as DbGroup).groupName).toBe("Weavers -- of /* the */ valley");

      const branch = await db.branches.get("BR1");
      expect(branch.name).toBe("Main; branch");
      expect((await branch.clients().orderBy("id").all()).map((c) => c.id)).toEqual(["CL1", "CL2"]);
      expect(await branch.loans().count()).toBe(3);
      expect((await (await ana.branch())!.id)).toBe("BR1");

      const group = await db.groups.get("GR1");
      expect((await group.members().orderBy("id").all()).map((c) => c.id)).toEqual(["CL1", "CL2"]);
      expect((await ana.groups().all()).map((g) => g.id)).toEqual(["GR1"]);
      expect(await (await db.clients.get("CL3")).groups().count()).toBe(0);

      const values = await ana.customFieldValues();
      expect(values.map((v) => [v.setId, v.fieldId, v.value])).toEqual([
        ["_personal", "nationalId", "X-1;2'3"],
        ["_personal", "income", "1234.56"],
      ]);
      expect(values[1]!.amount!.equals(new Decimal("1234.56"))).toBe(true);
      expect(await ana.customInformation().count()).toBe(2);
      expect((await (await ana.customInformation().first())!.customField())?.id).toBeDefined();

      // Every column of a row is in raw, beyond the known ones.
      expect(Object.keys(ana.raw)).toEqual(expect.arrayContaining(["preferredLanguage", "assignedUserKey"]));
      // JSON: money as digits, dates as ISO.
      expect(JSON.parse(JSON.stringify(loans[0]))).toMatchObject({ id: "LN1", loanAmount: "1000.5", creationDate: "2026-01-02T10:30:00.000Z" });
    } finally {
      await db.close();
    }
  });

  test("a query naming an unknown column or comparison is refused before anything is sent", async () => {
    const db = await openDatabase({ ...conn(server(), "mambu"), config: new MambuConfig({ env: {}, rcFiles: [] }) });
    try {
      expect(() => db.clients.where("nope; DROP TABLE client" as never, "=", "x")).toThrow(MambuTsError);
      expect(() => db.clients.where("id", "= 1 OR 1=1 --" as never, "x")).toThrow(/is not a comparison/);
      expect(() => db.clients.limit(-1)).toThrow(/limit must be a whole number/);
      expect(await db.clients.count()).toBe(3);
    } finally {
      await db.close();
    }
  });

  test("the naive dates of the backup are read in the configured tenant offset", async () => {
    const config = new MambuConfig({ env: {}, rcFiles: [] });
    config.tenantoffset = "+02:00";
    const db = await openDatabase({ ...conn(server(), "mambu"), config });
    try {
      const ln1 = await db.loans.get("LN1");
      expect(ln1.creationDate!.toISO()).toBe("2026-01-02T10:30:00.000+02:00");
      expect(await db.loans.where("creationDate", ">=", DateTime.fromISO("2026-01-02T08:30:00Z")).count()).toBe(2);
    } finally {
      await db.close();
    }
  });

  test("a corrupt, truncated or foreign file is refused before anything reaches the server", async () => {
    const good = readFileSync(zipOf("good.zip", fixtureDump()));
    const corrupt = Buffer.from(good);
    corrupt[200] = corrupt[200]! ^ 0xff; // inside the deflated dump
    writeFileSync(join(dir, "corrupt.zip"), corrupt);
    writeFileSync(join(dir, "truncated.zip"), good.subarray(0, Math.floor(good.length / 2)));
    writeFileSync(join(dir, "plain.sql.zip"), fixtureDump());
    for (const [file, problem] of [["corrupt.zip", "corrupt"], ["truncated.zip", "truncated"], ["plain.sql.zip", "not-zip"]] as const) {
      const err = await restoreBackup(join(dir, file), restoreOpts(server(), "refused")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackupZipError);
      expect((err as BackupZipError).problem).toBe(problem);
    }
    expect(await databases(server(), "refused%")).toEqual([]);
  });

  test("all or nothing: a dump failing halfway leaves the target as it was and no scratch database; a non-empty target needs replace", async () => {
    const broken = zipOf("broken.zip", fixtureDump("INSERT INTO `client` (`encodedKey`, `id`) VALUES ('k1', 'NEW1');\nINSERT INTO `nosuchtable` VALUES (1);"));
    const err = await restoreBackup(broken, { ...restoreOpts(server(), "mambu"), replace: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreError);
    expect((err as RestoreError).problem).toBe("statement");
    expect((err as Error).message).toMatch(/failed: ER_NO_SUCH_TABLE.*database mambu is untouched/);
    expect(await databases(server(), "mambu\\_\\_%")).toEqual([]);

    const db = await openDatabase({ ...conn(server(), "mambu"), config: new MambuConfig({ env: {}, rcFiles: [] }) });
    try {
      expect(await db.clients.count()).toBe(3);
      expect(await db.clients.where("id", "=", "NEW1").count()).toBe(0);

      const next = zipOf("next.zip", fixtureDump("INSERT INTO `client` (`encodedKey`, `id`) VALUES ('k1', 'NEW1');"));
      const refused = await restoreBackup(next, restoreOpts(server(), "mambu")).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RestoreError);
      expect((refused as RestoreError).problem).toBe("target");
      expect(await db.clients.count()).toBe(3);

      const r = await restoreBackup(next, { ...restoreOpts(server(), "mambu"), replace: true });
      expect(r.replaced).toBe(true);
      expect(await db.clients.count()).toBe(4);
      expect(await databases(server(), "mambu\\_\\_%")).toEqual([]);
    } finally {
      await db.close();
    }
  });

  test("the connection comes from the rc file's [DB] section and MAMBU_DB_* (env over file); the password never prints", async () => {
    const s = server();
    const rc = join(dir, "mambupy.rc");
    writeFileSync(rc, `[API]\napiurl = tenant.sandbox.mambu.com\n\n[DB]\ndbname = mambu\ndbuser = ${s.user}\ndbpwd = ${s.password}\ndbhost = ${s.host}\ndbport = ${s.port}\n`, { mode: 0o600 });
    const fromFile = await openDatabase({ config: new MambuConfig({ env: {}, rcFiles: [rc] }) });
    try {
      expect(await fromFile.clients.count()).toBe(4);
      expect(inspect(fromFile)).not.toContain(s.password);
      expect(JSON.stringify(fromFile)).not.toContain(s.password);
      expect(inspect(fromFile.settings)).not.toContain(s.password);
    } finally {
      await fromFile.close();
    }
    const wrong = "wrong-" + s.password;
    const err = await openDatabase({ config: new MambuConfig({ env: { MAMBU_DB_PWD: wrong }, rcFiles: [rc] }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect((err as Error).message).toMatch(/Access denied.*password from env MAMBU_DB_PWD/);
    expect((err as Error).message).not.toContain(wrong);
    const missing = await openDatabase({ config: new MambuConfig({ env: { MAMBUPY_DBNAME: "nothere" }, rcFiles: [rc] }) }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/cannot open database nothere .*mambu db restore tenant.zip --database nothere/);
  });
});
