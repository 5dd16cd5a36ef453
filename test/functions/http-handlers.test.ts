import { createHandler as createOrders } from "../../functions/orders";
import { handler as products } from "../../functions/products";

const body = (response: { body: string }) => JSON.parse(response.body);

function event(routeKey: string, sub: string | undefined, extra: { id?: string; body?: string } = {}) {
  const claims: Record<string, string> = sub ? { sub } : {};
  return {
    routeKey,
    ...(extra.id ? { pathParameters: { id: extra.id } } : {}),
    ...(extra.body ? { body: extra.body } : {}),
    requestContext: { authorizer: { jwt: { claims } } },
  };
}

describe("orders handler", () => {
  test("default", async () => {
    const handler = createOrders(new Map(), () => "o1");
    const created = await handler(event("POST /orders", "alice", { body: '{"items":[{"sku":"book-001","quantity":2}]}' }));
    expect(created).toMatchObject({ statusCode: 201 });
    expect(body(created)).toEqual({ id: "o1", owner: "alice", items: [{ sku: "book-001", quantity: 2 }] });
    expect(body(await handler(event("GET /orders", "alice")))).toHaveLength(1);
    expect(body(await handler(event("GET /orders/{id}", "alice", { id: "o1" })))).toMatchObject({ id: "o1" });
  });

  test("shows callers only their own orders, and others' as missing", async () => {
    const handler = createOrders(new Map([["o1", { id: "o1", owner: "alice", items: [{ sku: "mug-001", quantity: 1 }] }]]));
    expect(body(await handler(event("GET /orders", "bob")))).toEqual([]);
    expect(await handler(event("GET /orders/{id}", "bob", { id: "o1" }))).toMatchObject({ statusCode: 404 });
  });

  test.each<[string, ReturnType<typeof event>, number]>([
    ["a token without subject", event("GET /orders", undefined), 401],
    ["an order without items", event("POST /orders", "alice", { body: '{"items":[]}' }), 400],
    ["a quantity of 0", event("POST /orders", "alice", { body: '{"items":[{"sku":"a","quantity":0}]}' }), 400],
    ["a body that is not JSON", event("POST /orders", "alice", { body: "nope" }), 400],
    ["an unknown route", event("DELETE /orders/{id}", "alice", { id: "o1" }), 405],
  ])("answers %s with %i", async (_name, request, status) => {
    expect(await createOrders()(request)).toMatchObject({ statusCode: status });
  });
});

describe("products handler", () => {
  test("default", async () => {
    expect(body(await products({}))).toHaveLength(3);
  });

  test("filters by category", async () => {
    expect(body(await products({ queryStringParameters: { category: "books" } })).map((p: { sku: string }) => p.sku)).toEqual(["book-001", "book-002"]);
  });
});
