import { firstError, initFailureKind, TerraformRun } from "./run";

export type ValidationResult = "passed" | "failed" | "NOT VALIDATED";

export interface StackValidation {
  readonly stack: string;
  readonly providers: readonly string[];
  readonly result: ValidationResult;
  readonly seconds: number;
  readonly reason?: string;
  /** terraform's output of the failing step. */
  readonly output?: string;
}

/**
 * One stack's result from its init and validate runs: passed only when both exited 0; an init that could
 * not install a provider is NOT VALIDATED (nothing was checked); any other failure is failed.
 */
export function classifyValidation(stack: string, providers: readonly string[], init: TerraformRun, validate: TerraformRun | undefined): StackValidation {
  const seconds = init.seconds + (validate?.seconds ?? 0);
  const base = { stack, providers, seconds };
  if (init.status !== 0) {
    const output = `${init.stdout}${init.stderr}`;
    if (init.timedOut) return { ...base, result: "failed", reason: "terraform init timed out", output };
    const kind = initFailureKind(output);
    return { ...base, result: kind === "providers" ? "NOT VALIDATED" : "failed", reason: `init: ${firstError(output)}`, output };
  }
  if (!validate || validate.status !== 0) {
    const output = `${validate?.stdout ?? ""}${validate?.stderr ?? ""}`;
    return { ...base, result: "failed", reason: validate?.timedOut ? "terraform validate timed out" : `validate: ${firstError(output)}`, output };
  }
  return { ...base, result: "passed" };
}
