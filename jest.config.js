/** Jest: TypeScript through ts-jest; unit tests (nock) and end-to-end tests (sandbox on 127.0.0.1). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/spec/tsconfig.json" }] },
  setupFiles: ["<rootDir>/spec/helpers/setup.ts"],
  setupFilesAfterEnv: ["<rootDir>/spec/helpers/after-env.ts"],
  testTimeout: 30000,
};
