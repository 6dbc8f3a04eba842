/**
 * Group memberships with roles: a `groupMembers` source adds members to the plan's groups and gives
 * them roles (by the key of the tenant's group role name), sent in the group's creation — no request
 * of their own; a rerun and a resume create nothing twice; the roles reconcile; a bad row is refused
 * at its cell before anything is sent.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import type { Sandbox } from "../../lib/sandbox";
import { demoTarget, freshWorkdir, quiet, resumeAfterKill, sandboxPerSuite, silent, withSandbox } from "./migrate-book-helpers";
import { duplicates, subsetExample } from "./migrate-helpers";

jest.setTimeout(180_000);

const GROUP = { id: "MIG-G900", name: "Grupo Solidario Norte", branch: "CCAZ", centre: "TribeAZ-1", officer: "a.alas", members: ["MIG-C0001"], industry: "commerce" };
const MEMBERS = [
  "group_id,client_id,role_key,role_name",
  "MIG-G900,MIG-C0001,8a1a00000000000000000000000000a1,Leader",
  "MIG-G900,MIG-C0002,8a1a00000000000000000000000000a2,Treasurer",
  "MIG-G900,MIG-C0003,,",
  "MIG-G900,MIG-C0001,8a1a00000000000000000000000000a3,",
].join("\n");

/** A copy of the example's first 5 clients with one group and its members' roles. */
function planWithRoles(rows = MEMBERS): string {
  const dir = subsetExample(5);
  writeFileSync(join(dir, "groups.jsonl"), `${JSON.stringify(GROUP)}\n`);
  writeFileSync(join(dir, "group-members.csv"), `${rows}\n`);
  const plan = join(dir, "plan.yaml");
  writeFileSync(
    plan,
    readFileSync(plan, "utf8")
      .replace("sources:\n", "sources:\n  groupMembers: { file: group-members.csv }\n")
      .replace(/^steps: .*$/m, "")
      .replace("\n  loans:\n", "\n  groupMembers:\n    groupId: group_id\n    clientId: client_id\n    groupRoleNameKey: role_key\n    roleName: role_name\n\n  loans:\n"),
  );
  return plan;
}

const conn = demoTarget;
/** The group's members as client ids with their role keys. */
const membersOf = (sb: Sandbox, id: string) => {
  const ids = new Map(sb.store.all("clients").map((c) => [c.encodedKey, String(c.id)]));
  const g = sb.store.find("groups", id)!;
  return ((g.groupMembers ?? []) as Array<{ clientKey: string; roles?: Array<{ groupRoleNameKey: string; roleName?: string }> }>).map((m) => [ids.get(m.clientKey), (m.roles ?? []).map((r) => `${r.groupRoleNameKey.slice(-2)}${r.roleName ? `:${r.roleName}` : ""}`)]);
};

describe("group members with roles", () => {
  const sb = sandboxPerSuite();
  const tmp = mkdtempSync(join(tmpdir(), "mig-roles-"));
  const plan = planWithRoles();

  it("creates the group with its members and their roles in one request, and reconciles the roles", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "first"), reconcile: true });
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.reconciliation!.units.filter((u) => u.differences.length).map((u) => [u.unit, u.differences, u.source.groupRoles.toString(), u.tenant.groupRoles.toString()])).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ group: { created: 1 } });
    expect(r.summary?.requests).toBe(r.summary?.writes);
    expect(membersOf(sb, "MIG-G900")).toEqual([
      ["MIG-C0001", ["a1:Leader", "a3"]],
      ["MIG-C0002", ["a2:Treasurer"]],
      ["MIG-C0003", []],
    ]);
    expect(r.reconciliation?.equal).toBe(true);
    expect(r.reconciliation?.totals.source.groupRoles.toString()).toBe("3");
    expect(r.reconciliation?.totals.tenant.groupRoles.toString()).toBe("3");
  });

  it("creates nothing on a rerun", async () => {
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "rerun"), reconcile: true });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.writes).toBe(0);
    expect(r.summary?.byStep).toMatchObject({ group: { created: 0, adopted: 1 } });
    expect(duplicates(sb)).toEqual([]);
    expect(r.reconciliation?.equal).toBe(true);
  });

  it("reconcile tells a role the tenant lost", async () => {
    const g = sb.store.find("groups", "MIG-G900")!;
    const members = g.groupMembers as Array<{ roles?: unknown[] }>;
    members[1].roles = [];
    const r = await runMigration(plan, { ...quiet, ...conn(sb), workdir: join(tmp, "first"), resume: true, reconcile: true });
    expect(r.reconciliation!.units.filter((u) => u.differences.length).map((u) => [u.unit, u.differences])).toEqual([["group:MIG-G900", ["groupRoles"]]]);
  });
});

it("resumes a run killed after the tenant created the group but before the journal said so, without a second group", async () => {
  await resumeAfterKill(planWithRoles(), { prefix: "mig-roles-kill-", lostFrom: (l) => /"step":"group"/.test(l), keepDone: (l: string) => !/group:/.test(l) }, (resumed, sb) => {
    expect(resumed.failed.map((f) => f.reason)).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.summary?.byStep.group).toMatchObject({ created: 0, adopted: 1 });
    expect(sb.store.all("groups").filter((g) => g.id === "MIG-G900")).toHaveLength(1);
    expect(resumed.reconciliation?.equal).toBe(true);
  });
});

it("refuses bad membership rows at their cells, sending nothing", async () => {
  await withSandbox(async (sb) => {
    const rows = [
      "group_id,client_id,role_key,role_name",
      "MIG-G999,MIG-C0001,,", // 2: not a group of the plan
      "MIG-G900,MIG-C9999,,", // 3: neither in the plan nor in the tenant
      "MIG-G900,MIG-C0002,not a key!,", // 4: not a key
      "MIG-G900,MIG-C0002,,Treasurer", // 5: a name without its key
      "MIG-G900,MIG-C0001,8a1a00000000000000000000000000a1,Leader", // 6
      "MIG-G900,MIG-C0001,8a1a00000000000000000000000000a1,Leader", // 7: twice
      "MIG-G900,MIG-G900,,", // 8: a group as a member
    ].join("\n");
    const r = await runMigration(planWithRoles(rows), { ...quiet, ...conn(sb), stderr: silent, workdir: freshWorkdir("mig-roles-bad-") });
    expect(r.exitCode).toBe(2);
    expect(r.problems.filter((p) => p.file.endsWith("group-members.csv")).map((p) => `${p.line}:${p.column} ${p.columnName ?? ""}: ${p.message}`)).toEqual([
      '2:1 group_id: groupId: no group "MIG-G999" in the plan\'s groups',
      '3:2 client_id: group member "MIG-C9999" is neither in the plan nor in the tenant',
      '4:3 role_key: groupRoleNameKey: expected the encodedKey of a group role name (letters, digits, _ and -), got "not a key!"',
      "5:3 role_key: groupRoleNameKey: is required with a roleName (API v2 takes roles by the key of their name)",
      '7:3 role_key: client "MIG-C0001" has this role in group "MIG-G900" twice (first at line 6)',
      '8:2 client_id: clientId: "MIG-G900" is a group; a group\'s members are clients',
    ]);
    expect(sb.store.all("groups").filter((g) => String(g.id).startsWith("MIG-"))).toHaveLength(0);
  });
});

it("the onboarding pack shows the roles in the group's sample and counts them", async () => {
  await withSandbox(async (sb) => {
    const r = await runMigration(planWithRoles(), { ...quiet, ...conn(sb), pack: join(mkdtempSync(join(tmpdir(), "mig-roles-pack-")), "pack") });
    expect(r.exitCode).toBe(0);
    const pack = r.pack!.content;
    expect(pack.volumes.entities).toMatchObject({ groups: 1, groupRoles: 3 });
    const sample = pack.samples.find((s) => s.method === "POST" && s.endpoint === "/api/groups");
    expect(JSON.stringify(sample?.body)).toContain('"groupRoleNameKey":"8a1a00000000000000000000000000a1"');
    expect(pack.reconciliation.checks.find((c) => c.metric === "groupRoles")?.total).toBe("3");
  });
});
