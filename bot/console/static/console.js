/* Review page: keyboard decisions (A approve, R reject, 1–7 reason, Enter confirm, N next,
   Esc cancel), zoom and rotate for the photos, and keeping the claim while the page is open.
   Works as plain forms without this script. */
(function () {
  "use strict";
  var review = document.getElementById("review");
  if (!review) return;
  var strings = JSON.parse(document.getElementById("console-strings").textContent);

  // --- zoom and rotate -------------------------------------------------------------------
  var views = {};
  function view(id) { return views[id] || (views[id] = { zoom: 1, turn: 0 }); }
  function apply(id) {
    var img = document.getElementById(id);
    if (!img) return;
    var v = view(id);
    img.classList.toggle("zoomed", v.zoom > 1);
    img.style.transform = "rotate(" + v.turn + "deg) scale(" + v.zoom + ")";
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var v = view(button.dataset.zoom);
      v.zoom = v.zoom >= 3 ? 1 : v.zoom + 1;
      apply(button.dataset.zoom);
    });
  });
  document.querySelectorAll("[data-rotate]").forEach(function (button) {
    button.addEventListener("click", function () {
      var v = view(button.dataset.rotate);
      v.turn = (v.turn + 90) % 360;
      apply(button.dataset.rotate);
    });
  });
  document.querySelectorAll("[data-reset]").forEach(function (button) {
    button.addEventListener("click", function () {
      views[button.dataset.reset] = { zoom: 1, turn: 0 };
      apply(button.dataset.reset);
    });
  });
  document.querySelectorAll("img[data-zoomable]").forEach(function (img) {
    img.addEventListener("click", function () {
      var v = view(img.id);
      v.zoom = v.zoom > 1 ? 1 : 2;
      apply(img.id);
    });
  });

  // --- keyboard decisions ----------------------------------------------------------------
  var form = document.getElementById("decision-form");
  var nextLink = document.getElementById("next-link");
  var skipForm = document.getElementById("skip-form");
  var reasons = document.getElementById("reasons");
  var note = document.getElementById("note");
  var status = document.getElementById("key-status");
  var rejectButton = document.getElementById("reject-btn");
  var mode = null; // null | "approve" | "reject"
  var sending = false;

  function say(text) { if (status) status.textContent = text; }
  function arm(next) {
    mode = next;
    review.classList.toggle("armed-approve", mode === "approve");
    review.classList.toggle("armed-reject", mode === "reject");
    if (reasons) reasons.classList.toggle("collapsed", mode !== "reject");
    if (rejectButton) rejectButton.setAttribute("aria-expanded", mode === "reject" ? "true" : "false");
  }
  function picked() {
    var checked = form && form.querySelector("input[name=reason]:checked");
    return checked ? checked.value : null;
  }
  function submit(buttonId) {
    if (sending) return;
    var reason = picked();
    var override = document.getElementById("override-duplicate");
    if (buttonId === "approve-btn" && override &&
        (!override.checked || !document.getElementById("override-note").value.trim())) {
      say(strings.duplicateNeeded); override.focus(); return;
    }
    if (buttonId === "confirm-reject") {
      if (!reason) { say(strings.rejectReady); return; }
      if (reason === "other" && !note.value.trim()) { say(strings.noteNeeded); note.focus(); return; }
    }
    sending = true;
    var button = document.getElementById(buttonId);
    if (form.requestSubmit) form.requestSubmit(button); else button.click();
  }
  if (form) {
    arm(null);
    rejectButton.addEventListener("click", function () { arm("reject"); say(strings.rejectReady); });
    form.addEventListener("submit", function () { sending = true; });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var key = event.key;
    var inNote = event.target === note;
    var inField = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) &&
      !(event.target.type === "radio");
    if (inNote) {
      if (key === "Enter" && !event.shiftKey) { event.preventDefault(); submit("confirm-reject"); }
      else if (key === "Escape") { note.blur(); }
      return;
    }
    if (inField) return;
    if (!form) {
      if ((key === "n" || key === "N") && nextLink) { event.preventDefault(); nextLink.click(); }
      return;
    }
    if (key === "a" || key === "A") {
      event.preventDefault(); arm("approve"); say(strings.approveReady);
    } else if (key === "r" || key === "R") {
      event.preventDefault(); arm("reject"); say(strings.rejectReady);
    } else if (mode === "reject" && /^[1-9]$/.test(key)) {
      var radio = document.getElementById("reason-" + key);
      if (!radio) return;
      event.preventDefault();
      radio.checked = true;
      say(strings.reasonPicked + " " + radio.parentElement.textContent.trim());
      if (radio.value === "other") note.focus();
    } else if (key === "Enter" && mode) {
      event.preventDefault();
      submit(mode === "approve" ? "approve-btn" : "confirm-reject");
    } else if (key === "Escape") {
      arm(null); say(strings.cancelled);
    } else if ((key === "n" || key === "N") && skipForm && !sending) {
      event.preventDefault(); sending = true; skipForm.submit();
    }
  });

  // --- keep the claim while the page is open ---------------------------------------------
  if (review.dataset.open === "1") {
    var every = Math.max(parseInt(review.dataset.claimSeconds, 10) * 1000 / 2, 30000);
    setInterval(function () {
      fetch(review.dataset.claimUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": review.dataset.csrf },
      }).then(function (resp) { return resp.ok ? resp.json() : null; })
        .then(function (body) { if (body && !body.mine) say(strings.claimLost); })
        .catch(function () { /* offline for a moment: the next beat retries */ });
    }, every);
  }
})();
