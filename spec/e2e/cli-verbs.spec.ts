/**
 * `mambu loan <verb>` and `mambu deposit <verb>`: the servicing verbs against the sandbox (the
 * commands run in this process as in a child — cli-helpers.ts runMain — through a recording proxy): what they send, exactly; what the
 * account becomes; the summary and the JSON they print; usage errors before any request.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { parseJsonExact, RawNumber } from "../../lib/core/json";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, runMain, runMambu, RunResult, tempHome } from "./cli-helpers";
import { Recorded, Recorder, startRecorder } from "./cli-recorder";
import { call } from "./sandbox-helpers";

jest.setTimeout(60_000);

const SECRET = "s3cret-Verbs-word";

let sandbox: Sandbox;
let recorder: Recorder;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-12-07T10:00:00+02:00" }, users: [{ username: "cli", password: SECRET }] });
  recorder = await startRecorder(sandbox.url);
  env = cleanEnv(tempHome(), { MAMBU_API_URL: recorder.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET });
}, 240_000);

afterAll(async () => {
  await recorder?.close();
  await sandbox?.stop();
});

type Bag = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs `mambu ...args`; no output ever holds the password. */
async function mambu(args: string[], input?: string): Promise<RunResult> {
  const r = input === undefined ? await runMain(args, env) : await runMambu(args, env, { input });
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

/** Runs `mambu ...args`, expecting exit 0; returns stdout. */
async function ok(...args: string[]): Promise<string> {
  const r = await mambu(args);
  if (r.code !== 0) throw new Error(`mambu ${args.join(" ")} exited ${r.code}\n${r.stderr}`);
  return r.stdout;
}

/** GET from the sandbox directly (not through the recorder), numbers kept exactly. */
async function get(path: string): Promise<Bag> {
  const a = await call(sandbox, "GET", path, { headers: { Authorization: `Basic ${Buffer.from(`cli:${SECRET}`).toString("base64")}` } });
  expect(a.status).toBe(200);
  return parseJsonExact(a.text) as Bag;
}

function dec(v: unknown): Decimal {
  return new Decimal(v instanceof RawNumber ? v.text : String(v));
}

/** What a loan owes: principal + interest + fees + penalty balances. */
function owed(loan: Bag): Decimal {
  const b = loan.balances;
  return dec(b.principalBalance).plus(dec(b.interestBalance)).plus(dec(b.feesBalance)).plus(dec(b.penaltyBalance));
}

/** The writes the recorder forwarded while `fn` ran. */
async function writesDuring(fn: () => Promise<unknown>): Promise<Recorded[]> {
  const from = recorder.requests.length;
  await fn();
  return recorder.requests.slice(from).filter((r) => r.method !== "GET");
}

function money(d: Decimal): string {
  return `${d.toFixed(2)} MXN`;
}

describe("mambu deposit", () => {
  function balance(d: Bag, which = "totalBalance"): Decimal {
    return dec(d.balances[which]);
  }

  it("deposit and withdraw move the balance by the exact amounts", async () => {
    const before = await get("/deposits/DEP001");
    const dep = await ok("deposit", "deposit", "DEP001", "250.75", "--notes", "cash", "--yes");
    const mid = await get("/deposits/DEP001");
    expect(balance(mid).minus(balance(before)).eq("250.75")).toBe(true);
    expect(dep.split("\n")[0]).toBe("Deposited 250.75 MXN into deposit DEP001.");
    expect(dep).toContain(`Deposit DEP001 is ACTIVE: balance ${money(balance(mid))}, available ${money(balance(mid, "availableBalance"))}`);
    const wd = await ok("deposit", "withdraw", "DEP001", "100.25", "--yes");
    const after = await get("/deposits/DEP001");
    expect(balance(mid).minus(balance(after)).eq("100.25")).toBe(true);
    expect(wd.split("\n")[0]).toBe("Withdrew 100.25 MXN from deposit DEP001.");
  });

  it("transfer --to moves money between deposits; --to-loan repays a loan", async () => {
    const [a, b] = [await get("/deposits/DEP001"), await get("/deposits/DEP002")];
    const out = await ok("deposit", "transfer", "DEP001", "500", "--to", "DEP002", "--yes");
    expect(out.split("\n")[0]).toBe("Transferred 500.00 MXN from deposit DEP001 to deposit DEP002.");
    expect(balance(a).minus(balance(await get("/deposits/DEP001"))).eq(500)).toBe(true);
    expect(balance(await get("/deposits/DEP002")).minus(balance(b)).eq(500)).toBe(true);

    const owedBefore = owed(await get("/loans/54321"));
    const r = await ok("deposit", "transfer", "DEP001", "40", "--to-loan", "54321", "--yes");
    expect(r.split("\n")[0]).toBe("Transferred 40.00 MXN from deposit DEP001 to loan 54321.");
    expect(owedBefore.minus(owed(await get("/loans/54321"))).eq(40)).toBe(true);
  });

  it("block lowers the available balance under a reference; unblock gives it back", async () => {
    const before = await get("/deposits/DEP001");
    const out = parseJsonExact(await ok("deposit", "block", "DEP001", "250", "--ref", "HOLD-1", "--notes", "court order", "--yes", "--json")) as Bag;
    expect(out.block.externalReferenceId).toBe("HOLD-1");
    expect(dec(out.block.amount).eq(250)).toBe(true);
    const blocked = await get("/deposits/DEP001");
    expect(balance(before, "availableBalance").minus(balance(blocked, "availableBalance")).eq(250)).toBe(true);
    expect(balance(blocked).eq(balance(before))).toBe(true);
    expect(dec(out.deposit.balances.availableBalance).eq(balance(blocked, "availableBalance"))).toBe(true);
    const un = await ok("deposit", "unblock", "DEP001", "--ref", "HOLD-1", "--yes");
    expect(un.split("\n")[0]).toBe("Unblocked reference HOLD-1 on deposit DEP001.");
    expect(balance(await get("/deposits/DEP001"), "availableBalance").eq(balance(before, "availableBalance"))).toBe(true);
  });

  it("Mambu's refusal exits 3 with its reason", async () => {
    const r = await mambu(["deposit", "withdraw", "DEP001", "99999999", "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Mambu error \d+ \(HTTP 400\): [A-Z_]+/);
  });
});

describe("mambu loan", () => {
  it("--help lists every verb on one line; <verb> --help shows the request it sends", async () => {
    const help = await ok("loan", "--help");
    for (const [verb, args] of [
      ["approve", "<loanId>"], ["disburse", "<loanId> [amount]"], ["repay", "<loanId> <amount>"], ["reschedule", "<loanId>"],
      ["refinance", "<loanId> [topUpAmount]"], ["payoff", "<loanId>"], ["writeoff", "<loanId>"], ["fee", "<loanId> [amount]"], ["schedule", "<loanId>"],
    ]) {
      expect(help).toMatch(new RegExp(`\\n  ${verb} ${args.replace(/[[\]]/g, "\\$&")} +[A-Z][^\\n]+\\n`));
    }
    const repay = await ok("loan", "repay", "--help");
    expect(repay).toContain("mambu loan repay <loanId> <amount> [--notes TEXT] [--date DATE] [--data JSON|@file|@-] [--yes]");
    expect(repay).toContain("Sends: POST /loans/<loanId>/repayment-transactions");
    expect(await ok("--help")).toMatch(/\n {2}loan <verb> <loanId> \[amount\] +Service a loan/);
  });

  it("usage errors say what to fix, exit 2 and send nothing", async () => {
    const cases: Array<[string[], string]> = [
      [["loan", "repay", "54321", "12,50", "--yes"], 'amount must be a number such as 1500 or 250.75 (digits, a dot for decimals, no sign or thousands separator), got "12,50"'],
      [["loan", "repay", "54321", "1e3", "--yes"], 'got "1e3"'],
      [["loan", "repay", "54321", "0.00", "--yes"], "amount must be more than 0, got 0.00"],
      [["loan", "repay", "54321", "--yes"], "loan repay needs the amount: mambu loan repay <loanId> <amount>"],
      [["loan", "rapay", "54321", "5", "--yes"], 'unknown verb "rapay" (did you mean repay?); verbs: approve, disburse, repay,'],
      [["loan"], "which verb? mambu loan <verb> <loanId>"],
      [["loan", "repay"], "which account? mambu loan repay <loanId> <amount>"],
      [["loan", "approve", "54323", "100", "--yes"], "too many arguments: 100 (mambu loan approve <loanId>)"],
      [["loan", "repay", "54321", "5", "--to", "DEP002", "--yes"], "unknown option --to"],
      [["deposit", "deposit", "DEP001", "5", "--ref", "R", "--yes"], "--ref does not apply to deposit deposit"],
      [["loan", "repay", "54321", "5", "--data", "{nope", "--yes"], "--data is not valid JSON"],
      [["loan", "repay", "54321", "5", "--data", "[1]", "--yes"], "--data must be a JSON object of body fields"],
      [["loan", "repay", "54321", "5", "--data", '{"amount":7}', "--yes"], '--data has "amount": give it as the amount argument instead'],
      [["loan", "repay", "54321", "5", "--date", "07/12/2026", "--yes"], '--date must be a date such as 2026-12-07 or a date-time such as 2026-12-07T10:00:00-06:00, got "07/12/2026"'],
      [["loan", "reschedule", "54322", "--yes"], "loan reschedule needs --data with the request body"],
      [["loan", "fee", "54321", "--yes"], "loan fee needs the amount, or a predefined fee"],
      [["loan", "schedule", "54321", "--yes"], "--yes does not apply to loan schedule (it only reads)"],
      [["loan", "repay", "54321", "5"], "loan repay writes (POST /loans/54321/repayment-transactions): add --yes to confirm (no terminal to ask on)"],
      [["loan", "repay", "54321", "5", "--data", "@/no/such/file.json", "--yes"], "--data @/no/such/file.json: cannot read /no/such/file.json (ENOENT)"],
      [["deposit", "transfer", "DEP001", "5", "--yes"], "deposit transfer needs exactly one destination: --to DEPOSIT_ID or --to-loan LOAN_ID"],
      [["deposit", "transfer", "DEP001", "5", "--to", "DEP002", "--to-loan", "54321", "--yes"], "needs exactly one destination"],
      [["deposit", "block", "DEP001", "5", "--yes"], "deposit block needs --ref REFERENCE"],
      [["deposit", "unblock", "DEP001", "--ref", "X"], "deposit unblock writes (DELETE /deposits/DEP001/blocks/X): add --yes to confirm"],
    ];
    const before = recorder.requests.length;
    for (const [args, message] of cases) {
      const r = await mambu(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(`Run "mambu ${args[0]} --help" for usage.`);
      expect(r.stdout).toBe("");
    }
    expect(recorder.requests.slice(before)).toEqual([]);
  });

  it("repay sends the exact amount and notes, and prints the transaction and the loan's new balances", async () => {
    const before = await get("/loans/54321");
    let out = "";
    const writes = await writesDuring(async () => (out = await ok("loan", "repay", "54321", "100.50", "--notes", "cash at CCAZ", "--yes")));
    expect(writes).toHaveLength(1);
    expect(writes[0].method).toBe("POST");
    expect(writes[0].path).toMatch(/^\/api\/loans\/[^/]+\/repayment-transactions$/);
    const body = parseJsonExact(writes[0].body) as Bag;
    expect(dec(body.amount).eq("100.50")).toBe(true);
    expect(body.notes).toBe("cash at CCAZ");
    const after = await get("/loans/54321");
    expect(owed(before).minus(owed(after)).eq("100.50")).toBe(true);
    const txs = (await get("/loans/54321/transactions")) as unknown as Bag[];
    const tx = txs.find((t) => t.notes === "cash at CCAZ")!;
    expect(tx.type).toBe("REPAYMENT");
    expect(out.split("\n")).toEqual([
      "Repaid 100.50 MXN on loan 54321.",
      expect.stringMatching(new RegExp(`^Transaction ${tx.id}: REPAYMENT of 100\\.50 MXN, value date 2026-12-07T`)),
      `Loan 54321 is ACTIVE: principal balance ${money(dec(after.balances.principalBalance))}` +
        (dec(after.balances.interestBalance).isZero() ? "" : `, interest balance ${money(dec(after.balances.interestBalance))}`),
      "",
    ]);
  });

  it("--json prints the transaction and the loan as Mambu sent them; --date and --data @- go into the body", async () => {
    const r = await mambu(["loan", "repay", "54321", "0.30", "--date", "2026-12-07", "--data", "@-", "--yes", "--json"], '{"externalId":"CLI-R-1"}');
    expect(r.code).toBe(0);
    const out = parseJsonExact(r.stdout) as Bag;
    expect(out.transaction.type).toBe("REPAYMENT");
    expect(dec(out.transaction.amount).eq("0.30")).toBe(true);
    expect(out.transaction.externalId).toBe("CLI-R-1");
    expect(out.transaction.valueDate).toMatch(/^2026-12-07T00:00:00\+02:00$/);
    const loan = await get("/loans/54321");
    expect(out.loan.id).toBe("54321");
    expect(owed(out.loan).eq(owed(loan))).toBe(true);
    const txs = (await get("/loans/54321/transactions")) as unknown as Bag[];
    expect(txs.filter((t) => t.externalId === "CLI-R-1")).toHaveLength(1);
  });

  it("fee applies the exact amount (--data @file for more fields)", async () => {
    const before = await get("/loans/54321");
    const file = join(tempHome(), "fee.json");
    writeFileSync(file, '{"externalId":"CLI-FEE-1"}');
    const out = await ok("loan", "fee", "54321", "25.05", "--notes", "visit", "--data", `@${file}`, "--yes");
    expect(out).toMatch(/^Applied a fee of 25\.05 MXN on loan 54321\.\nTransaction \S+: FEE_APPLIED of 25\.05 MXN/);
    const after = await get("/loans/54321");
    expect(dec(after.balances.feesBalance).minus(dec(before.balances.feesBalance)).eq("25.05")).toBe(true);
    expect(out).toContain(`fees balance ${money(dec(after.balances.feesBalance))}`);
  });

  it("schedule prints what mambu schedule prints", async () => {
    const verb = await ok("loan", "schedule", "54321");
    expect(verb).toBe(await ok("schedule", "54321"));
    expect(verb).toMatch(/^number +dueDate +state +principal/);
    const json = parseJsonExact(await ok("loan", "schedule", "54321", "--json")) as Bag[];
    expect(json.length).toBe(6);
  });

  it("approve, then disburse: the loan's state and balance follow", async () => {
    const approved = await ok("loan", "approve", "54323", "--notes", "committee", "--yes");
    expect(approved).toBe("Loan 54323 approved (PENDING_APPROVAL → APPROVED).\nLoan 54323 is APPROVED: principal balance 0.00 MXN\n");
    expect((await get("/loans/54323")).accountState).toBe("APPROVED");
    const out = await ok("loan", "disburse", "54323", "--notes", "cash", "--yes");
    const loan = await get("/loans/54323");
    expect(loan.accountState).toBe("ACTIVE");
    expect(dec(loan.balances.principalBalance).eq(dec(loan.loanAmount))).toBe(true);
    expect(out).toMatch(/^Disbursed 3000\.00 MXN on loan 54323\.\nTransaction \S+: DISBURSEMENT of 3000\.00 MXN, value date 2026-12-07T/);
    expect(out).toContain("Loan 54323 is ACTIVE: principal balance 3000.00 MXN");
  });

  it("writeoff closes the loan as written off", async () => {
    const out = await ok("loan", "writeoff", "54323", "--notes", "uncollectable", "--yes");
    expect(out).toMatch(/^Loan 54323 written off \(ACTIVE → CLOSED_WRITTEN_OFF\)\.\n/);
    expect((await get("/loans/54323")).accountState).toBe("CLOSED_WRITTEN_OFF");
  });

  it("reschedule opens a new loan with the terms of --data and closes the old one", async () => {
    const data = '{"loanAccount":{"disbursementDetails":{"firstRepaymentDate":"2027-01-15"},"scheduleSettings":{"repaymentInstallments":18}}}';
    const out = parseJsonExact(await ok("loan", "reschedule", "54322", "--data", data, "--yes", "--json")) as Bag;
    const created = await get(`/loans/${out.loan.id}`);
    expect(created.scheduleSettings.repaymentInstallments).toBe(18);
    const old = await get("/loans/54322");
    expect([old.accountState, old.accountSubState]).toEqual(["CLOSED", "RESCHEDULED"]);
    expect(out.originalLoan).toMatchObject({ id: "54322", accountState: "CLOSED", accountSubState: "RESCHEDULED" });
    const moved = ((await get("/loans/54322/transactions")) as unknown as Bag[]).find((t) => t.type === "TRANSFER")!;
    expect(dec(created.loanAmount).eq(dec(moved.amount).abs())).toBe(true);
  });

  it("refinance adds the top-up amount to the new loan", async () => {
    const data = '{"loanAccount":{"disbursementDetails":{"firstRepaymentDate":"2027-01-20"}}}';
    const out = await ok("loan", "refinance", "54326", "2000", "--data", data, "--yes");
    const m = /^Loan 54326 refinanced into loan (\S+); loan 54326 is now CLOSED \(REFINANCED\)\.\n/.exec(out);
    expect(m).not.toBeNull();
    const created = await get(`/loans/${m![1]}`);
    // What the old loan owed moved over (its TRANSFER), and the top-up came on top.
    const moved = ((await get("/loans/54326/transactions")) as unknown as Bag[]).find((t) => t.type === "TRANSFER")!;
    expect(dec(created.loanAmount).eq(dec(moved.amount).abs().plus(2000))).toBe(true);
    expect(out).toContain(`Loan ${created.id} is ACTIVE: principal balance ${money(dec(created.balances.principalBalance))}`);
  });

  it("payoff closes the loan", async () => {
    const out = await ok("loan", "payoff", "54321", "--notes", "paid in full", "--yes");
    expect(out).toMatch(/^Loan 54321 paid off \(ACTIVE → CLOSED\)\.\nLoan 54321 is CLOSED/);
    const loan = await get("/loans/54321");
    expect(loan.accountState).toBe("CLOSED");
    expect(owed(loan).isZero()).toBe(true);
  });
});
