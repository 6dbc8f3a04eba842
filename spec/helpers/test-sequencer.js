/**
 * Jest's test order: the longest files first, so that neither worker is left alone with a long file
 * at the end of the run. Jest's own sequencer knows durations only from its cache of earlier runs; in
 * a fresh clone (CI) it has none and orders by file size, which may start a short file first and
 * a long one last. Here a file's duration is the cache's when there is one, else the committed
 * estimate of spec/helpers/slow-specs.json (seconds, measured on 2 cores), else a second per 10 kB.
 * Files that failed last time still come first, as with jest's own sequencer.
 */
const Sequencer = require("@jest/test-sequencer").default;
const { relative } = require("node:path");
const KNOWN = require("./slow-specs.json");

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const estimate = new Map();
    for (const test of tests) {
      test.duration = this.time(test);
      const rel = relative(test.context.config.rootDir, test.path).split("\\").join("/");
      const size = test.context.hasteFS.getSize(test.path) ?? 0;
      estimate.set(test, test.duration ?? (KNOWN[rel] !== undefined ? KNOWN[rel] * 1000 : size / 10));
    }
    return [...tests].sort((a, b) => {
      const failedA = !!this.hasFailed(a);
      const failedB = !!this.hasFailed(b);
      if (failedA !== failedB) return failedA ? -1 : 1;
      return estimate.get(b) - estimate.get(a) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    });
  }
}

module.exports = SlowFirstSequencer;
