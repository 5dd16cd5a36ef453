// swc strips types without checking them: `tsc --noEmit` in `npm test` is the type check.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/functions"],
  testMatch: ["**/*.test.ts", "**/*.test.js"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
