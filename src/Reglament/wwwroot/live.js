// Live pages: the server says (server-sent events, /desk/events) when something was stored after this page was drawn
// — on any node — and the page offers to reload rather than reloading itself, so nothing an engineer is typing is lost.
(function () {
  "use strict";
  var note = document.querySelector("[data-live]");
  if (!note || !window.EventSource) return;
  var source = new EventSource(note.getAttribute("data-live"));
  source.addEventListener("changed", function () {
    note.hidden = false;
    source.close();
  });
})();
