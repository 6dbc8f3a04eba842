"use strict";
/**
 * Benchmark 3 — writes: 2,000 clients, each with a loan, its approval, its disbursement and one
 * repayment, written through the migration toolkit (`runMigration`, lib/migrate) to a sandbox in
 * its own process with 20 ms injected latency per request.
 *
 * Figures: requests/s, and the ratio of the wall time to the floor — calls × latency ÷ concurrency,
 * where calls are the requests the run made (the toolkit's count) and concurrency is the number of
 * clients migrated at once (each client's steps run one after the other).
 *
 * Calls per client, before and after (issue 17 item 2): the same plan is migrated twice, each time
 * to a new sandbox — "before" with `lookups: "always", fold: false` (the flow of earlier versions: a
 * GET before each client and loan POST, the settlement link as its own PATCH), "after" with the
 * defaults (a first run creates without look-ups) — and the calls per client of each are compared
 * with the floor, the writes per client (five here). The requests/s row is the "after" run's.
 *
 * CPU: the migrating process's own CPU time (process.cpuUsage) and the sandbox process's (from
 * /proc/<pid>/stat, Linux), in ms per request. Each request of a client waits for the latency plus
 * both processes' CPU for it (and for a core when they are busy): the wall time stays within 1.1× the
 * floor only while that CPU stays under a tenth of the latency (2 ms at 20 ms).
 *
 * Usage: node bench/writes.js [--clients 2000] [--latency 20] [--concurrency 8] [--cpu-prof <dir>] [--client-cpu-prof <dir>] [--no-before]
 *   --cpu-prof          profiles the sandbox process of the "after" run (a .cpuprofile in <dir>)
 *   --client-cpu-prof   profiles the migrating process during the "after" run's runMigration (client-<pid>.cpuprofile in <dir>)
 *   --no-before  skips the "before" run (its rows are left out)
 * Prints progress, then one JSON line (the result) last.
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");
const { round, int, logger, mkTmp, rmTmp, startSandboxProcess, processCpuMs } = require("./lib/common");
const { dist } = require("./lib/client");
const { writeMigrationPlan } = require("./lib/gen-migration");

const log = logger("writes");

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

function argText(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Starts the V8 profiler in this process; the returned function stops it and writes `<dir>/client-<pid>.cpuprofile`. */
function startClientProfile(dir) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  const started = post("Profiler.enable").then(() => post("Profiler.setSamplingInterval", { interval: 500 })).then(() => post("Profiler.start"));
  return async () => {
    await started;
    const { profile } = await post("Profiler.stop");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `client-${process.pid}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`client profile: ${file}`);
  };
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
  const dir = mkTmp();
  try {
    const { planPath, writes } = writeMigrationPlan(dir, clients);
    log(`inputs: ${int(clients)} clients × (client, loan, approve, disburse, repayment) = ${int(writes)} writes; latency ${latency} ms/request; concurrency ${concurrency} clients at once; http`);
    /** One migration of the plan to a new sandbox process; the toolkit's summary and the wall time. */
    const migrateOnce = async (label, flow) => {
      log(`${label}: starting the sandbox (own process, demo tenant): --latency ${latency}`);
      const profDir = label === "after" ? argText("cpu-prof") : undefined;
      if (profDir) {
        process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "lib", "cpu-prof-preload.js")}`.trim();
        process.env.BENCH_CPU_PROF_DIR = path.resolve(profDir);
      }
      const sb = await startSandboxProcess(["--latency", String(latency)], { memoryMb: 4096 });
      if (profDir) delete process.env.NODE_OPTIONS;
      try {
        const clientProfDir = label === "after" ? argText("client-cpu-prof") : undefined;
        const stopProfile = clientProfDir ? startClientProfile(path.resolve(clientProfDir)) : undefined;
        const sb0 = processCpuMs(sb.pid);
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const res = await migrate.runMigration(planPath, {
          connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" },
          concurrency,
          workdir: path.join(dir, `journal-${label}`),
          progress: "none",
          stdout: null,
          ...flow,
        });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const cpu = process.cpuUsage(cpu0);
        const sb1 = processCpuMs(sb.pid);
        if (stopProfile) await stopProfile();
        if (res.exitCode !== 0 || !res.summary) {
          const why = res.problems.slice(0, 3).map((p) => JSON.stringify(p)).join("; ") || res.failed.slice(0, 3).map((f) => JSON.stringify(f)).join("; ");
          throw new Error(`runMigration (${label}) exited ${res.exitCode}: ${why}`);
        }
        const s = res.summary;
        log(`${label}: ${int(s.steps.created)} steps created, ${int(s.requests)} requests for ${int(s.writes)} writes in ${s.elapsedSeconds.toFixed(2)} s — ${s.requestsPerClient.toFixed(2)} calls per client (runMigration wall ${(ms / 1000).toFixed(2)} s incl. reading the plan)`);
        // CPU per request (the plan's reading and validation included in the client's: a small part)
        const clientCpu = (cpu.user + cpu.system) / 1000 / s.requests;
        const sandboxCpu = sb0 !== undefined && sb1 !== undefined ? (sb1 - sb0) / s.requests : undefined;
        log(`${label}: CPU per request: migrating process ${clientCpu.toFixed(2)} ms (user ${(cpu.user / 1000 / s.requests).toFixed(2)}, system ${(cpu.system / 1000 / s.requests).toFixed(2)}), sandbox process ${sandboxCpu === undefined ? "n/a" : `${sandboxCpu.toFixed(2)} ms`}`);
        return { ...s, clientCpuMs: clientCpu, sandboxCpuMs: sandboxCpu };
      } finally {
        await sb.stop();
      }
    };
    const before = process.argv.includes("--no-before") ? undefined : await migrateOnce("before", { lookups: "always", fold: false });
    const s = await migrateOnce("after", {});
    const calls = s.requests;
    const floor = (calls * latency) / concurrency;
    const elapsed = s.elapsedSeconds * 1000;
    const ratio = elapsed / floor;
    const perClientFloor = s.writesPerClient;
    log(`floor: ${int(calls)} calls × ${latency} ms ÷ ${concurrency} = ${(floor / 1000).toFixed(2)} s → ×${ratio.toFixed(2)}`);
    if (before) log(`calls per client: before ${before.requestsPerClient.toFixed(2)}, after ${s.requestsPerClient.toFixed(2)}; floor (writes per client) ${perClientFloor.toFixed(2)}`);
    notes.push(
      `writes through runMigration (lib/migrate) with concurrency ${concurrency}; ${int(calls)} requests counted by the toolkit for ${int(s.writes)} writes ` +
        `(a first run creates without looking ids up: its journal knows nothing was sent); the floor counts every request`,
    );
    if (before) notes.push(
      `calls per client: ${before.requestsPerClient.toFixed(2)} before (${int(before.requests)} requests: a GET before each client and loan POST, lookups: "always"), ` +
        `${s.requestsPerClient.toFixed(2)} after; the floor is ${perClientFloor.toFixed(2)} (one request per write)`,
    );
    const cpuNote = `CPU per request: migrating process ${s.clientCpuMs.toFixed(2)} ms, sandbox process ${s.sandboxCpuMs === undefined ? "n/a" : `${s.sandboxCpuMs.toFixed(2)} ms`} (the floor leaves ${(latency * 0.1).toFixed(1)} ms per request beyond the latency for ×1.1)`;
    log(cpuNote);
    notes.push(cpuNote);
    notes.push(`against the writes alone the floor would be ${((s.writes * latency) / concurrency / 1000).toFixed(2)} s (×${(elapsed / ((s.writes * latency) / concurrency)).toFixed(2)})`);
    const row = {
      benchmark: "writes",
      measure: `migrate ${int(clients)} clients (client, loan, approve, disburse, repay)`,
      unit: "requests/s",
      mambuTs: round(calls / (elapsed / 1000), 0),
      floor: round(calls / (floor / 1000), 0),
      mambupy: null,
      ratioToFloor: round(ratio),
      vsMambuPy: null,
      target: { floorMax: 1.1 },
      met: ratio <= 1.1,
      seconds: round(elapsed / 1000, 2),
      floorSeconds: round(floor / 1000, 2),
    };
    const perClient = (label, summary) => ({
      benchmark: "writes",
      measure: `calls per client, ${label} (${label === "before" ? "a look-up before each creation" : "a first run: no look-ups"})`,
      unit: "calls/client",
      mambuTs: summary.requestsPerClient,
      floor: perClientFloor,
      mambupy: null,
      ratioToFloor: perClientFloor > 0 ? round(summary.requestsPerClient / perClientFloor) : null,
      vsMambuPy: null,
      target: label === "after" ? { floorMax: 1 } : {},
      met: label === "after" ? summary.requestsPerClient <= perClientFloor : null,
    });
    const result = {
      name: "writes",
      inputs: {
        clients,
        writes,
        requests: calls,
        requestsBefore: before?.requests ?? null,
        callsPerClient: { before: before?.requestsPerClient ?? null, after: s.requestsPerClient, floor: perClientFloor },
        cpuMsPerRequest: { client: round(s.clientCpuMs, 3), sandbox: s.sandboxCpuMs === undefined ? null : round(s.sandboxCpuMs, 3) },
        latencyMs: latency,
        concurrency,
        via: "runMigration (lib/migrate)",
      },
      rows: before ? [row, perClient("before", before), perClient("after", s)] : [row, perClient("after", s)],
      notes,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    rmTmp(dir);
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
