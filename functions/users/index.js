// @ts-check
// The /users resource of the public REST API on one function: GET and POST /users,
// GET, PUT and DELETE /users/{id}. The store is the function instance's memory: an
// example backend, to be replaced by a table in a real service.
const { randomUUID } = require("crypto");

/** @typedef {{ id: string, name: string, email: string }} User */
/** @typedef {{ httpMethod: string, resource: string, pathParameters?: Record<string, string | undefined> | null, body?: string | null }} ProxyEvent */

// With CORS on the API, a browser reads the answer only if it names the allowed origin.
const CORS = process.env.CORS_ALLOW_ORIGIN ? { "access-control-allow-origin": process.env.CORS_ALLOW_ORIGIN } : {};

/** @param {number} statusCode @param {unknown} [body] */
function json(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json", ...CORS }, body: body === undefined ? "" : JSON.stringify(body) };
}

/** @param {string | null | undefined} body @returns {{ name: string, email: string } | string} */
function parseUser(body) {
  let value;
  try {
    value = JSON.parse(body ?? "");
  } catch {
    return "the body must be JSON";
  }
  if (typeof value?.name !== "string" || value.name.trim() === "") return "name is required";
  if (typeof value?.email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.email)) return "email must be an e-mail address";
  return { name: value.name, email: value.email };
}

/** @param {Map<string, User>} users @param {() => string} newId */
function createHandler(users = new Map(), newId = randomUUID) {
  /** @param {ProxyEvent} event */
  return async (event) => {
    const id = event.pathParameters?.id;
    const route = `${event.httpMethod} ${event.resource}`;
    switch (route) {
      case "GET /users":
        return json(200, [...users.values()]);
      case "POST /users": {
        const input = parseUser(event.body);
        if (typeof input === "string") return json(400, { message: input });
        const user = { id: newId(), ...input };
        users.set(user.id, user);
        return json(201, user);
      }
      case "GET /users/{id}":
        return id && users.has(id) ? json(200, users.get(id)) : json(404, { message: "no such user" });
      case "PUT /users/{id}": {
        if (!id || !users.has(id)) return json(404, { message: "no such user" });
        const input = parseUser(event.body);
        if (typeof input === "string") return json(400, { message: input });
        const user = { id, ...input };
        users.set(id, user);
        return json(200, user);
      }
      case "DELETE /users/{id}":
        return id && users.delete(id) ? json(204) : json(404, { message: "no such user" });
      default:
        return json(405, { message: `${route} is not handled here` });
    }
  };
}

exports.createHandler = createHandler;
exports.handler = createHandler();
