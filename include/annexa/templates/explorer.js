// The offline explorer (annexa.pack.explorer). Values are written with textContent only.
"use strict";
(function () {
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var T1 = performance.now();
  // dictionary-encoded columns (annexa.pack.explorer.list_data): indices back to their text;
  // date columns: days after the column's first date back to DD/MM/YYYY, once per distinct day
  function two(n) { return n < 10 ? "0" + n : String(n); }
  function dayText(base) {
    var t0 = Date.UTC(Number(base.slice(0, 4)), Number(base.slice(5, 7)) - 1, Number(base.slice(8, 10)));
    var seen = [];
    return function (n) {
      var s = seen[n];
      if (s === undefined) {
        var d = new Date(t0 + n * 86400000);
        s = seen[n] = two(d.getUTCDate()) + "/" + two(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear();
      }
      return s;
    };
  }
  // a list is decoded when first used (opening the page decodes only the list it shows; a
  // journey or a worker's children decode them all)
  function decoded(l) {
    if (l.ready) return l;
    l.cols.forEach(function (c, i) {
      var rows = l.rows, n = rows.length, j;
      if (c.d) {
        var d = c.d;
        for (j = 0; j < n; j++) rows[j][i] = d[rows[j][i]];
      } else if (c.b) {
        var text = dayText(c.b);
        for (j = 0; j < n; j++) if (rows[j][i] !== "") rows[j][i] = text(rows[j][i]);
      }
    });
    l.ready = true;
    return l;
  }
  function allLists() { return DATA.lists.map(decoded); }
  var RISKY = "=+-@\t\r";
  var PAGE = 100; // rows drawn at a time ("Show more"); the count and the export cover all
  var state = { list: null, rows: [], sortCol: -1, sortDir: 1, shown: 0 };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  // the published CSV's formula guard, undone for reading (kept in the export)
  function shown(v) {
    return v && v.charAt(0) === "'" && RISKY.indexOf(v.charAt(1)) >= 0 && v.length > 1 ? v.slice(1) : v;
  }
  // DD/MM/YYYY -> YYYY-MM-DD (sortable, comparable with date inputs); "" when not a date
  function iso(v) {
    return v && v.length === 10 && v.charAt(2) === "/" ? v.slice(6) + "-" + v.slice(3, 5) + "-" + v.slice(0, 2) : "";
  }
  function colIndex(list, key) {
    for (var i = 0; i < list.cols.length; i++) if (list.cols[i].k === key) return i;
    return -1;
  }
  function distinct(list, i) {
    var seen = {}, out = [];
    list.rows.forEach(function (r) { var v = r[i]; if (v && !seen[v]) { seen[v] = 1; out.push(v); } });
    return out.sort();
  }
  function fill(select, values, blank) {
    select.textContent = "";
    var o = el("option", blank); o.value = ""; select.appendChild(o);
    values.forEach(function (v) { var o2 = el("option", shown(v)); o2.value = v; select.appendChild(o2); });
  }
  function filterCol(list, kind) {
    for (var i = 0; i < list.cols.length; i++) if (list.cols[i].f === kind) return i;
    return -1;
  }

  // ---------------------------------------------------------------- lists tab
  function chooseList(n) {
    var list = decoded(DATA.lists.filter(function (l) { return String(l.n) === String(n); })[0]);
    state.list = list; state.sortCol = -1;
    var dates = list.cols.map(function (c, i) { return [c, i]; }).filter(function (x) { return x[0].t === "date"; });
    var dc = $("f-datecol"); dc.textContent = "";
    dates.forEach(function (x) {
      var o = el("option", x[0].h); o.value = String(x[1]);
      if (x[0].k === list.date) o.selected = true;
      dc.appendChild(o);
    });
    var src = filterCol(list, "source"), team = filterCol(list, "team");
    $("l-source").hidden = src < 0; $("l-team").hidden = team < 0;
    $("l-worker").hidden = filterCol(list, "worker") < 0;
    fill($("f-source"), src < 0 ? [] : distinct(list, src), "any");
    fill($("f-team"), team < 0 ? [] : distinct(list, team), "any");
    var cc = $("f-codecol"); cc.textContent = "";
    var o = el("option", "column"); o.value = ""; cc.appendChild(o);
    list.cols.forEach(function (c, i) {
      if (c.t === "code") { var o2 = el("option", c.h); o2.value = String(i); cc.appendChild(o2); }
    });
    fill($("f-code"), [], "any");
    var head = $("grid").tHead; head.textContent = "";
    var tr = el("tr");
    list.cols.forEach(function (c, i) {
      var th = el("th", c.h); th.dataset.col = String(i);
      th.addEventListener("click", function () { sortBy(i); });
      tr.appendChild(th);
    });
    head.appendChild(tr);
    apply();
  }
  function sortBy(i) {
    state.sortDir = state.sortCol === i ? -state.sortDir : 1;
    state.sortCol = i;
    apply();
  }
  function key(list, i) {
    var t = list.cols[i].t;
    if (t === "date") return function (r) { return iso(r[i]); };
    if (t === "integer") return function (r) { return r[i] === "" ? -Infinity : Number(r[i]); };
    return function (r) { return shown(r[i]).toLowerCase(); };
  }
  // a stable sort on keys computed once per row (not once per comparison)
  function sorted(rows, k, dir) {
    var keyed = rows.map(function (r, i) { return [k(r), i, r]; });
    keyed.sort(function (a, b) { return a[0] < b[0] ? -dir : a[0] > b[0] ? dir : a[1] - b[1]; });
    return keyed.map(function (x) { return x[2]; });
  }
  function filtered() {
    var list = state.list, rows = list.rows;
    var di = Number($("f-datecol").value), from = $("f-from").value, to = $("f-to").value;
    var src = filterCol(list, "source"), team = filterCol(list, "team"), worker = filterCol(list, "worker");
    var sv = $("f-source").value, tv = $("f-team").value;
    var wv = $("f-worker").value.trim().toLowerCase();
    var ci = $("f-codecol").value === "" ? -1 : Number($("f-codecol").value), cv = $("f-code").value;
    var child = $("f-child").value.trim().toLowerCase();
    var out = rows.filter(function (r) {
      if ((from || to) && $("f-datecol").value !== "") {
        var d = iso(r[di]);
        if (!d || (from && d < from) || (to && d > to)) return false;
      }
      if (sv && src >= 0 && r[src] !== sv) return false;
      if (tv && team >= 0 && r[team] !== tv) return false;
      if (wv && worker >= 0 && shown(r[worker]).toLowerCase().indexOf(wv) < 0) return false;
      if (cv && ci >= 0 && r[ci] !== cv) return false;
      if (child && shown(r[0]).toLowerCase().indexOf(child) < 0) return false;
      return true;
    });
    var latest = parseInt($("f-latest").value, 10);
    var mi = colIndex(list, list.date);
    if (latest > 0 && mi >= 0) { // the latest N by the list's main date, newest first
      out = sorted(out, key(list, mi), -1).slice(0, latest);
    } else if (latest > 0) {
      out = out.slice(0, latest);
    }
    if (state.sortCol >= 0) out = sorted(out, key(list, state.sortCol), state.sortDir);
    return out;
  }
  function apply() {
    state.rows = filtered();
    state.shown = 0;
    $("grid").tBodies[0].textContent = "";
    more();
    Array.prototype.forEach.call($("grid").tHead.querySelectorAll("th"), function (th) {
      th.className = Number(th.dataset.col) === state.sortCol ? (state.sortDir > 0 ? "asc" : "desc") : "";
    });
    document.body.dataset.rows = String(state.rows.length);
  }
  function more() {
    var list = state.list, out = state.rows, body = $("grid").tBodies[0];
    var frag = document.createDocumentFragment();
    out.slice(state.shown, state.shown + PAGE).forEach(function (r) {
      var tr = el("tr");
      r.forEach(function (v, i) {
        var td = el("td");
        if (i === 0 && v) {
          var b = el("button", shown(v), "link"); b.type = "button";
          b.addEventListener("click", function () { journey(shown(v)); });
          td.appendChild(b);
        } else td.textContent = shown(v);
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    body.appendChild(frag);
    state.shown = Math.min(out.length, state.shown + PAGE);
    $("status").textContent = list.title + ": " + out.length + " of " + list.rows.length + " rows" +
      (out.length > state.shown ? " (first " + state.shown + " shown; the export has all)" : "");
    $("more").hidden = out.length <= state.shown;
  }
  function csvCell(v) {
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function exportCsv() {
    var list = state.list;
    var lines = [list.cols.map(function (c) { return csvCell(c.h); }).join(",")];
    state.rows.forEach(function (r) { lines.push(r.map(csvCell).join(",")); });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = el("a"); a.href = URL.createObjectURL(blob);
    a.download = "annex_a_" + DATA.la_code + "_" + DATA.as_at + "_list_" + list.n + "_filtered.csv";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    document.body.dataset.exported = String(state.rows.length);
  }

  // ---------------------------------------------------------------- journey and people tabs
  var EVENT = { 1: "Contact", 2: "Early help assessment", 3: "Referral", 4: "Assessment", 5: "S47 enquiry",
    6: "Child in need", 7: "Child protection plan", 8: "Child in care", 9: "Care leaver", 10: "Adoption", 11: "Adopter" };
  function tab(name) {
    ["lists", "journey", "people"].forEach(function (t) {
      $("tab-" + t).hidden = t !== name;
      document.querySelector('nav button[data-tab="' + t + '"]').className = t === name ? "on" : "";
    });
  }
  function journey(child) {
    tab("journey"); $("j-child").value = child;
    var want = child.trim().toLowerCase(), body = $("journey").tBodies[0], n = 0;
    body.textContent = "";
    allLists().forEach(function (list) {
      var mi = colIndex(list, list.date), team = filterCol(list, "team"), worker = colIndex(list, "allocated_worker");
      var rows = list.rows.filter(function (r) { return shown(r[0]).toLowerCase() === want; });
      rows.sort(function (a, b) { var x = iso(a[mi]), y = iso(b[mi]); return x < y ? -1 : x > y ? 1 : 0; });
      rows.forEach(function (r) {
        n++;
        var tr = el("tr"); tr.dataset.list = String(list.n);
        tr.appendChild(el("td", list.title));
        tr.appendChild(el("td", mi >= 0 ? r[mi] : ""));
        tr.appendChild(el("td", EVENT[list.n] || ""));
        tr.appendChild(el("td", team >= 0 ? shown(r[team]) : ""));
        tr.appendChild(el("td", worker >= 0 ? shown(r[worker]) : ""));
        var det = [];
        list.cols.forEach(function (c, i) {
          if (i > 0 && r[i] !== "" && c.t === "date" && i !== mi) det.push(c.h + ": " + r[i]);
          if (i > 0 && r[i] !== "" && c.t === "code" && ["gender", "ethnicity", "disability"].indexOf(c.k) < 0) det.push(c.h + ": " + shown(r[i]));
        });
        tr.appendChild(el("td", det.join("; "), "det"));
        body.appendChild(tr);
      });
    });
    $("j-status").textContent = n ? n + " row(s) of child " + child + " across the lists" : "No row of child " + child + " in this return";
    document.body.dataset.journey = String(n);
  }
  var OPEN = { 6: "cin_closure_date", 7: "cp_plan_end_date", 8: "date_ceased_looked_after", 9: "" };
  function people(worker, team) {
    var w = worker.trim().toLowerCase(), per = {}, order = [];
    allLists().forEach(function (list) {
      var wi = colIndex(list, "allocated_worker"), ti = colIndex(list, "allocated_team");
      if (wi < 0 && ti < 0) return;
      var oi = OPEN[list.n] === undefined ? -2 : (OPEN[list.n] === "" ? -1 : colIndex(list, OPEN[list.n]));
      list.rows.forEach(function (r) {
        if (w && (wi < 0 || shown(r[wi]).toLowerCase() !== w)) return;
        if (team && (ti < 0 || r[ti] !== team)) return;
        var id = shown(r[0]);
        var p = per[id];
        if (!p) { p = per[id] = { lists: {}, rows: 0, workers: {}, teams: {} }; order.push(id); }
        p.rows++;
        var open = oi === -1 || (oi >= 0 && r[oi] === "");
        p.lists[list.n] = p.lists[list.n] || open;
        if (wi >= 0 && r[wi]) p.workers[shown(r[wi])] = 1;
        if (ti >= 0 && r[ti]) p.teams[shown(r[ti])] = 1;
      });
    });
    var body = $("people").tBodies[0]; body.textContent = "";
    order.sort();
    order.forEach(function (id) {
      var p = per[id], tr = el("tr"), td = el("td");
      var b = el("button", id, "link"); b.type = "button";
      b.addEventListener("click", function () { journey(id); });
      td.appendChild(b); tr.appendChild(td);
      tr.appendChild(el("td", Object.keys(p.lists).map(function (n) { return "L" + n + (p.lists[n] ? " (open)" : ""); }).join(", ")));
      tr.appendChild(el("td", String(p.rows)));
      tr.appendChild(el("td", Object.keys(p.workers).join(", ")));
      tr.appendChild(el("td", Object.keys(p.teams).join(", ")));
      body.appendChild(tr);
    });
    var who = w ? "worker " + worker.trim() : "team " + shown(team);
    $("p-status").textContent = order.length + " child(ren) of " + who;
    document.body.dataset.children = String(order.length);
  }

  // ---------------------------------------------------------------- wiring
  var sel = $("f-list");
  DATA.lists.forEach(function (l) { var o = el("option", l.title); o.value = String(l.n); sel.appendChild(o); });
  var workers = {}, teams = {};
  // every worker and team named in any list: a dictionary column's values are exactly those
  // of its rows, so only a column sent as plain text is read row by row
  DATA.lists.forEach(function (l) {
    [["allocated_worker", workers], ["allocated_team", teams]].forEach(function (x) {
      var i = colIndex(l, x[0]);
      if (i < 0) return;
      var values = l.cols[i].d && !l.ready ? l.cols[i].d : l.rows.map(function (r) { return r[i]; });
      values.forEach(function (v) { if (v) x[1][v] = 1; });
    });
  });
  Object.keys(workers).sort().forEach(function (v) { var o = el("option"); o.value = shown(v); $("workers").appendChild(o); });
  fill($("p-team"), Object.keys(teams).sort(), "any");
  sel.addEventListener("change", function () { chooseList(sel.value); });
  ["f-datecol", "f-from", "f-to", "f-source", "f-team", "f-code", "f-latest"].forEach(function (id) {
    $(id).addEventListener("change", apply);
  });
  ["f-worker", "f-child", "f-latest"].forEach(function (id) { $(id).addEventListener("input", apply); });
  $("f-codecol").addEventListener("change", function () {
    var v = $("f-codecol").value;
    fill($("f-code"), v === "" ? [] : distinct(state.list, Number(v)), "any");
    apply();
  });
  $("f-reset").addEventListener("click", function () { $("filters").reset(); chooseList(sel.value); });
  $("f-export").addEventListener("click", exportCsv);
  $("more").addEventListener("click", more);
  $("j-form").addEventListener("submit", function (e) { e.preventDefault(); journey($("j-child").value); });
  $("p-form").addEventListener("submit", function (e) {
    e.preventDefault(); people($("p-worker").value, $("p-team").value);
  });
  Array.prototype.forEach.call(document.querySelectorAll("nav button"), function (b) {
    b.addEventListener("click", function () { tab(b.dataset.tab); });
  });

  // a state in the address's #fragment, so a link (or a test) opens a view:
  // #list=1&source=...&latest=10, #child=ID, #worker=NAME, #team=NAME
  function fromHash() {
    var h = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) h[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
    });
    if (h.list) sel.value = h.list;
    chooseList(sel.value || DATA.lists[0].n);
    if (h.from) $("f-from").value = h.from;
    if (h.to) $("f-to").value = h.to;
    if (h.source) $("f-source").value = h.source;
    if (h.team && !h.children) $("f-team").value = h.team;
    if (h.worker && !h.children) $("f-worker").value = h.worker;
    if (h.latest) $("f-latest").value = h.latest;
    if (h.child) $("f-child").value = h.child;
    if (h.list) apply();
    if (h.journey) journey(h.journey);
    if (h.children) people(h.worker || "", h.team || "");
    if (h.export) exportCsv();
  }
  if (DATA.lists.length) {
    var t0 = performance.now();
    fromHash();
    // for the benchmark: ms to apply the view, and ms from navigation start to ready
    document.body.dataset.view = String(Math.round(performance.now() - t0));
    document.body.dataset.ready = String(Math.round(performance.now()));
    // and where the time before it went: the page read and parsed up to the script, JSON.parse,
    // the columns decoded and the controls filled
    document.body.dataset.script = String(Math.round(T0));
    document.body.dataset.parse = String(Math.round(T1 - T0));
    document.body.dataset.setup = String(Math.round(t0 - T1));
    requestAnimationFrame(function () {
      setTimeout(function () { document.body.dataset.drawn = String(Math.round(performance.now())); }, 0);
    });
  }
  window.addEventListener("hashchange", fromHash);
})();
