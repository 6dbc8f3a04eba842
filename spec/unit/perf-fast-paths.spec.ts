/**
 * The read path's fast paths give exactly what the general code gives (issue 19):
 * - Decimals made from Mambu's decimal text (`decimalFromPlainText`, `decimalFromJsonText`,
 *   `decimalFromNumber`) against `new Decimal(...)`: same sign, exponent and digit words;
 * - wire date-times and dates read without luxon's ISO parser against `DateTime.fromISO`, for every
 *   offset form Mambu sends (`Z`, `+02:00`, `-05:00`, `+05:45`) and plain dates;
 * - `parseJsonExact`, which places the numbers a double cannot hold in one in-order walk, against
 *   the general placement by path, on documents with repeated keys, keys that are array indices,
 *   `__proto__` keys and deep nesting (where the walk's order is not the text's);
 * - entities read from the wire with their custom field layout defined at once behave as before.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { Decimal, MambuLoan, parseJsonExact, RawNumber, registerCustomFieldTypes, clearCustomFieldTypes, stringifyExact } from "../../lib";
import { decimalFromJsonText, decimalFromNumber, decimalFromPlainText } from "../../lib/core/fast-decimal";
import { hydrateScalar, parseWireDate, parseWireDateTime } from "../../lib/core/coerce";

/** decimal.js's own fields: what two Decimals must share to be the same Decimal. */
function fields(d: unknown): unknown {
  const x = d as { s: number; e: number; d: number[] | null; constructor: unknown };
  return { s: x.s, e: x.e, d: x.d, ctor: x.constructor === Decimal };
}

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) => a.join(""));

/** `-?DIGITS(.DIGITS)?` with leading and trailing zeros, up to 60 digits on each side. */
const plainDecimal: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("", "-"), digits(1, 60), fc.option(digits(1, 60), { nil: undefined }))
  .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? "" : `.${frac}`}`);

describe("Decimal from Mambu's decimal text", () => {
  test("the same Decimal as new Decimal(text), for any plain decimal text", () => {
    fc.assert(
      fc.property(plainDecimal, (text) => {
        const fast = decimalFromPlainText(text);
        expect(fast).toBeDefined();
        expect(fields(fast)).toEqual(fields(new Decimal(text)));
        expect(fast!.toFixed()).toBe(new Decimal(text).toFixed());
      }),
      { numRuns: 5000 },
    );
  });

  test("money as Mambu writes it: trailing zeros, negatives, zeros, many digits", () => {
    for (const text of [
      "0", "-0", "0.00", "-0.00", "1500.00", "1500", "-1500.50", "0.0000001", "0.000000000123", "1234567.1234567", "12345678",
      "9999999", "10000000", "99999999999999999999999.99", "-12345678901234567890123456789.000000001", "007", "007.50", "1e5",
    ]) {
      const fast = decimalFromPlainText(text);
      if (text === "1e5") {
        expect(fast).toBeUndefined();
        continue;
      }
      expect(fields(fast)).toEqual(fields(new Decimal(text)));
    }
  });

  test("a text read again gives a Decimal of the same value that no arithmetic on another can change", () => {
    const a = decimalFromPlainText("0.00")!;
    const b = decimalFromPlainText("0.00")!;
    expect(fields(a)).toEqual(fields(new Decimal("0.00")));
    expect(a.plus(5).toFixed(2)).toBe("5.00");
    expect(b.neg().abs().toFixed(2)).toBe("0.00");
    expect(fields(b)).toEqual(fields(new Decimal(0)));
    for (let i = 0; i < 5000; i++) decimalFromPlainText(`${i}.25`); // past the bound: the cache empties, values stay right
    expect(fields(decimalFromPlainText("4999.25"))).toEqual(fields(new Decimal("4999.25")));
  });

  test("other forms are left to decimal.js (exponents) or refused (not decimal text)", () => {
    for (const text of ["1e5", "1E-7", "-2.5e+10", "+1", ".5", "5.", "1.2.3", "", "-", " 1", "1 ", "0x10", "Infinity", "NaN", "1,5", "--1"]) {
      expect(decimalFromPlainText(text)).toBeUndefined();
    }
    for (const text of ["1e5", "1E-7", "-2.5e+10", "1.50e3"]) expect(fields(decimalFromJsonText(text))).toEqual(fields(new Decimal(text)));
  });

  test("numbers JSON.parse gave: the same Decimal as new Decimal(number)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, 123.45, -0.1, 2 ** 53)), (n) => {
        expect(fields(decimalFromNumber(n))).toEqual(fields(new Decimal(n)));
      }),
      { numRuns: 5000 },
    );
  });

  test("amount fields and NUMBER custom fields read through the fast path hold the same value", () => {
    for (const raw of [new RawNumber("1500.00"), new RawNumber("-0.10"), new RawNumber("1.5e3"), 42.25, 7, "12.50", "1e2", "abc"]) {
      const got = hydrateScalar("decimal", raw);
      const want = typeof raw === "string" && !/^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(raw) ? raw : new Decimal(raw instanceof RawNumber ? raw.text : raw);
      if (typeof want === "string") expect(got).toBe(want);
      else expect(fields(got)).toEqual(fields(want));
    }
  });
});

/** Everything observable about a DateTime (and its calendar fields and locale). */
function describeDateTime(v: unknown): unknown {
  if (!DateTime.isDateTime(v)) return v;
  const l = (v as unknown as { loc: Record<string, unknown> }).loc;
  return [
    v.toMillis(), v.isValid, v.zone.type, v.zone.name, v.offset, v.toISO(), v.year, v.month, v.day, v.hour, v.minute, v.second,
    l.locale, l.numberingSystem, l.outputCalendar,
  ];
}

/** The general reading: luxon's ISO parser keeping the offset sent. */
function slowDateTime(s: string): unknown {
  const dt = DateTime.fromISO(s, { setZone: true });
  return dt.isValid ? dt : s;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

describe("wire date-times and dates without luxon's ISO parser", () => {
  const offsets = fc.oneof(
    fc.constantFrom("Z", "+00:00", "-00:00", "+02:00", "-05:00", "+05:45", "-03:30", "+14:00", "-12:00", "+23:59"),
    fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
  );
  const dateText = fc
    .tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);

  test("every offset form Mambu sends: the same DateTime as DateTime.fromISO (instant, zone, offset, fields, locale)", () => {
    fc.assert(
      fc.property(dateText, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), offsets, (date, h, mi, se, off) => {
        const s = `${date}T${pad(h)}:${pad(mi)}:${pad(se)}${off}`;
        expect(describeDateTime(parseWireDateTime(s))).toEqual(describeDateTime(slowDateTime(s)));
      }),
      { numRuns: 5000 },
    );
  });

  test("dates without time: midnight UTC, as luxon reads them; impossible dates stay text", () => {
    fc.assert(
      fc.property(dateText, (s) => {
        const dt = DateTime.fromISO(s, { zone: "UTC" });
        expect(describeDateTime(parseWireDate(s))).toEqual(describeDateTime(dt.isValid ? dt : s));
      }),
      { numRuns: 3000 },
    );
    expect(parseWireDate("2023-02-29")).toBe("2023-02-29");
    expect((parseWireDate("2024-02-29") as DateTime).toISO()).toBe("2024-02-29T00:00:00.000Z");
  });

  test("the zone of a date-time is a fixed offset zone equal to a fresh one (zones are cached per offset)", () => {
    const a = parseWireDateTime("2026-01-15T10:00:00-05:00") as DateTime;
    const b = parseWireDateTime("2026-07-15T10:00:00-05:00") as DateTime;
    expect(a.zone.name).toBe("UTC-5");
    expect(a.zone.equals(b.zone)).toBe(true);
    expect(a.offset).toBe(-300);
    expect(a.toISO()).toBe("2026-01-15T10:00:00.000-05:00");
  });
});

// The exact parser as it was before any optimisation (text rewritten, revived by JSON.parse): an independent oracle.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { referenceParseJsonExact } = require("../../bench/lib/reference-json") as {
  referenceParseJsonExact: (text: string, makeRaw: (t: string) => unknown) => unknown;
};

/** The reference's reading, with its raw numbers as RawNumbers (compared by their text). */
function reference(text: string): unknown {
  return referenceParseJsonExact(text, (t) => new RawNumber(t));
}

/** Deep equality of two parsed documents, RawNumbers by text, own keys in order (`__proto__` too). */
function same(a: unknown, b: unknown): void {
  if (b instanceof RawNumber) {
    expect(a).toBeInstanceOf(RawNumber);
    expect((a as RawNumber).text).toBe(b.text);
    return;
  }
  expect(a).not.toBeInstanceOf(RawNumber);
  if (b !== null && typeof b === "object") {
    expect(Array.isArray(a)).toBe(Array.isArray(b));
    const keys = Object.keys(b);
    expect(Object.keys(a as object)).toEqual(keys);
    for (const k of keys) same(Object.getOwnPropertyDescriptor(a, k)!.value, Object.getOwnPropertyDescriptor(b, k)!.value);
    return;
  }
  expect(Object.is(a, b)).toBe(true);
}

describe("parseJsonExact: one in-order walk, or placement by path when the walk's order could differ", () => {
  const cases: Array<[string, string]> = [
    ["a repeated key (JSON.parse keeps the last value, at the first key's place)", '{"a":"s","b":1.50,"a":2.500}'],
    ["a repeated key overriding a number", '{"a":1.50,"b":"x","a":2}'],
    ["keys that are array indices (listed first by objects)", '{"b":1.50,"1":1.500,"0":{"x":2.50}}'],
    ["a key starting with a digit that is no index", '{"b":1.50,"1.50":2.0}'],
    ["a __proto__ key", '{"__proto__":{"x":1.50},"y":[0.10]}'],
    ["repeated keys in nested rows", '[{"a":1.0,"a":2.00},{"b":[1.10,2],"b":[3.30]}]'],
  ];
  test.each(cases)("%s", (_what, text) => {
    same(parseJsonExact(text), reference(text));
  });

  test("the repeated key keeps the last text: 2.500 at a, 1.50 at b", () => {
    const doc = parseJsonExact('{"a":"s","b":1.50,"a":2.500}') as Record<string, RawNumber>;
    expect(doc.a.text).toBe("2.500");
    expect(doc.b.text).toBe("1.50");
    const idx = parseJsonExact('{"b":1.50,"1":1.500}') as Record<string, RawNumber>;
    expect(idx.b.text).toBe("1.50");
    expect(idx["1"].text).toBe("1.500");
  });

  test("deep nesting is placed without recursion limits", () => {
    const depth = 5000;
    const text = `${"[".repeat(depth)}1.50${"]".repeat(depth)}`;
    let v = parseJsonExact(text) as unknown;
    for (let i = 0; i < depth; i++) v = (v as unknown[])[0];
    expect(v).toBeInstanceOf(RawNumber);
    expect((v as RawNumber).text).toBe("1.50");
  });

  test("any document: the same as the reference parser (repeated keys, index keys, __proto__ included)", () => {
    const key = fc.oneof(fc.constantFrom("a", "b", "0", "1", "10", "__proto__", "1.50", "x"), fc.string({ maxLength: 4 }));
    const num = fc.constantFrom("1.50", "2", "-0", "0.00", "12345678901234567", "1e5", "3.25", "100.0");
    const doc: fc.Arbitrary<string> = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: "small" }, num, fc.constant('"s"'), tie("arr"), tie("obj")),
      arr: fc.array(tie("v"), { maxLength: 4 }).map((xs) => `[${(xs as string[]).join(",")}]`),
      obj: fc.array(fc.tuple(key, tie("v")), { maxLength: 5 }).map((es) => `{${(es as Array<[string, string]>).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
    })).v as fc.Arbitrary<string>;
    fc.assert(
      fc.property(doc, (text) => {
        same(parseJsonExact(text), reference(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("entities read from the wire: custom field accessors defined for the whole layout at once", () => {
  afterEach(() => clearCustomFieldTypes());

  const wire = (extra = ""): string =>
    `{"id":"L1","loanAmount":1500.00,"_Std":{"purpose":"Shop","riskScore":"482.50"},"_Rows":[{"name":"A","income":"10.00"},{"name":"B"}]${extra}}`;

  test("flattened fields read and write through, typed with the types registered when the entity was read", () => {
    registerCustomFieldTypes({ riskScore: "NUMBER", income: "NUMBER" });
    const a = MambuLoan.fromWire(parseJsonExact(wire()) as Record<string, unknown>);
    const b = MambuLoan.fromWire(parseJsonExact(wire()) as Record<string, unknown>);
    const f = (e: MambuLoan): Record<string, unknown> => e as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(a)).toBe(MambuLoan.prototype);
    expect((f(a).riskScore as Decimal).toFixed(2)).toBe("482.50");
    expect((f(a).income_0 as Decimal).toFixed(2)).toBe("10.00");
    expect(f(a).name_1).toBe("B");
    expect(f(a).income_1).toBeUndefined();
    expect(f(a).Rows).toHaveLength(2);
    f(a).purpose = "Bakery";
    expect(f(a)._Std).toEqual({ purpose: "Bakery", riskScore: new Decimal("482.50") });
    expect(f(b).purpose).toBe("Shop"); // entities sharing a layout share no values
    expect(Object.getOwnPropertyDescriptor(a, "purpose")?.get).toBe(Object.getOwnPropertyDescriptor(b, "purpose")?.get);
    expect(stringifyExact(b)).toBe(wire());
  });

  test("a row added then synced gets its accessors; removing the set removes them", () => {
    const e = MambuLoan.fromWire(parseJsonExact(wire()) as Record<string, unknown>) as unknown as Record<string, unknown>;
    e.Rows = [...(e.Rows as object[]), { name: "C" }];
    expect(e.name_2).toBe("C");
    e._Std = undefined;
    expect("purpose" in e).toBe(false);
  });

  test("an unknown top-level field named like a custom field stays the wire value", () => {
    const e = MambuLoan.fromWire(parseJsonExact(wire(',"purpose":"top"')) as Record<string, unknown>) as unknown as Record<string, unknown>;
    expect(e.purpose).toBe("top");
    expect((e._Std as Record<string, unknown>).purpose).toBe("Shop");
  });
});
