/**
 * The example migration plan end to end against the sandbox: everything created, reconciliation all
 * equal, what the tenant holds (custom fields, group, settlement link, edited schedule, exact amounts);
 * a rerun adopts everything and a resume sends nothing; invalid rows with --skip-invalid, the failures
 * files, and feeding them back once corrected.
 */
import { readFileSync, writeFileSync } from "fs";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseCsvText, runMigration } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { duplicates, EXAMPLE_PLAN, subsetExample, tenantPicture } from "./migrate-helpers";

jest.setTimeout(120_000);

describe("the example plan against the sandbox", () => {
  let sb: Sandbox;
  const workdir = mkdtempSync(join(tmpdir(), "mig-e2e-"));
  const quiet = { stdout: null, progress: "none" as const };

  beforeAll(async () => {
    sb = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sb.stop();
  });
  const connection = () => ({ apiurl: sb.url, apiuser: "demo", apipwd: "demo" });

  it("migrates every client, loan and transaction, and reconciles", async () => {
    const report = join(workdir, "report.json");
    const r = await runMigration(EXAMPLE_PLAN, { ...quiet, connection: connection(), tenantOffset: sb.clock.offset, workdir, concurrency: 12, reconcile: true, report });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary).toMatchObject({
      rows: { clients: 300, groups: 4, loans: 304, schedules: 47, fees: 81, repayments: 1053 },
      units: { total: 304, done: 304, failed: 0 },
      steps: { total: 2434, done: 2434, created: 2434, adopted: 0 },
    });
    // the fewest requests: a first run looks nothing up (the journal knows nothing was sent), one
    // request per write, never a re-read (2434 steps, 2539 writes: a settlement account is created
    // and approved, and the loan created linked to it); with a look-up before each creation and the
    // link's own PATCH it was 3357 (304 holders, 304 loans and 105 settlement accounts looked up)
    expect(r.summary!.requests - r.summary!.retries).toBe(2539);
    expect(r.summary).toMatchObject({ clients: 300, writes: 2539 });
    expect(r.reconciliation?.equal).toBe(true);
    expect(r.reconciliation?.totals.source.repaid.toFixed(2)).toBe("3365457.80");
    expect(r.reconciliation?.totals.tenant.repaid.toFixed(2)).toBe("3365457.80");
    expect(duplicates(sb)).toEqual([]);
    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(json).toMatchObject({ ok: true, plan: { id: "demo-book-2025" }, reconciliation: { equal: true, differences: [] } });
    process.stdout.write(`example plan: ${r.summary!.elapsedSeconds.toFixed(1)} s, ${r.summary!.requests} requests, ${r.summary!.requestsPerSecond} req/s\n`);
  });

  it("puts what the source says into the tenant", () => {
    const client = sb.store.find("clients", "MIG-C0001")!;
    const row = parseCsvText(readFileSync(join(EXAMPLE_PLAN, "..", "clients.csv"), "utf8").replace(/^\ufeff/, ""))[1].fields;
    expect(client).toMatchObject({ firstName: row[1], lastName: row[2], state: "ACTIVE", preferredLanguage: "SPANISH" });
    expect(client.assignedBranchKey).toBe(sb.store.find("branches", row[7])!.encodedKey);
    expect((client._OtherDetails as Record<string, string>).Age).toBe(row[14]);
    // a client with two assets has a grouped set of two rows
    const two = sb.store.all("clients").find((c) => Array.isArray(c._Assets) && (c._Assets as unknown[]).length === 2);
    expect(two).toBeDefined();
    // the note with a line break and quotes survived the CSV
    expect(sb.store.find("clients", "MIG-C0037")!.notes).toBe('Migrated from the legacy system.\nSecond line of the note, with a comma, and "quotes".');
    // the group, its members and its loan
    const group = sb.store.find("groups", "MIG-G001")!;
    expect((group.groupMembers as Array<{ clientKey: string }>).map((m) => sb.store.find("clients", m.clientKey)!.id)).toEqual(["MIG-C0281", "MIG-C0282", "MIG-C0283", "MIG-C0284", "MIG-C0285"]);
    const groupLoan = sb.store.all("loans").find((l) => l.accountHolderKey === group.encodedKey)!;
    expect(groupLoan.accountHolderType).toBe("GROUP");
    // the settlement account link
    const linked = sb.store.find("loans", "MIG-L00002")!;
    const dep = sb.store.find("deposits", "MIG-S00001")!;
    expect(linked.settlementAccountKey).toBe(dep.encodedKey);
    expect(dep.accountState).toBe("APPROVED");
    // an edited schedule, and backdated disbursement and repayments
    const edited = sb.store.find("loans", "MIG-L00046")!;
    expect((edited.scheduleSettings as Record<string, unknown>).hasCustomSchedule).toBe(true);
    expect((edited.disbursementDetails as Record<string, unknown>).firstRepaymentDate).toMatch(/^\d{4}-\d{2}-15T00:00:00\+02:00$/);
    const l1 = sb.store.find("loans", "MIG-L00001")!;
    expect(l1.loanAmount).toBe(13000);
    expect((l1.disbursementDetails as Record<string, unknown>).disbursementDate).toBe("2025-11-17T00:00:00+02:00");
    const txs = sb.store.all("loanTransactions").filter((t) => t.parentAccountKey === l1.encodedKey);
    expect(txs.filter((t) => t.type === "REPAYMENT").every((t) => /^MIG-R\d{6}$/.test(String(t.externalId)))).toBe(true);
    expect(txs.find((t) => t.type === "FEE_APPLIED")).toMatchObject({ amount: 50, notes: "Late payment" });
  });

  it("a rerun adopts everything (nothing duplicated), a resume sends nothing", async () => {
    const before = tenantPicture(sb);
    const rerun = await runMigration(EXAMPLE_PLAN, { ...quiet, connection: connection(), tenantOffset: sb.clock.offset, workdir, concurrency: 12 });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.summary?.steps).toMatchObject({ created: 0, adopted: 2434, journal: 0 });
    // a lookup per holder, loan and settlement account, one page of transactions per loan that has some
    expect(rerun.summary!.requests - rerun.summary!.retries).toBe(961);
    expect(tenantPicture(sb)).toEqual(before);
    const resumed = await runMigration(EXAMPLE_PLAN, { ...quiet, connection: connection(), tenantOffset: sb.clock.offset, workdir, resume: true });
    expect(resumed.summary?.steps).toMatchObject({ created: 0, adopted: 0, journal: 2434 });
    expect(resumed.summary?.requests).toBe(0);
    expect(duplicates(sb)).toEqual([]);
  });
});

describe("invalid rows, --skip-invalid and the failures files", () => {
  it("refuses the plan, then migrates the rest, then takes the corrected rows back", async () => {
    const sb = await startSandbox({ port: 0 });
    try {
      const dir = subsetExample(30);
      const plan = join(dir, "plan.yaml");
      const loans = readFileSync(join(dir, "loans.csv"), "utf8");
      // MIG-L00001: an amount with a comma; MIG-C0002: an unknown branch
      writeFileSync(join(dir, "loans.csv"), loans.replace("MIG-L00001,MIG-C0001,CLIENT,FLAT-MICRO,13000.00", 'MIG-L00001,MIG-C0001,CLIENT,FLAT-MICRO,"13,000.00"'));
      const clients = readFileSync(join(dir, "clients.csv"), "utf8");
      const c2 = clients.split("\r\n")[2];
      writeFileSync(join(dir, "clients.csv"), clients.replace(c2, c2.replace(",MTY,TribeMTY-1,", ",MTYX,TribeMTY-1,").replace(",CCAZ,TribeAZ-1,", ",CCAZX,TribeAZ-1,")));
      const out: string[] = [];
      const stdout = { write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream;
      const connection = { apiurl: sb.url, apiuser: "demo", apipwd: "demo" };
      const workdir = join(dir, "work");

      const refused = await runMigration(plan, { stdout, progress: "none", connection, tenantOffset: "+02:00", workdir });
      expect(refused.exitCode).toBe(2);
      expect(out.join("")).toMatch(/clients\.csv:3:8 \(branch\): assignedBranchKey: no branch with id "(MTYX|CCAZX)" in the tenant\n[^\n]*loans\.csv:2:5 \(amount\): loanAmount: expected an amount like 1500\.00 \(digits, one dot\), got "13,000\.00"\n/);
      expect(out.join("")).toMatch(/nothing was sent/);
      expect(sb.store.all("clients").filter((c) => String(c.id).startsWith("MIG-"))).toEqual([]);

      const partial = await runMigration(plan, { stdout: null, progress: "none", connection, tenantOffset: "+02:00", workdir, skipInvalid: true });
      expect(partial.exitCode).toBe(1);
      expect(partial.failed.map((f) => f.unit).sort()).toEqual(["client:MIG-C0001", "client:MIG-C0002"]);
      expect(sb.store.find("clients", "MIG-C0001")).toBeUndefined();
      expect(sb.store.find("clients", "MIG-C0003")).toBeDefined();
      const failuresPlan = partial.failuresPlan!;
      const failedLoans = parseCsvText(readFileSync(join(failuresPlan, "..", "loans.csv"), "utf8"));
      expect(failedLoans[0].fields.slice(-1)).toEqual(["migrate_error"]);
      expect(failedLoans.map((r) => r.fields[0])).toEqual(expect.arrayContaining(["MIG-L00001", "MIG-L00002"]));
      expect(failedLoans.find((r) => r.fields[0] === "MIG-L00001")!.fields.slice(-1)[0]).toMatch(/^invalid: .*loanAmount: expected an amount/);
      const failedClients = readFileSync(join(failuresPlan, "..", "clients.csv"), "utf8");
      expect(failedClients.startsWith("\ufeff")).toBe(true);
      expect(failedClients.split("\r\n").length).toBe(4); // header, two clients, and the final line break

      // correct the two rows in the failures files and feed them back
      writeFileSync(join(failuresPlan, "..", "loans.csv"), readFileSync(join(failuresPlan, "..", "loans.csv"), "utf8").replace('"13,000.00"', "13000.00"));
      writeFileSync(join(failuresPlan, "..", "clients.csv"), failedClients.replace(/,(MTY|CCAZ)X,/, ",$1,"));
      const fixed = await runMigration(failuresPlan, { stdout: null, progress: "none", connection, tenantOffset: "+02:00", workdir: join(dir, "work2") });
      expect(fixed.exitCode).toBe(0);
      expect(fixed.summary?.units).toMatchObject({ total: 2, done: 2, failed: 0 });

      // the same book without the mistakes now reconciles, and has nothing left to create
      const fixedDir = subsetExample(30);
      const again = await runMigration(join(fixedDir, "plan.yaml"), { stdout: null, progress: "none", connection, tenantOffset: "+02:00", workdir: join(dir, "work4"), reconcile: true });
      expect(again.summary?.steps.created).toBe(0);
      expect(again.reconciliation?.equal).toBe(true);
      expect(duplicates(sb)).toEqual([]);
    } finally {
      await sb.stop();
    }
  });
});

describe("a client that fails while running", () => {
  it("is recorded with its reason, the others go on, and the corrected rows complete it", async () => {
    const sb = await startSandbox({ port: 0 });
    try {
      const dir = subsetExample(20);
      // more than MIG-L00001 will ever owe: Mambu refuses it (EXCESS_REPAYMENT_ERROR), after the earlier steps were done
      const reps = readFileSync(join(dir, "repayments.csv"), "utf8");
      writeFileSync(join(dir, "repayments.csv"), reps.replace("MIG-R000003,MIG-L00001,2026-02-14,1189.07", "MIG-R000003,MIG-L00001,2026-02-14,99999.00"));
      const connection = { apiurl: sb.url, apiuser: "demo", apipwd: "demo" };
      const r = await runMigration(join(dir, "plan.yaml"), { stdout: null, progress: "none", connection, tenantOffset: "+02:00", workdir: join(dir, "work") });
      expect(r.exitCode).toBe(1);
      expect(r.summary?.units).toMatchObject({ total: 20, done: 19, failed: 1 });
      expect(r.failed.map((f) => f.unit)).toEqual(["client:MIG-C0001"]);
      expect(r.failed[0].reason).toMatch(/^repayment MIG-R000003 of loan MIG-L00001 \(.*repayments\.csv:4\): .*EXCESS_REPAYMENT_ERROR/);
      const loan = sb.store.find("loans", "MIG-L00001")!;
      expect(sb.store.all("loanTransactions").filter((t) => t.parentAccountKey === loan.encodedKey).map((t) => t.externalId ?? t.type)).toHaveLength(3); // disbursement + 2 repayments

      const failedDir = join(r.failuresPlan!, "..");
      const failedReps = readFileSync(join(failedDir, "repayments.csv"), "utf8");
      expect(failedReps).toMatch(/MIG-R000003,MIG-L00001,2026-02-14,99999\.00,,repayment MIG-R000003 of loan MIG-L00001 .*EXCESS_REPAYMENT_ERROR/);
      writeFileSync(join(failedDir, "repayments.csv"), failedReps.replace("99999.00", "1189.07"));
      const fixed = await runMigration(r.failuresPlan!, { stdout: null, progress: "none", connection, tenantOffset: "+02:00", workdir: join(dir, "work2"), reconcile: true });
      expect(fixed.exitCode).toBe(0);
      // what the failed run did is adopted; only the rest is written
      expect(fixed.summary?.byStep).toMatchObject({ client: { created: 0, adopted: 1 }, loan: { created: 0, adopted: 1 }, disburse: { created: 0, adopted: 1 } });
      expect(fixed.summary?.byStep.repayment).toMatchObject({ adopted: 2, created: 2 });
      expect(fixed.reconciliation?.equal).toBe(true);
      expect(duplicates(sb)).toEqual([]);
    } finally {
      await sb.stop();
    }
  });
});
