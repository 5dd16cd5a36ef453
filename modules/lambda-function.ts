import { AssetType, TerraformAsset, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsArn } from "@cdktf/provider-aws/lib/data-aws-arn";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction as LambdaFunctionResource } from "@cdktf/provider-aws/lib/lambda-function";
import * as formats from "../config/formats";
import type { FunctionBundle } from "../functions/bundle";
import { broadGrants } from "../policy/iam-actions";
import { jsonStatement } from "../policy/policy-document";
import { policyDocument, PolicyStatement, serviceTrustPolicy } from "./shared/iam";
import { checkFormat, PropsError } from "./shared/validation";

/** What an API integration needs of a function: implemented by this module and by an existing function. */
export interface ILambdaFunction {
  readonly functionName: string;
  readonly functionArn: string;
  /** The ARN API Gateway integrations call (`arn:...:apigateway:<region>:lambda:path/.../invocations`). */
  readonly invokeArn: string;
  /**
   * A name for resources derived from the function, such as an API's invoke permission, that
   * stays the same when the function is renamed, so they are updated rather than replaced.
   */
  readonly key: string;
  /**
   * The key that derived resources had before keys stopped following the function's name; they
   * move from there instead of being replaced.
   * @default none
   */
  readonly formerKey?: string;
}

/** Runtimes AWS still supports for new functions; nodejs20.x was deprecated on 2026-04-30. */
export const SUPPORTED_RUNTIMES = [
  "nodejs22.x",
  "nodejs24.x",
  "python3.12",
  "python3.13",
  "python3.14",
  "java21",
  "java25",
  "dotnet8",
  "dotnet10",
  "ruby3.4",
  "provided.al2023",
] as const;

export type LambdaRuntime = (typeof SUPPORTED_RUNTIMES)[number];

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,59}$/;

export interface LambdaFunctionProps {
  /** The function's name, also the base of its role's and log group's names (59 characters at most). */
  readonly functionName: string;
  /** The handler's code, zipped reproducibly. */
  readonly bundle: FunctionBundle;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /**
   * What the function may do beyond writing its logs. `*` actions and resources are refused.
   * @default none
   */
  readonly policyStatements?: readonly PolicyStatement[];
  /** @default "index.handler" */
  readonly handler?: string;
  /** @default "nodejs22.x" */
  readonly runtime?: LambdaRuntime;
  /** @default "arm64" */
  readonly architecture?: "arm64" | "x86_64";
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * Seconds; API Gateway gives up after 29, so more only bills for answers nobody reads.
   * @default 10
   */
  readonly timeout?: number;
  /** @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default "" */
  readonly description?: string;
  /**
   * Concurrent executions reserved for the function, and its ceiling: one flooded route cannot
   * take the account's whole pool, nor starve this function. Lambda keeps 100 of the account's
   * concurrency unreserved, so the reservations of every function in the account and region must
   * leave that much (new accounts may have a limit of 10 and no room at all).
   * @default none: the function draws on the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /**
   * A customer managed KMS key for the function's log group and environment variables, in the
   * function's region. Its key policy must let CloudWatch Logs use it (README, "Security").
   * @default AWS-owned keys
   */
  readonly kmsKeyArn?: string;
  /**
   * X-Ray active tracing; the role may then put trace segments and telemetry, actions that support
   * no resource-level permissions (granted on `*`).
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Lowest level of the function's own JSON log lines that Lambda keeps.
   * @default "INFO"
   */
  readonly applicationLogLevel?: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";
  /**
   * Lowest level of Lambda's platform lines (START, END and REPORT are INFO) that it keeps.
   * @default "INFO", as Lambda's own default
   */
  readonly systemLogLevel?: "DEBUG" | "INFO" | "WARN";
}

/**
 * A function with a least-privilege role: it writes only to its own log group (created
 * here, with retention) and may do only what `policyStatements` grant.
 */
export class LambdaFunction extends Construct implements ILambdaFunction {
  /** A function managed elsewhere, for an API route to call. */
  static fromFunctionArn(scope: Construct, functionArn: string): ILambdaFunction {
    checkFormat(scope, "existing function ARN", functionArn, formats.lambdaFunctionArn);
    const [, partition, region, , name] = formats.LAMBDA_FUNCTION_ARN.exec(functionArn) ?? [];
    return {
      functionName: name,
      functionArn,
      invokeArn: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      key: name,
    };
  }

  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly invokeArn: string;
  public readonly key: string;
  public readonly formerKey?: string;
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly logGroupName: string;
  /** Seconds, for the duration alarm. */
  public readonly timeout: number;
  public readonly reservedConcurrency?: number;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    checkFormat(this, "functionName", props.functionName, (v) =>
      FUNCTION_NAME.test(v) ? undefined : "1-59 letters, digits, hyphens or underscores",
    );
    const runtime = props.runtime ?? "nodejs22.x";
    if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) {
      throw new PropsError(this, "runtime", `is ${JSON.stringify(runtime)}; expected a runtime AWS still supports: ${SUPPORTED_RUNTIMES.join(", ")}`);
    }
    const timeout = props.timeout ?? 10;
    if (!Token.isUnresolved(timeout) && (!Number.isInteger(timeout) || timeout < 1 || timeout > 900)) {
      throw new PropsError(this, "timeout", `is ${timeout}; expected whole seconds from 1 to 900`);
    }
    const memorySize = props.memorySize ?? 256;
    if (!Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240)) {
      throw new PropsError(this, "memorySize", `is ${memorySize}; expected whole MB from 128 to 10240`);
    }
    (props.policyStatements ?? []).forEach((statement, i) => checkLeastPrivilege(this, `policyStatements[${i}]`, statement));
    const reserved = props.reservedConcurrency;
    if (reserved !== undefined && !Token.isUnresolved(reserved) && (!Number.isInteger(reserved) || reserved < 1)) {
      throw new PropsError(this, "reservedConcurrency", `is ${reserved}; expected a whole number of executions, at least 1 (0 would refuse every invocation)`);
    }
    if (props.kmsKeyArn !== undefined) checkFormat(this, "kmsKeyArn", props.kmsKeyArn, formats.kmsKeyArn);
    const tracing = props.tracing ?? true;

    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      // A renamed function gets a new group; the old one keeps its history until its retention ends.
      skipDestroy: true,
    });
    const role = new IamRole(this, "role", {
      name: `${props.functionName}-role`,
      description: `Runs the ${props.functionName} function`,
      assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
    });
    // The log group exists already, so the role needs no logs:CreateLogGroup.
    const logsPolicy = new IamRolePolicy(this, "logs-policy", {
      role: role.id,
      name: "write-own-logs",
      policy: policyDocument([{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.arn}:*` }]),
    });
    const runtimePolicies = [logsPolicy];
    if (tracing) {
      runtimePolicies.push(
        new IamRolePolicy(this, "tracing-policy", {
          role: role.id,
          name: "put-traces",
          policy: policyDocument([{ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }]),
        }),
      );
    }
    if (props.kmsKeyArn && props.environment) {
      // Lambda decrypts the environment with the execution role's permissions when an instance
      // starts; the code itself never needs the key, so only calls made through Lambda may use it.
      // A key is regional and in the function's region, which its ARN names (unless a token).
      const keyRegion = Token.isUnresolved(props.kmsKeyArn) ? new DataAwsArn(this, "key-arn", { arn: props.kmsKeyArn }).region : props.kmsKeyArn.split(":")[3];
      runtimePolicies.push(
        new IamRolePolicy(this, "environment-key-policy", {
          role: role.id,
          name: "decrypt-environment",
          policy: policyDocument([{ Effect: "Allow", Action: "kms:Decrypt", Resource: props.kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `lambda.${keyRegion}.amazonaws.com` } } }]),
        }),
      );
    }
    if (props.policyStatements?.length) {
      // A runtime policy too: when a rename replaces the role, the function's create_before_destroy
      // then reaches it, so the old function keeps its access until the APIs call the new one (a
      // destroy-first replacement took it away first: the real provider's plan, test:day2).
      runtimePolicies.push(
        new IamRolePolicy(this, "access-policy", {
          role: role.id,
          name: "access",
          policy: policyDocument(props.policyStatements),
        }),
      );
    }

    const code = new TerraformAsset(this, "code", { path: props.bundle.zipFile, type: AssetType.FILE, assetHash: props.bundle.sha256 });
    const fn = new LambdaFunctionResource(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: role.arn,
      runtime,
      handler: props.handler ?? "index.handler",
      architectures: [props.architecture ?? "arm64"],
      memorySize,
      timeout,
      filename: code.path,
      sourceCodeHash: props.bundle.sourceCodeHash,
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: props.applicationLogLevel ?? "INFO", systemLogLevel: props.systemLogLevel ?? "INFO" },
      ...(props.environment ? { environment: { variables: { ...props.environment } } } : {}),
      ...(props.kmsKeyArn && props.environment ? { kmsKeyArn: props.kmsKeyArn } : {}),
      ...(reserved !== undefined ? { reservedConcurrentExecutions: reserved } : {}),
      ...(tracing ? { tracingConfig: { mode: "Active" } } : {}),
      // Without these, the first invocations can run before the function may write its logs (or trace, or read its environment).
      dependsOn: [logGroup, ...runtimePolicies],
      // Only a new name replaces a function (function_name forces a new resource; nothing else
      // here does), so the new function never collides with the old one, which keeps serving
      // until the APIs call the new one (README, "Changing things").
      lifecycle: { createBeforeDestroy: true },
    });

    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
    this.invokeArn = fn.invokeArn;
    // The construct's path in its stack, not the function's name, which may change.
    this.key = this.node.scopes.slice(this.node.scopes.indexOf(TerraformStack.of(this)) + 1).map((c) => c.node.id).join("-");
    if (!Token.isUnresolved(props.functionName) && props.functionName !== this.key) this.formerKey = props.functionName;
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.logGroupName = logGroup.name;
    this.timeout = timeout;
    this.reservedConcurrency = reserved;
  }
}

function checkLeastPrivilege(scope: Construct, prop: string, statement: PolicyStatement): void {
  const problems = broadGrants(jsonStatement(statement));
  if (problems.length) throw new PropsError(scope, prop, `grants more than it names (${problems.join("; ")}); name the actions and ARNs the function needs`);
}
