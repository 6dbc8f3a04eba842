/**
 * Custom field types and definitions are per tenant (the connector's API base URL): a type learned
 * through one connector's tenant never types another tenant's values, and a link definition of one
 * tenant never decides what a field of another tenant is. Two connectors to one tenant (other
 * credentials) share them.
 */
import nock from "nock";
import {
  clearCustomFieldDefinitions, clearCustomFieldTypes, Decimal, loadCustomFieldDefinitions, MambuClient, MambuConnector, MambuCustomField,
  mambuconfig, MambuTsError, registerCustomFieldDefinitions, registerCustomFieldTypes,
} from "../../lib";
import { fixtureJson, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
const A = "https://tenant-a.mambu.test";
const B = "https://tenant-b.mambu.test";
const SET_KEY = "8a0000000000000000000000000cs001";
const GUARANTOR_KEY = "8a00000000000000000000000000c002";

const onA = (over: Record<string, string> = {}): MambuConnector => testConnector({ apiurl: "tenant-a.mambu.test", ...over });
const onB = (): MambuConnector => testConnector({ apiurl: "tenant-b.mambu.test" });

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  clearCustomFieldDefinitions();
  clearCustomFieldTypes();
  mambuconfig.reset();
  expect(pending).toEqual([]);
});

/** The client fixture with `Score: "0480.50"` and a guarantor link in its standard set. */
function clientWire(): Bag {
  const raw = fixtureJson("client-full.json");
  return { ...raw, _OtherDetails: { ...(raw._OtherDetails as Bag), Score: "0480.50", GuarantorClient: GUARANTOR_KEY } };
}

/** A tenant whose only custom field set (for clients) defines Score with the given type. */
function definitions(host: string, scoreType: string): void {
  nock(host).get("/api/customfieldsets").query(true).reply(200, [{ encodedKey: SET_KEY, id: "_OtherDetails", availableFor: "CLIENT", fieldSetType: "STANDARD" }]);
  nock(host).get(`/api/customfieldsets/${SET_KEY}/customfields`).query(true).reply(200, [{ encodedKey: "8a0000000000000000000000000cf009", id: "Score", type: scoreType, availableFor: "CLIENT" }]);
}

/** Reads the client 0512N0025 from a tenant through a connector. */
async function readClient(host: string, connector: MambuConnector): Promise<MambuClient> {
  nock(host).get("/api/clients/0512N0025").query({ detailsLevel: "FULL" }).reply(200, clientWire());
  return MambuClient.get("0512N0025", { detailsLevel: "FULL", connector });
}

test("a connector tells its tenant: the API base URL it sends requests to", () => {
  expect(onA().baseUrl()).toBe(`${A}/api`);
  expect(onA({ apiuser: "other.user" }).baseUrl()).toBe(`${A}/api`);
  expect(new MambuConnector({ apiurl: "https://tenant-b.mambu.test/api/" }).baseUrl()).toBe(`${B}/api`);
  expect(() => new MambuConnector({ config: testConnector().config, apiurl: "http://tenant-b.mambu.test" }).baseUrl()).toThrow(MambuTsError);
});

test("two tenants with the same field id typed differently (NUMBER, FREE_TEXT) each get their own typing", async () => {
  const a = onA();
  const b = onB();
  definitions(A, "NUMBER");
  definitions(B, "FREE_TEXT");
  await loadCustomFieldDefinitions({ connector: a });
  await loadCustomFieldDefinitions({ connector: b });
  const fromA = await readClient(A, a);
  const fromB = await readClient(B, b);
  expect(fromA.Score).toEqual(new Decimal("480.5"));
  expect(fromB.Score).toBe("0480.50");
  // both still go back to Mambu exactly as read
  expect(fromA.toJSON()).toEqual(clientWire());
  expect(fromB.toJSON()).toEqual(clientWire());
});

test("a type learned on tenant A is not applied on tenant B (nor on the default connector's tenant)", async () => {
  const a = onA();
  definitions(A, "NUMBER");
  await loadCustomFieldDefinitions({ connector: a });
  expect((await readClient(B, onB())).Score).toBe("0480.50");
  expect(MambuClient.fromWire(clientWire()).Score).toBe("0480.50");
  expect(Decimal.isDecimal((await readClient(A, a)).Score)).toBe(true);
});

test("connectors to one tenant share its types (other credentials, same apiurl)", async () => {
  registerCustomFieldTypes([{ id: "Score", type: "NUMBER" }], { connector: onA() });
  const other = onA({ apiuser: "other.user" });
  expect(Decimal.isDecimal((await readClient(A, other)).Score)).toBe(true);
});

test("definitions read from a tenant are for that tenant without naming it again", async () => {
  definitions(B, "NUMBER");
  registerCustomFieldTypes(await MambuCustomField.getAll({ connector: onB() }));
  expect(Decimal.isDecimal((await readClient(B, onB())).Score)).toBe(true);
  expect((await readClient(A, onA())).Score).toBe("0480.50");
});

test("without a connector, a registration is for the default connector's tenant", async () => {
  mambuconfig.apiurl = "tenant-a.mambu.test";
  registerCustomFieldTypes({ Score: "NUMBER" });
  expect(Decimal.isDecimal((await readClient(A, onA())).Score)).toBe(true);
  expect((await readClient(B, onB())).Score).toBe("0480.50");
  expect(Decimal.isDecimal(MambuClient.fromWire(clientWire()).Score)).toBe(true);
});

test("a link definition learned on tenant A does not decide what the field is on tenant B", async () => {
  const a = onA();
  const b = onB();
  nock(A).get("/api/customfields/GuarantorClient").query({ detailsLevel: "BASIC" }).reply(200, { id: "GuarantorClient", type: "CLIENT_LINK" });
  nock(A).get(`/api/clients/${GUARANTOR_KEY}`).query(true).reply(200, { ...fixtureJson("client-full.json"), encodedKey: GUARANTOR_KEY, id: "G-1" });
  const linked = await MambuClient.fromWire(clientWire(), a).getLinkedEntity("GuarantorClient");
  expect((linked as MambuClient).id).toBe("G-1");
  // B is asked for its own definition: there the field is text
  nock(B).get("/api/customfields/GuarantorClient").query({ detailsLevel: "BASIC" }).reply(200, { id: "GuarantorClient", type: "FREE_TEXT" });
  await expect(MambuClient.fromWire(clientWire(), b).getLinkedEntity("GuarantorClient")).rejects.toThrow(
    "MambuClient: custom field GuarantorClient is of type FREE_TEXT, not a link to an entity",
  );
  // and each tenant's answer is remembered for that tenant only (no further request)
  await expect(MambuClient.fromWire(clientWire(), onB()).getLinkedEntity("GuarantorClient")).rejects.toThrow("of type FREE_TEXT");
  nock(A).get(`/api/clients/${GUARANTOR_KEY}`).query(true).reply(200, { ...fixtureJson("client-full.json"), encodedKey: GUARANTOR_KEY, id: "G-1" });
  expect(((await MambuClient.fromWire(clientWire(), onA()).getLinkedEntity("GuarantorClient")) as MambuClient).id).toBe("G-1");
});

test("clearCustomFieldTypes({ connector }) forgets one tenant's types; clearCustomFieldTypes() every tenant's", async () => {
  registerCustomFieldTypes([{ id: "Score", type: "NUMBER" }], { connector: onA() });
  registerCustomFieldTypes([{ id: "Score", type: "NUMBER" }], { connector: onB() });
  clearCustomFieldTypes({ connector: onA() });
  expect((await readClient(A, onA())).Score).toBe("0480.50");
  expect(Decimal.isDecimal((await readClient(B, onB())).Score)).toBe(true);
  registerCustomFieldTypes([{ id: "Score", type: "NUMBER" }], { connector: onA() });
  clearCustomFieldTypes();
  expect((await readClient(A, onA())).Score).toBe("0480.50");
  expect((await readClient(B, onB())).Score).toBe("0480.50");
});

test("clearCustomFieldDefinitions({ connector }) forgets one tenant's; a link getter stays while a tenant still defines it", () => {
  const getter = (): unknown => (MambuClient.prototype as unknown as Bag).getGuarantorClient;
  registerCustomFieldDefinitions([{ id: "GuarantorClient", type: "CLIENT_LINK" }], { connector: onA() });
  registerCustomFieldDefinitions([{ id: "GuarantorClient", type: "CLIENT_LINK" }], { connector: onB() });
  clearCustomFieldDefinitions({ connector: onA() });
  expect(typeof getter()).toBe("function");
  clearCustomFieldDefinitions({ connector: onB() });
  expect(getter()).toBeUndefined();
  registerCustomFieldDefinitions([{ id: "GuarantorClient", type: "CLIENT_LINK" }], { connector: onA() });
  clearCustomFieldDefinitions();
  expect(getter()).toBeUndefined();
});

test("a link getter resolves with the definitions of the entity's own tenant", async () => {
  registerCustomFieldDefinitions([{ id: "GuarantorClient", type: "CLIENT_LINK" }], { connector: onA() });
  const getOn = (c: MambuClient): PromiseLike<unknown> => (c as unknown as { getGuarantorClient(): PromiseLike<unknown> }).getGuarantorClient();
  nock(B).get("/api/customfields/GuarantorClient").query(true).reply(200, { id: "GuarantorClient", type: "FREE_TEXT" });
  await expect(getOn(MambuClient.fromWire(clientWire(), onB()))).rejects.toThrow("is of type FREE_TEXT, not a link");
});

test("bad options are refused before anything is registered", () => {
  expect(() => registerCustomFieldTypes({ Score: "NUMBER" }, { connector: {} as MambuConnector })).toThrow("registerCustomFieldTypes: connector must be a MambuConnector");
  expect(() => registerCustomFieldDefinitions([{ id: "Score", type: "NUMBER" }], { tenant: "a" } as never)).toThrow('registerCustomFieldDefinitions: unknown option "tenant" (known: connector)');
  expect(() => clearCustomFieldTypes({ connector: "x" } as never)).toThrow(MambuTsError);
  expect(MambuClient.fromWire(clientWire(), onA()).Score).toBe("0480.50");
});
