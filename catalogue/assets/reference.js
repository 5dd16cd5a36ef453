// Renders the page's OpenAPI document with Swagger UI from the page itself: no request leaves
// the page (no validator badge, no document URL). Try-it is off where a browser cannot reach the
// API (private APIs answer only inside their VPC, to SigV4-signed calls).
(function () {
  var root = document.getElementById("reference");
  var tryIt = root.getAttribute("data-try-it") === "on";
  window.ui = SwaggerUIBundle({
    spec: JSON.parse(document.getElementById("document").textContent),
    dom_id: "#reference",
    validatorUrl: null,
    deepLinking: true,
    tryItOutEnabled: false,
    supportedSubmitMethods: tryIt ? ["get", "put", "post", "delete", "patch", "head"] : [],
  });
})();
