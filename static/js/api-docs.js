// Swagger UI on the archive's OpenAPI schema (/api/docs/). A file, not an inline
// script, so the Content Security Policy needs no 'unsafe-inline'.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  // The page has its own <h1> and introduction; Swagger UI's info block would add a
  // second <h1> (the schema's title), so it is left out.
  function noInfoBlock() {
    return {
      wrapComponents: {
        info: function () {
          return function () {
            return null;
          };
        },
      },
    };
  }
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    domNode: node,
    deepLinking: true,
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
    plugins: [noInfoBlock],
  });
})();
