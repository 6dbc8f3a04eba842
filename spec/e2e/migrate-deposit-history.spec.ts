/**
 * The deposit accounts' history: a `depositTransactions` source posts each account's deposits and
 * withdrawals after its opening deposit, in value-date order, tagged with `mig-` externalIds; a rerun
 * posts nothing; a run killed after the tenant wrote but before the journal did resumes without a
 * second transaction (even with the tenant's idempotency cache gone); the counts, sums and final
 * balances reconcile; a bad row is refused at its cell before anything is sent; the onboarding pack
 * counts the steps as a real run sends them and labels a standalone account's requests as its own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import type { Sandbox } from "../../lib/sandbox";
import { balanceOf, demoTarget, DEPOSIT_MAPPING, DEPOSIT_TRANSACTION_MAPPING, depositsMatching, depositTransactionsMatching, depositTransactionsOf, editPlan, freshWorkdir, packOf, quiet, resumeAfterKill, runBothFlows, sandboxPerSuite, silent, startSandboxes, withSandbox } from "./migrate-book-helpers";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(180_000);

const DEPOSITS = [
  "deposit_id,holder_id,product,currency,opening_balance,opening_date,remark",
  "MIG-D0001,MIG-C0001,SAVINGS,MXN,1500.00,2025-01-15,",
  "MIG-D0002,MIG-C0002,SAVINGS,MXN,0,,",
  "MIG-D0003,MIG-C0003,SAVINGS,MXN,250.55,2025-02-01,",
].join("\n");

// out of date order in the file: the withdrawal of 1600.00 is possible only after the deposits before it
const HISTORY = [
  "deposit_id,kind,amount,value_date,memo,tx_ref",
  "MIG-D0001,WITHDRAWAL,1600.00,2025-02-10,Paid the rent of Calle Luna 5,",
  "MIG-D0001,DEPOSIT,200.00,2025-02-01,Salary of Ana Ruiz,",
  "MIG-D0001,DEPOSIT,200.00,2025-02-01,,",
  "MIG-D0002,DEPOSIT,75.25,2025-03-05,,LEGACY-77",
  "MIG-D0003,withdrawal,50.55,2025-02-15,,",
].join("\n");

/** A copy of the example's first 5 clients with savings accounts and their history. */
function planWithHistory(history = HISTORY, deposits = DEPOSITS): string {
  const dir = subsetExample(5);
  writeFileSync(join(dir, "deposits.csv"), `${deposits}\n`);
  writeFileSync(join(dir, "deposit-history.csv"), `${history}\n`);
  return editPlan(dir, { sources: { deposits: "deposits.csv", depositTransactions: "deposit-history.csv" }, mapping: [...DEPOSIT_MAPPING, ...DEPOSIT_TRANSACTION_MAPPING, "    notes: memo", "    externalId: tx_ref"] });
}

const accounts = (sb: Sandbox) => depositsMatching(sb, /^MIG-D/);
const transactionsOf = depositTransactionsOf;
const allTransactions = (sb: Sandbox) => depositTransactionsMatching(sb, /^MIG-D/);
/** Deposit transactions posted twice: the same account and externalId. */
const twice = (sb: Sandbox): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of allTransactions(sb)) {
    const k = `${String(t.parentAccountKey)}/${String(t.externalId)}`;
    if (seen.has(k)) out.push(k);
    seen.add(k);
  }
  return out;
};

describe("deposits and withdrawals of the deposit accounts", () => {
  const sb = sandboxPerSuite();
  const tmp = mkdtempSync(join(tmpdir(), "mig-dep-hist-"));
  const plan = planWithHistory();
  const target = () => demoTarget(sb);

  it("posts them after the opening in value-date order, tagged, and reconciles counts, sums and balances", async () => {
    const r = await runMigration(plan, { ...quiet, ...target(), workdir: join(tmp, "first"), reconcile: true });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.rows).toMatchObject({ deposits: 3, depositTransactions: 5 });
    expect(r.summary?.byStep).toMatchObject({ deposit: { created: 3 }, opening: { created: 2 }, depositTransaction: { created: 5, adopted: 0, journal: 0 } });
    // a first run looks nothing up: one request per write
    expect(r.summary?.requests).toBe(r.summary?.writes);
    const d1 = transactionsOf(sb, "MIG-D0001").sort((a, b) => Number(a.id) - Number(b.id));
    expect(d1.map((t) => [t.type, String(t.amount), String(t.valueDate).slice(0, 10)])).toEqual([
      ["DEPOSIT", "1500", "2025-01-15"],
      ["DEPOSIT", "200", "2025-02-01"],
      ["DEPOSIT", "200", "2025-02-01"],
      ["WITHDRAWAL", "-1600", "2025-02-10"],
    ]);
    for (const t of d1) expect(String(t.externalId)).toMatch(/^mig-[0-9a-f]{20}$/);
    expect(new Set(d1.map((t) => t.externalId)).size).toBe(4);
    expect(d1[1].notes).toBe("Salary of Ana Ruiz");
    expect(balanceOf(sb, "MIG-D0001")).toBe("300");
    // the source's externalId is kept; an account opened at zero takes its first deposit
    expect(transactionsOf(sb, "MIG-D0002").map((t) => [t.type, t.externalId])).toEqual([["DEPOSIT", "LEGACY-77"]]);
    expect(balanceOf(sb, "MIG-D0002")).toBe("75.25");
    expect(balanceOf(sb, "MIG-D0003")).toBe("200");
    const rec = r.reconciliation!;
    expect(rec.equal).toBe(true);
    expect(rec.totals.source.depositedCount.toString()).toBe("3");
    expect(rec.totals.tenant.depositedCount.toString()).toBe("3");
    expect(rec.totals.tenant.deposited.toFixed(2)).toBe("475.25");
    expect(rec.totals.tenant.withdrawnCount.toString()).toBe("2");
    expect(rec.totals.tenant.withdrawn.toFixed(2)).toBe("1650.55");
    expect(rec.totals.source.depositBalance.toFixed(2)).toBe("575.25");
    expect(rec.totals.tenant.depositBalance.toFixed(2)).toBe("575.25");
    // the journal holds ids and steps, never the notes
    const journal = readFileSync(join(tmp, "first", "journal.jsonl"), "utf8");
    expect(journal).toContain('"step":"depositTransaction"');
    expect(journal).not.toMatch(/Ana Ruiz|Calle Luna/);
  });

  it("posts nothing on a rerun (a new journal: the accounts' transactions are looked up once each)", async () => {
    const before = allTransactions(sb).length;
    const r = await runMigration(plan, { ...quiet, ...target(), workdir: join(tmp, "rerun"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.writes).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ depositTransaction: { created: 0, adopted: 5 } });
    expect(allTransactions(sb)).toHaveLength(before);
    expect(twice(sb)).toEqual([]);
    expect(r.reconciliation?.equal).toBe(true);
  });

  it("reconcile tells a withdrawal missing from the tenant (its count, its sum and the balance)", async () => {
    const d3 = sb.store.find("deposits", "MIG-D0003")!;
    const w = transactionsOf(sb, "MIG-D0003").find((t) => t.type === "WITHDRAWAL")!;
    // reversed in the tenant after the migration
    const res = await fetch(`${sb.url}/api/deposits/transactions/${String(w.encodedKey)}:adjust`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`, Accept: "application/vnd.mambu.v2+json", "Content-Type": "application/json" },
      body: JSON.stringify({ notes: "reversed" }),
    });
    expect(res.status).toBeLessThan(300);
    const r = await runMigration(plan, { ...quiet, ...target(), workdir: join(tmp, "first"), resume: true, reconcile: true });
    const differing = r.reconciliation!.units.filter((u) => u.differences.length);
    expect(differing.map((u) => [u.unit, u.differences])).toEqual([["client:MIG-C0003", ["depositBalance", "withdrawn", "withdrawnCount"]]]);
    expect(differing[0].tenant.depositBalance.toFixed(2)).toBe("250.55");
    expect(String(d3.id)).toBe("MIG-D0003");
  });
});

it("resumes a run killed after the tenant wrote but before the journal did, without a second transaction", async () => {
  let txs = 0;
  // the kill: the journal lost what it wrote from the second deposit transaction on (the tenant has it all)
  const kill = {
    prefix: "mig-dep-hist-kill-",
    lostFrom: (l: string, i: number, lines: string[]) => /"step":"depositTransaction"/.test(l) && lines.slice(0, i).some((x) => /"step":"depositTransaction"/.test(x)),
    afterFirst: (sb: Sandbox) => (txs = allTransactions(sb).length),
  };
  await resumeAfterKill(planWithHistory(), kill, (resumed, sb) => {
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.writes).toBe(0);
    expect(resumed.summary?.byStep.depositTransaction).toMatchObject({ created: 0, journal: 1, adopted: 4 });
    expect(allTransactions(sb)).toHaveLength(txs);
    expect(twice(sb)).toEqual([]);
    expect(duplicates(sb)).toEqual([]);
    expect(resumed.reconciliation?.equal).toBe(true);
  });
});

describe("validation of the deposit transactions' rows", () => {
  const bad = [
    "deposit_id,kind,amount,value_date,memo,tx_ref",
    "MIG-D0009,DEPOSIT,10.00,2025-02-01,,", // 2: not an account of the plan
    "MIG-D0001,DEPOSIT,0,2025-02-01,,", // 3: zero
    "MIG-D0001,DEPOSIT,-5.00,2025-02-01,,", // 4: negative
    "MIG-D0001,DEPOSIT,10.001,2025-02-01,,", // 5: too many decimals
    "MIG-D0001,DEPOSIT,10.00,2025-01-14,,", // 6: before the opening
    "MIG-D0001,DEPOSIT,10.00,2999-01-01,,", // 7: in the future
    "MIG-D0001,TRANSFER,10.00,2025-02-01,,", // 8: unknown type
    "MIG-D0003,WITHDRAWAL,250.56,2025-02-15,,", // 9: below zero
    "MIG-D0001,DEPOSIT,10.00,2025-02-01,,T-1", // 10
    "MIG-D0001,DEPOSIT,11.00,2025-02-02,,T-1", // 11: the same externalId
    "MIG-D0001,DEPOSIT,10.00,,,", // 12: no date
  ].join("\n");

  it("refuses the plan with every bad cell located, sending nothing", async () => {
    await withSandbox(async (sb) => {
      const r = await runMigration(planWithHistory(bad), {
        ...quiet,
        stderr: silent,
        ...demoTarget(sb),
        workdir: freshWorkdir("mig-dep-hist-bad-"),
      });
      expect(r.exitCode).toBe(2);
      const messages = r.problems.filter((p) => p.file.endsWith("deposit-history.csv")).map((p) => `${p.line}:${p.column} ${p.columnName ?? ""}: ${p.message}`);
      expect(messages).toEqual([
        '2:1 deposit_id: deposit account "MIG-D0009" is not in the plan\'s deposits',
        '3:3 amount: amount: the amount must be positive, got "0"',
        '4:3 amount: amount: the amount must be positive, got "-5.00"',
        expect.stringMatching(/^5:3 amount: amount: .*more than 2 decimals/),
        "6:4 value_date: valueDate 2025-01-14 is before the opening deposit of MIG-D0001 (2025-01-15)",
        "7:4 value_date: valueDate 2999-01-01 is in the future",
        '8:2 kind: type: expected DEPOSIT or WITHDRAWAL, got "TRANSFER"',
        "9:3 amount: the withdrawal of 250.56 on 2025-02-15 takes deposit account MIG-D0003 below zero (-0.01)",
        '11:6 tx_ref: externalId "T-1" appears twice on deposit account MIG-D0001',
        "12:4 value_date: valueDate: is required (the date the transaction happened)",
      ]);
      expect(accounts(sb)).toHaveLength(0);
      expect(sb.store.all("clients").filter((c) => String(c.id).startsWith("MIG-"))).toHaveLength(0);
    });
  });

  it("with --skip-invalid leaves out the holder of a bad transaction, with its account, and migrates the others", async () => {
    await withSandbox(async (sb) => {
      const rows = ["deposit_id,kind,amount,value_date,memo,tx_ref", "MIG-D0001,DEPOSIT,10.00,2025-02-01,,", "MIG-D0003,DEPOSIT,0,2025-02-01,,"].join("\n");
      const r = await runMigration(planWithHistory(rows), {
        ...quiet,
        skipInvalid: true,
        ...demoTarget(sb),
        workdir: freshWorkdir("mig-dep-hist-skip-"),
      });
      expect(r.exitCode).toBe(1);
      expect(r.summary?.units.skipped).toBe(1);
      expect(accounts(sb).map((d) => String(d.id)).sort()).toEqual(["MIG-D0001", "MIG-D0002"]);
      expect(balanceOf(sb, "MIG-D0001")).toBe("1510");
    });
  });
});

it("the onboarding pack counts the deposit transactions' requests as a real run sends them, and labels a savings account's requests as its own", async () => {
  const plan = planWithHistory();
  const tmp = mkdtempSync(join(tmpdir(), "mig-dep-hist-pack-"));
  const [p, a, b] = await startSandboxes(3);
  try {
    const pack = await packOf(plan, p, tmp);
    expect(pack.steps.map((s) => [s.step, s.count])).toEqual(expect.arrayContaining([["deposit", 3], ["opening", 2], ["depositTransaction", 5]]));
    expect(pack.steps.map((s) => s.step).slice(0, 4)).toEqual(["client", "deposit", "opening", "depositTransaction"]);
    expect(pack.volumes.entities).toMatchObject({ depositAccounts: 3, openingDeposits: 2, depositTransactions: 3, withdrawals: 2 });
    expect(pack.calls.default.byEndpoint).toMatchObject({ "POST /api/deposits/{id}/deposit-transactions": 5, "POST /api/deposits/{id}/withdrawal-transactions": 2 });
    const sample = (method: string, endpoint: string) => pack.samples.find((s) => s.method === method && s.endpoint === endpoint);
    expect(sample("POST", "/api/deposits/{id}/withdrawal-transactions")?.step).toBe("depositTransaction");
    // the savings account's creation and approval are its own step, not the settlement's
    const creations = pack.samples.filter((s) => s.method === "POST" && s.endpoint === "/api/deposits");
    expect(creations.map((s) => [s.step, (s.body as { id?: string }).id])).toEqual([[expect.stringMatching(/^(deposit|settlement)$/), expect.any(String)]]);
    const created = creations[0];
    expect(created.step).toBe(/^MIG-D/.test(String((created.body as { id?: string }).id)) ? "deposit" : "settlement");
    expect(pack.reconciliation.checks.map((c) => c.metric)).toEqual(expect.arrayContaining(["deposited", "depositedCount", "withdrawn", "withdrawnCount"]));
    expect(pack.reconciliation.checks.find((c) => c.metric === "depositBalance")?.total).toBe("575.25");
    const json = readFileSync(join(tmp, "pack", "pack.json"), "utf8");
    expect(json).not.toMatch(/Ana Ruiz|Calle Luna/);
    for (const [run, calls] of await runBothFlows(plan, tmp, a, b, pack.calls)) {
      expect(run.failed).toEqual([]);
      const s = run.summary!;
      expect(s.retries).toBe(0);
      expect({ total: calls.total, writes: calls.writes, perClient: calls.perClient }).toEqual({ total: s.requests, writes: s.writes, perClient: s.requestsPerClient });
      expect(Object.fromEntries(Object.entries(s.byStep).map(([k, v]) => [k, v!.created + v!.adopted]))).toEqual(pack.volumes.steps);
    }
  } finally {
    await Promise.all([p.stop(), a.stop(), b.stop()]);
  }
});
