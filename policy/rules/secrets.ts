import { blocks, Body, referencesIn } from "../stack";
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

/** Attributes that hold a secret: an API key's value, a private key, a secret or password. */
const SECRET_ATTRIBUTE = /^(value|private_key_pem|private_key_openssh|private_key_pem_pkcs8|secret|secret_string|password|master_password|client_secret|token|access_key_secret|ses_smtp_password_v4)$/;
/** Resource types whose `value` attribute (above) is a secret; elsewhere `value` is often not. */
const SECRET_VALUE_TYPES = /^(aws_api_gateway_api_key|aws_ssm_parameter|random_password|tls_private_key)$/;
/** Names of variables that carry secrets, in environment and stage variables. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** A literal (no `${...}`) that is not empty. */
const literal = (value: unknown): value is string => typeof value === "string" && value !== "" && !value.includes("${");

export const secretsInConfiguration: Rule = {
  id: "APIGW-SECRET-LITERALS",
  severity: "error",
  message: "No secret may be written in the configuration or exposed by an output: no literal secret in Lambda environment or stage variables, no private key, no non-sensitive output of a secret attribute",
  explanation:
    "Everything in the configuration is in the repository, the synthesized JSON, every plan and the state; a Lambda environment variable is readable by anyone allowed lambda:GetFunctionConfiguration, and a stage variable by anyone allowed apigateway:GET, and is passed to integrations and mapping templates. A variable named like a secret (SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIAL) with a literal value, a PEM private key anywhere, and an output that returns a secret attribute (an API key's value, a private key, a password) without `sensitive: true` are refused. Keep secrets in Secrets Manager or SSM SecureString and pass their ARN or name; read API key values with `aws apigateway get-api-key --include-value`.",
  references: ["AWS docs: Securing Lambda environment variables", "AWS docs: Stage variables for a REST API (not for sensitive data)", "Terraform docs: Output values (sensitive)"],
  check: (stack) => {
    const environmentProblems = stack.resources("aws_lambda_function").flatMap((fn) =>
      blocks(fn.body.environment)
        .flatMap((e) => Object.entries<unknown>(e.variables ?? {}))
        .filter(([name, value]) => SECRET_NAME.test(name) && literal(value))
        .map(([name]) => ({ address: fn.address, detail: `environment variable ${name} has a literal value` })),
    );
    const stageProblems = [...stack.resources("aws_api_gateway_stage"), ...stack.resources("aws_apigatewayv2_stage")].flatMap((stage) =>
      Object.entries<unknown>(stage.body.variables ?? stage.body.stage_variables ?? {})
        .filter(([name, value]) => SECRET_NAME.test(name) && literal(value))
        .map(([name]) => ({ address: stage.address, detail: `stage variable ${name} has a literal value` })),
    );
    const keyProblems = Object.entries<Record<string, Body>>(stack.json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, body]) => PRIVATE_KEY.test(JSON.stringify(body)))
        .map(([name]) => ({ address: `${type}.${name}`, detail: "holds a PEM private key" })),
    );
    const outputProblems = Object.entries<Body>(stack.json.output ?? {})
      .filter(([, output]) => output.sensitive !== true)
      .filter(([, output]) => referencesIn(output.value).some((r) => r.attribute !== undefined && SECRET_ATTRIBUTE.test(r.attribute) && (r.attribute !== "value" || SECRET_VALUE_TYPES.test(r.address.replace(/^data\./, "").split(".")[0]))))
      .map(([name]) => ({ address: `output.${name}`, detail: "returns a secret attribute without sensitive: true" }));
    return [...environmentProblems, ...stageProblems, ...keyProblems, ...outputProblems];
  },
};
