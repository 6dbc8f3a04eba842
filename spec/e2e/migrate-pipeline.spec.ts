/**
 * Pipelined journal (issue 19, item 3): a step's journal line is synced while the unit's next request
 * goes out — the run does not wait for the disk between two requests — and the run still ends with
 * every line on disk and the tenant holding each record once. (Crash safety of the lines not yet
 * synced: migrate-kill, migrate-interrupt, migrate-diskfull and migrate-fewest-calls' resume.)
 */
import { readFileSync } from "fs";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startSandbox } from "../../lib/sandbox";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(120_000);

it("sends the next request while the last step's journal line is being synced, and ends with every line on disk, exactly once", async () => {
  const sb = await startSandbox({ port: 0 });
  const plan = join(subsetExample(6), "plan.yaml");
  const workdir = join(plan, "..", "w-pipeline");
  // the fs module itself: the journal writes each batch with fs.writeSync, then syncs it with fs.fdatasync
  const fs = jest.requireActual<typeof import("fs")>("fs");
  const realWrite = fs.writeSync;
  const realSync = fs.fdatasync;
  let holdNextSync = false;
  let held = 0;
  let sentWhileHeld: number | undefined;
  const writeSpy = jest.spyOn(fs, "writeSync").mockImplementation(((...args: unknown[]) => {
    const text = Buffer.isBuffer(args[1]) ? args[1].toString() : "";
    // the first batch holding only a client step's line: its sync is held
    if (held === 0 && text.includes('"step":"client"') && !text.includes('"t":"begin"') && !text.includes('"t":"run"')) holdNextSync = true;
    return (realWrite as (...a: unknown[]) => number)(...args);
  }) as unknown as typeof fs.writeSync);
  const syncSpy = jest.spyOn(fs, "fdatasync").mockImplementation(((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
    if (!holdNextSync) return realSync(fd, cb);
    holdNextSync = false;
    held++;
    const at = sb.requests;
    // released once the sandbox saw another request (the unit's next step), or after 3 s (it never came)
    const started = Date.now();
    const poll = setInterval(() => {
      if (sb.requests > at || Date.now() - started > 3000) {
        clearInterval(poll);
        sentWhileHeld = sb.requests - at;
        realSync(fd, cb);
      }
    }, 2);
  }) as unknown as typeof fs.fdatasync);
  try {
    const r = await runMigration(plan, { stdout: null, progress: "none", connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: sb.clock.offset, workdir, concurrency: 1, reconcile: true });
    expect(held).toBe(1);
    expect(sentWhileHeld).toBeGreaterThan(0);
    expect(r.failed).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.reconciliation?.equal).toBe(true);
    expect(duplicates(sb)).toEqual([]);
    // every step and unit is in the journal once the run returns
    const lines = readFileSync(join(workdir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { t: string });
    expect(lines.filter((l) => l.t === "step").length).toBe(r.summary!.steps.created + r.summary!.steps.adopted);
    expect(lines.filter((l) => l.t === "unit").length).toBe(r.summary!.units.total);
    expect(r.summary!.units.done).toBe(r.summary!.units.total);
  } finally {
    writeSpy.mockRestore();
    syncSpy.mockRestore();
    await sb.stop();
  }
});
