// Asisten Tangerang LIVE web chat. Plain ES2020, no build step, no external resources.
// Strings come from the page (#strings, rendered from locales/id/webchat.ftl); replies are
// always inserted with textContent, never as HTML.
"use strict";
(() => {
  const S = JSON.parse(document.getElementById("strings").textContent);
  const API = document.body.dataset.api || "/webchat/api";
  const KEY = "tlive.webchat.session";
  const POLL_MS = 3000, HIDDEN_POLL_MS = 30000, MAX_AUTO_RETRIES = 4, BIG_PHOTO = 1.5e6;
  const $ = (id) => document.getElementById(id);
  const main = $("main"), log = $("log"), form = $("composer"), input = $("text");
  const status = $("status"), statusText = $("status-text"), retryBtn = $("retry");
  const controls = [$("send"), $("camera-btn"), $("gallery-btn"), $("new-chat")];

  const store = {
    get() { try { return localStorage.getItem(KEY); } catch { return null; } },
    set(v) { try { v ? localStorage.setItem(KEY, v) : localStorage.removeItem(KEY); } catch { /* private mode */ } },
  };
  let sessionId = store.get(), lastSeq = 0, busy = false, epoch = 0, activeChoices = null;
  let pollTimer = null, polling = false, pollFails = 0;
  const seen = new Set();

  class HttpError extends Error {
    constructor(status, message, retryAfter = 0) { super(message); this.status = status; this.retryAfter = retryAfter; }
  }

  // crypto.randomUUID needs a secure context (https or localhost); plain http gets the fallback.
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // ---- HTTP ---------------------------------------------------------------------------------
  async function request(method, path, body) {
    const opts = { method, headers: { Accept: "application/json" }, cache: "no-store" };
    if (body instanceof FormData) opts.body = body;
    else if (body) { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 90000);
    opts.signal = ctrl.signal;
    try {
      const res = await fetch(API + path, opts);
      let data = null;
      try { data = await res.json(); } catch { /* not JSON */ }
      if (res.ok) return data || {};
      throw new HttpError(res.status, data && typeof data.error === "string" ? data.error : "",
        Number(res.headers.get("Retry-After")) || 0);
    } finally { clearTimeout(timer); }
  }
  const retryable = (e) => !(e instanceof HttpError) || e.status >= 500 || e.status === 408 || e.status === 429;
  const messagesPath = (after) => `/sessions/${encodeURIComponent(sessionId)}/messages` +
    (after == null ? "" : `?after=${after}`);

  // Wait `ms`, or until the browser is back online when it says it is offline.
  function pause(ms) {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); window.removeEventListener("online", done); resolve(); };
      const t = setTimeout(done, navigator.onLine === false ? HIDDEN_POLL_MS : ms);
      window.addEventListener("online", done);
    });
  }

  function waitForRetryTap() {
    showStatus(S.failed, true);
    return new Promise((resolve) => {
      const done = () => {
        retryBtn.removeEventListener("click", done); window.removeEventListener("online", done);
        showStatus(S.sending); resolve();
      };
      retryBtn.addEventListener("click", done); window.addEventListener("online", done);
    });
  }

  // Repeat the very same request (same body, same client_id) until it gets an answer.
  async function withRetry(call) {
    for (let attempt = 0; ; attempt++) {
      try { return await call(); } catch (e) {
        if (!retryable(e)) throw e;
        if (e.status === 429) { // too fast: show the server's words, wait as long as it says
          showStatus(e.message || S.connection);
          await pause(Math.min(Math.max(e.retryAfter, 1), 300) * 1000); attempt--; continue;
        }
        if (attempt >= MAX_AUTO_RETRIES) { await waitForRetryTap(); attempt = -1; continue; }
        showStatus(navigator.onLine === false ? S.offline : S.connection);
        await pause(Math.min(1000 * 2 ** attempt, 15000));
      }
    }
  }

  // ---- rendering ----------------------------------------------------------------------------
  const scrollDown = () => { main.scrollTop = main.scrollHeight; };
  function showStatus(text, retry = false) {
    statusText.textContent = text; retryBtn.hidden = !retry; status.hidden = false; scrollDown();
  }
  const hideStatus = () => { status.hidden = true; };

  function refreshChoices() {
    for (const b of log.querySelectorAll(".choices button")) b.disabled = busy || b.parentNode !== activeChoices;
  }

  function setBusy(on) {
    busy = on;
    input.readOnly = on; // keeps the phone keyboard open, unlike `disabled`
    for (const c of controls) c.disabled = on;
    log.setAttribute("aria-busy", String(on));
    refreshChoices();
  }

  // Text with line breaks (CSS pre-wrap) and plain web addresses turned into links.
  function appendText(parent, text) {
    const p = el("p", "text");
    String(text).split(/(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]])/).forEach((part, i) => {
      if (i % 2 === 0) { if (part) p.append(part); return; }
      const a = el("a", null, part);
      a.href = part; a.target = "_blank"; a.rel = "noopener noreferrer";
      p.append(a);
    });
    parent.append(p);
  }

  // An agent's message carries a visible "Petugas" label; others a label for screen readers.
  function addBubble(who, agent = false) {
    const row = el("div", `msg ${who}`), bubble = el("div", "bubble");
    bubble.append(agent ? el("span", "who", S.agentName) : el("span", "sr-only", who === "bot" ? S.botName : S.you));
    row.append(bubble); log.append(row);
    return bubble;
  }

  function safeUrl(raw) {
    try {
      const u = new URL(raw, location.href);
      return u.protocol === "https:" || u.protocol === "http:" || u.protocol === "blob:" ? u.href : null;
    } catch { return null; }
  }

  function addBot(reply, notice = false) {
    const bubble = addBubble("bot", reply.from === "agent");
    if (notice) bubble.classList.add("notice");
    const src = reply.image_url && safeUrl(reply.image_url);
    if (src) {
      const img = el("img", "picture");
      img.src = src; img.alt = S.botImageAlt; img.addEventListener("load", scrollDown);
      bubble.append(img);
    }
    if (reply.text) appendText(bubble, reply.text);
    if (Array.isArray(reply.buttons) && reply.buttons.length) {
      const group = el("div", "choices");
      group.setAttribute("role", "group"); group.setAttribute("aria-label", S.choices);
      for (const b of reply.buttons) {
        const btn = el("button", "choice", b.label);
        btn.type = "button"; btn.dataset.id = b.id;
        btn.addEventListener("click", () => choose(b, btn));
        group.append(btn);
      }
      bubble.parentNode.append(group);
      activeChoices = group;
    }
    if (reply.capture === "user" || reply.capture === "environment") $("camera").setAttribute("capture", reply.capture);
  }

  function addCitizen(text, photo) {
    activeChoices = null;
    const bubble = addBubble("me");
    if (photo) {
      const img = el("img", "thumb");
      img.alt = S.photoSentAlt; img.src = URL.createObjectURL(photo);
      img.addEventListener("load", scrollDown);
      bubble.append(img);
    }
    if (text) appendText(bubble, text);
    refreshChoices(); scrollDown();
  }

  // Citizen turns are drawn only from the first load (?after=0); later ones were drawn locally.
  // After a send, a poll from the old position must follow when the answer was a duplicate
  // (its replies may be missing) or carries `seq` (then earlier unseen messages are fetched
  // too and `seen` drops repeats). Returns whether that catch-up poll is needed.
  function render(data, { history = false, sent = false } = {}) {
    const replies = (data && data.replies) || [];
    const keyed = replies.length > 0 && replies.every((r) => r.seq != null);
    const catchUp = sent && (keyed || Boolean(data.duplicate));
    for (const r of sent && data.duplicate && !keyed ? [] : replies) {
      if (r.seq != null) { if (seen.has(r.seq)) continue; seen.add(r.seq); }
      if (r.from === "citizen") { if (history) addCitizen(r.text || S.photoSent); } else addBot(r);
    }
    if (!catchUp && data && Number.isInteger(data.last_seq)) lastSeq = Math.max(lastSeq, data.last_seq);
    refreshChoices(); scrollDown();
    return catchUp;
  }

  function showError(e) {
    hideStatus();
    addBot({ text: (e instanceof HttpError && e.message) || S.generic }, true);
    scrollDown();
  }

  // ---- conversation -------------------------------------------------------------------------
  async function startSession() {
    const data = await withRetry(() => request("POST", "/sessions"));
    sessionId = data.session_id; store.set(sessionId);
    lastSeq = 0; seen.clear(); activeChoices = null; log.replaceChildren();
    render(data, { history: true }); // the server answers with the greeting and the menu
    render(await withRetry(() => request("GET", messagesPath(lastSeq))), { history: true });
  }

  // A returning visitor sees her history; a chat still empty (opened before greetings existed)
  // is greeted now. The server greets only an empty chat, so reloading never greets twice.
  async function reopen() {
    const data = await withRetry(() => request("GET", messagesPath(0)));
    if (data.last_seq === 0 && !(data.replies || []).length) {
      render(await withRetry(() => request("POST", `/sessions/${encodeURIComponent(sessionId)}/greeting`)), { history: true });
    } else render(data, { history: true });
  }

  async function boot() {
    setBusy(true); showStatus(S.loading);
    try {
      if (!sessionId) await startSession();
      else {
        try { await reopen(); } catch (e) {
          if (e.status !== 404 && e.status !== 410) throw e;
          await startSession();
        }
      }
      hideStatus();
    } catch (e) { showError(e); }
    setBusy(false); schedulePoll();
  }

  // Show the citizen's turn with `draw`, then deliver `body`; retries reuse one client_id.
  async function send(body, draw) {
    if (busy) return;
    const clientId = uuid();
    if (body instanceof FormData) body.append("client_id", clientId); else body.client_id = clientId;
    epoch++; setBusy(true); draw(); showStatus(S.sending);
    let catchUp = false;
    try {
      let data;
      try { data = await withRetry(() => request("POST", messagesPath(), body)); } catch (e) {
        if (e.status !== 404 && e.status !== 410) throw e;
        await startSession(); draw(); // the old conversation is gone on the server: start again
        data = await withRetry(() => request("POST", messagesPath(), body));
      }
      // Erasing her data gave the chat a new session id; the old one no longer opens it.
      if (data && typeof data.session_id === "string" && data.session_id) {
        sessionId = data.session_id; store.set(sessionId);
      }
      hideStatus(); catchUp = render(data, { sent: true });
    } catch (e) { showError(e); }
    epoch++; setBusy(false); schedulePoll(catchUp ? 0 : undefined);
  }

  function choose(button, node) {
    if (busy) return;
    node.classList.add("chosen");
    send({ button: button.id }, () => addCitizen(button.label));
  }

  // Large phone photos are shrunk (longest side 2000 px, JPEG) before upload on slow networks.
  async function shrink(file) {
    if (file.size < BIG_PHOTO || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const k = Math.min(1, 2000 / Math.max(img.naturalWidth, img.naturalHeight));
      const canvas = el("canvas");
      canvas.width = Math.round(img.naturalWidth * k); canvas.height = Math.round(img.naturalHeight * k);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((r) => canvas.toBlob(r, "image/jpeg", 0.88));
      return blob && blob.size < file.size ? new File([blob], "photo.jpg", { type: "image/jpeg" }) : file;
    } catch { return file; } finally { URL.revokeObjectURL(url); }
  }

  async function onPhoto(ev) {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = ""; // choosing the same picture again must fire `change` again
    if (!file || busy) return;
    const photo = await shrink(file);
    const fd = new FormData();
    fd.append("photo", photo, photo.name || "photo.jpg");
    send(fd, () => addCitizen(S.photoSent, photo));
  }

  // ---- polling for later messages (decisions, agent replies) ---------------------------------
  function schedulePoll(ms) {
    clearTimeout(pollTimer);
    const wait = ms != null ? ms : pollFails ? Math.min(POLL_MS * 2 ** pollFails, 60000)
      : document.hidden ? HIDDEN_POLL_MS : POLL_MS;
    pollTimer = setTimeout(poll, wait);
  }

  async function poll() {
    if (polling || busy || !sessionId || navigator.onLine === false) { if (!polling) schedulePoll(); return; }
    polling = true;
    const mine = epoch;
    try {
      const data = await request("GET", messagesPath(lastSeq));
      if (mine === epoch) render(data); // a send started meanwhile: its answer wins, poll again
      pollFails = 0;
    } catch { pollFails = Math.min(pollFails + 1, 5); }
    polling = false;
    schedulePoll();
  }

  // ---- wiring -------------------------------------------------------------------------------
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    send({ text }, () => addCitizen(text));
  });
  for (const id of ["camera", "gallery"]) $(id).addEventListener("change", onPhoto);
  for (const btn of [$("camera-btn"), $("gallery-btn")]) {
    btn.addEventListener("click", () => { if (!busy) $(btn.dataset.for).click(); });
  }
  $("new-chat").addEventListener("click", async () => {
    if (busy || !window.confirm(S.newChatConfirm)) return;
    store.set(null); sessionId = null; setBusy(true);
    try { await startSession(); } catch (e) { showError(e); }
    setBusy(false);
  });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) schedulePoll(0); });
  window.addEventListener("online", () => { pollFails = 0; schedulePoll(0); });

  boot();
})();
