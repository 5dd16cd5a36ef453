// @ts-check
// GET /products on the HTTP API: the catalogue, filtered by the optional `category` query.

const CATALOGUE = [
  { sku: "book-001", name: "API design patterns", category: "books", price: 39.9 },
  { sku: "book-002", name: "Terraform up and running", category: "books", price: 44.5 },
  { sku: "mug-001", name: "Platform team mug", category: "merchandise", price: 12 },
];

/** @param {{ queryStringParameters?: Record<string, string | undefined> }} event */
exports.handler = async (event) => {
  const category = event.queryStringParameters?.category;
  const products = category ? CATALOGUE.filter((p) => p.category === category) : CATALOGUE;
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(products) };
};
