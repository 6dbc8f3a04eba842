/**
 * Link custom fields (CLIENT_LINK, GROUP_LINK, USER_LINK): a field holding another entity's
 * encodedKey resolves like a relation — `client.getGuarantorClient()` once the definitions are
 * registered, `client.getLinkedEntity("GuarantorClient")` always (the type is then asked to Mambu
 * once) — through the owner's connector, without changing what is written back.
 */
import nock from "nock";
import {
  clearCustomFieldDefinitions, clearCustomFieldTypes, MambuClient, MambuEntity, MambuGroup, MambuLoan, MambuTsError, MambuUser,
  registerCustomFieldDefinitions, registerCustomFieldTypes,
} from "../../lib";
import { findOperation } from "../../lib/contract/schema";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
const GUARANTOR_KEY = "8a00000000000000000000000000c002";
const GROUP_KEY = "8a000000000000000000000000009001";
const USER_KEY = "8a00000000000000000000000000a001";
/** Definitions are per tenant: these tests register them for the test tenant (any connector to it will do). */
const TEST_TENANT = { connector: testConnector() };

let seen: { method: string; path: string; auth: string }[] = [];
function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string; headers: Record<string, string> }) => {
    seen.push({ method: req.method, path: req.path, auth: Buffer.from(String(req.headers.authorization).slice(6), "base64").toString().split(":")[0] });
  });
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

/** The client fixture with a guarantor link in its standard set and a grouped set of references. */
function clientWire(): Bag {
  const raw = fixtureJson("client-full.json");
  return {
    ...raw,
    _OtherDetails: { ...(raw._OtherDetails as Bag), GuarantorClient: GUARANTOR_KEY },
    _References: [{ RefGroup: GROUP_KEY, RefOfficer: USER_KEY }, { RefGroup: "", RefOfficer: USER_KEY }],
  };
}

function guarantorReply(): void {
  tenant().get(`/api/clients/${GUARANTOR_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, { ...fixtureJson("client-full.json"), encodedKey: GUARANTOR_KEY, id: "G-1", firstName: "MARTA" });
}

test("with definitions registered: client.getGuarantorClient() → the MambuClient, kept in client.linkedEntities", async () => {
  registerCustomFieldDefinitions([{ id: "GuarantorClient", type: "CLIENT_LINK" }, { id: "Age", type: "NUMBER" }], TEST_TENANT);
  const client = MambuClient.fromWire(clientWire(), testConnector({ apiuser: "links.user" }));
  guarantorReply();
  const guarantor = (await (client.getGuarantorClient as () => PromiseLike<MambuClient>)()) as MambuClient;
  expect(guarantor).toBeInstanceOf(MambuClient);
  expect(guarantor.firstName).toBe("MARTA");
  expect((client.linkedEntities as Bag).GuarantorClient).toBe(guarantor);
  expect(client.GuarantorClient).toBe(GUARANTOR_KEY); // the field itself is unchanged
  expect(client.toJSON()).toEqual(clientWire());
  expect(client.pendingPatch()).toEqual([]);
  expect(seen.map((r) => r.auth)).toEqual(["links.user"]); // the owner's connector
  // only link fields get a getter
  expect((client as unknown as Bag).getAge).toBeUndefined();
});

test("in one expression: MambuClient.get(...).getLinkedEntity(...)", async () => {
  registerCustomFieldDefinitions([{ id: "GuarantorClient", type: "CLIENT_LINK" }], TEST_TENANT);
  tenant().get("/api/clients/0512N0025").query({ detailsLevel: "FULL" }).reply(200, clientWire());
  guarantorReply();
  const g = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: testConnector() }).getLinkedEntity("GuarantorClient");
  expect((g as MambuClient).id).toBe("G-1");
});

test("without definitions: getLinkedEntity asks Mambu for the field's type once", async () => {
  const connector = testConnector();
  tenant().get("/api/customfields/GuarantorClient").query({ detailsLevel: "BASIC" }).reply(200, { id: "GuarantorClient", type: "CLIENT_LINK", availableFor: "CLIENT" });
  guarantorReply();
  const one = MambuClient.fromWire(clientWire(), connector);
  expect(((await one.getLinkedEntity("GuarantorClient")) as MambuClient).id).toBe("G-1");
  guarantorReply();
  const two = MambuClient.fromWire(clientWire(), connector);
  expect(((await two.getLinkedEntity("GuarantorClient")) as MambuClient).id).toBe("G-1");
  expect(seen.map((r) => r.path.split("?")[0])).toEqual(["/api/customfields/GuarantorClient", `/api/clients/${GUARANTOR_KEY}`, `/api/clients/${GUARANTOR_KEY}`]);
  // the answer registered the getter too
  expect(typeof (two as unknown as Bag).getGuarantorClient).toBe("function");
});

test("grouped sets: name the row (RefGroup_0), or pass it to the getter", async () => {
  registerCustomFieldDefinitions([{ id: "RefGroup", type: "GROUP_LINK" }, { id: "RefOfficer", type: "USER_LINK" }], TEST_TENANT);
  const client = MambuClient.fromWire(clientWire(), testConnector());
  tenant().get(`/api/groups/${GROUP_KEY}`).query(true).reply(200, fixture("group-full.json"));
  expect(await client.getLinkedEntity("RefGroup_0")).toBeInstanceOf(MambuGroup);
  tenant().get(`/api/users/${USER_KEY}`).query(true).reply(200, fixture("user-full.json"));
  const officer = await (client.getRefOfficer as (row: number) => PromiseLike<MambuEntity>)(1);
  expect(officer).toBeInstanceOf(MambuUser);
  expect((client.linkedEntities as Bag).RefOfficer_1).toBe(officer);
  await expect(client.getLinkedEntity("RefGroup")).rejects.toThrow("MambuClient: RefGroup is in the grouped set _References: name its row (RefGroup_0, RefGroup_1, ...)");
  await expect(client.getLinkedEntity("RefGroup_1")).rejects.toThrow("MambuClient: custom field RefGroup_1 is empty: it links to no MambuGroup");
  await expect(client.getLinkedEntity("RefGroup_5")).rejects.toThrow("MambuClient: _References has no row 5");
});

test("not a link, not a field, or an empty name: clear errors without a request", async () => {
  registerCustomFieldTypes([{ id: "Age", type: "NUMBER" }], TEST_TENANT);
  registerCustomFieldDefinitions([{ id: "Age", type: "NUMBER" }], TEST_TENANT);
  const client = MambuClient.fromWire(clientWire(), testConnector());
  await expect(client.getLinkedEntity("Age")).rejects.toThrow("MambuClient: custom field Age is of type NUMBER, not a link to an entity");
  await expect(client.getLinkedEntity("Nope")).rejects.toThrow("MambuClient has no custom field Nope (read it with detailsLevel FULL?)");
  expect(() => client.getLinkedEntity("")).toThrow(MambuTsError);
  expect(() => registerCustomFieldDefinitions([{ id: "X" } as never])).toThrow("each definition needs a string id and type");
  expect(seen).toEqual([]);
});

test("a method or native name wins over a link getter; clearCustomFieldDefinitions removes getters", async () => {
  registerCustomFieldDefinitions([{ id: "AssignedBranch", type: "CLIENT_LINK" }, { id: "Schedule", type: "CLIENT_LINK" }]);
  expect(MambuClient.prototype.getAssignedBranch).not.toHaveProperty("linkFieldId");
  expect(MambuLoan.prototype.getSchedule).not.toHaveProperty("linkFieldId");
  expect((MambuClient.prototype as unknown as Bag).getSchedule).toHaveProperty("linkFieldId", "Schedule"); // clients have no schedule
  clearCustomFieldDefinitions();
  expect((MambuClient.prototype as unknown as Bag).getSchedule).toBeUndefined();
});

test("links work on any entity with custom fields (a loan's GROUP_LINK) and use its connector", async () => {
  registerCustomFieldDefinitions([{ id: "SolidarityGroup", type: "GROUP_LINK" }], TEST_TENANT);
  const loan = MambuLoan.fromWire({ ...fixtureJson("loan-full.json"), _LoanPurpose: { Purpose: "Tienda", SolidarityGroup: GROUP_KEY } }, testConnector({ apiuser: "loan.user" }));
  tenant().get(`/api/groups/${GROUP_KEY}`).query(true).reply(200, fixture("group-full.json"));
  const group = await (loan.getSolidarityGroup as () => PromiseLike<MambuGroup>)();
  expect(group.groupName).toBe("Mujeres Emprendedoras");
  expect(seen[0].auth).toBe("loan.user");
});
