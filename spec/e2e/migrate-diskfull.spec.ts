/**
 * The disk fills up in the middle of a run: the journal cannot be written any more. The run stops
 * taking clients, says which file and what to do, blames no client (no failures file), and once
 * there is room a `--resume` completes it exactly once.
 */
import { existsSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startSandbox } from "../../lib/sandbox";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(120_000);

it("stops at a full disk, naming the journal, and resumes exactly once", async () => {
  const sb = await startSandbox({ port: 0 });
  const plan = join(subsetExample(20), "plan.yaml");
  const workdir = mkdtempSync(join(tmpdir(), "mig-full-"));
  const journal = join(workdir, "journal.jsonl");
  const opts = { stdout: null, progress: "none" as const, connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: sb.clock.offset, workdir, concurrency: 4 };
  // the fs module itself: the journal writes its batches of lines with fs.writeSync; the batch that would take
  // it past 60 lines finds the device full (counted in lines, not batches: how many lines a batch holds depends
  // on how fast the machine is)
  const fs = jest.requireActual<typeof import("fs")>("fs");
  const realWrite = fs.writeSync;
  let lines = 0;
  const spy = jest.spyOn(fs, "writeSync").mockImplementation(((...args: unknown[]) => {
    const buf = args[1];
    if (Buffer.isBuffer(buf) && buf.subarray(0, 6).toString() === '{"t":"') {
      for (const byte of buf) if (byte === 0x0a) lines++;
      if (lines > 60) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    }
    return (realWrite as (...a: unknown[]) => number)(...args);
  }) as unknown as typeof fs.writeSync);
  try {
    await expect(runMigration(plan, opts)).rejects.toThrow(
      `cannot write the journal ${journal}: no space left on the device (ENOSPC) — free some space. The run stopped; once that is fixed, run again with --resume (what was done after the journal's last line is looked up in the tenant: nothing is created twice)`,
    );
    spy.mockRestore();
    expect(lines).toBeGreaterThan(60);
    expect(existsSync(join(workdir, "failures"))).toBe(false);
    expect(existsSync(join(workdir, "run.lock"))).toBe(false);
    const resumed = await runMigration(plan, { ...opts, resume: true, reconcile: true });
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.steps.adopted).toBeGreaterThan(0);
    expect(resumed.reconciliation?.equal).toBe(true);
    expect(duplicates(sb)).toEqual([]);
  } finally {
    spy.mockRestore();
    await sb.stop();
  }
});
