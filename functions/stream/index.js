// @ts-check
// GET /stream on the public REST API: a response-streaming function (responseTransferMode STREAM).
// API Gateway calls it with InvokeWithResponseStream and passes each write on to the client as it
// comes, so the first bytes leave before the last are computed; a buffered answer would wait for
// all of them (and stop at 29 seconds and 10 MB).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode-lambda.html

const CORS = process.env.CORS_ALLOW_ORIGIN ? { "access-control-allow-origin": process.env.CORS_ALLOW_ORIGIN } : {};
const MAX_PARTS = 20;

/**
 * Writes `parts` lines of newline-delimited JSON (?parts=, 1 to 20, default 5), one at a time.
 * @param {{ queryStringParameters?: Record<string, string | undefined> | null }} event
 * @param {NodeJS.WritableStream} responseStream
 * @param {{ HttpResponseStream: { from(stream: NodeJS.WritableStream, metadata: object): NodeJS.WritableStream } }} runtime
 * @param {(ms: number) => Promise<void>} pause
 */
async function stream(event, responseStream, runtime, pause) {
  const asked = Number(event.queryStringParameters?.parts ?? 5);
  const valid = Number.isInteger(asked) && asked >= 1 && asked <= MAX_PARTS;
  // The metadata (status and headers) goes first; API Gateway needs it before any payload byte.
  const out = runtime.HttpResponseStream.from(responseStream, {
    statusCode: valid ? 200 : 400,
    headers: { "content-type": "application/x-ndjson", ...CORS },
  });
  if (!valid) {
    out.write(`${JSON.stringify({ message: `parts must be a whole number from 1 to ${MAX_PARTS}` })}\n`);
    out.end();
    return;
  }
  for (let part = 1; part <= asked; part++) {
    out.write(`${JSON.stringify({ part, of: asked })}\n`);
    // The stream's idle timeout (the longest gap between writes) is 30 s on EDGE endpoints.
    if (part < asked) await pause(200);
  }
  out.end();
}
exports.stream = stream;

// `awslambda` is a global of the Lambda Node.js runtime only; tests call `stream` themselves.
/** @type {any} */
const runtime = /** @type {any} */ (globalThis).awslambda;
if (runtime) {
  exports.handler = runtime.streamifyResponse(
    /** @param {any} event @param {NodeJS.WritableStream} responseStream */
    (event, responseStream) => stream(event, responseStream, runtime, (ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  );
}
