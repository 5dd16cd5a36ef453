// @ts-check
// GET and POST /hello on the public REST API: two functions from one bundle (handlers
// index.get and index.post), as in the API Gateway walkthrough.

// With CORS on the API, a browser reads the answer only if it names the allowed origin.
const CORS = process.env.CORS_ALLOW_ORIGIN ? { "access-control-allow-origin": process.env.CORS_ALLOW_ORIGIN } : {};

/** @param {number} statusCode @param {unknown} body */
function json(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json", ...CORS }, body: JSON.stringify(body) };
}

/** @param {{ queryStringParameters?: Record<string, string | undefined> | null }} event */
exports.get = async (event) => json(200, { message: `Hello, ${event.queryStringParameters?.name ?? "world"}!` });

/** @param {{ body?: string | null, isBase64Encoded?: boolean }} event */
exports.post = async (event) => {
  let name;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");
    name = JSON.parse(text).name;
  } catch {
    return json(400, { message: "the body must be JSON" });
  }
  if (typeof name !== "string" || name.trim() === "" || name.length > 100) {
    return json(400, { message: "name must be a string of 1 to 100 characters" });
  }
  return json(201, { message: `Hello, ${name}!` });
};
