// Poll an import job's status and move its progress bar; reload the page when it finishes.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-import-status");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");

  function later(ms) { window.setTimeout(poll, ms); }

  function show(data) {
    if (!data.running) { window.location.reload(); return; }
    if (data.total > 0) {
      bar.max = data.total;
      bar.value = Math.min(data.processed, data.total);
    } else {
      bar.removeAttribute("value");  // unknown total: an indeterminate bar
    }
    if (data.text) { text.textContent = data.text; }
    later(1000);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(show)
      // A busy database may answer late or fail once: wait a little longer and ask again.
      .catch(function () { later(3000); });
  }

  later(700);
})();
