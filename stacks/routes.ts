/**
 * The shape of each API: which routes exist and what serves them. Environments differ
 * only in data (config/environments); the routes are the same everywhere.
 */
import type { ILambdaFunction } from "../modules/lambda-function";
import { RestIntegration, RestRoute } from "../modules/rest-api";

export interface PrivateApiBackends {
  /** Returns an object of the environment's bucket by key. */
  readonly objectReader: ILambdaFunction;
}

export function privateApiRoutes(backends: PrivateApiBackends): RestRoute[] {
  return [{ path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(backends.objectReader) }];
}
