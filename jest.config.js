/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuild-transform.js" },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
