/**
 * Begin lines written ahead (issue 19, item 3): a unit's `begin` line is on disk before its first
 * request (exactly-once), and the next batch of them is written while the units of the last are still
 * being run, so that a worker reaching a unit does not wait for the disk: with one worker, each unit's
 * begin line is in the journal before the unit before it sends anything — also past the first batch.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startSandbox } from "../../lib/sandbox";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(120_000);

it("writes each unit's begin line before the unit before it sends anything, and before its own first step", async () => {
  const sb = await startSandbox({ port: 0 });
  try {
    const dir = subsetExample(40);
    const workdir = join(dir, "w-ahead");
    const r = await runMigration(join(dir, "plan.yaml"), {
      stdout: null,
      progress: "none",
      connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" },
      tenantOffset: sb.clock.offset,
      workdir,
      concurrency: 1,
    });
    expect(r.failed).toEqual([]);
    expect(duplicates(sb)).toEqual([]);
    const recs = readFileSync(join(workdir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { t: string; unit?: string });
    const begin = new Map<string, number>();
    const firstStep = new Map<string, number>();
    recs.forEach((rec, i) => {
      if (rec.t === "begin" && !begin.has(rec.unit!)) begin.set(rec.unit!, i);
      if (rec.t === "step" && !firstStep.has(rec.unit!)) firstStep.set(rec.unit!, i);
    });
    const units = [...begin.keys()]; // in the order they were begun: the order they run in, with one worker
    expect(units.length).toBeGreaterThanOrEqual(40);
    expect([...firstStep.keys()]).toEqual(units);
    for (let k = 0; k < units.length; k++) {
      expect([units[k], begin.get(units[k])! < firstStep.get(units[k])!]).toEqual([units[k], true]);
      if (k > 0) expect([units[k], begin.get(units[k])! < firstStep.get(units[k - 1])!]).toEqual([units[k], true]);
    }
  } finally {
    await sb.stop();
  }
});
