/**
 * The journal's commit window (lib/migrate/journal.ts): lines nobody waits for (steps and units done,
 * recorded while the run goes on) gather into one batch — one write and one sync for many — while a
 * line somebody waits for (a unit about to send its first request) is written at once; every line is
 * on disk, in the order recorded, when the journal closes.
 */
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Journal } from "../../lib/migrate";
import { COMMIT_WINDOW_MS } from "../../lib/migrate/journal";

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

it("writes lines nobody waits for in one batch, a waited-for line at once, all in order by close", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "mig-window-")), "journal.jsonl");
  const fs = jest.requireActual<typeof import("fs")>("fs");
  const batches: string[] = [];
  const realWrite = fs.writeSync;
  const spy = jest.spyOn(fs, "writeSync").mockImplementation(((...args: unknown[]) => {
    // the batches of recorded lines (the run line is written as the journal opens)
    if (Buffer.isBuffer(args[1]) && !args[1].toString().startsWith('{"t":"run"')) batches.push(args[1].toString());
    return (realWrite as (...a: unknown[]) => number)(...args);
  }) as unknown as typeof fs.writeSync);
  // the window's timer does not run out by itself (the machine's speed does not matter)
  jest.useFakeTimers({ doNotFake: ["setImmediate", "nextTick", "queueMicrotask"] });
  try {
    const j = Journal.open(path, { planId: "p", planHash: "h", resume: false });
    const steps: Array<Promise<void>> = [];
    // steps of concurrent units, recorded over several turns of the event loop
    for (let i = 1; i <= 6; i++) {
      steps.push(j.recordStep({ unit: `client:C${i}`, row: `client:C${i}`, step: "client", status: "created", key: `k${i}` }));
      await tick();
    }
    expect(batches).toEqual([]); // gathering
    await j.recordBegin("client:C7"); // waited for: written now, with what gathered before it
    expect(batches).toHaveLength(1);
    expect(batches[0].trim().split("\n").map((l) => (JSON.parse(l) as { t: string }).t)).toEqual(["step", "step", "step", "step", "step", "step", "begin"]);
    await Promise.all(steps);
    const late = j.recordStep({ unit: "client:C7", row: "client:C7", step: "client", status: "created", key: "k7" });
    await tick();
    expect(batches).toHaveLength(1);
    jest.advanceTimersByTime(COMMIT_WINDOW_MS); // the window runs out: written
    await late;
    expect(batches).toHaveLength(2);
    const done = j.recordUnit("client:C1", "done");
    await j.close(); // closing writes what gathers at once
    await done;
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { t: string; unit?: string });
    expect(lines.map((l) => l.t)).toEqual(["run", "step", "step", "step", "step", "step", "step", "begin", "step", "unit"]);
  } finally {
    jest.useRealTimers();
    spy.mockRestore();
  }
});
