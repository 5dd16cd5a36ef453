import { blocks, StackView } from "../stack";
import type { Rule } from "../types";

export const logGroupCustomerKey: Rule = {
  id: "APIGW-LOG-GROUP-CMK",
  severity: "warning",
  message: "A log group should be encrypted with a customer managed KMS key",
  explanation:
    "Access and function logs hold client IPs, object keys and request paths. With an AWS-owned key anyone allowed logs:GetLogEvents reads them, and disabling access means editing every IAM policy; a customer managed key (kms_key_id) adds its key policy as a second gate and makes every decryption auditable. Set logging.kmsKeyArn; the key policy must allow logs.<region>.amazonaws.com (README, Security).",
  equivalents: { checkov: ["CKV_AWS_158"], trivy: ["AVD-AWS-0017"] },
  references: ["AWS docs: Encrypt log data in CloudWatch Logs using AWS KMS"],
  check: (stack) =>
    stack
      .resources("aws_cloudwatch_log_group")
      .filter((group) => typeof group.body.kms_key_id !== "string" || group.body.kms_key_id === "")
      .map((group) => ({ address: group.address })),
};

const STAGES = ["aws_api_gateway_stage", "aws_apigatewayv2_stage"];

/** Each stage's access log format, when it has one. */
function accessLogFormats(stack: StackView): { address: string; format: string }[] {
  return STAGES.flatMap((type) =>
    stack.resources(type).flatMap((stage) => {
      const format = blocks(stage.body.access_log_settings)[0]?.format;
      return typeof format === "string" ? [{ address: stage.address, format }] : [];
    }),
  );
}

export const accessLogNoSecrets: Rule = {
  id: "APIGW-ACCESS-LOG-SECRETS",
  severity: "error",
  message: "An access log format must not log the API key ($context.identity.apiKey)",
  explanation:
    "$context.identity.apiKey writes each caller's API key in clear text into CloudWatch Logs, where everyone who may read the logs can replay it. Log $context.identity.apiKeyId, which identifies the key without revealing it.",
  references: ["AWS docs: Variables for access logging in API Gateway ($context.identity.apiKey, $context.identity.apiKeyId)"],
  check: (stack) =>
    accessLogFormats(stack)
      .filter(({ format }) => /\$context\.identity\.apiKey(?![A-Za-z0-9_])/.test(format))
      .map(({ address }) => ({ address, detail: "it contains $context.identity.apiKey" })),
};

/** Authorizer variables that describe the authorizer's run, not who called. */
const AUTHORIZER_META = ["error", "status", "latency", "integrationLatency", "integrationStatus", "requestId"];

/** Whether a format logs who called: an API key id, an IAM caller, a JWT claim or a Lambda authorizer's principal. */
function logsCaller(format: string): boolean {
  if (/\$context\.identity\.(apiKeyId|caller|user|userArn|cognitoIdentityId|accountId|clientCert\.subjectDN)\b/.test(format)) return true;
  return [...format.matchAll(/\$context\.authorizer\.([A-Za-z0-9_]+)/g)].some(([, key]) => !AUTHORIZER_META.includes(key));
}

export const accessLogCaller: Rule = {
  id: "APIGW-ACCESS-LOG-CALLER",
  severity: "warning",
  message: "An access log format should record the caller's identity",
  explanation:
    "An access log without the caller traces a request to an IP address only, never to a key, role or user. Log $context.identity.apiKeyId (API keys), $context.identity.userArn / caller (SigV4), $context.authorizer.claims.sub and client_id (JWT) or $context.authorizer.principalId (Lambda authorizers).",
  equivalents: { checkov: ["CKV_AWS_76", "CKV_AWS_95"] },
  references: ["AWS docs: Variables for access logging in API Gateway", "AWS docs: Customize HTTP API access logs ($context.authorizer.claims.property)"],
  check: (stack) =>
    accessLogFormats(stack)
      .filter(({ format }) => !logsCaller(format))
      .map(({ address }) => ({ address })),
};
