/* FAQ editor: show try-it results while typing, and try the unsaved form on the edit page.
   Everything works without this script (the try-it box is a plain form). */
(function () {
  "use strict";

  function show(target, html) { target.innerHTML = html; }

  // --- try it: results as one types -------------------------------------------------------
  var form = document.getElementById("faq-try-form");
  var input = document.getElementById("faq-try-text");
  var results = document.getElementById("faq-try-results");
  if (form && input && results) {
    var timer = null;
    var asked = 0;
    var run = function () {
      var text = input.value.trim();
      var mine = ++asked;
      if (!text) { show(results, ""); return; }
      fetch(form.action + "?partial=1&text=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (resp) { return resp.ok ? resp.text() : ""; })
        .then(function (html) { if (mine === asked) show(results, html); })
        .catch(function () { /* offline for a moment: the next keystroke retries */ });
    };
    input.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (timer) clearTimeout(timer);
      run();
    });
  }

  // --- try the unsaved form ---------------------------------------------------------------
  var box = document.getElementById("faq-draft-try");
  var entry = document.getElementById("faq-form");
  if (box && entry) {
    box.hidden = false;
    var text = document.getElementById("faq-draft-text");
    var out = document.getElementById("faq-draft-results");
    var tryDraft = function () {
      if (!text.value.trim()) return;
      var body = new URLSearchParams(new FormData(entry));
      body.delete("csrf");
      body.set("text", text.value);
      fetch(box.dataset.url, {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRF-Token": box.dataset.csrf },
      }).then(function (resp) { return resp.text(); })
        .then(function (html) { show(out, html); })
        .catch(function () { /* try again */ });
    };
    document.getElementById("faq-draft-try-btn").addEventListener("click", tryDraft);
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); tryDraft(); }
    });
  }
})();
