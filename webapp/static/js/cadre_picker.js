/* Cadre picker for talk, inquiry and letter forms: a search box that refills the <select>
   with in-scope cadres. Without JavaScript the <select> still works on its own. */
(function () {
  "use strict";

  function setup(input) {
    var select = document.getElementById(input.getAttribute("data-target"));
    var url = input.getAttribute("data-cadre-search");
    var timer = null;
    if (!select) { return; }

    function refill(rows) {
      var keep = select.options[select.selectedIndex];
      var blank = select.options[0];
      while (select.options.length) { select.remove(0); }
      select.add(blank);
      if (keep && keep.value && keep.value !== "0") { select.add(keep); }
      rows.forEach(function (row) {
        if (keep && String(row.id) === keep.value) { return; }
        var option = document.createElement("option");
        option.value = row.id;
        option.textContent = row.label;  // text, never HTML: names come from the database
        select.add(option);
      });
      if (rows.length === 1 && (!keep || !keep.value || keep.value === "0")) {
        select.value = String(rows[0].id);
      }
    }

    function search() {
      fetch(url + "?q=" + encodeURIComponent(input.value.trim()), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(refill)
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); search(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-cadre-search]"), setup);
})();
