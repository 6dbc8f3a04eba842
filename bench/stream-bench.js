"use strict";
/**
 * The streaming part of benchmark 2 (bulk read), run by bench/bulk-read.js or alone: for each count, a sandbox
 * generated with that many loans (its own process, TLS, the same injected latency), then `rounds` times each, in
 * alternation, bench/stream-rss.js walking every loan with `for await` (mambu-ts: FULL, pages of 1000, `concurrency`)
 * and the same walk by a bare https client (`--bare`: node alone, each page JSON.parse'd whole: the floor). Rows: the
 * median peak RSS per count against the bare client's (target < 100 MB), and the growth of the peak from the smallest
 * count to the largest (flat: the bound is the pages in memory × the page size, not the count; target < 10 MB).
 *
 * Usage: node bench/stream-bench.js [--stream 50000,200000,500000] [--latency 20] [--concurrency 4] [--stream-rounds 2]
 * Prints progress, then one JSON line ({ rows, notes }) last.
 */
const { median, round, int, logger, startSandboxProcess, runNodeChild } = require("./lib/common");

/** Peak RSS target of streaming (MB), and the most the peak may grow from the smallest count to the largest. */
const MAX_MB = 100;
const MAX_GROWTH_MB = 10;

/**
 * Streams each count's loans `rounds` times with mambu-ts and with the bare client; returns the result rows and notes.
 * @param {{ streams: number[], latency: number, concurrency: number, rounds: number, log: (s: string) => void }} o
 */
async function streamRows({ streams, latency, concurrency, rounds, log }) {
  const results = [];
  for (const n of streams) {
    log(`streaming: sandbox with ${int(n)} generated loans (latency ${latency} ms, TLS)...`);
    const s = await startSandboxProcess(["--generate", `clients=2000,loans=${n}`, "--latency", String(latency), "--tls"], { memoryMb: 8192 });
    const runs = { mts: [], bare: [] };
    try {
      for (let r = 0; r < rounds; r++) {
        for (const mode of ["mts", "bare"]) {
          const x = await runNodeChild("stream-rss.js", [s.url, s.caPath, String(concurrency), ...(mode === "bare" ? ["--bare"] : [])]);
          runs[mode].push(x);
          log(
            `  ${mode === "bare" ? "bare https client" : "mambu-ts"}: ${int(x.count)} loans in ${(x.ms / 1000).toFixed(1)} s: RSS baseline ${x.baselineMb.toFixed(0)} MB, ` +
              `peak ${x.peakMb.toFixed(0)} MB, left alive ${x.retainedMb} MB (high-water mark ${x.hwmMb === undefined ? "?" : x.hwmMb.toFixed(0)} MB; at the peak V8 heap ${x.atPeakMb.heapTotal} MB, buffers ${x.atPeakMb.arrayBuffers} MB` +
              (x.rssByMappingMb
                ? `; RSS at the end: node binary ${x.rssByMappingMb.node.toFixed(0)} MB, V8 heap pages and small mappings ${x.rssByMappingMb.smallAnon.toFixed(0)} MB, ` +
                  `malloc heap ${x.rssByMappingMb.mallocHeap.toFixed(0)} MB, larger mappings ${x.rssByMappingMb.largeAnon.toFixed(0)} MB`
                : "") +
              ")",
          );
        }
      }
    } finally {
      await s.stop();
    }
    if (runs.mts.some((x) => x.count !== runs.bare[0].count)) throw new Error(`mambu-ts streamed ${runs.mts.map((x) => x.count)} loans, the bare client ${runs.bare[0].count}`);
    const med = (xs, f) => median(xs.map(f));
    results.push({
      n,
      count: runs.mts[0].count,
      peakMb: med(runs.mts, (x) => x.peakMb),
      barePeakMb: med(runs.bare, (x) => x.peakMb),
      baselineMb: med(runs.mts, (x) => x.baselineMb),
      bareBaselineMb: med(runs.bare, (x) => x.baselineMb),
      retainedMb: med(runs.mts, (x) => x.retainedMb),
      seconds: med(runs.mts, (x) => x.ms / 1000),
      bareSeconds: med(runs.bare, (x) => x.ms / 1000),
      all: runs.mts.map((x) => round(x.peakMb, 0)),
      bareAll: runs.bare.map((x) => round(x.peakMb, 0)),
    });
  }
  const rows = results.map((p) => ({
    benchmark: "bulk read",
    measure: `for await over ${int(p.count)} loans: peak RSS`,
    unit: "MB",
    mambuTs: round(p.peakMb, 0),
    floor: round(p.barePeakMb, 0),
    floorIs: "a bare https client (no mambu-ts), same pages and concurrency, each page JSON.parse'd whole",
    mambupy: null,
    ratioToFloor: round(p.peakMb / p.barePeakMb),
    vsMambuPy: null,
    target: { maxMb: MAX_MB },
    met: p.peakMb < MAX_MB,
    baselineMb: round(p.baselineMb, 0),
    retainedMb: round(p.retainedMb, 1),
    floorBaselineMb: round(p.bareBaselineMb, 0),
    seconds: round(p.seconds, 1),
    floorSeconds: round(p.bareSeconds, 1),
    mb: { all: p.all, floorAll: p.bareAll },
  }));
  const notes = [];
  if (results.length > 1) {
    const a = results[0];
    const b = results[results.length - 1];
    const growth = b.peakMb - a.peakMb;
    rows.push({
      benchmark: "bulk read",
      measure: `for await: peak RSS growth from ${int(a.count)} to ${int(b.count)} loans`,
      unit: "MB",
      mambuTs: round(growth, 0),
      floor: null,
      mambupy: null,
      ratioToFloor: null,
      vsMambuPy: null,
      target: { maxMb: MAX_GROWTH_MB },
      met: growth < MAX_GROWTH_MB,
    });
    notes.push(
      `streaming peak RSS (median of ${rounds}): ` +
        results.map((p) => `${int(p.count)} loans ${p.peakMb.toFixed(0)} MB (bare https client ${p.barePeakMb.toFixed(0)} MB; left alive after the walk ${p.retainedMb.toFixed(1)} MB)`).join(", ") +
        `; RSS after the first request ~${a.baselineMb.toFixed(0)} MB with mambu-ts loaded (~${a.bareBaselineMb.toFixed(0)} MB bare); concurrency ${concurrency}, pages of 1000, TLS`,
    );
  }
  return { rows, notes };
}

module.exports = { streamRows };

if (require.main === module) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  streamRows({
    streams: String(arg("stream", "50000,200000,500000")).split(",").map(Number),
    latency: Number(arg("latency", 20)),
    concurrency: Number(arg("concurrency", 4)),
    rounds: Number(arg("stream-rounds", 2)),
    log: logger("stream"),
  })
    .then((r) => process.stdout.write(JSON.stringify({ name: "stream", ...r }) + "\n"))
    .catch((e) => {
      process.stderr.write(`${e.stack || e}\n`);
      process.exit(1);
    });
}
