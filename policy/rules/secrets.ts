import { describeRoute, restDefinition } from "../rest-routes";
import { blocks, Body, expressionsIn, isTrue, referencesIn, soleReference } from "../stack";
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
const SECRET_ATTRIBUTE = /^(value|values|plaintext|private_key_pem|private_key_openssh|private_key_pem_pkcs8|secret|secret_string|secret_binary|password|master_password|random_password|service_password|client_secret|token|access_key_secret|ses_smtp_password_v4)$/;
/** Resource types whose `value` attribute (above) is a secret; elsewhere `value` is often not (usage plan keys: below). */
const SECRET_VALUE_TYPES = /^(aws_api_gateway_api_key|aws_ssm_parameter|aws_ssm_parameters_by_path|random_password|tls_private_key)$/;
/** Names of variables that carry secrets, in environment and stage variables. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API[_-]?KEY|(?:PRIVATE|SIGNING|HMAC|ENCRYPTION|MASTER|CLIENT|BACKEND|AUTH|JWT|SESSION|COOKIE|WEBHOOK)[_-]?KEY|CREDENTIAL|CREDS)|(?:^|[_-])(?:PASS|PWD)(?:[_-]|$)/i;
/**
 * Names that say what a value is about a secret, not the secret: its issuer, its header, the id,
 * name, ARN or URL of where it is kept, a policy or a lifetime (TOKEN_ISSUER, API_KEY_HEADER,
 * DB_SECRET_ID, PASSWORD_POLICY, tokenUrl).
 */
const ABOUT_A_SECRET =
  /(?:_|(?<=[a-z]))(?:ISSUER|USE|HEADER|ID|NAME|ARN|URL|URI|ENDPOINT|HOST|PORT|POLICY|TTL|LENGTH|SIZE|TYPE|FORMAT|REGION|PATH|SCOPES?|AUDIENCES?|EXPIRY|LIFETIME|ROTATION_DAYS|ALG|ALGORITHM|LOCATION|SOURCE|MODE|LEVEL|ENABLED|ALIAS|VERSION|PREFIX|COUNT)$/i;
/** A public key is no secret; the Parameters and Secrets Lambda Extension's settings (PARAMETERS_SECRETS_EXTENSION_*) are settings. */
const NOT_A_SECRET_NAME = /PUBLIC|^PARAMETERS_SECRETS_EXTENSION_/i;
const namesASecret = (name: string) => SECRET_NAME.test(name) && !ABOUT_A_SECRET.test(name) && !NOT_A_SECRET_NAME.test(name);
/** Values that are credentials whatever the variable is called: HTTP authorization values and JWTs. */
const CREDENTIAL_VALUE =
  /^'?(?:Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{8,}|\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*|\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_-]{30,}|:\/\/[^/\s:@]*:[^/\s@]+@|(?:^|;)\s*(?:Password|Pwd)\s*=\s*[^;\s]+|"kty"\s*:[^}]*"d"\s*:\s*"|\bhooks\.slack\.com\/services\/|\bdiscord(?:app)?\.com\/api\/webhooks\/|^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9/+])[A-Za-z0-9/+]{40}$/;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Literals that only name or size a secret: an ARN, an SSM parameter path, a number, a boolean, an https URL without credentials. */
const NOT_A_SECRET = /^(-----BEGIN (?:PUBLIC KEY|CERTIFICATE)-----[\s\S]*|arn:aws[a-z-]*:\S+|\/[\w.-]+(\/[\w.-]+)+|\d+(\.\d+)?|true|false|https:\/\/[^\s:@/]+(\/\S*)?)$/i;
/** A value's text if it is base64 (a private key is often passed so), else the value. */
const decodedBase64 = (value: string) => (/^[A-Za-z0-9+/]{40,}={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("latin1") : value);
/**
 * A literal that is not empty: no `${...}`, or only expressions of constants (`${base64decode("...")}`,
 * `${join("", ["a", "b"])}`), whose value is in the configuration all the same.
 */
const literal = (value: unknown): value is string =>
  typeof value === "string" && value !== "" && (!value.includes("${") || expressionsIn(value).every((e) => referencesIn(`\${${e}}`).length === 0 && !/(?<![\w.])(?:var|local|each|count|self|path|terraform)\./.test(e)));
/** An AWS access key id: a credential, whatever the variable is called. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;

/** Types whose objects hold a secret attribute: a reference to the whole object reaches it. */
const SECRET_HOLDERS = /^(aws_api_gateway_api_key|aws_ssm_parameter|aws_ssm_parameters_by_path|aws_kms_secrets|random_password|tls_private_key|aws_secretsmanager_secret_version|aws_iam_access_key|aws_db_instance|aws_rds_cluster|aws_lambda_function)$/;

/** A secret attribute a reference reads, such as data.aws_secretsmanager_secret_version.db.secret_string, or a whole object that holds one. */
function secretReference(value: unknown): string | undefined {
  const reference = referencesIn(value).find(
    (r) =>
      (r.attribute === undefined && SECRET_HOLDERS.test(r.address.replace(/^data\./, "").split(".")[0])) ||
      // A function's environment, as a plan reads it back: decrypted.
      (r.attribute === "environment" && /^(data\.)?aws_lambda_function\./.test(r.address)) ||
      (r.attribute !== undefined && (SECRET_ATTRIBUTE.test(r.attribute) || (r.attribute === "result" && /^random_password\./.test(r.address))) && (r.attribute !== "value" || SECRET_VALUE_TYPES.test(r.address.replace(/^data\./, "").split(".")[0]))),
  );
  return reference && (reference.attribute ? `${reference.address}.${reference.attribute}` : `${reference.address} (the whole object)`);
}

/** Every block whose expressions Terraform evaluates: resources, data sources, outputs, locals, variables, checks. */
function allBlocks(stack: { json: Body }): [string, Body][] {
  const named = (prefix: string, byName: Record<string, Body> | undefined) => Object.entries(byName ?? {}).map(([name, body]) => [`${prefix}${name}`, body] as [string, Body]);
  return [
    ...Object.entries<Record<string, Body>>(stack.json.resource ?? {}).flatMap(([type, byName]) => named(`${type}.`, byName)),
    ...Object.entries<Record<string, Body>>(stack.json.data ?? {}).flatMap(([type, byName]) => named(`data.${type}.`, byName)),
    ...named("output.", stack.json.output),
    ...named("local.", stack.json.locals),
    ...named("variable.", stack.json.variable),
    ...Object.entries<unknown>(stack.json.check ?? {}).map(([name, body]) => [`check.${name}`, body as Body] as [string, Body]),
  ];
}

/** Why a variable (environment, stage or canary override) holds a secret, if it does. */
function variableProblem(kind: string, name: string, value: unknown, secretVariables: ReadonlySet<string>): string | undefined {
  if (namesASecret(name) && literal(value) && !NOT_A_SECRET.test(value)) return `${kind} ${name} has a literal value`;
  const variable = [...JSON.stringify(value ?? "").matchAll(/\bvar\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]).find((v) => secretVariables.has(v));
  if (variable) return `${kind} ${name} reads var.${variable}, a variable with a literal secret default`;
  if (typeof value === "string" && ACCESS_KEY_ID.test(value)) return `${kind} ${name} holds an AWS access key id`;
  if (literal(value) && PRIVATE_KEY.test(decodedBase64(value))) return `${kind} ${name} holds a base64-encoded private key`;
  if (literal(value) && CREDENTIAL_VALUE.test(value)) return `${kind} ${name} holds a credential (an authorization header value or a JWT)`;
  const read = secretReference(value);
  return read ? `${kind} ${name} reads the secret ${read} into the configuration, where it is plain text` : undefined;
}

/** A static integration request parameter ('value' in single quotes) that is a credential, or named like one. */
function staticSecret(name: string, value: unknown): boolean {
  if (!literal(value) || !/^'.*'$/.test(value)) return false;
  const text = value.slice(1, -1);
  // A header named for authentication (Authorization, X-Legacy-Auth) carries a credential whatever it looks like.
  const header = name.split(".").pop() ?? "";
  return CREDENTIAL_VALUE.test(value) || CREDENTIAL_VALUE.test(text) || ((namesASecret(header) || /(?:^|[_-])(?:AUTH|AUTHORIZATION)$/i.test(header)) && text !== "" && !NOT_A_SECRET.test(text));
}

/** Every string in a block body, keys aside. */
const stringsIn = (value: unknown): string[] =>
  typeof value === "string" ? [value] : Array.isArray(value) ? value.flatMap(stringsIn) : value && typeof value === "object" ? Object.values(value).flatMap(stringsIn) : [];

/**
 * Where a secret belongs: the one attribute of a secret store or a resource that takes it, given
 * exactly the reference (a random_password kept in Secrets Manager, an RDS password), and nothing
 * else in that block reading a secret.
 */
const SECRET_SINKS: Readonly<Record<string, string>> = {
  aws_secretsmanager_secret_version: "secret_string",
  aws_ssm_parameter: "value",
  aws_api_gateway_api_key: "value",
  aws_db_instance: "password",
  aws_rds_cluster: "master_password",
};
function storesASecret(address: string, body: Body): boolean {
  const attribute = SECRET_SINKS[address.split(".")[0]];
  if (attribute === undefined || soleReference(body[attribute]) === undefined) return false;
  if (address.startsWith("aws_ssm_parameter.") && body.type !== "SecureString") return false;
  const { [attribute]: _stored, ...rest } = body;
  return secretReference(rest) === undefined;
}

export const secretsInConfiguration: Rule = {
  id: "APIGW-SECRET-LITERALS",
  severity: "error",
  message: "No secret may be written in the configuration or exposed by an output: no literal secret in Lambda environment or stage variables, no private key, no non-sensitive output of a secret attribute",
  explanation:
    "Everything in the configuration is in the repository, the synthesized JSON, every plan and the state; a Lambda environment variable is readable by anyone allowed lambda:GetFunctionConfiguration, and a stage variable by anyone allowed apigateway:GET, and is passed to integrations and mapping templates. A variable (environment, stage, or a canary's override) named like a secret (SECRET, PASSWORD, PASSPHRASE, PASS, PWD, TOKEN, API_KEY, PRIVATE_KEY, SIGNING_KEY, HMAC_KEY, ENCRYPTION_KEY, CREDENTIAL, in any case and with - or _; not a name that says what the value is about one: TOKEN_ISSUER, API_KEY_HEADER, DB_SECRET_ID, PASSWORD_POLICY, tokenUrl) with a literal value, any variable or static integration request parameter holding an AWS access key id, an authorization header value (`Bearer ...`, `Basic ...`), a JWT, a well-known token (sk_live_, ghp_, xoxb-, AIza..., an AWS secret access key's 40 characters, a Slack or Discord webhook URL) or a URL with a password (`postgres://user:pass@host`), a static request parameter named like a secret or reading a secret attribute (a Secrets Manager secret_string, an SSM parameter's value, a random_password) into the configuration, a PEM private key anywhere, and an output that returns a secret attribute (an API key's value, a private key, a password, a Lambda function's environment, or the whole object that holds one) without `sensitive: true`, a Terraform Cloud variable named like a secret with a literal value, any `nonsensitive()` (what it unmarks, a local, a whole object or jsonencode() of one, cannot be told apart from a secret), an input variable named like a secret with a literal default (or a variable reading one), a secret attribute anywhere but as the whole value of a sensitive output or of the attribute that stores it (a random_password as a Secrets Manager secret_string, a SecureString's value, an RDS password) (a function around it can print it: cidrhost(), parseint() and timeadd() name their argument in their errors, and so does a check's or a validation's message), an API key or usage plan key reading its own value through `self` (a Lambda function, its environment), an aws_iam_access_key (its secret lives in the state), a SecureString parameter or secret version with a literal value, and `data \"aws_api_gateway_api_keys\"` with include_values are refused. Values that only name or size a secret (an ARN, a number, a boolean) are not secrets. Keep secrets in Secrets Manager or SSM SecureString and pass their ARN or name; read API key values with `aws apigateway get-api-key --include-value`.",
  references: ["AWS docs: Securing Lambda environment variables", "AWS docs: Stage variables for a REST API (not for sensitive data)", "Terraform docs: Output values (sensitive)"],
  check: (stack) => {
    // Input variables named like secrets whose default is one: the default is the configuration.
    const secretVariables = new Set(Object.entries<Body>(stack.json.variable ?? {}).filter(([name, v]) => namesASecret(name) && literal(v.default) && !NOT_A_SECRET.test(v.default)).map(([name]) => name));
    const variableDefaults = [...secretVariables].map((name) => ({ address: `variable.${name}`, detail: "has a literal secret as its default" }));
    // A sensitive input variable is a secret set at plan time: read into a stage or environment variable, it is stored in plain text there.
    for (const [name, v] of Object.entries<Body>(stack.json.variable ?? {})) if (isTrue(v.sensitive)) secretVariables.add(name);
    const problemsOf = (address: string, kind: string, variables: unknown) =>
      Object.entries<unknown>((variables as Record<string, unknown>) ?? {}).flatMap(([name, value]) => {
        const detail = variableProblem(kind, name, value, secretVariables);
        return detail ? [{ address, detail }] : [];
      });
    // Static request parameters ('Bearer ...' in single quotes) are sent with every integration request.
    // HTTP API parameters are static unless they map a $request, $context or $stageVariables value.
    const httpStatic = (value: unknown) => (literal(value) && !value.startsWith("$") ? `'${value}'` : undefined);
    const integrationProblems = [
      ...stack.resources("aws_api_gateway_integration").map((i) => ({ i, parameters: Object.entries<unknown>((i.body.request_parameters as Record<string, unknown>) ?? {}) })),
      ...stack.resources("aws_apigatewayv2_integration").map((i) => ({ i, parameters: Object.entries<unknown>((i.body.request_parameters as Record<string, unknown>) ?? {}).map(([name, value]) => [name, httpStatic(value)] as [string, unknown]) })),
    ].flatMap(({ i, parameters }) => parameters.filter(([name, value]) => staticSecret(name.replace(/^\w+:/, ""), value)).map(([name]) => ({ address: i.address, detail: `request parameter ${name} holds a credential` })));
    // A secret stored by the configuration is a secret written in it.
    const storedSecrets = [
      ...stack.resources("aws_ssm_parameter").filter((p) => String(p.body.type) === "SecureString" && literal(p.body.value)),
      ...stack.resources("aws_secretsmanager_secret_version").filter((v) => literal(v.body.secret_string) || literal(v.body.secret_binary)),
    ].map((block) => ({ address: block.address, detail: "stores a literal secret: it is in the repository, the synthesized JSON and every plan" }));
    const documentProblems = stack
      .resources("aws_api_gateway_rest_api")
      .flatMap((api) => restDefinition(stack, api).routes)
      .flatMap((route) =>
        Object.entries(route.integration?.requestParameters ?? {})
          .filter(([name, value]) => staticSecret(name, value))
          .map(([name]) => ({ address: route.address, detail: `${describeRoute(route)}: request parameter ${name} holds a credential` })),
      );
    // A Terraform Cloud variable named like a secret with a literal value: sensitive or not, the value is in the repository.
    const workspaceVariables = stack
      .resources("tfe_variable")
      .filter(
        (v) =>
          literal(v.body.value) &&
          (((namesASecret(String(v.body.key)) || /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/i.test(String(v.body.key))) && !NOT_A_SECRET.test(v.body.value)) || ACCESS_KEY_ID.test(v.body.value) || CREDENTIAL_VALUE.test(v.body.value)),
      )
      .map((v) => ({ address: v.address, detail: `${String(v.body.key)} has a literal value${v.body.sensitive === true ? "" : ", not even marked sensitive"}` }));
    const environmentProblems = stack.resources("aws_lambda_function").flatMap((fn) => blocks(fn.body.environment).flatMap((e) => problemsOf(fn.address, "environment variable", e.variables)));
    const stageProblems = [...stack.resources("aws_api_gateway_stage"), ...stack.resources("aws_apigatewayv2_stage")].flatMap((stage) => [
      ...problemsOf(stage.address, "stage variable", stage.body.variables ?? stage.body.stage_variables),
      ...blocks(stage.body.canary_settings).flatMap((c) => problemsOf(stage.address, "canary stage variable override", c.stage_variable_overrides)),
    ]);
    const keyProblems = Object.entries<Record<string, Body>>(stack.json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, body]) => PRIVATE_KEY.test(JSON.stringify(body)) || stringsIn(body).some((v) => PRIVATE_KEY.test(decodedBase64(v))))
        .map(([name]) => ({ address: `${type}.${name}`, detail: "holds a PEM private key" })),
    );
    // nonsensitive() takes Terraform's mark off, so the value prints in plans wherever it goes; what
    // it unmarks (a local, a whole object, jsonencode() of one) cannot be told apart from a secret.
    const unmarked = allBlocks(stack)
      .filter(([, body]) => expressionsIn(body).some((e) => /(?<![\w.-])(?:core::)?nonsensitive\(/.test(e)))
      .map(([address]) => ({ address, detail: "unmarks a sensitive value with nonsensitive()" }));
    // A usage plan key's `value` is the key's, and the provider does not mark it sensitive: any
    // expression that can reach it (the attribute, an index, the whole object) prints it in plans.
    const usagePlanKeyReads = allBlocks(stack)
      .filter(([, body]) => expressionsIn(body).some((text) => [...text.matchAll(/\baws_api_gateway_usage_plan_key\.[A-Za-z0-9_-]+(\.[A-Za-z_]+)?/g)].some((m) => !/^\.(id|key_id|usage_plan_id|key_type|name)$/.test(m[1] ?? ""))))
      .map(([address]) => ({ address, detail: "reads a usage plan key's value, which the provider does not mark sensitive: plans print it" }));
    // A secret attribute anywhere but as the whole value of a sensitive output: an expression around
    // it can print it, marked sensitive or not (cidrhost(), parseint() and timeadd() name their
    // argument in their error; a check's or a validation's message prints what it holds).
    const secretUses = allBlocks(stack)
      .filter(([address, body]) => {
        const read = secretReference(body);
        if (read === undefined) return false;
        if (storesASecret(address, body)) return false;
        return !(address.startsWith("output.") && body.sensitive === true && soleReference(body.value) !== undefined);
      })
      .map(([address, body]) => ({
        address,
        detail:
          address.startsWith("output.") && body.sensitive !== true
            ? `returns the secret ${secretReference(body)} without sensitive: true`
            : `uses the secret ${secretReference(body)} in an expression, where a function's error or a condition's message can print it`,
      }));
    // Every key's value in the account and region.
    const keyLists = stack
      .dataSources("aws_api_gateway_api_keys")
      .filter((d) => isTrue(d.body.include_values))
      .map((d) => ({ address: d.address, detail: "lists every API key with its value" }));
    // Inside the key's own block, `self` is the key: a condition's error_message of self.value prints it.
    const selfReads = [...stack.resources("aws_api_gateway_usage_plan_key"), ...stack.resources("aws_api_gateway_api_key")]
      .filter((key) => expressionsIn(key.body).some((text) => [...text.matchAll(/(?<![\w.])self(\.[A-Za-z_]+|\[)?/g)].some((m) => !/^\.(id|key_id|usage_plan_id|key_type|name)$/.test(m[1] ?? ""))))
      .map((key) => ({ address: key.address, detail: "reads its own value through self, which plans print" }));
    // A function's condition that prints self.environment (or all of self) prints it decrypted.
    const environmentReads = [...stack.resources("aws_lambda_function"), ...stack.dataSources("aws_lambda_function")]
      .filter((fn) => expressionsIn(fn.body).some((text) => [...text.matchAll(/(?<![\w.])self(\.[A-Za-z_]+|\[)?/g)].some((m) => m[1] === undefined || m[1] === ".environment" || m[1] === "[")))
      .map((fn) => ({ address: fn.address, detail: "reads its environment through self, which a condition's message prints" }));
    // Long-lived access keys: the secret is in the state of whoever applies, for as long as the key lives.
    const accessKeys = stack.resources("aws_iam_access_key").map((key) => ({ address: key.address, detail: "creates a long-lived access key, whose secret Terraform keeps in the state" }));
    // A random_string that becomes an API key's value is that key: Terraform does not mark its result sensitive.
    const keyStrings = new Set(stack.resources("aws_api_gateway_api_key").flatMap((k) => referencesIn(k.body.value).filter((r) => r.address.startsWith("random_string.")).map((r) => r.address)));
    const keyStringOutputs = Object.entries<Body>(stack.json.output ?? {})
      .filter(([, output]) => output.sensitive !== true && referencesIn(output.value).some((r) => keyStrings.has(r.address)))
      .map(([name]) => ({ address: `output.${name}`, detail: "returns the random_string an API key takes its value from" }));
    return [...environmentProblems, ...environmentReads, ...accessKeys, ...storedSecrets, ...integrationProblems, ...documentProblems, ...workspaceVariables, ...stageProblems, ...keyProblems, ...unmarked, ...variableDefaults, ...usagePlanKeyReads, ...selfReads, ...keyStringOutputs, ...secretUses, ...keyLists].filter((v, i, all) => all.findIndex((o) => o.address === v.address) === i);
  },
};
