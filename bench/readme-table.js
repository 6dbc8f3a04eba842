"use strict";
/**
 * Regenerates the README's Performance table from bench/results.json (a full `npm run bench` calls
 * this itself). `--check` exits 1, saying so, when the README does not show bench/results.json.
 *
 * Usage: node bench/readme-table.js [--check]
 */
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, BENCH } = require("./lib/common");
const { replaceReadmeBlock } = require("./lib/table");

function main() {
  const readmePath = path.join(ROOT, "README.md");
  const results = JSON.parse(fs.readFileSync(path.join(BENCH, "results.json"), "utf8"));
  const readme = fs.readFileSync(readmePath, "utf8");
  const next = replaceReadmeBlock(readme, results);
  if (process.argv.includes("--check")) {
    if (next !== readme) {
      process.stderr.write("README.md's Performance table differs from bench/results.json: run `node bench/readme-table.js`\n");
      process.exit(1);
    }
    process.stdout.write("README.md's Performance table matches bench/results.json\n");
    return;
  }
  if (next !== readme) fs.writeFileSync(readmePath, next);
  process.stdout.write(next !== readme ? "README.md: Performance table regenerated from bench/results.json\n" : "README.md: Performance table already current\n");
}

main();
