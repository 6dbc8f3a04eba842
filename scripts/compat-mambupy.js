#!/usr/bin/env node
/**
 * Fidelity check against a client nobody here wrote: runs MambuPy's cookbook recipes
 * (scripts/compat_mambupy.py) against the embedded sandbox over TLS and reports which pass.
 *
 * MambuPy comes from $MAMBUPY_SRC (a directory holding the MambuPy package, put on PYTHONPATH), or
 * else from PyPI into a venv (`python3 -m venv` + `pip install mambupy`). Not part of `npm test`.
 * Usage: npm run compat:mambupy   (builds first)   Exit: 0 all pass, 1 some fail, 2 MambuPy unavailable.
 */
"use strict";
const { spawnSync, spawn } = require("node:child_process");
const { existsSync, mkdtempSync } = require("node:fs");
const { join } = require("node:path");
const { tmpdir } = require("node:os");

function python() {
  const src = process.env.MAMBUPY_SRC;
  if (src) {
    if (!existsSync(join(src, "MambuPy"))) {
      console.error(`MAMBUPY_SRC=${src} has no MambuPy/ package directory`);
      process.exit(2);
    }
    return { cmd: "python3", env: { PYTHONPATH: src }, how: `MambuPy source from MAMBUPY_SRC=${src}` };
  }
  const venv = join(tmpdir(), "mambu-ts-compat-venv");
  const py = join(venv, "bin", "python");
  if (!existsSync(py) && spawnSync("python3", ["-m", "venv", venv], { stdio: "inherit" }).status !== 0) {
    console.error("could not create a Python venv (python3 -m venv)");
    process.exit(2);
  }
  const pip = spawnSync(py, ["-m", "pip", "install", "--quiet", "mambupy"], { stdio: "inherit" });
  if (pip.status !== 0) {
    console.error("could not `pip install mambupy` (no PyPI?). Set MAMBUPY_SRC to a directory holding the MambuPy package.");
    process.exit(2);
  }
  return { cmd: py, env: {}, how: `MambuPy from PyPI in ${venv}` };
}

async function main() {
  const { startSandbox } = require("../dist/sandbox");
  const py = python();
  const sandbox = await startSandbox({ port: 0, tls: true });
  const home = mkdtempSync(join(tmpdir(), "mambu-compat-home-"));
  const port = new URL(sandbox.url).port;
  console.log(`${py.how}; sandbox ${sandbox.url} (CA ${sandbox.caCertPath})\n`);
  const child = spawn(py.cmd, [join(__dirname, "compat_mambupy.py")], {
    env: {
      ...process.env,
      ...py.env,
      HOME: home,
      MAMBUPY_APIURL: `127.0.0.1:${port}`,
      MAMBUPY_APIUSER: "demo",
      MAMBUPY_APIPWD: "demo",
      MAMBUPY_APIPAGINATION: "3", // small pages, so that get_all really paginates
      REQUESTS_CA_BUNDLE: sandbox.caCertPath,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise((r) => child.on("close", r));
  await sandbox.stop();
  const results = out.split("\n").filter(Boolean).map((l) => {
    try { return JSON.parse(l); } catch { return { recipe: "(unparsed output)", ok: false, detail: l }; }
  });
  const width = Math.max(...results.map((r) => r.recipe.length), 6);
  for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.recipe.padEnd(width)}  ${r.detail}`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`\n${passed}/${results.length} MambuPy recipes pass against the sandbox`);
  if (code === 2) process.exit(2);
  process.exit(passed === results.length && results.length > 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
