/**
 * `mambu backup` against the sandbox (run in this process as in a child: cli-helpers.ts runMain): by callback, by polling, the latest
 * existing backup, a timeout that keeps nothing, and the usage errors — the password never printed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { backupSettled } from "../../lib/sandbox/platform/database-backup";
import { readDumpInserts } from "../helpers/mysql-dump";
import { buildDist, cleanEnv, runMain, RunResult, tempHome } from "./cli-helpers";

jest.setTimeout(60_000);

const SECRET = "s3cret-Backup-word";
let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-12-07T10:00:00+02:00" }, users: [{ username: "cli", password: SECRET }] });
  env = cleanEnv(tempHome(), { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET });
  dir = mkdtempSync(join(tmpdir(), "mambu-cli-backup-"));
}, 240_000);

afterAll(async () => {
  if (sandbox) await backupSettled(sandbox.store);
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function mambu(...args: string[]): Promise<RunResult> {
  const r = await runMain(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

function clientsIn(file: string): number {
  const files = unzipSync(new Uint8Array(readFileSync(file)));
  return readDumpInserts(Buffer.from(files["sandbox-MANUAL-DATABASE-BACKUP.sql"]!).toString("utf8")).get("client")!.rows.length;
}

/** The progress lines of stderr (`backup: STATE, detail (1.2s)`), as states. */
function states(stderr: string): string[] {
  return [...stderr.matchAll(/^backup: ([A-Z_]+)(?:, [^\n]*)? \(\d+\.\ds\)$/gm)].map((m) => m[1]!);
}

it("--callback-port 0: listens, the sandbox calls back, the zip is downloaded with progress and kept (mode 600)", async () => {
  const out = join(dir, "callback.zip");
  const r = await mambu("backup", "--out", out, "--callback-port", "0");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^Backup saved to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: [\\d.]+ KiB, ready by Mambu's callback, made [^;]+; dump sandbox-MANUAL-DATABASE-BACKUP\\.sql \\([\\d.]+ KiB\\)\\.\\n$`));
  expect(states(r.stderr)).toEqual(["TRIGGERED", "WAITING", "DOWNLOADING", "CHECKING", "DONE"]);
  expect(clientsIn(out)).toBe(sandbox.store.count("clients"));
  expect(statSync(out).mode & 0o777).toBe(0o600);
});

it("without a callback it polls, --json prints the result", async () => {
  const out = join(dir, "poll.zip");
  const r = await mambu("backup", "--out", out, "--poll-interval", "50ms", "--json", "--no-progress");
  expect([r.code, r.stderr]).toEqual([0, ""]);
  const result = JSON.parse(r.stdout);
  expect(result).toMatchObject({ path: out, via: "poll", bytes: statSync(out).size, entries: [{ name: "sandbox-MANUAL-DATABASE-BACKUP.sql" }] });
});

it("--just-download takes the latest existing backup", async () => {
  const out = join(dir, "latest.zip");
  const r = await mambu("backup", "-o", out, "--just-download", "--json", "--no-progress");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).via).toBe("existing");
  expect(readFileSync(out).equals(readFileSync(join(dir, "poll.zip")))).toBe(true);
});

it("a callback that never comes: exit 4 with the last status, nothing kept", async () => {
  const out = join(dir, "never.zip");
  const r = await mambu("backup", "--out", out, "--callback-port", "0", "--callback-url", "http://127.0.0.1:9/nowhere", "--timeout", "300ms", "--no-progress");
  expect(r.code).toBe(4);
  expect(r.stderr).toBe("mambu: the database backup was not ready after 0 s (waiting by callback); last status: no callback received at http://127.0.0.1:9/nowhere/mambu-backup/…\n");
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
});

it("usage errors before anything is sent (exit 2)", async () => {
  for (const [args, message] of [
    [[], /where to\? mambu backup --out tenant\.zip/],
    [["--out", "x.zip", "--just-download", "--callback-port", "8765"], /--just-download triggers no backup/],
    [["--out", "x.zip", "--timeout", "soon"], /--timeout must be a duration such as 90s, 10m or 2h/],
    [["--out", "x.zip", "--callback-url", "https://h.example.com"], /need --callback-port/],
    [["--out", "x.zip", "--callback-port", "70000"], /at most 65535/],
  ] as Array<[string[], RegExp]>) {
    const r = await mambu("backup", ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  }
});
