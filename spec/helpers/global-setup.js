/**
 * Jest global setup: a directory for this run, named in MAMBU_SPEC_RUN_DIR for every test file (the
 * workers start after this and inherit it) and removed by global-teardown.js. What a run needs built
 * only once — the shared dist/ of the CLI tests, the private build of the migration tests — is
 * marked built there (spec/helpers/once-per-run.ts), so the second test file that needs it skips a
 * 20-second compile.
 */
const { mkdtempSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");

module.exports = async function globalSetup() {
  process.env.MAMBU_SPEC_RUN_DIR = mkdtempSync(join(tmpdir(), "mambu-spec-run-"));
};
