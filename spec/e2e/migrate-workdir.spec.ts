/**
 * The workdir as users meet it, through the command line in child processes: one run at a time (the
 * second is told who holds the workdir; a run killed with -9 does not block the next), and a workdir
 * or journal that cannot be written is named, with the reason and what to do. Permissions are
 * exercised as an unprivileged user (as `nobody` when the tests run as root, which ignores them).
 */
import { SpawnOptions } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { hostname, tmpdir } from "os";
import { join } from "path";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildCli, copyRuntimeModules, lineCount, startCli, subsetExample, waitFor } from "./migrate-helpers";

jest.setTimeout(180_000);

const tmp = mkdtempSync(join(tmpdir(), "mig-wd-"));
chmodSync(tmp, 0o755);
let cli: string;
let sb: Sandbox;
/** Runs as an unprivileged user: `nobody` when this process is root. */
const unprivileged: SpawnOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
beforeAll(async () => {
  cli = await buildCli(tmp);
  // `nobody` may not enter the repository (a checkout under a private directory): it gets its own copy
  // of the runtime modules next to the build, instead of NODE_PATH into the repository.
  if (unprivileged.uid !== undefined) copyRuntimeModules(tmp);
  sb = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sb?.stop();
});
const tenant = () => ({ MAMBU_API_URL: sb.url, MAMBU_API_USER: "demo", MAMBU_API_PWD: "demo", MAMBU_API_TENANTOFFSET: sb.clock.offset, HOME: tmp });

it("lets one run at a time use a workdir, says who holds it, and takes over after kill -9", async () => {
  const plan = join(subsetExample(30), "plan.yaml");
  const workdir = join(tmp, "shared");
  const args = [plan, "--workdir", workdir, "--progress", "none", "--concurrency", "2"];
  sb.faults.set({ latencyMs: 30 });
  try {
    const first = startCli(cli, args, tenant());
    await waitFor(() => lineCount(join(workdir, "journal.jsonl")) >= 10 || first.child.exitCode !== null, "10 journal lines");
    const second = await startCli(cli, [...args, "--resume"], tenant()).exited;
    expect({ code: second.code, out: second.out }).toEqual({
      code: 2,
      out: expect.stringMatching(
        new RegExp(`^the workdir ${workdir} is in use by another run: pid ${first.child.pid} on host ${hostname()}, started \\d{4}-[^,]+, plan demo-book-2025, target tenant\\. Wait for it to end, or use another --workdir\\. If that run is gone \\(its machine crashed\\), delete ${workdir}/run\\.lock\\.\\n$`),
      ),
    });
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
  } finally {
    sb.faults.clear();
  }
  const resumed = await startCli(cli, [...args, "--resume", "--reconcile"], tenant()).exited;
  expect({ code: resumed.code, out: resumed.code === 0 ? "" : resumed.out.slice(-2000) }).toEqual({ code: 0, out: "" });
  expect(resumed.out).toMatch(/all 30 clients and groups reconcile/);
});

describe("a workdir or journal that cannot be written", () => {
  const dir = subsetExample(3);
  chmodSync(dir, 0o755);
  const plan = join(dir, "plan.yaml");
  const ro = join(tmp, "read-only");
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  const run = (...args: string[]) => startCli(cli, [plan, "--progress", "none", ...args], tenant(), unprivileged).exited;

  it("a new workdir in a read-only directory: names the directory that cannot be written", async () => {
    const r = await run("--workdir", join(ro, "new", "work"));
    expect({ code: r.code, out: r.out }).toEqual({
      code: 1,
      out: `mambu-migrate: cannot create the workdir ${ro}/new/work: cannot create ${ro}/new in ${ro}: permission denied (EACCES) — choose another --workdir, or make ${ro} writable\n`,
    });
  });

  it("an existing read-only workdir", async () => {
    const r = await run("--workdir", ro);
    expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: `mambu-migrate: cannot write in the workdir ${ro}: permission denied (EACCES) — check its permissions and owner. Choose another --workdir\n` });
  });

  it("a journal it may not write: named, and nothing is sent", async () => {
    const workdir = join(tmp, "journal-ro");
    mkdirSync(workdir);
    chmodSync(workdir, 0o777);
    writeFileSync(join(workdir, "journal.jsonl"), "");
    chmodSync(join(workdir, "journal.jsonl"), 0o444);
    const before = sb.store.all("clients").length;
    const r = await run("--workdir", workdir, "--resume");
    expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: `mambu-migrate: cannot open the journal ${workdir}/journal.jsonl: permission denied (EACCES) — check its permissions and owner\n` });
    expect(sb.store.all("clients").length).toBe(before);
  });
});
