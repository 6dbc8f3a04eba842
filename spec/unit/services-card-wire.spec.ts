/**
 * The Services sandbox's card wire values (lib/sandbox/services/card-wire.ts), without HTTP: a card acceptor goes
 * to API v2's CardAcceptor and back unchanged (address lines kept apart), and timestamps are answered in UTC.
 */
import fc from "fast-check";
import { acceptorFromV2, acceptorToV2, utcOut } from "../../lib/sandbox/services/card-wire";

const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes("\n"));

test("an acceptor survives the trip through API v2's CardAcceptor, its two address lines included", () => {
  const address = fc.record(
    { line1: text, line2: fc.string({ maxLength: 12 }), city: text, region: text, postcode: text, country: fc.constantFrom("MX", "MEX", "DE") },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.record({ name: text, m_c_c: fc.integer({ min: 0, max: 9999 }), address }, { requiredKeys: [] }), (a) => {
      const back = acceptorFromV2(acceptorToV2(a));
      const expected = { ...a } as Record<string, unknown>;
      if (a.address !== undefined && Object.keys(a.address).length === 0) delete expected.address;
      expect(back).toEqual(expected);
    }),
  );
});

test("v2's street, state and zip are the Services address's line1, region and postcode", () => {
  expect(acceptorToV2({ name: "Bistro", m_c_c: 5812, address: { line1: "Calle 1", line2: "Local 2", region: "CDMX", postcode: "06600" } })).toEqual({
    name: "Bistro", mcc: 5812, street: "Calle 1\nLocal 2", state: "CDMX", zip: "06600",
  });
  expect(acceptorFromV2({ street: "Main St 1", city: "Berlin", country: "DE" })).toEqual({ address: { line1: "Main St 1", city: "Berlin", country: "DE" } });
});

test("timestamps are answered in UTC with Z, whole seconds without a fraction", () => {
  expect(utcOut("2026-01-15T10:00:00+02:00")).toBe("2026-01-15T08:00:00Z");
  expect(utcOut("2026-01-15T10:00:00.250-05:00")).toBe("2026-01-15T15:00:00.250Z");
  expect(utcOut(undefined)).toBeUndefined();
});
