"""End to end: the real service (``tlive-bot serve``) against the Telegram Bot API stand-in.

In polling and in webhook mode a citizen registers with real-looking photos (the KTP as a
compressed photo, the selfie as a file), sharing her number with Telegram's button, while a
second citizen talks at the same time. Along the way: a duplicate update, an old update
delivered again late, two updates arriving out of order, a 429 on send, the service restarted
mid-conversation (a message sent while it is down is not lost) and, in webhook mode, forged
requests.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import SECRET
from tests.photos.factory import GOOD_NIK, good_ktp_jpeg, good_selfie_jpeg
from tests.standins.telegram_api import SentMessage, TelegramStandin
from tests.support.prompts import label, opening
from tests.support.service import Service

pytestmark = pytest.mark.timeout(240)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_KTP = ROOT / "bot" / "web" / "static" / "examples" / "panduan-foto-ktp.jpg"
WEBHOOK_SECRET = "e2e-webhook-secret_42"
SITI, BUDI = 6_100_001, 6_100_002


@dataclass
class Citizen:
    """A Telegram user: every input goes through the stand-in, as from the real app."""

    tg: TelegramStandin
    chat_id: int
    inputs: int = 0
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def messages(self) -> list[SentMessage]:
        """Return everything the bot sent to this citizen."""
        return self.tg.sent[str(self.chat_id)]

    def count(self, text: str) -> int:
        """Count the bot's messages containing ``text``."""
        return sum(text in (m.text or "") for m in self.messages)

    async def push(self, *updates: dict[str, Any], expect: str) -> SentMessage:
        """Queue raw updates (one input) and wait for the reply containing ``expect``."""
        start = len(self.messages)
        self.inputs += 1
        for update in updates:
            self.tg.push_update(update)
        return await self.reply(expect, start)

    async def reply(self, expect: str, start: int = 0) -> SentMessage:
        """Wait for a message (from index ``start``) whose text or a button has ``expect``."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for message in self.messages[start:]:
                if expect in (message.text or "") or expect in message.labels:
                    return message
            await self._more_than(len(self.messages))
        raise AssertionError(f"no reply with {expect!r}: {[m.text for m in self.messages]}")

    async def _more_than(self, seen: int) -> None:
        await self.tg.wait_until(lambda: len(self.messages) > seen, 60)

    async def say(self, text: str, expect: str) -> SentMessage:
        """Type ``text``."""
        update = self.tg.text_update(self.chat_id, text)
        self.updates[text] = update
        return await self.push(update, expect=expect)

    async def tap(self, label: str, expect: str) -> SentMessage:
        """Tap the button ``label`` on the latest keyboard."""
        start = len(self.messages)
        self.inputs += 1
        self.tg.tap(self.chat_id, label)
        return await self.reply(expect, start)

    async def share_phone(self, phone: str, expect: str) -> SentMessage:
        """Press the share-my-number button."""
        return await self.push(self.tg.contact_update(self.chat_id, phone), expect=expect)

    async def photo(self, data: bytes, expect: str, *, as_document: bool = False) -> SentMessage:
        """Send a picture, compressed or as a file."""
        update = self.tg.photo_update(self.chat_id, data, as_document=as_document)
        return await self.push(update, expect=expect)


async def _start(tg: TelegramStandin, tmp_path: Path, mode: str) -> Service:
    env = {
        "TLIVE_SECRET_KEY": SECRET,
        "TLIVE_TELEGRAM_TOKEN": tg.token,
        "TLIVE_TELEGRAM_API_BASE": tg.api_base,
    }
    service = Service(env, tmp_path / "data")
    if mode == "webhook":
        service.env["TLIVE_PUBLIC_URL"] = service.url
        service.env["TLIVE_TELEGRAM_WEBHOOK_SECRET"] = WEBHOOK_SECRET
    await service.start()
    await tg.wait_for_call("setWebhook" if mode == "webhook" else "getUpdates", timeout=30)
    await tg.wait_for_call("setMyCommands", timeout=30)
    return service


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_registration_on_telegram(tmp_path: Path, mode: str) -> None:
    async with TelegramStandin(webhook_max_attempts=500, webhook_retry_delay=0.05) as tg:
        service = await _start(tg, tmp_path, mode)
        try:
            await _conversation(tg, service)
            if mode == "webhook":
                await _forged_requests_change_nothing(tg, service)
        finally:
            await service.stop()
        assert "Traceback" not in service.log(), service.log()


async def _conversation(tg: TelegramStandin, service: Service) -> None:
    siti, budi = Citizen(tg, SITI), Citizen(tg, BUDI)
    assert [c["command"] for c in tg.commands] == ["start", "menu", "status", "bantuan", "batal"]

    # Siti opens the bot from the city's poster (t.me/<bot>?start=daftar); Budi presses Start.
    consent, menu = await asyncio.gather(
        siti.say("/start daftar", expect=opening("consent-ask-whom")),
        budi.say("/start", expect=label("btn-register")),
    )
    assert consent.keyboard_kind == "reply" and label("btn-whom-self") in consent.labels
    # The first menu: four choices, the voice offer, and "🔊 Dengarkan" (too many for big keys).
    assert menu.keyboard_kind == "inline" and len(menu.labels) == 6
    await asyncio.gather(
        siti.tap(label("btn-whom-self"), expect=opening("reg-ask-name")),
        budi.tap(label("btn-register"), expect=opening("consent-ask-whom")),
    )
    await asyncio.gather(
        siti.say("Siti Aminah", expect=opening("reg-ask-nik")),
        budi.tap(label("btn-whom-self"), expect=opening("reg-ask-name")),
    )

    # Telegram delivers Siti's NIK twice (same update_id); the first reply meets a 429.
    nik = tg.text_update(SITI, GOOD_NIK)
    tg.fail_next("sendMessage", 429, retry_after=1)
    birth = await siti.push(nik, dict(nik), expect=opening("reg-confirm-birthdate"))
    assert birth.keyboard_kind == "reply"
    assert [c.status for c in tg.calls_of("sendMessage")].count(429) == 1

    # Budi's NIK reaches the queue before his name (out of order); both still count.
    budi_name = tg.text_update(BUDI, "Budi Santoso")
    budi_nik = tg.text_update(BUDI, "3671010101850003")
    budi_birth = budi.push(budi_nik, budi_name, expect=opening("reg-confirm-birthdate"))
    budi_task = asyncio.create_task(budi_birth)
    phone = await siti.tap(label("btn-correct"), expect=opening("reg-ask-phone"))
    assert phone.buttons[0].get("request_contact") is True
    await budi_task
    assert budi.count(opening("reg-ask-nik")) == 1

    # The city restarts the service; Siti shares her number while it is down.
    await service.stop()
    shared = siti.share_phone("6281234567890", expect=opening("reg-ask-kecamatan"))
    kecamatan = asyncio.create_task(shared)
    await service.start(migrate=False)
    kec = await kecamatan
    assert kec.keyboard_kind == "inline" and "Cipondoh" in kec.labels

    # Siti's name comes again, late (an old update_id): it must change nothing.
    tg.push_update(dict(siti.updates["Siti Aminah"]))
    await siti.tap("Cipondoh", expect=opening("reg-ask-kelurahan"))
    ktp_prompt = await siti.tap("Petir", expect=opening("reg-ask-ktp-photo"))
    if EXAMPLE_KTP.is_file():
        assert ktp_prompt.method == "sendPhoto" and ktp_prompt.photo == EXAMPLE_KTP.read_bytes()
    await siti.photo(good_ktp_jpeg(GOOD_NIK), expect=opening("reg-ask-selfie"))
    summary = await siti.photo(good_selfie_jpeg(), expect=opening("reg-summary"), as_document=True)
    assert "SITI AMINAH" in (summary.text or "").upper()
    await siti.tap(label("btn-send"), expect="Nomor pendaftaran")

    assert siti.inputs <= 12, siti.inputs
    assert siti.count(opening("reg-confirm-birthdate")) == 1  # the duplicate NIK: one effect
    assert siti.count(opening("reg-ask-nik")) == 1  # the late old update: none
    assert siti.count("Nomor pendaftaran") == 1
    assert tg.callback_answers  # inline taps get their spinner stopped


async def _forged_requests_change_nothing(tg: TelegramStandin, service: Service) -> None:
    before = len(tg.sent[str(SITI)])
    forged = tg.text_update(SITI, "batal")
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "tebakan"}):
            url = f"{service.url}/webhooks/telegram"
            async with http.post(url, json=forged, headers=headers) as resp:
                assert resp.status == 401
    await asyncio.sleep(1.5)
    assert len(tg.sent[str(SITI)]) == before
