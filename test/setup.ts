import { Testing } from "cdktf";
// Brings the type declarations of cdktf's matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();

/**
 * cdktf records a whole stack trace for each token it makes, for the error message that may name
 * where an unresolvable one was made; jest mapped every frame of each through the source maps, a
 * quarter of a stack suite's time. Those traces are taken on plain objects, not errors: as in the
 * bundled app (scripts/run.js), they are recorded only with APIGW_DEBUG set, unmapped. Errors keep
 * their mapped traces.
 */
const mapped = Error.prepareStackTrace;
Error.prepareStackTrace = (error, callSites) => {
  if (error instanceof Error || !mapped) return mapped?.(error, callSites);
  return process.env.APIGW_DEBUG ? `${error}\n${callSites.map((site) => `    at ${site}`).join("\n")}` : "";
};
