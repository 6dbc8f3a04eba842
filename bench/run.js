"use strict";
/**
 * `npm run bench`: builds (the npm script does), then runs each benchmark in its own process —
 * hydration, bulk read (with streaming), writes, the sandbox's mixed workload — prints their inputs and progress, a results table, and writes
 * bench/results.json (and the same table as Markdown, for the README's Performance section).
 *
 * Every figure is a ratio measured in the same run: these machines are shared and noisy.
 *
 * Usage: node bench/run.js [--only hydration,bulk-read,writes] [--quick]
 *   --quick   small inputs (a smoke test of the harness, not figures to quote)
 * A run with --quick or --only writes bench/results.partial.json instead of bench/results.json.
 * MambuPy: from $MAMBUPY_SRC (a source checkout) when set, else `pip install mambupy` into
 * bench/.venv; without either, its columns are skipped with a note.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { BENCH, ROOT, runNodeChild, findMambuPy } = require("./lib/common");
const { markdownTable, textTable, replaceReadmeBlock } = require("./lib/table");

const ALL = ["hydration", "bulk-read", "writes", "sandbox-mixed"];

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const only = (arg("only") || ALL.join(",")).split(",").map((s) => s.trim()).filter(Boolean);
  for (const o of only) if (!ALL.includes(o)) throw new Error(`unknown benchmark ${o} (known: ${ALL.join(", ")})`);
  const quick = process.argv.includes("--quick");
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm run bench does)");

  const started = new Date();
  const mp = findMambuPy();
  process.stdout.write(`mambu-ts benchmarks — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model?.trim() ?? "?"}), ${os.platform()}\n`);
  process.stdout.write(`MambuPy: ${mp.skip ? mp.skip : mp.how}\n\n`);

  const results = [];
  for (const name of only) {
    const args = [];
    const nodeArgs = [];
    if (name === "hydration") {
      nodeArgs.push("--expose-gc", "--max-old-space-size=8192");
      if (quick) args.push("--count", "5000", "--rounds", "2");
    }
    if (name === "bulk-read" && quick) args.push("--loans", "3000", "--rounds", "1", "--stream", "5000,20000");
    if (name === "writes" && quick) args.push("--clients", "100");
    if (name === "sandbox-mixed" && quick) args.push("--clients", "2000", "--loans", "2000", "--requests", "1000", "--rounds", "1");
    process.stdout.write(`── ${name} ──\n`);
    const t0 = Date.now();
    try {
      const r = await runNodeChild(`${name}.js`, args, { nodeArgs, echo: true });
      // the child's last line (its JSON result) was echoed too; that's fine for logs
      r.seconds = Math.round((Date.now() - t0) / 100) / 10;
      results.push(r);
    } catch (e) {
      process.stdout.write(`${name} failed: ${e.message}\n`);
      results.push({ name, error: e.message, rows: [], notes: [] });
    }
    process.stdout.write("\n");
  }

  const rows = results.flatMap((r) => r.rows);
  const notes = results.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`));
  process.stdout.write(`${textTable(rows)}\n\n`);
  for (const n of notes) process.stdout.write(`- ${n}\n`);

  const out = {
    generatedAt: started.toISOString(),
    quick,
    machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim(), platform: `${os.platform()} ${os.arch()}`, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    mambupy: mp.skip ? { skipped: mp.skip } : { source: mp.how },
    benchmarks: results,
    table: markdownTable(rows),
    notes,
  };
  // Only a full run replaces bench/results.json (the figures the README quotes).
  const partial = quick || only.length !== ALL.length;
  const file = path.join(BENCH, partial ? "results.partial.json" : "results.json");
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  process.stdout.write(`\nwrote ${path.relative(ROOT, file)}\n`);
  // A full run also regenerates the README's Performance table from what it just wrote.
  if (!partial) {
    const readmePath = path.join(ROOT, "README.md");
    fs.writeFileSync(readmePath, replaceReadmeBlock(fs.readFileSync(readmePath, "utf8"), out));
    process.stdout.write("README.md: Performance table regenerated\n");
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
