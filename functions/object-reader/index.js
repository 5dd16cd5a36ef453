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
 * Headers that make a browser save the object instead of rendering it: an HTML or SVG object
 * shown on the private domain would run its scripts there (stored XSS). `filename*` (RFC 6266,
 * RFC 5987) carries any name; `filename` is its ASCII fallback.
 * @param {string} key
 */
function downloadHeaders(key) {
  const name = key.split("/").pop() || "download";
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return {
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  };
}

/**
 * @param {{ s3: { send: (command: GetObjectCommand) => Promise<any> }, bucket: string, keyPrefix?: string }} deps
 * @returns {(event: { pathParameters?: Record<string, string | undefined> | null }) => Promise<object>}
 */
function createHandler({ s3, bucket, keyPrefix = "" }) {
  return async (event) => {
    const key = event.pathParameters?.key;
    if (!key) return error(400, "missing object key");
    // S3 keys are opaque, but a `..` segment or a leading `/` reads as a path out of the prefix to
    // whatever joins, logs or proxies the key later; no object the API serves is named so.
    if (key.startsWith("/") || key.split("/").includes("..")) return error(400, "the object key must not start with / nor have a .. segment");
    try {
      // The role may read only under the prefix, so callers name keys relative to it.
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${keyPrefix}${key}` }));
      if (typeof object.ContentLength === "number" && object.ContentLength > MAX_OBJECT_BYTES) {
        return error(413, `object is larger than ${MAX_OBJECT_BYTES} bytes`);
      }
      return {
        statusCode: 200,
        headers: { "content-type": object.ContentType ?? "application/octet-stream", ...downloadHeaders(key) },
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
  handler ??= createHandler({ s3: new S3Client({}), bucket: String(process.env.BUCKET_NAME), keyPrefix: process.env.KEY_PREFIX ?? "" });
  return handler(event);
};
exports.createHandler = createHandler;
