/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "<rootDir>/test/esbuild-transform.js",
    // The OpenAPI validator's reference parser ships ES modules only; jest 29 loads CommonJS.
    "/node_modules/@apidevtools/json-schema-ref-parser/.+\\.js$": "<rootDir>/test/esbuild-transform.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!@apidevtools/json-schema-ref-parser/)"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
