/* Console *Chats*: the live helpdesk queue and one chat, updated by server-sent events without
   reloading the page; replies and notes are sent in the background. Without this script the pages
   still work as plain forms. Text from the server is always inserted with textContent. */
(function () {
  "use strict";
  var stringsNode = document.getElementById("chats-strings");
  if (!stringsNode) return;
  var S = JSON.parse(stringsNode.textContent);
  var liveBadge = document.getElementById("live");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // EventSource reconnects by itself (sending Last-Event-ID); the badge says whether we are live.
  function listen(url, handlers) {
    var source = new EventSource(url);
    source.onopen = function () { if (liveBadge) { liveBadge.textContent = S.live; liveBadge.dataset.state = "live"; } };
    source.onerror = function () { if (liveBadge) { liveBadge.textContent = S.reconnecting; liveBadge.dataset.state = "down"; } };
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (event) { handlers[name](JSON.parse(event.data)); });
    });
    // The session ended (signed out, deactivated, timed out): stop, and go sign in again.
    source.addEventListener("signed_out", function (event) {
      source.close();
      window.location.assign(JSON.parse(event.data).location);
    });
    return source;
  }

  function waitLabel(iso) {
    if (!iso) return "–";
    var minutes = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000));
    if (minutes < 60) return S.minutes.replace("{m}", String(minutes));
    return S.hours.replace("{h}", String(Math.floor(minutes / 60))).replace("{m}", String(minutes % 60));
  }
  function refreshWaits() {
    document.querySelectorAll("[data-since]").forEach(function (cell) {
      cell.textContent = waitLabel(cell.dataset.since);
    });
  }

  // --- the queue ---------------------------------------------------------------------------
  var queue = document.getElementById("chat-queue");
  if (queue) {
    var rows = document.getElementById("queue-rows");
    var empty = document.getElementById("queue-empty");
    var baseTitle = document.title;
    var claimForm = function (item) {
      var form = el("form");
      form.method = "post"; form.action = item.url + "/claim";
      var csrf = el("input"); csrf.type = "hidden"; csrf.name = "csrf"; csrf.value = queue.dataset.csrf;
      var button = el("button", "primary", S.take); button.type = "submit";
      form.append(csrf, button);
      return form;
    };
    var row = function (item) {
      var tr = el("tr", item.mine ? "mine" : "");
      tr.dataset.id = item.id; tr.dataset.mode = item.mode;
      var link = el("a", null, "#" + item.id); link.href = item.url;
      var first = el("td"); first.append(link);
      var last = el("td", "last");
      last.append(el("span", "who", item.name || S.noName), el("span", "preview", item.preview || ""));
      var wait = el("td", "wait"); wait.dataset.since = item.queued_at || "";
      var action = el("td");
      if (item.mode === "queued") action.append(claimForm(item));
      else { var open = el("a", "button", S.open); open.href = item.url; action.append(open); }
      tr.append(first, last, el("td", null, item.channel), el("td", null, item.reason), wait,
        el("td", null, item.status), action);
      return tr;
    };
    // Opt-in: a short tone, and a desktop notification where the browser allows one, when a
    // citizen starts waiting who was not waiting before. Says nothing about who it is.
    var alertBox = document.getElementById("queue-alert");
    var alertNote = document.getElementById("queue-alert-note");
    var ALERT_KEY = "tlive.console.queueAlert";
    var waitingIds = null;
    var audio = null;
    function tone() {
      window.tliveAlerts = (window.tliveAlerts || 0) + 1;  // counted for tests and for support
      try {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = 880; gain.gain.value = 0.15;
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(); osc.stop(audio.currentTime + 0.25);
      } catch (e) { /* no sound available: the title still counts the waiting chats */ }
    }
    function notify(count) {
      if (!("Notification" in window) || Notification.permission !== "granted") return;
      try { new Notification(S.alertTitle, { body: S.alertBody.replace("{count}", String(count)), tag: "tlive-queue" }); }
      catch (e) { /* some browsers only notify from a service worker: the tone is enough */ }
    }
    if (alertBox) {
      alertBox.checked = localStorage.getItem(ALERT_KEY) === "1";
      alertBox.addEventListener("change", function () {
        localStorage.setItem(ALERT_KEY, alertBox.checked ? "1" : "0");
        if (!alertBox.checked) return;
        tone();  // the click unlocks sound for this page
        if ("Notification" in window && Notification.permission === "default") {
          Notification.requestPermission().then(function (answer) {
            if (answer === "denied") alertNote.textContent = S.alertBlocked;
          });
        } else if ("Notification" in window && Notification.permission === "denied") {
          alertNote.textContent = S.alertBlocked;
        }
      });
    }
    function alertOnNew(items) {
      var now = items.filter(function (i) { return i.mode === "queued"; }).map(function (i) { return i.id; });
      var fresh = waitingIds === null ? [] : now.filter(function (id) { return waitingIds.indexOf(id) < 0; });
      waitingIds = now;
      if (fresh.length && alertBox && alertBox.checked) { tone(); notify(now.length); }
    }
    alertOnNew(Array.prototype.map.call(rows.querySelectorAll("tr"), function (tr) {
      return { id: Number(tr.dataset.id), mode: tr.dataset.mode };
    }));

    listen(queue.dataset.events, {
      queue: function (data) {
        alertOnNew(data.items);
        rows.replaceChildren.apply(rows, data.items.map(row));
        empty.hidden = data.items.length > 0;
        var waiting = data.items.filter(function (i) { return i.mode === "queued"; }).length;
        document.title = waiting ? "(" + waiting + ") " + baseTitle : baseTitle;
        refreshWaits();
      },
    });
    refreshWaits();
    setInterval(refreshWaits, 15000);
  }

  // --- one chat ----------------------------------------------------------------------------
  var chat = document.getElementById("chat");
  if (!chat) return;
  var history = document.getElementById("history");
  var statusLine = document.getElementById("chat-status");
  var composer = document.getElementById("composer");
  var composerStatus = document.getElementById("composer-status");
  var state = JSON.parse(document.getElementById("chat-state").textContent);

  function visible(when) {
    if (when === "queued") return state.mode === "queued";
    if (when === "mine") return state.mine;
    if (when === "act") return state.mode === "agent" && (state.mine || state.admin);
    return true;
  }
  function applyState(next) {
    state = next;
    statusLine.textContent = state.label;
    chat.dataset.mode = state.mode;
    document.querySelectorAll("[data-show]").forEach(function (node) { node.hidden = !visible(node.dataset.show); });
  }

  function scrollDown() { history.lastElementChild && history.lastElementChild.scrollIntoView({ block: "end" }); }

  function addMessage(m) {
    if (history.querySelector('[data-seq="' + m.seq + '"]')) return;
    var li = el("li", "msg " + m.direction + " " + m.author);
    li.dataset.seq = m.seq;
    var meta = el("div", "meta");
    meta.append(el("span", "author", m.who), " · ", el("span", "at", m.at));
    if (m.delivery) {
      var d = el("span", "delivery " + m.delivery.state, m.delivery.label);
      d.dataset.delivery = m.seq; meta.append(" ", d);
    }
    li.append(meta);
    if (m.media) {
      var img = el("img", "chat-photo"); img.src = m.media; img.alt = "";
      img.addEventListener("load", scrollDown); li.append(img);
    }
    if (m.text) li.append(el("p", "text", m.text));
    if (m.buttons && m.buttons.length) {
      var ul = el("ul", "offered");
      m.buttons.forEach(function (b) { ul.append(el("li", null, b)); });
      li.append(ul);
    }
    history.append(li);
    scrollDown();
  }

  function applyDelivery(map) {
    Object.keys(map).forEach(function (seq) {
      var item = map[seq];
      var li = history.querySelector('[data-seq="' + seq + '"]');
      if (!li || !item) return;
      var span = li.querySelector("[data-delivery]");
      if (!span) { span = el("span"); span.dataset.delivery = seq; li.querySelector(".meta").append(" ", span); }
      span.className = "delivery " + item.state;
      span.textContent = item.label;
    });
  }

  listen(chat.dataset.events + "?after=" + encodeURIComponent(chat.dataset.after), {
    message: addMessage, state: applyState, delivery: applyDelivery,
  });

  var canned = document.getElementById("canned");
  var text = document.getElementById("reply-text");
  if (canned) {
    canned.addEventListener("change", function () {
      var option = canned.options[canned.selectedIndex];
      if (option && option.dataset.text && !text.value.trim()) text.value = option.dataset.text;
    });
  }

  // Send in the background; the message itself arrives through the stream like any other.
  if (composer) {
    var sending = false;
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;
      var submitter = event.submitter;
      var url = (submitter && submitter.getAttribute("formaction")) || composer.action;
      var body = new FormData(composer);
      sending = true;
      composerStatus.textContent = S.sending;
      fetch(url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRF-Token": chat.dataset.csrf, Accept: "application/json" },
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          if (!resp.ok) throw new Error(data.message || S.failed);
          composer.reset();
          composerStatus.textContent = S.sent;
        });
      }).catch(function (error) {
        composerStatus.textContent = error.message || S.failed;
      }).then(function () { sending = false; });
    });
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        document.getElementById(state.mine ? "send-btn" : "note-btn").click();
      }
    });
  }
  applyState(state);
  scrollDown();
})();
