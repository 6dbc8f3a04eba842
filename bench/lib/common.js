"use strict";
/** Shared helpers of the benchmarks: timing, statistics, MambuPy discovery, the sandbox process. */
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");

const ROOT = path.join(__dirname, "..", "..");
const BENCH = path.join(ROOT, "bench");

/** Milliseconds since `t0` (a `process.hrtime.bigint()`). */
const msSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds to `d` significant-ish decimals for printing and results.json. */
const round = (x, d = 2) => (x === undefined || x === null || !Number.isFinite(x) ? x : Math.round(x * 10 ** d) / 10 ** d);

/** An integer with thousands separators. */
const int = (n) => Math.round(n).toLocaleString("en-US");

/** Prints a line to stderr-free stdout, prefixed by the benchmark's name. */
function logger(name) {
  return (...parts) => process.stdout.write(`[${name}] ${parts.join(" ")}\n`);
}

/** Runs `f` with a full GC before it when --expose-gc is on, so that one measure doesn't pay another's debt. */
function gc() {
  if (typeof global.gc === "function") {
    global.gc();
    global.gc();
  }
}

/** A fresh temporary directory for large inputs (removed by the caller with `rmTmp`). */
function mkTmp() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "mambu-ts-bench-"));
}
function rmTmp(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

function tryImport(python, env) {
  const r = spawnSync(python, ["-c", "import sys; sys.argv=sys.argv[:1]; from MambuPy.api.mambuloan import MambuLoan; print('ok')"], {
    env,
    encoding: "utf8",
    timeout: 60000,
  });
  return r.status === 0 && r.stdout.includes("ok") ? undefined : (r.stderr || r.error?.message || "").trim().split("\n").pop();
}

let mambupyCache;
/**
 * Where MambuPy comes from: `$MAMBUPY_SRC` (a source checkout, put on PYTHONPATH) when set; else a venv at
 * bench/.venv with `pip install mambupy` from PyPI (created on first use). `{ skip }` says why neither worked.
 * @returns {{ python: string, env: NodeJS.ProcessEnv, how: string } | { skip: string }}
 */
function findMambuPy() {
  if (mambupyCache) return mambupyCache;
  const python = process.env.PYTHON || "python3";
  const notes = [];
  if (process.env.MAMBUPY_SRC) {
    const src = path.resolve(process.env.MAMBUPY_SRC);
    const env = { ...process.env, PYTHONPATH: [src, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
    const err = tryImport(python, env);
    if (!err) return (mambupyCache = { python, env, how: `MambuPy from MAMBUPY_SRC=${src} (${python})` });
    notes.push(`MAMBUPY_SRC=${src} does not import (${err})`);
  } else {
    notes.push("MAMBUPY_SRC is not set");
  }
  const venv = path.join(BENCH, ".venv");
  const vpy = path.join(venv, "bin", "python");
  if (fs.existsSync(vpy) && !tryImport(vpy, process.env)) {
    return (mambupyCache = { python: vpy, env: { ...process.env }, how: `MambuPy from PyPI in ${path.relative(ROOT, venv)} (existing venv)` });
  }
  const mk = spawnSync(python, ["-m", "venv", venv], { encoding: "utf8", timeout: 120000 });
  if (mk.status !== 0) {
    notes.push(`could not create a venv (${(mk.stderr || mk.error?.message || "").trim().split("\n").pop()})`);
  } else {
    const pip = spawnSync(vpy, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "mambupy"], {
      encoding: "utf8",
      timeout: 300000,
    });
    if (pip.status === 0 && !tryImport(vpy, process.env)) {
      return (mambupyCache = { python: vpy, env: { ...process.env }, how: `MambuPy from PyPI (pip install mambupy into ${path.relative(ROOT, venv)})` });
    }
    notes.push(`pip install mambupy failed (${(pip.stderr || pip.error?.message || "").trim().split("\n").pop() || "no PyPI?"})`);
  }
  return (mambupyCache = { skip: `MambuPy columns skipped: ${notes.join("; ")}` });
}

/** Runs a MambuPy script of bench/ and returns the JSON it prints on its last line. */
function runMambuPy(mp, script, args, extraEnv = {}, timeoutMs = 30 * 60000) {
  const r = spawnSync(mp.python, [path.join(BENCH, script), ...args], {
    env: { ...mp.env, ...extraEnv },
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (r.stdout || "").trim().split("\n");
  if (r.status !== 0) {
    throw new Error(`${script} failed (${r.status ?? r.signal}): ${(r.stderr || "").trim().split("\n").slice(-5).join(" | ")}`);
  }
  return JSON.parse(lines[lines.length - 1]);
}

/**
 * Starts `bin/mambu-sandbox` in its own process (so that the client's measurements are not disturbed)
 * and resolves once it prints its URL (and CA file with --tls).
 * @returns {Promise<{ url: string, port: number, caPath?: string, pid: number, stop(): Promise<void> }>}
 */
const sandboxes = new Set();
let cleanupInstalled = false;

/** Stops the sandboxes this process started if it exits or is interrupted before stopping them. */
function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", () => {
    for (const c of sandboxes) if (c.exitCode === null) c.kill("SIGTERM");
  });
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.once(sig, () => {
      for (const c of sandboxes) if (c.exitCode === null) c.kill("SIGTERM");
      process.exit(130);
    });
  }
}

function startSandboxProcess(args, { memoryMb } = {}) {
  const nodeArgs = memoryMb ? [`--max-old-space-size=${memoryMb}`] : [];
  installCleanup();
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "bin", "mambu-sandbox"), "--port", "0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  sandboxes.add(child);
  child.once("exit", () => sandboxes.delete(child));
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    const found = {};
    const fail = (why) => reject(new Error(`mambu-sandbox ${args.join(" ")}: ${why}${stderr ? `: ${stderr.trim()}` : ""}`));
    child.once("exit", (code) => fail(`exited with ${code} before listening`));
    rl.on("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (m) found.url = m[1];
      const c = /^CA certificate: (.+)$/.exec(line);
      if (c) found.caPath = c[1].trim();
      if (found.url && (!args.includes("--tls") || found.caPath)) {
        child.removeAllListeners("exit");
        rl.removeAllListeners("line");
        child.stdout.resume();
        resolve({
          url: found.url,
          port: Number(new URL(found.url).port),
          caPath: found.caPath,
          pid: child.pid,
          stop: () =>
            new Promise((res) => {
              if (child.exitCode !== null) return res();
              child.once("exit", () => res());
              child.kill("SIGTERM");
            }),
        });
      }
    });
  });
}

/** Runs a node script of bench/ as a child; resolves with the JSON object it prints on its last stdout line. */
function runNodeChild(script, args, { nodeArgs = [], env = {}, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(BENCH, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let pending = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (!echo) return;
      // echo progress lines, not the JSON result line
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const l of lines) if (!l.startsWith("{")) process.stdout.write(`${l}\n`);
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      const lines = out.trim().split("\n");
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err.trim().split("\n").slice(-8).join("\n")}`));
      try {
        resolve(JSON.parse(lines[lines.length - 1]));
      } catch {
        reject(new Error(`${script}: no JSON result on its last line`));
      }
    });
  });
}

/**
 * CPU time (user + system, ms) a process used so far, from /proc (Linux); undefined elsewhere. On a shared machine
 * the CPU time per request of a server is steadier than the wall time (which waits for other processes).
 */
function processCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd on
    const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15 of proc(5))
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

module.exports = {
  ROOT, BENCH, msSince, median, round, int, logger, gc, mkTmp, rmTmp, findMambuPy, runMambuPy, startSandboxProcess, runNodeChild,
  processCpuMs,
};
