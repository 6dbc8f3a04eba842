/**
 * Jest's runtime (jest-runtime), with one change: a module compiled again by a later test file of the
 * same worker starts from V8's code cache of its first compile there.
 *
 * Jest gives every test file a fresh module registry, so each file compiles lib/ again (node's own
 * loader compiles each module once per process): V8 parses the whole source of every module each
 * time. With the cache V8 skips that parse. The code is the same text and runs the same way in the
 * file's own context: only the parse is shared, never a module's state (every file still evaluates
 * its modules afresh). A cache V8 rejects (another V8, other flags) is simply not used. Nothing is
 * written to disk: each worker keeps its caches in memory, by file name, for the same source text.
 */
"use strict";
const vm = require("node:vm");
const Runtime = require("jest-runtime").default;

/** file name → the source text compiled, and V8's code cache of it. */
const caches = new Map();
const compileFunction = vm.compileFunction;

/** `vm.compileFunction`, with the code cache of an earlier compile of the same text under the same name. */
function compileWithCache(code, params, options) {
  const name = options && options.filename;
  const known = name === undefined ? undefined : caches.get(name);
  if (known !== undefined && known.code === code) {
    const fn = compileFunction(code, params, { ...options, cachedData: known.data });
    if (fn.cachedDataRejected) caches.delete(name);
    return fn;
  }
  const fn = compileFunction(code, params, { ...options, produceCachedData: true });
  if (name !== undefined && fn.cachedDataProduced && fn.cachedData) caches.set(name, { code, data: fn.cachedData });
  return fn;
}

class CachedRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    // jest-runtime compiles every CommonJS module in its executor's `compile` (through `vm.compileFunction`)
    const executor = this.executor;
    if (!executor || typeof executor.compile !== "function") {
      throw new Error("spec/helpers/cached-runtime.js: this jest-runtime has no executor.compile; update the file for it, or drop `runtime` from jest.config.js");
    }
    const compile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      vm.compileFunction = compileWithCache;
      try {
        return compile(source, filename);
      } finally {
        vm.compileFunction = compileFunction;
      }
    };
  }
}

module.exports = CachedRuntime;
module.exports.compileWithCache = compileWithCache;
