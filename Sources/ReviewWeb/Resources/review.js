// Keys for the review page. Plain JavaScript, no framework, no build step: every key does what
// a link or a form of the page does without JavaScript (the server checks and saves).
(function () {
  "use strict";
  var body = document.body;
  var page = body.dataset.page;
  var help = document.getElementById("help");

  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  // Posts one decision through a form built on the fly; the server answers with a redirect
  // back to this page, showing the new state.
  function post(fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/decide";
    var all = Object.assign({ csrf: body.dataset.csrf, back: body.dataset.back }, fields);
    Object.keys(all).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = all[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));
  function selectedRow() { return document.querySelector("tr.row.selected"); }
  function select(row) {
    var old = selectedRow();
    if (old) { old.classList.remove("selected"); old.removeAttribute("aria-selected"); }
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    // The page to come back to after a change keeps this article selected.
    body.dataset.back = body.dataset.back.replace(/([?&])sel=[^&]*&?/, "$1").replace(/[?&]$/, "") +
      (body.dataset.back.indexOf("?") < 0 ? "?" : "&") + "sel=" + encodeURIComponent(row.dataset.id);
  }
  if (page === "queue" && selectedRow()) select(selectedRow());

  // The article the keys act on: the selected row, or the article of this page.
  function target() {
    if (page === "article") return { id: body.dataset.id, version: body.dataset.version };
    var row = selectedRow();
    return row ? { id: row.dataset.id, version: row.dataset.version } : null;
  }

  var keyed = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-key-category]"), function (el) {
    keyed[el.dataset.key] = el.dataset.keyCategory;
  });

  function openExclude() {
    var t = target();
    if (!t) return;
    var dialog = document.getElementById("exclude-dialog");
    var form = document.getElementById("exclude-form");
    form.elements.id.value = t.id;
    form.elements.version.value = t.version;
    form.elements.back.value = body.dataset.back;
    if (dialog && dialog.showModal) dialog.showModal();
    document.getElementById("exclude-reason").focus();
  }
  var cancel = document.getElementById("exclude-cancel");
  if (cancel) cancel.addEventListener("click", function () { document.getElementById("exclude-dialog").close(); });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    var t = target();
    var i = rows.indexOf(selectedRow());
    switch (e.key) {
      case "j":
        if (page === "queue") select(rows[Math.min(rows.length - 1, i + 1)]);
        else if (body.dataset.next) location.href = body.dataset.next;
        break;
      case "k":
        if (page === "queue") select(rows[Math.max(0, i - 1)]);
        else if (body.dataset.previous) location.href = body.dataset.previous;
        break;
      case "Enter":
      case "o":
        if (page === "queue" && selectedRow()) location.href = selectedRow().dataset.href;
        break;
      case "q":
        if (page === "article") location.href = body.dataset.queue;
        break;
      case "c":
        if (t) post({ action: "confirm", id: t.id, version: t.version });
        break;
      case "u":
        if (t) post({ action: "undo", id: t.id, version: t.version });
        break;
      case "x":
        openExclude();
        break;
      case "i":
        var sem = document.getElementById("count-SEM");
        if (sem) { sem.focus(); sem.select(); }
        break;
      case "/":
        var search = document.getElementById("search");
        if (search) search.focus(); else location.href = "/";
        break;
      case "?":
        if (help) help.hidden = !help.hidden;
        break;
      default:
        if (keyed[e.key] && t) post({ action: "primary", primary: keyed[e.key], id: t.id, version: t.version });
        else return;
    }
    e.preventDefault();
  });
})();
