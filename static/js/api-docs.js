// Swagger UI on the archive's OpenAPI schema (/api/docs/). A file, not an inline
// script, so the Content Security Policy needs no 'unsafe-inline'.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    domNode: node,
    deepLinking: true,
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
  });
})();
