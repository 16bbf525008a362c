// Sortable tables of the intelligence pack (the worker caseloads; annexa.pack.html): the only
// script of the full pack, allowed by its hash in the page's Content-Security-Policy. Without
// it (printed, scripts off) the table reads as rendered, largest caseload first. With it, each
// header marked data-sort ("text" or "num") becomes a button: the first press sorts by that
// column (numbers largest first, text A to Z), the next reverses; ties keep the rendered order.
// It moves existing rows only: no value is read as markup, nothing is fetched.
(function () {
  "use strict";
  var tables = document.querySelectorAll("table.sortable");
  for (var t = 0; t < tables.length; t++) setup(tables[t]);

  function setup(table) {
    var heads = table.tHead.rows[0].cells;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    for (var r = 0; r < rows.length; r++) rows[r].setAttribute("data-at", String(r));
    for (var i = 0; i < heads.length; i++) {
      var kind = heads[i].getAttribute("data-sort");
      if (!kind) continue;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (heads[i].firstChild) button.appendChild(heads[i].firstChild);
      heads[i].appendChild(button);
      button.addEventListener("click", sorter(heads, body, i, kind));
    }
  }

  function key(row, col, kind) {
    var text = row.cells[col].textContent.trim();
    if (kind !== "num") return text.toLowerCase();
    var n = parseFloat(text);
    return isNaN(n) ? -Infinity : n;
  }

  function sorter(heads, body, col, kind) {
    return function () {
      var now = heads[col].getAttribute("aria-sort");
      var first = kind === "num" ? "descending" : "ascending";
      var dir = now === first ? (first === "ascending" ? "descending" : "ascending") : first;
      var sign = dir === "ascending" ? 1 : -1;
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, col, kind);
        var y = key(b, col, kind);
        if (x < y) return -sign;
        if (x > y) return sign;
        return Number(a.getAttribute("data-at")) - Number(b.getAttribute("data-at"));
      });
      var moved = document.createDocumentFragment();
      for (var r = 0; r < rows.length; r++) moved.appendChild(rows[r]);
      body.appendChild(moved);
      for (var h = 0; h < heads.length; h++) heads[h].removeAttribute("aria-sort");
      heads[col].setAttribute("aria-sort", dir);
    };
  }
})();
