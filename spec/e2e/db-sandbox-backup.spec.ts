/**
 * The whole path of issue 18 against a real MariaDB (spec/helpers/mariadb.ts; skipped, saying why, where MariaDB
 * is not installed): a sandbox tenant with clients, groups and loans → `backupDatabase` (the sandbox's zip of a
 * MySQL dump) → `restoreBackup` → the read models answer what the API answers for the same tenant: counts, exact
 * sums of loan amounts and balances, each loan's holder, each client's custom field values.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupDatabase, MambuConfig, MambuConnector } from "../../lib";
import { Decimal } from "../../lib/core/money";
import { MambuDatabase, openDatabase, restoreBackup } from "../../lib/db";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { backupSettled } from "../../lib/sandbox/platform/database-backup";
import { describeWithMariaDb } from "../helpers/mariadb";
import { demoConnector } from "../helpers/sandbox-connector";

type Json = Record<string, any>;

describeWithMariaDb("a sandbox backup restored into MariaDB reads as the API", (server) => {
  let sb: Sandbox;
  let connector: MambuConnector;
  let db: MambuDatabase;
  const dir = mkdtempSync(join(tmpdir(), "mambu-db-sandbox-"));

  /** Every record of a list endpoint (the demo tenant is small: one page of 1000). */
  const all = async (path: string): Promise<Json[]> => {
    const r = await connector.request<Json[]>({ method: "GET", path, query: { detailsLevel: "FULL", limit: 1000, paginationDetails: "ON" } });
    expect(Number(r.headers["items-total"] ?? (r.body as Json[]).length)).toBeLessThanOrEqual(1000);
    return r.body as Json[];
  };

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
    connector = demoConnector(sb);
    // A client with awkward text, so the dump's escaping is exercised too.
    await connector.request({ method: "POST", path: "/clients", body: { firstName: "Zoë 😀 O'Neil", lastName: "Back\\slash; -- not a comment", notes: "line1\nline2" } });
    const out = join(dir, "tenant.zip");
    await backupDatabase({ out, pollInterval: 10, connector });
    const s = server();
    const config = new MambuConfig({ env: {}, rcFiles: [] });
    await restoreBackup(out, { host: s.host, port: s.port, user: s.user, password: s.password, database: "sandbox", config });
    db = await openDatabase({ host: s.host, port: s.port, user: s.user, password: s.password, name: "sandbox", config });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    if (sb) {
      await backupSettled(sb.store);
      connector.close();
      await sb.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test("counts of clients, groups, branches, centres and loans", async () => {
    const clients = await all("/clients");
    expect(clients.length).toBeGreaterThan(1);
    expect(await db.clients.count()).toBe(clients.length);
    expect(await db.groups.count()).toBe((await all("/groups")).length);
    expect(await db.branches.count()).toBe((await all("/branches")).length);
    expect(await db.centres.count()).toBe((await all("/centres")).length);
    const loans = await all("/loans");
    expect(loans.length).toBeGreaterThan(0);
    expect(await db.loans.count()).toBe(loans.length);
  });

  test("exact sums of loan amounts and balances, and each loan's figures, holder and state", async () => {
    const loans = await all("/loans");
    const sum = (f: (l: Json) => unknown): string => loans.reduce((s, l) => s.plus(new Decimal(String(f(l) ?? 0))), new Decimal(0)).toFixed();
    expect((await db.loans.sum("loanAmount")).toFixed()).toBe(sum((l) => l.loanAmount));
    expect((await db.loans.sum("principalBalance")).toFixed()).toBe(sum((l) => l.balances?.principalBalance));
    expect((await db.loans.sum("interestBalance")).toFixed()).toBe(sum((l) => l.balances?.interestBalance));
    for (const l of loans) {
      const row = await db.loans.get(l.id);
      expect([row.encodedKey, row.accountState, row.loanAmount!.toFixed(), row.accountHolderKey]).toEqual([l.encodedKey, l.accountState, new Decimal(l.loanAmount).toFixed(), l.accountHolderKey]);
      expect((await row.holder())?.encodedKey).toBe(l.accountHolderKey);
    }
  });

  test("a loan's installments (principalDue: the installment's expected principal, as in Mambu's database) and transactions", async () => {
    let installments = 0;
    for (const l of await all("/loans")) {
      const loan = await db.loans.get(l.id);
      const schedule = (await connector.request<Json>({ method: "GET", path: `/loans/${l.encodedKey}/schedule` })).body.installments as Json[];
      const repayments = await loan.repayments().all();
      expect(repayments.map((r) => r.principalDue!.toFixed())).toEqual(schedule.map((i) => new Decimal(i.principal?.amount?.expected ?? 0).toFixed()));
      installments += repayments.length;
      const txs = (await connector.request<Json[]>({ method: "GET", path: `/loans/${l.encodedKey}/transactions`, query: { limit: 1000 } })).body as Json[];
      const rows = await loan.transactions().all();
      expect(rows.map((t) => [t.encodedKey, t.type, t.amount!.toFixed()]).sort()).toEqual(txs.map((t) => [t.encodedKey, t.type, new Decimal(t.amount).toFixed()]).sort());
    }
    expect(installments).toBeGreaterThan(0);
  });

  test("a branch's clients, a client's loans, a group's members", async () => {
    const clients = await all("/clients");
    const loans = await all("/loans");
    for (const b of await all("/branches")) {
      const branch = await db.branches.get(b.id);
      expect(await branch.clients().count()).toBe(clients.filter((c) => c.assignedBranchKey === b.encodedKey).length);
    }
    for (const c of clients) {
      const client = await db.clients.get(c.id);
      expect([client.firstName, client.lastName]).toEqual([c.firstName, c.lastName]);
      expect((await client.loans().all()).map((l) => l.id).sort()).toEqual(loans.filter((l) => l.accountHolderKey === c.encodedKey).map((l) => l.id).sort());
    }
    let memberships = 0;
    for (const g of await all("/groups")) {
      const group = await db.groups.get(g.id);
      const members = (g.groupMembers ?? []).map((m: Json) => m.clientKey).sort();
      expect((await group.members().all()).map((m) => m.encodedKey).sort()).toEqual(members);
      memberships += members.length;
    }
    expect(memberships).toBeGreaterThan(0);
  });

  test("each client's custom field values (a link field's value is the linked record's encoded key, as MambuPy reads linkedEntityKeyValue)", async () => {
    let seen = 0;
    for (const c of await all("/clients")) {
      const api = new Map<string, string>();
      for (const [set, fields] of Object.entries(c)) {
        if (!set.startsWith("_") || typeof fields !== "object" || fields === null || Array.isArray(fields)) continue;
        for (const [field, value] of Object.entries(fields as Json)) if (typeof value !== "object") api.set(`${set}.${field}`, String(value));
      }
      const client = await db.clients.get(c.id);
      const rows = new Map((await client.customFieldValues()).filter((v) => v.groupIndex === null).map((v) => [`${v.setId}.${v.fieldId}`, (v.linkedEntityKey ?? v.value) ?? ""]));
      expect(rows).toEqual(api);
      seen += api.size;
    }
    expect(seen).toBeGreaterThan(0);
  });
});
