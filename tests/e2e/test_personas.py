"""Three citizens who never tap a button register on the web chat, Telegram and WhatsApp.

Each persona is a script of what an older citizen types — typos in lowercase, only numbers and
"iya", questions and going back mid-way — run against the real service and the channels' stand-
ins. Every turn must be understood (no "not understood" message of any kind), each ends with a
submitted request, and the number of inputs is asserted: the steps themselves, plus her own
questions and the bot's "did you mean …?" confirmations.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.config import load_settings
from bot.core import Core, build_core
from bot.i18n import Catalog
from bot.storage.models import OutboxItem
from tests.conftest import SECRET
from tests.e2e.test_webchat_registration import WebCitizen
from tests.photos.factory import GOOD_NIK, good_ktp_jpeg, good_selfie_jpeg
from tests.standins.graph_api import GraphApiStandIn, WhatsAppUser, text_of
from tests.standins.telegram_api import TelegramStandin
from tests.support.service import Service

APP_SECRET = "persona-app-secret"
VERIFY_TOKEN = "persona-verify"
# Replies that mean the bot did not understand (or could not use) what was typed.
_MISUNDERSTOOD_KEYS = (
    "error-generic", "unsupported-other", "photo-unexpected", "faq-did-you-mean",
    "faq-no-answer", "name-error", "nik-error-length", "nik-error-digits", "nik-error-region",
    "nik-error-date", "nik-error-serial", "birthdate-error-format", "birthdate-error-range",
    "phone-error", "reg-error-kecamatan", "reg-error-kelurahan", "reg-error-choice",
    "reg-error-photo-expected", "reg-error-text-expected",
)  # fmt: skip

KTP = object()  # a good photo of the KTP
SELFIE = object()  # a good selfie holding it
Step = str | object


def _openings(catalog: Catalog) -> dict[str, str]:
    """Return the fixed first words of each 'not understood' message."""
    found = {}
    for key in _MISUNDERSTOOD_KEYS:
        if not catalog.has(key):
            continue
        text = catalog.text(key, helper="no")  # the openings read alike for a helper
        first = re.split(r"[{\n]|\u2068", text)[0].strip()
        if len(first) >= 12:
            found[key] = first[:40]
    return found


@dataclass(frozen=True)
class Persona:
    """A citizen's script and how many inputs it takes her."""

    name: str
    steps: tuple[Step, ...]

    @property
    def inputs(self) -> int:
        """Return how many messages she sends."""
        return len(self.steps)


# She types everything in lowercase, with the typos of someone who rarely types.
TYPOS = Persona(
    "typos",
    (
        "dafatr",
        "iya setuju",
        "siti aminah",
        "3671 0145 0190 0001",
        "iya betul",
        "no hp sy 0812 3456 7890",
        "kec cipondoh",
        "petir",
        KTP,
        SELFIE,
        "ya kirim",
    ),
)
# He answers with the numbers of the choices and "iya" for everything else.
NUMBERS = Persona(
    "numbers",
    (
        "halo",
        "1",
        "iya",
        "budi santoso",
        "3671014501900001",
        "iya",
        "081234567890",
        "5",
        "7",
        KTP,
        SELFIE,
        "iya",
    ),
)
# She asks on the way and goes back to fix an answer.
QUESTIONS = Persona(
    "questions",
    (
        "sy mau daftar",
        "boleh",
        "ani suryani",
        "kembali",
        "ani suryani wijaya",
        "3671014501900001",
        "betul",
        "0812-3456-7890",
        "karawaci",
        "cimone",
        "kalau ktp saya buram gimana?",
        KTP,
        SELFIE,
        "kirim",
    ),
)
PERSONAS = (TYPOS, NUMBERS, QUESTIONS)
# The registration's own steps: start, consent, name, NIK, birth date, phone, kecamatan,
# kelurahan, KTP, selfie, send.
STEPS = 11
EXPECTED_INPUTS = {
    "typos": STEPS,
    "numbers": STEPS + 1,  # her greeting before choosing
    "questions": STEPS + 3,  # one question, plus "kembali" and the name typed again
}


class Channel:
    """One channel a persona types on; returns the texts of the bot's answer to each input."""

    async def send(self, step: Step) -> list[str]:
        """Send one input and return the texts of the bot's replies."""
        raise NotImplementedError


class WebChannel(Channel):
    """The web chat page's JSON API."""

    def __init__(self, citizen: WebCitizen) -> None:
        self._citizen = citizen

    async def send(self, step: Step) -> list[str]:
        """Type or upload, as the chat page does."""
        if step is KTP:
            replies = await self._citizen.photo(good_ktp_jpeg(GOOD_NIK))
        elif step is SELFIE:
            replies = await self._citizen.photo(good_selfie_jpeg())
        else:
            replies = await self._citizen.say(str(step))
        return [r["text"] for r in replies]


class TelegramChannel(Channel):
    """A Telegram user pushing updates through the Bot API stand-in."""

    def __init__(self, tg: TelegramStandin, chat_id: int) -> None:
        self._tg = tg
        self._chat_id = chat_id

    async def send(self, step: Step) -> list[str]:
        """Push one update and wait until the bot is done answering it."""
        messages = self._tg.sent[str(self._chat_id)]
        seen = len(messages)
        if step is KTP:
            update = self._tg.photo_update(self._chat_id, good_ktp_jpeg(GOOD_NIK))
        elif step is SELFIE:
            update = self._tg.photo_update(self._chat_id, good_selfie_jpeg())
        else:
            update = self._tg.text_update(self._chat_id, str(step))
        self._tg.push_update(update)
        await self._tg.wait_until(lambda: len(messages) > seen, 60)
        await self._tg.wait_for_idle()
        return [m.text or "" for m in self._tg.sent[str(self._chat_id)][seen:]]


class WhatsAppChannel(Channel):
    """A WhatsApp user sending signed webhooks; answers come back through the Graph stand-in."""

    def __init__(self, user: WhatsAppUser) -> None:
        self._user = user

    async def send(self, step: Step) -> list[str]:
        """Deliver one message like Meta does."""
        if step is KTP:
            answers = await self._user.photo(good_ktp_jpeg(GOOD_NIK))
        elif step is SELFIE:
            answers = await self._user.photo(good_selfie_jpeg())
        else:
            answers = await self._user.text(str(step))
        return [text_of([a]) for a in answers]


async def _walk(persona: Persona, channel: Channel, catalog: Catalog) -> list[str]:
    """Run the script; return every turn the bot did not understand."""
    openings = _openings(catalog)
    wrong = []
    for step in persona.steps:
        texts = await channel.send(step)
        assert texts, f"{persona.name}: no answer to {step!r}"
        for key, opening in openings.items():
            if any(opening in text for text in texts):
                wrong.append(f"{step!r} → {key}: {' | '.join(texts)[:200]}")
    return wrong


async def _submitted(core: Core) -> int:
    async with core.uow() as uow:
        return (await uow.registrations.count_by_status()).get("submitted", 0)


Running = tuple[Service, TelegramStandin, GraphApiStandIn]


@pytest.fixture
async def service(
    tmp_path: Path,
) -> AsyncIterator[tuple[Service, TelegramStandin, GraphApiStandIn]]:
    """Run the service with Telegram and WhatsApp connected to their stand-ins."""
    async with TelegramStandin() as tg, GraphApiStandIn() as graph:
        env = {
            "TLIVE_SECRET_KEY": SECRET,
            "TLIVE_TELEGRAM_TOKEN": tg.token,
            "TLIVE_TELEGRAM_API_BASE": tg.api_base,
            "TLIVE_WHATSAPP_TOKEN": graph.token,
            "TLIVE_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
            "TLIVE_WHATSAPP_APP_SECRET": APP_SECRET,
            "TLIVE_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "TLIVE_WHATSAPP_API_BASE": graph.api_base,
        }
        svc = Service(env, tmp_path / "data")
        svc.env["TLIVE_PUBLIC_URL"] = svc.url
        svc.env["TLIVE_TELEGRAM_WEBHOOK_SECRET"] = "persona-webhook-secret"
        await svc.start()
        await tg.wait_for_call("setWebhook", timeout=60)
        try:
            yield svc, tg, graph
        finally:
            await svc.stop()


def _core(service: Service) -> Core:
    return build_core(load_settings(data_dir=service.data_dir, secret_key=SECRET), ocr=False)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("channel_name", ["web", "telegram", "whatsapp"])
async def test_a_citizen_who_never_taps_is_understood_at_every_turn_and_registers(
    service: Running, persona: Persona, channel_name: str
) -> None:
    svc, tg, graph = service
    assert persona.inputs == EXPECTED_INPUTS[persona.name]
    catalog = Catalog()
    core = _core(svc)
    try:
        async with aiohttp.ClientSession() as http:
            channel = await _channel(channel_name, svc, tg, graph, http, core)
            wrong = await _walk(persona, channel, catalog)
        assert wrong == [], "\n".join(wrong)
        assert await _submitted(core) == 1
    finally:
        await core.db.dispose()
    assert "Traceback" not in svc.log()


async def _channel(
    name: str,
    svc: Service,
    tg: TelegramStandin,
    graph: GraphApiStandIn,
    http: aiohttp.ClientSession,
    core: Core,
) -> Channel:
    if name == "web":
        citizen = WebCitizen(http, svc.url)
        await citizen.open()
        return WebChannel(citizen)
    if name == "telegram":
        return TelegramChannel(tg, 700_000 + secrets.randbelow(100_000))
    wa_id = "62812" + str(secrets.randbelow(10**7)).zfill(7)

    async def pending() -> int:
        async with core.uow() as uow:
            conv = await uow.conversations.find("whatsapp", wa_id)
            if conv is None:
                return 0
            query = select(func.count()).where(
                OutboxItem.conversation_id == conv.id, OutboxItem.status == "pending"
            )
            return int((await uow.session.execute(query)).scalar_one())

    webhooks = graph.webhooks
    user = WhatsAppUser(graph, webhooks, http, f"{svc.url}/webhooks/whatsapp", APP_SECRET, wa_id,
                        pending=pending)  # fmt: skip
    return WhatsAppChannel(user)
