"""A short fuzzing pass over what strangers can send (issue 15, "Also").

Hypothesis throws random and half-valid input at the web chat API (new chats; messages as JSON,
raw bodies of any type and multipart forms; polls), at the Telegram and WhatsApp webhooks (with
their secrets, so the parsers and the engine behind them run) and at the photo decoder. Nothing
may answer 5xx, leave a traceback, or grow the process beyond the photo decode budget.

The pass is short and repeatable (fixed examples, derandomised) so it fits in CI; raise
``FUZZ_EXAMPLES`` locally for a longer hunt. Photos on the channels are left out of the webhook
runs on purpose: fetching them is network I/O whose failures answer 500 so the platform retries.
"""

from __future__ import annotations

import io
import json
import logging
import os
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.app import build_app
from bot.core import Core
from bot.helpdesk.media import clean_photo
from bot.photos.budget import DEFAULT_DECODE_MEMORY, MB
from bot.photos.checks import check_photo
from bot.photos.verdict import PhotoKind
from tests.conftest import migrated_core
from tests.standins.graph_api import GraphApiStandIn, sign
from tests.standins.telegram_api import TelegramStandin
from tests.support.memory import peak_growth

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=timedelta(seconds=15), derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip
TELEGRAM_SECRET = "fuzz-telegram-secret"
APP_SECRET = "fuzz-app-secret"

# --- what anyone can send -------------------------------------------------------------------------

SCALARS = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=40)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
WORDS = st.sampled_from([
    "menu", "daftar", "petugas", "batal", "hapus data", "data saya", "status", "lanjut", "ya",
    "tidak", "3671014501900001", "0812 3456 7890", "5 juni 1966", "kembali", "1", "99999999999",
])  # fmt: skip
TEXT = WORDS | st.text(max_size=300)
ADDRESS = st.tuples(*[st.integers(1, 254)] * 4).map(lambda p: "10.{}.{}.{}".format(*p[1:]))


def _image(fmt: str, size: tuple[int, int] = (48, 32), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (120, 80, 40)[: len(mode)] if mode != "P" else 3).save(out, fmt)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims ``width`` × ``height`` (a decompression bomb)."""
    raw = bytearray(_image("PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(raw[24:29])
    raw[16:29] = ihdr
    raw[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(raw)


SEEDS = [_image("JPEG"), _image("PNG"), _image("WEBP"), _image("GIF", mode="P"),
         _image("PNG", mode="RGBA"), _image("JPEG", (700, 500))]  # fmt: skip


@st.composite
def photo_bytes(draw: st.DrawFn) -> bytes:
    """Draw a picture: random bytes, a real one damaged, cut short, or claiming a huge size."""
    kind = draw(st.sampled_from(["random", "flipped", "truncated", "bomb", "real"]))
    if kind == "random":
        return draw(st.binary(max_size=4096))
    if kind == "bomb":
        return _png_claiming(draw(st.integers(1, 2**31 - 1)), draw(st.integers(1, 2**31 - 1)))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    if kind == "truncated":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if kind == "flipped":
        for _ in range(draw(st.integers(1, 12))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


# --- the service, with both channels on stand-ins -------------------------------------------------


@dataclass
class Service:
    """The whole app in-process, with the Telegram and WhatsApp stand-ins behind it."""

    client: TestClient[Any, Any]
    core: Core
    media_ids: list[str]
    server_errors: list[logging.LogRecord] = field(default_factory=list)

    def start(self) -> None:
        """Forget the server errors of earlier examples."""
        self.server_errors.clear()

    def check(self, status: int, body: str, what: object) -> None:
        """Fail on a 5xx, a traceback in the answer or one logged by the server."""
        assert status < 500, (status, body[:300], what)
        assert "Traceback" not in body, what
        assert not self.server_errors, (self.server_errors[0].getMessage(), what)


class _Errors(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@pytest.fixture
async def service(settings_factory: Any, tmp_path: Path) -> AsyncIterator[Service]:
    async with TelegramStandin() as telegram, GraphApiStandIn() as graph:
        settings = settings_factory(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}",
            public_url="https://tlive.example.go.id", telegram_token=telegram.token,
            telegram_api_base=telegram.api_base, telegram_webhook_secret=TELEGRAM_SECRET,
            whatsapp_token=graph.token, whatsapp_phone_number_id=graph.phone_number_id,
            whatsapp_app_secret=APP_SECRET, whatsapp_verify_token="fuzz-verify",
            whatsapp_api_base=graph.api_base, whatsapp_media_hosts="127.0.0.1",
            allow_http_for_tests=True,
        )  # fmt: skip
        media_ids = [graph.add_media(seed, mime) for seed, mime in (
            (SEEDS[0], "image/jpeg"), (SEEDS[1], "image/png"), (b"not a picture", "image/jpeg"),
            (SEEDS[3], "image/gif"), (b"%PDF-1.4", "application/pdf"),
        )]  # fmt: skip
        media_ids.append(graph.add_media(SEEDS[0], "image/jpeg", file_size=50 * MB))
        core = await migrated_core(settings)
        errors: list[logging.LogRecord] = []
        handler = _Errors(errors)
        server_log = logging.getLogger("aiohttp.server")
        server_log.addHandler(handler)
        try:
            app = build_app(settings, core=core)
            async with TestServer(app) as server, TestClient(server) as client:
                yield Service(client, core, media_ids, errors)
        finally:
            server_log.removeHandler(handler)
            await core.db.dispose()


# --- the web chat API -----------------------------------------------------------------------------

CONTENT_TYPES = st.sampled_from([
    "application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded", "image/jpeg", "application/json; charset=latin-1", "",
])  # fmt: skip
# What an HTTP client can put in a part's header (no control characters or quotes).
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126, exclude_characters='"\\'),
                      max_size=12)  # fmt: skip
PART = st.tuples(
    st.sampled_from(["photo", "client_id", "text", "csrf", ""]) | HEADER_TEXT,
    photo_bytes() | TEXT.map(str.encode), st.none() | HEADER_TEXT,
    st.sampled_from(["image/jpeg", "image/png", "text/plain", "application/octet-stream"]),
)
MESSAGE = st.one_of(
    st.tuples(st.just("json"), st.fixed_dictionaries(
        {}, optional={"text": TEXT | JSON, "button": st.text(max_size=70) | JSON,
                      "client_id": st.text(max_size=70) | JSON},
    ) | JSON),
    st.tuples(st.just("raw"), st.tuples(st.binary(max_size=600), CONTENT_TYPES)),
    st.tuples(st.just("form"), st.lists(PART, max_size=4)),
    st.tuples(st.just("poll"), st.text(max_size=24) | st.integers(-5, 2**66).map(str)),
    st.tuples(st.just("greet"), st.none()),
)  # fmt: skip
SESSION = st.sampled_from(["own", "own", "own", "other"]) | st.text(max_size=70)


@FUZZ
@given(steps=st.lists(st.tuples(SESSION, MESSAGE), min_size=1, max_size=4), address=ADDRESS)
async def test_the_web_chat_api_answers_anything_without_a_server_error(
    service: Service, steps: list[tuple[str, tuple[str, Any]]], address: str
) -> None:
    service.start()
    client = service.client
    # A fresh address per example: the per-address limits would soon answer only 429s.
    headers = {"X-Forwarded-For": address}
    opened = await client.post("/webchat/api/sessions", headers=headers)
    service.check(opened.status, await opened.text(), "open")
    own = (await opened.json())["session_id"] if opened.status == 201 else "none"
    for session, (kind, value) in steps:
        sid = {"own": own, "other": "x" * 43}.get(session, session)
        url = f"/webchat/api/sessions/{aiohttp.helpers.quote(sid, safe='')}"
        resp = await _send(client, f"{url}/messages", kind, value, headers, url)
        service.check(resp.status, await resp.text(), (kind, value))


async def _send(client: TestClient[Any, Any], url: str, kind: str, value: Any,
                headers: dict[str, str], session_url: str) -> aiohttp.ClientResponse:  # fmt: skip
    if kind == "json":
        return await client.post(url, data=json.dumps(value), headers={
            **headers, "Content-Type": "application/json"})  # fmt: skip
    if kind == "raw":
        body, content_type = value
        return await client.post(url, data=body, headers={**headers, "Content-Type": content_type})
    if kind == "form":
        form = aiohttp.FormData(default_to_multipart=True)
        for name, data, filename, content_type in value:
            if filename is None:  # a plain field
                form.add_field(name, data.decode("utf-8", "replace"))
            else:
                form.add_field(name, io.BytesIO(data), filename=filename,
                               content_type=content_type)  # fmt: skip
        return await client.post(url, data=form, headers=headers)
    if kind == "poll":
        return await client.get(url, params={"after": value}, headers=headers)
    return await client.post(f"{session_url}/greeting", headers=headers)


# --- the Telegram webhook -------------------------------------------------------------------------

TG_USER = st.fixed_dictionaries(
    {"id": st.integers(1, 2**52), "is_bot": st.booleans(), "first_name": st.text(max_size=20)},
    optional={"username": st.text(max_size=20), "language_code": st.sampled_from(["id", "en"])},
)
TG_CHAT = st.fixed_dictionaries({"id": st.integers(-(2**52), 2**52),
                                 "type": st.sampled_from(["private", "group", "channel"])})
TG_MESSAGE = st.fixed_dictionaries(
    {"message_id": st.integers(1, 2**31 - 1), "date": st.integers(0, 2**32), "chat": TG_CHAT},
    optional={
        "from": TG_USER, "text": TEXT, "caption": TEXT,
        "entities": st.lists(st.fixed_dictionaries({
            "type": st.sampled_from(["bot_command", "mention", "url", "bold"]),
            "offset": st.integers(-2, 400), "length": st.integers(-2, 400)}), max_size=3),
        "contact": st.fixed_dictionaries({"phone_number": st.text(max_size=20),
                                          "first_name": st.text(max_size=10)},
                                         optional={"user_id": st.integers(1, 2**52)}),
        "location": st.fixed_dictionaries({"latitude": st.floats(-90, 90),
                                           "longitude": st.floats(-180, 180)}),
        "voice": st.fixed_dictionaries({"file_id": st.text(max_size=10),
                                        "file_unique_id": st.text(max_size=10),
                                        "duration": st.integers(0, 600)}),
        "new_chat_members": st.lists(TG_USER, max_size=2),
        "reply_markup": JSON,
    },
)  # fmt: skip
TG_UPDATE = st.fixed_dictionaries(
    {"update_id": st.integers(0, 2**31 - 1)},
    optional={
        "message": TG_MESSAGE, "edited_message": TG_MESSAGE,
        "callback_query": st.fixed_dictionaries(
            {"id": st.text(min_size=1, max_size=12), "from": TG_USER,
             "chat_instance": st.text(max_size=12)},
            optional={"data": st.text(max_size=80) | WORDS, "message": TG_MESSAGE}),
        "my_chat_member": JSON,
    },
)  # fmt: skip
TG_BODY = st.one_of(
    TG_UPDATE.map(lambda u: json.dumps(u).encode()), JSON.map(lambda j: json.dumps(j).encode()),
    st.binary(max_size=300),
)


@FUZZ
@given(bodies=st.lists(TG_BODY, min_size=1, max_size=3), secret=st.booleans())
async def test_the_telegram_webhook_answers_any_update_without_a_server_error(
    service: Service, bodies: list[bytes], secret: bool
) -> None:
    service.start()
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET if secret else "wrong",
               "Content-Type": "application/json"}  # fmt: skip
    for body in bodies:
        resp = await service.client.post("/webhooks/telegram", data=body, headers=headers)
        service.check(resp.status, await resp.text(), body[:300])


# --- the WhatsApp webhook -------------------------------------------------------------------------

WA_FROM = st.sampled_from(["6281234567890", "6285700000001"]) | st.text(max_size=16)
MIME = st.sampled_from(["image/jpeg", "image/png", "image/webp", "application/pdf", "",
                        "image/jpeg; charset=x"]) | st.text(max_size=20)  # fmt: skip


@st.composite
def wa_message(draw: st.DrawFn, media_ids: list[str]) -> dict[str, Any]:
    """Draw one message object: Meta's shapes with random values, or anything at all."""
    # Known media only, or ids that are no number: an unknown number is a lookup that fails
    # and is answered 500 on purpose, so that Meta delivers the message again.
    media = st.sampled_from(media_ids) | st.text(max_size=12).filter(lambda t: not t.isdecimal())
    kind = draw(st.sampled_from(["text", "image", "document", "interactive", "button", "audio",
                                 "sticker", "location", "contacts", "reaction", "video",
                                 "unsupported", "system"]) | st.text(max_size=10))  # fmt: skip
    content = draw(st.one_of(
        st.fixed_dictionaries({}, optional={"body": TEXT, "id": media, "mime_type": MIME,
                                            "caption": TEXT, "filename": st.text(max_size=12)}),
        st.fixed_dictionaries({"type": st.sampled_from(["button_reply", "list_reply", "nfm"])},
                              optional={"button_reply": JSON | st.fixed_dictionaries(
                                  {"id": st.text(max_size=70) | WORDS, "title": TEXT}),
                                  "list_reply": JSON}),
        st.fixed_dictionaries({"text": TEXT}, optional={"payload": st.text(max_size=40)}),
        JSON,
    ))  # fmt: skip
    message = draw(st.fixed_dictionaries(
        {"id": st.text(max_size=40), "type": st.just(kind)},
        optional={"from": WA_FROM, "from_user_id": st.text(max_size=20),
                  "timestamp": st.text(max_size=12), "context": JSON,
                  "group_id": st.text(max_size=5)},
    ))  # fmt: skip
    message[kind] = content
    return message


@st.composite
def wa_notification(draw: st.DrawFn, media_ids: list[str]) -> bytes:
    """Draw a notification body: Meta's envelope around random messages and statuses, or junk."""
    value = draw(st.fixed_dictionaries(
        {"messaging_product": st.just("whatsapp")},
        optional={
            "metadata": st.fixed_dictionaries(
                {"phone_number_id": st.sampled_from(["106540352242922", "1", 5])}),
            "contacts": st.lists(st.fixed_dictionaries(
                {"wa_id": WA_FROM, "profile": JSON | st.fixed_dictionaries({"name": TEXT})}),
                max_size=2),
            "messages": st.lists(wa_message(media_ids), max_size=3) | JSON,
            "statuses": st.lists(st.fixed_dictionaries(
                {"id": st.text(max_size=20), "status": st.sampled_from(
                    ["sent", "delivered", "read", "failed"]) | JSON},
                optional={"errors": JSON, "recipient_id": WA_FROM}), max_size=2),
            "errors": JSON,
        },
    ))  # fmt: skip
    envelope = {
        "object": draw(st.sampled_from(["whatsapp_business_account", "page"])),
        "entry": [{"id": "1", "changes": [{"field": draw(st.sampled_from(["messages", "x"])),
                                           "value": value}]}],
    }  # fmt: skip
    return draw(st.sampled_from([json.dumps(envelope).encode()]) | st.binary(max_size=200)
                | JSON.map(lambda j: json.dumps(j).encode()))  # fmt: skip


@FUZZ
@given(data=st.data())
async def test_the_whatsapp_webhook_answers_any_notification_without_a_server_error(
    service: Service, data: st.DataObject
) -> None:
    service.start()
    body = data.draw(wa_notification(service.media_ids))
    signature = data.draw(st.sampled_from([sign(body, APP_SECRET)] * 4 + ["sha256=é", ""]))
    headers = {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}
    resp = await service.client.post("/webhooks/whatsapp", data=body, headers=headers)
    service.check(resp.status, await resp.text(), body[:300])


# --- the photo decoder ----------------------------------------------------------------------------


@FUZZ
@given(photos=st.lists(photo_bytes(), min_size=1, max_size=4))
def test_the_photo_decoder_refuses_bad_pictures_within_its_memory_budget(
    photos: list[bytes],
) -> None:
    with peak_growth() as growth:
        for data in photos:
            for_agent = clean_photo(data)
            assert for_agent.accepted == bool(for_agent.clean_jpeg), data[:40]
            verdict = check_photo(data, PhotoKind.KTP, ocr=False)
            assert verdict.accepted or verdict.problems, data[:40]
    assert growth.bytes < DEFAULT_DECODE_MEMORY, f"grew {growth.mb:.0f} MB"
