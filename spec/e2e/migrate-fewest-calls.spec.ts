/**
 * The fewest calls (issue 17, item 2): a first run sends one request per write — no look-up before a
 * creation the journal knows was never sent, the settlement link folded into the loan's creation —
 * and leaves the tenant exactly as the flow with look-ups and a separate link does; a unit the
 * journal records as begun is looked up on resume; an id taken in the tenant by another holder's
 * record fails the unit, saying so.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { duplicates, subsetExample, tenantPicture } from "./migrate-helpers";

jest.setTimeout(120_000);

const quiet = { stdout: null, progress: "none" as const };
const conn = (sb: Sandbox) => ({ connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: sb.clock.offset });

describe("fewest calls", () => {
  const dir = subsetExample(60);
  const plan = join(dir, "plan.yaml");
  let before: Sandbox;
  let after: Sandbox;
  beforeAll(async () => {
    [before, after] = await Promise.all([startSandbox({ port: 0 }), startSandbox({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([before?.stop(), after?.stop()]);
  });

  it("a first run sends one request per write and leaves the tenant as the flow with look-ups does", async () => {
    const old = await runMigration(plan, { ...quiet, ...conn(before), workdir: join(dir, "w-before"), lookups: "always", fold: false, reconcile: true, concurrency: 6 });
    const now = await runMigration(plan, { ...quiet, ...conn(after), workdir: join(dir, "w-after"), reconcile: true, concurrency: 6 });
    for (const r of [old, now]) {
      expect(r.failed).toEqual([]);
      expect(r.reconciliation?.equal).toBe(true);
    }
    expect(tenantPicture(after)).toEqual(tenantPicture(before));
    expect(duplicates(after)).toEqual([]);

    const s = now.summary!;
    const settlements = s.byStep.settlement?.created ?? 0;
    const holders = s.units.total;
    const loans = s.byStep.loan!.created;
    expect(settlements).toBeGreaterThan(0);
    // a settlement account is created and approved (2 writes); every other step is one write
    expect(s.writes).toBe(s.steps.created + settlements);
    expect(s.requests - s.retries).toBe(s.writes);
    // before: a look-up before each holder, loan and settlement account, and the link's own PATCH
    expect(old.summary!.requests - old.summary!.retries).toBe(s.writes + holders + loans + settlements + settlements);
    expect(old.summary!.writes).toBe(s.writes + settlements);
    expect(s.requestsPerClient).toBeCloseTo(s.requests / s.rows.clients, 2);
    expect(s.writesPerClient).toBeCloseTo(s.writes / s.rows.clients, 2);
    const report = now.report as unknown as { summary: { requestsPerClient: number; writes: number } };
    expect(report.summary).toMatchObject({ requestsPerClient: s.requestsPerClient, writes: s.writes });
  });

  it("on resume, a unit the journal records as begun is looked up (nothing twice); one with no line is created at once", async () => {
    const workdir = join(dir, "w-after");
    const journal = join(workdir, "journal.jsonl");
    const lines = readFileSync(journal, "utf8").trim().split("\n");
    // every unit's begin line is in the journal before its first step (written ahead, in batches)
    const recs = lines.map((l) => JSON.parse(l) as { t: string; unit?: string });
    const begins = new Map<string, number>();
    recs.forEach((r, i) => r.t === "begin" && !begins.has(r.unit!) && begins.set(r.unit!, i));
    expect(begins.size).toBe(60);
    recs.forEach((r, i) => r.t === "step" && expect(begins.get(r.unit!)).toBeLessThan(i));
    // a crash right after MIG-C0005's first requests: its begin line stays, its steps and end are gone
    const begun = "client:MIG-C0005";
    const kept = lines.filter((l) => {
      const rec = JSON.parse(l) as { t: string; unit?: string };
      return rec.unit !== begun || rec.t === "begin";
    });
    writeFileSync(journal, kept.join("\n") + "\n");
    const picture = tenantPicture(after);
    const resumed = await runMigration(plan, { ...quiet, ...conn(after), workdir, resume: true });
    expect(resumed.exitCode).toBe(0);
    const s = resumed.summary!;
    expect(s.steps.created).toBe(0);
    expect(s.steps.adopted).toBeGreaterThan(1);
    expect(s.writes).toBe(0);
    expect(tenantPicture(after)).toEqual(picture);
    expect(duplicates(after)).toEqual([]);

    // a journal that lost a unit altogether (edited: its begin line is synced before any request):
    // the unit's requests are sent again with the same idempotency keys and Mambu answers them as it
    // did the first time — nothing is written twice
    const lost = "client:MIG-C0007";
    const now = readFileSync(journal, "utf8").trim().split("\n");
    writeFileSync(journal, now.filter((l) => (JSON.parse(l) as { unit?: string }).unit !== lost).join("\n") + "\n");
    const again = await runMigration(plan, { ...quiet, ...conn(after), workdir, resume: true });
    expect(again.exitCode).toBe(0);
    expect(again.summary!.units).toMatchObject({ done: 60, resumed: 59 });
    expect(tenantPicture(after)).toEqual(picture);
    expect(duplicates(after)).toEqual([]);
  });

  it("an id taken by another holder's loan fails the unit with the reason; the rest is adopted", async () => {
    const other = subsetExample(60);
    const loans = readFileSync(join(other, "loans.csv"), "utf8");
    // MIG-L00001 is MIG-C0001's loan in the tenant; this plan gives it to MIG-C0002
    const moved = loans.replace(/^MIG-L00001,MIG-C0001,/m, "MIG-L00001,MIG-C0002,");
    expect(moved).not.toBe(loans);
    writeFileSync(join(other, "loans.csv"), moved);
    const r = await runMigration(join(other, "plan.yaml"), { ...quiet, ...conn(after), workdir: join(other, "w") });
    expect(r.exitCode).toBe(1);
    expect(r.failed.map((f) => [f.unit, f.reason])).toEqual([["client:MIG-C0002", expect.stringMatching(/^loan loan MIG-L00001 .*: loan MIG-L00001 exists in the tenant for another account holder/)]]);
    expect(r.summary!.steps.created).toBe(0);
    expect(duplicates(after)).toEqual([]);
  });
});
