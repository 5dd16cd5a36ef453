import { Token } from "cdktf";
import type { Construct } from "constructs";
import { PropsError } from "./validation";

/**
 * Token-bucket throttling, as API Gateway applies it to a REST stage's methods, an HTTP
 * API's routes and a usage plan's keys: one shape and one check for all three.
 */
export interface ThrottleSettings {
  /** Steady-state requests per second; above 0. */
  readonly rateLimit: number;
  /** Bucket size in requests: an integer, at least `rateLimit`. */
  readonly burstLimit: number;
}

/**
 * Refuses what would throttle every request (0) or cut each second's allowance short
 * (burst below rate); APIGW-STAGE-THROTTLING rejects the former. Tokens are left to Terraform.
 */
export function checkThrottling(scope: Construct, prop: string, throttling: ThrottleSettings): void {
  const { rateLimit, burstLimit } = throttling;
  if (Token.isUnresolved(rateLimit) || Token.isUnresolved(burstLimit)) return;
  if (rateLimit > 0 && Number.isFinite(rateLimit) && Number.isInteger(burstLimit) && burstLimit >= rateLimit) return;
  throw new PropsError(scope, prop, `is rate ${rateLimit}, burst ${burstLimit}; expected rate > 0 and an integer burst >= rate (0 refuses every request)`);
}
