/**
 * Documents attached to the plan's clients and accounts: a `documents` source uploads each file
 * (relative to the plan) to its owner — client, loan or deposit account — with its title and notes;
 * a rerun uploads nothing; a run killed after the tenant stored a document but before the journal
 * said so resumes without a second copy (even with the tenant's idempotency cache gone); the
 * documents reconcile; a missing, empty or refused file, or an unknown owner, is refused at its cell
 * without quoting the file's name (personal data), before anything is sent; the pack counts the
 * uploads as a real run sends them.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { runMigration } from "../../lib/migrate";
import type { Sandbox } from "../../lib/sandbox";
import { demoTarget, freshWorkdir, packOf, quiet, resumeAfterKill, runBothFlows, sandboxPerSuite, silent, startSandboxes, withSandbox } from "./migrate-book-helpers";
import { subsetExample } from "./migrate-helpers";

jest.setTimeout(180_000);

const DOCS = [
  "owner_type,owner_id,path,title,remark",
  "CLIENT,MIG-C0001,docs/ine-carlos-ruiz.pdf,INE of Carlos Ruiz,Scanned at the branch",
  ",MIG-C0001,docs/proof-of-address.png,,",
  "LOAN_ACCOUNT,MIG-L00002,docs/contract.pdf,Loan contract,",
  "DEPOSIT_ACCOUNT,MIG-D0001,docs/savings-terms.txt,,",
].join("\n");

/** A copy of the example's first 5 clients, a savings account, and documents with their files. */
function planWithDocuments(rows = DOCS, files: Record<string, string> = { "docs/ine-carlos-ruiz.pdf": "%PDF-1.4 ine", "docs/proof-of-address.png": "PNG bytes", "docs/contract.pdf": "%PDF-1.4 contract", "docs/savings-terms.txt": "terms" }): string {
  const dir = subsetExample(5);
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), content);
  }
  writeFileSync(join(dir, "deposits.csv"), "deposit_id,holder_id,opening_balance,opening_date\nMIG-D0001,MIG-C0001,0,\n");
  writeFileSync(join(dir, "documents.csv"), `${rows}\n`);
  const plan = join(dir, "plan.yaml");
  writeFileSync(
    plan,
    readFileSync(plan, "utf8")
      .replace("sources:\n", "sources:\n  deposits: { file: deposits.csv }\n  documents: { file: documents.csv }\n")
      .replace(/^steps: .*$/m, "")
      .replace(
        "\n  schedules:\n",
        [
          "",
          "  deposits:",
          "    id: deposit_id",
          "    accountHolderId: holder_id",
          "    productTypeKey: { value: SAVINGS }",
          "    name: { value: Savings }",
          "    openingBalance: opening_balance",
          "    openingDate: opening_date",
          "  documents:",
          "    ownerType: owner_type",
          "    ownerId: owner_id",
          "    file: path",
          "    name: title",
          "    notes: remark",
          "",
          "  schedules:",
          "",
        ].join("\n"),
      ),
  );
  return plan;
}

const conn = demoTarget;
const docsOf = (sb: Sandbox, coll: "clients" | "loans" | "deposits", id: string) => {
  const key = sb.store.find(coll, id)!.encodedKey;
  return sb.store.all("documents").filter((d) => d.ownerKey === key);
};

describe("documents of clients and accounts", () => {
  const sb = sandboxPerSuite();
  const tmp = mkdtempSync(join(tmpdir(), "mig-docs-"));
  const plan = planWithDocuments();

  it("uploads each file to its owner with its title and notes, and reconciles", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "first"), reconcile: true });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.problems.map((p) => p.message)).toEqual([]);
    expect(r.reconciliation?.units.filter((u) => u.differences.length).map((u) => [u.unit, u.differences])).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ document: { created: 4, adopted: 0, journal: 0 } });
    expect(r.summary?.requests).toBe(r.summary?.writes);
    const client = docsOf(sb, "clients", "MIG-C0001").map((d) => [d.ownerType, d.name, d.fileName, d.notes]);
    expect(client.sort()).toEqual([
      ["CLIENT", "INE of Carlos Ruiz", "ine-carlos-ruiz.pdf", "Scanned at the branch"],
      ["CLIENT", "proof-of-address", "proof-of-address.png", undefined],
    ]);
    expect(docsOf(sb, "loans", "MIG-L00002").map((d) => [d.ownerType, d.name, d.fileSize])).toEqual([["LOAN_ACCOUNT", "Loan contract", 17]]);
    expect(docsOf(sb, "deposits", "MIG-D0001").map((d) => [d.ownerType, d.fileName])).toEqual([["DEPOSIT_ACCOUNT", "savings-terms.txt"]]);
    expect(r.reconciliation?.equal).toBe(true);
    expect(r.reconciliation?.totals.tenant.documents.toString()).toBe("4");
    // the journal and the report hold no file name, title or notes
    const journal = readFileSync(join(tmp, "first", "journal.jsonl"), "utf8");
    expect(journal).toContain('"step":"document"');
    expect(journal).not.toMatch(/carlos|Carlos|contract|Scanned|proof-of-address/);
  });

  it("uploads nothing on a rerun", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "rerun"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.writes).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ document: { created: 0, adopted: 4 } });
    expect(sb.store.all("documents")).toHaveLength(4);
    expect(r.reconciliation?.equal).toBe(true);
  });
});

it("resumes a run killed after the tenant stored the documents but before the journal did, without second copies", async () => {
  await resumeAfterKill(planWithDocuments(), { prefix: "mig-docs-kill-", lostFrom: (l) => /"step":"document"/.test(l) }, (resumed, sb) => {
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.writes).toBe(0);
    expect(resumed.summary?.byStep.document).toMatchObject({ created: 0 });
    expect(sb.store.all("documents")).toHaveLength(4);
    expect(resumed.reconciliation?.equal).toBe(true);
  });
});

it("refuses missing, empty and refused files and unknown owners at their cells, without quoting the file names, sending nothing", async () => {
  await withSandbox(async (sb) => {
    const rows = [
      "owner_type,owner_id,path,title,remark",
      "CLIENT,MIG-C0001,docs/missing-maria.pdf,,", // 2: no such file
      "CLIENT,MIG-C0001,docs/empty-maria.pdf,,", // 3: empty
      "CLIENT,MIG-C0001,docs/maria.exe,,", // 4: extension refused
      "CLIENT,MIG-C0001,../outside-maria.pdf,,", // 5: climbs out of the plan's directory
      "CLIENT,MIG-C9999,docs/ok.pdf,,", // 6: not a client of the plan
      "USER,MIG-C0001,docs/ok.pdf,,", // 7: an owner type of no plan record
      "CLIENT,MIG-C0001,,,", // 8: no file
    ].join("\n");
    const plan = planWithDocuments(rows, { "docs/empty-maria.pdf": "", "docs/maria.exe": "MZ", "docs/ok.pdf": "%PDF" });
    const r = await runMigration(plan, { ...quiet, ...conn(sb), stderr: silent, workdir: freshWorkdir("mig-docs-bad-") });
    expect(r.exitCode).toBe(2);
    const messages = r.problems.filter((p) => p.file.endsWith("documents.csv")).map((p) => `${p.line}:${p.column} ${p.columnName ?? ""}: ${p.message}`);
    expect(messages).toEqual([
      `2:3 path: file: no such file in the documents' directory ${dirname(plan)}`,
      "3:3 path: file: the file is empty (Mambu refuses empty files)",
      expect.stringMatching(/^4:3 path: file: Mambu does not accept \.exe files/),
      "5:3 path: file: give the path relative to the documents' directory (the plan's, or documentsDir), without .. (a value withheld: personal data)",
      '6:2 owner_id: ownerId: no client "MIG-C9999" in the plan',
      '7:1 owner_type: ownerType: expected CLIENT, GROUP, LOAN_ACCOUNT or DEPOSIT_ACCOUNT, got "USER"',
      "8:3 path: file: is required (the document's file, relative to the documents' directory)",
    ]);
    expect(messages.join("\n")).not.toMatch(/maria/);
    expect(sb.store.all("documents")).toHaveLength(0);
  });
});

it("a client left out for a missing file comes back through the failures plan, which reads the files where they are", async () => {
  await withSandbox(async (sb) => {
    const rows = ["owner_type,owner_id,path,title,remark", "CLIENT,MIG-C0002,docs/ok.pdf,,", "CLIENT,MIG-C0002,docs/late.pdf,,"].join("\n");
    const plan = planWithDocuments(rows, { "docs/ok.pdf": "%PDF ok" });
    const workdir = freshWorkdir("mig-docs-fail-");
    const r = await runMigration(plan, { ...quiet, ...conn(sb), skipInvalid: true, workdir });
    expect(r.summary?.units.skipped).toBe(1);
    expect(sb.store.find("clients", "MIG-C0002")).toBeUndefined();
    // the file arrives; the failures plan (in the workdir) takes the client with both documents
    writeFileSync(join(dirname(plan), "docs/late.pdf"), "%PDF late");
    const again = await runMigration(join(workdir, "failures", "plan.yaml"), { ...quiet, ...conn(sb), workdir: `${workdir}-2`, reconcile: true });
    expect(again.failed.map((f) => f.reason)).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(docsOf(sb, "clients", "MIG-C0002").map((d) => d.fileName).sort()).toEqual(["late.pdf", "ok.pdf"]);
  });
});

it("the onboarding pack counts the uploads as a real run sends them, in both flows, and holds no file name", async () => {
  const plan = planWithDocuments();
  const tmp = mkdtempSync(join(tmpdir(), "mig-docs-pack-"));
  const [p, a, b] = await startSandboxes(3);
  try {
    const pack = await packOf(plan, p, tmp);
    expect(pack.steps.find((s) => s.step === "document")?.count).toBe(4);
    expect(pack.volumes.entities).toMatchObject({ documents: 4 });
    expect(pack.calls.default.byEndpoint).toMatchObject({ "POST /api/documents": 4 });
    expect(pack.samples.find((s) => s.endpoint === "/api/documents")?.step).toBe("document");
    expect(readFileSync(join(tmp, "pack", "pack.json"), "utf8")).not.toMatch(/carlos|Carlos|Scanned/);
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
