// @ts-check
// GET /files/{key}: returns one object of the configured bucket. The AWS SDK v3 ships with
// the nodejs22.x runtime, so the bundle is this file alone.
const { GetObjectCommand, S3Client } = require("@aws-sdk/client-s3");

/** Lambda's response payload limit is 6 MB; base64 adds a third. */
const MAX_OBJECT_BYTES = 4 * 1024 * 1024;

/** @param {number} statusCode @param {string} message */
function error(statusCode, message) {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) };
}

/**
 * @param {{ s3: { send: (command: GetObjectCommand) => Promise<any> }, bucket: string }} deps
 * @returns {(event: { pathParameters?: Record<string, string | undefined> | null }) => Promise<object>}
 */
function createHandler({ s3, bucket }) {
  return async (event) => {
    const key = event.pathParameters?.key;
    if (!key) return error(400, "missing object key");
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (typeof object.ContentLength === "number" && object.ContentLength > MAX_OBJECT_BYTES) {
        return error(413, `object is larger than ${MAX_OBJECT_BYTES} bytes`);
      }
      return {
        statusCode: 200,
        headers: { "content-type": object.ContentType ?? "application/octet-stream" },
        body: await object.Body.transformToString("base64"),
        isBase64Encoded: true,
      };
    } catch (e) {
      const name = /** @type {{ name?: string }} */ (e).name;
      // Without s3:ListBucket, S3 answers AccessDenied for a missing key; both mean "not here" to the caller.
      if (name === "NoSuchKey" || name === "AccessDenied") return error(404, "no such object");
      console.error(JSON.stringify({ message: "GetObject failed", key, error: String(e) }));
      return error(502, "could not read the object");
    }
  };
}

/** @type {ReturnType<typeof createHandler> | undefined} */
let handler;

/** @param {Parameters<ReturnType<typeof createHandler>>[0]} event */
exports.handler = async (event) => {
  handler ??= createHandler({ s3: new S3Client({}), bucket: String(process.env.BUCKET_NAME) });
  return handler(event);
};
exports.createHandler = createHandler;
