/**
 * `mambu import <file.xlsx>` and `mambu bulk status|wait <key>` against the sandbox (commands run in this process as
 * in a child — cli-helpers.ts runMain — through a recording proxy; the sandbox works on imports and bulks a step of rows per request):
 * the upload, the progress lines on stderr (one per state without a terminal; a bar on one), the refused cells
 * as a table with exit code 3, the draft approved or rejected, the usage errors before anything is sent. The
 * progress display itself is checked on a fake stream at the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import writeXlsxFile from "write-excel-file/node";
import { importErrorsTable, printable } from "../../lib/cli/import-command";
import { formatElapsed, renderBar, StateProgress } from "../../lib/cli/progress";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, HAS_SCRIPT, runMain, runOnTerminal, RunResult, tempHome, TerminalResult } from "./cli-helpers";
import { Recorder, startRecorder } from "./cli-recorder";
import { call } from "./sandbox-helpers";

jest.setTimeout(60_000);

const SECRET = "s3cret-Import-word";
const AUTH = `Basic ${Buffer.from(`cli:${SECRET}`).toString("base64")}`;

let sandbox: Sandbox;
let recorder: Recorder;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-12-07T10:00:00+02:00" }, users: [{ username: "cli", password: SECRET }], jobRowsPerStep: 2 });
  recorder = await startRecorder(sandbox.url);
  env = cleanEnv(tempHome(), { MAMBU_API_URL: recorder.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET, SHELL: "/bin/sh" });
  dir = mkdtempSync(join(tmpdir(), "mambu-cli-import-"));
}, 240_000);

afterAll(async () => {
  await recorder?.close();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `mambu ...args`; no output ever holds the password. */
async function mambu(...args: string[]): Promise<RunResult> {
  const r = await runMain(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

/** Status of `GET path` on the sandbox directly. */
async function statusOf(path: string): Promise<number> {
  return (await call(sandbox, "GET", path, { headers: { Authorization: AUTH } })).status;
}

type Cell = string | number | null;

/** Writes an .xlsx workbook of clients `p`C1.. (a `null` last name makes that row fail) and returns its path. */
async function clientsWorkbook(name: string, p: string, lastNames: Array<string | null>): Promise<string> {
  const rows: Cell[][] = [["id", "firstName", "lastName", "assignedBranchKey"], ...lastNames.map((l, i) => [`${p}C${i + 1}`, `Name${i + 1}`, l, "CCAZ"])];
  const path = join(dir, name);
  writeFileSync(path, await writeXlsxFile([{ sheet: "Clients", data: rows.map((r) => r.map((v) => (v === null ? null : { value: v }))) }] as never).toBuffer());
  return path;
}

/** The progress lines of stderr (`import K: STATE (1.2s)`), as [label, state]. */
function stateLines(stderr: string): Array<[string, string]> {
  return [...stderr.matchAll(/^((?:import|bulk) [0-9a-f]+): ([A-Z_]+)(?:, [^(]*)? \((?:\d+\.\ds|\d+m \d\ds|\d+h \d\dm)\)$/gm)].map((m) => [m[1], m[2]]);
}

describe("mambu import, without a terminal", () => {
  it("--yes --approve: uploads, shows each state once, approves; the clients stay", async () => {
    const file = await clientsWorkbook("approve.xlsx", "IA", ["Ruiz", "Mora", "Paz", "Gil", "Sol"]);
    const r = await mambu("import", file, "--yes", "--approve", "--interval", "0");
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/^mambu: uploaded approve\.xlsx: import [0-9a-f]{32}\n/)]);
    const key = /import ([0-9a-f]{32})/.exec(r.stderr)![1];
    // 5 rows, 2 a step: IN_PROGRESS is read twice but shown once
    expect(stateLines(r.stderr)).toEqual([[`import ${key}`, "QUEUED"], [`import ${key}`, "IN_PROGRESS"], [`import ${key}`, "COMPLETE"]]);
    expect(r.stdout).toBe(`Import ${key} is COMPLETE and approved: what it wrote is kept.\n`);
    const sent = recorder.writes().filter((w) => w.path.startsWith("/api/data/import"));
    expect(sent.map((w) => w.path).slice(-2)).toEqual(["/api/data/import", expect.stringMatching(/^\/api\/data\/import\/events\/[0-9a-f]{32}:action$/)]);
    expect(sent[sent.length - 1].body).toBe('{"type":"APPROVE"}');
    for (const id of ["IAC1", "IAC5"]) expect(await statusOf(`/clients/${id}`)).toBe(200);
  });

  it("--yes --reject --json: prints the import as JSON, and nothing of it stays", async () => {
    const file = await clientsWorkbook("reject.xlsx", "IR", ["Ruiz", "Mora"]);
    const r = await mambu("import", file, "--yes", "--reject", "--json", "--interval", "0", "--no-progress");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ importKey: expect.stringMatching(/^[0-9a-f]{32}$/), state: "COMPLETE", errors: [], eventKey: expect.any(String), decision: "REJECT" });
    expect(r.stderr).toBe(`mambu: uploaded reject.xlsx: import ${JSON.parse(r.stdout).importKey}\n`);
    expect(await statusOf("/clients/IRC1")).toBe(404);
  });

  it("a workbook with bad rows: the refused cells as a table, nothing imported, exit code 3", async () => {
    const file = await clientsWorkbook("bad.xlsx", "IB", ["Ruiz", null, "Paz", null]);
    const writes = recorder.writes().length;
    const r = await mambu("import", file, "--yes", "--approve", "--interval", "0");
    expect(r.code).toBe(3);
    const key = /import ([0-9a-f]{32})/.exec(r.stderr)![1];
    expect(stateLines(r.stderr).map(([, s]) => s)).toEqual(["QUEUED", "IN_PROGRESS", "ERROR"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Import ${key} ended in ERROR: 2 errors in the workbook; nothing was imported.`);
    expect(lines[1]).toMatch(/^sheet +row +column +message$/);
    expect(lines.slice(3).map((l) => l.split(/ {2,}/).slice(0, 3))).toEqual([["Clients", "3", "lastName"], ["Clients", "5", "lastName"]]);
    expect(lines[3]).toMatch(/lastName may not be null/);
    // the upload, and no action: there was nothing to approve
    expect(recorder.writes().length).toBe(writes + 1);
    expect(await statusOf("/clients/IBC1")).toBe(404);
  });

  it("--no-wait --json: uploads and prints the queued import", async () => {
    const file = await clientsWorkbook("later.xlsx", "IL", ["Ruiz"]);
    const r = await mambu("import", file, "--yes", "--no-wait", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ importKey: expect.stringMatching(/^[0-9a-f]{32}$/), state: "QUEUED", errors: [] });
  });

  it("refuses before sending anything: no terminal to ask on, no --yes, a file that is no workbook, both decisions", async () => {
    const file = await clientsWorkbook("usage.xlsx", "IU", ["Ruiz"]);
    const csv = join(dir, "clients.csv");
    writeFileSync(csv, "id,firstName\nX,Ana\n");
    const fake = join(dir, "fake.xlsx");
    writeFileSync(fake, "id,firstName\nX,Ana\n");
    const before = recorder.requests.length;
    const cases: Array<[string[], string]> = [
      [[file, "--yes"], "mambu: the import ends as a draft to approve or reject, and there is no terminal to ask on: add --approve, --reject or --no-wait"],
      [[file, "--approve"], "mambu: import writes (POST /data/import): add --yes to confirm (no terminal to ask on)"],
      [[csv, "--yes", "--no-wait"], 'mambu: import: "clients.csv" is not an Excel workbook: Mambu imports .xlsx and .xls files'],
      [[fake, "--yes", "--no-wait"], 'mambu: import: "fake.xlsx" is not a .xlsx workbook (its content does not start as one; save it from Excel as .xlsx)'],
      [[join(dir, "missing.xlsx"), "--yes", "--no-wait"], `mambu: import: cannot read ${JSON.stringify(join(dir, "missing.xlsx"))} (no such file)`],
      [[file, "--yes", "--approve", "--reject"], "mambu: give --approve or --reject, not both"],
      [[file, "--yes", "--no-wait", "--approve"], "mambu: --no-wait and --approve do not go together: the draft can be approved only once Mambu is done with it"],
      [[file, "--yes", "--approve", "--interval", "soon"], 'mambu: --interval must be an integer ≥ 0, got "soon"'],
      [[], "mambu: which workbook? mambu import <file.xlsx>"],
    ];
    for (const [args, message] of cases) {
      const r = await mambu("import", ...args);
      expect([args, r.code, r.stderr.split("\n")[0]]).toEqual([args, 2, message]);
    }
    expect(recorder.requests.length).toBe(before);
  });
});

describe("mambu bulk", () => {
  /** Posts a bulk deposit directly; returns its key. */
  async function bulk(rows: Array<{ accountId: string; amount: number; externalId?: string }>): Promise<string> {
    const a = await call(sandbox, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions: rows }, headers: { Authorization: AUTH } });
    expect(a.status).toBe(202);
    return String(a.headers.get("location")).split("/").pop()!;
  }

  it("wait follows the bulk (a line per state), prints the refused rows, exit code 3 when any row was refused", async () => {
    const key = await bulk([
      { accountId: "DEP001", amount: 5, externalId: "k-0" }, { accountId: "NOPE", amount: 5, externalId: "k-1" },
      { accountId: "DEP001", amount: 1 }, { accountId: "DEP001", amount: 2 }, { accountId: "DEP001", amount: 3 },
    ]);
    const r = await mambu("bulk", "wait", key, "--interval", "0");
    expect(r.code).toBe(3);
    expect(stateLines(r.stderr)).toEqual([[`bulk ${key}`, "IN_PROGRESS"], [`bulk ${key}`, "COMPLETE"]]);
    expect(r.stderr).toMatch(new RegExp(`^bulk ${key}: COMPLETE, 4 rows done, 1 refused \\(`, "m"));
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Bulk ${key}: COMPLETE, 4 rows done, 1 refused.`);
    expect(lines[1]).toMatch(/^index +externalId +code +reason +source$/);
    expect(lines[3].trim().split(/ {2,}/).slice(0, 4)).toEqual(["1", "k-1", expect.stringMatching(/^\d+$/), "INVALID_DEPOSIT_ACCOUNT_ID"]);

    const s = await mambu("bulk", "status", key, "--json");
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ status: "COMPLETE", processedItems: expect.any(Array), errors: [expect.objectContaining({ indexInRequest: 1 })] });
  });

  it("a bulk without refused rows exits 0; an unknown key is Mambu's error (3); a bad action is a usage error (2)", async () => {
    const key = await bulk([{ accountId: "DEP001", amount: 1 }]);
    const ok = await mambu("bulk", "wait", key, "--interval", "0", "--no-progress");
    expect([ok.code, ok.stdout, ok.stderr]).toEqual([0, `Bulk ${key}: COMPLETE, 1 row done, 0 refused.\n`, ""]);
    const unknown = await mambu("bulk", "status", "0000000000000000000000000000dead");
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^mambu: Mambu error \d+ \(HTTP 404\): INVALID_BULK_PROCESS_KEY/);
    const bad = await mambu("bulk", "frob", key);
    expect([bad.code, bad.stderr.split("\n")[0]]).toEqual([2, 'mambu: unknown action "frob": status or wait']);
  });
});

/**
 * Runs `mambu ...args` on a pseudo-terminal, typing `answers` (one line each, once its question, ending with
 * "[y/N] ", shows); the screen never holds the password.
 */
async function onTerminal(args: string[], answers: string[]): Promise<TerminalResult> {
  const r = await runOnTerminal(args, env, { answers: answers.map((type) => ({ when: /\[y\/N\] /, type })) });
  expect(r.raw).not.toContain(SECRET);
  return r;
}

(HAS_SCRIPT ? describe : describe.skip)("mambu import on a terminal (util-linux script)", () => {
  it("shows the upload and asks; a bar while Mambu works; then asks whether to approve (no), or reject (yes)", async () => {
    const file = await clientsWorkbook("terminal.xlsx", "IT", ["Ruiz", "Mora", "Paz"]);
    const r = await onTerminal(["import", file, "--interval", "50"], ["y", "n", "y"]);
    const screen = r.raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/\r\n/g, "\n").replace(/\r/g, "\n");
    expect(r.code).toBe(0);
    expect(screen).toContain(`mambu will send:\n  POST ${recorder.url}/api/data/import\n  file terminal.xlsx (`);
    expect(screen).toContain("Proceed? [y/N] y");
    const key = /import ([0-9a-f]{32})/.exec(screen)![1];
    expect(screen).toMatch(new RegExp(`import ${key} {2}\\[[█░]{20}\\] {2}(QUEUED|IN_PROGRESS) {2}\\d+\\.\\ds`));
    expect(screen).toMatch(new RegExp(`import ${key} {2}\\[█{20}\\] {2}COMPLETE`));
    expect(screen).toMatch(new RegExp(`^import ${key}: COMPLETE \\(\\d+\\.\\ds\\)$`, "m"));
    expect(screen).toContain(`Approve import ${key}: keep everything it wrote? [y/N] n`);
    expect(screen).toContain("Reject it instead: revert everything it wrote? [y/N] y");
    expect(screen).toContain(`Import ${key} is COMPLETE and rejected: everything it wrote was reverted.`);
    expect(await statusOf("/clients/ITC1")).toBe(404);
  });

  it("answering no to the upload sends nothing", async () => {
    const file = await clientsWorkbook("no.xlsx", "IN", ["Ruiz"]);
    const before = recorder.writes().length;
    const r = await onTerminal(["import", file, "--approve"], ["n"]);
    expect(r.code).toBe(1);
    expect(r.raw).toContain("mambu: cancelled, nothing sent");
    expect(recorder.writes().length).toBe(before);
  });
});

describe("the progress display (lib/cli/progress.ts)", () => {
  /** A fake stderr and clock. */
  function fake(tty: boolean): { out: string[]; progress: StateProgress; at: (ms: number) => void } {
    const out: string[] = [];
    let now = 1_000;
    const progress = new StateProgress({ write: (t: string) => out.push(t), isTTY: tty }, { label: "import K", now: () => now, redrawMs: 0, barWidth: 8 });
    return { out, progress, at: (ms) => (now = 1_000 + ms) };
  }

  it("without a terminal: one plain line per change of state, with the time elapsed", () => {
    const { out, progress, at } = fake(false);
    progress.update({ state: "QUEUED" });
    at(1_000);
    progress.update({ state: "IN_PROGRESS", detail: "2 rows done" });
    at(2_000);
    progress.update({ state: "IN_PROGRESS", detail: "4 rows done" });
    at(65_400);
    progress.finish({ state: "COMPLETE", done: true });
    expect(out).toEqual(["import K: QUEUED (0.0s)\n", "import K: IN_PROGRESS, 2 rows done (1.0s)\n", "import K: COMPLETE (1m 05s)\n"]);
  });

  it("on a terminal: one line redrawn — a moving block while the size is unknown, full when done — then a plain last line", () => {
    const { out, progress, at } = fake(true);
    progress.update({ state: "QUEUED" });
    at(1_200);
    progress.update({ state: "IN_PROGRESS", fraction: 0.5 });
    at(2_000);
    progress.finish({ state: "COMPLETE", done: true });
    expect(out).toEqual([
      "\r\x1b[Kimport K  [████░░░░]  QUEUED  0.0s",
      "\r\x1b[Kimport K  [████░░░░]  IN_PROGRESS  1.2s",
      "\r\x1b[K",
      "import K: COMPLETE (2.0s)\n",
    ]);
    expect([renderBar(8, undefined, 1), renderBar(8, undefined, 4), renderBar(8, undefined, 5), renderBar(8, 1, 0)]).toEqual(["[░████░░░]", "[░░░░████]", "[░░░████░]", "[████████]"]);
    expect([formatElapsed(400), formatElapsed(59_940), formatElapsed(59_960), formatElapsed(3_600_000 + 180_000)]).toEqual(["0.4s", "59.9s", "1m 00s", "1h 03m"]);
  });

  it("Mambu's texts reach the terminal without control characters: an escape sequence echoed from a cell is shown, not run", () => {
    expect(printable("a\x1b[2Jb\r\nc\u009bd")).toBe("a?[2Jb??c?d");
    const table = importErrorsTable([{ sheet: "Clients", row: 2, column: { name: "lastName\x1b]0;owned\x07", index: 3 }, errorMessage: "bad \x1b[31mred" }]);
    expect(table).not.toMatch(/[\x07\x1b]/);
    expect(table.split("\n")[2]).toBe("Clients    2  lastName?]0;owned?  bad ?[31mred");
  });
});
