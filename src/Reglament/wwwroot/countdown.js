// The live countdown of the queue and of the ticket page's side panel: every half minute the server says how much
// working time each shown ticket has left (it knows the production calendar; the browser does not) and the SLA
// state, and the cells follow.
(function () {
  "use strict";
  var table = document.querySelector("[data-countdowns]");
  if (!table) return;
  var states = ["OnTrack", "AtRisk", "Breached", "Met", "Paused"];

  function numbers() {
    var seen = {};
    table.querySelectorAll("[data-ticket]").forEach(function (e) { seen[e.getAttribute("data-ticket")] = true; });
    return Object.keys(seen);
  }

  function apply(number, c) {
    table.querySelectorAll("[data-ticket='" + number + "']").forEach(function (e) {
      if (e.classList.contains("countdown")) {
        e.textContent = c.text;
      } else if (e.classList.contains("sla")) {
        states.forEach(function (s) { e.classList.remove("sla-" + s); });
        e.classList.add("sla-" + c.state);
        e.textContent = c.stateText;
        var row = e.closest("tr");
        if (!row) return; // the ticket page's panel has no row to colour
        states.forEach(function (s) { row.classList.remove("row-sla-" + s); });
        row.classList.add("row-sla-" + c.state);
      }
    });
  }

  function refresh() {
    if (document.hidden) return;
    var list = numbers();
    if (list.length === 0) return;
    var query = list.map(function (n) { return "n=" + encodeURIComponent(n); }).join("&");
    fetch(table.getAttribute("data-countdowns") + "?" + query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        Object.keys(data).forEach(function (n) { apply(n, data[n]); });
        table.setAttribute("data-refreshed", new Date().toISOString());
      })
      .catch(function () { /* the next tick tries again */ });
  }

  setInterval(refresh, 30000);
  document.addEventListener("visibilitychange", refresh);
})();
