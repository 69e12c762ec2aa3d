// Swagger UI over the API's own OpenAPI document (templates/api/docs.html); a file, not inline, for the CSP.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle !== "function") return;
  SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    // "Try it out" sends the page's session cookie; POSTs also need the CSRF token of this page.
    requestInterceptor: function (request) {
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (meta && request.method !== "GET") request.headers["X-CSRFToken"] = meta.content;
      return request;
    },
  });
})();
