import { Testing } from "cdktf";
// Brings the type declarations of cdktf's matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();

/**
 * cdktf records where each of its tokens was made, a whole stack trace formatted at once, for the
 * rare error that names it. jest maps every frame of every trace through the source maps, which
 * took a quarter of a stack test's time. Those traces are taken on plain objects, not errors:
 * they get V8's own format, and errors keep their mapped traces.
 */
const mapped = Error.prepareStackTrace;
Error.prepareStackTrace = (error, callSites) =>
  error instanceof Error || !mapped ? mapped?.(error, callSites) : `${error}\n${callSites.map((site) => `    at ${site}`).join("\n")}`;
