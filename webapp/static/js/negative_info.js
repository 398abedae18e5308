/* Negative-information forms: cadre picker, category → situation cascade, file size check.
   Plain JavaScript, no library; every form still submits and validates on the server. */
(function () {
  "use strict";

  function pickerSetup(box) {
    var url = box.getAttribute("data-search-url");
    var input = box.querySelector("#cadre-q");
    var hidden = box.querySelector("#cadre_id");
    var picked = box.querySelector("#cadre-picked");
    var list = box.querySelector("#cadre-results");
    var timer = null;

    function clear() { while (list.firstChild) { list.removeChild(list.firstChild); } }

    function show(rows) {
      clear();
      if (!rows.length) {
        var li = document.createElement("li");
        li.className = "muted";
        li.textContent = box.getAttribute("data-empty");
        list.appendChild(li);
        return;
      }
      rows.forEach(function (row) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        // textContent, never innerHTML: names come from the database.
        button.textContent = row.name + " · " + row.unit + " · " + row.position;
        button.addEventListener("click", function () {
          hidden.value = row.id;
          picked.textContent = button.textContent;
          clear();
          input.value = "";
        });
        li.appendChild(button);
        list.appendChild(li);
      });
    }

    function search() {
      var q = input.value.trim();
      if (!q) { clear(); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(show)
        .catch(function () { clear(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); search(); }
    });
    if (input.value && !hidden.value) { search(); }
  }

  function cascadeSetup(category) {
    var situation = document.getElementById(category.getAttribute("data-cascade"));
    var hint = document.getElementById("situation-tier");
    if (!situation) { return; }

    function narrow() {
      var chosen = category.value;
      Array.prototype.forEach.call(situation.querySelectorAll("optgroup"), function (group) {
        var match = !chosen || group.getAttribute("data-category") === chosen;
        group.hidden = !match;
        group.disabled = !match;
      });
      var selected = situation.options[situation.selectedIndex];
      if (selected && selected.value && chosen && selected.getAttribute("data-category") !== chosen) {
        situation.value = "";
      }
      tier();
    }

    function tier() {
      var selected = situation.options[situation.selectedIndex];
      var value = selected && selected.getAttribute("data-tier");
      hint.textContent = value ? hint.getAttribute("data-template").replace("__TIER__", hint.getAttribute("data-tiers").split("|")[value - 1]) : "";
    }

    category.addEventListener("change", narrow);
    situation.addEventListener("change", function () {
      var selected = situation.options[situation.selectedIndex];
      // Picking a situation first fills in its category.
      if (selected && selected.value && !category.value) {
        category.value = selected.getAttribute("data-category");
        narrow();
      }
      tier();
    });
    narrow();
  }

  function fileSizeSetup(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    input.addEventListener("change", function () {
      var errors = input.parentNode.querySelector(".file-errors");
      var tooBig = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
      while (errors.firstChild) { errors.removeChild(errors.firstChild); }
      if (tooBig.length) {
        tooBig.forEach(function (f) {
          var li = document.createElement("li");
          li.textContent = f.name + "：" + input.getAttribute("data-too-large");
          errors.appendChild(li);
        });
        // Sending a file the server must refuse would only cost time; keep the rest of the form.
        input.value = "";
      }
    });
  }

  function counterSetup(area) {
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    var note = document.createElement("div");
    note.className = "muted hint";
    area.parentNode.insertBefore(note, area.nextSibling);
    function update() {
      note.textContent = area.value.length + " / " + max;
      note.style.color = area.value.length > max ? "var(--red)" : "";
    }
    area.addEventListener("input", update);
    update();
  }

  document.querySelectorAll(".cadre-picker").forEach(pickerSetup);
  document.querySelectorAll("[data-cascade]").forEach(cascadeSetup);
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(fileSizeSetup);
  document.querySelectorAll("textarea[data-max-chars]").forEach(counterSetup);
})();
