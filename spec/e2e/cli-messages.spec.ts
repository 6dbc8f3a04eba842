/**
 * `mambu messages list|resend` against the sandbox (run in this process as in a child: cli-helpers.ts runMain, through a recording
 * proxy): the communication log as a table with destinations masked unless --show-personal, filtered by --failed,
 * --client, --since and --type; the resend of failed messages by key or with --failed, which needs --yes without a
 * terminal (nothing is sent otherwise) and asks "Resend N messages? [y/N]" on one; usage errors before any request.
 */
import { MambuClient, MambuCommunicationMessage, MambuConnector, MambuLoan } from "../../lib";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { buildDist, cleanEnv, HAS_SCRIPT, runMain, runOnTerminal, RunResult, tempHome, TerminalResult } from "./cli-helpers";
import { Recorder, startRecorder } from "./cli-recorder";

jest.setTimeout(60_000);

const SECRET = "s3cret-Messages-word";

let sandbox: Sandbox;
let recorder: Recorder;
let env: NodeJS.ProcessEnv;
let conn: MambuConnector;
let josefa: MambuClient;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-12-07T10:00:00+02:00" }, users: [{ username: "cli", password: SECRET }] });
  recorder = await startRecorder(sandbox.url);
  env = cleanEnv(tempHome(), { MAMBU_API_URL: recorder.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET, SHELL: "/bin/sh" });
  conn = demoConnector(sandbox, { apiuser: "cli", apipwd: SECRET });
  josefa = await MambuClient.get("0512N0025", { connector: conn });
}, 240_000);

afterAll(async () => {
  conn?.close();
  await recorder?.close();
  await sandbox?.stop();
});

/** Runs `mambu ...args`; no output ever holds the password. */
async function mambu(...args: string[]): Promise<RunResult> {
  const r = await runMain(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

/** Runs `mambu ...args`, expecting exit 0; returns stdout. */
async function ok(...args: string[]): Promise<string> {
  const r = await mambu(...args);
  if (r.code !== 0) throw new Error(`mambu ${args.join(" ")} exited ${r.code}\n${r.stderr}`);
  return r.stdout;
}

/** A repayment of loan 54321 while the SMS gateway refuses everything: its FAILED message. */
async function failedRepaymentMessage(amount: number): Promise<MambuCommunicationMessage> {
  sandbox.communications.set({ failureRate: 1 });
  try {
    const tx = await (await MambuLoan.get("54321", { connector: conn })).repay(amount);
    const [m] = await MambuCommunicationMessage.search({
      filterCriteria: [{ field: "clientKey", operator: "EQUALS", value: josefa.encodedKey! }, { field: "state", operator: "EQUALS", value: "FAILED" }],
      connector: conn,
    }).then((all) => all.filter((x) => x.repaymentKey === tx.encodedKey));
    expect(m.state).toBe("FAILED");
    return m;
  } finally {
    sandbox.communications.set({ failureRate: 0 });
  }
}

describe("mambu messages list", () => {
  it("prints the client's messages as a table, destinations masked and bodies left out", async () => {
    const out = await ok("messages", "list", "--client", "0512N0025");
    const lines = out.trimEnd().split("\n");
    expect(lines[0].split(/\s{2,}/)).toEqual(["encodedKey", "creationDate", "type", "event", "state", "destination", "failureReason", "numRetries"]);
    expect(out).toContain("LOAN_DISBURSEMENT");
    expect(out).toContain("LOAN_REPAYMENT");
    expect(out).toContain("55•••••5678");
    expect(out).toContain("j•••@demo.invalid");
    expect(out).not.toContain(String(josefa.mobilePhone));
    expect(out).not.toContain(String(josefa.emailAddress));
    expect(out).not.toContain("Financiera Demo");
    const keys = (await MambuCommunicationMessage.search({ filterCriteria: [{ field: "clientKey", operator: "EQUALS", value: josefa.encodedKey! }], connector: conn })).map((m) => m.encodedKey);
    expect(lines.length - 2).toBe(keys.length);
    for (const k of keys) expect(out).toContain(k!);
  });

  it("JSON is masked the same way; --show-personal shows what Mambu has", async () => {
    const masked = JSON.parse(await ok("messages", "list", "--client", "0512N0025", "--json")) as Array<Record<string, string>>;
    expect(masked.length).toBeGreaterThan(1);
    for (const m of masked) {
      expect(m.destination).toBe(m.type === "SMS" ? "55•••••5678" : "j•••@demo.invalid");
      expect(m.body).toMatch(/^\(\d+ characters\)$/);
    }
    expect(new Set(masked.map((m) => m.type))).toEqual(new Set(["SMS", "EMAIL"])); // loan SMS, deposit e-mails
    const full = JSON.parse(await ok("messages", "list", "--client", "0512N0025", "--json", "--show-personal")) as Array<Record<string, string>>;
    expect(full.map((m) => m.encodedKey)).toEqual(masked.map((m) => m.encodedKey));
    expect(full.map((m) => m.destination)).toEqual(full.map((m) => (m.type === "SMS" ? josefa.mobilePhone : josefa.emailAddress)));
    expect(full[0].body).toContain("Financiera Demo AZ");
  });

  it("--failed, --type and --since narrow the search (sent as the contract's criteria)", async () => {
    const from = recorder.requests.length;
    const failed = JSON.parse(await ok("messages", "list", "--failed", "--type", "sms", "--since", "2026-01-01", "--jsonl").then((s) => `[${s.trim().split("\n").join(",")}]`)) as Array<Record<string, string>>;
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((m) => `${m.state} ${m.type}`))).toEqual(new Set(["FAILED SMS"]));
    const search = recorder.requests.slice(from).find((r) => r.path.startsWith("/api/communications/messages:search"))!;
    expect(JSON.parse(search.body)).toEqual([
      { field: "state", operator: "EQUALS", value: "FAILED" },
      { field: "creationDate", operator: "AFTER", value: "2025-12-31" },
      { field: "type", operator: "EQUALS", value: "SMS" },
    ]);
    expect(await ok("messages", "list", "--since", "2099-01-01")).toBe("(no messages)\n");
  });
});

describe("mambu messages resend", () => {
  it("without a terminal and without --yes sends nothing (not even the search) and says to add --yes", async () => {
    const from = recorder.requests.length;
    const r = await mambu("messages", "resend", "--failed", "--client", "0512N0025");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("add --yes to confirm");
    expect(recorder.requests.length).toBe(from);
  });

  it("--failed --yes resends the client's failed messages since a day, and says how many", async () => {
    const m = await failedRepaymentMessage(40);
    const out = await ok("messages", "resend", "--failed", "--client", "0512N0025", "--since", sandbox.clock.today(), "--yes");
    expect(out).toBe("Resent 1 message.\n");
    expect([(await m.refresh()).state, m.numRetries]).toEqual(["SENT", 1]);
    expect(await ok("messages", "resend", "--failed", "--client", "0512N0025", "--yes")).toBe("No failed messages to resend.\n");
  });

  it("by key, with --json; a message that is not FAILED is Mambu's refusal (exit 3)", async () => {
    const m = await failedRepaymentMessage(30);
    const out = JSON.parse(await ok("messages", "resend", m.encodedKey!, m.encodedKey!, "--yes", "--json")) as unknown;
    expect(out).toEqual({ resent: 1, messages: [m.encodedKey] });
    const again = await mambu("messages", "resend", m.encodedKey!, "--yes");
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("MESSAGE_STATE_MUST_BE_FAILED");
  });

  it("refuses mistakes before any request", async () => {
    const from = recorder.requests.length;
    const cases: Array<[string[], string]> = [
      [["messages", "resend", "--yes"], "which messages?"],
      [["messages", "resend", "abc", "--failed", "--yes"], "not both"],
      [["messages", "resend", "abc", "--since", "2026-01-01", "--yes"], "--since applies to resend --failed only"],
      [["messages", "list", "--yes"], "--yes does not apply to messages list"],
      [["messages", "list", "--type", "FAX"], "--type FAX: expected one of EMAIL, SMS, WEB_HOOK"],
      [["messages", "list", "--since", "yesterday"], "--date must be a date"],
      [["messages", "frob"], 'unknown action "frob"'],
    ];
    for (const [args, text] of cases) {
      const r = await mambu(...args);
      expect([args.join(" "), r.code]).toEqual([args.join(" "), 2]);
      expect(r.stderr).toContain(text);
    }
    expect(recorder.requests.length).toBe(from);
  });
});

/** Runs `mambu ...args` on a pseudo-terminal, typing `answer`; what the terminal showed and the exit code. */
function onTerminal(args: string[], answer: string): Promise<TerminalResult> {
  return runOnTerminal(args, env, { answer });
}

(HAS_SCRIPT ? describe : describe.skip)("mambu messages resend on a terminal (util-linux script)", () => {
  it('asks "Resend 1 message that failed? [y/N]": n sends nothing, y resends it', async () => {
    const m = await failedRepaymentMessage(20);
    const resends = (): number => recorder.requests.filter((r) => r.path.startsWith("/api/communications/messages:resend")).length;
    const writes = resends();
    const no = await onTerminal(["messages", "resend", "--failed", "--client", "0512N0025"], "n");
    expect(no.code).toBe(1);
    expect(no.screen).toContain("Resend 1 message that failed? [y/N] n");
    expect(no.screen).toContain("mambu: cancelled, nothing sent");
    expect(resends()).toBe(writes);
    expect((await m.refresh()).state).toBe("FAILED");
    const yes = await onTerminal(["messages", "resend", "--failed", "--client", "0512N0025"], "y");
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain("Resent 1 message.");
    expect(resends()).toBe(writes + 1);
    expect((await m.refresh()).state).toBe("SENT");
  });
});
