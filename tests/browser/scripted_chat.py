"""A scripted web chat API behind the real /chat page: the real catalog, places and reply format.

The page is rendered exactly as ``bot.web.webchat.chat_page`` does it, with the chat page's real
security headers (CSP), and its static files (script, style, example pictures) come from
``bot/web/static``. Every reply goes through the real ``reply_json``, so the photo fields
(``photo``, ``capture``) are the ones the server sends. Only the conversation is scripted, so a
test reaches the long kecamatan list, the photo steps and a registration reference in a few taps
whatever the registration dialog asks first:

- the menu's first button opens the kecamatan list (13 buttons, "ketik angkanya");
- a kecamatan opens its kelurahan list; a kelurahan opens the KTP photo step;
- "📄 Saya pakai resi" asks for the receipt instead, offering "🪪 Saya pakai KTP-el";
- a photo at the KTP step opens the selfie step; a photo at the selfie step submits;
- "dengarkan" repeats the last bot message with its sound.

With ``voice=True`` every bot reply carries ``audio_url`` and ``voice: true``; ``audio`` is
served for every ``/audio/<n>.ogg``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.domain.wilayah import KECAMATAN, kelurahan_of, slug
from bot.engine.messages import Button, Reply
from bot.i18n import Catalog
from bot.web.headers import DATA_CSP, PAGE_CSP, base_headers
from bot.web.webchat import reply_json

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "bot" / "web" / "templates"
STATIC = ROOT / "bot" / "web" / "static"
API = "/webchat/api/sessions"
EXAMPLE_KTP = "/static/examples/contoh-foto-ktp.jpg"
EXAMPLE_SELFIE = "/static/examples/contoh-selfie-ktp.jpg"
REFERENCE = "TL-7KQ4M9"


@dataclass
class Session:
    """One scripted chat: its messages and what it waits for."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    waiting: str | None = None  # "ktp" or "selfie" while a photo is expected
    kecamatan: str = ""


@dataclass
class ScriptedChat:
    """The stand-in API; ``posts`` and ``audio_requests`` record what the page asked for."""

    voice: bool = False
    audio: bytes = b""
    sessions: dict[str, Session] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    audio_requests: list[str] = field(default_factory=list)
    # Bot messages that a later poll (not the first load) delivers, as an agent would.
    later: list[Reply] = field(default_factory=list)
    polls: int = 0
    catalog: Catalog = field(default_factory=Catalog)

    def t(self, key: str, **args: object) -> str:
        """Return the catalog text ``key``, as said to a citizen registering herself."""
        return self.catalog.text(key, **({"helper": "no", "name": ""} | args))

    def app(self) -> web.Application:
        """Return the aiohttp app serving the page, its files and the scripted API."""
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=jinja2.select_autoescape(["html"]),
            undefined=jinja2.StrictUndefined,
        )
        template = env.get_template("chat.html")

        async def chat(_: web.Request) -> web.Response:
            html = template.render(t=self.catalog.text, static_url="/static")
            response = web.Response(text=html, content_type="text/html")
            base_headers(response, PAGE_CSP)
            return response

        async def audio(request: web.Request) -> web.Response:
            self.audio_requests.append(request.match_info["name"])
            response = web.Response(body=self.audio, content_type="audio/ogg")
            base_headers(response, DATA_CSP)
            return response

        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_get("/chat", chat)
        app.router.add_get("/audio/{name}", audio)
        app.router.add_static("/static", STATIC)
        app.router.add_post(API, self.create)
        app.router.add_post(API + "/{sid}/messages", self.post_message)
        app.router.add_get(API + "/{sid}/messages", self.get_messages)
        return app

    # ---- the script -----------------------------------------------------------------------

    def menu(self) -> Reply:
        """The greeting with the main menu."""
        keys = ("btn-register", "btn-status", "btn-faq", "btn-agent")
        buttons = tuple(Button(k.removeprefix("btn-"), self.t(k)) for k in keys)
        return Reply(self.t("menu-greeting"), buttons=buttons)

    def kecamatan(self) -> Reply:
        """The long list: 13 kecamatan."""
        buttons = tuple(Button(f"kec:{slug(k)}", k) for k in KECAMATAN)
        return Reply(self.t("reg-ask-kecamatan"), buttons=buttons)

    def kelurahan(self, kecamatan: str) -> Reply:
        """The kelurahan of ``kecamatan`` (Karawaci has 16)."""
        buttons = tuple(Button(f"kel:{slug(k)}", k) for k in kelurahan_of(kecamatan))
        return Reply(self.t("reg-ask-kelurahan", kecamatan=kecamatan), buttons=buttons)

    def ktp_step(self, *, resi: bool = False) -> Reply:
        """The KTP (or receipt) photo step, with its example picture."""
        switch = (
            Button("doc:ktp", self.t("btn-use-ktp"))
            if resi
            else Button("doc:resi", self.t("btn-use-resi"))
        )
        text = self.t("reg-ask-resi-photo" if resi else "reg-ask-ktp-photo")
        return Reply(text, (switch,), EXAMPLE_KTP, extra={"photo": "ktp"})

    def selfie_step(self) -> Reply:
        """The selfie photo step."""
        return Reply(self.t("reg-ask-selfie"), image_url=EXAMPLE_SELFIE, extra={"photo": "selfie"})

    def submitted(self) -> Reply:
        """The end: the registration reference."""
        text = self.t(
            "reg-submitted", reference=REFERENCE, hours=24, deadline="Senin, 7 Desember 2026 10.00"
        )
        return Reply(text, buttons=(Button("menu", self.t("btn-menu")),))

    def answer(self, session: Session, record: dict[str, Any]) -> tuple[str, list[Reply]]:
        """Return what the citizen's turn shows in her history and the bot's replies."""
        if "photo" in record:
            if session.waiting == "ktp":
                session.waiting = "selfie"
                return "", [Reply(self.t("reg-photo-accepted-ktp")), self.selfie_step()]
            if session.waiting == "selfie":
                session.waiting = None
                return "", [Reply(self.t("reg-photo-accepted-selfie")), self.submitted()]
            return "", [Reply(self.t("photo-unexpected"))]
        button = record.get("button")
        text = str(record.get("text") or "")
        if button == "register" or text == "1":
            return self.t("btn-register"), [self.kecamatan()]
        if isinstance(button, str) and button.startswith("kec:"):
            session.kecamatan = next(k for k in KECAMATAN if f"kec:{slug(k)}" == button)
            return session.kecamatan, [self.kelurahan(session.kecamatan)]
        if isinstance(button, str) and button.startswith("kel:"):
            session.waiting = "ktp"
            names = {f"kel:{slug(k)}": k for k in kelurahan_of(session.kecamatan)}
            return names.get(button, button), [self.ktp_step()]
        if button in ("doc:resi", "doc:ktp"):
            session.waiting = "ktp"
            said = self.t("btn-use-resi" if button == "doc:resi" else "btn-use-ktp")
            return said, [self.ktp_step(resi=button == "doc:resi")]
        if text.casefold() == "dengarkan":
            last = next(m for m in reversed(session.messages) if m["from"] == "bot")
            return text, [Reply(last["text"], extra={"voice": True})]
        if isinstance(button, str):
            return button, [self.menu()]
        session.waiting = None
        return text, [Reply(self.t("reg-question-unknown"))]

    # ---- the API ------------------------------------------------------------------------

    def _add(self, session: Session, reply: Reply | None, *, author: str, text: str = "") -> dict:
        seq = len(session.messages) + 1
        if reply is None:
            entry: dict[str, Any] = {"text": text, "buttons": []}
        else:
            entry = reply_json(reply)
            if self.voice or reply.extra.get("voice"):
                entry |= {"audio_url": f"/audio/{seq}.ogg", "voice": True}
        entry |= {"seq": seq, "from": author}
        session.messages.append(entry)
        return entry

    def _session(self, request: web.Request) -> Session:
        session = self.sessions.get(request.match_info["sid"])
        if session is None:
            raise web.HTTPNotFound(
                text='{"error": "Percakapan tidak ditemukan."}', content_type="application/json"
            )
        return session

    async def create(self, _: web.Request) -> web.Response:
        """Open a chat greeted with the menu."""
        sid = f"s{len(self.sessions) + 1:04d}"
        session = self.sessions[sid] = Session()
        greeting = self._add(session, self.menu(), author="bot")
        body = {"session_id": sid, "replies": [greeting], "last_seq": greeting["seq"]}
        return web.json_response(body, status=201)

    async def get_messages(self, request: web.Request) -> web.Response:
        """The history (after=0) or what came since; a later poll brings ``later``."""
        session = self._session(request)
        after = int(request.query.get("after", "0"))
        self.polls += after > 0
        if self.polls > 1 and self.later:  # not the first load's catch-up read
            for reply in self.later:
                self._add(session, reply, author="agent")
            self.later.clear()
        directions = ("bot", "agent", "citizen") if after == 0 else ("bot", "agent")
        replies = [m for m in session.messages if m["seq"] > after and m["from"] in directions]
        return web.json_response({"replies": replies, "last_seq": len(session.messages)})

    async def post_message(self, request: web.Request) -> web.Response:
        """Answer a text, a button or a photo from the script."""
        session = self._session(request)
        if request.content_type == "multipart/form-data":
            form = await request.post()
            photo = form["photo"]
            assert isinstance(photo, web.FileField)
            record: dict[str, Any] = {"photo": photo.file.read(), "client_id": form["client_id"]}
        else:
            record = await request.json()
        self.posts.append(record)
        said, replies = self.answer(session, record)
        self._add(session, None, author="citizen", text=said or self.t("webchat-photo-sent"))
        out = [self._add(session, r, author="bot") for r in replies]
        body = {"replies": out, "last_seq": len(session.messages), "duplicate": False}
        return web.json_response(body)
