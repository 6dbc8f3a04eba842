/**
 * Custom fields by name (`entity.customField(name)`, `entity.setCustomField(name, value)`): the
 * untyped way to a custom field that the tenant's TypeScript types do not declare.
 */
import { Decimal, MambuClient, MambuTsError, parseJsonExact } from "../../lib";
import { fixture, testConnector } from "../helpers/mambu";

function client(over: Record<string, unknown> = {}): MambuClient {
  return MambuClient.fromWire({ ...(parseJsonExact(fixture("client-full.json")) as object), ...over }, testConnector());
}

test("reads a standard set's field, a grouped field by row, a set and a grouped set's rows by name", () => {
  const c = client();
  expect(c.customField("Age")).toBe("48");
  expect(c.customField("ASSETVALUE_0")).toBe("965000.00");
  expect(c.customField("ASSETYPE_1")).toBe("Car");
  expect(c.customField("_OtherDetails")).toEqual({ Age: "48", EmployerName: 'Café "El Rincón"', Id: "shadow" });
  expect(c.customField("Assets")).toEqual(c.customField("_Assets"));
  expect(c.customField("Nope")).toBeUndefined();
  expect(c.customField("ASSETVALUE_7")).toBeUndefined();
});

test("a custom field whose id collides with a native field is found in its set, the native field untouched", () => {
  const c = client({ _Extra: { firstName: "NOT THE NAME" } });
  expect(c.customField("firstName")).toBe("NOT THE NAME");
  expect(c.firstName).toBe("JOSEFA");
});

test("writes go through to the set: the same PATCH as the flattened properties", () => {
  const c = client();
  c.setCustomField("Age", 49).setCustomField("ASSETAGE_1", new Decimal(3));
  expect(c.pendingPatch()).toEqual([
    { op: "REPLACE", path: "/_OtherDetails/Age", value: "49" },
    { op: "REPLACE", path: "/_Assets/1/ASSETAGE", value: "3" },
  ]);
});

test("a new set is added by name; a field without a set is refused", () => {
  const c = client();
  c.setCustomField("_NewSet", { Colour: "blue" });
  expect(c.customField("Colour")).toBe("blue");
  expect(c.pendingPatch()).toEqual([{ op: "ADD", path: "/_NewSet", value: { Colour: "blue" } }]);
  expect(() => c.setCustomField("Colour2", "red")).toThrow(MambuTsError);
  expect(() => c.setCustomField("Colour2", "red")).toThrow(/MambuClient has no custom field Colour2/);
  expect(() => c.customField("")).toThrow(/non-empty string/);
});
