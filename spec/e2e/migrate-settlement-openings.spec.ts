/**
 * Settlement accounts with opening balances (seed 002's link step): `openingBalance`, `openingDate`
 * and `openingNotes` in `mapping.loans.settlement` deposit the balance on the settlement account on
 * its opening date, right after the account is created and approved (step settlementOpening), tagged
 * with a `mig-` externalId; the tenant is the same in the fewest-calls flow and the earlier one; a
 * rerun posts nothing; a run killed after the tenant wrote but before the journal did resumes without
 * a second deposit; the balances reconcile; a bad cell is refused before anything is sent; the pack
 * counts the step as a real run sends it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { csvLine, parseCsvText, runMigration } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { balanceOf, demoTarget, depositTransactionsMatching, freshWorkdir, packOf, quiet, resumeAfterKill, silent, startSandboxes, withSandbox } from "./migrate-book-helpers";
import { duplicates, subsetExample, tenantPicture } from "./migrate-helpers";

jest.setTimeout(180_000);

/** Opening balance, date and memo of the settlement accounts of the first 10 clients' loans. */
const OPENINGS: Record<string, [string, string, string]> = {
  "MIG-S00001": ["500.00", "2025-11-01", "Transferred from the old account of Marta Gil"],
  "MIG-S00002": ["0", "", ""],
  "MIG-S00003": ["120.50", "2025-04-01", ""],
};

/** A copy of the example's first 10 clients whose settlement accounts open with balances. */
function planWithOpenings(openings = OPENINGS): string {
  const dir = subsetExample(10);
  const loansCsv = join(dir, "loans.csv");
  const recs = parseCsvText(readFileSync(loansCsv, "utf8")).map((r) => r.fields);
  const sid = recs[0].indexOf("settlement_account_id");
  const out = [[...recs[0], "settlement_opening", "settlement_opened_on", "settlement_memo"]];
  for (const f of recs.slice(1)) out.push([...f, ...(openings[f[sid]] ?? ["", "", ""])]);
  writeFileSync(loansCsv, out.map((f) => csvLine(f)).join("\n") + "\n");
  const plan = join(dir, "plan.yaml");
  writeFileSync(
    plan,
    readFileSync(plan, "utf8")
      .replace(/^steps: .*$/m, "")
      .replace(
        "      name: { value: Settlement account }\n",
        "      name: { value: Settlement account }\n      openingBalance: settlement_opening\n      openingDate: settlement_opened_on\n      openingNotes: settlement_memo\n",
      ),
  );
  return plan;
}

const settlementTxs = (sb: Sandbox) => depositTransactionsMatching(sb, /^MIG-S/);
const conn = demoTarget;

describe("settlement accounts with opening balances", () => {
  let sb: Sandbox;
  let old: Sandbox;
  const tmp = mkdtempSync(join(tmpdir(), "mig-sett-open-"));
  const plan = planWithOpenings();
  beforeAll(async () => {
    [sb, old] = await Promise.all([startSandbox({ port: 0 }), startSandbox({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([sb?.stop(), old?.stop()]);
  });

  it("deposits each opening balance on its settlement account, tagged, and reconciles the balances", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "first"), reconcile: true });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ settlement: { created: 4 }, settlementOpening: { created: 2, adopted: 0, journal: 0 } });
    expect(r.summary?.requests).toBe(r.summary?.writes);
    expect(balanceOf(sb, "MIG-S00001")).toBe("500");
    expect(balanceOf(sb, "MIG-S00003")).toBe("120.5");
    expect(balanceOf(sb, "MIG-S00002")).toBe("0");
    expect(sb.store.find("deposits", "MIG-S00002")).toMatchObject({ accountState: "APPROVED" });
    const txs = settlementTxs(sb);
    expect(txs.map((t) => [t.type, String(t.amount), String(t.valueDate).slice(0, 10)]).sort()).toEqual([
      ["DEPOSIT", "120.5", "2025-04-01"],
      ["DEPOSIT", "500", "2025-11-01"],
    ]);
    for (const t of txs) expect(String(t.externalId)).toMatch(/^mig-[0-9a-f]{20}$/);
    expect(txs.find((t) => String(t.amount) === "500")?.notes).toBe("Transferred from the old account of Marta Gil");
    // the loan is linked to the account that holds the balance
    expect(sb.store.find("loans", "MIG-L00002")?.settlementAccountKey).toBe(sb.store.find("deposits", "MIG-S00001")?.encodedKey);
    expect(r.reconciliation?.equal).toBe(true);
    expect(r.reconciliation?.totals.source.settlements.toFixed(2)).toBe("620.50");
    expect(r.reconciliation?.totals.tenant.settlements.toFixed(2)).toBe("620.50");
    expect(readFileSync(join(tmp, "first", "journal.jsonl"), "utf8")).not.toContain("Marta Gil");
  });

  it("leaves the same tenant in the earlier flow (look-ups, link after approval)", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(old), workdir: join(tmp, "old"), lookups: "always", fold: false });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.summary?.byStep).toMatchObject({ settlementOpening: { created: 2 } });
    expect(tenantPicture(old)).toEqual(tenantPicture(sb));
  });

  it("posts nothing on a rerun", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "rerun"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.writes).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ settlementOpening: { created: 0, adopted: 2 } });
    expect(settlementTxs(sb)).toHaveLength(2);
    expect(duplicates(sb)).toEqual([]);
    expect(r.reconciliation?.equal).toBe(true);
  });
});

it("resumes a run killed after the tenant wrote the settlement account's opening but before the journal did", async () => {
  await resumeAfterKill(planWithOpenings(), { prefix: "mig-sett-open-kill-", lostFrom: (l) => /"step":"settlementOpening"/.test(l) }, (resumed, sb) => {
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.writes).toBe(0);
    expect(resumed.summary?.byStep.settlementOpening).toMatchObject({ created: 0, adopted: 2 });
    expect(settlementTxs(sb)).toHaveLength(2);
    expect(duplicates(sb)).toEqual([]);
    expect(resumed.reconciliation?.equal).toBe(true);
  });
});

it("refuses bad opening cells of settlement accounts at their cells, sending nothing", async () => {
  await withSandbox(async (sb) => {
    const plan = planWithOpenings({ "MIG-S00001": ["-5.00", "2025-11-01", ""], "MIG-S00002": ["10.001", "2025-11-01", ""], "MIG-S00003": ["10.00", "2999-01-01", ""], "MIG-S00004": ["10.00", "", ""] });
    const r = await runMigration(plan, { ...quiet, ...conn(sb), stderr: silent, workdir: freshWorkdir("mig-sett-open-bad-") });
    expect(r.exitCode).toBe(2);
    const messages = r.problems.map((p) => `${p.columnName ?? ""}: ${p.message}`);
    expect(messages).toEqual([
      "settlement_opening: openingBalance must not be negative, got -5.00",
      expect.stringMatching(/^settlement_opening: openingBalance: .*more than 2 decimals/),
      "settlement_opened_on: openingDate 2999-01-01 is in the future",
      "settlement_opened_on: openingDate: is required when the opening balance is not zero",
    ]);
    expect(sb.store.all("clients").filter((c) => String(c.id).startsWith("MIG-"))).toHaveLength(0);
  });
});

it("the onboarding pack counts the settlement openings as a real run sends them", async () => {
  const plan = planWithOpenings();
  const tmp = mkdtempSync(join(tmpdir(), "mig-sett-open-pack-"));
  const [p, a] = await startSandboxes(2);
  try {
    const pack = await packOf(plan, p, tmp);
    expect(pack.steps.find((s) => s.step === "settlementOpening")?.count).toBe(2);
    expect(pack.volumes.entities).toMatchObject({ settlementAccounts: 4, settlementOpenings: 2 });
    expect(pack.samples.find((s) => s.endpoint === "/api/deposits/{id}/deposit-transactions")?.step).toBe("settlementOpening");
    expect(pack.reconciliation.checks.find((c) => c.metric === "settlements")?.total).toBe("620.5");
    expect(readFileSync(join(tmp, "pack", "pack.json"), "utf8")).not.toContain("Marta Gil");
    const run = await runMigration(plan, { ...quiet, ...conn(a), workdir: join(tmp, "w") });
    const s = run.summary!;
    expect({ total: pack.calls.default.total, writes: pack.calls.default.writes }).toEqual({ total: s.requests, writes: s.writes });
    expect(Object.fromEntries(Object.entries(s.byStep).map(([k, v]) => [k, v!.created + v!.adopted]))).toEqual(pack.volumes.steps);
  } finally {
    await Promise.all([p.stop(), a.stop()]);
  }
});
