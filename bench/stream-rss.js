"use strict";
/**
 * Child of bench/bulk-read.js: streams every loan of a sandbox with `for await` (FULL, pages of
 * 1000, concurrency 4), reading one amount of each, and measures the process's resident set size
 * (`process.memoryUsage().rss`) — sampled every 5 ms and every 1,000 records — and what V8's heap and
 * the buffers held at the peak. Prints one JSON line.
 *
 * Usage: node bench/stream-rss.js <sandbox url> <ca file> [concurrency]
 */
const { sandboxConnector, dist } = require("./lib/client");

async function main() {
  const [url, caPath, conc] = process.argv.slice(2);
  const { MambuLoan, Decimal } = require(dist);
  const connector = sandboxConnector(url, { caPath, concurrency: Number(conc || 4) });
  const mb = () => process.memoryUsage().rss / 1048576;
  // Baseline: the library loaded and one request made (sockets, TLS, JIT warm).
  await MambuLoan.getAll({ limit: 10, detailsLevel: "FULL", connector });
  const baseline = mb();
  let peak = baseline;
  // what the process held when its RSS peaked: V8's heap (live objects and garbage not yet collected) and buffers
  let atPeak = process.memoryUsage();
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss / 1048576 > peak) {
      peak = m.rss / 1048576;
      atPeak = m;
    }
  };
  const timer = setInterval(sample, 5);
  let count = 0;
  let sum = new Decimal(0);
  const t0 = Date.now();
  for await (const loan of MambuLoan.getAll({ detailsLevel: "FULL", connector })) {
    count++;
    if (loan.loanAmount) sum = sum.plus(loan.loanAmount);
    if (count % 1000 === 0) sample();
  }
  clearInterval(timer);
  sample();
  const MB = (x) => Math.round(x / 1048576);
  process.stdout.write(
    JSON.stringify({
      count, ms: Date.now() - t0, baselineMb: baseline, peakMb: peak, sum: sum.toFixed(2),
      atPeakMb: { heapTotal: MB(atPeak.heapTotal), heapUsed: MB(atPeak.heapUsed), external: MB(atPeak.external), arrayBuffers: MB(atPeak.arrayBuffers) },
    }) + "\n",
  );
  connector.close();
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
