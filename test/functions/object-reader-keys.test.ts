import { createHandler } from "../../functions/object-reader";

// Keys that read as a way out of the prefix are refused before S3 is called.
describe("object-reader keys", () => {
  const calls: unknown[] = [];
  const s3 = { send: async (command: unknown) => (calls.push(command), { Body: { transformToString: async () => "" } }) };
  const handler = createHandler({ s3, bucket: "files", keyPrefix: "served/" });
  beforeEach(() => (calls.length = 0));

  test.each(["..", "../secret", "a/../../b", "a/..", "/etc/passwd", "/a"])("refuses %s with 400, without calling S3", async (key) => {
    await expect(handler({ pathParameters: { key } })).resolves.toMatchObject({ statusCode: 400 });
    expect(calls).toEqual([]);
  });

  test.each(["a..b", "..a/b", "a/b..", "a/./b"])("serves %s, whose dots are no .. segment", async (key) => {
    await expect(handler({ pathParameters: { key } })).resolves.toMatchObject({ statusCode: 200 });
    expect(calls).toHaveLength(1);
  });
});
