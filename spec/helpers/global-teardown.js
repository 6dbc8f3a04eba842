/** Jest global teardown: removes the run's directory made by global-setup.js. */
const { rmSync } = require("fs");

module.exports = async function globalTeardown() {
  const dir = process.env.MAMBU_SPEC_RUN_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
