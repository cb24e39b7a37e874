// Keyboard shortcuts for the frequent actions (not while typing in a field): «/» search the queue, «r» the reply
// box, «n» the internal note, «g» back to the queue. Each element that has one says so in its title.
(function () {
  "use strict";
  var targets = { "/": "input[type=search]", "r": "#ReplyText", "n": "#NoteText" };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "g") {
      window.location.href = "/";
      return;
    }
    var selector = targets[e.key];
    if (!selector) return;
    var field = document.querySelector(selector);
    if (!field) return;
    e.preventDefault();
    field.focus();
  });
})();
