import { ApiKind, contextVariables, unknownVariables } from "../../modules/shared/access-log-variables";
import { accessLogFormat } from "../../modules/shared/api-support";

const KINDS: ApiKind[] = ["REST", "HTTP", "WEBSOCKET"];

describe("accessLogFormat", () => {
  test.each(KINDS)("%s logs only variables AWS lists for the kind", (kind) => {
    const format = accessLogFormat(kind);
    expect(contextVariables(format).length).toBeGreaterThan(10);
    expect(unknownVariables(kind, format)).toEqual([]);
  });

  // Who called, where the kind has it (security issue 27, item 7), and what an operator reads first.
  test.each<[ApiKind, string[]]>([
    ["REST", ["identity.userArn", "identity.caller", "authorizer.principalId", "authorizer.claims.sub", "identity.apiKeyId", "requestId", "extendedRequestId", "integration.error", "integrationLatency", "authorizer.error", "waf.error", "responseLatency"]],
    ["HTTP", ["identity.userArn", "identity.caller", "authorizer.principalId", "authorizer.claims.sub", "requestId", "extendedRequestId", "integration.error", "integrationLatency", "authorizer.error", "responseLatency"]],
    ["WEBSOCKET", ["identity.userArn", "identity.caller", "authorizer.principalId", "requestId", "extendedRequestId", "integration.error", "integrationLatency", "authorizer.error"]],
  ])("%s logs the caller and the errors", (kind, expected) => {
    expect(contextVariables(accessLogFormat(kind))).toEqual(expect.arrayContaining(expected));
  });

  test.each<[ApiKind, string, string[]]>([
    ["HTTP", "$context.waf.error", ["waf.error"]],
    ["WEBSOCKET", "$context.responseLatency $context.authorizer.claims.sub", ["responseLatency", "authorizer.claims.sub"]],
    ["REST", "$context.identity.userArm", ["identity.userArm"]],
    ["REST", "$context.authorizer.claims.client_id", []],
  ])("%s does not know %s", (kind, format, unknown) => {
    expect(unknownVariables(kind, format)).toEqual(unknown);
  });

  test("every format is one JSON object per line, which the metric filters read", () => {
    for (const kind of KINDS) expect(JSON.parse(accessLogFormat(kind)).status).toBe("$context.status");
  });
});
