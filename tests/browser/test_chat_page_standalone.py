"""The web chat page (/chat) in real Chromium, against a scripted stand-in for the web chat API.

The page is rendered exactly as the core does it (Jinja2 + ``Catalog().text``) and its static
files are served from ``bot/web/static``; only the three API endpoints are fakes.
"""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pytest
from aiohttp import web
from playwright.async_api import expect

from bot.i18n import Catalog

from .kit import serve, watch_errors

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "bot" / "web" / "templates"
STATIC = ROOT / "bot" / "web" / "static"
API = "/webchat/api/sessions"

MENU = [
    {"id": "register", "label": "Daftar akun"},
    {"id": "status", "label": "Cek status"},
    {"id": "faq", "label": "Tanya (FAQ)"},
    {"id": "agent", "label": "Bicara dengan petugas"},
]
GREETING = {
    "text": "Selamat datang di Asisten Tangerang LIVE!\nUnduh aplikasinya di "
    "https://tangerangkota.go.id/aplikasi/tangerang-live/unduh-sekarang-untuk-android-dan-ios"
    "\nSilakan pilih:",
    "buttons": MENU,
}
REGISTER = {
    "text": "Siapkan KTP asli Anda.\nLalu pilih salah satu:",
    "image_url": "/fake/picture.svg",
    "buttons": [{"id": "ready", "label": "Sudah siap"}, {"id": "menu", "label": "Kembali ke menu"}],
    # The chat now waits for a photo of the KTP: the photo buttons show, the rear camera.
    "photo": "ktp",
    "capture": "environment",
}
AGENT_LATER = "Halo, saya petugas Budi. Ada yang bisa saya bantu?"
PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="250">'
    '<rect width="400" height="250" fill="#8ab"/></svg>'
)
CLIENT_ERROR = "Maaf, pesan ini tidak bisa diproses."


@dataclass
class FakeChat:
    """A scripted web chat API that records what the page sends."""

    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    polls: list[int] = field(default_factory=list)
    answered: dict[str, dict[str, Any]] = field(default_factory=dict)
    later: dict[str, list[str]] = field(default_factory=dict)
    failed_once: set[str] = field(default_factory=set)
    # The real API may number its POST replies; the page must cope with and without.
    post_seq: bool = False

    def app(self) -> web.Application:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        template = env.get_template("chat.html")
        catalog = Catalog()

        async def chat(_: web.Request) -> web.Response:
            html = template.render(t=catalog.text, static_url="/static")
            return web.Response(text=html, content_type="text/html")

        async def picture(_: web.Request) -> web.Response:
            return web.Response(text=PICTURE, content_type="image/svg+xml")

        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_get("/chat", chat)
        app.router.add_get("/fake/picture.svg", picture)
        app.router.add_static("/static", STATIC)
        app.router.add_post(API, self.create)
        app.router.add_post(API + "/{sid}/messages", self.post_message)
        app.router.add_get(API + "/{sid}/messages", self.get_messages)
        return app

    def _add(self, sid: str, entry: dict[str, Any]) -> dict[str, Any]:
        entries = self.history[sid]
        entry = {**entry, "seq": len(entries) + 1}
        entries.append(entry)
        return entry

    def _last_seq(self, sid: str) -> int:
        return len(self.history[sid])

    async def create(self, _: web.Request) -> web.Response:
        sid = uuid.uuid4().hex
        self.history[sid] = []
        self._add(sid, GREETING)
        return web.json_response({"session_id": sid})

    async def get_messages(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        if sid not in self.history:
            return web.json_response({"error": "unknown session"}, status=404)
        after = int(request.query.get("after", "0"))
        self.polls.append(after)
        for text in self.later.pop(sid, []):
            self._add(sid, {"text": text, "from": "agent"})
        replies = [e for e in self.history[sid] if e["seq"] > after]
        return web.json_response({"replies": replies, "last_seq": self._last_seq(sid)})

    async def post_message(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        if sid not in self.history:
            return web.json_response({"error": "unknown session"}, status=404)
        record: dict[str, Any] = {"content_type": request.content_type}
        if request.content_type == "multipart/form-data":
            form = await request.post()
            photo = form["photo"]
            assert isinstance(photo, web.FileField)
            record |= {
                "client_id": form["client_id"],
                "photo": photo.file.read(),
                "photo_type": photo.content_type,
            }
        else:
            record |= await request.json()
        self.posts.append(record)
        client_id = str(record["client_id"])
        if client_id in self.answered:  # a retry of something already handled: drop it
            body = {"replies": [], "last_seq": self._last_seq(sid), "duplicate": True}
            return web.json_response(body)
        text = record.get("text")
        if text == "gagal" and client_id not in self.failed_once:
            self.failed_once.add(client_id)
            return web.json_response({"error": "sibuk"}, status=503)
        if text == "balapan":  # an agent wrote just before, and no poll has fetched it yet
            self._add(sid, {"text": "Pesan petugas yang belum diambil.", "from": "agent"})
        if text == "salah":
            return web.json_response({"error": CLIENT_ERROR}, status=400)
        if text == "lambat":
            await asyncio.sleep(1.5)

        first = self._last_seq(sid) + 1
        if "photo" in record:
            self._add(sid, {"from": "citizen", "photo": True})
            self._add(sid, {"text": "Foto diterima, terima kasih."})
        elif "button" in record:
            label = {b["id"]: b["label"] for b in MENU + REGISTER["buttons"]}[record["button"]]
            self._add(sid, {"from": "citizen", "text": label})
            self._add(sid, REGISTER if record["button"] == "register" else GREETING)
        else:
            self._add(sid, {"from": "citizen", "text": text})
            if text == "html":
                self._add(sid, {"text": "<b>x</b> <img src=x onerror=alert(1)>"})
            elif text == "tunggu":
                self._add(sid, {"text": "Permintaan Anda diteruskan ke petugas."})
                self.later.setdefault(sid, []).append(AGENT_LATER)
            elif text in ("gagal", "hilang"):
                self._add(sid, {"text": "Berhasil setelah dicoba lagi."})
            else:
                self._add(sid, {"text": f"Anda menulis: {text}"})
        replies = [
            e if self.post_seq else {k: v for k, v in e.items() if k != "seq"}
            for e in self.history[sid][first - 1 :]
            if e.get("from") not in ("citizen", "agent")
        ]
        body = {"replies": replies, "last_seq": self._last_seq(sid), "duplicate": False}
        self.answered[client_id] = body
        if text == "hilang" and client_id not in self.failed_once:  # handled, answer lost
            self.failed_once.add(client_id)
            return web.json_response({"error": "gateway"}, status=502)
        return web.json_response(body)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeChat, str]]:
    chat = FakeChat()
    async with serve(chat.app()) as url:
        yield chat, url


async def open_chat(
    browser: Any, url: str, width: int = 412, height: int = 860
) -> tuple[Any, list[str]]:
    """Open the chat in a fresh context; return the page and its collected JS errors."""
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    await page.goto(url)
    await page.locator(".msg.bot").first.wait_for()
    return page, errors


def unexpected(errors: list[str]) -> list[str]:
    """Errors other than the browser's note about a deliberate HTTP error response."""
    return [e for e in errors if "Failed to load resource" not in e]


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


async def test_page_loads_with_greeting_and_menu(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    t = Catalog().text
    context = await browser.new_context(viewport={"width": 412, "height": 860})
    page = await context.new_page()
    errors = watch_errors(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    await page.goto(url)
    await expect(page.locator(".choice")).to_have_text([b["label"] for b in MENU])
    assert await page.title() == t("webchat-title")
    await expect(page.get_by_role("heading", level=1)).to_have_accessible_name(t("webchat-title"))
    await expect(page.locator("#send")).to_have_accessible_name(t("webchat-send"))
    assert await page.get_attribute("#text", "placeholder") == t("webchat-input-placeholder")
    await expect(page.locator("#camera-btn")).to_have_text(t("webchat-photo-camera"))
    await expect(page.locator("#gallery-btn")).to_have_text(t("webchat-photo-gallery"))
    await expect(page.locator("#photo-row")).to_be_hidden()  # no photo step yet
    assert await page.get_attribute("#camera", "capture") == "environment"
    assert await page.get_attribute("#gallery", "capture") is None
    log = page.locator("#log")
    assert await log.get_attribute("role") == "log"
    assert await log.get_attribute("aria-live") == "polite"
    assert await log.get_attribute("aria-label") == t("webchat-log-label")
    assert await page.get_by_label(t("webchat-input-label")).count() == 1
    greeting = page.locator(".msg.bot .text").first
    assert (await greeting.inner_text()).startswith("Selamat datang di Asisten Tangerang LIVE!\n")
    link = page.locator(".msg.bot a")
    assert (await link.get_attribute("href")).endswith("unduh-sekarang-untuk-android-dan-ios")
    assert await page.locator("#status").is_hidden()
    assert all(u.startswith(url.removesuffix("/chat")) for u in requested), requested
    assert len(chat.history) == 1
    assert errors == []


async def test_tapping_a_button_sends_its_id(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.get_by_role("button", name="Daftar akun").click()
    await expect(page.locator(".msg.me .text")).to_have_text(["Daftar akun"])
    reply = page.locator(".msg.bot").nth(1)
    await expect(reply.locator(".text")).to_have_text(REGISTER["text"])
    assert (
        await reply.locator(".text").inner_text()
        == "Siapkan KTP asli Anda.\nLalu pilih salah satu:"
    )
    picture = reply.locator("img.picture")
    await expect(picture).to_have_attribute("alt", Catalog().text("webchat-bot-image-alt"))
    await page.wait_for_function("document.querySelector('img.picture').naturalWidth > 0")
    new = page.locator(".choices").nth(1).locator(".choice")
    await expect(new).to_have_text(["Sudah siap", "Kembali ke menu"])
    await expect(new.first).to_be_enabled()
    for old in await page.locator(".choices").first.locator(".choice").all():
        await expect(old).to_be_disabled()
    [post] = chat.posts
    assert post["button"] == "register" and "text" not in post
    assert post["content_type"] == "application/json" and is_uuid(post["client_id"])
    await new.first.click()
    await expect(page.locator(".msg.me .text")).to_have_text(["Daftar akun", "Sudah siap"])
    assert chat.posts[-1]["button"] == "ready"
    assert chat.posts[-1]["client_id"] != post["client_id"]
    assert errors == []


async def test_typing_text_and_enter_sends_it(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("  halo  ")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.me .text")).to_have_text(["halo"])
    await expect(page.locator(".msg.bot .text").last).to_have_text("Anda menulis: halo")
    await expect(page.locator("#text")).to_have_value("")
    await page.locator("#text").press("Enter")  # empty: nothing is sent
    assert [p["text"] for p in chat.posts] == ["halo"]
    assert errors == []


async def test_inputs_are_disabled_while_sending(fake: tuple[FakeChat, str], browser: Any) -> None:
    _, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("lambat")
    await page.locator("#send").click()
    await expect(page.locator("#status-text")).to_have_text(
        Catalog().text("webchat-status-sending")
    )
    for selector in ("#send", "#camera-btn", "#gallery-btn", ".choice >> nth=0"):
        await expect(page.locator(selector)).to_be_disabled()
    await expect(page.locator("#text")).not_to_be_editable()
    await expect(page.locator(".msg.bot .text").last).to_have_text("Anda menulis: lambat")
    await expect(page.locator("#send")).to_be_enabled()
    await expect(page.locator("#text")).to_be_editable()
    await expect(page.locator("#status")).to_be_hidden()
    assert errors == []


async def test_photo_is_sent_as_multipart(fake: tuple[FakeChat, str], browser: Any) -> None:
    from PIL import Image

    chat, url = fake
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 60, 60)).save(buffer, "PNG")
    png = buffer.getvalue()
    page, errors = await open_chat(browser, url)
    await page.set_input_files(
        "#gallery", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": png}]
    )
    await expect(page.locator(".msg.bot .text").last).to_have_text("Foto diterima, terima kasih.")
    thumb = page.locator(".msg.me img.thumb")
    await expect(thumb).to_have_attribute("alt", Catalog().text("webchat-photo-sent-alt"))
    assert await thumb.evaluate("img => img.naturalWidth") == 320
    await expect(page.locator(".msg.me .text")).to_have_text(Catalog().text("webchat-photo-sent"))
    [post] = chat.posts
    assert post["content_type"] == "multipart/form-data"
    assert post["photo"] == png and post["photo_type"] == "image/png"
    assert is_uuid(post["client_id"])
    assert errors == []


async def test_big_photo_is_shrunk_before_upload(fake: tuple[FakeChat, str], browser: Any) -> None:
    import numpy as np
    from PIL import Image

    chat, url = fake
    noise = np.random.default_rng(7).integers(0, 256, (2400, 1800, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "PNG", compress_level=1)
    big = buffer.getvalue()
    assert len(big) > 2_000_000
    page, errors = await open_chat(browser, url)
    await page.set_input_files(
        "#camera", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": big}]
    )
    await expect(page.locator(".msg.bot .text").last).to_have_text("Foto diterima, terima kasih.")
    [post] = chat.posts
    assert post["photo_type"] == "image/jpeg" and len(post["photo"]) < len(big)
    with Image.open(io.BytesIO(post["photo"])) as sent:
        assert sent.format == "JPEG" and sent.size == (1500, 2000)
    assert errors == []


async def test_later_message_arrives_by_polling(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("tunggu")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.bot .text").last).to_have_text(
        "Permintaan Anda diteruskan ke petugas."
    )
    agent = page.locator(".msg.bot .text", has_text=AGENT_LATER)
    await expect(agent).to_have_count(1, timeout=10_000)
    label = page.locator(".msg.bot .who")
    await expect(label).to_have_text([Catalog().text("webchat-agent-name")])
    await page.wait_for_timeout(3_500)  # at least one more poll: the message is not repeated
    await expect(agent).to_have_count(1)
    assert chat.polls[0] == 0 and max(chat.polls) == 4 and len(chat.polls) >= 3
    assert errors == []


async def test_reload_keeps_session_and_history(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.get_by_role("button", name="Daftar akun").click()
    await expect(page.locator(".choice")).to_have_count(6)
    await page.locator("#text").fill("halo")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.bot .text").last).to_have_text("Anda menulis: halo")
    [sid] = chat.history
    assert await page.evaluate("localStorage.getItem('tlive.webchat.session')") == sid

    await page.reload()
    await expect(page.locator(".msg.bot .text").last).to_have_text("Anda menulis: halo")
    assert list(chat.history) == [sid]
    await expect(page.locator(".msg.me .text")).to_have_text(["Daftar akun", "halo"])
    await expect(page.locator(".msg.bot")).to_have_count(3)
    await expect(page.locator(".choice")).to_have_count(6)
    for choice in await page.locator(".choice").all():  # the citizen has answered since
        await expect(choice).to_be_disabled()
    assert errors == []


async def test_new_chat_starts_a_fresh_session(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("halo")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.me")).to_have_count(1)
    messages: list[str] = []

    async def accept(dialog: Any) -> None:
        messages.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    await page.locator("#new-chat").click()
    await expect(page.locator(".msg.me")).to_have_count(0)
    await expect(page.locator(".choice")).to_have_count(4)
    assert messages == [Catalog().text("webchat-new-chat-confirm")]
    assert len(chat.history) == 2
    new_sid = list(chat.history)[1]
    assert await page.evaluate("localStorage.getItem('tlive.webchat.session')") == new_sid
    assert errors == []


async def test_reply_markup_is_shown_as_text(fake: tuple[FakeChat, str], browser: Any) -> None:
    _, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("html")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.bot .text").last).to_have_text(
        "<b>x</b> <img src=x onerror=alert(1)>"
    )
    assert await page.locator("#log b").count() == 0
    assert await page.locator("#log img").count() == 0
    assert errors == []


async def test_phone_width_has_no_horizontal_scroll(
    fake: tuple[FakeChat, str], browser: Any
) -> None:
    _, url = fake
    page, errors = await open_chat(browser, url, width=360, height=640)
    await page.get_by_role("button", name="Bicara dengan petugas").click()
    # The answer brings its own "Daftar akun"; the greeting's is disabled once a choice is made.
    await page.locator("button.choice:enabled", has_text="Daftar akun").last.click()
    await expect(page.locator("img.picture")).to_have_count(1)
    await page.wait_for_function("document.querySelector('img.picture').naturalWidth > 0")
    widths = await page.evaluate(
        """() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                  main: document.getElementById('main').scrollWidth,
                  mainClient: document.getElementById('main').clientWidth,
                  view: window.innerWidth})"""
    )
    assert widths["view"] == 360
    assert widths["doc"] <= 360 and widths["body"] <= 360, widths
    assert widths["main"] <= widths["mainClient"], widths
    font = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 18
    for selector in (".choice", "#send", "#camera-btn", "#gallery-btn", "#text"):
        box = await page.locator(selector).last.bounding_box()
        assert box is not None and box["height"] >= 48, (selector, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (selector, box)
    choice = await page.locator(".choice").last.bounding_box()
    assert choice is not None and choice["width"] >= 300  # full-width, stacked choices
    assert errors == []


async def test_failed_send_is_retried_with_same_client_id(
    fake: tuple[FakeChat, str], browser: Any
) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("gagal")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.bot .text").last).to_have_text("Berhasil setelah dicoba lagi.")
    assert [p["text"] for p in chat.posts] == ["gagal", "gagal"]
    assert chat.posts[0]["client_id"] == chat.posts[1]["client_id"]
    await expect(page.locator(".msg.me")).to_have_count(1)
    await expect(page.locator(".msg.bot", has_text="Berhasil")).to_have_count(1)
    await expect(page.locator("#status")).to_be_hidden()
    assert unexpected(errors) == []


async def test_client_error_is_shown_kindly(fake: tuple[FakeChat, str], browser: Any) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("salah")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".bubble.notice .text")).to_have_text(CLIENT_ERROR)
    await expect(page.locator("#send")).to_be_enabled()
    await page.wait_for_timeout(1_500)
    assert len(chat.posts) == 1  # a 4xx is not retried
    assert unexpected(errors) == []


def test_template_escapes_catalog_text_and_strings_blob() -> None:
    """Without a browser: the JSON blob carries the catalog strings, safely escaped."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False)
    catalog = Catalog()
    html = env.get_template("chat.html").render(t=catalog.text, static_url="/static")
    start = html.index('id="strings">') + len('id="strings">')
    blob = json.loads(html[start : html.index("</script>", start)])
    assert blob["sending"] == catalog.text("webchat-status-sending")
    assert all(isinstance(v, str) and v for v in blob.values())
    assert 'src="/static/chat.js"' in html and 'href="/static/chat.css"' in html


async def test_offline_send_waits_and_is_delivered_once(
    fake: tuple[FakeChat, str], browser: Any
) -> None:
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.context.set_offline(True)
    await page.locator("#text").fill("halo")
    await page.locator("#text").press("Enter")
    await expect(page.locator("#status-text")).to_have_text(
        Catalog().text("webchat-status-offline")
    )
    await expect(page.locator("#send")).to_be_disabled()
    assert chat.posts == []
    await page.context.set_offline(False)
    await expect(page.locator(".msg.bot .text").last).to_have_text("Anda menulis: halo")
    await expect(page.locator("#status")).to_be_hidden()
    await expect(page.locator(".msg.me")).to_have_count(1)
    assert [p["text"] for p in chat.posts] == ["halo"]
    assert unexpected(errors) == []


async def test_lost_answer_is_recovered_after_the_retry(
    fake: tuple[FakeChat, str], browser: Any
) -> None:
    """The server handled the message but the answer got lost: the retry is a duplicate."""
    chat, url = fake
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("hilang")
    await page.locator("#text").press("Enter")
    reply = page.locator(".msg.bot .text", has_text="Berhasil setelah dicoba lagi.")
    await expect(reply).to_have_count(1, timeout=10_000)
    assert [p["text"] for p in chat.posts] == ["hilang", "hilang"]
    assert chat.posts[0]["client_id"] == chat.posts[1]["client_id"]
    await page.wait_for_timeout(3_500)
    await expect(reply).to_have_count(1)
    await expect(page.locator(".msg.me")).to_have_count(1)
    assert unexpected(errors) == []


async def test_message_queued_before_a_send_is_not_lost(
    fake: tuple[FakeChat, str], browser: Any
) -> None:
    """With numbered POST replies the page catches up on what arrived since its last poll."""
    chat, url = fake
    chat.post_seq = True
    page, errors = await open_chat(browser, url)
    await page.locator("#text").fill("balapan")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.bot .text", has_text="Anda menulis: balapan")).to_have_count(1)
    early = page.locator(".msg.bot .text", has_text="Pesan petugas yang belum diambil.")
    await expect(early).to_have_count(1, timeout=5_000)
    await page.wait_for_timeout(3_500)
    await expect(early).to_have_count(1)
    await expect(page.locator(".msg.bot .text", has_text="balapan")).to_have_count(1)
    assert unexpected(errors) == []
