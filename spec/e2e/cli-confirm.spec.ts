/**
 * Confirmation of writes, for real: `mambu` runs under a pseudo-terminal (util-linux `script`), its
 * question answered through the terminal. A no sends nothing (the sandbox is unchanged, the
 * recording proxy saw no write); a yes sends exactly what was shown. Without a terminal — stdout
 * redirected, a pipe, `--data @-` — a write needs --yes. `--data @-` is bounded.
 */
import { join } from "node:path";
import { parseJsonExact } from "../../lib/core/json";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, HAS_SCRIPT, runMambu, RunResult, runOnTerminal, tempHome, TerminalResult } from "./cli-helpers";
import { Recorder, startRecorder } from "./cli-recorder";
import { call } from "./sandbox-helpers";

jest.setTimeout(60_000);

const SECRET = "s3cret-Confirm-word";

let sandbox: Sandbox;
let recorder: Recorder;
let env: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-12-07T10:00:00+02:00" }, users: [{ username: "cli", password: SECRET }] });
  recorder = await startRecorder(sandbox.url);
  home = tempHome();
  env = cleanEnv(home, { MAMBU_API_URL: recorder.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET, SHELL: "/bin/sh" });
}, 240_000);

afterAll(async () => {
  await recorder?.close();
  await sandbox?.stop();
});

type Bag = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function get(path: string): Promise<unknown> {
  const a = await call(sandbox, "GET", path, { headers: { Authorization: `Basic ${Buffer.from(`cli:${SECRET}`).toString("base64")}` } });
  expect(a.status).toBe(200);
  return parseJsonExact(a.text);
}

/**
 * Runs `node bin/mambu ...args` on a pseudo-terminal, typing `answer` (a line) into it; `redirect` is appended
 * to the shell command (e.g. `> file`). The screen never holds the password.
 */
async function onTerminal(args: string[], answer: string, redirect = ""): Promise<TerminalResult> {
  const r = await runOnTerminal(args, env, { answer, redirect });
  expect(r.screen).not.toContain(SECRET);
  return r;
}

async function mambu(args: string[], input?: string): Promise<RunResult> {
  const r = await runMambu(args, env, { input });
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

async function loanTransactions(id: string): Promise<Bag[]> {
  return (await get(`/loans/${id}/transactions`)) as Bag[];
}

const describeTerminal = HAS_SCRIPT ? describe : describe.skip;

describeTerminal("on a terminal (util-linux script)", () => {
  it('answering "n" shows the request and sends nothing', async () => {
    const before = await loanTransactions("54321");
    const writes = recorder.writes().length;
    const r = await onTerminal(["loan", "repay", "54321", "100.50", "--notes", "on the phone"], "n");
    expect(r.code).toBe(1);
    expect(r.screen).toMatch(new RegExp(`mambu will send:\\n {2}POST ${recorder.url.replace(/[.]/g, "\\.")}/api/loans/[0-9a-f]+/repayment-transactions\\n {2}\\{\\n {4}"amount": 100\\.5,\\n {4}"notes": "on the phone"\\n {2}\\}\\nProceed\\? \\[y/N\\] n\\n`));
    expect(r.screen).toContain("mambu: cancelled, nothing sent");
    expect(recorder.writes().length).toBe(writes);
    expect(await loanTransactions("54321")).toEqual(before);
  });

  it("the request shown holds the amount exactly as typed (no float on the way)", async () => {
    const r = await onTerminal(["deposit", "deposit", "DEP001", "90071992547409.93"], "no");
    expect(r.code).toBe(1);
    expect(r.screen).toContain('"amount": 90071992547409.93');
  });

  it('answering "y" sends it, once, and prints the result', async () => {
    const before = await loanTransactions("54321");
    const writes = recorder.writes().length;
    const r = await onTerminal(["loan", "repay", "54321", "100.50", "--notes", "on the phone"], "y");
    expect(r.code).toBe(0);
    expect(r.screen).toContain("Repaid 100.50 MXN on loan 54321.");
    expect(recorder.writes().length).toBe(writes + 1);
    const after = await loanTransactions("54321");
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((t) => t.notes === "on the phone").map((t) => [t.type, String(t.amount)])).toEqual([["REPAYMENT", "100.5"]]);
  });

  it("mambu call asks the same way: no creates nothing, YES creates the client", async () => {
    const count = async (): Promise<number> => ((await get("/clients?limit=1000")) as Bag[]).length;
    const before = await count();
    const data = '{"firstName":"Ada","lastName":"Lovelace"}';
    const no = await onTerminal(["call", "clients.create", "--data", data], "");
    expect(no.code).toBe(1);
    expect(no.screen).toContain(`POST ${recorder.url}/api/clients\n  {\n    "firstName": "Ada",\n    "lastName": "Lovelace"\n  }\nProceed? [y/N]`);
    expect(await count()).toBe(before);
    const yes = await onTerminal(["call", "clients.create", "--data", data], "YES");
    expect(yes.code).toBe(0);
    expect(await count()).toBe(before + 1);
  });

  it("reads ask nothing; --yes asks nothing", async () => {
    const read = await onTerminal(["loan", "schedule", "54321"], "n");
    expect(read.code).toBe(0);
    expect(read.screen).not.toContain("Proceed?");
    const writes = recorder.writes().length;
    const sure = await onTerminal(["deposit", "deposit", "DEP001", "10", "--yes"], "n");
    expect(sure.code).toBe(0);
    expect(sure.screen).not.toContain("Proceed?");
    expect(sure.screen).toContain("Deposited 10.00 MXN into deposit DEP001.");
    expect(recorder.writes().length).toBe(writes + 1);
  });

  it("stdout redirected is no terminal: a write needs --yes, and nothing is sent", async () => {
    const writes = recorder.writes().length;
    const out = join(home, "out.txt");
    const r = await onTerminal(["loan", "repay", "54321", "5"], "y", `> ${out}`);
    expect(r.code).toBe(2);
    expect(r.screen).toContain("mambu: loan repay writes (POST /loans/54321/repayment-transactions): add --yes to confirm (no terminal to ask on)");
    expect(r.screen).not.toContain("Proceed?");
    expect(recorder.writes().length).toBe(writes);
  });

  it("--data @- on a terminal needs --yes (stdin cannot give the body and the answer)", async () => {
    const r = await onTerminal(["call", "clients.create", "--data", "@-"], "y");
    expect(r.code).toBe(2);
    expect(r.screen).toContain('clients.create writes (POST /clients) and --data @- takes stdin, which then cannot answer "Proceed?": add --yes to confirm');
    const verb = await onTerminal(["loan", "repay", "54321", "5", "--data", "@-"], "y");
    expect(verb.code).toBe(2);
    expect(verb.screen).toContain('loan repay writes (POST /loans/54321/repayment-transactions) and --data @- takes stdin, which then cannot answer "Proceed?"');
  });
});

describe("--data @- (stdin)", () => {
  it("is the body of mambu call, with --yes", async () => {
    const r = await mambu(["call", "clients.create", "--data", "@-", "--yes"], '{"firstName":"Grace","lastName":"Hopper"}');
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout) as { id: string };
    expect(((await get(`/clients/${created.id}`)) as Bag).lastName).toBe("Hopper");
  });

  it("without --yes is a usage error that sends nothing", async () => {
    const writes = recorder.writes().length;
    const r = await mambu(["deposit", "deposit", "DEP001", "5", "--data", "@-"], "{}");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deposit deposit writes (POST /deposits/DEP001/deposit-transactions) and --data @- takes stdin');
    expect(recorder.writes().length).toBe(writes);
  });

  it("refuses more than 10 MiB, before anything is sent", async () => {
    const requests = recorder.requests.length;
    const big = `{"notes":"${"x".repeat(10 * 1024 * 1024)}"}`;
    const r = await mambu(["loan", "repay", "54321", "5", "--data", "@-", "--yes"], big);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mambu: --data @-: more than 10 MiB (the limit of a request body read by mambu); send a smaller body");
    expect(recorder.requests.length).toBe(requests);
  });
});
