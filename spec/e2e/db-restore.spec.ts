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
import { Decimal } from "../../lib/core/money";
import { MambuConfig } from "../../lib/config";
import { BackupZipError, DbClient, DbGroup, openDatabase, restoreBackup, RestoreError } from "../../lib/db";
import { MambuTsError } from "../../lib/errors";
import { C2, describeWithMariaDb, fixtureDump, MariaDb } from "../helpers/mariadb";

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

  test("a user allowed only `analytics` and `analytics\\_\\_%` (the scratch databases) restores there, and a dump writing to another database fails untouched", async () => {
    const s = server();
    const admin = await createConnection({ host: s.host, port: s.port, user: s.user, password: s.password });
    try {
      await admin.query("CREATE USER 'analyst'@'127.0.0.1' IDENTIFIED BY 'an4lyst-pw'");
      await admin.query("GRANT ALL PRIVILEGES ON `analytics`.* TO 'analyst'@'127.0.0.1'");
      await admin.query("GRANT ALL PRIVILEGES ON `analytics\\_\\_%`.* TO 'analyst'@'127.0.0.1'");
    } finally {
      await admin.end();
    }
    const as = { ...restoreOpts(s, "analytics"), user: "analyst", password: "an4lyst-pw" };
    const r = await restoreBackup(zipOf("analytics.zip", fixtureDump()), as);
    expect(r.tables).toContain("client");
    const sneaky = zipOf("sneaky.zip", fixtureDump("INSERT INTO `mambu`.`client` (`encodedKey`, `id`) VALUES ('k9', 'SNEAK');"));
    const err = await restoreBackup(sneaky, { ...as, replace: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreError);
    expect((err as Error).message).toMatch(/ER_TABLEACCESS_DENIED_ERROR|ER_DBACCESS_DENIED_ERROR/);
    const db = await openDatabase({ ...conn(s, "mambu"), config: new MambuConfig({ env: {}, rcFiles: [] }) });
    try {
      expect(await db.clients.where("id", "=", "SNEAK").count()).toBe(0);
    } finally {
      await db.close();
    }
    expect(await databases(s, "analytics\\_\\_%")).toEqual([]);
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
