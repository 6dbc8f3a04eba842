/**
 * The sandbox's bounded state and strict input readers, without a server: fault counters and idempotency keys
 * stay within their bounds (forgetting the oldest first), JSON nesting is measured the same on text and on values,
 * query strings decode exactly what a client encoded and refuse invalid UTF-8.
 */
import fc from "fast-check";
import { jsonDepth, parseJsonBody, valueDepth } from "../../lib/sandbox/body";
import { FaultInjector } from "../../lib/sandbox/faults";
import { IdempotencyCache, requestFingerprint } from "../../lib/sandbox/idempotency";
import { MAX_FAULT_COUNTERS, resolveLimits } from "../../lib/sandbox/limits";
import { findProtoKey } from "../../lib/sandbox/safe-keys";
import { parseQuery } from "../../lib/sandbox/request";
import { SandboxError } from "../../lib/sandbox/types";

describe("X-Sandbox-Fault counters", () => {
  it("times=n counts per method, path and header, and keeps at most maxCounters counters", () => {
    const f = new FaultInjector(undefined, 3);
    for (let i = 0; i < 50; i++) expect(f.decide("GET", `/clients/${i}`, "503, times=1").status).toBe(503);
    expect(f.counters).toBe(3);
    // A counter still kept goes on counting: the second identical request is not faulted.
    expect(f.decide("GET", "/clients/49", "503, times=1").status).toBeUndefined();
    // A forgotten one starts again.
    expect(f.decide("GET", "/clients/0", "503, times=1").status).toBe(503);
    expect(f.counters).toBe(3);
  });

  it("the most recently used counters are the ones kept", () => {
    const f = new FaultInjector(undefined, 2);
    f.decide("GET", "/a", "500, times=1");
    f.decide("GET", "/b", "500, times=1");
    f.decide("GET", "/a", "500, times=1"); // /a used again: /b is now the oldest
    f.decide("GET", "/c", "500, times=1");
    expect(f.decide("GET", "/a", "500, times=1").status).toBeUndefined();
    expect(f.decide("GET", "/b", "500, times=1").status).toBe(500);
  });

  it("the default bound is MAX_FAULT_COUNTERS", () => {
    const f = new FaultInjector();
    for (let i = 0; i < MAX_FAULT_COUNTERS + 10; i++) f.decide("GET", `/x/${i}`, "502, times=1");
    expect(f.counters).toBe(MAX_FAULT_COUNTERS);
  });
});

describe("idempotency cache", () => {
  const ok = (n: number) => async () => ({ status: 201, body: { n } });
  const req = (path: string) => ({ fingerprint: requestFingerprint({ method: "POST", path, query: {}, body: {} }), describe: `POST ${path}` });
  const K = ["0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a51", "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a52", "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a53"];

  it("remembers at most maxEntries keys, forgetting the oldest", async () => {
    const c = new IdempotencyCache(2);
    for (let i = 0; i < 3; i++) await c.run("demo", K[i], req("/clients"), ok(i));
    expect(c.size).toBe(2);
    expect((await c.run("demo", K[0], req("/clients"), ok(10))).body).toEqual({ n: 10 }); // forgotten: runs again
    expect((await c.run("demo", K[2], req("/clients"), ok(20))).body).toEqual({ n: 2 }); // kept: replayed
  });

  it("a key is per user, and another request under a taken key is a 422 without running it", async () => {
    const c = new IdempotencyCache();
    await c.run("demo", K[0], req("/clients"), ok(1));
    expect((await c.run("other", K[0], req("/clients"), ok(2))).body).toEqual({ n: 2 });
    let ran = false;
    const err = await c
      .run("demo", K[0], req("/groups"), async () => {
        ran = true;
        return { status: 201 };
      })
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as SandboxError).status).toBe(422);
    expect((err as SandboxError).errorSource).toMatch(/already used for another request \(first used for POST \/clients\)/);
  });

  it("fingerprints ignore key order and the multipart boundary, not the values", () => {
    const a = requestFingerprint({ method: "POST", path: "/x", query: { b: "1", a: "2" }, body: { x: 1, y: [1, { z: 2 }] } });
    const b = requestFingerprint({ method: "post", path: "/x", query: { a: "2", b: "1" }, body: { y: [1, { z: 2 }], x: 1 } });
    expect(a).toBe(b);
    expect(requestFingerprint({ method: "POST", path: "/x", query: { b: "1", a: "2" }, body: { x: 2, y: [1, { z: 2 }] } })).not.toBe(a);
    expect(requestFingerprint({ method: "POST", path: "/x", query: { b: "1", a: "3" }, body: { x: 1, y: [1, { z: 2 }] } })).not.toBe(a);
    const file = (data: string) => ({ fields: { name: "n" }, files: { file: { filename: "a.txt", contentType: "text/plain", data: Buffer.from(data) } } });
    const m = (data: string) => requestFingerprint({ method: "POST", path: "/documents", query: {}, multipart: file(data) });
    expect(m("abc")).toBe(m("abc"));
    expect(m("abc")).not.toBe(m("abd"));
  });
});

describe("JSON bodies", () => {
  it("nesting measured on the text equals nesting of the value, whatever the strings hold", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        expect(jsonDepth(JSON.stringify(v))).toBe(valueDepth(v));
      }),
      { numRuns: 500 },
    );
    expect(jsonDepth(`{"a":"[[[[\\"[[[[","b":[1]}`)).toBe(2);
  });

  it("parses exactly as JSON.parse does, except that a __proto__ key anywhere is a 400", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        const text = JSON.stringify(v);
        if (findProtoKey(v) === undefined) expect(parseJsonBody(Buffer.from(text, "utf8"))).toEqual(JSON.parse(text));
        else expect(() => parseJsonBody(Buffer.from(text, "utf8"))).toThrow(expect.objectContaining({ status: 400, errorReason: "INVALID_PARAMETERS" }));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses invalid UTF-8, too deep nesting and __proto__ keys with Mambu's 400s", () => {
    const reason = (b: Buffer, depth?: number): string => {
      try {
        parseJsonBody(b, depth);
        return "accepted";
      } catch (e) {
        return `${(e as SandboxError).status} ${(e as SandboxError).errorReason}`;
      }
    };
    expect(reason(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBe("400 INVALID_JSON_SYNTAX"); // an encoded surrogate
    expect(reason(Buffer.from("[[[1]]]"), 2)).toBe("400 INVALID_JSON_SYNTAX");
    expect(reason(Buffer.from("[[[1]]]"), 3)).toBe("accepted");
    expect(reason(Buffer.from(`[{"a":{"__proto__":{}}}]`))).toBe("400 INVALID_PARAMETERS");
    expect(reason(Buffer.from(`{"__proto__x":1,"constructor":{"prototype":1}}`))).toBe("accepted");
  });
});

describe("query strings", () => {
  it("decode exactly what URLSearchParams encoded, for any Unicode text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), fc.string({ unit: "grapheme" }), (k, v) => {
        const q = parseQuery(new URLSearchParams([[k, v]]).toString());
        expect(Object.keys(q)).toEqual([k]);
        expect(q[k]).toBe(v);
        expect(Object.getPrototypeOf(q)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("refuse invalid UTF-8; keep a stray % as it is; join repeats only when asked", () => {
    expect(() => parseQuery("?a=%FF")).toThrow(SandboxError);
    expect(() => parseQuery("?%C3%28=1")).toThrow(SandboxError);
    expect(parseQuery("?a=100%&b=%zz")).toEqual(Object.assign(Object.create(null), { a: "100%", b: "%zz" }));
    expect(parseQuery("a=1&a=2").a).toBe("2");
    expect(parseQuery("a=1&a=2", new Set(["a"])).a).toBe("1,2");
  });
});

describe("limits", () => {
  it("must be positive integers", () => {
    expect(resolveLimits({ maxJsonDepth: 10 }).maxJsonDepth).toBe(10);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) expect(() => resolveLimits({ maxUploadBytes: bad })).toThrow(/maxUploadBytes/);
  });
});
