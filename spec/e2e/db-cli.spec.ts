/**
 * `mambu db restore|verify` from the built binary against a real MariaDB (spec/helpers/mariadb.ts; skipped,
 * saying why, where MariaDB is not installed): the connection from MAMBU_DB_*, all or nothing, a non-empty
 * database replaced only with --yes when there is no terminal, corrupt zips refused, the password never shown.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { buildDist, cleanEnv, runMambu, tempHome } from "./cli-helpers";
import { describeWithMariaDb, fixtureDump, MariaDb } from "../helpers/mariadb";

const dir = mkdtempSync(join(tmpdir(), "mambu-db-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zipOf(name: string, dump: string): string {
  const file = join(dir, name);
  writeFileSync(file, zipSync({ "backup/mambu.sql": strToU8(dump) }));
  return file;
}

describeWithMariaDb("mambu db", (server) => {
  beforeAll(() => buildDist(), 180_000);
  const home = tempHome();
  const env = (s: MariaDb, extra: Record<string, string> = {}) =>
    cleanEnv(home, { MAMBU_DB_HOST: s.host, MAMBU_DB_PORT: String(s.port), MAMBU_DB_USER: s.user, MAMBU_DB_PWD: s.password, ...extra });

  test("restore: the backup into --database, the connection from MAMBU_DB_*; again only with --yes (no terminal to ask on)", async () => {
    const s = server();
    const zip = zipOf("tenant.zip", fixtureDump());
    const first = await runMambu(["db", "restore", zip, "--database", "mambu"], env(s));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^restored .*tenant\.zip into mambu: \d+ tables, \d+ statements \(2 skipped: they named another database\)\n$/);

    const again = await runMambu(["db", "restore", zip, "--database", "mambu"], env(s));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/database mambu on 127\.0\.0\.1:\d+ already holds \d+ table\(s\); restoring replaces them all — add --yes to replace them, or choose another --database\n/);

    const yes = await runMambu(["db", "restore", zip, "--database", "mambu", "--yes"], env(s));
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/its previous tables were replaced/);
    for (const r of [first, again, yes]) expect(r.stdout + r.stderr).not.toContain(s.password);
  }, 60_000);

  test("a corrupt or truncated backup is refused (verify and restore) before anything is written; a password on the command line is refused", async () => {
    const s = server();
    const good = readFileSync(zipOf("good.zip", fixtureDump()));
    writeFileSync(join(dir, "cut.zip"), good.subarray(0, good.length - 40));
    const corrupt = Buffer.from(good);
    corrupt[300] = corrupt[300]! ^ 0x55;
    writeFileSync(join(dir, "bad.zip"), corrupt);

    const ok = await runMambu(["db", "verify", join(dir, "good.zip")], env(s));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/good\.zip: OK — backup\/mambu\.sql, \d+ KiB of SQL/);
    const cut = await runMambu(["db", "verify", join(dir, "cut.zip")], env(s));
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/backup .*cut\.zip refused: .*cut short/);
    const bad = await runMambu(["db", "restore", join(dir, "bad.zip"), "--database", "fresh"], env(s));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.zip refused/);
    // Nothing was created: reading the database says it does not exist.
    const none = await runMambu(["db", "restore", join(dir, "cut.zip"), "--database", "fresh"], env(s));
    expect(none.code).toBe(2);

    const pw = await runMambu(["db", "restore", join(dir, "good.zip"), "--password", "hunter2-secret"], env(s));
    expect(pw.code).toBe(2);
    expect(pw.stderr).toMatch(/--password is refused/);
    expect(pw.stderr).not.toContain("hunter2-secret");
  }, 60_000);
});
