// Asisten Tangerang LIVE web chat. Plain ES2020, no build step, no external resources.
// Strings come from the page (#strings, rendered from locales/id/webchat.ftl); replies are
// always inserted with textContent, never as HTML.
"use strict";
(() => {
  const S = JSON.parse(document.getElementById("strings").textContent);
  const API = document.body.dataset.api || "/webchat/api";
  const KEY = "tlive.webchat.session", SIZE_KEY = "tlive.webchat.textsize";
  const POLL_MS = 3000, HIDDEN_POLL_MS = 30000, MAX_AUTO_RETRIES = 4, BIG_PHOTO = 1.5e6;
  // From this many buttons on, a list is a two-column grid with a filter box and numbers.
  const LONG_LIST = 7;
  // Text size steps of the A−/A+ control, as a factor on the phone's own text size.
  const SIZES = [0.85, 1, 1.15, 1.3];
  // A registration reference (bot/storage/repositories/registrations.py): never split it.
  const REFERENCE = /(\bTL-[2-9A-HJKMNP-Z]{6}\b)/;
  const LINK = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]])/;
  const $ = (id) => document.getElementById(id);
  const main = $("main"), log = $("log"), form = $("composer"), input = $("text");
  const status = $("status"), statusText = $("status-text"), retryBtn = $("retry");
  const photoRow = $("photo-row"), camera = $("camera"), player = $("player");
  const smaller = $("text-smaller"), bigger = $("text-bigger");
  const controls = [$("send"), $("camera-btn"), $("gallery-btn"), $("new-chat")];

  const storage = (key) => ({
    get() { try { return localStorage.getItem(key); } catch { return null; } },
    set(v) { try { v ? localStorage.setItem(key, v) : localStorage.removeItem(key); } catch { /* private mode */ } },
  });
  const store = storage(KEY), sizeStore = storage(SIZE_KEY);
  let sessionId = store.get(), lastSeq = 0, busy = false, epoch = 0, activeChoices = null;
  let pollTimer = null, polling = false, pollFails = 0, lists = 0;
  // Where new replies start: scrolling shows them from their first line (a long list from its
  // question) rather than from their end, so nobody has to scroll back up to read.
  let anchor = null, pinned = true;
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

  function icon(path) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true");
    const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("d", path); svg.append(p);
    return svg;
  }
  const SPEAKER = "M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 7.97v8.05A4.48 4.48 0 0 0 16.5 12ZM14 3.23v2.06a7 7 0 0 1 0 13.42v2.06a9 9 0 0 0 0-17.54Z";
  const STOP = "M6 6h12v12H6z";
  const SEARCH = "M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z";

  // ---- emoji an old phone cannot draw ---------------------------------------------------------
  // Android before 8 has no 🪪 (Unicode 14) and friends: it draws an empty box. Each emoji is
  // drawn once on a canvas and compared with a character no font has; the ones that come out
  // the same are left out (every label says its meaning in words too). A browser without
  // Unicode property escapes keeps the text as it is.
  const PICTO = (() => {
    try {
      return new RegExp("( ?)(\\p{Extended_Pictographic}(?:\\uFE0F|[\\u{1F3FB}-\\u{1F3FF}]|" +
        "\\u200D\\p{Extended_Pictographic}\\uFE0F?)*)( ?)", "gu");
    } catch { return null; }
  })();
  const drawable = new Map();
  let inkOf = null;
  function canDraw(emoji) {
    if (drawable.has(emoji)) return drawable.get(emoji);
    let ok = true;
    try {
      if (!inkOf) {
        const canvas = el("canvas"); canvas.width = canvas.height = 32;
        const g = canvas.getContext("2d", { willReadFrequently: true });
        const family = getComputedStyle(document.body).fontFamily;
        inkOf = (text) => {
          g.clearRect(0, 0, 32, 32);
          g.font = `24px ${family}`; g.textBaseline = "top"; g.fillStyle = "#000";
          g.fillText(text, 0, 2);
          return g.getImageData(0, 0, 32, 32).data.join(",");
        };
        inkOf.missing = inkOf("\u{10FFFD}"); // private use, plane 16: drawn as "no glyph"
      }
      ok = inkOf(emoji) !== inkOf.missing;
    } catch { ok = true; }
    drawable.set(emoji, ok);
    return ok;
  }
  const plain = (text) => (PICTO ? String(text).replace(PICTO, (all, before, emoji, after) =>
    (canDraw(emoji) ? all : before && after ? " " : "")) : String(text));

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
  // To the end of the chat, but never past the start of the newest replies.
  function scrollDown() {
    const end = main.scrollHeight - main.clientHeight;
    main.scrollTop = anchor && anchor.isConnected ? Math.min(end, anchor.offsetTop - 8) : end;
    pinned = true;
  }
  main.addEventListener("scroll", () => {
    pinned = main.scrollHeight - main.scrollTop - main.clientHeight < 48;
  }, { passive: true });

  function showStatus(text, retry = false) {
    statusText.textContent = text; retryBtn.hidden = !retry; status.hidden = false; scrollDown();
  }
  const hideStatus = () => { status.hidden = true; };

  // Only the newest list is live; an answered long list shrinks to the chosen button (or
  // disappears from the history after a reload, where the citizen's own answer follows it).
  function refreshChoices() {
    for (const group of log.querySelectorAll(".choices")) {
      const live = group === activeChoices;
      for (const c of group.querySelectorAll("button, input")) c.disabled = busy || !live;
      if (group.classList.contains("long")) {
        group.classList.toggle("closed", !live);
        group.hidden = !live && !group.querySelector(".chosen");
      }
    }
  }

  function setBusy(on) {
    busy = on;
    input.readOnly = on; // keeps the phone keyboard open, unlike `disabled`
    for (const c of controls) c.disabled = on;
    log.setAttribute("aria-busy", String(on));
    refreshChoices();
  }

  // Plain text, a registration reference kept on one line.
  function appendWords(parent, text) {
    text.split(REFERENCE).forEach((part, i) => {
      if (i % 2 === 0) { if (part) parent.append(part); } else parent.append(el("span", "ref", part));
    });
  }

  // Text with line breaks (CSS pre-wrap) and plain web addresses turned into links.
  function appendText(parent, text) {
    const p = el("p", "text");
    plain(text).split(LINK).forEach((part, i) => {
      if (i % 2 === 0) { if (part) appendWords(p, part); return; }
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

  // Pictures load only when near the screen; their size is reserved so nothing jumps.
  function addPicture(bubble, reply, src) {
    const img = el("img", "picture");
    img.alt = S.botImageAlt; img.loading = "lazy"; img.decoding = "async";
    const w = Number(reply.image_width), h = Number(reply.image_height);
    if (w > 0 && h > 0) { img.width = w; img.height = h; }
    img.addEventListener("load", () => {
      if (!img.getAttribute("width")) { img.width = img.naturalWidth; img.height = img.naturalHeight; }
      if (pinned) scrollDown();
    });
    img.src = src;
    bubble.append(img);
  }

  // Letters and digits only, without accents: "Karang Tengah" and "karangtengah" match.
  const fold = (s) => String(s).normalize("NFD").toLowerCase().replace(/[^a-z0-9]+/g, "");

  function addChoices(reply, row) {
    const long = reply.buttons.length >= LONG_LIST;
    // Typed numbers pick a button on the server: show them where the bot says so.
    const numbered = long || /ketik angkanya/i.test(reply.text || "");
    const group = el("div", long ? "choices long" : "choices");
    group.setAttribute("role", "group"); group.setAttribute("aria-label", S.choices);
    const list = long ? el("div", "options") : group;
    reply.buttons.forEach((b, i) => {
      const label = plain(b.label).trim() || String(b.label);
      const btn = el("button", "choice");
      btn.type = "button"; btn.dataset.id = b.id;
      if (numbered) btn.append(el("span", "num", `${i + 1}.`), " ");
      btn.append(el("span", "label", label));
      btn.dataset.match = fold(label); btn.dataset.n = String(i + 1);
      btn.addEventListener("click", () => choose(b, label, btn));
      list.append(btn);
    });
    if (long) {
      const id = `filter-${++lists}`;
      const box = el("div", "filter"), name = el("label");
      const filter = el("input"), none = el("p", "none", S.filterNone);
      name.htmlFor = id; name.append(icon(SEARCH), el("span", "sr-only", S.filterLabel));
      filter.id = id; filter.type = "search"; filter.placeholder = S.filterPlaceholder;
      filter.autocomplete = "off"; filter.spellcheck = false; filter.setAttribute("enterkeyhint", "go");
      none.hidden = true; none.setAttribute("role", "status");
      const shown = () => [...list.children].filter((b) => !b.hidden);
      filter.addEventListener("input", () => {
        const q = fold(filter.value);
        for (const b of list.children) b.hidden = q !== "" && !b.dataset.match.includes(q) && b.dataset.n !== q;
        none.hidden = shown().length > 0;
      });
      filter.addEventListener("keydown", (ev) => { // one left: Enter picks it
        if (ev.key !== "Enter") return;
        ev.preventDefault();
        const left = shown();
        if (left.length === 1) left[0].click();
      });
      box.append(name, filter);
      group.append(box, list, none);
    }
    row.append(group);
    activeChoices = group;
    return long;
  }

  // ---- voice ---------------------------------------------------------------------------------
  // One shared <audio preload="none">: a bubble's sound is fetched only when it is played.
  let playing = null, queue = [];
  function listenButton(url) {
    const btn = el("button", "listen");
    btn.type = "button"; btn.dataset.src = url; btn.setAttribute("aria-label", S.listen);
    btn.append(icon(SPEAKER));
    btn.addEventListener("click", () => {
      queue = [];
      if (playing === btn) stopPlaying(); else play(btn);
    });
    return btn;
  }
  function showPlaying(btn, on) {
    btn.classList.toggle("playing", on);
    btn.setAttribute("aria-label", on ? S.listenStop : S.listen);
    btn.replaceChildren(icon(on ? STOP : SPEAKER));
  }
  function stopPlaying() {
    if (!playing) return;
    player.pause(); showPlaying(playing, false); playing = null;
  }
  function play(btn) {
    stopPlaying();
    btn.classList.remove("attention");
    playing = btn; showPlaying(btn, true);
    // The same sound again starts over without fetching it again.
    if (player.getAttribute("src") === btn.dataset.src && !player.error) player.currentTime = 0;
    else player.src = btn.dataset.src;
    const started = player.play();
    if (started && started.catch) {
      started.catch((e) => {
        if (playing !== btn) return; // another sound took over meanwhile
        showPlaying(btn, false); playing = null;
        // Sound before any tap is refused by the browser: the button asks for that tap.
        if (e && e.name === "NotAllowedError") {
          for (const b of [btn, ...queue]) b.classList.add("attention");
          queue = [];
        } else if (!e || e.name !== "AbortError") soundFailed();
      });
    }
  }
  function soundFailed() {
    queue = [];
    if (!busy) { showStatus(S.listenFailed); setTimeout(() => { if (!busy && statusText.textContent === S.listenFailed) hideStatus(); }, 6000); }
  }
  player.addEventListener("ended", () => {
    if (playing) { showPlaying(playing, false); playing = null; }
    const next = queue.shift();
    if (next && next.isConnected) play(next);
  });
  player.addEventListener("error", () => {
    if (!playing || !player.getAttribute("src")) return;
    showPlaying(playing, false); playing = null; soundFailed();
  });

  // ---- photo steps -------------------------------------------------------------------------
  // The camera and gallery buttons show only while the chat waits for a photo; for the selfie
  // the camera button opens the front camera, for the KTP the rear one.
  // While a helpdesk agent has the chat ("any"), both buttons show and the camera is the rear one.
  function setPhotoStep(reply) {
    const kind = ["ktp", "selfie", "any"].includes(reply.photo) ? reply.photo : null;
    photoRow.hidden = !kind;
    if (!kind) return;
    const front = reply.capture ? reply.capture === "user" : kind === "selfie";
    camera.setAttribute("capture", front ? "user" : "environment");
  }

  // Returns the message's row, its listen button (if it has a sound) and whether it holds a
  // long list.
  function addBot(reply, notice = false) {
    const bubble = addBubble("bot", reply.from === "agent"), row = bubble.parentNode;
    if (notice) bubble.classList.add("notice");
    const src = reply.image_url && safeUrl(reply.image_url);
    if (src) addPicture(bubble, reply, src);
    if (reply.text) appendText(bubble, reply.text);
    const audio = reply.audio_url && safeUrl(reply.audio_url);
    let listen = null;
    if (audio) {
      const line = el("div", "line");
      listen = listenButton(audio);
      line.append(bubble, listen); row.append(line);
    }
    const long = Array.isArray(reply.buttons) && reply.buttons.length > 0 && addChoices(reply, row);
    if (!notice) setPhotoStep(reply);
    return { row, listen, long };
  }

  function addCitizen(text, photo) {
    activeChoices = null; anchor = null;
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
  // Replies marked `voice` are played in order, except when the history is drawn again.
  // The view starts at the first new reply (in the history: the newest one), or at a long list.
  function render(data, { history = false, sent = false } = {}) {
    const replies = (data && data.replies) || [];
    const keyed = replies.length > 0 && replies.every((r) => r.seq != null);
    const catchUp = sent && (keyed || Boolean(data.duplicate));
    const speak = [];
    let start = null, list = null;
    for (const r of sent && data.duplicate && !keyed ? [] : replies) {
      if (r.seq != null) { if (seen.has(r.seq)) continue; seen.add(r.seq); }
      if (r.from === "citizen") { if (history) { addCitizen(r.text || S.photoSent); start = null; } continue; }
      const { row, listen, long } = addBot(r);
      if (!start || history) start = row;
      if (long) list = row;
      if (listen && r.voice === true && !history) speak.push(listen);
    }
    if (start || list) anchor = list || start;
    if (!catchUp && data && Number.isInteger(data.last_seq)) lastSeq = Math.max(lastSeq, data.last_seq);
    refreshChoices(); scrollDown();
    if (speak.length) { queue = speak.slice(1); play(speak[0]); }
    return catchUp;
  }

  function showError(e) {
    hideStatus();
    anchor = addBot({ text: (e instanceof HttpError && e.message) || S.generic }, true).row;
    scrollDown();
  }

  // ---- conversation -------------------------------------------------------------------------
  async function startSession() {
    const data = await withRetry(() => request("POST", "/sessions"));
    sessionId = data.session_id; store.set(sessionId);
    lastSeq = 0; seen.clear(); activeChoices = null; anchor = null; log.replaceChildren();
    stopPlaying(); photoRow.hidden = true;
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

  function choose(button, label, node) {
    if (busy) return;
    node.classList.add("chosen");
    send({ button: button.id }, () => addCitizen(label));
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

  // ---- text size (A− / A+), kept on this device -----------------------------------------------
  let size = SIZES.indexOf(Number(sizeStore.get()));
  if (size < 0) size = SIZES.indexOf(1);
  function applySize(save) {
    document.documentElement.style.setProperty("--zoom", String(SIZES[size]));
    smaller.disabled = size === 0; bigger.disabled = size === SIZES.length - 1;
    if (save) { sizeStore.set(SIZES[size] === 1 ? null : String(SIZES[size])); scrollDown(); }
  }
  smaller.addEventListener("click", () => { if (size > 0) { size--; applySize(true); } });
  bigger.addEventListener("click", () => { if (size < SIZES.length - 1) { size++; applySize(true); } });
  applySize(false);

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
