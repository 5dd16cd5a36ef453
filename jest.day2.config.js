/**
 * The day-2 suite with the real provider (`npm run test:day2`, test-terraform/day2*.test.ts): not part of `npm test`, which must not need
 * terraform. One worker: the suites share the machine's cores with terraform itself.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  maxWorkers: 1,
  roots: ["<rootDir>/test-terraform"],
  testMatch: ["**/day2*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuild-transform.js" },
  // Plans of ~250 resources with the real provider: minutes, not seconds.
  testTimeout: 1_800_000,
};
