/* On a phone the console's tables become one card per row (console.css); this gives every cell
   the label of its column, also for rows a page adds later (the live chat queue). */
(function () {
  "use strict";
  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
      });
    });
  }
  document.querySelectorAll("table.list").forEach(function (table) {
    label(table);
    table.classList.add("labelled");
    if (window.MutationObserver) {
      new MutationObserver(function () { label(table); })
        .observe(table, { childList: true, subtree: true });
    }
  });
})();
