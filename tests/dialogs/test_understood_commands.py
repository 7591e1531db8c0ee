"""Global commands typed the way people write: typos, sentences, "lanjut" after a pause."""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.domain.chat_mode import ChatMode
from tests.support.chat import ChatDriver
from tests.support.registration import register_until_summary, stored


async def _conversation_mode(core: Core, chat: ChatDriver) -> str:
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        return conv.mode


async def _step(core: Core, chat: ChatDriver) -> tuple[str | None, str | None]:
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        return conv.flow, conv.step


@pytest.mark.parametrize("typed", ["dftar", "dafatr", "Daftr", "sy mau daftar dong", "regis"])
async def test_a_misspelt_or_wordy_register_starts_registration(core: Core, typed: str) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.say(typed)
    assert "consent:yes" in chat.buttons


@pytest.mark.parametrize(
    "typed",
    [
        "sy mau ngomong sama orang aja, bingung",
        "tolong sambungkan ke petugas",
        "bisa bicara dengan cs?",
        "ptgs",
    ],
)
async def test_asking_for_a_person_in_a_sentence_queues_for_the_helpdesk(
    core: Core, typed: str
) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.say(typed)
    assert await _conversation_mode(core, chat) == ChatMode.QUEUED


@pytest.mark.parametrize(
    "typed",
    [
        "udh diverifikasi blm?",
        "status pendaftaran sy gmn",
        "pendaftaran saya sudah sampai mana",
        "cek pendaftaran saya",
    ],
)
async def test_status_asked_in_words_shows_the_citizens_own_request(core: Core, typed: str) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    reference = (await stored(core)).reference
    await chat.say("menu")
    await chat.say(typed)
    assert reference in chat.text


async def test_a_how_to_question_is_answered_by_the_faq_not_taken_as_a_command(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.say("cara daftar gimana ya")
    assert "consent:yes" not in chat.buttons
    flow, _ = await _step(core, chat)
    assert flow != "registration"


async def test_lanjut_after_batal_continues_the_paused_registration(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    paused_at = await _step(core, chat)
    await chat.say("batal")
    assert (await _step(core, chat))[0] is None
    await chat.say("lanjut")
    assert await _step(core, chat) == paused_at


async def test_lanjut_with_nothing_paused_shows_the_menu(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("lanjut")
    assert "menu:register" in chat.buttons


async def test_a_command_typo_mid_form_runs_the_command_when_it_is_no_answer(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    await chat.say("sy mau ngomong sama orang aja")  # at the NIK question: not a NIK
    assert await _conversation_mode(core, chat) == ChatMode.QUEUED


@pytest.mark.parametrize("typed", [None, "baca selengkapnya", "mau baca dulu yg lengkap"])
async def test_consent_is_short_and_the_full_text_is_one_tap_or_words_away(
    core: Core, typed: str | None
) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    short = chat.replies[0].text  # the consent; the question for whom follows it
    assert "consent:more" in chat.buttons and len(short.split()) <= 40
    if typed is None:
        await chat.tap("consent:more")
    else:
        await chat.say(typed)
    assert len(chat.replies[0].text) > len(short) and "consent:yes" in chat.buttons
    await chat.say("iya setuju")
    assert (await _step(core, chat))[1] != "consent"
