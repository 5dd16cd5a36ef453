import { Token } from "cdktf";
import type { Construct } from "constructs";
import type { FormatCheck } from "../../config/formats";

/**
 * A construct's refusal of its props, raised in the constructor so the error points at the
 * construct that was misused and not at some later `terraform apply`.
 */
export class PropsError extends Error {
  constructor(scope: Construct, prop: string, problem: string) {
    super(`${scope.node.path}: ${prop} ${problem}`);
    this.name = "PropsError";
  }
}

/** Checks a literal value's format; values still unresolved (tokens) are left to Terraform. */
export function checkFormat(scope: Construct, prop: string, value: string, check: FormatCheck): void {
  if (Token.isUnresolved(value)) return;
  const allowed = check(value);
  if (allowed) throw new PropsError(scope, prop, `is ${JSON.stringify(value)}; expected ${allowed}`);
}

export function checkNotEmpty(scope: Construct, prop: string, values: readonly unknown[]): void {
  if (Token.isUnresolved(values)) return;
  if (values.length === 0) throw new PropsError(scope, prop, "is empty; at least one value is required");
}
