/* Unit picker for the registers' 单位（含下级） filter: a search box over a tree that loads one
   level at a time from the scoped JSON endpoint, filling a hidden unit_id. The page carries
   only the top of the user's tree; without JavaScript that short <select> works on its own. */
(function () {
  "use strict";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }  // text, never HTML: names come from the database
    return node;
  }

  function setup(select) {
    var url = select.getAttribute("data-unit-picker");
    var blank = select.options.length ? select.options[0] : null;
    var chosen = select.options[select.selectedIndex];
    var timer = null;
    var asked = 0;

    var box = element("div", "unit-picker");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = select.name;
    hidden.value = select.value || (blank ? blank.value : "");
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id;
    input.autocomplete = "off";
    input.placeholder = blank ? blank.textContent : "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    input.title = select.getAttribute("data-search-label") || "";
    var chosenLabel = chosen && chosen !== blank ? chosen.textContent.replace(/^\u3000+/, "") : "";
    input.value = chosenLabel;
    var panel = element("div", "unit-picker-panel");
    panel.id = select.id + "-tree";
    panel.hidden = true;
    panel.setAttribute("role", "tree");
    input.setAttribute("aria-controls", panel.id);

    box.appendChild(hidden);
    box.appendChild(input);
    box.appendChild(panel);
    select.parentNode.replaceChild(box, select);

    function load(query, then) {
      var ticket = ++asked;
      fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { units: [], more: false }; })
        .then(function (data) { if (ticket === asked || query.indexOf("parent=") === 0) { then(data); } })
        .catch(function () {});
    }

    function choose(id, label) {
      hidden.value = String(id);
      input.value = label;
      chosenLabel = label;
      close();
    }

    function node(unit, inSearch) {
      var item = element("div", "unit-node");
      item.setAttribute("role", "treeitem");
      var row = element("div", "unit-row");
      var toggle = element("button", "unit-toggle", unit.has_children && !inSearch ? "▸" : "");
      toggle.type = "button";
      toggle.tabIndex = -1;
      if (!unit.has_children || inSearch) { toggle.disabled = true; }
      var pick = element("button", "unit-pick", inSearch ? unit.label : unit.name);
      pick.type = "button";
      pick.setAttribute("data-unit-id", unit.id);
      pick.addEventListener("click", function () { choose(unit.id, unit.name); });
      row.appendChild(toggle);
      row.appendChild(pick);
      item.appendChild(row);
      if (unit.has_children && !inSearch) {
        var children = element("div", "unit-children");
        children.setAttribute("role", "group");
        children.hidden = true;
        item.appendChild(children);
        item.setAttribute("aria-expanded", "false");
        toggle.addEventListener("click", function () {
          var opening = children.hidden;
          children.hidden = !opening;
          toggle.textContent = opening ? "▾" : "▸";
          item.setAttribute("aria-expanded", opening ? "true" : "false");
          if (opening && !children.childNodes.length) {
            load("parent=" + encodeURIComponent(unit.id), function (data) { fill(children, data, false); });
          }
        });
      }
      return item;
    }

    function fill(target, data, inSearch) {
      while (target.firstChild) { target.removeChild(target.firstChild); }
      if (!data.units.length) {
        target.appendChild(element("div", "unit-empty", select.getAttribute("data-empty-label") || ""));
      }
      data.units.forEach(function (unit) { target.appendChild(node(unit, inSearch)); });
      if (data.more) { target.appendChild(element("div", "unit-more", "…")); }
    }

    function open() {
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function showTop() {
      var top = element("div", "unit-node");
      var all = element("button", "unit-pick unit-all", blank ? blank.textContent : "");
      all.type = "button";
      all.addEventListener("click", function () { choose(blank ? blank.value : "", ""); });
      load("", function (data) {
        fill(panel, data, false);
        top.appendChild(all);
        panel.insertBefore(top, panel.firstChild);
        open();
      });
    }

    function search() {
      var text = input.value.trim();
      if (!text) { showTop(); return; }
      load("q=" + encodeURIComponent(text), function (data) { fill(panel, data, true); open(); });
    }

    input.addEventListener("focus", function () { if (panel.hidden) { input.select(); showTop(); } });
    input.addEventListener("input", function () {
      if (!input.value.trim()) { hidden.value = blank ? blank.value : ""; chosenLabel = ""; }
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { close(); input.value = chosenLabel; }
      if (e.key === "ArrowDown") {
        var first = panel.querySelector(".unit-pick");
        if (first) { e.preventDefault(); first.focus(); }
      }
      if (e.key === "Enter" && !panel.hidden) {
        e.preventDefault();
        clearTimeout(timer);
        search();
      }
    });
    panel.addEventListener("keydown", function (e) {
      var picks = Array.prototype.slice.call(panel.querySelectorAll(".unit-pick"))
        .filter(function (b) { return b.offsetParent !== null; });
      var at = picks.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at < picks.length - 1) { e.preventDefault(); picks[at + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? picks[at - 1] : input).focus(); }
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        var toggle = document.activeElement.parentNode.querySelector(".unit-toggle");
        if (toggle && !toggle.disabled) { e.preventDefault(); toggle.click(); }
      }
      if (e.key === "Escape") { close(); input.value = chosenLabel; input.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target)) {
        close();
        if (!input.value.trim()) { hidden.value = blank ? blank.value : ""; chosenLabel = ""; }
        else { input.value = chosenLabel; }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-unit-picker]"), setup);
})();
