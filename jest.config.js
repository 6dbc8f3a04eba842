/** Jest: TypeScript through ts-jest; unit tests (nock) and end-to-end tests (sandbox on 127.0.0.1). */

// The machine's zone must never leak into Mambu dates: every test runs in an unusual one. It is set
// here, in the process that starts the workers (they inherit it): process.env.TZ set inside a test
// file (spec/helpers/setup.ts) reaches only Jest's copy of the environment, not Date or Intl.
process.env.TZ = "Pacific/Chatham";
// Every sandbox a test starts (in-process or as a child process) checks its answers against the
// contract's response schemas: an answer that drifts from the Swagger files fails as a 500 naming it.
process.env.MAMBU_SANDBOX_CHECK_RESPONSES = "1";
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/spec/tsconfig.json" }] },
  setupFiles: ["<rootDir>/spec/helpers/setup.ts"],
  setupFilesAfterEnv: ["<rootDir>/spec/helpers/after-env.ts"],
  // A directory per run where builds every CLI or migration test file needs are made once
  // (spec/helpers/once-per-run.ts) instead of once per file.
  globalSetup: "<rootDir>/spec/helpers/global-setup.js",
  globalTeardown: "<rootDir>/spec/helpers/global-teardown.js",
  // One worker per core: Jest's default (cores - 1) runs the suites one after the other on 2 cores,
  // while most end-to-end files spend their time waiting for a child process or a socket.
  maxWorkers: "100%",
  // The longest files first, also in a fresh clone without jest's cache of durations
  // (spec/helpers/slow-specs.json), so that the two workers end together.
  testSequencer: "<rootDir>/spec/helpers/test-sequencer.js",
  testTimeout: 30000,
  // Jest's runtime with V8's code cache: a module a later test file of the same worker loads again is not
  // parsed again (every file still gets its own module registry and evaluates its modules afresh).
  runtime: "<rootDir>/spec/helpers/cached-runtime.js",
};
