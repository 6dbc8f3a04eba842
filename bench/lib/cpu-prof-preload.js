"use strict";
/**
 * `--require` preload that profiles the process it is loaded into (NODE_OPTIONS does not allow --cpu-prof):
 * starts the V8 profiler at once and writes a `.cpuprofile` into $BENCH_CPU_PROF_DIR when the process exits.
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  fs.mkdirSync(dir, { recursive: true }); // the exit handler cannot report a missing folder: make it first
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (err, res) => {
      if (!err) fs.writeFileSync(path.join(dir, `sandbox-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
