/**
 * The database settings (MambuPy's [DB] section): code > MAMBU_DB_* > MAMBUPY_DB* > rc files (~/.mambupy.rc over
 * /etc/mambupy.rc, [DEFAULT] under [DB]) > MambuPy's defaults without a password; a bad port or engine refused naming
 * its source; the password never printed.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { clearRcFileCache, MambuConfig } from "../../lib/config";

const dir = mkdtempSync(join(tmpdir(), "mambu-db-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => clearRcFileCache());

function rc(name: string, text: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

describe("MambuConfig.dbSettings", () => {
  test("without any source: MambuPy's defaults, and no password", () => {
    const s = new MambuConfig({ env: {}, rcFiles: [] }).dbSettings();
    expect(s.toJSON()).toEqual({ name: "mambu_db", user: "mambu_db_user", password: undefined, host: "localhost", port: 3306, socket: undefined, engine: "mysql" });
    expect(s.hasPassword).toBe(false);
    expect(s.sources.dbname).toBe("default");
    expect(s.sources.dbpwd).toBe("unset");
  });

  test("rc files' [DB] sections complement each other (the later file wins), over [DEFAULT]; the [API] section is not read for them", () => {
    const etc = rc("etc.rc", "[DEFAULT]\ndbport = 3307\n\n[DB]\ndbname = from_etc\ndbhost = db.example.org\n");
    const home = rc("home.rc", "[API]\ndbname = not_this\n\n[DB]\ndbname = from_home\ndbuser = analyst\ndbpwd = s3cr;t #1\n");
    const s = new MambuConfig({ env: {}, rcFiles: [etc, home] }).dbSettings();
    expect([s.name, s.user, s.host, s.port]).toEqual(["from_home", "analyst", "db.example.org", 3307]);
    expect(s.revealPassword()).toBe("s3cr;t #1");
    expect(s.sources).toMatchObject({ dbname: `file ${home}`, dbhost: `file ${etc}`, dbport: `file ${etc}` });
  });

  test("environment over rc files (MAMBU_DB_* over MAMBUPY_DB*), code over both", () => {
    const home = rc("env.rc", "[DB]\ndbname = file\ndbuser = file\ndbpwd = file\n");
    const config = new MambuConfig({ env: { MAMBU_DB_NAME: "env1", MAMBUPY_DBNAME: "env2", MAMBUPY_DBUSER: "env2user", MAMBU_DB_PWD: "envpwd", MAMBU_DB_SOCKET: "/run/mysqld.sock" }, rcFiles: [home] });
    const s = config.dbSettings();
    expect([s.name, s.user, s.revealPassword(), s.socket]).toEqual(["env1", "env2user", "envpwd", "/run/mysqld.sock"]);
    expect(s.sources).toMatchObject({ dbname: "env MAMBU_DB_NAME", dbuser: "env MAMBUPY_DBUSER", dbpwd: "env MAMBU_DB_PWD" });
    config.set("dbname", "coded");
    expect(config.dbSettings().name).toBe("coded");
    expect(config.dbSettings({ dbname: "option" }).name).toBe("option");
  });

  test("a port that is not one, or an engine other than MySQL/MariaDB, is refused naming where it came from", () => {
    const bad = rc("bad.rc", "[DB]\ndbport = 33o6\ndbeng = postgresql\n");
    expect(() => new MambuConfig({ env: {}, rcFiles: [bad] }).dbSettings()).toThrow(`dbport must be a TCP port (1 to 65535), got "33o6" (file ${bad}, line 2)`);
    expect(() => new MambuConfig({ env: { MAMBU_DB_PORT: "3306" }, rcFiles: [bad] }).dbSettings()).toThrow(/dbeng "postgresql" \(file .*line 3\) is not supported/);
    expect(new MambuConfig({ env: { MAMBU_DB_ENG: "mysql+pymysql" }, rcFiles: [] }).dbSettings().engine).toBe("mysql");
  });

  test("the password never prints (inspect, JSON, String), and a group-readable rc file holding dbpwd is warned about once", () => {
    const warnings: string[] = [];
    const open = rc("open.rc", "[DB]\ndbpwd = hunter2-db\n", 0o644);
    const config = new MambuConfig({ env: {}, rcFiles: [open], warn: (m) => warnings.push(m) });
    const s = config.dbSettings();
    config.dbSettings();
    for (const text of [inspect(s), JSON.stringify(s), `${JSON.stringify(config)}`, inspect(config)]) expect(text).not.toContain("hunter2-db");
    expect(inspect(s)).toContain("password: '****'");
    expect(warnings).toEqual([`mambu-ts: rc file ${open} holds credentials but is readable by group or others (mode 644); run: chmod 600 ${open}`]);
  });
});
