import type { Rule } from "../types";

export const apiKeyLiteralValue: Rule = {
  id: "APIGW-API-KEY-VALUE",
  severity: "error",
  message: "An API key must not have a literal value in the configuration",
  explanation:
    "A `value` written in the configuration is in the repository, in every synthesized output and in every plan. Leave value unset so that API Gateway generates the key, and read it with `aws apigateway get-api-key --include-value`.",
  references: ["Terraform AWS provider docs: aws_api_gateway_api_key (value, sensitive)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_api_key")
      .filter((key) => typeof key.body.value === "string" && !key.body.value.includes("${"))
      .map((key) => ({ address: key.address })),
};

export const apiKeysInLocalState: Rule = {
  id: "APIGW-API-KEY-LOCAL-STATE",
  severity: "warning",
  message: "A stack with API keys should keep its state in an encrypted remote backend, not in a local file",
  explanation:
    "Terraform stores every API key's value in the state in plain text, generated or not. A local terraform.<stack>.tfstate sits unencrypted on whichever laptop or CI runner applied it. Use S3 with a KMS key (s3Backend.kmsKeyId) or Terraform Cloud; requireEncryptedState in the environment file makes the synth refuse anything else.",
  references: ["Terraform docs: Sensitive data in state", "Terraform docs: Backend configuration (s3 kms_key_id)"],
  check: (stack) => {
    const backend = stack.json.terraform?.backend ?? {};
    const remote = stack.json.terraform?.cloud !== undefined || Object.keys(backend).some((kind) => kind !== "local");
    return remote ? [] : stack.resources("aws_api_gateway_api_key").map((key) => ({ address: key.address }));
  },
};
