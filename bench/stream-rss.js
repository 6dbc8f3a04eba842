"use strict";
/**
 * Child of bench/stream-bench.js (run by bench/bulk-read.js): streams every loan of a sandbox with `for await`
 * (FULL, pages of 1000, concurrency 4), reading one amount of each, and measures the process's resident set size
 * (`process.memoryUsage().rss`) — sampled every 5 ms and every 1,000 records, and the kernel's high-water mark
 * (VmHWM) at the end — what V8's heap and the buffers held at the peak, and what the walk left alive (V8's live
 * heap after a full collection, after the walk less before it). Prints one JSON line.
 *
 * With `--bare`, the same walk without mambu-ts — the memory floor of streaming these pages in node: a bare https
 * client fetching the same pages (the first alone, then `concurrency` in flight, taken in order), each page
 * `JSON.parse`d whole and one amount of each record read.
 *
 * The result also splits the resident set at the end of the walk (≈ the peak: RSS rarely falls) by mapping, from
 * /proc/self/smaps (`rssByMappingMb`: the node binary, V8's heap pages and other small anonymous mappings, malloc's
 * main heap — buffers, TLS —, larger anonymous mappings — other threads' malloc arenas, large objects).
 * With `--live-every <n>` (a diagnostic: the full collections change the peak), V8's live heap after a full collection
 * every n records (`liveEveryMb`): flat when nothing is retained per page.
 *
 * Usage: node bench/stream-rss.js <sandbox url> <ca file> [concurrency] [--bare] [--live-every <n>]
 */
const fs = require("node:fs");
const https = require("node:https");
const { sandboxConnector, dist } = require("./lib/client");

const PAGE = 1000;

/**
 * The bytes V8's heap holds alive after a full collection (MB): what a walk retains, unlike the RSS peak, which
 * also counts garbage not yet collected. The collector is reached without node flags (this benchmark's own
 * process; the library never does this).
 */
function liveHeapMb() {
  require("node:v8").setFlagsFromString("--expose-gc");
  const gc = require("node:vm").runInNewContext("gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

/** The RSS high-water mark the kernel saw (MB), or undefined off Linux. */
function vmHwmMb() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The resident set by kind of mapping (MB), from /proc/self/smaps, or undefined off Linux. */
function rssByMappingMb() {
  let text;
  try {
    text = fs.readFileSync("/proc/self/smaps", "utf8");
  } catch {
    return undefined;
  }
  const out = { node: 0, smallAnon: 0, mallocHeap: 0, largeAnon: 0, other: 0 };
  let kind = "other";
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      const name = m[3].trim();
      const kb = (parseInt(m[2], 16) - parseInt(m[1], 16)) / 1024;
      if (name === "") kind = kb < 1024 ? "smallAnon" : "largeAnon";
      else if (name === "[heap]") kind = "mallocHeap";
      else if (name === process.execPath || name.endsWith("/node")) kind = "node";
      else kind = "other";
      continue;
    }
    const r = /^Rss:\s+(\d+) kB/.exec(line);
    if (r) out[kind] += Number(r[1]) / 1024;
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k] * 10) / 10;
  return out;
}

/** A bare https walk over the loans: yields each page's records in order. */
function bareWalk(url, caPath, concurrency) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: fs.readFileSync(caPath) });
  const headers = { Accept: "application/vnd.mambu.v2+json", Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}` };
  const get = (offset, limit, withTotal) =>
    new Promise((resolve, reject) => {
      const q = `offset=${offset}&limit=${limit}&detailsLevel=FULL${withTotal ? "&paginationDetails=ON" : ""}`;
      https
        .get(`${url}/api/loans?${q}`, { agent, headers }, (res) => {
          const chunks = [];
          res.on("data", (d) => chunks.push(d));
          res.on("end", () => {
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            resolve({ items: JSON.parse(Buffer.concat(chunks).toString("utf8")), total: Number(res.headers["items-total"]) });
          });
        })
        .on("error", reject);
    });
  return {
    get,
    close: () => agent.destroy(),
    async *pages() {
      const first = await get(0, PAGE, true);
      yield first.items;
      const inflight = [];
      let next = PAGE;
      for (;;) {
        while (inflight.length < concurrency && next < first.total) {
          inflight.push(get(next, PAGE, false));
          next += PAGE;
        }
        const head = inflight.shift();
        if (!head) return;
        yield (await head).items;
      }
    },
  };
}

async function main() {
  const [url, caPath, conc] = process.argv.slice(2);
  const concurrency = Number(conc || 4);
  const bare = process.argv.includes("--bare");
  const li = process.argv.indexOf("--live-every");
  const liveEvery = li > 0 ? Number(process.argv[li + 1]) : 0;
  const liveEveryMb = [];
  const liveCheck = (count) => {
    if (liveEvery > 0 && count % liveEvery === 0) liveEveryMb.push(Math.round(liveHeapMb() * 10) / 10);
  };
  const mb = () => process.memoryUsage().rss / 1048576;
  let walk;
  let connector;
  let Decimal;
  let MambuLoan;
  if (bare) {
    walk = bareWalk(url, caPath, concurrency);
    await walk.get(0, 10, false); // baseline: one request made (sockets, TLS, JIT warm)
  } else {
    ({ MambuLoan, Decimal } = require(dist));
    connector = sandboxConnector(url, { caPath, concurrency });
    // Baseline: the library loaded and one request made (sockets, TLS, JIT warm).
    await MambuLoan.getAll({ limit: 10, detailsLevel: "FULL", connector });
  }
  const liveBefore = liveHeapMb();
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
  let sum;
  const t0 = Date.now();
  if (bare) {
    let total = 0;
    for await (const page of walk.pages()) {
      for (const loan of page) {
        count++;
        if (loan.loanAmount) total += loan.loanAmount;
        if (count % 1000 === 0) sample();
        liveCheck(count);
      }
    }
    sum = total.toFixed(2);
    walk.close();
  } else {
    let total = new Decimal(0);
    for await (const loan of MambuLoan.getAll({ detailsLevel: "FULL", connector })) {
      count++;
      if (loan.loanAmount) total = total.plus(loan.loanAmount);
      if (count % 1000 === 0) sample();
      liveCheck(count);
    }
    sum = total.toFixed(2);
    connector.close();
  }
  clearInterval(timer);
  sample();
  const ms = Date.now() - t0;
  const byMapping = rssByMappingMb();
  const liveAfter = liveHeapMb();
  const MB = (x) => Math.round(x / 1048576);
  process.stdout.write(
    JSON.stringify({
      mode: bare ? "bare" : "mambu-ts",
      count, ms, baselineMb: baseline, peakMb: peak, hwmMb: vmHwmMb(), sum,
      // what the walk left alive: V8's live heap after it, less before it (after a full collection each time)
      retainedMb: Math.round((liveAfter - liveBefore) * 10) / 10,
      rssByMappingMb: byMapping,
      ...(liveEvery > 0 ? { liveEveryMb } : {}),
      atPeakMb: { heapTotal: MB(atPeak.heapTotal), heapUsed: MB(atPeak.heapUsed), external: MB(atPeak.external), arrayBuffers: MB(atPeak.arrayBuffers) },
    }) + "\n",
  );
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
