import * as hello from "../../functions/hello";
import { createHandler as createUsers } from "../../functions/users";

const body = (response: { body: string }) => JSON.parse(response.body);

describe("hello handlers", () => {
  test("default", async () => {
    expect(await hello.get({ queryStringParameters: null })).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Hello, world!" }),
    });
    expect(body(await hello.get({ queryStringParameters: { name: "Ada" } }))).toEqual({ message: "Hello, Ada!" });
  });

  test("greets the posted name, plain or base64-encoded", async () => {
    expect(await hello.post({ body: '{"name":"Ada"}' })).toMatchObject({ statusCode: 201, body: JSON.stringify({ message: "Hello, Ada!" }) });
    expect(await hello.post({ body: Buffer.from('{"name":"Bo"}').toString("base64"), isBase64Encoded: true })).toMatchObject({ statusCode: 201 });
  });

  test.each([["not json"], ['{"name":""}'], ['{"name":42}'], [null]])("answers 400 to the body %p", async (text) => {
    expect(await hello.post({ body: text })).toMatchObject({ statusCode: 400 });
  });
});

describe("users handler", () => {
  const event = (httpMethod: string, resource: string, extra: { id?: string; body?: string } = {}) => ({
    httpMethod,
    resource,
    pathParameters: extra.id ? { id: extra.id } : null,
    body: extra.body ?? null,
  });

  test("default", async () => {
    const handler = createUsers(new Map(), () => "u1");
    const created = await handler(event("POST", "/users", { body: '{"name":"Ada","email":"ada@example.com"}' }));
    expect(created).toMatchObject({ statusCode: 201 });
    expect(body(created)).toEqual({ id: "u1", name: "Ada", email: "ada@example.com" });
    expect(body(await handler(event("GET", "/users")))).toEqual([{ id: "u1", name: "Ada", email: "ada@example.com" }]);
    expect(body(await handler(event("GET", "/users/{id}", { id: "u1" })))).toMatchObject({ name: "Ada" });
  });

  test("replaces and deletes a user", async () => {
    const handler = createUsers(new Map([["u1", { id: "u1", name: "Ada", email: "ada@example.com" }]]));
    expect(body(await handler(event("PUT", "/users/{id}", { id: "u1", body: '{"name":"Ada L","email":"ada@example.org"}' })))).toEqual({ id: "u1", name: "Ada L", email: "ada@example.org" });
    expect(await handler(event("DELETE", "/users/{id}", { id: "u1" }))).toMatchObject({ statusCode: 204, body: "" });
    expect(await handler(event("GET", "/users/{id}", { id: "u1" }))).toMatchObject({ statusCode: 404 });
  });

  test.each<[string, ReturnType<typeof event>, number]>([
    ["an unknown user", event("GET", "/users/{id}", { id: "nobody" }), 404],
    ["an update of an unknown user", event("PUT", "/users/{id}", { id: "nobody", body: '{"name":"A","email":"a@b.co"}' }), 404],
    ["a deletion of an unknown user", event("DELETE", "/users/{id}", { id: "nobody" }), 404],
    ["a user without an e-mail address", event("POST", "/users", { body: '{"name":"Ada","email":"ada"}' }), 400],
    ["a body that is not JSON", event("POST", "/users", { body: "{" }), 400],
    ["a method the resource does not have", event("PATCH", "/users"), 405],
  ])("answers %s with %i", async (_name, request, status) => {
    expect(await createUsers()(request)).toMatchObject({ statusCode: status });
  });
});
