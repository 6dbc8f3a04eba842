/**
 * Crash safety: the CLI (compiled, in a child process) is killed with SIGKILL at random points three
 * times — once with the sandbox restarted in between, so that its idempotency cache is gone and only
 * the journal and the tenant lookups stand between a rerun and duplicates — then resumed to the end.
 * The tenant must be exactly that of an uninterrupted run: no duplicate client, account or
 * transaction, the same balances and totals.
 */
import { ChildProcess, spawn } from "child_process";
import { existsSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { examplePlanReference } from "../helpers/example-plan-reference";
import { buildCli, duplicates, EXAMPLE_PLAN, tenantPicture } from "./migrate-helpers";

jest.setTimeout(240_000);

const ROOT = join(__dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "mig-kill-"));
let CLI = "";

/** The compiled CLI: the run's once-per-run build of lib/, copied into this file's own directory. */
beforeAll(async () => {
  CLI = await buildCli(tmp);
});

function journalLines(path: string): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, "utf8");
  return text.split("\n").length - 1;
}

function run(sb: Sandbox, workdir: string, extra: string[] = []): ChildProcess {
  return spawn(process.execPath, [CLI, EXAMPLE_PLAN, "--resume", "--workdir", workdir, "--progress", "none", "--concurrency", "12", ...extra], {
    env: { ...process.env, MAMBU_API_URL: sb.url, MAMBU_API_USER: "demo", MAMBU_API_PWD: "demo", MAMBU_API_TENANTOFFSET: sb.clock.offset, HOME: tmp, NODE_PATH: join(ROOT, "node_modules") },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> =>
  new Promise((resolve) => {
    let out = "";
    child.stdout?.on("data", (d) => (out += String(d)));
    child.stderr?.on("data", (d) => (out += String(d)));
    child.on("exit", (code, signal) => resolve({ code, signal, out }));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it("killed three times with SIGKILL and resumed, the tenant equals an uninterrupted run", async () => {
  // the uninterrupted run (made once per jest run, shared with the other migration tests)
  const expected = await examplePlanReference();

  const state = join(tmp, "sandbox-state.json");
  let sb = await startSandbox({ port: 0, persist: state });
  const workdir = join(tmp, "killed");
  const journal = join(workdir, "journal.jsonl");
  // kill points: after a random number of journal lines beyond the previous run's, then a random delay
  const seed = Number(process.env.MIGRATE_KILL_SEED ?? Date.now() % 100000);
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const kills: string[] = [];
  try {
    for (let k = 0; k < 3; k++) {
      const before = journalLines(journal);
      const target = before + 150 + Math.floor(rand() * 600);
      const child = run(sb, workdir);
      const done = exited(child);
      const started = Date.now();
      while (journalLines(journal) < target && child.exitCode === null && Date.now() - started < 60_000) await sleep(10);
      await sleep(Math.floor(rand() * 40));
      child.kill("SIGKILL");
      const r = await done;
      kills.push(`${r.signal ?? r.code} at ${journalLines(journal)} journal lines`);
      expect({ signal: r.signal, out: r.signal ? "" : r.out.slice(-3000) }).toEqual({ signal: "SIGKILL", out: "" }); // it was still running
      if (k === 1) {
        // a restart of the tenant's API: the idempotency cache is gone, the state and the address stay
        // (the journal is bound to the tenant's URL)
        const port = sb.port;
        await sb.stop();
        sb = await startSandbox({ port, persist: state });
      }
    }
    const last = await exited(run(sb, workdir, ["--reconcile"]));
    expect({ code: last.code, tail: last.code === 0 ? "" : last.out.slice(-3000) }).toEqual({ code: 0, tail: "" });
    expect(last.out).toMatch(/all 304 clients and groups reconcile/);
    expect(duplicates(sb)).toEqual([]);
    expect(tenantPicture(sb)).toEqual(expected);
    process.stdout.write(`SIGKILL test (seed ${seed}): ${kills.join("; ")}\n`);
  } finally {
    await sb.stop();
  }
});
