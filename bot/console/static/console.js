/* Review page: keyboard decisions (A approve, R reject, 1–7 reason — with or without R first,
   the reasons are always on screen —, Enter confirm, N skip or next, Esc cancel), zoom, pan and
   rotate for the photos inside their frames (+ − O 0 act on the KTP from anywhere on the page),
   and keeping the claim while the page is open.
   Works as plain forms without this script. */
(function () {
  "use strict";
  var review = document.getElementById("review");
  if (!review) return;
  var strings = JSON.parse(document.getElementById("console-strings").textContent);

  // --- zoom, pan and rotate, inside each photo's own frame --------------------------------
  // The picture is moved with a CSS transform only, so zooming never changes the layout: the
  // frame keeps its size and the selfie stays where it is. Wheel zooms toward the pointer,
  // dragging pans, and with the frame focused: + and - zoom, arrows pan, O turns, 0 resets.
  var MAX_ZOOM = 6;
  var views = {};
  function view(id) { return views[id] || (views[id] = { zoom: 1, turn: 0, x: 0, y: 0 }); }
  function frameOf(img) { return img.closest(".frame"); }
  function bounds(img, v) {
    // The fitted picture, turned, scaled to fit its frame again, then zoomed.
    var frame = frameOf(img);
    var w = img.offsetWidth, h = img.offsetHeight;
    var upright = v.turn % 180 === 0;
    var vw = upright ? w : h, vh = upright ? h : w;
    var fit = Math.min(1, frame.clientWidth / (vw || 1), frame.clientHeight / (vh || 1));
    var scale = fit * v.zoom;
    return {
      scale: scale,
      maxX: Math.max(0, (vw * scale - frame.clientWidth) / 2),
      maxY: Math.max(0, (vh * scale - frame.clientHeight) / 2),
    };
  }
  function clamp(value, limit) { return Math.max(-limit, Math.min(limit, value)); }
  function apply(id) {
    var img = document.getElementById(id);
    if (!img) return;
    var v = view(id);
    var b = bounds(img, v);
    // Never further than the picture's own edge: every corner can be reached, none lost.
    v.x = clamp(v.x, b.maxX);
    v.y = clamp(v.y, b.maxY);
    img.classList.toggle("zoomed", v.zoom > 1);
    img.style.transform = "translate(" + v.x + "px, " + v.y + "px) rotate(" + v.turn +
      "deg) scale(" + b.scale + ")";
  }
  function zoomTo(id, zoom, px, py) {
    // (px, py): the point to keep still, from the frame's centre (the centre when omitted).
    var v = view(id);
    var next = Math.max(1, Math.min(MAX_ZOOM, zoom));
    var ratio = next / v.zoom;
    px = px || 0; py = py || 0;
    v.x = px - (px - v.x) * ratio;
    v.y = py - (py - v.y) * ratio;
    v.zoom = next;
    apply(id);
  }
  function fromCentre(img, event) {
    var box = frameOf(img).getBoundingClientRect();
    return [event.clientX - box.left - box.width / 2, event.clientY - box.top - box.height / 2];
  }
  function turn(id) {
    var v = view(id);
    v.turn = (v.turn + 90) % 360;
    apply(id);
  }
  function reset(id) {
    views[id] = { zoom: 1, turn: 0, x: 0, y: 0 };
    apply(id);
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var v = view(button.dataset.zoom);
      zoomTo(button.dataset.zoom, v.zoom >= 3 ? 1 : Math.floor(v.zoom) + 1);
    });
  });
  document.querySelectorAll("[data-rotate]").forEach(function (button) {
    button.addEventListener("click", function () { turn(button.dataset.rotate); });
  });
  document.querySelectorAll("[data-reset]").forEach(function (button) {
    button.addEventListener("click", function () { reset(button.dataset.reset); });
  });
  document.querySelectorAll("img[data-zoomable]").forEach(function (img) {
    var frame = frameOf(img);
    var id = img.id;
    var drag = null;
    img.draggable = false;
    frame.tabIndex = 0;
    frame.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = fromCentre(img, event);
      zoomTo(id, view(id).zoom * (event.deltaY < 0 ? 1.25 : 0.8), at[0], at[1]);
    }, { passive: false });
    frame.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      var v = view(id);
      drag = { x: event.clientX, y: event.clientY, startX: v.x, startY: v.y, moved: false };
      frame.setPointerCapture(event.pointerId);
      frame.classList.add("dragging");
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      var v = view(id);
      v.x = drag.startX + dx;
      v.y = drag.startY + dy;
      apply(id);
    });
    function endDrag(event) {
      if (!drag) return;
      var clicked = !drag.moved && event.type === "pointerup";
      drag = null;
      frame.classList.remove("dragging");
      if (clicked) {
        // A click (not a drag) zooms in on that spot, or back out.
        var at = fromCentre(img, event);
        zoomTo(id, view(id).zoom > 1 ? 1 : 2.5, at[0], at[1]);
      }
    }
    frame.addEventListener("pointerup", endDrag);
    frame.addEventListener("pointercancel", endDrag);
    frame.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var v = view(id);
      var stepX = frame.clientWidth / 8, stepY = frame.clientHeight / 8;
      var handled = true;
      switch (event.key) {
        case "+": case "=": zoomTo(id, v.zoom * 1.25); break;
        case "-": case "_": zoomTo(id, v.zoom * 0.8); break;
        case "0": reset(id); break;
        case "o": case "O": turn(id); break;
        // An arrow moves the view: the picture goes the other way.
        case "ArrowLeft": v.x += stepX; apply(id); break;
        case "ArrowRight": v.x -= stepX; apply(id); break;
        case "ArrowUp": v.y += stepY; apply(id); break;
        case "ArrowDown": v.y -= stepY; apply(id); break;
        default: handled = false;
      }
      if (handled) { event.preventDefault(); event.stopPropagation(); }
    });
    if (img.complete) apply(id); else img.addEventListener("load", function () { apply(id); });
  });
  window.addEventListener("resize", function () { Object.keys(views).forEach(apply); });
  // Outside a photo's frame, + − O 0 act on the KTP: the card is what is read most.
  function ktpKeys(key) {
    var id = "img-ktp";
    if (!document.getElementById(id)) return false;
    var v = view(id);
    switch (key) {
      case "+": case "=": zoomTo(id, v.zoom * 1.25); return true;
      case "-": case "_": zoomTo(id, v.zoom * 0.8); return true;
      case "0": reset(id); return true;
      case "o": case "O": turn(id); return true;
      default: return false;
    }
  }

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
    // Picking a reason with the mouse readies a rejection too; Enter or the button sends it.
    reasons.addEventListener("change", function (event) {
      if (event.target.name !== "reason") return;
      arm("reject");
      say(strings.reasonPicked + " " + event.target.parentElement.textContent.trim());
    });
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
      if (ktpKeys(key)) { event.preventDefault(); return; }
      if ((key === "n" || key === "N") && nextLink) { event.preventDefault(); nextLink.click(); }
      return;
    }
    if (key === "a" || key === "A") {
      event.preventDefault(); arm("approve"); say(strings.approveReady);
    } else if (key === "r" || key === "R") {
      event.preventDefault(); arm("reject"); say(strings.rejectReady);
    } else if (/^[1-9]$/.test(key)) {
      // Every reason is on screen, so its number alone readies the rejection (R first still works).
      var radio = document.getElementById("reason-" + key);
      if (!radio) return;
      event.preventDefault();
      arm("reject");
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
    } else if (ktpKeys(key)) {
      event.preventDefault();
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
