/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // jest's default is one worker less than the cores, a single worker on a 2-core machine.
  maxWorkers: "100%",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // npm run test:catalogue runs these: the browser test opens a catalogue it builds first, the
  // client test generates and type-checks clients, the AsyncAPI parser takes seconds per document
  // (about 10 s each; npm test stays under 30 s).
  testPathIgnorePatterns: ["/node_modules/", "/test/catalogue/(browser|client|asyncapi)\\.test\\.ts$"],
  transform: {
    "^.+\\.ts$": "<rootDir>/test/esbuild-transform.js",
    // The OpenAPI validator's reference parser ships ES modules only; jest 29 loads CommonJS.
    "/node_modules/@apidevtools/json-schema-ref-parser/.+\\.js$": "<rootDir>/test/esbuild-transform.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!@apidevtools/json-schema-ref-parser/)"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
