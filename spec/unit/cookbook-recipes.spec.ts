/**
 * The MambuPy cookbook's section 2 (groups), section 4 (branches, centres, users, assignments) and
 * its "Next Recipes" (custom fields search, entity updates, updating custom fields, entity creation,
 * account and group reassignment, reassigning a user's accounts and groups, other credentials,
 * logging), in TypeScript against mocked Mambu answers. README "Cookbook" shows the same code.
 * (Approving, disbursing, paying and closing a loan is in spec/unit/loan-operations.spec.ts.)
 */
import nock from "nock";
import {
  Decimal, loadCustomFieldDefinitions, clearCustomFieldDefinitions, clearCustomFieldTypes, MambuBranch, MambuCentre, MambuClient,
  MambuConfig, MambuConnector, MambuGroup, MambuLoan, MambuRole, MambuTask, MambuTsError, MambuUser,
} from "../../lib";
import { findOperation } from "../../lib/contract/schema";
import { fixture, fixtureJson, mambu, PASSWORD, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
const CLIENT_KEY = "8a099a673f1f25a0013f1fd0a1c318a5";
const GROUP_KEY = "8a000000000000000000000000009001";
const LOAN_KEY = "8a0000000000000000000000000l5432";
const BRANCH_KEY = "8a00000000000000000000000000b001";
const CENTRE_KEY = "8a00000000000000000000000000ce01";
const USER_KEY = "8a00000000000000000000000000a001";
const NEW_USER_KEY = "8a00000000000000000000000000a002";

let seen: { method: string; path: string }[] = [];
function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string }) => seen.push({ method: req.method, path: req.path }));
  return scope;
}

afterEach(() => {
  const requests = seen;
  seen = [];
  const pending = nock.pendingMocks();
  nock.cleanAll();
  clearCustomFieldDefinitions();
  clearCustomFieldTypes();
  expect(pending).toEqual([]);
  for (const r of requests) expect([r.method, r.path, findOperation(r.method, r.path) !== undefined]).toEqual([r.method, r.path, true]);
});

const list = (...files: string[]): string => `[${files.map(fixture).join(",")}]`;

test("2. Working with groups", async () => {
  const connector = testConnector();
  tenant().get("/api/groups/24G23446").query({ detailsLevel: "BASIC" }).reply(200, fixture("group-full.json"));
  const group = await MambuGroup.get("24G23446", { connector });
  expect(`Group name: ${group.groupName}`).toBe("Group name: Mujeres Emprendedoras");
  expect(group.id).toBe("24G23446");

  tenant().get("/api/groups").query({ creditOfficerUsername: "a.alas", offset: "0", limit: "20" }).reply(200, list("group-full.json"));
  const groups = await MambuGroup.getAll({ limit: 20, offset: 0, filters: { creditOfficerUsername: "a.alas" }, connector });
  expect(groups.map((g) => `Group: ${g.groupName}, loan cycle ${g.loanCycle}`)).toEqual(["Group: Mujeres Emprendedoras, loan cycle 3"]);

  // group members come with detailsLevel FULL; each member fetches its client (MambuPy: one by one, by hand)
  tenant().get("/api/groups/25G54321").query({ detailsLevel: "FULL" }).reply(200, fixture("group-full.json"));
  const full = await MambuGroup.get("25G54321", { detailsLevel: "FULL", connector });
  tenant().get(`/api/clients/${CLIENT_KEY}`).query(true).reply(200, fixture("client-full.json"));
  tenant().get("/api/clients/8a00000000000000000000000000c002").query(true).reply(200, { ...fixtureJson("client-full.json"), encodedKey: "8a00000000000000000000000000c002", id: "C2", firstName: "MARTA" });
  const lines: string[] = [];
  for (const member of full.groupMembers!) {
    const client = await member.getClient();
    lines.push(`Member ${client.id}: ${client.firstName} ${client.lastName}`);
  }
  expect(lines).toEqual(["Member 0512N0025: JOSEFA ALAS", "Member C2: MARTA ALAS"]);
});

describe("4. Branches, centres and users", () => {
  test("MambuBranch", async () => {
    const connector = testConnector();
    tenant().get("/api/branches/CCAZ").query(true).reply(200, fixture("branch.json"));
    const branch = await MambuBranch.get("CCAZ", { connector });
    expect(`Branch: ${branch.name}, state: ${branch.state}`).toBe("Branch: Centro Azteca, state: ACTIVE");
    tenant().get("/api/branches").query({ offset: "0", limit: "50" }).reply(200, list("branch.json"));
    expect((await MambuBranch.getAll({ connector })).map((b) => `ID: ${b.id}, Name: ${b.name}`)).toEqual(["ID: CCAZ, Name: Centro Azteca"]);
  });

  test("MambuCentre", async () => {
    const connector = testConnector();
    tenant().get("/api/centres/TribeAZ-1").query(true).reply(200, fixture("centre.json"));
    const centre = await MambuCentre.get("TribeAZ-1", { connector });
    expect([centre.name, centre.assignedBranchKey]).toEqual(["Tribu Azteca 1", BRANCH_KEY]);
    tenant().get("/api/centres").query({ offset: "0", limit: "50" }).reply(200, list("centre.json"));
    expect(await MambuCentre.getAll({ connector })).toHaveLength(1);
    tenant().get("/api/centres").query({ branchId: "CCAZ", offset: "0", limit: "50" }).reply(200, list("centre.json"));
    expect((await MambuCentre.getAll({ filters: { branchId: "CCAZ" }, connector }))[0].id).toBe("TribeAZ-1");
  });

  test("MambuUser and its role", async () => {
    const connector = testConnector();
    tenant().get("/api/users/a.alas").query({ detailsLevel: "FULL" }).reply(200, fixture("user-full.json"));
    const user = await MambuUser.get("a.alas", { detailsLevel: "FULL", connector });
    expect(`User: ${user.firstName} ${user.lastName}`).toBe("User: Ana Alas");
    expect(user.role?.id).toBe("CO"); // role doesn't come with detailsLevel BASIC
    tenant().get("/api/userroles/8a00000000000000000000000000r001").query(true).reply(200, fixture("role.json"));
    await user.getRole(); // replaces user.role with the MambuRole
    expect(user.role).toBeInstanceOf(MambuRole);
    expect((user.role as MambuRole).name).toBe("Credit Officer");

    tenant().get("/api/users").query({ branchId: "CCAZ", offset: "0", limit: "50" }).reply(200, list("user-full.json"));
    expect(await MambuUser.getAll({ filters: { branchId: "CCAZ" }, connector })).toHaveLength(1);
  });

  test("Assignments and relationships", async () => {
    const connector = testConnector();
    tenant().get("/api/clients/0512N0025").query(true).reply(200, fixture("client-full.json"));
    const client = await MambuClient.get("0512N0025", { connector });
    expect(client.assignedBranchKey).toBe(BRANCH_KEY);
    tenant().get(`/api/branches/${BRANCH_KEY}`).query(true).reply(200, fixture("branch.json"));
    await client.getAssignedBranch();
    expect(client.assignedBranch).toBeInstanceOf(MambuBranch);
    tenant().get(`/api/centres/${CENTRE_KEY}`).query(true).reply(200, fixture("centre.json"));
    await client.getAssignedCentre();
    expect(client.assignedCentre?.name).toBe("Tribu Azteca 1");

    // an entity without that assignment level raises
    const { assignedBranchKey: _b, ...unassigned } = fixtureJson("user-full.json");
    await expect(MambuUser.fromWire(unassigned, connector).getAssignedBranch()).rejects.toThrow("MambuUser has no assignedBranchKey: it is not assigned to a branch");

    tenant().get("/api/groups/24G23446").query(true).reply(200, fixture("group-full.json"));
    const group = await MambuGroup.get("24G23446", { connector });
    tenant().get(`/api/users/${USER_KEY}`).query(true).reply(200, fixture("user-full.json"));
    await group.getAssignedUser();
    expect(group.assignedUser?.username).toBe("a.alas");

    tenant().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
    const loan = await MambuLoan.get("54321", { connector });
    tenant().get(`/api/branches/${BRANCH_KEY}`).query(true).reply(200, fixture("branch.json"));
    tenant().get(`/api/centres/${CENTRE_KEY}`).query(true).reply(200, fixture("centre.json"));
    tenant().get(`/api/users/${USER_KEY}`).query(true).reply(200, fixture("user-full.json"));
    await Promise.all([loan.getAssignedBranch(), loan.getAssignedCentre(), loan.getAssignedUser()]);
    expect([loan.assignedBranch?.id, loan.assignedCentre?.id, loan.assignedUser?.id]).toEqual(["CCAZ", "TribeAZ-1", "a.alas"]);
  });
});

describe("Next recipes", () => {
  test("Custom fields search (and typed values once the definitions are loaded)", async () => {
    const connector = testConnector();
    tenant().get("/api/customfieldsets").query({ availableFor: "CLIENT", offset: "0", limit: "50" }).reply(200, fixture("customfieldsets.json"));
    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs001/customfields").query(true).reply(200, fixture("customfields-otherdetails.json"));
    tenant().get("/api/customfieldsets/8a0000000000000000000000000cs002/customfields").query(true).reply(200, fixture("customfields-assets.json"));
    await loadCustomFieldDefinitions({ availableFor: "CLIENT", connector });

    let body: unknown;
    tenant().post("/api/clients:search", (b) => ((body = b), true)).query({ offset: "0", limit: "50", detailsLevel: "FULL" }).reply(200, list("client-full.json"));
    const clients = await MambuClient.search({
      filterCriteria: [
        { field: "_OtherDetails.Age", operator: "MORE_THAN", value: 40 },
        { field: "_Assets.ASSETVALUE", operator: "BETWEEN", value: "10000", secondValue: "1000000" },
      ],
      detailsLevel: "FULL",
      connector,
    });
    expect(body).toEqual({
      filterCriteria: [
        { field: "_OtherDetails.Age", operator: "MORE_THAN", value: 40 },
        { field: "_Assets.ASSETVALUE", operator: "BETWEEN", value: "10000", secondValue: "1000000" },
      ],
    });
    expect(clients[0].Age).toEqual(new Decimal(48)); // NUMBER → Decimal
    expect((clients[0].ASSETVALUE_0 as Decimal).toFixed(2)).toBe("965000.00");
  });

  test("Entity updates: PATCH what changed, or PUT the whole entity", async () => {
    const connector = testConnector();
    tenant().get("/api/clients/0512N0025").query(true).reply(200, fixture("client-full.json"));
    const client = await MambuClient.get("0512N0025", { connector });
    client.mobilePhone = "+52 951 111 1111";
    client.notes = "prefers afternoons";
    tenant().patch(`/api/clients/${CLIENT_KEY}`, [
      { op: "REPLACE", path: "/notes", value: "prefers afternoons" },
      { op: "ADD", path: "/mobilePhone", value: "+52 951 111 1111" },
    ]).reply(204);
    await client.patch();

    let put: Bag = {};
    client.lastName = "ALAS DE LEÓN";
    tenant().put(`/api/clients/${CLIENT_KEY}`, (b: Bag) => ((put = b), true)).reply(200, (_u, b) => b as Bag);
    await client.update();
    expect([put.lastName, put.firstName, put.notes]).toEqual(["ALAS DE LEÓN", "JOSEFA", "prefers afternoons"]);
  });

  test("Updating custom fields", async () => {
    const connector = testConnector();
    tenant().get("/api/clients/0512N0025").query({ detailsLevel: "FULL" }).reply(200, fixture("client-full.json"));
    const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector });
    client.Age = "49"; // standard set _OtherDetails
    client.ASSETAGE_1 = "3"; // grouped set _Assets, row 1
    tenant().patch(`/api/clients/${CLIENT_KEY}`, [
      { op: "REPLACE", path: "/_OtherDetails/Age", value: "49" },
      { op: "REPLACE", path: "/_Assets/1/ASSETAGE", value: "3" },
    ]).reply(204);
    expect(await client.patch()).toHaveLength(2);
    expect(client._OtherDetails).toMatchObject({ Age: "49" });
  });

  test("Entity creation: a client, then a task about it", async () => {
    const connector = testConnector();
    let sent: Bag = {};
    tenant().post("/api/clients", (b: Bag) => ((sent = b), true)).reply(201, (_u, b) => ({ ...(b as Bag), encodedKey: "8a0000000000000000000000000new01", id: "NEW01", state: "PENDING_APPROVAL" }));
    const client = new MambuClient({
      firstName: "LUCÍA", lastName: "PÉREZ", assignedBranchKey: BRANCH_KEY, preferredLanguage: "SPANISH",
      _OtherDetails: { Age: "31" },
    });
    await client.create({ connector });
    expect(sent).toEqual({ firstName: "LUCÍA", lastName: "PÉREZ", assignedBranchKey: BRANCH_KEY, preferredLanguage: "SPANISH", _OtherDetails: { Age: "31" } });
    expect([client.id, client.state, client.Age]).toEqual(["NEW01", "PENDING_APPROVAL", "31"]);

    tenant().post("/api/tasks").reply(201, (_u, b) => ({ ...(b as Bag), id: 18, status: "OPEN" }));
    const task = await new MambuTask({ title: "Welcome call", dueDate: "2021-05-01", taskLinkType: "CLIENT", taskLinkKey: client.encodedKey, assignedUserKey: USER_KEY }).create({ connector });
    expect([task.id, task.status]).toEqual([18, "OPEN"]);
  });

  test("Account and group reassignment", async () => {
    const connector = testConnector();
    tenant().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
    const loan = await MambuLoan.get("54321", { connector });
    tenant().get("/api/users/b.bravo").query(true).reply(200, { ...fixtureJson("user-full.json"), encodedKey: NEW_USER_KEY, id: "b.bravo", username: "b.bravo" });
    tenant().patch(`/api/loans/${LOAN_KEY}`, [{ op: "REPLACE", path: "/assignedUserKey", value: NEW_USER_KEY }]).reply(204);
    await loan.reassign({ creditOfficer: "b.bravo" });

    tenant().get("/api/groups/24G23446").query(true).reply(200, fixture("group-full.json"));
    const group = await MambuGroup.get("24G23446", { connector });
    tenant().get("/api/centres/Norte-1").query(true).reply(200, { ...fixtureJson("centre.json"), encodedKey: "8a00000000000000000000000000ce02", id: "Norte-1", assignedBranchKey: "8a00000000000000000000000000b002" });
    tenant().patch(`/api/groups/${GROUP_KEY}`, [
      { op: "REPLACE", path: "/assignedBranchKey", value: "8a00000000000000000000000000b002" },
      { op: "REPLACE", path: "/assignedCentreKey", value: "8a00000000000000000000000000ce02" },
    ]).reply(204);
    await group.reassign({ centre: "Norte-1" }); // the centre's branch comes along
  });

  test("Reassignment of users with assigned accounts and groups", async () => {
    const connector = testConnector();
    tenant().get("/api/users/b.bravo").query(true).reply(200, { ...fixtureJson("user-full.json"), encodedKey: NEW_USER_KEY, id: "b.bravo", username: "b.bravo" });
    const heir = await MambuUser.get("b.bravo", { connector });

    tenant().get("/api/clients").query({ creditOfficerUsername: "a.alas", offset: "0", limit: "50" }).reply(200, list("client-full.json"));
    tenant().get("/api/groups").query({ creditOfficerUsername: "a.alas", offset: "0", limit: "50" }).reply(200, list("group-full.json"));
    tenant().get("/api/loans").query({ creditOfficerUsername: "a.alas", offset: "0", limit: "50" }).reply(200, list("loan-full.json"));
    const change = [{ op: "REPLACE", path: "/assignedUserKey", value: NEW_USER_KEY }];
    tenant().patch(`/api/clients/${CLIENT_KEY}`, change).reply(204);
    tenant().patch(`/api/groups/${GROUP_KEY}`, change).reply(204);
    tenant().patch(`/api/loans/${LOAN_KEY}`, change).reply(204);

    const filters = { creditOfficerUsername: "a.alas" };
    let moved = 0;
    const portfolio = [MambuClient.getAll({ filters, connector }), MambuGroup.getAll({ filters, connector }), MambuLoan.getAll({ filters, connector })];
    for (const list of portfolio) {
      for await (const entity of list) {
        await entity.reassign({ creditOfficer: heir }); // an entity: no extra GET per record
        moved++;
      }
    }
    expect(moved).toBe(3);
  });

  test("Using an entity with other credentials than the default ones", async () => {
    const config = new MambuConfig({ env: {}, rcFiles: [] });
    const other = new MambuConnector({ config, apiurl: "tenant.mambu.test", apikey: "other-api-key", sleep: async () => {} });
    const auth: string[] = [];
    const scope = tenant();
    scope.on("request", (req: { headers: Record<string, string> }) => auth.push(req.headers.apikey ?? req.headers.authorization));
    scope.get("/api/clients/0512N0025").query(true).reply(200, fixture("client-full.json"));
    scope.get(`/api/branches/${BRANCH_KEY}`).query(true).reply(200, fixture("branch.json"));
    const client = await MambuClient.get("0512N0025", { connector: other });
    await client.getAssignedBranch(); // related entities use the same connector
    expect(auth).toEqual(["other-api-key", "other-api-key"]);

    // or move an entity to another connector
    scope.get(`/api/centres/${CENTRE_KEY}`).query(true).reply(200, fixture("centre.json"));
    client.setConnector(testConnector());
    await client.getAssignedCentre();
    expect(auth[2]).toMatch(/^Basic /);
    expect(JSON.stringify(other)).not.toContain("other-api-key");
  });

  test("How to configure logging", async () => {
    const lines: string[] = [];
    const logger = { debug: (msg: string) => lines.push(msg), warn: (msg: string) => lines.push(`WARN ${msg}`) };
    const config = new MambuConfig({ env: {}, rcFiles: [] });
    config.apiurl = "tenant.mambu.test";
    config.apiuser = "api.user";
    config.apipwd = PASSWORD;
    const connector = new MambuConnector({ config, logger, sleep: async () => {} });
    tenant().get("/api/branches/CCAZ").query(true).reply(503, "busy").get("/api/branches/CCAZ").query(true).reply(200, fixture("branch.json"));
    await MambuBranch.get("CCAZ", { connector });
    expect(lines).toEqual([
      expect.stringMatching(/^GET \/api\/branches\/CCAZ\?detailsLevel=BASIC -> 503 \(attempt 1\/6, \d+ ms\)$/),
      expect.stringMatching(/^WARN GET \/api\/branches\/CCAZ\?detailsLevel=BASIC -> 503, retrying in \d+ ms \(attempt 1\/6\)$/),
      expect.stringMatching(/^GET \/api\/branches\/CCAZ\?detailsLevel=BASIC -> 200 \(attempt 2\/6, \d+ ms\)$/),
    ]);
    expect(lines.join("\n")).not.toContain(PASSWORD);
  });

  test("errors of these recipes are MambuTsError before any request", () => {
    expect(() => MambuUser.getAll({ branchIdType: "MANAGE" })).toThrow(MambuTsError);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuCentre.getAll({ filters: { centreId: "x" } })).toThrow(MambuTsError);
    expect(seen).toEqual([]);
  });
});
