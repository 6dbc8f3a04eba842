/**
 * The configuration of a migration run (lib/migrate/connection.ts `runConfig`): the values of the
 * rc files, environment and code as the run starts, kept for the run — the requests of a run do not
 * stat the rc files each time — and nothing kept that could not be (an invalid value leaves the
 * configuration read afresh, whose request says what is wrong).
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { MambuConfig } from "../../lib/config";
import { runConfig } from "../../lib/migrate/connection";

const rc = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), "mig-conf-")), ".mambupy.rc");
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};

it("keeps the values of the rc files, environment and code as the run starts, without reading the files again", () => {
  const file = rc("[API]\napiurl = tenant.example.invalid\napiuser = migrator\napipwd = s3cret\ntimeout = 1234\n");
  const base = new MambuConfig({ env: { MAMBU_API_TENANTOFFSET: "+02:00" }, rcFiles: [file] });
  base.set("retries", 3);
  const run = runConfig(base);
  writeFileSync(file, "[API]\napiurl = other.example.invalid\ntimeout = 99\n", { mode: 0o600 });
  const stat = jest.spyOn(jest.requireActual<typeof import("fs")>("fs"), "statSync");
  try {
    expect([run.apiurl, run.apiuser, run.apipwd, run.timeout, run.retries, run.tenantoffset, run.apipagination]).toEqual(["tenant.example.invalid", "migrator", "s3cret", 1234, 3, "+02:00", 50]);
    expect(stat).not.toHaveBeenCalled();
  } finally {
    stat.mockRestore();
  }
  expect(base.apiurl).toBe("other.example.invalid"); // the base is still read afresh
  expect(JSON.stringify(run)).not.toContain("s3cret");
});

it("leaves the configuration read afresh when one of its values is invalid", () => {
  const base = new MambuConfig({ env: { MAMBU_API_TIMEOUT: "soon" }, rcFiles: [] });
  expect(runConfig(base)).toBe(base);
});
