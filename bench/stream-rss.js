"use strict";
/**
 * Child of bench/bulk-read.js: streams every loan of a sandbox with `for await` (FULL, pages of
 * 1000, concurrency 4), reading one amount of each, and measures the process's resident set size
 * (`process.memoryUsage().rss`) — sampled every 5 ms and every 1,000 records. Prints one JSON line.
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
  const timer = setInterval(() => {
    const r = mb();
    if (r > peak) peak = r;
  }, 5);
  let count = 0;
  let sum = new Decimal(0);
  const t0 = Date.now();
  for await (const loan of MambuLoan.getAll({ detailsLevel: "FULL", connector })) {
    count++;
    if (loan.loanAmount) sum = sum.plus(loan.loanAmount);
    if (count % 1000 === 0) {
      const r = mb();
      if (r > peak) peak = r;
    }
  }
  clearInterval(timer);
  const r = mb();
  if (r > peak) peak = r;
  process.stdout.write(JSON.stringify({ count, ms: Date.now() - t0, baselineMb: baseline, peakMb: peak, sum: sum.toFixed(2) }) + "\n");
  connector.close();
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
