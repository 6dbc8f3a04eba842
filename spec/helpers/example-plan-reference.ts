/**
 * The tenant an uninterrupted, fault-free run of the example migration plan leaves in a fresh demo
 * sandbox (as `tenantPicture` draws it): the reference the crash, fault and shard tests compare
 * against. It is computed once per `jest` run (spec/helpers/once-per-run.ts) instead of once per test
 * file: the run is deterministic, and each test file still makes its own run under test.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMigration } from "../../lib/migrate";
import { startSandbox } from "../../lib/sandbox";
import { EXAMPLE_PLAN, tenantPicture } from "../e2e/migrate-helpers";
import { valueOncePerRun } from "./once-per-run";

/** The picture of the example plan migrated without faults nor interruptions (throws when that run fails). */
export function examplePlanReference(): Promise<Record<string, unknown[]>> {
  return valueOncePerRun("example-plan-reference", async () => {
    const ref = await startSandbox({ port: 0 });
    try {
      const workdir = join(mkdtempSync(join(tmpdir(), "mig-ref-")), "ref");
      const r = await runMigration(EXAMPLE_PLAN, { stdout: null, progress: "none", concurrency: 16, connection: { apiurl: ref.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: ref.clock.offset, workdir });
      if (r.exitCode !== 0) throw new Error(`the reference run of the example plan failed (exit ${r.exitCode}): ${JSON.stringify(r.failed.slice(0, 5))}`);
      return tenantPicture(ref);
    } finally {
      await ref.stop();
    }
  });
}
