/**
 * Records from the server (or a user) that try to break the library: strings that look like the
 * exact-number marker, `__proto__` keys, date-times without an offset.
 */
import { inspect } from "node:util";
import { DateTime, MambuClient, MambuLoan, parseJsonExact, stringifyExact } from "../../lib";
import { cloneWire } from "../../lib/core/clone";
import { fixture, Recorder, startRecorder, testConnector } from "../helpers/mambu";

/** The exact-number marker the library once used inside strings. */
const OLD_SENTINEL = "\u0001\u0002mambu-ts-num:";

/** loan-full.json with extra members appended as JSON text (so that `__proto__` stays a plain key). */
function loanText(extra: string): string {
  return fixture("loan-full.json").replace(/\}\s*$/, `, ${extra} }`);
}

/** A tenant on loopback that answers GETs with `text` and writes with 204 (PUT: 200 with `text`), recording bodies byte for byte. */
let rec: Recorder;
let text = fixture("loan-full.json");
beforeAll(async () => {
  rec = await startRecorder((r) => (r.method === "GET" ? [200, text] : r.method === "PUT" ? [200, text] : [204]));
});
afterAll(() => rec.close());
beforeEach(() => {
  rec.requests.length = 0;
  text = fixture("loan-full.json");
});
const lastBody = (method: string): string => [...rec.requests].reverse().find((r) => r.method === method)!.body;

function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "Name")).toBe(false);
}

describe("a string never becomes a number on the way back to Mambu", () => {
  const hostile = {
    loanName: `${OLD_SENTINEL}123`,
    notes: `${OLD_SENTINEL}1-2`,
    unknownExtra: `${OLD_SENTINEL}9`,
    _LoanPurpose: { Purpose: `${OLD_SENTINEL}5`, Score: "007" },
  };

  test("update() writes back the strings the server sent, as strings, in valid JSON", async () => {
    text = loanText(Object.entries(hostile).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ").replace(/"_LoanPurpose"/, '"_LoanPurpose2"'));
    const loan = await MambuLoan.get("54321", { connector: rec.connector() });
    await loan.update();
    const put = lastBody("PUT");
    const sent = JSON.parse(put) as Record<string, unknown>;
    expect(sent.loanName).toBe(`${OLD_SENTINEL}123`);
    expect(sent.notes).toBe(`${OLD_SENTINEL}1-2`);
    expect(sent.unknownExtra).toBe(`${OLD_SENTINEL}9`);
    expect(sent._LoanPurpose2).toEqual({ Purpose: `${OLD_SENTINEL}5`, Score: "007" });
    expect(put).toContain('"loanAmount":1500.00');
    expect(put).toBe(stringifyExact(parseJsonExact(text)));
  });

  test("values a user sets (native, custom, in a patch) stay strings", async () => {
    const loan = MambuLoan.fromWire(parseJsonExact(fixture("loan-full.json")) as Record<string, unknown>, rec.connector());
    loan.loanName = `${OLD_SENTINEL}42`;
    (loan as unknown as Record<string, unknown>).Purpose = `${OLD_SENTINEL}1-2`;
    const ops = await loan.patch();
    expect(JSON.parse(lastBody("PATCH"))).toEqual([
      { op: "REPLACE", path: "/loanName", value: `${OLD_SENTINEL}42` },
      { op: "REPLACE", path: "/_LoanPurpose/Purpose", value: `${OLD_SENTINEL}1-2` },
    ]);
    expect(ops).toHaveLength(2);
    expect(stringifyExact(loan)).toContain(JSON.stringify(`${OLD_SENTINEL}42`));
    expect(() => JSON.parse(stringifyExact(loan))).not.toThrow();
  });
});

describe("a __proto__ key in a response is data, never a prototype", () => {
  const extra = [
    '"__proto__": {"polluted": "yes", "Name": "x"}',
    '"_Guarantors": [{"Name": "A", "__proto__": {"polluted": "yes"}}, {"Name": "B"}]',
    '"unknownExtra": {"deep": [{"__proto__": {"polluted": "yes"}}]}',
  ].join(", ");
  const hostileText = loanText(extra)
    .replace('"disbursementDetails": {', '"disbursementDetails": { "__proto__": {"polluted": "yes"},')
    .replace('"_LoanPurpose": {', '"_LoanPurpose": { "__proto__": "text",');

  function read(): MambuLoan {
    return MambuLoan.fromWire(parseJsonExact(hostileText) as Record<string, unknown>, rec.connector());
  }

  test("util.inspect prints the entity (and its value objects) with the key shown", () => {
    const loan = read();
    const shown = inspect(loan, { depth: 4 });
    expect(shown).toMatch(/^MambuLoan\(54321\) \{/);
    expect(shown).toContain("['__proto__']");
    expect(shown).toContain("loanAmount: 1500.00");
    expect(inspect(loan.disbursementDetails)).toContain("['__proto__']");
    expectNoPollution();
  });

  test("prototypes stay the library's; Object.prototype is untouched after reading every field", () => {
    const loan = read();
    expect(Object.getPrototypeOf(loan)).toBe(MambuLoan.prototype);
    const dd = loan.disbursementDetails!;
    expect(Object.getPrototypeOf(dd)).toBe(Object.getPrototypeOf(read().disbursementDetails));
    expect(dd.disbursementDate).toBeDefined();
    const guarantors = (loan as unknown as Record<string, Array<Record<string, unknown>>>).Guarantors;
    expect(guarantors).toHaveLength(2);
    for (const row of guarantors) expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect((loan as unknown as Record<string, unknown>).Name_0).toBe("A");
    expect((loan as unknown as Record<string, unknown>).Purpose).toBe("Tienda");
    const set = (loan as unknown as Record<string, Record<string, unknown>>)._LoanPurpose;
    expect(Object.getPrototypeOf(set)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(set, "__proto__")?.value).toBe("text");
    expectNoPollution();
  });

  test("the record goes back byte for byte, __proto__ keys included", () => {
    const loan = read();
    void loan.disbursementDetails?.disbursementDate, (loan as unknown as Record<string, unknown>).Name_0, (loan as unknown as Record<string, unknown>).Purpose;
    expect(stringifyExact(loan)).toBe(stringifyExact(parseJsonExact(hostileText)));
    expect(stringifyExact(loan)).toContain('"__proto__":{"polluted":"yes","Name":"x"}');
    expect(stringifyExact(loan)).toContain('"_Guarantors":[{"Name":"A","__proto__":{"polluted":"yes"}},{"Name":"B"}]');
  });

  test("patch detection sees no change in them, and a patch leaves Object.prototype alone", async () => {
    const loan = read();
    expect(loan.pendingPatch([], {})).toEqual([]);
    expect(loan.pendingPatch(undefined, { autodetectRemove: true })).toEqual([]);
    (loan as unknown as Record<string, unknown>).Name_0 = "C";
    loan.loanName = "Renamed";
    const ops = await loan.patch(undefined, { autodetectRemove: true });
    expect(JSON.parse(lastBody("PATCH"))).toEqual(ops);
    expect(ops).toEqual([
      { op: "REPLACE", path: "/loanName", value: "Renamed" },
      { op: "REPLACE", path: "/_Guarantors/0/Name", value: "C" },
    ]);
    expect(stringifyExact(loan)).toContain('"_Guarantors":[{"Name":"C","__proto__":{"polluted":"yes"}},{"Name":"B"}]');
    expectNoPollution();
  });

  test("a field of a `__proto__` set is patched like any custom field, into that set", async () => {
    const loan = read();
    // the top-level "__proto__" key is a custom field set (`_` prefix); its field Name is flattened... unless taken
    const set = Object.getOwnPropertyDescriptor(loan.toJSON(), "__proto__")?.value as Record<string, unknown>;
    expect(set).toEqual({ polluted: "yes", Name: "x" });
    (loan as unknown as Record<string, unknown>).polluted = "no";
    expect(await loan.patch()).toEqual([{ op: "REPLACE", path: "/__proto__/polluted", value: "no" }]);
    expect(lastBody("PATCH")).toBe('[{"op":"REPLACE","path":"/__proto__/polluted","value":"no"}]');
    expect(stringifyExact(loan)).toContain('"__proto__":{"polluted":"no","Name":"x"}');
    expectNoPollution();
  });

  test("an entity built from user data with a __proto__ key keeps its class", () => {
    const fields = JSON.parse('{"firstName": "A", "lastName": "B", "__proto__": {"polluted": "yes"}}') as Record<string, unknown>;
    const c = new MambuClient(fields);
    expect(Object.getPrototypeOf(c)).toBe(MambuClient.prototype);
    expect(stringifyExact(c)).toBe('{"firstName":"A","lastName":"B","__proto__":{"polluted":"yes"}}');
    expect(inspect(c)).toContain("['__proto__']");
    expectNoPollution();
  });

  test("cloning a wire value copies a __proto__ key as a key", () => {
    const v = parseJsonExact('{"a": {"__proto__": {"polluted": "yes"}, "b": [1.50]}}') as Record<string, unknown>;
    const c = cloneWire(v);
    const inner = c.a as Record<string, unknown>;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.keys(inner)).toEqual(["__proto__", "b"]);
    expect(stringifyExact(c)).toBe('{"a":{"__proto__":{"polluted":"yes"},"b":[1.50]}}');
    expectNoPollution();
  });
});

describe("a date-time without an offset from the server takes the tenant's offset, never the machine's zone", () => {
  test("the entity's own offset (from its other date-times)", () => {
    const loan = MambuLoan.fromWire(parseJsonExact(fixture("loan-full.json").replace('"2021-04-02T10:11:12+05:30"', '"2021-04-02T10:11:12"')
      .replace('"disbursementDate": "2021-03-15T00:00:00+05:30"', '"disbursementDate": "2021-03-15T00:00:00.250"')) as Record<string, unknown>);
    const dt = loan.lastModifiedDate as DateTime;
    expect(DateTime.isDateTime(dt)).toBe(true);
    expect(dt.toISO()).toBe("2021-04-02T10:11:12.000+05:30");
    expect((loan.disbursementDetails!.disbursementDate as DateTime).toISO()).toBe("2021-03-15T00:00:00.250+05:30");
    // untouched, it goes back as it came
    expect(loan.toJSON().lastModifiedDate).toBe("2021-04-02T10:11:12");
  });

  test("the configured tenant offset first", () => {
    const loan = MambuLoan.fromWire({ id: "1", creationDate: "2021-03-09T13:37:50+05:30", lastModifiedDate: "2021-04-02T10:11:12" }, testConnector({ tenantoffset: "-03:00" }));
    expect((loan.lastModifiedDate as DateTime).toISO()).toBe("2021-04-02T10:11:12.000-03:00");
    expect((loan.creationDate as DateTime).toISO()).toBe("2021-03-09T13:37:50.000+05:30");
  });

  test("an entity whose date-times end in Z is at +00:00", () => {
    const t = MambuLoan.fromWire({ id: "1", creationDate: "2021-03-09T13:37:50Z", lastModifiedDate: "2021-04-02T10:11:12" }, testConnector());
    expect((t.lastModifiedDate as DateTime).toISO()).toBe("2021-04-02T10:11:12.000Z");
    expect((t.lastModifiedDate as DateTime).offset).toBe(0);
    t.approvedDate = "2021-04-03T09:00:00" as never;
    expect(t.toJSON().approvedDate).toBe("2021-04-03T09:00:00+00:00");
  });

  test("with no offset known, the text is kept as sent (no guessed instant)", () => {
    const c = MambuClient.fromWire({ id: "1", creationDate: "2021-03-09T13:37:50" }, testConnector());
    expect(c.creationDate as unknown).toBe("2021-03-09T13:37:50");
    expect(c.toJSON().creationDate).toBe("2021-03-09T13:37:50");
  });

  test("the machine's zone is an unusual one in these tests", () => {
    expect(DateTime.local().zoneName).toBe("Pacific/Chatham");
    expect(new Date(Date.UTC(2021, 0, 1)).getTimezoneOffset()).toBe(-825);
  });
});
