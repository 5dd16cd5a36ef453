import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TfcAwsOidcProvider } from "../../modules/tfc-aws-oidc-provider";
import { TfcWorkspace } from "../../modules/tfc-workspace";
import { resourcesOf, synthesize } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";

// The plan role's policies evaluated together: ReadOnlyAccess's shape (every Get/List/Describe,
// plus the reads it grants by name: Query, Scan, FilterLogEvents, ...) and the module's Deny.
const READ_ONLY_LIKE = [{ Effect: "Allow", Action: ["*:Get*", "*:List*", "*:Describe*", "*:BatchGet*", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect", "logs:FilterLogEvents", "logs:StartQuery", "logs:StartLiveTail", "logs:Unmask", "kinesis:SubscribeToShard", "cloudtrail:LookupEvents", "apigateway:GET", "states:DescribeExecution", "s3-object-lambda:GetObject"], Resource: "*" }];

describe("TfcWorkspace plan role", () => {
  const stack = new TerraformStack(Testing.app(), "tfc");
  new TfeProvider(stack, "tfe");
  const aws = new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const oidcProvider = new TfcAwsOidcProvider(stack, "oidc", { provider: aws });
  new TfcWorkspace(stack, "prod", { name: "apigw-prod", organization: "acme", project: { id: "prj-1", name: "p" }, workingDirectory: "cdktf.out/stacks/prod", awsRunRole: { provider: aws, oidcProvider, roleName: "apigw-tfc-prod", policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } });
  const synthesized = synthesize(stack);
  const inline = Object.values<any>(resourcesOf(synthesized, "aws_iam_role_policy"));
  const policy = { Statement: [...READ_ONLY_LIKE, ...inline.flatMap((p) => JSON.parse(p.policy).Statement)] };

  test("is on the plan role only", () => {
    expect(inline).toEqual([expect.objectContaining({ name: "deny-data-reads", role: expect.stringMatching(/^\$\{aws_iam_role\.prod_plan-role_\w+\.name\}$/) })]);
  });

  test.each([
    ["s3:GetObject", "arn:aws:s3:::acme-prod-files/served/a.txt"],
    ["s3:GetObjectVersion", "arn:aws:s3:::acme-prod-files/a"],
    ["dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:222222222222:table/apigw-prod-users"],
    ["dynamodb:Query", "arn:aws:dynamodb:eu-west-1:222222222222:table/apigw-prod-users"],
    ["dynamodb:Scan", "arn:aws:dynamodb:eu-west-1:222222222222:table/apigw-prod-users"],
    ["kinesis:GetRecords", "arn:aws:kinesis:eu-west-1:222222222222:stream/apigw-prod-events"],
    ["logs:GetLogEvents", "arn:aws:logs:eu-west-1:222222222222:log-group:x:log-stream:y"],
    ["logs:FilterLogEvents", "arn:aws:logs:eu-west-1:222222222222:log-group:x"],
    ["secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-AbCdEf"],
    ["ssm:GetParameter", "arn:aws:ssm:eu-west-1:222222222222:parameter/db/password"],
    ["sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:222222222222:apigw-prod-orders"],
    ["kms:Decrypt", "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    ["cognito-idp:ListUsers", "arn:aws:cognito-idp:eu-west-1:222222222222:userpool/eu-west-1_PrdPool01"],
    ["ecr:BatchGetImage", "arn:aws:ecr:eu-west-1:222222222222:repository/app"],
    ["cognito-idp:DescribeUserPoolClient", "arn:aws:cognito-idp:eu-west-1:222222222222:userpool/eu-west-1_PrdPool01"],
    ["xray:BatchGetTraces", "*"],
    ["s3:GetObjectVersionForReplication", "arn:aws:s3:::acme-prod-files/served/a.txt"],
    ["states:DescribeExecution", "arn:aws:states:eu-west-1:222222222222:execution:orders:1"],
    ["states:GetExecutionHistory", "arn:aws:states:eu-west-1:222222222222:execution:orders:1"],
    ["cognito-idp:DescribeIdentityProvider", "arn:aws:cognito-idp:eu-west-1:222222222222:userpool/eu-west-1_PrdPool01"],
    ["s3-object-lambda:GetObject", "arn:aws:s3-object-lambda:eu-west-1:222222222222:accesspoint/files"],
    ["xray:ListRetrievedTraces", "*"],
  ])("denies %s", (action, resource) => {
    expect(evaluate(policy, { action, resource })).toBe("ExplicitDeny");
  });


  test.each([
    ["apigateway:GET", "arn:aws:apigateway:eu-west-1::/restapis/abc"],
    ["lambda:GetFunction", "arn:aws:lambda:eu-west-1:222222222222:function:apigw-prod-hello"],
    ["iam:GetRole", "arn:aws:iam::222222222222:role/apigw-prod-hello"],
    ["dynamodb:DescribeTable", "arn:aws:dynamodb:eu-west-1:222222222222:table/apigw-prod-users"],
    ["s3:GetBucketPolicy", "arn:aws:s3:::acme-prod-events"],
    ["s3:GetEncryptionConfiguration", "arn:aws:s3:::acme-prod-events"],
    ["kinesis:DescribeStreamSummary", "arn:aws:kinesis:eu-west-1:222222222222:stream/apigw-prod-events"],
    ["logs:DescribeLogGroups", "arn:aws:logs:eu-west-1:222222222222:log-group:*"],
    ["sqs:GetQueueAttributes", "arn:aws:sqs:eu-west-1:222222222222:apigw-prod-orders"],
  ])("still allows refresh: %s", (action, resource) => {
    expect(evaluate(policy, { action, resource })).toBe("Allow");
  });
});

const KEY = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("TfcWorkspace plan role with refreshed objects and function environment keys", () => {
  // The provider refreshes an aws_s3_object with HeadObject, authorized as s3:GetObject.
  const stack = new TerraformStack(Testing.app(), "tfc");
  new TfeProvider(stack, "tfe");
  const aws = new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const oidcProvider = new TfcAwsOidcProvider(stack, "oidc", { provider: aws });
  new TfcWorkspace(stack, "prod", { name: "apigw-prod", organization: "acme", project: { id: "prj-1", name: "p" }, workingDirectory: "cdktf.out/stacks/prod", awsRunRole: { provider: aws, oidcProvider, roleName: "apigw-tfc-prod", policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], refreshedObjectArns: ["arn:aws:s3:::apigw-prod-truststores-*/*"], functionEnvironmentKeyArns: [KEY] } });
  const inline = Object.values<any>(resourcesOf(synthesize(stack), "aws_iam_role_policy"));
  const policy = { Statement: [...READ_ONLY_LIKE, ...inline.flatMap((p) => JSON.parse(p.policy).Statement)] };

  test.each([
    ["s3:GetObject", "arn:aws:s3:::apigw-prod-truststores-20261203abcdef/publicApi/partners.pem", "Allow"],
    ["s3:GetObject", "arn:aws:s3:::acme-prod-files/served/a.txt", "ExplicitDeny"],
    ["dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:222222222222:table/apigw-prod-users", "ExplicitDeny"],
  ])("%s on %s: %s", (action, resource, verdict) => {
    expect(evaluate(policy, { action, resource })).toBe(verdict);
  });

  // Lambda hands a function's CMK-encrypted environment variables only to callers that may decrypt
  // them, and ReadOnlyAccess has no kms:Decrypt: a refresh without it would plan them as added.
  test.each([
    ["through Lambda, with the environment key", KEY, "lambda.eu-west-1.amazonaws.com", "Allow"],
    ["through S3, with the environment key", KEY, "s3.eu-west-1.amazonaws.com", "ExplicitDeny"],
    ["directly, with the environment key", KEY, undefined, "ExplicitDeny"],
    ["through Lambda, with another key", "arn:aws:kms:eu-west-1:222222222222:key/ffffffff-12ab-34cd-56ef-1234567890ab", "lambda.eu-west-1.amazonaws.com", "ImplicitDeny"],
  ])("kms:Decrypt %s: %s", (_, resource, via, verdict) => {
    expect(evaluate(policy, { action: "kms:Decrypt", resource, context: via ? { "kms:ViaService": via } : {} })).toBe(verdict);
  });
});

describe("TfcWorkspace plan role and API keys", () => {
  // GetApiKeys and GetUsagePlanKeys (includeValues) return every key's value; the provider refreshes
  // an aws_api_gateway_api_key with GetApiKey includeValue=true.
  const planPolicy = (refreshedApiKeyTag?: { key: string; values: string[] }) => {
    const stack = new TerraformStack(Testing.app(), "tfc");
    new TfeProvider(stack, "tfe");
    const aws = new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const oidcProvider = new TfcAwsOidcProvider(stack, "oidc", { provider: aws });
    new TfcWorkspace(stack, "prod", { name: "apigw-prod", organization: "acme", project: { id: "prj-1", name: "p" }, workingDirectory: "cdktf.out/stacks/prod", awsRunRole: { provider: aws, oidcProvider, roleName: "apigw-tfc-prod", policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], ...(refreshedApiKeyTag ? { refreshedApiKeyTag } : {}) } });
    const inline = Object.values<any>(resourcesOf(synthesize(stack), "aws_iam_role_policy"));
    return { Statement: [...READ_ONLY_LIKE, ...inline.flatMap((p) => JSON.parse(p.policy).Statement)] };
  };
  const API_KEY = "arn:aws:apigateway:eu-west-1::/apikeys/k1l2m3n4o5";
  const PLAN_KEY = "arn:aws:apigateway:eu-west-1::/usageplans/a1b2c3/keys/k1l2m3n4o5";
  const tagged = planPolicy({ key: "environment", values: ["prod"] });
  const untagged = planPolicy();

  test.each([
    ["the list of API keys", "ExplicitDeny", tagged, "arn:aws:apigateway:eu-west-1::/apikeys", {}],
    ["a usage plan's keys", "ExplicitDeny", tagged, "arn:aws:apigateway:eu-west-1::/usageplans/a1b2c3/keys", {}],
    ["a key of the stack", "Allow", tagged, API_KEY, { "aws:ResourceTag/environment": "prod" }],
    ["a key of another environment", "ExplicitDeny", tagged, API_KEY, { "aws:ResourceTag/environment": "staging" }],
    ["a key without the tag", "ExplicitDeny", tagged, API_KEY, {}],
    ["a usage plan key of the stack", "Allow", tagged, `${PLAN_KEY}`, { "aws:ResourceTag/environment": "prod" }],
    ["a usage plan key of another environment", "ExplicitDeny", tagged, `${PLAN_KEY}`, { "aws:ResourceTag/environment": "staging" }],
    ["a usage plan key without the tag (the refresh must not fail)", "Allow", tagged, `${PLAN_KEY}`, {}],
    ["any key, without refreshedApiKeyTag", "ExplicitDeny", untagged, API_KEY, { "aws:ResourceTag/environment": "prod" }],
    ["a REST API, without refreshedApiKeyTag", "Allow", untagged, "arn:aws:apigateway:eu-west-1::/restapis/abc", {}],
  ])("apigateway:GET on %s: %s", (_, verdict, policy, resource, context) => {
    expect(evaluate(policy, { action: "apigateway:GET", resource, context })).toBe(verdict);
  });
});
