// @ts-check
// GET and POST /orders, GET /orders/{id} on the HTTP API (payload format 2.0). API Gateway
// has already checked the JWT; the caller's identity is its `sub` claim.
const { randomUUID } = require("crypto");

/** @typedef {{ id: string, owner: string, items: { sku: string, quantity: number }[] }} Order */
/** @typedef {{ routeKey: string, pathParameters?: Record<string, string | undefined>, body?: string, isBase64Encoded?: boolean, requestContext: { authorizer?: { jwt?: { claims?: Record<string, string> } } } }} HttpEvent */

/** @param {number} statusCode @param {unknown} body */
function json(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** @param {unknown} items @returns {items is Order["items"]} */
function validItems(items) {
  return (
    Array.isArray(items) &&
    items.length > 0 &&
    items.every((i) => typeof i?.sku === "string" && i.sku !== "" && Number.isInteger(i?.quantity) && i.quantity > 0)
  );
}

/** @param {Map<string, Order>} orders @param {() => string} newId */
function createHandler(orders = new Map(), newId = randomUUID) {
  /** @param {HttpEvent} event */
  return async (event) => {
    const owner = event.requestContext.authorizer?.jwt?.claims?.sub;
    if (!owner) return json(401, { message: "no subject in the token" });
    switch (event.routeKey) {
      case "GET /orders":
        return json(200, [...orders.values()].filter((o) => o.owner === owner));
      case "GET /orders/{id}": {
        const order = orders.get(event.pathParameters?.id ?? "");
        // Another owner's order is reported missing, not forbidden: ids must not be probeable.
        return order && order.owner === owner ? json(200, order) : json(404, { message: "no such order" });
      }
      case "POST /orders": {
        let items;
        try {
          const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");
          items = JSON.parse(text).items;
        } catch {
          return json(400, { message: "the body must be JSON" });
        }
        if (!validItems(items)) return json(400, { message: "items must be a non-empty list of { sku, quantity > 0 }" });
        const order = { id: newId(), owner, items };
        orders.set(order.id, order);
        return json(201, order);
      }
      default:
        return json(405, { message: `${event.routeKey} is not handled here` });
    }
  };
}

exports.createHandler = createHandler;
exports.handler = createHandler();
