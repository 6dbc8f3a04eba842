/**
 * Interrupting a rehearsal kept in a state file (`--target sandbox --sandbox-state`), in every way a
 * user does: Ctrl-C twice (quit now), `kill -9`, Ctrl-C once — then `--resume` to the end. The sandbox
 * saves its state only when it stops while the journal is written step by step; whatever the
 * interruption, the resumed rehearsal must hold every client exactly once, reconcile, and equal an
 * uninterrupted rehearsal.
 */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startRehearsalSandbox, startSandbox } from "../../lib/sandbox";
import { buildCli, CliRun, duplicates, lineCount, startCli, subsetExample, tenantPicture, waitFor } from "./migrate-helpers";

jest.setTimeout(240_000);

const tmp = mkdtempSync(join(tmpdir(), "mig-int-"));
let cli: string;
beforeAll(async () => {
  cli = await buildCli(tmp);
});

/** The tenant held by a state file, as comparable data (and its duplicates). */
async function stateOf(state: string): Promise<{ picture: Record<string, unknown[]>; duplicates: string[] }> {
  const sb = await startSandbox({ port: 0, persist: state });
  try {
    return { picture: tenantPicture(sb), duplicates: duplicates(sb) };
  } finally {
    await sb.stop();
  }
}

it("Ctrl-C twice, kill -9 and Ctrl-C, each resumed: every client once, as an uninterrupted rehearsal", async () => {
  const dir = subsetExample(40);
  const plan = join(dir, "plan.yaml");

  const refState = join(tmp, "reference.json");
  const ref = await runMigration(plan, { stdout: null, progress: "none", target: "sandbox", sandbox: { start: startRehearsalSandbox, persist: refState }, workdir: join(tmp, "ref") });
  expect(ref.exitCode).toBe(0);
  const expected = await stateOf(refState);

  const state = join(tmp, "state.json");
  const workdir = join(tmp, "work");
  const journal = join(workdir, "journal.jsonl");
  const rehearsal = (...extra: string[]): CliRun => startCli(cli, [plan, "--target", "sandbox", "--sandbox-state", state, "--workdir", workdir, "--resume", "--progress", "none", "--concurrency", "4", ...extra]);

  // 1. Ctrl-C, and again while the clients under way are still going (every request is slow)
  const first = rehearsal("--sandbox-faults", "latency=100");
  await waitFor(() => lineCount(journal) >= 40 || first.child.exitCode !== null, "40 journal lines");
  first.child.kill("SIGINT");
  await waitFor(() => /finishing the clients under way/.test(first.out) || first.child.exitCode !== null, "the first SIGINT's message");
  first.child.kill("SIGINT");
  const r1 = await first.exited;
  expect({ code: r1.code, out: r1.out }).toEqual({ code: 130, out: expect.stringContaining(`SIGINT again: quitting now\nthe rehearsal's sandbox is saved in ${state}, and the journal with it: --resume continues\n`) });

  // 2. kill -9 in the middle: the sandbox state is not saved at all
  const before = lineCount(journal);
  const second = rehearsal("--sandbox-faults", "latency=20");
  await waitFor(() => lineCount(journal) >= before + 60 || second.child.exitCode !== null, "60 more journal lines");
  second.child.kill("SIGKILL");
  const r2 = await second.exited;
  expect({ signal: r2.signal, out: r2.signal ? "" : r2.out }).toEqual({ signal: "SIGKILL", out: "" }); // it was still running

  // 3. Ctrl-C once: the journal is cut back to the state file (the killed run's steps run again)
  const third = rehearsal("--sandbox-faults", "latency=20");
  await waitFor(() => /was saved before the last run's \d+ last journal records/.test(third.out) || third.child.exitCode !== null, "the note on the journal cut back");
  const cut = lineCount(journal);
  await waitFor(() => lineCount(journal) >= cut + 20 || third.child.exitCode !== null, "20 more journal lines");
  third.child.kill("SIGINT");
  const r3 = await third.exited;
  expect({ code: r3.code, stopped: /stopped: \d+ clients not started; continue with --resume/.test(r3.out) }).toEqual({ code: 130, stopped: true });

  // 4. to the end
  const last = await rehearsal("--reconcile").exited;
  expect({ code: last.code, out: last.code === 0 ? "" : last.out.slice(-3000) }).toEqual({ code: 0, out: "" });
  expect(last.out).toMatch(/all 40 clients and groups reconcile/);
  const got = await stateOf(state);
  expect(got.duplicates).toEqual([]);
  expect(got.picture).toEqual(expected.picture);
});
