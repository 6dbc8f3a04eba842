/**
 * PATCH paths are JSON Pointers (RFC 6901): a key holding `/` or `~` is escaped (`~1`, `~0`) so the
 * operation names that key, not a nested path Mambu would resolve elsewhere.
 */
import { MambuClient, parseJsonExact } from "../../lib";
import { pointerSegment } from "../../lib/core/patch";
import { fixture, testConnector } from "../helpers/mambu";

function client(over: Record<string, unknown> = {}): MambuClient {
  return MambuClient.fromWire({ ...(parseJsonExact(fixture("client-full.json")) as object), ...over }, testConnector());
}

test("segments escape ~ before / (RFC 6901 §3) and leave ordinary ids untouched", () => {
  expect(pointerSegment("Age")).toBe("Age");
  expect(pointerSegment("a/b")).toBe("a~1b");
  expect(pointerSegment("a~b")).toBe("a~0b");
  expect(pointerSegment("~/")).toBe("~0~1");
  expect(pointerSegment("~1")).toBe("~01");
});

test("a custom field whose id holds a slash patches that field, not a nested path", () => {
  const c = client({ _Odd: { "in/out": "1", "x~y": "2" } });
  const set = c._Odd as Record<string, unknown>;
  set["in/out"] = "3";
  set["x~y"] = "4";
  expect(c.pendingPatch()).toEqual([
    { op: "REPLACE", path: "/_Odd/in~1out", value: "3" },
    { op: "REPLACE", path: "/_Odd/x~0y", value: "4" },
  ]);
});

test("a native-looking key with a slash is one segment; a restricted patch finds it by its name", () => {
  const c = client({ "odd/key": "a" });
  (c as unknown as Record<string, unknown>)["odd/key"] = "b";
  c.lastName = "Changed";
  expect(c.pendingPatch()).toEqual(expect.arrayContaining([{ op: "REPLACE", path: "/odd~1key", value: "b" }]));
  expect(c.pendingPatch(["odd/key"])).toEqual([{ op: "REPLACE", path: "/odd~1key", value: "b" }]);
});
