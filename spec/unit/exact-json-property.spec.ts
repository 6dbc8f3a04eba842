/**
 * Property tests of the exact JSON parser and stringifier: for any JSON document, parse → stringify
 * gives the document back with every number byte for byte, and what is stringified is always JSON.
 */
import fc from "fast-check";
import { DateTime, Decimal, parseJsonExact, RawNumber, stringifyExact } from "../../lib";

/** The exact-number marker the library once used inside strings (data must never be able to forge a number). */
const OLD_SENTINEL = "\u0001\u0002mambu-ts-num:";

/** A JSON document as a tree, numbers kept as their source text. */
type Model =
  | { t: "num"; text: string }
  | { t: "str"; s: string }
  | { t: "lit"; v: "true" | "false" | "null" }
  | { t: "arr"; items: Model[] }
  | { t: "obj"; entries: Array<[string, Model]> };

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) => a.join(""));

/** JSON number text: any sign, up to 45 integer digits, fractions with trailing zeros, exponents. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("", "-"),
      fc.oneof(fc.constant("0"), fc.tuple(fc.constantFrom(..."123456789"), digits(0, 45)).map(([a, b]) => a + b)),
      fc.option(digits(1, 40), { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), digits(1, 4)), { nil: undefined }),
    )
    .map(([sign, int, frac, exp]) => `${sign}${int}${frac === undefined ? "" : `.${frac}`}${exp === undefined ? "" : exp.join("")}`),
  fc.constantFrom(
    "0", "-0", "0.0", "-0.0", "1.50", "1500.00", "0.000001", "0.0000001", "-0.00000012", "100000000000000000000",
    "1000000000000000000000", "123456789012345", "1234567890123456", "12345678901234567890123.45", "1e3", "1E+03", "5e-324",
    "1e400", "-1e-400", "9007199254740993", "0.1", "123.456",
  ),
);

const trickyText = fc.constantFrom(
  OLD_SENTINEL + "123", OLD_SENTINEL + "1-2", `"${OLD_SENTINEL}5"`, "\\", '"', '\\"', "\\u0001", "\u2028\u2029", "\ud800", "\udfff\ud800",
  "é€😀", "__proto__", "constructor", "toJSON", "1.50", "-0", "", "\u0000", "}", "]", ",", ":",
);
const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  trickyText,
  fc.tuple(fc.string({ maxLength: 4 }), trickyText, fc.string({ maxLength: 4 })).map((p) => p.join("")),
);
const key: fc.Arbitrary<string> = fc.oneof(
  text,
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "toJSON", "a", "b", "_Set"),
);

const { doc } = fc.letrec<{ doc: Model; value: Model }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    numberText.map((t): Model => ({ t: "num", text: t })),
    text.map((s): Model => ({ t: "str", s })),
    fc.constantFrom("true", "false", "null").map((v): Model => ({ t: "lit", v: v as "true" | "false" | "null" })),
    tie("doc"),
  ),
  doc: fc.oneof(
    { depthSize: "small" },
    fc.array(tie("value"), { maxLength: 5 }).map((items): Model => ({ t: "arr", items })),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 5 }).map((entries): Model => ({ t: "obj", entries })),
  ),
}));
/** Any JSON text, a bare scalar included. */
const anyDoc: fc.Arbitrary<Model> = fc.oneof(doc, doc, numberText.map((t): Model => ({ t: "num", text: t })), text.map((s): Model => ({ t: "str", s })));

const ws = fc.constantFrom("", "", "", " ", "\n", "\t", "\r\n  ");

/** The model as JSON text, with whitespace from `space` between tokens. */
function render(m: Model, space: () => string = () => ""): string {
  switch (m.t) {
    case "num":
      return m.text;
    case "str":
      return JSON.stringify(m.s);
    case "lit":
      return m.v;
    case "arr":
      return `[${space()}${m.items.map((x) => render(x, space) + space()).join(`,${space()}`)}]`;
    case "obj":
      return `{${space()}${m.entries.map(([k, v]) => `${JSON.stringify(k)}${space()}:${space()}${render(v, space)}${space()}`).join(`,${space()}`)}}`;
  }
}

/** Whether a key is an array index ("0", "17"; not "01" or "-1"), which every JavaScript object lists first. */
const isIndexKey = (k: string): boolean => /^(0|[1-9]\d*)$/.test(k) && Number(k) < 2 ** 32 - 1;

/**
 * The document JSON.parse denotes: a repeated key keeps its first position and its last value, and,
 * as in every JavaScript object, array-index keys come first in numeric order, then the others in
 * the order they came.
 */
function normalise(m: Model): Model {
  if (m.t === "arr") return { t: "arr", items: m.items.map(normalise) };
  if (m.t !== "obj") return m;
  const map = new Map<string, Model>();
  for (const [k, v] of m.entries) map.set(k, normalise(v));
  const entries = [...map];
  const index = entries.filter(([k]) => isIndexKey(k)).sort(([a], [b]) => Number(a) - Number(b));
  return { t: "obj", entries: [...index, ...entries.filter(([k]) => !isIndexKey(k))] };
}

/** A whitespace source drawn once per test case. */
const spacing = fc.array(ws, { minLength: 1, maxLength: 16 }).map((spaces) => {
  let i = 0;
  return () => spaces[i++ % spaces.length];
});

describe("exact JSON: parse → stringify (property)", () => {
  test("gives back the document with every number's text byte for byte", () => {
    fc.assert(
      fc.property(anyDoc, spacing, (m, space) => {
        const source = render(m, space);
        const out = stringifyExact(parseJsonExact(source));
        expect(out).toBe(render(normalise(m)));
      }),
      { numRuns: 1500 },
    );
  });

  test("array-index keys come first in numeric order (as in every JavaScript object); other keys keep their order", () => {
    expect(stringifyExact(parseJsonExact('{"__proto__":1,"b":2.50,"10":3,"a":4,"0":0.0,"01":5}'))).toBe('{"0":0.0,"10":3,"__proto__":1,"b":2.50,"a":4,"01":5}');
  });

  test("the output is JSON and denotes the same document as the source", () => {
    fc.assert(
      fc.property(anyDoc, spacing, (m, space) => {
        const source = render(m, space);
        const out = stringifyExact(parseJsonExact(source));
        expect(JSON.parse(out)).toEqual(JSON.parse(source));
        // and it is a fixed point
        expect(stringifyExact(parseJsonExact(out))).toBe(out);
      }),
      { numRuns: 800 },
    );
  });

  test("numbers a double cannot reproduce as written are RawNumbers with their text; others are plain numbers", () => {
    fc.assert(
      fc.property(numberText, (t) => {
        const v = (parseJsonExact(`{"n":${t}}`) as { n: unknown }).n;
        if (v instanceof RawNumber) expect(v.text).toBe(t);
        else {
          expect(typeof v).toBe("number");
          expect(JSON.stringify(v)).toBe(t);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("a string never becomes a number, whatever it holds", () => {
    fc.assert(
      fc.property(text, numberText, (s, n) => {
        const forged = `${OLD_SENTINEL}${n}`;
        const source = JSON.stringify({ a: s, b: forged, [forged]: [s, forged] });
        const out = stringifyExact(parseJsonExact(source));
        expect(out).toBe(source);
        expect(JSON.parse(out)).toEqual({ a: s, b: forged, [forged]: [s, forged] });
      }),
    );
  });
});

describe("stringifyExact writes what JSON.stringify writes, RawNumbers aside", () => {
  test("for any JavaScript value (boxed values, -0, NaN, sparse arrays, Maps, Dates, null prototypes, __proto__ keys)", () => {
    fc.assert(
      fc.property(
        fc.anything({
          maxDepth: 3,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withSparseArray: true,
          withDate: true,
          withTypedArray: true,
          withObjectString: true,
          key: fc.oneof(fc.string(), fc.constantFrom("__proto__", "toJSON", "constructor")),
          values: [fc.string({ unit: "binary" }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(OLD_SENTINEL + "7")],
        }),
        (v) => {
          expect(stringifyExact(v)).toBe(JSON.stringify(v));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("toJSON is honoured with its key, as JSON.stringify does (Decimal, DateTime, Date, custom)", () => {
    const seen: string[] = [];
    const custom = { toJSON: (k: string) => (seen.push(k), { raw: new RawNumber("1.50") }) };
    const v = { d: new Decimal("1.50"), t: DateTime.fromISO("2021-03-09T13:37:50+05:30", { setZone: true }), date: new Date(0), c: custom, l: [custom] };
    expect(stringifyExact(v)).toBe(
      '{"d":"1.5","t":"2021-03-09T13:37:50.000+05:30","date":"1970-01-01T00:00:00.000Z","c":{"raw":1.50},"l":[{"raw":1.50}]}',
    );
    expect(seen).toEqual(["c", "0"]);
  });

  test("undefined, functions and symbols are left out as JSON.stringify leaves them; BigInt and cycles are errors", () => {
    expect(stringifyExact(undefined)).toBeUndefined();
    expect(stringifyExact(() => 1)).toBeUndefined();
    expect(stringifyExact({ a: undefined, b: () => 1, c: Symbol("x"), d: [undefined, () => 1] })).toBe('{"d":[null,null]}');
    expect(() => stringifyExact({ n: 1n })).toThrow(TypeError);
    const cyc: Record<string, unknown> = { a: new RawNumber("1.50") };
    cyc.self = { back: cyc };
    expect(() => stringifyExact(cyc)).toThrow(TypeError);
    const shared = { x: new RawNumber("2.0") };
    expect(stringifyExact({ a: shared, b: [shared] })).toBe('{"a":{"x":2.0},"b":[{"x":2.0}]}');
  });

  test("any mix of RawNumbers and hostile strings stringifies to JSON that reads back the same", () => {
    const leaf = fc.oneof(
      numberText.map((t) => new RawNumber(t)),
      text,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(null, true, false),
    );
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("tree"), { maxLength: 4 }),
        fc.array(fc.tuple(key, tie("tree")), { maxLength: 4 }).map((es) => {
          const o: Record<string, unknown> = {};
          for (const [k, x] of es) Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
          return o;
        }),
      ),
    }));
    fc.assert(
      fc.property(tree, (v) => {
        const out = stringifyExact(v);
        expect(() => JSON.parse(out)).not.toThrow();
        expect(stringifyExact(parseJsonExact(out))).toBe(out);
      }),
      { numRuns: 800 },
    );
  });
});

describe("RawNumber", () => {
  test("accepts only JSON number text", () => {
    for (const ok of ["0", "-0", "1.50", "1e3", "-12.5E-07", "123456789012345678901234567890"]) expect(new RawNumber(ok).text).toBe(ok);
    for (const bad of ["1-2", "", " 1", "1 ", "01", "1.", ".5", "+1", "0x10", "NaN", "Infinity", "1e", '1,"x":2', "١"]) {
      expect(() => new RawNumber(bad)).toThrow(/not a JSON number/);
    }
  });
});
