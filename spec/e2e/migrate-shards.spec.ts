/**
 * Shards: the example plan run as three shards (the compiled command line, in child processes, against
 * one tenant), all three started at once and killed with SIGKILL at random points, then resumed in
 * turn — the first killed again — and finished. Each shard keeps its own journal and lock in the one
 * workdir; the workdir refuses another number of shards and an unsharded run; `--reconcile` without
 * `--shard` reads every shard's journal and reconciles the whole plan. The tenant must be exactly that
 * of one uninterrupted run: same clients, loans, balances and transactions, nothing twice.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { examplePlanReference } from "../helpers/example-plan-reference";
import { buildCli, CliRun, duplicates, EXAMPLE_PLAN, lineCount, startCli, tenantPicture, waitFor } from "./migrate-helpers";

jest.setTimeout(300_000);

const tmp = mkdtempSync(join(tmpdir(), "mig-shards-"));
let cli: string;
let expected: Record<string, unknown[]>;
let sb: Sandbox;

beforeAll(async () => {
  // the build and the uninterrupted, unsharded run (made once per jest run) at the same time
  [expected, cli] = await Promise.all([examplePlanReference(), buildCli(tmp)]);
  sb = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sb?.stop();
});

const workdir = join(tmp, "work");
const journal = (i: number): string => join(workdir, `journal.shard-${i}-of-3.jsonl`);

function shard(i: number, extra: string[] = []): CliRun {
  return startCli(cli, [EXAMPLE_PLAN, "--shard", `${i}/3`, "--resume", "--workdir", workdir, "--progress", "none", "--concurrency", "6", ...extra], {
    MAMBU_API_URL: sb.url,
    MAMBU_API_USER: "demo",
    MAMBU_API_PWD: "demo",
    MAMBU_API_TENANTOFFSET: sb.clock.offset,
    HOME: tmp,
  });
}

const seed = Number(process.env.MIGRATE_KILL_SEED ?? Date.now() % 100000);
let x = seed;
const rand = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;

/** Kills each running shard with SIGKILL once its journal has grown by 40 to 540 lines (of about 800); says where. */
async function killedAfterSomeSteps(runs: Array<{ i: number; run: CliRun }>): Promise<string[]> {
  const targets = runs.map(({ i }) => lineCount(journal(i)) + 40 + Math.floor(rand() * 500));
  return Promise.all(
    runs.map(async ({ i, run }, k) => {
      await waitFor(() => lineCount(journal(i)) >= targets[k] || run.child.exitCode !== null, `shard ${i}'s journal to grow`);
      run.child.kill("SIGKILL");
      const r = await run.exited;
      expect({ shard: i, signal: r.signal, out: r.signal ? "" : r.out.slice(-2000) }).toEqual({ shard: i, signal: "SIGKILL", out: "" }); // it was still running
      return `shard ${i}/3 at ${lineCount(journal(i))} lines`;
    }),
  );
}

it("three shards killed and resumed in turn give the tenant of one uninterrupted run", async () => {
  const kills: string[] = [];
  // all three at once, each killed on its way
  kills.push(...(await killedAfterSomeSteps([1, 2, 3].map((i) => ({ i, run: shard(i) })))));
  for (const i of [1, 2, 3]) expect(existsSync(journal(i))).toBe(true);
  expect(JSON.parse(readFileSync(join(workdir, "shards.json"), "utf8"))).toEqual({ shards: 3 });

  // the workdir is cut into three: another count, or an unsharded run, is refused (nothing sent)
  const connection = { apiurl: sb.url, apiuser: "demo", apipwd: "demo" };
  const otherCount = await runMigration(EXAMPLE_PLAN, { stdout: null, progress: "none", connection, workdir, shard: "1/2", resume: true });
  expect(otherCount.exitCode).toBe(2);
  expect(otherCount.refused).toMatch(/is cut into 3 shards \(shards\.json\): --shard 1\/2 would slice the plan another way/);
  const unsharded = await runMigration(EXAMPLE_PLAN, { stdout: null, progress: "none", connection, workdir, resume: true });
  expect(unsharded.exitCode).toBe(2);
  expect(unsharded.refused).toMatch(/is cut into 3 shards: run one with --shard i\/3, or reconcile them all with --reconcile/);
  expect(existsSync(join(workdir, "journal.jsonl"))).toBe(false);

  // in turn: shard 1 resumed and killed again, then each resumed to its end, one after the other
  kills.push(...(await killedAfterSomeSteps([{ i: 1, run: shard(1) }])));
  for (const i of [1, 2, 3]) {
    const r = await shard(i).exited;
    expect({ shard: i, code: r.code, tail: r.code === 0 ? "" : r.out.slice(-3000) }).toEqual({ shard: i, code: 0, tail: "" });
    expect(r.out).toMatch(new RegExp(`shard ${i}/3: \\d+ of 304 clients and groups`));
  }
  // each shard's lock is gone with it; the journals stay
  for (const i of [1, 2, 3]) expect(existsSync(join(workdir, `run.shard-${i}-of-3.lock`))).toBe(false);
  expect(statSync(journal(1)).mode & 0o777).toBe(0o600);

  // every shard's journal, and the whole plan against the tenant
  const all = await startCli(cli, [EXAMPLE_PLAN, "--reconcile", "--workdir", workdir, "--progress", "none"], {
    MAMBU_API_URL: sb.url,
    MAMBU_API_USER: "demo",
    MAMBU_API_PWD: "demo",
    MAMBU_API_TENANTOFFSET: sb.clock.offset,
    HOME: tmp,
  }).exited;
  expect({ code: all.code, tail: all.code === 0 ? "" : all.out.slice(-3000) }).toEqual({ code: 0, tail: "" });
  const lines = all.out.split("\n").filter((l) => l.startsWith("shard "));
  expect(lines).toHaveLength(3);
  let units = 0;
  for (const [k, l] of lines.entries()) {
    const m = new RegExp(`^shard ${k + 1}/3: (\\d+) clients and groups, (\\d+) done, 0 failed, 0 not done \\(journal\\.shard-${k + 1}-of-3\\.jsonl\\)$`).exec(l);
    expect({ line: l, ok: m !== null && m[1] === m[2] }).toEqual({ line: l, ok: true });
    units += Number(m![1]);
  }
  expect(units).toBe(304);
  expect(all.out).toMatch(/all 304 clients and groups reconcile/);

  expect(duplicates(sb)).toEqual([]);
  expect(tenantPicture(sb)).toEqual(expected);

  // a shard's journal missing from the workdir (run on another machine, not copied): named, exit 1
  renameSync(journal(2), join(tmp, "elsewhere.jsonl"));
  const out: string[] = [];
  const partial = await runMigration(EXAMPLE_PLAN, { stdout: { write: (t: string) => (out.push(t), true) } as unknown as NodeJS.WritableStream, progress: "none", connection, workdir, reconcile: true });
  expect(partial.exitCode).toBe(1);
  expect(partial.reconciliation?.equal).toBe(true);
  expect(partial.shards?.map((s) => s.found)).toEqual([true, false, true]);
  expect(out.join("")).toContain(`shard 2/3: ${partial.shards![1].units} clients and groups, no journal here (${journal(2)}): copy it from the machine that ran the shard`);
  process.stdout.write(`shards SIGKILL test (seed ${seed}): ${kills.join("; ")}\n`);
});
