"use strict";
/**
 * Benchmark 2 — bulk read: `MambuLoan.getAll()` of 20,000 FULL loans from a sandbox (its own
 * process, TLS, 20 ms injected latency per request), against the floor and against MambuPy's
 * `get_all` over the same TLS sandbox; then the peak RSS of streaming 50,000, 200,000 and 500,000 loans with
 * `for await`.
 *
 * - mambu-ts: pages of 1000 (`apipagination`), `concurrency` pages in flight once `items-total`
 *   is known (the first page is fetched alone to learn it), exact JSON, entities built per page.
 * - floor: pages × latency ÷ concurrency + transfer, where transfer is the measured time to move
 *   the same pages' bytes with a bare https client (same agent, page size and concurrency, the
 *   sandbox's latency switched off for those requests with `X-Sandbox-Fault: latency=0`, nothing
 *   parsed).
 * - reading floor (issue 19): the same bare client and plan with the latency on, each page
 *   `JSON.parse`d and every value visited; against it, `getAll` alone (≤ ×1.25) and `getAll` then
 *   every value of every loan read (≤ ×2.5).
 * - MambuPy: sequential by design (one page after the other, then every entity built).
 * - streaming (bench/stream-bench.js): a child process (bench/stream-rss.js) walks every loan of a
 *   sandbox generated with 50,000, 200,000 and 500,000 loans, sampling `process.memoryUsage().rss`,
 *   against the same walk by a bare https client.
 *
 * Usage: node bench/bulk-read.js [--loans 20000] [--latency 20] [--concurrency 4] [--rounds 3]
 *                                 [--stream 50000,200000,500000] [--stream-rounds 2] [--no-mambupy] [--no-stream]
 * Prints progress, then one JSON line (the result) last.
 */
const fs = require("node:fs");
const https = require("node:https");
const { median, round, int, logger, findMambuPy, runMambuPy, startSandboxProcess } = require("./lib/common");
const path = require("node:path");
const { dist, sandboxConnector } = require("./lib/client");
const { walkJson, structReader } = require("./lib/read-all");
const { streamRows } = require("./stream-bench");

const log = logger("bulk-read");

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/** A bare client: the pages' bytes with the plan mambu-ts follows, nothing parsed. */
async function rawFetchAll(sb, { pageSize, concurrency, noLatency, parseWalk = false }) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: fs.readFileSync(sb.caPath) });
  const headers = {
    Accept: "application/vnd.mambu.v2+json",
    Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`,
  };
  if (noLatency) headers["X-Sandbox-Fault"] = "latency=0";
  const get = (offset, withTotal) =>
    new Promise((resolve, reject) => {
      const q = `offset=${offset}&limit=${pageSize}&detailsLevel=FULL${withTotal ? "&paginationDetails=ON" : ""}`;
      https
        .get(`${sb.url}/api/loans?${q}`, { agent, headers }, (res) => {
          let bytes = 0;
          const chunks = [];
          res.on("data", (d) => {
            bytes += d.length;
            if (parseWalk) chunks.push(d);
          });
          res.on("end", () => {
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            // the reading floor: the page parsed by JSON.parse and every value visited once
            if (parseWalk) walked += walkJson(JSON.parse(Buffer.concat(chunks).toString("utf8")));
            resolve({ bytes, total: Number(res.headers["items-total"]) });
          });
        })
        .on("error", reject);
    });
  let walked = 0;
  const t0 = process.hrtime.bigint();
  const first = await get(0, true);
  let bytes = first.bytes;
  let next = pageSize;
  const worker = async () => {
    while (next < first.total) {
      const o = next;
      next += pageSize;
      const page = await get(o, false);
      bytes += page.bytes;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  agent.destroy();
  return { ms, bytes, total: first.total, pages: Math.ceil(first.total / pageSize), walked };
}

async function main() {
  const loans = Number(arg("loans", 20000));
  const latency = Number(arg("latency", 20));
  const concurrency = Number(arg("concurrency", 4));
  const rounds = Number(arg("rounds", 3));
  const streams = String(arg("stream", "50000,200000,500000")).split(",").map(Number);
  const pageSize = 1000;
  const { MambuLoan, MambuStruct } = require(dist);
  const readAll = structReader(MambuStruct, require(path.join(dist, "core", "symbols")).RAW);
  const notes = [];
  const rows = [];

  log(`starting the sandbox (own process): --generate clients=2000,loans=${loans} --latency ${latency} --tls`);
  const sb = await startSandboxProcess(["--generate", `clients=2000,loans=${loans}`, "--latency", String(latency), "--tls"], { memoryMb: 4096 });
  let total;
  let pages;
  let bytes;
  try {
    const connector = sandboxConnector(sb.url, { caPath: sb.caPath, pageSize, concurrency });
    await MambuLoan.getAll({ limit: pageSize, detailsLevel: "FULL", connector }); // warm-up: TLS, JIT
    const t = { mts: [], transfer: [], raw: [], walk: [], read: [] };
    for (let r = 0; r < rounds; r++) {
      const transfer = await rawFetchAll(sb, { pageSize, concurrency, noLatency: true });
      const raw = await rawFetchAll(sb, { pageSize, concurrency, noLatency: false });
      // the floor of reading: the same plan, each page parsed by JSON.parse and every value visited
      const walk = await rawFetchAll(sb, { pageSize, concurrency, noLatency: false, parseWalk: true });
      ({ total, pages, bytes } = transfer);
      const t0 = process.hrtime.bigint();
      const list = await MambuLoan.getAll({ detailsLevel: "FULL", connector });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (list.length !== total) throw new Error(`getAll gave ${list.length} loans, the sandbox has ${total}`);
      const t1 = process.hrtime.bigint();
      let values = 0;
      for (const loan of await MambuLoan.getAll({ detailsLevel: "FULL", connector })) values += readAll(loan);
      const readMs = Number(process.hrtime.bigint() - t1) / 1e6;
      if (values === 0) throw new Error("read no value");
      t.mts.push(ms);
      t.transfer.push(transfer.ms);
      t.raw.push(raw.ms);
      t.walk.push(walk.ms);
      t.read.push(readMs);
      log(
        `round ${r + 1}: mambu-ts getAll ${ms.toFixed(0)} ms, getAll + read every value ${readMs.toFixed(0)} ms; bare client ${raw.ms.toFixed(0)} ms, ` +
          `+ JSON.parse + walk ${walk.ms.toFixed(0)} ms; transfer without latency ${transfer.ms.toFixed(0)} ms`,
      );
    }
    connector.close();
    const transfer = median(t.transfer);
    const latencyPart = (pages * latency) / concurrency;
    const floor = latencyPart + transfer;
    const mts = median(t.mts);
    log(
      `inputs: ${int(total)} FULL loans (${loans} generated + the demo tenant's), ${pages} pages of ${pageSize}, ` +
        `${(bytes / 1048576).toFixed(1)} MiB, latency ${latency} ms/request, TLS, concurrency ${concurrency}; ${rounds} rounds, median`,
    );
    log(`floor: ${pages} pages × ${latency} ms ÷ ${concurrency} = ${latencyPart.toFixed(0)} ms + transfer ${transfer.toFixed(0)} ms = ${floor.toFixed(0)} ms`);

    let mp;
    const mpFound = process.argv.includes("--no-mambupy") ? { skip: "MambuPy columns skipped (--no-mambupy)" } : findMambuPy();
    if (mpFound.skip) {
      notes.push(mpFound.skip);
      log(mpFound.skip);
    } else {
      log(`MambuPy: ${mpFound.how}; get_all(detailsLevel="FULL") over TLS, apipagination 1000, persistent session...`);
      try {
        mp = runMambuPy(mpFound, "mambupy_bulk_read.py", [], {
          MAMBUPY_APIURL: `127.0.0.1:${sb.port}`,
          MAMBUPY_APIUSER: "demo",
          MAMBUPY_APIPWD: "demo",
          MAMBUPY_APIPAGINATION: String(pageSize),
          MAMBUPY_ACTIVATE_REQUEST_SESSION_OBJECTS: "true",
          REQUESTS_CA_BUNDLE: sb.caPath,
        });
        if (mp.count !== total) throw new Error(`MambuPy got ${mp.count} loans, the sandbox has ${total}`);
        log(`MambuPy: ${int(mp.count)} loans in ${mp.seconds.toFixed(2)} s (its fetch alone: ${mp.fetch_only_seconds.toFixed(2)} s, sequential)`);
      } catch (e) {
        mp = undefined;
        notes.push(`MambuPy run failed: ${e.message}`);
        log(`MambuPy run failed: ${e.message}`);
      }
    }
    notes.push(
      `floor = ${pages} pages × ${latency} ms ÷ concurrency ${concurrency} + transfer ${transfer.toFixed(0)} ms (bare https client, latency off); ` +
        `a bare https client following the same plan with the latency on took ${median(t.raw).toFixed(0)} ms ` +
        `(mambu-ts ×${(mts / median(t.raw)).toFixed(2)} of it: the latency overlaps the sandbox's own time); MambuPy fetches sequentially (no concurrent pagination)`,
    );
    const ratio = mts / floor;
    const vs = mp ? (mp.seconds * 1000) / mts : undefined;
    rows.push({
      benchmark: "bulk read",
      measure: `getAll ${int(total)} loans`,
      unit: "ms",
      mambuTs: round(mts, 0),
      floor: round(floor, 0),
      mambupy: mp ? round(mp.seconds * 1000, 0) : null,
      ratioToFloor: round(ratio),
      vsMambuPy: vs === undefined ? null : round(vs, 1),
      target: { floorMax: 1.3, mambupyMin: 8 },
      met: ratio <= 1.3 && (vs === undefined ? null : vs >= 8),
      ms: { all: t.mts.map((x) => round(x, 0)), transfer: t.transfer.map((x) => round(x, 0)), bareClient: t.raw.map((x) => round(x, 0)) },
    });
    // Issue 19: against the reading floor (fetch + JSON.parse + a walk over every value, same plan, same run).
    const perRound = (xs) => median(xs.map((x, i) => x / t.walk[i]));
    const walkFloor = median(t.walk);
    const getAllRatio = perRound(t.mts);
    const readRatio = perRound(t.read);
    notes.push(
      `reading floor = a bare https client with the same plan and latency that JSON.parses each page and visits every value: ${walkFloor.toFixed(0)} ms ` +
        `(getAll ×${getAllRatio.toFixed(2)}, getAll + read every value ×${readRatio.toFixed(2)}, medians of per-round ratios)`,
    );
    for (const [measure, ms, ratio, max] of [
      [`getAll ${int(total)} loans, vs fetch + JSON.parse + walk`, t.mts, getAllRatio, 1.25],
      [`getAll ${int(total)} loans + read every value, vs fetch + JSON.parse + walk`, t.read, readRatio, 2.5],
    ]) {
      rows.push({
        benchmark: "bulk read",
        measure,
        unit: "ms",
        mambuTs: round(median(ms), 0),
        floor: round(walkFloor, 0),
        floorIs: "fetch + JSON.parse + a walk over every value",
        mambupy: null,
        ratioToFloor: round(ratio),
        vsMambuPy: null,
        target: { floorMax: max },
        met: ratio <= max,
        ms: { all: ms.map((x) => round(x, 0)), floorAll: t.walk.map((x) => round(x, 0)) },
      });
    }
  } finally {
    await sb.stop();
  }

  if (!process.argv.includes("--no-stream")) {
    const streamed = await streamRows({ streams, latency, concurrency, rounds: Number(arg("stream-rounds", 2)), log });
    rows.push(...streamed.rows);
    notes.push(...streamed.notes);
  }

  const result = {
    name: "bulk-read",
    inputs: { loans: total, pageSize, latencyMs: latency, concurrency, tls: true, rounds, pages, bytes, stream: streams },
    rows,
    notes,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
