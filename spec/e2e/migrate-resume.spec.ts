/**
 * A journal is resumed only against the tenant it was written against, with the content it was
 * written with: a rehearsal's journal never stands in for a real run (kept apart by default, refused
 * when pointed at), a tenant reset behind the same address is noticed, a changed source is refused
 * unless accepted. Every refusal sends nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startRehearsalSandbox, startSandbox, Sandbox } from "../../lib/sandbox";
import { subsetExample } from "./migrate-helpers";

jest.setTimeout(120_000);

const migrated = (sb: Sandbox) => sb.store.all("clients").filter((c) => String(c.id).startsWith("MIG-")).length;
const capture = () => {
  const out: string[] = [];
  return { out, stdout: { write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream };
};

describe("resume is bound to where the journal was written", () => {
  const dir = subsetExample(10);
  const plan = join(dir, "plan.yaml");
  const tmp = mkdtempSync(join(tmpdir(), "mig-bind-"));
  const quiet = { stdout: null, progress: "none" as const };
  let b: Sandbox;
  beforeAll(async () => {
    b = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await b?.stop();
  });
  const tenantB = () => ({ connection: { apiurl: b.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: b.clock.offset });

  it("keeps a rehearsal's journal apart from the real run's (default workdirs)", async () => {
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), "mig-cwd-")));
    try {
      const rehearsal = await runMigration(plan, { ...quiet, target: "sandbox", sandbox: { start: startRehearsalSandbox } });
      expect(rehearsal.exitCode).toBe(0);
      expect(rehearsal.journal).toBe(join(process.cwd(), ".mambu-journal", "demo-book-2025", "rehearsal", "journal.jsonl"));
      // the real run with --resume does not find the rehearsal's journal: it migrates everything
      const real = await runMigration(plan, { ...quiet, ...tenantB(), resume: true });
      expect(real.exitCode).toBe(0);
      expect(real.journal).toBe(join(process.cwd(), ".mambu-journal", "demo-book-2025", "journal.jsonl"));
      expect(real.summary?.steps).toMatchObject({ created: real.summary?.steps.total, journal: 0 });
      expect(migrated(b)).toBe(10);
    } finally {
      process.chdir(cwd);
    }
  });

  it("refuses to resume a rehearsal's journal against a tenant, sending nothing", async () => {
    const workdir = join(tmp, "shared");
    const state = join(tmp, "state.json");
    const rehearsal = await runMigration(plan, { ...quiet, target: "sandbox", sandbox: { start: startRehearsalSandbox, persist: state }, workdir });
    expect(rehearsal.exitCode).toBe(0);
    const c = await startSandbox({ port: 0 });
    try {
      const { out, stdout } = capture();
      const before = c.requests;
      const r = await runMigration(plan, { stdout, progress: "none", connection: { apiurl: c.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: c.clock.offset, workdir, resume: true });
      expect(r.exitCode).toBe(2);
      expect(r.refused).toBe(
        `${join(workdir, "journal.jsonl")} is the journal of the rehearsal sandbox kept in ${state}, not of tenant ${c.url}/api (user demo): resuming it here would count as done what this tenant has never seen. Run without --resume (a new journal; every step is checked against the tenant, nothing is created twice), or give each tenant its own --workdir.`,
      );
      expect(out.join("")).toBe(`${r.refused}\n`);
      expect(c.requests).toBe(before);
      expect(migrated(c)).toBe(0);
    } finally {
      await c.stop();
    }
  });

  it("notices a tenant reset behind the same address", async () => {
    const workdir = join(tmp, "reset");
    let a = await startSandbox({ port: 0 });
    const port = a.port;
    const connection = () => ({ apiurl: a.url, apiuser: "demo", apipwd: "demo" });
    try {
      expect((await runMigration(plan, { ...quiet, connection: connection(), tenantOffset: a.clock.offset, workdir })).exitCode).toBe(0);
      // the same URL, a tenant that never saw the migration
      await a.stop();
      a = await startSandbox({ port });
      const r = await runMigration(plan, { ...quiet, connection: connection(), tenantOffset: a.clock.offset, workdir, resume: true });
      expect(r.exitCode).toBe(2);
      expect(r.refused).toMatch(/journal\.jsonl records (client|loan) (MIG-\S+) as migrated, but it has no \1 \2 in tenant http:\/\/127\.0\.0\.1:\d+\/api \(user demo\): this tenant is not in the state the journal describes \(reset, restored, or another tenant at that address\)\. Run without --resume/);
      expect(migrated(a)).toBe(0);
      // as the message says: without --resume, everything is migrated
      const again = await runMigration(plan, { ...quiet, connection: connection(), tenantOffset: a.clock.offset, workdir });
      expect(again.exitCode).toBe(0);
      expect(migrated(a)).toBe(10);
    } finally {
      await a.stop();
    }
  });

  it("refuses a changed source unless --allow-changed-plan", async () => {
    const workdir = join(tmp, "changed");
    const first = await runMigration(plan, { ...quiet, ...tenantB(), workdir });
    expect(first.exitCode).toBe(0);
    const reps = join(dir, "repayments.csv");
    const text = readFileSync(reps, "utf8");
    writeFileSync(reps, text.replace("First installment", "First installment (paid in cash)"));
    try {
      const r = await runMigration(plan, { ...quiet, ...tenantB(), workdir, resume: true });
      expect(r.exitCode).toBe(2);
      expect(r.refused).toMatch(/^the plan changed since .*journal\.jsonl was written \(repayments\.csv changed\): .*add --allow-changed-plan to resume anyway/);
      const allowed = await runMigration(plan, { ...quiet, ...tenantB(), workdir, resume: true, allowChangedPlan: true });
      expect(allowed.exitCode).toBe(0);
      expect(allowed.summary?.steps).toMatchObject({ created: 0, adopted: 0, journal: allowed.summary?.steps.total });
    } finally {
      writeFileSync(reps, text);
    }
  });
});
