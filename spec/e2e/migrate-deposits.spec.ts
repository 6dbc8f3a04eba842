/**
 * Standalone deposit accounts (savings) with opening balances: a plan with a `deposits` source
 * creates each account for its client, approves it and deposits its opening balance on the opening
 * date (tagged with a `mig-` externalId); a rerun creates nothing; a run killed after the tenant wrote
 * but before the journal said so resumes without a second account or a second opening deposit (even
 * with the tenant's idempotency cache gone); the accounts' balances reconcile with the source; a bad
 * row is refused at validation, at its cell, before anything is sent.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { MambuDeposit } from "../../lib";
import { formatReconciliation, runMigration } from "../../lib/migrate";
import { startRehearsalSandbox, Sandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { balanceOf, demoTarget, DEPOSIT_MAPPING, depositsMatching, depositTransactionsMatching, editPlan, freshWorkdir, packOf, quiet, resumeAfterKill, runBothFlows, sandboxPerSuite, startSandboxes, withSandbox } from "./migrate-book-helpers";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(180_000);

const DEPOSITS = [
  "deposit_id,holder_id,product,currency,opening_balance,opening_date,remark",
  "MIG-D0001,MIG-C0001,SAVINGS,MXN,1500.00,2025-01-15,Opened at the branch",
  "MIG-D0002,MIG-C0002,SAVINGS,MXN,0,,",
  "MIG-D0003,MIG-C0003,SAVINGS,MXN,250.55,2025-02-01,",
  "MIG-D0004,MIG-C0003,SAVINGS,MXN,0.10,2025-03-01,second account of the client",
].join("\n");

/** A copy of the example's first 5 clients (and their loans) with savings accounts. */
function planWithSavings(rows = DEPOSITS): string {
  const dir = subsetExample(5);
  writeFileSync(join(dir, "deposits.csv"), `${rows}\n`);
  return editPlan(dir, {
    sources: { deposits: "deposits.csv" },
    steps: "[client, group, deposit, opening, loan, approve, settlement, schedule, disburse, fee, repayment]",
    mapping: [...DEPOSIT_MAPPING.slice(0, 6), "    notes: remark", ...DEPOSIT_MAPPING.slice(6), "    openingNotes: remark"],
  });
}

const savings = (sb: Sandbox) => depositsMatching(sb, /^MIG-D/);
const openings = (sb: Sandbox) => depositTransactionsMatching(sb, /^MIG-D/);

describe("standalone deposit accounts with opening balances", () => {
  const sb = sandboxPerSuite();
  const tmp = mkdtempSync(join(tmpdir(), "mig-dep-"));
  const plan = planWithSavings();
  const target = () => demoTarget(sb);

  it("creates, approves and funds each account of its client, and reconciles", async () => {
    const r = await runMigration(plan, { ...quiet, ...target(), workdir: join(tmp, "first"), reconcile: true });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.rows).toMatchObject({ deposits: 4 });
    expect(r.summary?.byStep).toMatchObject({ deposit: { created: 4, adopted: 0, journal: 0 }, opening: { created: 3, adopted: 0, journal: 0 } });
    const d1 = sb.store.find("deposits", "MIG-D0001")!;
    expect(d1).toMatchObject({ accountState: "ACTIVE", currencyCode: "MXN", accountHolderType: "CLIENT", notes: "Opened at the branch" });
    expect(d1.accountHolderKey).toBe(sb.store.find("clients", "MIG-C0001")!.encodedKey);
    expect(balanceOf(sb, "MIG-D0001")).toBe("1500");
    expect(balanceOf(sb, "MIG-D0003")).toBe("250.55");
    expect(balanceOf(sb, "MIG-D0004")).toBe("0.1");
    // a zero opening balance: an approved account without a deposit
    expect(sb.store.find("deposits", "MIG-D0002")).toMatchObject({ accountState: "APPROVED" });
    const txs = openings(sb);
    expect(txs).toHaveLength(3);
    for (const t of txs) expect(String(t.externalId)).toMatch(/^mig-[0-9a-f]{20}$/);
    const t1 = txs.find((t) => t.parentAccountKey === d1.encodedKey)!;
    expect(t1).toMatchObject({ type: "DEPOSIT", notes: "Opened at the branch" });
    expect(String(t1.valueDate).slice(0, 10)).toBe("2025-01-15");
    expect(r.reconciliation?.equal).toBe(true);
    expect(r.reconciliation?.totals.source.deposits.toString()).toBe("4");
    expect(r.reconciliation?.totals.tenant.depositBalance.toFixed(2)).toBe("1750.65");
    expect(r.reconciliation?.totals.source.depositBalance.toFixed(2)).toBe("1750.65");
    expect(formatReconciliation(r.reconciliation!)).toMatch(/, deposits 4 =, depositBalance 1750\.65 =\n/);
  });

  it("creates nothing on a rerun (a new journal: looked up and adopted)", async () => {
    const before = openings(sb).length;
    const r = await runMigration(plan, { ...quiet, ...target(), workdir: join(tmp, "rerun"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.steps.created).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ deposit: { created: 0, adopted: 4 }, opening: { created: 0, adopted: 3 } });
    expect(openings(sb)).toHaveLength(before);
    expect(savings(sb)).toHaveLength(4);
    expect(duplicates(sb)).toEqual([]);
    expect(r.reconciliation?.equal).toBe(true);
  });

  it("reconcile tells a balance that differs from the source", async () => {
    // money taken out of one account after the migration: its balance no longer matches the source
    const d3 = (await MambuDeposit.find("MIG-D0003", { connector: demoConnector(sb) }))!;
    await d3.withdrawal("0.55", { notes: "after the migration" });
    const r = await runMigration(plan, { ...quiet, ...target(), workdir: join(tmp, "first"), resume: true, reconcile: true });
    expect(r.reconciliation?.equal).toBe(false);
    const differing = r.reconciliation!.units.filter((u) => u.differences.length);
    expect(differing.map((u) => [u.unit, u.differences])).toEqual([["client:MIG-C0003", ["depositBalance"]]]);
    expect(differing[0].tenant.depositBalance.toFixed(2)).toBe("250.10");
    expect(differing[0].source.depositBalance.toFixed(2)).toBe("250.65");
  });
});

it("resumes a run killed after the tenant wrote but before the journal did, without a second account or deposit", async () => {
  // the kill: the journal lost what it wrote from the first deposit step on (the tenant has it all)
  await resumeAfterKill(planWithSavings(), { prefix: "mig-dep-kill-", lostFrom: (l) => /"step":"(deposit|opening)"/.test(l) }, (resumed, sb) => {
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.byStep).toMatchObject({ deposit: { created: 0, adopted: 4 }, opening: { created: 0, adopted: 3 } });
    expect(savings(sb)).toHaveLength(4);
    expect(openings(sb)).toHaveLength(3);
    expect(duplicates(sb)).toEqual([]);
    expect(resumed.reconciliation?.equal).toBe(true);
  });
});

it("fails the unit whose deposit id is another holder's account in the tenant, creating nothing for it", async () => {
  await withSandbox(async (sb) => {
    const connector = demoConnector(sb);
    const other = sb.store.all("clients").find((c) => !String(c.id).startsWith("MIG-"))!;
    const product = sb.store.find("depositproducts", "SAVINGS")!;
    const taken = new MambuDeposit({ id: "MIG-D0003", name: "Not ours", productTypeKey: product.encodedKey, accountHolderKey: other.encodedKey, accountHolderType: "CLIENT", currencyCode: "MXN" });
    await taken.create({ connector });
    const r = await runMigration(planWithSavings(), { ...quiet, ...demoTarget(sb), workdir: freshWorkdir("mig-dep-other-") });
    expect(r.exitCode).toBe(1);
    expect(r.failed.map((f) => [f.unit, f.reason])).toEqual([["client:MIG-C0003", expect.stringMatching(/^deposit deposit MIG-D0003 .*: deposit MIG-D0003 exists in the tenant for another account holder/)]]);
    // the other holder's account is untouched, and nothing was deposited into it
    expect(sb.store.find("deposits", "MIG-D0003")).toMatchObject({ accountHolderKey: other.encodedKey, name: "Not ours" });
    expect(sb.store.all("depositTransactions").filter((t) => t.parentAccountKey === taken.encodedKey)).toHaveLength(0);
    expect(savings(sb).map((d) => String(d.id)).sort()).toEqual(["MIG-D0001", "MIG-D0002", "MIG-D0003"]);
  });
});

describe("validation of the deposits' rows", () => {
  const bad = [
    "deposit_id,holder_id,product,currency,opening_balance,opening_date,remark",
    "MIG-D0001,MIG-C0001,SAVINGS,MXN,-5.00,2025-01-15,",
    "MIG-D0002,MIG-C0002,SAVINGS,MXN,10.001,2025-01-15,",
    "MIG-D0003,MIG-C0003,SAVINGS,MXN,10.00,2999-01-01,",
    "MIG-D0004,MIG-C0004,SAVINGS,MXN,10.00,,",
    "MIG-D0005,MIG-X9999,SAVINGS,MXN,10.00,2025-01-15,",
    "MIG-D0001,MIG-C0005,SAVINGS,MXN,10.00,2025-01-15,",
  ].join("\n");

  it("refuses the plan with every bad cell located, sending nothing", async () => {
    await withSandbox(async (sb) => {
      const plan = planWithSavings(bad);
      const err: string[] = [];
      const r = await runMigration(plan, {
        ...quiet,
        stderr: { write: (s: string) => (err.push(s), true) } as unknown as NodeJS.WritableStream,
        ...demoTarget(sb),
        workdir: freshWorkdir("mig-dep-bad-"),
      });
      expect(r.exitCode).toBe(2);
      const messages = r.problems.map((p) => `${p.line} ${p.columnName ?? ""}: ${p.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          "2 opening_balance: openingBalance must not be negative, got -5.00",
          expect.stringMatching(/^3 opening_balance: openingBalance: .*more than 2 decimals/),
          "4 opening_date: openingDate 2999-01-01 is in the future",
          "5 opening_date: openingDate: is required when the opening balance is not zero",
          '6 holder_id: account holder "MIG-X9999" is neither in the plan nor in the tenant',
          '7 deposit_id: deposit id "MIG-D0001" appears twice (first at line 2)',
        ]),
      );
      expect(savings(sb)).toHaveLength(0);
      expect(sb.store.all("clients").filter((c) => String(c.id).startsWith("MIG-"))).toHaveLength(0);
    });
  });

  it("says which mapping a plan with an opening step lacks", async () => {
    const plan = planWithSavings();
    writeFileSync(plan, readFileSync(plan, "utf8").replace("    openingDate: opening_date\n", ""));
    const r = await runMigration(plan, { ...quiet, target: "sandbox", sandbox: { start: startRehearsalSandbox }, workdir: freshWorkdir("mig-dep-map-") });
    expect(r.exitCode).toBe(2);
    expect(r.problems.map((p) => p.message)).toContain("mapping.deposits.openingDate: must be mapped (the opening deposit's value date)");
  });
});

it("the onboarding pack counts the deposit steps' requests exactly as a real run sends them, in both flows", async () => {
  const plan = planWithSavings();
  const tmp = mkdtempSync(join(tmpdir(), "mig-dep-pack-"));
  const [p, a, b] = await startSandboxes(3);
  try {
    const pack = await packOf(plan, p, tmp);
    expect(pack.steps.map((s) => s.step)).toEqual(["client", "deposit", "opening", "loan", "approve", "settlement", "disburse", "fee", "repayment"]);
    expect(pack.steps.filter((s) => s.step === "deposit" || s.step === "opening").map((s) => [s.step, s.count])).toEqual([
      ["deposit", 4],
      ["opening", 3],
    ]);
    expect(pack.volumes.entities).toMatchObject({ depositAccounts: 4, openingDeposits: 3 });
    expect(pack.calls.default.byEndpoint).toMatchObject({ "POST /api/deposits/{id}/deposit-transactions": 3 });
    expect(pack.reconciliation.checks.map((c) => c.metric)).toEqual(expect.arrayContaining(["deposits", "depositBalance"]));
    expect(pack.reconciliation.checks.find((c) => c.metric === "depositBalance")?.total).toBe("1750.65");
    expect(savings(p)).toHaveLength(0);
    // the opening deposit's notes and the account's are personal: their values are masked in the samples
    const json = readFileSync(join(tmp, "pack", "pack.json"), "utf8");
    expect(json).toContain("POST /api/deposits/{id}/deposit-transactions");
    expect(json).not.toContain("Opened at the branch");
    expect(json).not.toContain("second account of the client");
    for (const [run, calls] of await runBothFlows(plan, tmp, a, b, pack.calls)) {
      expect(run.failed).toEqual([]);
      const s = run.summary!;
      expect(s.retries).toBe(0);
      expect({ total: calls.total, writes: calls.writes, perClient: calls.perClient }).toEqual({ total: s.requests, writes: s.writes, perClient: s.requestsPerClient });
    }
  } finally {
    await Promise.all([p.stop(), a.stop(), b.stop()]);
  }
});
