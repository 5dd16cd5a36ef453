import { lambdaPermissionRoute } from "../../policy/rules/lambda-security";
import { StackView } from "../../policy/stack";

const permission = (source_arn: string, principal = "apigateway.amazonaws.com") =>
  new StackView("fixture", { resource: { aws_lambda_permission: { p: { action: "lambda:InvokeFunction", function_name: "f", principal, source_arn } } } });
const EXEC = "${aws_api_gateway_rest_api.api.execution_arn}";

describe("APIGW-LAMBDA-PERMISSION-ROUTE", () => {
  test.each<[string, StackView, string[]]>([
    ["compliant: one method and path", permission(`${EXEC}/*/GET/files/*`), []],
    ["compliant: an authorizer", permission(`${EXEC}/authorizers/abc123`), []],
    ["compliant: a WebSocket route", permission("${aws_apigatewayv2_api.ws.execution_arn}/prod/$connect"), []],
    ["compliant: a literal ARN naming the route", permission("arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/POST/orders"), []],
    ["not applicable: another principal", permission(`${EXEC}/*`, "events.amazonaws.com"), []],
    ["insecure: the whole API", permission(`${EXEC}/*`), ["aws_lambda_permission.p"]],
    ["insecure: any stage, any route", permission(`${EXEC}/*/*`), ["aws_lambda_permission.p"]],
    ["insecure: a literal ARN with every route", permission("arn:aws:execute-api:eu-west-1:111111111111:abc123/*/*/*"), ["aws_lambda_permission.p"]],
  ])("%s", (_name, stack, expected) => {
    expect(lambdaPermissionRoute.check(stack).map((v) => v.address)).toEqual(expected);
  });
});
