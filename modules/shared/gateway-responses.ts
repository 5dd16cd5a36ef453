/**
 * API Gateway's own answers (missing key, refused token, throttling, invalid body, integration
 * failure) as JSON with a message and the request id, and nothing else a caller could learn the
 * internals from; with CORS, readable by the browser app that called.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */

export const GATEWAY_RESPONSE_TYPES = ["DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "QUOTA_EXCEEDED", "INVALID_API_KEY", "BAD_REQUEST_BODY"] as const;

/**
 * `$context.error.messageString` is the message quoted as a JSON string; the detail of a body
 * validation error (`$context.error.validationErrorString`) is left out on purpose.
 */
export const GATEWAY_RESPONSE_TEMPLATE = '{"message":$context.error.messageString,"requestId":"$context.requestId"}';

/** `x-amazon-apigateway-gateway-responses`, with `headers` (gateway response header mappings) on each. */
export function gatewayResponses(headers: Readonly<Record<string, string>> = {}): Record<string, object> {
  return Object.fromEntries(
    GATEWAY_RESPONSE_TYPES.map((type) => [
      type,
      {
        ...(Object.keys(headers).length ? { responseParameters: { ...headers } } : {}),
        responseTemplates: { "application/json": GATEWAY_RESPONSE_TEMPLATE },
      },
    ]),
  );
}
