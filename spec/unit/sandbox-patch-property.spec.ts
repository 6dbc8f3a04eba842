/**
 * Property tests of the sandbox's JSON Patch (lib/sandbox/patch.ts): whatever the paths and values — including
 * the segments `__proto__`, `constructor`, `prototype`, names inherited from Object.prototype, escaped
 * characters and `"__proto__"` keys inside values — a patch either applies or is rejected with Mambu's 400
 * INVALID_PARAMETERS; it never changes a prototype, never changes its input, and never leaves an object with a
 * prototype other than Object's or Array's. Patches on plain field names apply exactly as RFC 6902 says.
 */
import fc from "fast-check";
import { applyPatch } from "../../lib/sandbox/patch";
import { findProtoKey } from "../../lib/sandbox/safe-keys";
import { SandboxError } from "../../lib/sandbox/types";

const FORBIDDEN = ["__proto__", "constructor", "prototype"];
const INHERITED = ["toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf", "length"];
const KNOWN = ["firstName", "addresses", "0", "1", "-", "_OtherDetails", "_Assets", "Age", "city", "encodedKey", ""];

const record = (): Record<string, unknown> => ({
  encodedKey: "8a099a673f1f25a0013f1fd0a1c318a5",
  id: "0512N0025",
  firstName: "JOSEFA",
  addresses: [{ city: "Ciudad de Mexico", line1: "Calle Sol 12" }],
  _OtherDetails: { Age: "47" },
  _Assets: [{ ASSETYPE: "Land" }],
});
const IMMUTABLE = new Set(["encodedKey", "creationDate"]);

/** Own property names of the prototypes a pollution would reach. */
const prototypesNow = (): string[] =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(","));

/** Whether every object inside `v` (and `v`) has the ordinary prototype of its kind. */
function ordinaryPrototypes(v: unknown): boolean {
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== "object") continue;
    const proto = Object.getPrototypeOf(x);
    if (proto !== (Array.isArray(x) ? Array.prototype : Object.prototype)) return false;
    stack.push(...(Array.isArray(x) ? x : Object.values(x)));
  }
  return true;
}

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FORBIDDEN) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom("~0", "~1", "__proto__~1x", "a~1__proto__") },
);
const path = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([segs, slash]) => `${slash ? "/" : ""}${segs.join("/")}`);
/** JSON values, some of them objects with an own "__proto__" key (as JSON.parse makes them). */
const value = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(`{"__proto__": ${JSON.stringify(v ?? null)}, "polluted": true}`) as unknown) },
);
const operation = fc.record(
  {
    op: fc.constantFrom("add", "replace", "remove", "move", "ADD", "Replace", "copy"),
    path,
    from: path,
    value,
  },
  { requiredKeys: ["op", "path"] },
);

describe("applyPatch, any input", () => {
  it("applies or answers Mambu's 400, and never reaches a prototype or its input", () => {
    const before = prototypesNow();
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 4 }), (ops) => {
        const input = record();
        let out: unknown;
        try {
          out = applyPatch(input, ops, IMMUTABLE);
        } catch (e) {
          expect(e).toBeInstanceOf(SandboxError);
          const err = e as SandboxError;
          expect(err.status).toBe(400);
          expect(err.toBody()).toEqual({ errors: [{ errorCode: 4, errorSource: expect.any(String), errorReason: "INVALID_PARAMETERS" }] });
        }
        expect(prototypesNow()).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(input).toEqual(record());
        if (out !== undefined) expect(ordinaryPrototypes(out)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects every path with a __proto__, constructor or prototype segment, whatever the operation", () => {
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 3 }),
        fc.constantFrom(...FORBIDDEN),
        fc.array(segment, { maxLength: 3 }),
        fc.constantFrom("add", "replace", "remove", "move"),
        fc.boolean(),
        (pre, bad, post, op, inFrom) => {
          const p = `/${[...pre, bad, ...post].join("/")}`;
          const o = inFrom ? { op: "move", from: p, path: "/firstName" } : { op, path: p, from: "/firstName", value: { authorization: "x" } };
          let err: unknown;
          try {
            applyPatch(record(), [o], IMMUTABLE);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(SandboxError);
          expect((err as SandboxError).status).toBe(400);
          expect((err as SandboxError).errorReason).toBe("INVALID_PARAMETERS");
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("applyPatch, plain field names", () => {
  /** Names that are nobody's prototype property, not custom field sets and not escapes. */
  const plain = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,11}$/).filter((s) => !(s in {}) && !["encodedKey", "id", "firstName", "addresses"].includes(s));
  /** JSON values without "__proto__" keys (fast-check likes to generate those; they are rejected, see above). */
  const json = (maxDepth: number) => fc.jsonValue({ maxDepth }).filter((v) => findProtoKey(v) === undefined);

  it("add and replace set the value; remove takes it away again", () => {
    fc.assert(
      fc.property(plain, json(3), fc.constantFrom("add", "replace", "ADD"), fc.boolean(), (name, v, op, slash) => {
        const p = `${slash ? "/" : ""}${name}`;
        const out = applyPatch(record(), [{ op, path: p, value: v }], IMMUTABLE);
        expect(Object.prototype.hasOwnProperty.call(out, name)).toBe(true);
        expect(out[name]).toEqual(JSON.parse(JSON.stringify(v)));
        expect({ ...out, [name]: undefined }).toEqual({ ...record(), [name]: undefined });
        const back = applyPatch(out, [{ op: "remove", path: `/${name}` }], IMMUTABLE);
        expect(back).toEqual(record());
      }),
      { numRuns: 500 },
    );
  });

  it("a nested add inside an existing object sets exactly that member", () => {
    fc.assert(
      fc.property(plain, json(2), (name, v) => {
        const out = applyPatch(record(), [{ op: "add", path: `/addresses/0/${name}`, value: v }], IMMUTABLE);
        const addr = (out.addresses as Array<Record<string, unknown>>)[0];
        expect(addr[name]).toEqual(JSON.parse(JSON.stringify(v)));
        expect(Object.keys(addr).sort()).toEqual(["city", "line1", name].sort());
      }),
      { numRuns: 300 },
    );
  });

  it("an escaped segment (~0, ~1) names the field with ~ or /", () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        const out = applyPatch(record(), [{ op: "add", path: `/${a}~1${b}~0`, value: 1 }], IMMUTABLE);
        expect(out[`${a}/${b}~`]).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});
