/**
 * Loans' history beyond fees and repayments: a `loanTransactions` source with a `type` column applies
 * interest up to a date (INTEREST) and adjusts (reverses) the plan's fees and repayments (ADJUSTMENT,
 * by their externalId), in value-date order with the loan's other transactions; a rerun writes
 * nothing; a run killed after the tenant adjusted but before the journal said so resumes without a
 * second adjustment; the reconciliation leaves the adjusted transactions out on both sides and counts
 * them; PENALTY and bad cells are refused at the cell before anything is sent; the pack counts the
 * steps as a real run sends them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import type { Sandbox } from "../../lib/sandbox";
import { demoTarget, freshWorkdir, packOf, quiet, resumeAfterKill, runBothFlows, sandboxPerSuite, silent, startSandboxes, withSandbox } from "./migrate-book-helpers";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(180_000);

const HISTORY = [
  "loan_id,kind,date,reverses,memo",
  "MIG-L00004,adjustment,,MIG-R000010,Bounced cheque of Pedro Sanz",
  "MIG-L00002,INTEREST,2025-12-10,,",
  "MIG-L00003,INTEREST,2025-10-08,,",
  "MIG-L00003,ADJUSTMENT,2025-12-06,MIG-R000009,",
].join("\n");

/** A copy of the example's first clients (5) with a loanTransactions source. */
function planWithHistory(rows = HISTORY, clients = 5): string {
  const dir = subsetExample(clients);
  const plan = join(dir, "plan.yaml");
  writeFileSync(join(dir, "loan-history.csv"), `${rows}\n`);
  writeFileSync(
    plan,
    readFileSync(plan, "utf8")
      .replace("sources:\n", "sources:\n  loanTransactions: { file: loan-history.csv }\n")
      .replace(/^steps: .*$/m, "")
      .replace("\n  schedules:\n", "\n  loanTransactions:\n    loanId: loan_id\n    type: kind\n    valueDate: date\n    adjusts: reverses\n    notes: memo\n\n  schedules:\n"),
  );
  return plan;
}

const conn = demoTarget;
const txOf = (sb: Sandbox, externalId: string) => sb.store.all("loanTransactions").find((t) => t.externalId === externalId);
const adjustments = (sb: Sandbox) => sb.store.all("loanTransactions").filter((t) => /_ADJUSTMENT$/.test(String(t.type)));

describe("interest applied and adjustments", () => {
  const sb = sandboxPerSuite();
  const tmp = mkdtempSync(join(tmpdir(), "mig-loan-hist-"));
  const plan = planWithHistory();

  it("applies interest and reverses the named repayments, in date order, and reconciles without them", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "first"), reconcile: true });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ interest: { created: 2, adopted: 0 }, adjustment: { created: 2, adopted: 0, journal: 0 } });
    expect(r.summary?.requests).toBe(r.summary?.writes);
    // the adjusted repayments are reversed; the others stand
    expect(txOf(sb, "MIG-R000010")?.adjustmentTransactionKey).toEqual(expect.any(String));
    expect(txOf(sb, "MIG-R000009")?.adjustmentTransactionKey).toEqual(expect.any(String));
    expect(txOf(sb, "MIG-R000008")?.adjustmentTransactionKey).toBeUndefined();
    expect(adjustments(sb).map((t) => [t.type, String(t.originalTransactionKey) === String(txOf(sb, "MIG-R000010")?.encodedKey) ? "R10" : "R9"]).sort()).toEqual([
      ["REPAYMENT_ADJUSTMENT", "R10"],
      ["REPAYMENT_ADJUSTMENT", "R9"],
    ]);
    const rec = r.reconciliation!;
    expect(rec.equal).toBe(true);
    expect(rec.totals.source.adjustedCount.toString()).toBe("2");
    expect(rec.totals.tenant.adjustedCount.toString()).toBe("2");
    // the two reversed repayments are left out of what was repaid, on both sides
    expect(rec.totals.source.repaymentCount.toNumber()).toBe(rec.totals.tenant.repaymentCount.toNumber());
    expect(readFileSync(join(tmp, "first", "journal.jsonl"), "utf8")).not.toContain("Pedro Sanz");
  });

  it("applies the interest as the tenant shows it (an INTEREST_APPLIED transaction, lastInterestAppliedDate)", () => {
    for (const [id, day] of [["MIG-L00002", "2025-12-10"], ["MIG-L00003", "2025-10-08"]]) {
      const loan = sb.store.find("loans", id)!;
      expect(String(loan.lastInterestAppliedDate).slice(0, 10)).toBe(day);
      const applied = sb.store.all("loanTransactions").filter((t) => t.parentAccountKey === loan.encodedKey && t.type === "INTEREST_APPLIED");
      expect(applied.map((t) => String(t.valueDate).slice(0, 10))).toEqual([day]);
    }
  });

  it("writes nothing on a rerun: the adjustments and the interest applied are adopted", async () => {
    const before = adjustments(sb).length;
    const interest = sb.store.all("loanTransactions").filter((t) => t.type === "INTEREST_APPLIED").length;
    const loans = JSON.stringify(sb.store.all("loans").filter((l) => String(l.id).startsWith("MIG-")).map((l) => l.balances));
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "rerun"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.writes).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ interest: { created: 0, adopted: 2 }, adjustment: { created: 0, adopted: 2 }, repayment: { created: 0 } });
    expect(JSON.stringify(sb.store.all("loans").filter((l) => String(l.id).startsWith("MIG-")).map((l) => l.balances))).toBe(loans);
    expect(adjustments(sb)).toHaveLength(before);
    expect(sb.store.all("loanTransactions").filter((t) => t.type === "INTEREST_APPLIED")).toHaveLength(interest);
    expect(r.reconciliation?.equal).toBe(true);
  });

  it("adopts interest a loan shows applied on or after the row's date by lastInterestAppliedDate alone, writing nothing", async () => {
    // a later application's date covers the row's, even with the row's own transaction gone (adjusted)
    for (const t of sb.store.all("loanTransactions").filter((x) => x.type === "INTEREST_APPLIED")) t.adjustmentTransactionKey = "reversed-elsewhere";
    for (const [id, day] of [["MIG-L00002", "2025-12-10"], ["MIG-L00003", "2025-10-31"]]) sb.store.find("loans", id)!.lastInterestAppliedDate = `${day}T00:00:00${sb.clock.offset}`;
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "rerun-2"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.writes).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ interest: { created: 0, adopted: 2 }, adjustment: { created: 0, adopted: 2 } });
  });
});

it("resumes a run killed after the tenant adjusted but before the journal did, without a second adjustment", async () => {
  await resumeAfterKill(planWithHistory(), { prefix: "mig-loan-hist-kill-", lostFrom: (l) => /"step":"adjustment"/.test(l) }, (resumed, sb) => {
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.byStep.adjustment).toMatchObject({ created: 0, adopted: 2 });
    expect(adjustments(sb)).toHaveLength(2);
    expect(duplicates(sb)).toEqual([]);
    expect(resumed.reconciliation?.equal).toBe(true);
  });
});

it("refuses PENALTY rows and bad cells at their cells, sending nothing", async () => {
  await withSandbox(async (sb) => {
    const rows = [
      "loan_id,kind,date,reverses,memo",
      "MIG-L00002,PENALTY,2025-12-10,,", // 2
      "MIG-L00002,REFUND,2025-12-10,,", // 3
      "MIG-L00002,INTEREST,,,", // 4: no date
      "MIG-L00002,INTEREST,2025-11-01,,", // 5: before the disbursement
      "MIG-L00002,INTEREST,2999-01-01,,", // 6: in the future
      "MIG-L00002,ADJUSTMENT,,MIG-R000001,", // 7: another loan's repayment
      "MIG-L00002,ADJUSTMENT,,,", // 8: nothing named
      "MIG-L00002,ADJUSTMENT,2025-12-01,MIG-R000005,", // 9: before the repayment (2025-12-13)
      "MIG-L00002,ADJUSTMENT,,MIG-R000006,", // 10
      "MIG-L00002,ADJUSTMENT,,MIG-R000006,", // 11: twice
      "MIG-L00006,INTEREST,2025-12-10,,", // 12: a loan not disbursed
      "MIG-L09999,INTEREST,2025-12-10,,", // 13: not a loan of the plan
    ].join("\n");
    const r = await runMigration(planWithHistory(rows, 6), { ...quiet, ...conn(sb), stderr: silent, workdir: freshWorkdir("mig-loan-hist-bad-") });
    expect(r.exitCode).toBe(2);
    const messages = r.problems.filter((p) => p.file.endsWith("loan-history.csv")).map((p) => `${p.line}:${p.column} ${p.columnName ?? ""}: ${p.message}`);
    expect(messages).toEqual([
      "2:2 kind: type: PENALTY cannot be migrated: API v2 has no operation that applies a penalty by hand (Mambu applies penalties by the product's settings; migrate an agreed charge as a fee)",
      '3:2 kind: type: expected INTEREST or ADJUSTMENT, got "REFUND"',
      "4:3 date: valueDate: is required (the date interest is applied up to)",
      expect.stringMatching(/^5:3 date: valueDate 2025-11-01 is before the disbursement of loan MIG-L00002/),
      "6:3 date: valueDate 2999-01-01 is in the future",
      '7:4 reverses: adjusts: loan MIG-L00002 has no fee or repayment with externalId "MIG-R000001" in the plan',
      "8:4 reverses: adjusts: is required (the externalId of the fee or repayment it reverses)",
      expect.stringMatching(/^9:3 date: valueDate 2025-12-01 is before the transaction it adjusts/),
      '11:4 reverses: adjusts: "MIG-R000006" of loan MIG-L00002 is adjusted twice (first at line 10)',
      "12:1 loan_id: loan MIG-L00006 is not disbursed by the plan (no disbursement date)",
      '13:1 loan_id: loan "MIG-L09999" is not in the plan\'s loans',
    ]);
    expect(sb.store.all("clients").filter((c) => String(c.id).startsWith("MIG-"))).toHaveLength(0);
  });
});

it("the onboarding pack counts interest and adjustments as a real run sends them, in both flows", async () => {
  const plan = planWithHistory();
  const tmp = mkdtempSync(join(tmpdir(), "mig-loan-hist-pack-"));
  const [p, a, b] = await startSandboxes(3);
  try {
    const pack = await packOf(plan, p, tmp);
    expect(pack.steps.map((s) => [s.step, s.count]).slice(-2)).toEqual([
      ["interest", 2],
      ["adjustment", 2],
    ]);
    expect(pack.volumes.entities).toMatchObject({ interestApplications: 2, adjustments: 2 });
    expect(pack.calls.default.byEndpoint).toMatchObject({ "POST /api/loans/{id}:applyInterest": 2, "POST /api/loans/transactions/{id}:adjust": 2 });
    expect(pack.samples.find((s) => s.endpoint === "/api/loans/transactions/{id}:adjust")?.step).toBe("adjustment");
    expect(pack.samples.find((s) => s.endpoint === "/api/loans/{id}:applyInterest")).toMatchObject({ step: "interest", body: { interestApplicationDate: expect.stringMatching(/^2025-1[02]-/) } });
    expect(readFileSync(join(tmp, "pack", "pack.json"), "utf8")).not.toContain("Pedro Sanz");
    for (const [run, calls] of await runBothFlows(plan, tmp, a, b, pack.calls)) {
      expect(run.failed).toEqual([]);
      const s = run.summary!;
      expect({ total: calls.total, writes: calls.writes }).toEqual({ total: s.requests, writes: s.writes });
      expect(Object.fromEntries(Object.entries(s.byStep).map(([k, v]) => [k, v!.created + v!.adopted]))).toEqual(pack.volumes.steps);
    }
  } finally {
    await Promise.all([p.stop(), a.stop(), b.stop()]);
  }
});
