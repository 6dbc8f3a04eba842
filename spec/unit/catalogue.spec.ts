/**
 * The entity catalogue: branches, centres, clients, groups, users, roles, tasks, custom fields and
 * custom field sets. For each: get and getAll with the API's filters and sort fields (bad ones fail
 * before any request), its relations (through the entity's own connector), and every request
 * checked against the Swagger contract (operation, declared query parameters and their enums,
 * bodies valid against their definitions).
 */
import nock from "nock";
import {
  clearCustomFieldDefinitions, clearCustomFieldTypes, Decimal, loadCustomFieldDefinitions, MambuBranch, MambuCentre,
  MambuClient, MambuCustomField, MambuCustomFieldSet, MambuDeposit, MambuDepositProduct, MambuEntity, MambuGroup,
  MambuGroupMember, MambuLoan, MambuProduct, MambuRole, MambuTask, MambuTsError, MambuUser, registerCustomFieldTypes,
} from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { fixture, fixtureJson, HOST, mambu, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
interface Seen { method: string; path: string; body?: string; headers: Record<string, unknown> }

const CLIENT_KEY = "8a099a673f1f25a0013f1fd0a1c318a5";
const BRANCH_KEY = "8a00000000000000000000000000b001";
const CENTRE_KEY = "8a00000000000000000000000000ce01";
const USER_KEY = "8a00000000000000000000000000a001";
const GROUP_KEY = "8a000000000000000000000000009001";
const ROLE_KEY = "8a00000000000000000000000000r001";

let seen: Seen[] = [];

/** The test tenant, recording every request for the contract check. */
function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string; headers: Record<string, unknown> }, _i: unknown, body?: string) => {
    seen.push({ method: req.method, path: req.path, body, headers: req.headers });
  });
  return scope;
}

/** A request is a Swagger operation; its query parameters are declared there, with valid enum values; required ones are present. */
function expectContract(r: Seen): void {
  const m = findOperation(r.method, r.path);
  expect([r.method, r.path, m?.op.path]).toEqual([r.method, r.path, expect.any(String)]);
  const op = m!.op;
  const query = new URL(r.path, HOST).searchParams;
  for (const [name, value] of query) {
    const q = op.query.find((x) => x.name === name);
    expect([op.path, name, q !== undefined]).toEqual([op.path, name, true]);
    if (q?.enum) expect(q.enum).toContain(value);
    if (q?.type === "integer") expect(value).toMatch(/^\d+$/);
  }
  for (const q of op.query) if (q.required) expect([op.path, q.name, query.has(q.name)]).toEqual([op.path, q.name, true]);
  if (op.body && r.body !== undefined && r.body !== "") {
    expect(validateAgainst(m!.resource, op.body, JSON.parse(r.body))).toEqual([]);
  }
}

afterEach(() => {
  const requests = seen;
  seen = [];
  const pending = nock.pendingMocks();
  nock.cleanAll();
  clearCustomFieldDefinitions();
  clearCustomFieldTypes();
  expect(pending).toEqual([]);
  for (const r of requests) expectContract(r);
});

/** Expects a call to throw a MambuTsError before any request (nock would refuse an unexpected one anyway). */
function expectRefused(call: () => unknown, message: RegExp | string): void {
  const before = seen.length;
  expect(call).toThrow(MambuTsError);
  expect(call).toThrow(message);
  expect(seen.length).toBe(before);
}

test("fixtures are valid Mambu wire records", () => {
  const cases: [string, string, string][] = [
    ["group-full.json", "groups", "Group"], ["user-full.json", "users", "User"], ["branch.json", "branches", "Branch"],
    ["centre.json", "centres", "Centre"], ["role.json", "userroles", "Role"], ["task.json", "tasks", "Task"],
  ];
  for (const [file, resource, def] of cases) expect([file, validateAgainst(resource, { type: "object", ref: def }, fixtureJson(file))]).toEqual([file, []]);
  const lists: [string, string, string][] = [
    ["customfieldsets.json", "customfieldsets", "CustomFieldSetMeta"], ["customfields-otherdetails.json", "customfields", "CustomFieldMeta"],
    ["customfields-assets.json", "customfields", "CustomFieldMeta"], ["documents-metadata.json", "documents", "Document"],
    ["comments.json", "comments", "Comment"],
  ];
  for (const [file, resource, def] of lists) {
    expect([file, validateAgainst(resource, { type: "array", items: { type: "object", ref: def } }, fixtureJson(file))]).toEqual([file, []]);
  }
});

describe("MambuBranch", () => {
  test("get, getAll sorted; no filters; sort fields checked", async () => {
    const connector = testConnector();
    tenant().get("/api/branches/CCAZ").query({ detailsLevel: "BASIC" }).reply(200, fixture("branch.json"));
    const branch = await MambuBranch.get("CCAZ", { connector });
    expect([branch.name, branch.state, branch.addresses?.[0].city]).toEqual(["Centro Azteca", "ACTIVE", "Oaxaca"]);

    tenant().get("/api/branches").query({ sortBy: "name:ASC", offset: "0", limit: "50" }).reply(200, `[${fixture("branch.json")}]`);
    const all = await MambuBranch.getAll({ sortBy: "name:ASC", connector });
    expect(all.map((b) => b.id)).toEqual(["CCAZ"]);

    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuBranch.getAll({ filters: { branchId: "CCAZ" } }), "MambuBranch takes no filters");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuBranch.getAll({ sortBy: "state:ASC" }), "field state not in allowed sortBy fields for MambuBranch: creationDate, lastModifiedDate, id, name");
    expect(MambuBranch.spec.sortBy).toEqual(["creationDate", "lastModifiedDate", "id", "name"]);
  });

  test("is read-only", async () => {
    const branch = MambuBranch.fromWire(fixtureJson("branch.json"), testConnector());
    await expect(branch.update()).rejects.toThrow("MambuBranch cannot be updated through the API v2 (read-only resource)");
  });
});

describe("MambuCentre", () => {
  test("getAll by branchId, sortBy; other filters refused; getAssignedBranch", async () => {
    const connector = testConnector();
    tenant().get("/api/centres").query({ branchId: "CCAZ", sortBy: "id:DESC", offset: "0", limit: "50" }).reply(200, `[${fixture("centre.json")}]`);
    const [centre] = await MambuCentre.getAll({ filters: { branchId: "CCAZ" }, sortBy: "id:DESC", connector });
    expect(centre.id).toBe("TribeAZ-1");

    tenant().get(`/api/branches/${BRANCH_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, fixture("branch.json"));
    const branch = await centre.getAssignedBranch();
    expect(branch).toBeInstanceOf(MambuBranch);
    expect(centre.assignedBranch).toBe(branch);
    expect(Object.keys(centre.toJSON())).not.toContain("assignedBranch");

    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuCentre.getAll({ filters: { centreId: "x" } }), "key centreId not in allowed filters for MambuCentre: branchId");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuCentre.getAll({ sortBy: "state" }), /not in allowed sortBy fields/);
  });
});

describe("MambuClient", () => {
  test("getGroups: the groups of groupKeys, in order, through the client's connector; also client.groups", async () => {
    const connector = testConnector({ apiuser: "other.user" });
    const client = MambuClient.fromWire({ ...fixtureJson("client-full.json"), groupKeys: [GROUP_KEY, "8a000000000000000000000000009002"] }, connector);
    tenant().get(`/api/groups/${GROUP_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, fixture("group-full.json"));
    tenant().get("/api/groups/8a000000000000000000000000009002").query({ detailsLevel: "BASIC" })
      .reply(200, { ...fixtureJson("group-full.json"), encodedKey: "8a000000000000000000000000009002", id: "G2" });
    const groups = await client.getGroups();
    expect(groups.map((g) => [g.constructor.name, g.id])).toEqual([["MambuGroup", "24G23446"], ["MambuGroup", "G2"]]);
    expect(client.groups).toBe(groups);
    expect(client.toJSON()).toEqual({ ...fixtureJson("client-full.json"), groupKeys: [GROUP_KEY, "8a000000000000000000000000009002"] });
    for (const r of seen) expect(Buffer.from(String(r.headers.authorization).slice(6), "base64").toString()).toMatch(/^other\.user:/);
  });

  test("getGroups of a client in no group: [] without a request", async () => {
    const client = MambuClient.fromWire({ ...fixtureJson("client-full.json"), groupKeys: [] }, testConnector());
    expect(await client.getGroups()).toEqual([]);
    const none = MambuClient.fromWire({ id: "X", encodedKey: "k" }, testConnector());
    expect(await none.getGroups()).toEqual([]);
  });

  test("in one expression: MambuClient.get(...).getGroups()", async () => {
    tenant().get("/api/clients/0512N0025").query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
    tenant().get(`/api/groups/${GROUP_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, fixture("group-full.json"));
    const groups = await MambuClient.get("0512N0025", { connector: testConnector() }).getGroups();
    expect(groups[0].groupName).toBe("Mujeres Emprendedoras");
  });

  test("assigned branch, centre and credit officer", async () => {
    const client = MambuClient.fromWire(fixtureJson("client-full.json"), testConnector());
    tenant().get(`/api/branches/${BRANCH_KEY}`).query(true).reply(200, fixture("branch.json"));
    tenant().get(`/api/centres/${CENTRE_KEY}`).query(true).reply(200, fixture("centre.json"));
    tenant().get(`/api/users/${USER_KEY}`).query(true).reply(200, fixture("user-full.json"));
    expect((await client.getAssignedBranch()).id).toBe("CCAZ");
    expect((await client.getAssignedCentre()).id).toBe("TribeAZ-1");
    expect((await client.getAssignedUser()).username).toBe("a.alas");
  });
});

describe("MambuGroup", () => {
  test("groupMembers are MambuGroupMember value objects; getClient() through the group's connector", async () => {
    const connector = testConnector({ apiuser: "group.reader" });
    tenant().get("/api/groups/24G23446").query({ detailsLevel: "FULL" }).reply(200, fixture("group-full.json"));
    const group = await MambuGroup.get("24G23446", { detailsLevel: "FULL", connector });
    const [first, second] = group.groupMembers!;
    expect(first).toBeInstanceOf(MambuGroupMember);
    expect(first.clientKey).toBe(CLIENT_KEY);
    expect(first.roles?.[0].roleName).toBe("Presidenta");

    tenant().get(`/api/clients/${CLIENT_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
    const client = await first.getClient();
    expect(client).toBeInstanceOf(MambuClient);
    expect(client.firstName).toBe("JOSEFA");
    expect(first.client).toBe(client);
    expect(Buffer.from(String(seen[1].headers.authorization).slice(6), "base64").toString()).toMatch(/^group\.reader:/);

    tenant().get(`/api/clients/${CLIENT_KEY}`).query(true).reply(200, fixture("client-full.json"));
    tenant().get("/api/clients/8a00000000000000000000000000c002").query(true).reply(200, { ...fixtureJson("client-full.json"), encodedKey: second.clientKey, id: "C2" });
    expect((await group.getMembers()).map((c) => c.id)).toEqual(["0512N0025", "C2"]);

    // what is written back is exactly what was read (no member.client, no methods)
    expect(group.toJSON()).toEqual(fixtureJson("group-full.json"));
    expect(group.pendingPatch()).toEqual([]);
  });

  test("a member without clientKey is a clear error", async () => {
    const group = MambuGroup.fromWire({ id: "G", encodedKey: "k", groupMembers: [{ roles: [] }] }, testConnector());
    await expect(group.groupMembers![0].getClient()).rejects.toThrow("group member has no clientKey");
  });

  test("filters and sort fields", async () => {
    tenant().get("/api/groups").query({ creditOfficerUsername: "a.alas", sortBy: "groupName:ASC", offset: "0", limit: "20" }).reply(200, []);
    await MambuGroup.getAll({ limit: 20, offset: 0, filters: { creditOfficerUsername: "a.alas" }, sortBy: "groupName:ASC", connector: testConnector() });
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuGroup.getAll({ filters: { state: "ACTIVE" } }), "key state not in allowed filters for MambuGroup: branchId, centreId, creditOfficerUsername");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuGroup.getAll({ sortBy: "id" }), /field id not in allowed sortBy fields for MambuGroup/);
  });
});

describe("MambuUser", () => {
  test("getAll by branchId, with branchIdType as an option or as a filter", async () => {
    const connector = testConnector();
    tenant().get("/api/users").query({ branchId: "CCAZ", branchIdType: "MANAGE", offset: "0", limit: "50" }).reply(200, `[${fixture("user-full.json")}]`);
    expect((await MambuUser.getAll({ filters: { branchId: "CCAZ" }, branchIdType: "MANAGE", connector }))[0].username).toBe("a.alas");
    tenant().get("/api/users").query({ branchId: "CCAZ", branchIdType: "ASSIGNED", offset: "0", limit: "50" }).reply(200, []);
    expect(await MambuUser.getAll({ filters: { branchId: "CCAZ", branchIdType: "ASSIGNED" }, connector })).toEqual([]);
  });

  test("branchIdType without branchId, or not ASSIGNED/MANAGE: refused before any request", () => {
    expectRefused(() => MambuUser.getAll({ branchIdType: "ASSIGNED" }), "branchIdType not allowed if branchId not provided");
    expectRefused(() => MambuUser.getAll({ filters: { branchIdType: "MANAGE" } }), "branchIdType not allowed if branchId not provided");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuUser.getAll({ filters: { branchId: "CCAZ" }, branchIdType: "OWN" }), 'Invalid branchIdType: "OWN" (one of ASSIGNED, MANAGE)');
    expectRefused(() => MambuUser.getAll({ filters: { branchId: "CCAZ", branchIdType: "MANAGE" }, branchIdType: "ASSIGNED" }), "branchIdType given twice");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuUser.getAll({ filters: { centreId: "x" } }), /key centreId not in allowed filters for MambuUser/);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuUser.getAll({ sortBy: "username" }), "MambuUser cannot be sorted");
  });

  test("getRole: the MambuRole of role.encodedKey, replacing user.role; written back as { encodedKey, id }", async () => {
    const connector = testConnector();
    tenant().get("/api/users/a.alas").query({ detailsLevel: "FULL" }).reply(200, fixture("user-full.json"));
    const user = await MambuUser.get("a.alas", { detailsLevel: "FULL", connector });
    expect(user.role?.id).toBe("CO");
    tenant().get(`/api/userroles/${ROLE_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, fixture("role.json"));
    const role = await user.getRole();
    expect(role).toBeInstanceOf(MambuRole);
    expect(user.role).toBe(role);
    expect((user.role as MambuRole).name).toBe("Credit Officer");
    expect(user.toJSON()).toEqual(fixtureJson("user-full.json"));
    user.firstName = "Anita";
    expect(user.pendingPatch()).toEqual([{ op: "REPLACE", path: "/firstName", value: "Anita" }]);
  });

  test("getRole of a user read BASIC (no role) is a clear error; getAssignedBranch", async () => {
    const { role: _role, ...basic } = fixtureJson("user-full.json");
    const user = MambuUser.fromWire(basic, testConnector());
    await expect(user.getRole()).rejects.toThrow("MambuUser has no role (Mambu sends it with detailsLevel FULL)");
    tenant().get(`/api/branches/${BRANCH_KEY}`).query(true).reply(200, fixture("branch.json"));
    expect((await user.getAssignedBranch()).id).toBe("CCAZ");
  });

  test("writable: create posts a body valid against the API", async () => {
    let body: Bag = {};
    tenant().post("/api/users", (b: Bag) => ((body = b), true)).reply(201, fixture("user-full.json"));
    const user = new MambuUser({ username: "a.alas", firstName: "Ana", lastName: "Alas", email: "ana@example.com", role: { encodedKey: ROLE_KEY } });
    await user.create({ connector: testConnector() });
    expect(body).toEqual({ username: "a.alas", firstName: "Ana", lastName: "Alas", email: "ana@example.com", role: { encodedKey: ROLE_KEY } });
    expect(user.encodedKey).toBe(USER_KEY);
  });
});

describe("MambuRole", () => {
  test("get, getAll (no filters, no sort), create and patch", async () => {
    const connector = testConnector();
    tenant().get("/api/userroles/CO").query({ detailsLevel: "BASIC" }).reply(200, fixture("role.json"));
    const role = await MambuRole.get("CO", { connector });
    expect([role.name, role.access?.creditOfficerAccess]).toEqual(["Credit Officer", true]);
    tenant().get("/api/userroles").query({ offset: "0", limit: "50" }).reply(200, `[${fixture("role.json")}]`);
    expect((await MambuRole.getAll({ connector })).map((r) => r.id)).toEqual(["CO"]);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuRole.getAll({ filters: { name: "x" } }), "MambuRole takes no filters");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuRole.getAll({ sortBy: "name" }), "MambuRole cannot be sorted");

    tenant().patch(`/api/userroles/${ROLE_KEY}`, [{ op: "REPLACE", path: "/notes", value: "all field staff" }]).reply(204);
    role.notes = "all field staff";
    await role.patch();

    tenant().post("/api/userroles", { name: "Teller", access: { tellerAccess: true } }).reply(201, { ...fixtureJson("role.json"), id: "TL", name: "Teller" });
    const teller = await new MambuRole({ name: "Teller", access: { tellerAccess: true } }).create({ connector });
    expect(teller.id).toBe("TL");
  });
});

describe("MambuTask", () => {
  test("get, getAll with its filters; status checked; no sortBy", async () => {
    const connector = testConnector();
    tenant().get("/api/tasks/17").query(true).reply(200, fixture("task.json"));
    const task = await MambuTask.get(17, { connector });
    expect([task.id, task.title, task.dueDate.toISODate(), task.status]).toEqual([17, "Visit client", "2021-04-20", "OPEN"]);

    tenant().get("/api/tasks").query({ username: "a.alas", clientId: "0512N0025", status: "OPEN", offset: "0", limit: "50" }).reply(200, `[${fixture("task.json")}]`);
    expect(await MambuTask.getAll({ filters: { username: "a.alas", clientId: "0512N0025", status: "OPEN" }, connector })).toHaveLength(1);
    tenant().get("/api/tasks").query({ groupId: "24G23446", offset: "0", limit: "50" }).reply(200, []);
    expect(await MambuTask.getAll({ filters: { groupId: "24G23446" }, connector })).toEqual([]);

    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuTask.getAll({ filters: { status: "DONE" } }), 'MambuTask.getAll: status must be one of OPEN, COMPLETED, got "DONE"');
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuTask.getAll({ filters: { branchId: "x" } }), "key branchId not in allowed filters for MambuTask: username, clientId, groupId, status");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuTask.getAll({ sortBy: "dueDate" }), "MambuTask cannot be sorted");
  });

  const links: [string, string, () => Function, Record<string, string>][] = [
    ["CLIENT", "clients", () => MambuClient, { detailsLevel: "BASIC" }],
    ["GROUP", "groups", () => MambuGroup, { detailsLevel: "BASIC" }],
    ["LOAN_ACCOUNT", "loans", () => MambuLoan, { detailsLevel: "BASIC" }],
    ["DEPOSIT_ACCOUNT", "deposits", () => MambuDeposit, { detailsLevel: "BASIC" }],
    ["LOAN_PRODUCT", "loanproducts", () => MambuProduct, { detailsLevel: "FULL" }],
    ["SAVINGS_PRODUCT", "depositproducts", () => MambuDepositProduct, { detailsLevel: "FULL" }],
    ["USER", "users", () => MambuUser, { detailsLevel: "BASIC" }],
    ["BRANCH", "branches", () => MambuBranch, { detailsLevel: "BASIC" }],
    ["CENTRE", "centres", () => MambuCentre, { detailsLevel: "BASIC" }],
  ];
  test.each(links)("getTaskLink for taskLinkType %s → GET /%s/{key}", async (type, prefix, cls, query) => {
    const connector = testConnector({ apiuser: "task.reader" });
    const task = MambuTask.fromWire({ ...fixtureJson("task.json"), taskLinkType: type, taskLinkKey: "8a0000000000000000000000000link1" }, connector);
    tenant().get(`/api/${prefix}/8a0000000000000000000000000link1`).query(query).reply(200, { encodedKey: "8a0000000000000000000000000link1", id: "L1" });
    const linked = await task.getTaskLink();
    expect(linked).toBeInstanceOf(cls());
    expect(task.taskLink).toBe(linked);
    expect(Buffer.from(String(seen[0].headers.authorization).slice(6), "base64").toString()).toMatch(/^task\.reader:/);
  });

  test("getTaskLink of a type that is no entity, or of no link, rejects; getAssignedUser", async () => {
    const odd = MambuTask.fromWire({ ...fixtureJson("task.json"), taskLinkType: "GL_JOURNAL_ENTRY" }, testConnector());
    await expect(odd.getTaskLink()).rejects.toThrow("taskLinkType GL_JOURNAL_ENTRY cannot be resolved to an entity by mambu-ts");
    const { taskLinkType: _t, taskLinkKey: _k, ...unlinked } = fixtureJson("task.json");
    await expect(MambuTask.fromWire(unlinked, testConnector()).getTaskLink()).rejects.toThrow("MambuTask has no taskLinkType: it is linked to nothing");
    tenant().get(`/api/users/${USER_KEY}`).query(true).reply(200, fixture("user-full.json"));
    expect((await MambuTask.fromWire(fixtureJson("task.json"), testConnector()).getAssignedUser()).username).toBe("a.alas");
  });

  test("writable: create a task about a client", async () => {
    let body: Bag = {};
    tenant().post("/api/tasks", (b: Bag) => ((body = b), true)).reply(201, fixture("task.json"));
    const task = new MambuTask({
      title: "Visit client", description: "Collect the signed contract", dueDate: "2021-04-20", assignedUserKey: USER_KEY,
      taskLinkType: "CLIENT", taskLinkKey: CLIENT_KEY,
    });
    await task.create({ connector: testConnector() });
    expect(body).toEqual({
      title: "Visit client", description: "Collect the signed contract", dueDate: "2021-04-20", assignedUserKey: USER_KEY,
      taskLinkType: "CLIENT", taskLinkKey: CLIENT_KEY,
    });
    expect(task.id).toBe(17);
  });
});

describe("MambuCustomFieldSet", () => {
  test("getAll availableFor, checked against the API's list; no filters, no sortBy; no get", async () => {
    const connector = testConnector();
    tenant().get("/api/customfieldsets").query({ availableFor: "CLIENT", offset: "0", limit: "50" }).reply(200, fixture("customfieldsets.json"));
    const sets = await MambuCustomFieldSet.getAll({ availableFor: "CLIENT", connector });
    expect(sets.map((s) => [s.id, s.fieldSetType, s.customFields?.length])).toEqual([["_OtherDetails", "STANDARD", 2], ["_Assets", "GROUPED", 1]]);

    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuCustomFieldSet.getAll({ availableFor: "PLANET" }), /key "PLANET" not in allowed availableFor: CLIENT, GROUP, CREDIT_ARRANGEMENT, LOAN_ACCOUNT, GUARANTOR, ASSET, DEPOSIT_ACCOUNT, TRANSACTION_CHANNEL, BRANCH, CENTRE, USER/);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuCustomFieldSet.getAll({ filters: { id: "_X" } }), "MambuCustomFieldSet takes no filters");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuCustomFieldSet.getAll({ sortBy: "id" }), "MambuCustomFieldSet cannot be sorted");
    expectRefused(() => MambuCustomFieldSet.get("_OtherDetails"), /no GET \/customfieldsets\/\{id\}/);

    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs001/customfields").query({ offset: "0", limit: "50" }).reply(200, fixture("customfields-otherdetails.json"));
    const fields = await sets[0].getCustomFields();
    expect(fields.map((f) => [f.constructor.name, f.id, f.type])).toEqual([["MambuCustomField", "Age", "NUMBER"], ["MambuCustomField", "GuarantorClient", "CLIENT_LINK"]]);
  });
});

describe("MambuCustomField", () => {
  function mockDefinitions(): void {
    tenant().get("/api/customfieldsets").query({ offset: "0", limit: "50" }).reply(200, fixture("customfieldsets.json"));
    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs001/customfields").query({ offset: "0", limit: "50" }).reply(200, fixture("customfields-otherdetails.json"));
    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs002/customfields").query({ offset: "0", limit: "50" }).reply(200, fixture("customfields-assets.json"));
  }

  test("get by id; getAll walks every set's fields", async () => {
    const connector = testConnector();
    tenant().get("/api/customfields/Age").query({ detailsLevel: "BASIC" }).reply(200, fixtureJson<Bag[]>("customfields-otherdetails.json")[0]);
    const age = await MambuCustomField.get("Age", { connector });
    expect([age.id, age.type, age.displaySettings?.displayName]).toEqual(["Age", "NUMBER", "Age"]);

    mockDefinitions();
    const all = await MambuCustomField.getAll({ connector });
    expect(all.map((f) => `${f.id}:${f.type}`)).toEqual(["Age:NUMBER", "GuarantorClient:CLIENT_LINK", "ASSETVALUE:NUMBER"]);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expectRefused(() => MambuCustomField.getAll({ limit: 5 }), /MambuCustomField.getAll: unknown option "limit"/);
    await expect(new MambuCustomField({ id: "X" }).update()).rejects.toThrow(/read-only/);
  });

  test("registerCustomFieldTypes(await MambuCustomField.getAll()) types values", async () => {
    const connector = testConnector();
    mockDefinitions();
    registerCustomFieldTypes(await MambuCustomField.getAll({ connector }));
    const client = MambuClient.fromWire(fixtureJson("client-full.json"), connector);
    expect(Decimal.isDecimal(client.Age)).toBe(true);
    expect(Decimal.isDecimal(client.ASSETVALUE_0)).toBe(true);
    expect(client.toJSON()).toEqual(fixtureJson("client-full.json"));
  });

  test("loadCustomFieldDefinitions({ availableFor }) registers types and link getters", async () => {
    const connector = testConnector();
    tenant().get("/api/customfieldsets").query({ availableFor: "CLIENT", offset: "0", limit: "50" }).reply(200, fixture("customfieldsets.json"));
    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs001/customfields").query(true).reply(200, fixture("customfields-otherdetails.json"));
    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs002/customfields").query(true).reply(200, fixture("customfields-assets.json"));
    const defs = await loadCustomFieldDefinitions({ availableFor: "CLIENT", connector });
    expect(defs).toHaveLength(3);
    const client = MambuClient.fromWire(fixtureJson("client-full.json"), connector);
    expect(client.Age).toEqual(new Decimal(48));
    expect(typeof (MambuEntity.prototype as unknown as Bag).getGuarantorClient).toBe("function");
    await expect(loadCustomFieldDefinitions({ availableFor: "CLIENT", limit: 1 } as never)).rejects.toThrow(/unknown option "limit"/);
  });
});
