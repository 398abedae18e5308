// Start Swagger UI (shipped in static/vendor/swagger-ui, Apache-2.0) on the app's own document.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.spec, dom_id: "#swagger-ui", deepLinking: true });
});
