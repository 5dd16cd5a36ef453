/**
 * The bench's route-scale scenario (`scripts/bench.sh`): one stack with a private REST API of
 * N routes, read through the OpenAPI import as a generated document, and an HTTP API of N
 * routes, synthesized with the policy check as `npm run synth` does (warnings only: so many
 * routes exceed adjustable quotas). Usage: scale-routes <routes> <outdir>
 */
import { App } from "cdktf";
import { ExecuteApiVpcEndpoint } from "../modules/execute-api-vpc-endpoint";
import { HttpApi, HttpRouteAuthorization } from "../modules/http-api";
import { LambdaFunction } from "../modules/lambda-function";
import { RestApi } from "../modules/rest-api";
import { routesFromOpenApi } from "../modules/shared/openapi-import";
import { applyPolicy } from "../policy/aspect";
import { ALL_RULES } from "../policy/rules";
import { PlatformStack } from "../stacks/platform-stack";

class ScaleStack extends PlatformStack {}

const [count, outdir] = [Number(process.argv[2]), process.argv[3]];
if (!Number.isInteger(count) || count < 1 || !outdir) throw new Error("usage: scale-routes <routes> <outdir>");

const app = new App({ outdir });
const stack = new ScaleStack(app, "scale", { region: "eu-west-1", backend: { kind: "local" }, layout: { outdir, projectDir: process.cwd() }, tags: {} });
// Twenty routes per top-level resource, as a real API groups them, each group with a function of its
// own: a function's resource policy holds the permissions of at most 40 routes of both APIs.
const groups = Math.ceil(count / 20);
const backends = Object.fromEntries(
  Array.from({ length: groups }, (_, g) => [`scale${g}`, LambdaFunction.fromFunctionArn(stack, `arn:aws:lambda:eu-west-1:111111111111:function:scale${g}`)]),
);
const paths = Array.from({ length: count }, (_, i) => `/group${Math.floor(i / 20)}/item${i % 20}/{id}`);
const backendOf = (i: number) => `scale${Math.floor(i / 20)}`;
const document = {
  openapi: "3.0.3",
  info: { title: "scale", version: "1" },
  paths: Object.fromEntries(
    paths.map((path, i) => [
      path,
      { get: { operationId: `get${i}`, parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], "x-apigw-backend": { function: backendOf(i) }, responses: { "200": { description: "ok" } } } },
    ]),
  ),
};
new RestApi(stack, "rest", {
  name: "scale-rest",
  endpointType: "PRIVATE",
  vpcEndpoints: [ExecuteApiVpcEndpoint.fromEndpointId(stack, "vpce-0123456789abcdef0")],
  routes: routesFromOpenApi({ file: "generated.openapi.json", document }, { functions: backends, existingFunction: (name) => backends[name] }),
  stage: { stageName: "scale", logRetentionDays: 14, throttling: { rateLimit: 50, burstLimit: 100 } },
});
new HttpApi(stack, "http", {
  name: "scale-http",
  authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Scale0001", audiences: ["scale"] },
  routes: paths.map((path, i) => ({ method: "GET" as const, path, function: backends[backendOf(i)], authorization: HttpRouteAuthorization.jwt() })),
  logRetentionDays: 14,
  throttling: { rateLimit: 50, burstLimit: 100 },
});
applyPolicy(app, { rules: ALL_RULES, suppressions: [], mode: "warn", warn: () => undefined });
app.synth();
