/**
 * The test runtime's code cache (spec/helpers/cached-runtime.js): a module compiled again runs as its
 * own text says. V8 checks a code cache against the source's length only, so the cache of another
 * text of the same length under the same name must never be used.
 */
const { compileWithCache } = require("../helpers/cached-runtime") as {
  compileWithCache: (code: string, params: string[], options: { filename?: string }) => ((...a: unknown[]) => unknown) & { cachedDataRejected?: boolean };
};

test("a second compile of the same text under the same name uses the first one's cache", () => {
  const name = `${__dirname}/cached-runtime-same.js`;
  const first = compileWithCache("return a + 1;", ["a"], { filename: name });
  const second = compileWithCache("return a + 1;", ["a"], { filename: name });
  expect([first(1), second(2)]).toEqual([2, 3]);
  expect(second.cachedDataRejected).toBe(false); // the cache was given, and V8 took it
});

test("another text of the same length under the same name is compiled from its own text", () => {
  const name = `${__dirname}/cached-runtime-other.js`;
  const first = compileWithCache("return a + 1;", ["a"], { filename: name });
  const other = compileWithCache("return a * 7;", ["a"], { filename: name });
  expect([first(3), other(3)]).toEqual([4, 21]);
  expect(other.cachedDataRejected).toBeUndefined(); // no cache was given
});

test("without a name nothing is cached", () => {
  const f = compileWithCache("return 5;", [], {});
  const g = compileWithCache("return 6;", [], {});
  expect([f(), g()]).toEqual([5, 6]);
});
