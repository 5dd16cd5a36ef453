/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // jest's default is one worker less than the cores, a single worker on a 2-core machine.
  maxWorkers: "100%",
  // A worker keeps what each suite leaves (heap, loaded modules, WebAssembly memory) and its
  // resident size grew to 970 MB over a run. jest compares this with the worker's used heap after
  // each suite and replaces a worker past it, at the cost of a fresh start.
  workerIdleMemoryLimit: "300MB",
  // Not below the temporary directory: npm test gives each run its own, which would start every run cold.
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
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
  // One temporary directory for the run, removed after it (test/temp-root.js).
  globalSetup: "<rootDir>/test/global-setup.js",
  globalTeardown: "<rootDir>/test/global-teardown.js",
};
