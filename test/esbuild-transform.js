// Jest transform: esbuild strips the types (no type check; `tsc --noEmit` in `npm test` does that).
const { transformSync } = require("esbuild");

module.exports = {
  /** @param {string} source @param {string} filename */
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith(".js") ? "js" : "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
};
