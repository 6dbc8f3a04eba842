/**
 * Reassignment (`entity.reassign({ branch?, centre?, creditOfficer? })`): ids, keys or entities are
 * resolved to encodedKeys, the assignment is checked for coherence before anything is written, and
 * only the assignment keys are PATCHed (operations valid against the Swagger PatchOperation).
 */
import nock from "nock";
import { MambuBranch, MambuCentre, MambuClient, MambuGroup, MambuLoan, MambuTsError, MambuUser } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
const CLIENT_KEY = "8a099a673f1f25a0013f1fd0a1c318a5";
const BRANCH_KEY = "8a00000000000000000000000000b001";
const CENTRE_KEY = "8a00000000000000000000000000ce01";
const NEW_BRANCH_KEY = "8a00000000000000000000000000b002";
const NEW_CENTRE_KEY = "8a00000000000000000000000000ce02";
const NEW_USER_KEY = "8a00000000000000000000000000a002";

let seen: { method: string; path: string; body?: string }[] = [];
function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string }, _i: unknown, body?: string) => seen.push({ method: req.method, path: req.path, body }));
  return scope;
}

afterEach(() => {
  const requests = seen;
  seen = [];
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  for (const r of requests) {
    const m = findOperation(r.method, r.path);
    expect([r.method, r.path, m !== undefined]).toEqual([r.method, r.path, true]);
    if (r.method === "PATCH") expect(validateAgainst(m!.resource, m!.op.body!, JSON.parse(r.body!))).toEqual([]);
  }
});

const client = (over: Bag = {}): MambuClient => MambuClient.fromWire({ ...fixtureJson("client-full.json"), ...over }, testConnector());
const newUser = (over: Bag = {}): Bag => ({ ...fixtureJson("user-full.json"), encodedKey: NEW_USER_KEY, id: "b.bravo", username: "b.bravo", ...over });
const newBranch = (): Bag => ({ ...fixtureJson("branch.json"), encodedKey: NEW_BRANCH_KEY, id: "CCNORTE", name: "Norte" });
const newCentre = (branchKey = NEW_BRANCH_KEY): Bag => ({ ...fixtureJson("centre.json"), encodedKey: NEW_CENTRE_KEY, id: "Norte-1", assignedBranchKey: branchKey });

test("a new credit officer by username: GET the user, PATCH assignedUserKey only", async () => {
  const c = client();
  tenant().get("/api/users/b.bravo").query({ detailsLevel: "BASIC" }).reply(200, newUser());
  tenant().patch(`/api/clients/${CLIENT_KEY}`, [{ op: "REPLACE", path: "/assignedUserKey", value: NEW_USER_KEY }]).reply(204);
  const ops = await c.reassign({ creditOfficer: "b.bravo" });
  expect(ops).toEqual([{ op: "REPLACE", path: "/assignedUserKey", value: NEW_USER_KEY }]);
  expect(c.assignedUserKey).toBe(NEW_USER_KEY);
  expect((c.assignedUser as MambuUser).username).toBe("b.bravo");
  expect(c.pendingPatch()).toEqual([]);
});

test("an entity given is used as is (no GET); other pending changes stay pending", async () => {
  const officer = MambuUser.fromWire(newUser(), testConnector());
  const c = client();
  c.notes = "moved";
  tenant().patch(`/api/clients/${CLIENT_KEY}`, [{ op: "REPLACE", path: "/assignedUserKey", value: NEW_USER_KEY }]).reply(204);
  await c.reassign({ creditOfficer: officer, idempotencyKey: "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b" });
  expect(c.pendingPatch()).toEqual([{ op: "REPLACE", path: "/notes", value: "moved" }]);
});

test("a centre alone moves the entity to the centre's branch", async () => {
  const g = MambuGroup.fromWire(fixtureJson("group-full.json"), testConnector());
  tenant().get("/api/centres/Norte-1").query(true).reply(200, newCentre());
  tenant().patch("/api/groups/8a000000000000000000000000009001", [
    { op: "REPLACE", path: "/assignedBranchKey", value: NEW_BRANCH_KEY },
    { op: "REPLACE", path: "/assignedCentreKey", value: NEW_CENTRE_KEY },
  ]).reply(204);
  await g.reassign({ centre: "Norte-1" });
  expect([g.assignedBranchKey, g.assignedCentreKey]).toEqual([NEW_BRANCH_KEY, NEW_CENTRE_KEY]);
  expect((g.assignedCentre as MambuCentre).id).toBe("Norte-1");
});

test("branch, centre and officer of a loan at once", async () => {
  const loan = MambuLoan.fromWire(fixtureJson("loan-full.json"), testConnector());
  tenant().get("/api/branches/CCNORTE").query(true).reply(200, newBranch());
  tenant().get("/api/centres/Norte-1").query(true).reply(200, newCentre());
  tenant().get("/api/users/b.bravo").query(true).reply(200, newUser());
  tenant().patch("/api/loans/8a0000000000000000000000000l5432", [
    { op: "REPLACE", path: "/assignedBranchKey", value: NEW_BRANCH_KEY },
    { op: "REPLACE", path: "/assignedCentreKey", value: NEW_CENTRE_KEY },
    { op: "REPLACE", path: "/assignedUserKey", value: NEW_USER_KEY },
  ]).reply(204);
  await loan.reassign({ branch: "CCNORTE", centre: "Norte-1", creditOfficer: "b.bravo" });
  expect((loan.assignedBranch as MambuBranch).name).toBe("Norte");
});

test("centre: null and creditOfficer: null remove the assignment", async () => {
  const c = client();
  tenant().patch(`/api/clients/${CLIENT_KEY}`, [{ op: "REMOVE", path: "/assignedCentreKey" }, { op: "REMOVE", path: "/assignedUserKey" }]).reply(204);
  await c.reassign({ centre: null, creditOfficer: null });
  expect([c.assignedCentreKey, c.assignedUserKey]).toEqual([undefined, undefined]);
  expect(c.toJSON()).not.toHaveProperty("assignedCentreKey");
});

test("a new branch keeps the current centre only if it belongs to it", async () => {
  const branch = MambuBranch.fromWire(newBranch(), testConnector());
  tenant().get(`/api/centres/${CENTRE_KEY}`).query(true).reply(200, fixture("centre.json")); // in the old branch
  await expect(client().reassign({ branch })).rejects.toThrow("MambuClient.reassign: the current centre TribeAZ-1 is not in the new branch; pass centre: a centre of that branch, or centre: null");
  expect(seen.filter((r) => r.method === "PATCH")).toEqual([]);

  const c = client();
  tenant().patch(`/api/clients/${CLIENT_KEY}`, [{ op: "REPLACE", path: "/assignedBranchKey", value: NEW_BRANCH_KEY }, { op: "REMOVE", path: "/assignedCentreKey" }]).reply(204);
  await c.reassign({ branch, centre: null });
});

test("incoherent or impossible requests fail before any write", async () => {
  const other = MambuCentre.fromWire(newCentre(BRANCH_KEY), testConnector());
  const branch = MambuBranch.fromWire(newBranch(), testConnector());
  await expect(client().reassign({ branch, centre: other })).rejects.toThrow(`MambuClient.reassign: centre Norte-1 belongs to another branch (${BRANCH_KEY}), not to CCNORTE`);
  tenant().get("/api/users/teller").query(true).reply(200, newUser({ id: "teller", username: "teller", access: { creditOfficerAccess: false } }));
  await expect(client().reassign({ creditOfficer: "teller" })).rejects.toThrow("MambuClient.reassign: user teller is not a credit officer");
  await expect(client().reassign({ creditOfficer: branch })).rejects.toThrow("MambuClient.reassign: creditOfficer must be a MambuUser (or its id or encodedKey), got a MambuBranch");
  await expect(client().reassign({})).rejects.toThrow("MambuClient.reassign: give a branch, a centre or a creditOfficer");
  await expect(client().reassign({ branch: null as never })).rejects.toThrow("an entity cannot be left without a branch");
  await expect(client().reassign({ officer: "x" } as never)).rejects.toThrow('MambuClient.reassign: unknown option "officer"');
  await expect(MambuUser.fromWire(newUser(), testConnector()).reassign({ creditOfficer: "x" })).rejects.toThrow("MambuUser.reassign: a MambuUser has no assignedUserKey (it cannot be assigned a creditOfficer)");
  await expect(MambuCentre.fromWire(newCentre(), testConnector()).reassign({ branch: "CCAZ" })).rejects.toThrow(MambuTsError);
  await expect(new MambuClient({ firstName: "new" }).reassign({ creditOfficer: "x" })).rejects.toThrow("MambuClient has no id or encodedKey yet (create() it first)");
  expect(seen.filter((r) => r.method === "PATCH")).toEqual([]);
});

test("a user moves to another branch", async () => {
  const user = MambuUser.fromWire(fixtureJson("user-full.json"), testConnector());
  tenant().get("/api/branches/CCNORTE").query(true).reply(200, newBranch());
  tenant().patch("/api/users/8a00000000000000000000000000a001", [{ op: "REPLACE", path: "/assignedBranchKey", value: NEW_BRANCH_KEY }]).reply(204);
  await user.reassign({ branch: "CCNORTE" });
});
