"use strict";
/**
 * Benchmark 3 — writes: 2,000 clients, each with a loan, its approval, its disbursement and one
 * repayment, written through the migration toolkit (`runMigration`, lib/migrate) to a sandbox in
 * its own process with 20 ms injected latency per request.
 *
 * Figures: requests/s, and the ratio of the wall time to the floor — calls × latency ÷ concurrency,
 * where calls are the requests the run made (the toolkit's count) and concurrency is the number of
 * clients migrated at once (each client's steps run one after the other). The toolkit reads the
 * tenant's reference data first and checks each client and loan id before creating it (GET → 404
 * → POST, so that a rerun adopts instead of duplicating): seven requests per client, five of them
 * writes.
 *
 * Usage: node bench/writes.js [--clients 2000] [--latency 20] [--concurrency 8]
 * Prints progress, then one JSON line (the result) last.
 */
const path = require("node:path");
const { round, int, logger, mkTmp, rmTmp, startSandboxProcess } = require("./lib/common");
const { dist } = require("./lib/client");
const { writeMigrationPlan } = require("./lib/gen-migration");

const log = logger("writes");

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main() {
  const clients = arg("clients", 2000);
  const latency = arg("latency", 20);
  const concurrency = arg("concurrency", 8);
  const notes = [];
  let migrate;
  try {
    migrate = require(path.join(dist, "migrate"));
  } catch {
    migrate = undefined;
  }
  if (!migrate || typeof migrate.runMigration !== "function") {
    throw new Error("the migration toolkit (dist/migrate, runMigration) is not built; run npm run build");
  }
  log(`starting the sandbox (own process, demo tenant): --latency ${latency}`);
  const sb = await startSandboxProcess(["--latency", String(latency)], { memoryMb: 4096 });
  const dir = mkTmp();
  try {
    const { planPath, writes } = writeMigrationPlan(dir, clients);
    log(`inputs: ${int(clients)} clients × (client, loan, approve, disburse, repayment) = ${int(writes)} writes; latency ${latency} ms/request; concurrency ${concurrency} clients at once; http`);
    const t0 = process.hrtime.bigint();
    const res = await migrate.runMigration(planPath, {
      connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" },
      concurrency,
      workdir: path.join(dir, "journal"),
      progress: "none",
      stdout: null,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.exitCode !== 0 || !res.summary) {
      const why = res.problems.slice(0, 3).map((p) => JSON.stringify(p)).join("; ") || res.failed.slice(0, 3).map((f) => JSON.stringify(f)).join("; ");
      throw new Error(`runMigration exited ${res.exitCode}: ${why}`);
    }
    const s = res.summary;
    const calls = s.requests;
    const floor = (calls * latency) / concurrency;
    const elapsed = s.elapsedSeconds * 1000;
    const ratio = elapsed / floor;
    log(`done: ${int(s.steps.created)} steps created, ${int(calls)} requests in ${(elapsed / 1000).toFixed(2)} s (${int(s.requestsPerSecond)}/s; runMigration wall ${(ms / 1000).toFixed(2)} s incl. reading the plan)`);
    log(`floor: ${int(calls)} calls × ${latency} ms ÷ ${concurrency} = ${(floor / 1000).toFixed(2)} s → ×${ratio.toFixed(2)}`);
    notes.push(
      `writes through runMigration (lib/migrate) with concurrency ${concurrency}; ${int(calls)} requests counted by the toolkit = ${int(writes)} writes + ${int(calls - writes)} reads ` +
        `(a GET before each client and loan POST, so that reruns adopt); the floor counts every request`,
    );
    notes.push(`against the writes alone the floor would be ${((writes * latency) / concurrency / 1000).toFixed(2)} s (×${(elapsed / ((writes * latency) / concurrency)).toFixed(2)})`);
    const row = {
      benchmark: "writes",
      measure: `migrate ${int(clients)} clients (client, loan, approve, disburse, repay)`,
      unit: "requests/s",
      mambuTs: round(calls / (elapsed / 1000), 0),
      floor: round(calls / (floor / 1000), 0),
      mambupy: null,
      ratioToFloor: round(ratio),
      vsMambuPy: null,
      target: { floorMax: 1.5 },
      met: ratio <= 1.5,
      seconds: round(elapsed / 1000, 2),
      floorSeconds: round(floor / 1000, 2),
    };
    const result = {
      name: "writes",
      inputs: { clients, writes, requests: calls, latencyMs: latency, concurrency, via: "runMigration (lib/migrate)" },
      rows: [row],
      notes,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    await sb.stop();
    rmTmp(dir);
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
