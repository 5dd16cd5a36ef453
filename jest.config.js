/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // jest's default is one worker less than the cores, a single worker on a 2-core machine.
  maxWorkers: "100%",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The browser test opens a built catalogue in Chromium: npm run test:catalogue builds it and runs it.
  testPathIgnorePatterns: ["/node_modules/", "/test/catalogue/browser\\.test\\.ts$"],
  transform: {
    "^.+\\.ts$": "<rootDir>/test/esbuild-transform.js",
    // The OpenAPI validator's reference parser ships ES modules only; jest 29 loads CommonJS.
    "/node_modules/@apidevtools/json-schema-ref-parser/.+\\.js$": "<rootDir>/test/esbuild-transform.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!@apidevtools/json-schema-ref-parser/)"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
