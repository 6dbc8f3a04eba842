"use strict";
/**
 * Benchmark 4 — the sandbox as a rehearsal target: a mixed workload against `mambu-sandbox --generate` in its
 * own process, and the same request sequence against a bare `node:http` server in another process answering
 * pre-built bodies of the sizes (and statuses) the sandbox answered — the floor.
 *
 * The mix, per ten requests (bench/lib/mixed-load.js): 2 pages of 50 clients, 1 page of 50 FULL loans, a client
 * and a loan by id, a `clients:search` (state and id), a `loans:search` by holder key (FULL) and one by state, a
 * client creation and a repayment on an active loan. N concurrent clients over keep-alive HTTP, each sending its
 * next request when the previous one answered. Runs alternate sandbox, bare, sandbox, bare... and the figures
 * are medians: requests/s of both and their ratio, and (on Linux) each server process's CPU time per request and
 * their ratio — steadier than wall time on a shared machine. The sandbox runs without the contract check of its
 * answers (MAMBU_SANDBOX_CHECK_RESPONSES is unset for it).
 *
 * Usage: node bench/sandbox-mixed.js [--clients 20000] [--loans 20000] [--requests 6000] [--concurrency 16]
 *                                    [--rounds 3] [--cpu-prof <dir>]   (profiles the sandbox process)
 * Prints progress, then one JSON line (the result) last.
 */
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const { median, round, int, logger, mkTmp, rmTmp, startSandboxProcess, processCpuMs } = require("./lib/common");
const { ROUND, buildSequence, runLoad, api } = require("./lib/mixed-load");

const log = logger("sandbox-mixed");

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  return typeof dflt === "number" ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

/** Starts bench/lib/bare-server.js with the answers to give; resolves with its URL, pid and a stop function. */
function startBare(answersPath) {
  const child = spawn(process.execPath, [path.join(__dirname, "lib", "bare-server.js"), answersPath], { stdio: ["ignore", "pipe", "inherit"] });
  process.on("exit", () => child.exitCode === null && child.kill("SIGTERM"));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (!m) return;
      child.removeAllListeners("exit");
      resolve({ url: m[1], pid: child.pid, stop: () => new Promise((res) => (child.exitCode !== null ? res() : (child.once("exit", res), child.kill("SIGTERM")))) });
    });
  });
}


/** Runs the load against a server, measuring the server's CPU time too (ms; undefined off Linux). */
async function measured(base, pid, seq, concurrency) {
  const c0 = processCpuMs(pid);
  const r = await runLoad(base, seq, concurrency);
  const c1 = processCpuMs(pid);
  return { ...r, cpu: c0 === undefined || c1 === undefined ? undefined : c1 - c0 };
}

/** What the sequence points at: sampled clients (id, key), loans, and `active` loans approved and disbursed here. */
async function tenantOf(base, clientCount, loanCount, activeCount) {
  const clients = [];
  const loans = [];
  const pending = [];
  for (const frac of [0, 0.25, 0.5, 0.75]) {
    const cs = await api(base, "GET", `/api/clients?offset=${Math.floor(clientCount * frac)}&limit=250`);
    for (const c of cs) clients.push({ id: c.id, encodedKey: c.encodedKey });
    const ls = await api(base, "GET", `/api/loans?offset=${Math.floor(loanCount * frac)}&limit=250`);
    for (const l of ls) loans.push(l.id);
    for (const l of ls) if (l.accountState === "PENDING_APPROVAL") pending.push(l.id);
  }
  const active = [];
  for (const id of pending.slice(0, activeCount)) {
    await api(base, "POST", `/api/loans/${encodeURIComponent(id)}:changeState`, { action: "APPROVE" });
    await api(base, "POST", `/api/loans/${encodeURIComponent(id)}/disbursement-transactions`, {});
    active.push(id);
  }
  return { clients, loans, active, clientCount, loanCount };
}

function check(label, seq, answers) {
  const bad = [];
  answers.forEach(([status], i) => {
    if (status >= 400) bad.push(`${seq[i].method} ${seq[i].path} → ${status}`);
  });
  if (bad.length) throw new Error(`${label}: ${bad.length} requests failed, e.g. ${bad.slice(0, 3).join("; ")}`);
}

async function main() {
  const clientCount = arg("clients", 20000);
  const loanCount = arg("loans", 20000);
  const requests = arg("requests", 6000);
  const concurrency = arg("concurrency", 16);
  const rounds = arg("rounds", 3);
  const profDir = arg("cpu-prof", undefined);
  const dir = mkTmp();
  const notes = [];
  let sb;
  let bare;
  try {
    log(`inputs: mambu-sandbox --generate clients=${clientCount},loans=${loanCount}; ${int(requests)} requests per run (mix per 10: ${ROUND.join(", ")}); ${concurrency} concurrent keep-alive clients; ${rounds} runs each, alternating`);
    if (profDir) {
      process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "lib", "cpu-prof-preload.js")}`.trim();
      process.env.BENCH_CPU_PROF_DIR = path.resolve(profDir);
    }
    // the contract check of answers (the tests' MAMBU_SANDBOX_CHECK_RESPONSES=1) is not what is measured
    if (process.env.MAMBU_SANDBOX_CHECK_RESPONSES !== undefined) log("MAMBU_SANDBOX_CHECK_RESPONSES is set: unset for the sandbox process");
    delete process.env.MAMBU_SANDBOX_CHECK_RESPONSES;
    sb = await startSandboxProcess(["--generate", `clients=${clientCount},loans=${loanCount}`], { memoryMb: 4096 });
    if (profDir) delete process.env.NODE_OPTIONS; // the bare server is not profiled
    const tenant = await tenantOf(sb.url, clientCount, loanCount, 200);
    log(`sandbox at ${sb.url}; ${tenant.active.length} loans approved and disbursed for the repayments`);
    const seq = buildSequence(requests, tenant);
    // warm-up (JIT, caches) on a short prefix, not counted
    await runLoad(sb.url, seq.slice(0, Math.min(1000, requests)), concurrency);
    const sandboxRates = [];
    const bareRates = [];
    const ratios = [];
    const cpuRatios = [];
    const cpuPerRequest = { sandbox: [], bare: [] };
    let answers;
    for (let r = 1; r <= rounds; r++) {
      const s = await measured(sb.url, sb.pid, seq, concurrency);
      check(`sandbox run ${r}`, seq, s.answers);
      if (!answers) {
        answers = s.answers;
        const file = path.join(dir, "answers.json");
        fs.writeFileSync(file, JSON.stringify(answers));
        bare = await startBare(file);
        await runLoad(bare.url, seq.slice(0, Math.min(1000, requests)), concurrency);
      }
      const b = await measured(bare.url, bare.pid, seq, concurrency);
      const sRate = (requests * 1000) / s.ms;
      const bRate = (requests * 1000) / b.ms;
      sandboxRates.push(sRate);
      bareRates.push(bRate);
      ratios.push(bRate / sRate);
      let cpuNote = "";
      if (s.cpu !== undefined && b.cpu !== undefined && b.cpu > 0) {
        cpuPerRequest.sandbox.push((s.cpu * 1000) / requests);
        cpuPerRequest.bare.push((b.cpu * 1000) / requests);
        cpuRatios.push(s.cpu / b.cpu);
        cpuNote = `; server CPU per request: sandbox ${int((s.cpu * 1000) / requests)} µs, bare ${int((b.cpu * 1000) / requests)} µs → ×${(s.cpu / b.cpu).toFixed(2)}`;
      }
      log(`run ${r}: sandbox ${int(sRate)} requests/s (${(s.ms / 1000).toFixed(2)} s), bare node:http ${int(bRate)} requests/s (${(b.ms / 1000).toFixed(2)} s) → ×${(bRate / sRate).toFixed(2)}${cpuNote}`);
    }
    const bytes = answers.reduce((n, [, size]) => n + size, 0);
    const perKind = new Map();
    answers.forEach(([, size], i) => {
      const k = seq[i].kind;
      const e = perKind.get(k) ?? { n: 0, bytes: 0 };
      e.n++;
      e.bytes += size;
      perKind.set(k, e);
    });
    const sandboxRate = median(sandboxRates);
    const bareRate = median(bareRates);
    const ratio = median(ratios);
    log(`median: sandbox ${int(sandboxRate)} requests/s, bare ${int(bareRate)} requests/s, ratio ×${ratio.toFixed(2)} (median of the runs' ratios)`);
    const cpu = cpuRatios.length
      ? { sandboxUs: round(median(cpuPerRequest.sandbox), 0), bareUs: round(median(cpuPerRequest.bare), 0), ratio: round(median(cpuRatios)) }
      : undefined;
    if (cpu) log(`median server CPU per request: sandbox ${int(cpu.sandboxUs)} µs, bare ${int(cpu.bareUs)} µs, ratio ×${cpu.ratio.toFixed(2)}`);
    notes.push(
      `mixed workload, ${int(requests)} requests per run, ${concurrency} keep-alive clients, against mambu-sandbox --generate clients=${clientCount},loans=${loanCount} ` +
        `(own process, response check off) and a bare node:http server (own process) answering pre-built bodies of the same sizes ` +
        `(${int(bytes / requests)} bytes on average: ${[...perKind].map(([k, e]) => `${k} ${int(e.bytes / e.n)}`).join(", ")}); medians of ${rounds} alternating runs`,
    );
    const result = {
      name: "sandbox-mixed",
      inputs: { clients: clientCount, loans: loanCount, requests, concurrency, rounds, mix: ROUND, averageBytes: Math.round(bytes / requests) },
      rows: [
        {
          benchmark: "sandbox",
          measure: `mixed workload (pages, searches, creates, repayments), ${concurrency} clients`,
          unit: "requests/s",
          mambuTs: round(sandboxRate, 0),
          floor: round(bareRate, 0),
          mambupy: null,
          ratioToFloor: round(ratio),
          vsMambuPy: null,
          target: { minRate: 3000 },
          met: sandboxRate >= 3000,
          runs: { sandbox: sandboxRates.map((x) => round(x, 0)), bare: bareRates.map((x) => round(x, 0)) },
          cpuPerRequestUs: cpu ?? null,
        },
      ],
      notes,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    if (bare) await bare.stop();
    if (sb) await sb.stop();
    rmTmp(dir);
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
