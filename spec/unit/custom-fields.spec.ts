/** Custom fields: flatten → change → PATCH body, standard and grouped sets, exactly as the API reference. */
import nock from "nock";
import { clearCustomFieldTypes, Decimal, MambuClient, MambuTsError, parseJsonExact, registerCustomFieldTypes } from "../../lib";
import { capture, Captured, fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

afterEach(() => {
  nock.cleanAll();
  clearCustomFieldTypes();
});

function client(over: Record<string, unknown> = {}): MambuClient {
  return MambuClient.fromWire({ ...(parseJsonExact(fixture("client-full.json")) as object), ...over }, testConnector());
}

describe("flattening", () => {
  test("standard set fields become properties that read and write through to the set", () => {
    const c = client();
    expect(c.Age).toBe("48");
    expect(c.EmployerName).toBe('Café "El Rincón"');
    c.Age = "49";
    expect(c._OtherDetails).toEqual({ Age: "49", EmployerName: 'Café "El Rincón"', Id: "shadow" });
    (c._OtherDetails as Record<string, unknown>).Age = "50";
    expect(c.Age).toBe("50");
  });

  test("grouped sets become rows (entity.Assets) and field_N properties", () => {
    const c = client();
    expect(c.Assets).toEqual([
      { ASSETYPE: "Land", ASSETAGE: "10", ASSETVALUE: "965000.00" },
      { ASSETYPE: "Car", ASSETAGE: "2", ASSETVALUE: "25000" },
    ]);
    expect(c.ASSETAGE_0).toBe("10");
    expect(c.ASSETYPE_1).toBe("Car");
    c.ASSETAGE_1 = "3";
    expect((c.Assets as Array<Record<string, unknown>>)[1].ASSETAGE).toBe("3");
  });

  test("a custom field id colliding with a native field never overwrites it", () => {
    const c = client();
    expect(c.id).toBe("0512N0025");
    expect((c._OtherDetails as Record<string, unknown>).Id).toBe("shadow");
    const clash = client({ _Extra: { firstName: "NOT THE NAME", refresh: "x" } });
    expect(clash.firstName).toBe("JOSEFA");
    expect(typeof clash.refresh).toBe("function");
    expect((clash._Extra as Record<string, unknown>).firstName).toBe("NOT THE NAME");
  });

  test("values stay strings without definitions; typed when definitions are registered; never lossy", () => {
    expect(client().ASSETVALUE_0).toBe("965000.00");
    registerCustomFieldTypes([{ id: "ASSETVALUE", type: "NUMBER" }, { id: "Age", type: "NUMBER" }], { connector: testConnector() });
    const c = client();
    expect(Decimal.isDecimal(c.ASSETVALUE_0)).toBe(true);
    expect((c.ASSETVALUE_0 as Decimal).toFixed(2)).toBe("965000.00");
    // untouched typed values go back as sent
    expect((c.toJSON()._Assets as Array<Record<string, unknown>>)[0].ASSETVALUE).toBe("965000.00");
    c.Age = new Decimal(51);
    expect((c.toJSON()._OtherDetails as Record<string, unknown>).Age).toBe("51");
  });
});

describe("PATCH bodies (API reference examples)", () => {
  async function patchOf(c: MambuClient, fn: () => Promise<unknown>): Promise<unknown> {
    const seen: Captured = {};
    mambu().patch(`/api/clients/${c.encodedKey}`).reply(capture(seen, 204));
    await fn();
    return seen.body === undefined ? undefined : JSON.parse(seen.body);
  }

  test("replace a standard field: /_OtherDetails/Age", async () => {
    const c = client();
    c.Age = "51";
    expect(await patchOf(c, () => c.patch())).toEqual([{ op: "REPLACE", path: "/_OtherDetails/Age", value: "51" }]);
  });

  test("replace grouped fields: /_Assets/1/ASSETAGE and /_Assets/1/ASSETVALUE", async () => {
    const c = client();
    c.ASSETAGE_1 = "2x";
    c.ASSETVALUE_1 = "35000";
    expect(await patchOf(c, () => c.patch())).toEqual([
      { op: "REPLACE", path: "/_Assets/1/ASSETAGE", value: "2x" },
      { op: "REPLACE", path: "/_Assets/1/ASSETVALUE", value: "35000" },
    ]);
  });

  test("add a whole standard set, and new fields of an existing one, with ADD /_Set {…}", async () => {
    const raw = fixtureJson("client-full.json");
    delete raw._OtherDetails;
    const c = MambuClient.fromWire(raw, testConnector());
    c._OtherDetails = { Age: "48" };
    expect(await patchOf(c, () => c.patch())).toEqual([{ op: "ADD", path: "/_OtherDetails", value: { Age: "48" } }]);
    (c._OtherDetails as Record<string, unknown>).Height = "170";
    expect(await patchOf(c, () => c.patch())).toEqual([{ op: "ADD", path: "/_OtherDetails", value: { Height: "170" } }]);
  });

  test("add rows to a grouped set: a new set is ADD /_Assets [rows]; appended rows ADD /_Assets/N", async () => {
    const raw = fixtureJson("client-full.json");
    delete raw._Assets;
    const c = MambuClient.fromWire(raw, testConnector());
    c._Assets = [
      { ASSETYPE: "Land", ASSETAGE: "10", ASSETVALUE: "965000" },
      { ASSETYPE: "Car", ASSETAGE: "2", ASSETVALUE: "25000" },
    ];
    expect(await patchOf(c, () => c.patch())).toEqual([
      { op: "ADD", path: "/_Assets", value: [{ ASSETYPE: "Land", ASSETAGE: "10", ASSETVALUE: "965000" }, { ASSETYPE: "Car", ASSETAGE: "2", ASSETVALUE: "25000" }] },
    ]);
    (c.Assets as unknown[]).push({ ASSETYPE: "Boat", ASSETAGE: "5", ASSETVALUE: "9000" });
    expect(await patchOf(c, () => c.patch())).toEqual([{ op: "ADD", path: "/_Assets/2", value: { ASSETYPE: "Boat", ASSETAGE: "5", ASSETVALUE: "9000" } }]);
    expect(c.ASSETYPE_2).toBe("Boat");
  });

  test("remove a grouped field, a row, a whole set (with autodetectRemove)", async () => {
    let c = client();
    delete (c.Assets as Array<Record<string, unknown>>)[0].ASSETAGE;
    expect(await patchOf(c, () => c.patch(undefined, { autodetectRemove: true }))).toEqual([{ op: "REMOVE", path: "/_Assets/0/ASSETAGE" }]);
    c = client();
    (c.Assets as unknown[]).splice(1, 1);
    expect(await patchOf(c, () => c.patch(undefined, { autodetectRemove: true }))).toEqual([{ op: "REMOVE", path: "/_Assets/1" }]);
    c = client();
    c._Assets = undefined;
    expect(await patchOf(c, () => c.patch(undefined, { autodetectRemove: true }))).toEqual([{ op: "REMOVE", path: "/_Assets" }]);
  });

  test("remove a standard field: REMOVE /_OtherDetails/Age", async () => {
    const c = client();
    c.Age = undefined;
    expect(await patchOf(c, () => c.patch(["Age"]))).toEqual([{ op: "REMOVE", path: "/_OtherDetails/Age" }]);
  });

  test("native fields: REPLACE, ADD, and REMOVE only with autodetectRemove or when named", async () => {
    const c = client();
    c.lastName = "ALAS RUIZ";
    c.middleName = "MARÍA";
    c.notes = undefined;
    expect(await patchOf(c, () => c.patch())).toEqual([
      { op: "REPLACE", path: "/lastName", value: "ALAS RUIZ" },
      { op: "ADD", path: "/middleName", value: "MARÍA" },
    ]);
    c.notes = undefined;
    expect(await patchOf(c, () => c.patch(["notes"]))).toEqual([{ op: "REMOVE", path: "/notes" }]);
  });

  test("fields restricts the patch to the named fields", async () => {
    const c = client();
    c.lastName = "X";
    c.Age = "60";
    c.ASSETAGE_0 = "11";
    expect(await patchOf(c, () => c.patch(["Age", "ASSETAGE_0"]))).toEqual([
      { op: "REPLACE", path: "/_OtherDetails/Age", value: "60" },
      { op: "REPLACE", path: "/_Assets/0/ASSETAGE", value: "11" },
    ]);
    expect(c.pendingPatch()).toEqual([{ op: "REPLACE", path: "/lastName", value: "X" }]);
  });

  test("nothing changed: nothing is sent", async () => {
    const c = client();
    void c.Age, c.ASSETAGE_1, c.birthDate, c.addresses;
    expect(await c.patch()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test("the patch is sent with an Idempotency-Key, and the new state is the baseline", async () => {
    const seen: Captured = {};
    const c = client();
    c.Age = "52";
    mambu().patch(`/api/clients/${c.encodedKey}`).reply(capture(seen, 204));
    await c.patch();
    expect(String(seen.headers?.["idempotency-key"])).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.pendingPatch()).toEqual([]);
    expect(c.Age).toBe("52");
  });

  test("read-only fields and unknown fields are refused before any request", async () => {
    const c = client();
    c.creationDate = "2020-01-01T00:00:00+02:00" as never;
    await expect(c.patch()).rejects.toThrow(/creationDate is read-only/);
    const d = client();
    (d as unknown as Record<string, unknown>).favouriteColour = "red";
    await expect(d.patch()).rejects.toThrow(/favouriteColour is not a field of Client/);
    await expect(d.update()).rejects.toThrow(MambuTsError);
  });
});
