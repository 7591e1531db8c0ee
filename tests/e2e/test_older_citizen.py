"""Issue 14 done: an older citizen registers herself and her mother on each channel, by voice.

One scripted citizen per channel, through the real service (``tlive-bot serve``) and the
channels' stand-ins (Telegram's Bot API, WhatsApp's Graph API) or the web chat's JSON API. She
types the way she would where the flow allows ("daftar", "iya", her name, a NIK with spaces, a
kecamatan with a typo or its number), turns voice on early and from then on gets a voice note
after every bot message (decoded: OGG/Opus). Her first KTP photo is blurred: the refusal comes
with the fix picture. After the KTP she stops; the reminder sweep runs with its clock an hour
and a minute later (a morning in WIB, outside the quiet hours) and its "Lanjutkan" brings her
back to the selfie. She sends, then registers her mother from the same chat, where the form
speaks of "orang yang didaftarkan". At the end the chat has two submitted requests with two
references (the second by a helper), "cek status" lists both and no outbox item was sent twice.

Her last message is moved to a morning two days ahead before the test's sweep runs at that
moment plus 61 minutes: the service's own sweep (real clock, every minute) never finds her due
meanwhile, so the reminder she gets is the one this sweep queued, whatever the time of day.

What she needed and read is printed (``pytest -s``): the inputs per registration and the
longest bot message and sentence in words.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, update

from bot.config import load_settings
from bot.core import Core, build_core
from bot.engine.messages import Button
from bot.i18n import WIB
from bot.storage.models import Conversation, OutboxItem, Registration
from bot.usecases.reminders import ReminderCases
from dialogs.base import RESUME
from integrations.telegram.sender import LISTEN_BUTTON
from integrations.whatsapp.render import render_reply
from tests.conftest import SECRET
from tests.e2e.test_family_web import PacedCitizen
from tests.photos.factory import blurred_jpeg, good_ktp_jpeg, good_selfie_jpeg
from tests.speech.audio import assert_voice_note, needs_speech
from tests.standins.graph_api import GraphApiStandIn, WhatsAppUser, button_ids, text_of
from tests.standins.telegram_api import SentMessage, TelegramStandin
from tests.support.prompts import label, opening
from tests.support.service import Service
from tests.test_catalog import MAX_MESSAGE_WORDS, MAX_SENTENCE_WORDS, SENTENCE_END, _words

# Telegram paces a chat at one message a second: her walk is ~72 messages (each with its note).
pytestmark = [pytest.mark.timeout(300), needs_speech]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "bot" / "web" / "static" / "examples"
FIX_BLURRED_KTP = "perbaiki-ktp-buram"
SITI_NIK = "3671014501900001"  # 5 January 1990
IBU_NIK = "3671014808550002"  # 8 August 1955, her mother
APP_SECRET = "older-citizen-app-secret"
VERIFY_TOKEN = "older-citizen-verify"
# What she may need for one registration with typed answers: the form's own steps are 11
# (start, consent, eight questions and photos, send); hers add the refused photo and
# "Lanjutkan". What she reads is held to the catalog's limits (tests/test_catalog.py).
MAX_INPUTS = 14
MIN_NOTE_SECONDS = 0.5
# On a busy 2-core machine espeak-ng may need more than the service's 10 s for the summary (a
# NIK read digit by digit); the bound itself is tested in tests/speech, not here.
SERVICE_ENV = {"TLIVE_SECRET_KEY": SECRET, "TLIVE_VOICE_TIMEOUT_SECONDS": "60"}


# --- what she needed and what she read ------------------------------------------------------------


@dataclass
class Walk:
    """Her inputs, per part of the walk, and everything the bot said to her."""

    channel: str
    part: str = "setup"
    inputs: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    notes: list[bytes] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def count(self) -> None:
        """Count one input (a message, a tap or a photo) for the current part."""
        self.inputs[self.part] = self.inputs.get(self.part, 0) + 1

    def longest_message(self) -> tuple[int, str]:
        """Return the longest bot message in words, with its text."""
        return max((len(_words(t)), t) for t in self.texts)

    def longest_sentence(self) -> tuple[int, str]:
        """Return the longest bot sentence in words (a line or a sentence), with its text."""
        return max((len(_words(s)), s.strip()) for t in self.texts for s in SENTENCE_END.split(t))

    def report(self) -> str:
        """Return one line with what she needed and the longest things she read."""
        message, text = self.longest_message()
        sentence, said = self.longest_sentence()
        begins = " ".join(text.split()[:6])
        parts = ", ".join(f"{k} {v}" for k, v in self.inputs.items())
        return (
            f"\n[{self.channel}] inputs: {parts}; voice notes {len(self.notes)}; longest message "
            f"{message} words ({begins!r} …); longest sentence {sentence} words: {said!r}; "
            f"walked in {time.monotonic() - self.started:.0f} s"
        )


@dataclass
class Answer:
    """The bot's answer to one input, as her phone shows it."""

    texts: list[str]
    buttons: list[str]  # ids (web chat, WhatsApp) or labels (Telegram)
    images: list[str]  # the pictures' addresses or file names

    def says(self, key: str, **args: Any) -> bool:
        """Tell whether a message of the answer begins like catalog message ``key``."""
        start = opening(key, **args)
        return any(start in text for text in self.texts)

    @property
    def text(self) -> str:
        """Return all its messages' texts."""
        return "\n".join(self.texts)


def check_notes(walk: Walk, notes: list[bytes]) -> None:
    """Decode each voice note like a player: OGG/Opus with speech, longer than half a second."""
    for note in notes:
        # Container OGG, codec Opus, mono, an Opus rate (8 to 48 kHz), not silent.
        assert_voice_note(note, min_seconds=MIN_NOTE_SECONDS)
    walk.notes.extend(notes)


def check_each_followed_by_a_note(kinds: list[str], voice: str) -> None:
    """Check the answer's messages come as groups, each ending with one voice note."""
    assert kinds and kinds[-1] == voice, kinds
    groups = "|".join(kinds).split(voice)[:-1]
    assert all(g.strip("|") for g in groups), f"a voice note without its message: {kinds}"


# --- the channels ---------------------------------------------------------------------------------


class Chat:
    """One channel as she uses it; every input waits until the whole answer has arrived."""

    walk: Walk
    voice = False  # she has asked for a voice note after every message

    async def say(self, text: str) -> Answer:
        """Type ``text``."""
        raise NotImplementedError

    async def tap(self, button_id: str, key: str) -> Answer:
        """Tap the button ``button_id`` labelled with catalog message ``key``."""
        raise NotImplementedError

    async def photo(self, data: bytes) -> Answer:
        """Send a photo from the phone's camera."""
        raise NotImplementedError

    async def reminded(self) -> Answer:
        """Return what reaches her after the reminder was queued, without her doing anything."""
        raise NotImplementedError


def _outbox_pending(core: Core, channel: str, chat_id: str) -> Callable[[], Awaitable[int]]:
    async def pending() -> int:
        async with core.uow() as uow:
            conv = await uow.conversations.find(channel, chat_id)
            if conv is None:
                return 0
            query = select(OutboxItem.id).where(
                OutboxItem.conversation_id == conv.id, OutboxItem.status == "pending"
            )
            return len((await uow.session.execute(query)).all())

    return pending


def _example_names() -> dict[bytes, str]:
    return {path.read_bytes(): path.stem for path in EXAMPLES.glob("*.jpg")}


class TelegramChat(Chat):
    """A Telegram user: updates pushed through the Bot API stand-in, as from the app."""

    def __init__(self, tg: TelegramStandin, chat_id: int, core: Core, walk: Walk) -> None:
        self.tg = tg
        self.chat_id = chat_id
        self.walk = walk
        self.pending = _outbox_pending(core, "telegram", str(chat_id))
        self.pictures = _example_names()

    @property
    def messages(self) -> list[SentMessage]:
        """Return everything the bot sent to her."""
        return self.tg.sent[str(self.chat_id)]

    async def _turn(self, push: Callable[[], object], *, counted: bool = True) -> Answer:
        before = len(self.messages)
        if counted:
            self.walk.count()
        push()
        # Her answer is whole once something arrived and nothing of hers waits in the outbox
        # (a turn's messages and voice notes are queued in one transaction).
        deadline = time.monotonic() + 60
        while not (len(self.messages) > before and not await self.pending()):
            assert time.monotonic() < deadline, "the bot did not answer"
            await asyncio.sleep(0.05)
        new = self.messages[before:]
        if self.voice:
            check_each_followed_by_a_note([m.method for m in new], "sendVoice")
            check_notes(self.walk, [m.voice or b"" for m in new if m.method == "sendVoice"])
        texts = [m.text for m in new if m.text]
        self.walk.texts.extend(texts)
        keyboards = [m for m in new if m.keyboard_kind in ("inline", "reply")]
        return Answer(
            texts=texts,
            buttons=keyboards[-1].labels if keyboards else [],
            images=[self.pictures.get(m.photo or b"", "?") for m in new if m.method == "sendPhoto"],
        )

    async def say(self, text: str) -> Answer:
        """Type ``text``."""
        return await self._turn(lambda: self.tg.push_text(self.chat_id, text))

    async def tap(self, button_id: str, key: str) -> Answer:
        """Tap the button labelled ``key`` on the latest keyboard."""
        return await self._turn(lambda: self.tg.tap(self.chat_id, label(key)))

    async def photo(self, data: bytes) -> Answer:
        """Send a compressed photo."""
        return await self._turn(lambda: self.tg.push_photo(self.chat_id, data))

    async def reminded(self) -> Answer:
        """Wait for the reminder the service's outbox sends."""
        return await self._turn(lambda: None, counted=False)


class WhatsAppChat(Chat):
    """A WhatsApp user: signed webhooks in, the Graph API stand-in's messages out."""

    def __init__(self, user: WhatsAppUser, walk: Walk) -> None:
        self.user = user
        self.walk = walk

    def _answer(self, payloads: list[dict[str, Any]]) -> Answer:
        if self.voice:
            check_each_followed_by_a_note([p["type"] for p in payloads], "audio")
            uploads = {media_id: (mime, data) for media_id, mime, data in self.user.graph.uploads}
            notes = []
            for p in payloads:
                if p["type"] == "audio":
                    mime, data = uploads[p["audio"]["id"]]
                    assert mime == "audio/ogg" and p["audio"].get("voice") is True, p
                    notes.append(data)
            check_notes(self.walk, notes)
        texts = [text_of([p]) for p in payloads if p["type"] != "audio"]
        texts = [t for t in texts if t.strip()]
        self.walk.texts.extend(texts)
        images = [p["image"].get("link", "") for p in payloads if p["type"] == "image"]
        return Answer(texts=texts, buttons=button_ids(payloads), images=images)

    async def say(self, text: str) -> Answer:
        """Type ``text``."""
        self.walk.count()
        return self._answer(await self.user.text(text))

    async def tap(self, button_id: str, key: str) -> Answer:
        """Tap the reply button or list row ``button_id``."""
        self.walk.count()
        return self._answer(await self.user.tap(button_id))

    async def photo(self, data: bytes) -> Answer:
        """Send a photo."""
        self.walk.count()
        return self._answer(await self.user.photo(data))

    async def reminded(self) -> Answer:
        """Wait for the reminder the service's outbox sends."""
        return self._answer(await self.user.answers())


class WebChat(Chat):
    """The web chat page: its JSON API, its audio links, its polling for new messages."""

    def __init__(self, citizen: PacedCitizen, walk: Walk) -> None:
        self.citizen = citizen
        self.walk = walk

    async def _answer(self, replies: list[dict[str, Any]]) -> Answer:
        assert replies, "the bot did not answer"
        if self.voice:
            # Each message is played as it arrives: voice: true, its audio fetched by the page.
            assert all(r.get("voice") is True and r.get("audio_url") for r in replies), replies
            notes = [await self._audio(reply["audio_url"]) for reply in replies]
            check_notes(self.walk, notes)
        texts = [r["text"] for r in replies if r["text"].strip()]
        self.walk.texts.extend(texts)
        return Answer(
            texts=texts,
            buttons=[b["id"] for b in replies[-1]["buttons"]],
            images=[r["image_url"] for r in replies if r.get("image_url")],
        )

    async def _audio(self, path: str) -> bytes:
        """Fetch a voice note; told to wait (reads are paced per chat too), wait as asked."""
        for _ in range(20):
            async with self.citizen.http.get(self.citizen.base + path) as resp:
                if resp.status == 429:
                    await asyncio.sleep(float(resp.headers["Retry-After"]))
                    continue
                assert resp.status == 200 and resp.content_type == "audio/ogg", resp.status
                return await resp.read()
        raise AssertionError("the voice note was refused again and again")

    async def open(self) -> Answer:
        """Open the chat page: it greets her with the menu and the voice offer."""
        async with self.citizen.http.post(f"{self.citizen.base}/webchat/api/sessions") as resp:
            assert resp.status == 201
            body = await resp.json()
        self.citizen.session_id = body["session_id"]
        self.citizen.replies, self.citizen.last_seq = body["replies"], body["last_seq"]
        return await self._answer(body["replies"])

    async def say(self, text: str) -> Answer:
        """Type ``text``."""
        self.walk.count()
        return await self._answer(await self.citizen.say(text))

    async def tap(self, button_id: str, key: str) -> Answer:
        """Tap the button ``button_id``."""
        self.walk.count()
        return await self._answer(await self.citizen.tap(button_id))

    async def photo(self, data: bytes) -> Answer:
        """Upload a photo from the camera button."""
        self.walk.count()
        return await self._answer(await self.citizen.photo(data))

    async def reminded(self) -> Answer:
        """Poll for new messages, as the open page does."""
        url = self.citizen.url
        async with self.citizen.http.get(url, params={"after": str(self.citizen.last_seq)}) as resp:
            assert resp.status == 200
            body = await resp.json()
        replies = [r for r in body["replies"] if r["from"] == "bot"]
        self.citizen.replies, self.citizen.last_seq = replies, body["last_seq"]
        return await self._answer(replies)


# --- the reminder, with the test's clock ----------------------------------------------------------


def a_morning_ahead() -> datetime:
    """Return 09:00 WIB two days from now: outside the quiet hours, never due by the real clock."""
    day = (datetime.now(WIB) + timedelta(days=2)).date()
    return datetime.combine(day, clock_time(9, 0), tzinfo=WIB).astimezone(UTC)


async def stop_and_sweep(core: Core, channel: str, chat_id: str) -> None:
    """She stops (her last message at a morning's 09:00); the sweep runs at 10:01 WIB."""
    stopped = a_morning_ahead()
    async with core.uow() as uow:
        conv = await uow.conversations.find(channel, chat_id)
        assert conv is not None and conv.voice_replies is True
        await uow.session.execute(
            update(Conversation).where(Conversation.id == conv.id).values(last_inbound_at=stopped)
        )
        await uow.commit()
    sweeps = ReminderCases(core.uow, core.settings, core.catalog, core.services.delivery)
    assert await sweeps.sweep(stopped + timedelta(minutes=59)) == 0  # not yet
    assert await sweeps.sweep(stopped + timedelta(minutes=61)) == 1
    assert await sweeps.sweep(stopped + timedelta(minutes=62)) == 0  # once


# --- her script -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Script:
    """What she types or taps where a channel offers a choice (the rest is the same everywhere)."""

    start: str | None  # her first message (None: the web chat greets her on opening)
    voice_by_word: bool  # "suara" typed instead of the offered button
    whom: str  # her answer to "untuk siapa?"
    phone: str | None  # typed; None: she agrees to the number the channel knows
    kecamatan: str  # typed: with a typo, or its number in the list
    kelurahan: str
    resume_by_word: bool  # "lanjutkan" typed instead of the reminder's button
    another: tuple[str, str] | None  # the "Daftarkan orang lain" button, else typed words
    mother_birth: str | None  # the birth date typed after "salah", else "iya"


async def register_herself(
    chat: Chat, script: Script, core: Core, channel: str, chat_id: str
) -> str:
    """Turn voice on; register, a blurred photo first, a reminder halfway; return the reference."""
    walk = chat.walk
    if script.start is not None:
        menu = await chat.say(script.start)
        assert "voice:on" in menu.buttons or label("btn-voice-on") in menu.buttons, menu
    chat.voice = True  # from the switch's own answer on, each message has its voice note
    if script.voice_by_word:
        heard = await chat.say("suara")
    else:
        heard = await chat.tap("voice:on", "btn-voice-on")
    assert heard.says("voice-on"), heard.text

    walk.part = "herself"
    consent = await chat.say("daftar")
    assert consent.says("consent-ask-whom"), consent.text
    asked = await chat.say(script.whom)
    assert asked.says("reg-ask-name", helper="no"), asked.text
    assert (await chat.say("siti aminah")).says("reg-ask-nik", helper="no")
    birth = await chat.say("3671 0145 0190 0001")
    assert birth.says("reg-confirm-birthdate", helper="no"), birth.text
    phone = await chat.say("iya")
    if script.phone is not None:
        assert phone.says("reg-ask-phone", helper="no"), phone.text
        phone = await chat.say(script.phone)
    else:
        assert phone.says("reg-confirm-phone", helper="no"), phone.text
        phone = await chat.say("iya")
    assert phone.says("reg-ask-kecamatan", helper="no"), phone.text
    kelurahan = await chat.say(script.kecamatan)
    if kelurahan.says("reg-place-did-you-mean"):
        kelurahan = await chat.say("iya")
    assert kelurahan.says("reg-ask-kelurahan"), kelurahan.text
    ktp = await chat.say(script.kelurahan)
    assert ktp.says("reg-ask-ktp-photo", helper="no"), ktp.text

    refused = await chat.photo(blurred_jpeg("ktp"))
    assert refused.says("ktp-blurry"), refused.text
    assert any(FIX_BLURRED_KTP in image for image in refused.images), refused.images
    selfie = await chat.photo(good_ktp_jpeg(SITI_NIK))
    assert selfie.says("reg-ask-selfie", helper="no"), selfie.text

    # She puts the phone away; an hour later the reminder comes, with its "Lanjutkan".
    await stop_and_sweep(core, channel, chat_id)
    reminder = await chat.reminded()
    assert reminder.says("reminder-first"), reminder.text
    assert RESUME in reminder.buttons or label("btn-resume") in reminder.buttons, reminder
    if script.resume_by_word:
        again = await chat.say("lanjutkan")
    else:
        again = await chat.tap(RESUME, "btn-resume")
    assert again.says("reg-ask-selfie", helper="no"), again.text

    summary = await chat.photo(good_selfie_jpeg())
    assert summary.says("reg-summary", helper="no") and "SITI AMINAH" in summary.text.upper()
    sent = await chat.say("kirim")
    assert sent.says("reg-submitted", helper="no"), sent.text
    match = re.search(r"TL-[\w-]+", sent.text)
    assert match, sent.text
    return match.group(0)


async def register_her_mother(chat: Chat, script: Script) -> str:
    """Register her mother from the same chat; return the reference."""
    chat.walk.part = "mother"
    if script.another is not None:
        button_id, key = script.another
        consent = await chat.tap(button_id, key)
    else:
        consent = await chat.say("daftar buat ibu saya")
    assert "Data orang yang didaftarkan" in consent.text, consent.text
    name = await chat.say("iya")
    assert name.says("reg-ask-name", helper="yes"), name.text
    assert "nama lengkap orang yang didaftarkan" in name.text
    assert (await chat.say("aminah binti saleh")).says("reg-ask-nik", helper="yes")
    birth = await chat.say("3671 0148 0855 0002")
    assert birth.says("reg-confirm-birthdate", helper="yes"), birth.text
    if script.mother_birth is not None:
        typed = await chat.say("salah")
        assert typed.says("reg-ask-birthdate", helper="yes"), typed.text
        phone = await chat.say(script.mother_birth)
    else:
        phone = await chat.say("iya")
    if script.phone is not None:
        assert phone.says("reg-ask-phone", helper="yes"), phone.text
        kecamatan = await chat.say("0813 9876 5432")
    else:
        kecamatan = await chat.say("iya")
    assert kecamatan.says("reg-ask-kecamatan", helper="yes"), kecamatan.text
    kelurahan = await chat.say("5")
    assert kelurahan.says("reg-ask-kelurahan"), kelurahan.text
    ktp = await chat.say("ketapang")
    assert ktp.says("reg-ask-ktp-photo", helper="yes"), ktp.text
    selfie = await chat.photo(good_ktp_jpeg(IBU_NIK))
    assert selfie.says("reg-ask-selfie", helper="yes"), selfie.text
    assert "Minta Bapak/Ibu yang didaftarkan memegang KTP" in selfie.text, selfie.text
    summary = await chat.photo(good_selfie_jpeg())
    assert summary.says("reg-summary", helper="yes") and "AMINAH BINTI SALEH" in summary.text
    sent = await chat.say("kirim")
    assert "Pendaftaran AMINAH BINTI SALEH sudah terkirim" in sent.text, sent.text
    match = re.search(r"TL-[\w-]+", sent.text)
    assert match, sent.text
    return match.group(0)


async def walk_through(
    chat: Chat, script: Script, core: Core, channel: str, chat_id: str
) -> tuple[str, str]:
    """Run her whole walk; check what the chat ends with; return the two references."""
    first = await register_herself(chat, script, core, channel, chat_id)
    second = await register_her_mother(chat, script)
    chat.walk.part = "after"
    status = await chat.say("cek status")
    assert "Ada 2 pendaftaran" in status.text, status.text
    assert first in status.text and second in status.text

    async with core.uow() as uow:
        conv = await uow.conversations.find(channel, chat_id)
        assert conv is not None
        query = select(Registration).where(Registration.conversation_id == conv.id)
        regs = (await uow.session.execute(query.order_by(Registration.id))).scalars().all()
    assert [(r.status, bool(r.flags.get("helper"))) for r in regs] == [
        ("submitted", False), ("submitted", True)
    ]  # fmt: skip
    assert [r.reference for r in regs] == [first, second] and first != second

    walk = chat.walk
    print(walk.report())
    assert walk.inputs["herself"] <= MAX_INPUTS and walk.inputs["mother"] <= MAX_INPUTS, walk.inputs
    assert walk.longest_sentence()[0] <= MAX_SENTENCE_WORDS, walk.longest_sentence()
    assert walk.longest_message()[0] <= MAX_MESSAGE_WORDS, walk.longest_message()
    assert len(walk.notes) >= 20  # one after every bot message since "suara"
    return first, second


async def outbox_items(core: Core, channel: str, chat_id: str) -> list[OutboxItem]:
    """Return the chat's outbox items, in order."""
    async with core.uow() as uow:
        conv = await uow.conversations.find(channel, chat_id)
        assert conv is not None
        query = select(OutboxItem).where(OutboxItem.conversation_id == conv.id)
        return list((await uow.session.execute(query.order_by(OutboxItem.id))).scalars())


def each_item_sent_once(items: list[OutboxItem]) -> None:
    """Check every outbox item went out, each on its first and only claim."""
    assert items and all(i.status == "sent" for i in items), [(i.id, i.status) for i in items]
    assert all(i.attempts == 1 for i in items), [(i.id, i.attempts) for i in items]


def the_core(service: Service) -> Core:
    """Return a core on the service's database: the reminder sweep and the checks use it."""
    return build_core(load_settings(data_dir=service.data_dir, secret_key=SECRET), ocr=False)


# --- one test per channel -------------------------------------------------------------------------


@pytest.fixture
async def telegram() -> AsyncIterator[TelegramStandin]:
    """Run the Bot API stand-in."""
    async with TelegramStandin() as tg:
        yield tg


async def test_an_older_citizen_registers_herself_and_her_mother_on_telegram(
    tmp_path: Path, telegram: TelegramStandin
) -> None:
    tg = telegram
    env = {
        **SERVICE_ENV,
        "TLIVE_TELEGRAM_TOKEN": tg.token,
        "TLIVE_TELEGRAM_API_BASE": tg.api_base,
    }
    service = Service(env, tmp_path / "data")
    await service.start()
    core = the_core(service)
    core.services.delivery.push_channels.add("telegram")
    chat_id = 6_140_001
    try:
        await tg.wait_for_call("getUpdates", timeout=30)
        chat = TelegramChat(tg, chat_id, core, Walk("telegram"))
        script = Script(
            start="/start", voice_by_word=False, whom="untuk saya sendiri",
            phone="0812 3456 7890", kecamatan="cipondok", kelurahan="petir",
            resume_by_word=False, another=("reg:another", "btn-register-other"),
            mother_birth=None,
        )  # fmt: skip
        await walk_through(chat, script, core, "telegram", str(chat_id))
        items = await outbox_items(core, "telegram", str(chat_id))
        each_item_sent_once(items)
        # One Bot API message per item: nothing the stand-in received came twice.
        assert len(chat.messages) == len(items)
        assert all(c.status == 200 for c in tg.calls if c.method.startswith("send")), [
            (c.method, c.status) for c in tg.calls if c.status != 200
        ]
    finally:
        await core.db.dispose()
        await service.stop()
    assert "Traceback" not in service.log(), service.log()


async def test_an_older_citizen_registers_herself_and_her_mother_on_whatsapp(
    tmp_path: Path,
) -> None:
    wa_id = "6281277776666"
    async with GraphApiStandIn() as graph, aiohttp.ClientSession() as http:
        env = {
            **SERVICE_ENV,
            "TLIVE_WHATSAPP_TOKEN": graph.token,
            "TLIVE_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
            "TLIVE_WHATSAPP_APP_SECRET": APP_SECRET,
            "TLIVE_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "TLIVE_WHATSAPP_API_BASE": graph.api_base,
        }
        service = Service(env, tmp_path / "data")
        service.env["TLIVE_PUBLIC_URL"] = service.url  # the fix pictures are linked from here
        await service.start()
        core = the_core(service)
        core.services.delivery.push_channels.add("whatsapp")
        try:
            webhooks = graph.webhooks
            webhooks.names[wa_id] = "Siti Aminah"
            user = WhatsAppUser(
                graph, webhooks, http, f"{service.url}/webhooks/whatsapp", APP_SECRET, wa_id,
                pending=_outbox_pending(core, "whatsapp", wa_id),
            )  # fmt: skip
            chat = WhatsAppChat(user, Walk("whatsapp"))
            script = Script(
                start="halo", voice_by_word=True, whom="iya", phone=None, kecamatan="5",
                kelurahan="7", resume_by_word=False, another=None, mother_birth=None,
            )  # fmt: skip
            await walk_through(chat, script, core, "whatsapp", wa_id)
            items = await outbox_items(core, "whatsapp", wa_id)
            each_item_sent_once(items)
            # Each item's payloads reached Meta once: as many as rendering them again gives.
            listen = Button(LISTEN_BUTTON, label("btn-listen"))
            expected = 0
            async with core.uow() as uow:
                for item in items:
                    reply = uow.outbox.payload(item)
                    expected += 1 if reply.is_voice_note else len(render_reply(
                        reply, wa_id, catalog=core.catalog, public_url=service.url, listen=listen
                    ))  # fmt: skip
            assert len(graph.messages_to(wa_id)) == expected
            assert graph.rejected == [], graph.rejected
        finally:
            await core.db.dispose()
            await service.stop()
    assert "Traceback" not in service.log(), service.log()


async def test_an_older_citizen_registers_herself_and_her_mother_on_the_web_chat(
    tmp_path: Path,
) -> None:
    service = Service(dict(SERVICE_ENV), tmp_path / "data")
    await service.start()
    core = the_core(service)
    try:
        async with aiohttp.ClientSession() as http:
            chat = WebChat(PacedCitizen(http, service.url), Walk("web"))
            greeting = await chat.open()
            assert "voice:on" in greeting.buttons, greeting
            citizen = chat.citizen
            script = Script(
                start=None, voice_by_word=False, whom="saya sendiri",
                phone="0812 3456 7890", kecamatan="cipondo", kelurahan="petir",
                resume_by_word=True, another=None, mother_birth="8 agustus 55",
            )  # fmt: skip
            await walk_through(chat, script, core, "web", citizen.session_id)
    finally:
        await core.db.dispose()
        await service.stop()
    assert "Traceback" not in service.log(), service.log()
