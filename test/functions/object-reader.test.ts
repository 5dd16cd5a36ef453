import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createHandler } from "../../functions/object-reader";

function s3Returning(result: () => Promise<unknown>) {
  const commands: GetObjectCommand[] = [];
  return {
    commands,
    client: {
      send: (command: GetObjectCommand) => {
        commands.push(command);
        return result();
      },
    },
  };
}

function body(text: string) {
  return { transformToString: async (encoding: BufferEncoding) => Buffer.from(text).toString(encoding) };
}

function s3Error(name: string) {
  return Object.assign(new Error(name), { name });
}

describe("object-reader handler", () => {
  test("default", async () => {
    const s3 = s3Returning(async () => ({ Body: body("hello"), ContentType: "text/plain", ContentLength: 5 }));
    const response = await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: { key: "greeting.txt" } });
    expect(response).toEqual({
      statusCode: 200,
      headers: {
        "content-type": "text/plain",
        "content-disposition": "attachment; filename=\"greeting.txt\"; filename*=UTF-8''greeting.txt",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
      body: Buffer.from("hello").toString("base64"),
      isBase64Encoded: true,
    });
    expect(s3.commands.map((c) => c.input)).toEqual([{ Bucket: "files", Key: "greeting.txt" }]);
  });

  test("serves active content as a download, never to be rendered", async () => {
    const s3 = s3Returning(async () => ({ Body: body("<script>alert(1)</script>"), ContentType: "text/html" }));
    const response = await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: { key: "reports/q3 \"final\" é.html" } });
    expect(response).toMatchObject({
      headers: {
        "content-disposition": "attachment; filename=\"q3 _final_ _.html\"; filename*=UTF-8''q3%20%22final%22%20%C3%A9.html",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
    });
  });

  test("reads keys under the configured prefix only", async () => {
    const s3 = s3Returning(async () => ({ Body: body("x") }));
    await createHandler({ s3: s3.client, bucket: "files", keyPrefix: "served/" })({ pathParameters: { key: "a/b.txt" } });
    expect(s3.commands.map((c) => c.input)).toEqual([{ Bucket: "files", Key: "served/a/b.txt" }]);
  });

  test("answers 400 without a key, and does not call S3", async () => {
    const s3 = s3Returning(async () => ({}));
    expect(await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: null })).toMatchObject({ statusCode: 400 });
    expect(s3.commands).toEqual([]);
  });

  test.each(["NoSuchKey", "AccessDenied"])("answers 404 when S3 says %s", async (name) => {
    const s3 = s3Returning(async () => Promise.reject(s3Error(name)));
    expect(await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: { key: "missing" } })).toEqual({
      statusCode: 404,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "no such object" }),
    });
  });

  test("answers 502 and logs when S3 fails otherwise", async () => {
    const log = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const s3 = s3Returning(async () => Promise.reject(s3Error("SlowDown")));
    expect(await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: { key: "k" } })).toMatchObject({ statusCode: 502 });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"key":"k"'));
    log.mockRestore();
  });

  test("answers 413 for objects too large for a Lambda response", async () => {
    const s3 = s3Returning(async () => ({ Body: body(""), ContentLength: 5 * 1024 * 1024 }));
    expect(await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: { key: "big" } })).toMatchObject({ statusCode: 413 });
  });

  test("defaults the content type", async () => {
    const s3 = s3Returning(async () => ({ Body: body("x") }));
    expect(await createHandler({ s3: s3.client, bucket: "files" })({ pathParameters: { key: "k" } })).toMatchObject({ headers: { "content-type": "application/octet-stream" } });
  });
});
