import { Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsArn } from "@cdktf/provider-aws/lib/data-aws-arn";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, PolicyStatement } from "./shared/iam";
import { checkFormat, PropsError } from "./shared/validation";

export interface IntegrationRoleProps {
  /** The role's name (64 characters at most). */
  readonly roleName: string;
  /** The execution ARN of the API whose integrations assume the role (`arn:aws:execute-api:<region>:<account>:<api-id>`). */
  readonly apiExecutionArn: string;
  /** The one action the integration calls, such as `kinesis:PutRecord`. */
  readonly action: string;
  /** The one resource it calls it on. */
  readonly resourceArn: string;
  /**
   * The customer managed KMS key the resource is encrypted with, and what the action needs of it
   * (AWS managed keys such as alias/aws/kinesis admit any principal of the account through the service).
   * @default no KMS statement
   */
  readonly kms?: { readonly keyArn: string; readonly actions: readonly ("kms:GenerateDataKey" | "kms:Decrypt")[] };
}

const ACTION = /^[a-z0-9-]+:[A-Za-z]+$/;

/**
 * The credentials role of one AWS service integration: API Gateway may assume it, for the API's
 * calls only, and it may call exactly one action on exactly one resource (plus its KMS key).
 *
 * The trust names the API with `aws:SourceAccount` and `aws:SourceArn`, in their `IfExists` form:
 * API Gateway does not put these keys in the request context when it assumes an integration's
 * credentials role, so a plain StringEquals condition denies every call (the integration answers
 * 500 "API Gateway does not have permission to assume the provided role";
 * aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws#479). With
 * IfExists a request that does carry them must name this API.
 */
export class IntegrationRole extends Construct {
  public readonly arn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: IntegrationRoleProps) {
    super(scope, id);
    checkFormat(this, "roleName", props.roleName, (name) => (/^[\w+=,.@-]{1,64}$/.test(name) ? undefined : "an IAM role name: 1-64 letters, digits or +=,.@_-"));
    checkFormat(this, "action", props.action, (action) => (ACTION.test(action) ? undefined : "one IAM action such as kinesis:PutRecord, without wildcards"));
    for (const [prop, arn] of [["resourceArn", props.resourceArn], ["kms.keyArn", props.kms?.keyArn]] as const) {
      if (arn !== undefined) checkFormat(this, prop, arn, (value) => (/^arn:[^*?]+$/.test(value) ? undefined : "one ARN, without wildcards"));
    }
    if (props.kms && props.kms.actions.length === 0) throw new PropsError(this, "kms.actions", "is empty; name what the action needs of the key (kms:GenerateDataKey to write, kms:Decrypt to read)");

    // The API's account, read from its execution ARN (known at apply for a new API) by aws_arn,
    // which parses locally; an expression with string literals would put unescaped quotes in the JSON text.
    const parsed = Token.isUnresolved(props.apiExecutionArn) ? new DataAwsArn(this, "api-arn", { arn: props.apiExecutionArn }) : undefined;
    const [account, region] = parsed ? [parsed.account, parsed.region] : [props.apiExecutionArn.split(":")[4], props.apiExecutionArn.split(":")[3]];
    const trust: PolicyStatement = {
      Effect: "Allow",
      Principal: { Service: "apigateway.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEqualsIfExists: { "aws:SourceAccount": account }, ArnLikeIfExists: { "aws:SourceArn": `${props.apiExecutionArn}/*` } },
    };
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: `API Gateway integration credentials: ${props.action} on one resource`,
      assumeRolePolicy: policyDocument([trust]),
    });
    const statements: PolicyStatement[] = [{ Sid: "CallTheIntegration", Effect: "Allow", Action: props.action, Resource: props.resourceArn }];
    if (props.kms) {
      // Only through the service the action calls: the role cannot use the key directly.
      const service = props.action.split(":")[0];
      statements.push({ Sid: "UseTheResourceKey", Effect: "Allow", Action: [...props.kms.actions], Resource: props.kms.keyArn, Condition: { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com` } } });
    }
    new IamRolePolicy(this, "policy", { name: "integration", role: role.name, policy: policyDocument(statements) });
    this.arn = role.arn;
    this.roleName = role.name;
  }
}
