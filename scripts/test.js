#!/usr/bin/env node
/**
 * `npm test`: the typecheck of the specs (`tsc -p spec/tsconfig.json --noEmit`) and `jest`, started
 * together rather than one after the other (ts-jest only transpiles, so the type errors are tsc's to
 * find; most of jest's time is spent waiting for sockets and child processes, which leaves room for
 * tsc on the same cores). Both outputs are streamed as they come — tsc's lines prefixed `tsc: `,
 * jest's as jest prints them — and the exit code is non-zero when either failed. Arguments go to jest
 * (`npm test -- spec/e2e/cli.spec.ts`); with arguments the typecheck still runs, as before. tsc runs
 * at a lower priority (nice 10): it takes what the jest workers leave.
 * Ctrl-C (SIGINT/SIGTERM) is passed on to both.
 */
"use strict";
const { spawn } = require("node:child_process");
const { join } = require("node:path");
const { setPriority } = require("node:os");

const ROOT = join(__dirname, "..");
const bin = (pkg, file) => join(ROOT, "node_modules", pkg, "bin", file);

/** Starts `node <script> ...args` in the project root; resolves to its exit code (1 when killed). */
function start(name, script, args, prefix) {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    stdio: prefix ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  if (prefix) {
    // Whole lines only, each prefixed, so that tsc's lines never cut into jest's.
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      let rest = "";
      from.setEncoding("utf8");
      from.on("data", (d) => {
        const lines = (rest + d).split("\n");
        rest = lines.pop();
        for (const l of lines) to.write(`${prefix}${l}\n`);
      });
      from.on("end", () => rest && to.write(`${prefix}${rest}\n`));
    }
  }
  const done = new Promise((resolve) => {
    child.on("error", (e) => {
      process.stderr.write(`${name}: ${e.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  return { child, done };
}

const tsc = start("tsc", bin("typescript", "tsc"), ["-p", "spec/tsconfig.json", "--noEmit", "--pretty", "false"], "tsc: ");
// The typecheck takes the cores jest leaves idle, not the ones its workers need.
try {
  setPriority(tsc.child.pid, 10);
} catch {
  /* not allowed here: both run at the same priority */
}
const jest = start("jest", bin("jest", "jest.js"), process.argv.slice(2));

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    for (const { child } of [tsc, jest]) child.kill(sig);
  });
}

Promise.all([tsc.done, jest.done]).then(([tscCode, jestCode]) => {
  if (tscCode !== 0) process.stderr.write(`\nnpm test: the typecheck of spec/ (tsc -p spec/tsconfig.json --noEmit) failed (exit ${tscCode})\n`);
  else process.stdout.write("\nnpm test: the typecheck of spec/ passed (tsc -p spec/tsconfig.json --noEmit)\n");
  if (jestCode !== 0) process.stderr.write(`npm test: jest failed (exit ${jestCode})\n`);
  process.exit(tscCode !== 0 ? tscCode : jestCode);
});
