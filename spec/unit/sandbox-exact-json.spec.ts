/**
 * The sandbox's exact JSON for the Services API (lib/sandbox/services/exact-json.ts): numbers a double would change
 * are kept as their text and written back as numbers; everything else is what JSON.parse and JSON.stringify give;
 * nesting is bounded and `"__proto__"` keys are refused.
 */
import { ExactNumber, exactBodyOf, keepExactBody, parseJsonExact, plainNumbers, stringifyJsonExact } from "../../lib/sandbox/services/exact-json";

describe("parseJsonExact", () => {
  test("keeps the text of numbers a double changes, and gives doubles for the others", () => {
    const v = parseJsonExact('{"a": 1.123456789012345678901, "b": 1.5, "c": 1.50, "d": 1e3, "e": -0, "f": 12, "g": [0.1, 123456789012345678901234]}') as Record<string, unknown>;
    expect(v.a).toEqual(new ExactNumber("1.123456789012345678901"));
    expect(v.b).toBe(1.5);
    expect((v.c as ExactNumber).text).toBe("1.50");
    expect((v.d as ExactNumber).text).toBe("1e3");
    expect((v.e as ExactNumber).text).toBe("-0");
    expect(v.f).toBe(12);
    expect(v.g).toEqual([0.1, new ExactNumber("123456789012345678901234")]);
  });

  test("gives what JSON.parse gives for documents without such numbers", () => {
    const text = '{"s": "a\\"b\\\\c\\u00e9\\n", "t": true, "f": false, "n": null, "arr": [[], {}, [1, {"x": "y"}]], "dup": 1, "dup": 2, "constructor": 3}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
    expect(parseJsonExact("  7 ")).toBe(7);
  });

  test.each(["", "{", '{"a" 1}', "[1,]", "01", "1.", '"\\x"', "tru", '{"a":1}x', "[1 2]"])("refuses %j", (text) => {
    expect(() => parseJsonExact(text)).toThrow(SyntaxError);
  });

  test('refuses a "__proto__" key and nesting deeper than asked', () => {
    expect(() => parseJsonExact('{"a": {"__proto__": {"polluted": 1}}}')).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => parseJsonExact("[[[1]]]", 2)).toThrow(/deeper than 2/);
    expect(parseJsonExact("[[1]]", 2)).toEqual([[1]]);
  });
});

describe("stringifyJsonExact and plainNumbers", () => {
  test("write an ExactNumber as its number text, never a string; the rest as JSON.stringify", () => {
    const value = { a: new ExactNumber("1.123456789012345678901"), b: "1.5", c: [1, new ExactNumber("2.50")], d: undefined, e: { f: null } };
    expect(stringifyJsonExact(value)).toBe('{"a":1.123456789012345678901,"b":"1.5","c":[1,2.50],"e":{"f":null}}');
    expect(stringifyJsonExact({ x: 1, y: "z" })).toBe(JSON.stringify({ x: 1, y: "z" }));
    expect(plainNumbers(value)).toEqual({ a: 1.1234567890123457, b: "1.5", c: [1, 2.5], d: undefined, e: { f: null } });
  });

  test("an ExactNumber holds only a JSON number", () => {
    expect(() => new ExactNumber('1,"x":2')).toThrow(TypeError);
  });

  test("a body's exact twin is found from the body handlers receive", () => {
    const text = '{"rate": 2.000000000000000000001}';
    const body = JSON.parse(text);
    keepExactBody(body, parseJsonExact(text));
    expect((exactBodyOf(body) as { rate: ExactNumber }).rate.text).toBe("2.000000000000000000001");
    const plain = { rate: 2 };
    keepExactBody(plain, { rate: 2 });
    expect(exactBodyOf(plain)).toBe(plain);
  });
});
