"""The bot speaks: "dengarkan" reads the last message, "suara" reads every message."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.engine.messages import VOICE, InboundKind, Reply
from bot.storage.models import Conversation, OutboxItem
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork
from tests.conftest import migrated_core
from tests.support.chat import ChatDriver

MENU = ["menu:register", "menu:status", "menu:faq", "agent"]


@pytest.fixture
async def quiet_core(
    settings_factory: Callable[..., Settings], sqlite_url: str
) -> AsyncIterator[Core]:
    """A core with voice notes switched off (TLIVE_VOICE=false)."""
    built = await migrated_core(settings_factory(database_url=sqlite_url, voice=False))
    yield built
    await built.db.dispose()


async def _conv(core: Core, chat: ChatDriver) -> Conversation:
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
    assert conv is not None
    return conv


def _note(chat: ChatDriver) -> Reply:
    [reply] = chat.replies
    assert reply.is_voice_note
    return reply


async def test_dengarkan_reads_the_last_message_and_offers_its_choices_again(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("hai")
    menu = chat.replies[-1]
    await chat.say("dengarkan")
    note = _note(chat)
    assert note.text == menu.text and note.buttons == menu.buttons
    await chat.say("1")  # the menu's number still picks "Daftar akun"
    assert (await _conv(core, chat)).flow == "registration"


@pytest.mark.parametrize("typed", ["Dengarkan", "dengarkn", "tolong bacakan", "🔊 Dengarkan"])
async def test_dengarkan_is_understood_with_typos_in_a_sentence_and_as_the_keyboard_label(
    core: Core, typed: str
) -> None:
    chat = ChatDriver(core, channel="telegram", chat_id="5550001")
    await chat.say("/start")
    greeting = chat.replies[-1].text
    await chat.say(typed)
    assert _note(chat).text == greeting


async def test_the_listen_button_reads_the_question_of_the_current_step_and_keeps_it(
    core: Core,
) -> None:
    chat = ChatDriver(core)
    await chat.say("hai")
    await chat.say("daftar")
    before = await _conv(core, chat)
    question = chat.replies[-1]
    await chat.send(chat._inbound(InboundKind.BUTTON, button_id="voice:listen"))
    note = _note(chat)
    assert note.text == question.text and note.buttons == question.buttons
    after = await _conv(core, chat)
    assert (after.flow, after.step) == (before.flow, before.step)


async def test_voice_on_every_message_is_offered_once_with_the_first_menu(core: Core) -> None:
    chat = ChatDriver(core)
    assert (await _conv_or_none(core, chat)) is None
    await chat.say("hai")
    assert chat.buttons == [*MENU, "voice:on"]
    assert (await _conv(core, chat)).voice_replies is False  # offered, not taken
    await chat.say("menu")
    assert chat.buttons == MENU


async def _conv_or_none(core: Core, chat: ChatDriver) -> Conversation | None:
    async with core.uow() as uow:
        return await uow.conversations.find(chat.channel, chat.chat_id)


async def test_one_tap_turns_voice_on_and_every_bot_message_is_then_spoken(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("hai")
    await chat.tap("voice:on")
    assert (await _conv(core, chat)).voice_replies is True
    assert chat.text == core.catalog.text("voice-on")
    assert all(r.extra.get(VOICE) for r in chat.replies)
    await chat.tap("menu:register")
    assert chat.replies and all(r.extra.get(VOICE) for r in chat.replies if r.text.strip())
    # The history the web chat reads carries the same mark.
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        history = await uow.conversations.history(conv.id, directions=("out",))
    assert history[-1][1]["extra"][VOICE] is True


async def test_suara_and_tanpa_suara_change_the_setting_at_any_step(any_core: Core) -> None:
    core = any_core  # the setting is stored: SQLite and PostgreSQL
    chat = ChatDriver(core)
    await chat.say("hai")
    await chat.say("daftar")
    step = (await _conv(core, chat)).step
    await chat.say("suara")
    assert (await _conv(core, chat)).voice_replies is True
    assert chat.buttons == ["resume", "voice:off"]
    await chat.tap("resume")
    assert (await _conv(core, chat)).step == step
    assert all(r.extra.get(VOICE) for r in chat.replies)
    await chat.say("tanpa suara")
    conv = await _conv(core, chat)
    assert conv.voice_replies is False and conv.step == step
    assert chat.buttons == ["resume", "voice:on"]
    assert not any(r.extra.get(VOICE) for r in chat.replies)
    await chat.say("saya mau pakai suara")
    assert (await _conv(core, chat)).voice_replies is True


async def test_on_a_push_channel_each_spoken_message_is_followed_by_its_own_voice_note(
    core: Core,
) -> None:
    core.services.delivery.push_channels.add("telegram")
    chat = ChatDriver(core, channel="telegram", chat_id="5550002")
    await chat.say("/start")
    await chat.say("suara")
    async with core.uow() as uow:
        conv = await uow.conversations.find("telegram", "5550002")
        assert conv is not None
        later = utcnow() + timedelta(days=1)
        due = await uow.outbox.claim(["telegram"], later, 100, later)
        payloads = await _queued(uow, conv.id)
    kinds = ["note" if p.is_voice_note else "text" for p in payloads]
    assert kinds == ["text", "text", "note"]  # the greeting, "voice-on", then its note
    assert payloads[2].text == payloads[1].text and not payloads[2].buttons
    # One item per chat is sent at a time, oldest first: the text always before its note.
    assert [item.conversation_id for item, _ in due] == [conv.id]


async def _queued(uow: UnitOfWork, conversation_id: int) -> list[Reply]:
    """Return the chat's outbox items in the order they were queued."""
    stmt = (
        select(OutboxItem)
        .where(OutboxItem.conversation_id == conversation_id)
        .order_by(OutboxItem.id)
    )
    return [uow.outbox.payload(row) for row in (await uow.session.execute(stmt)).scalars()]


async def test_without_voice_nothing_is_offered_and_dengarkan_says_so(quiet_core: Core) -> None:
    chat = ChatDriver(quiet_core)
    await chat.say("hai")
    assert chat.buttons == MENU
    await chat.say("dengarkan")
    assert chat.text == quiet_core.catalog.text("voice-unavailable")
    assert chat.buttons == MENU  # the menu's choices stay
    await chat.say("suara")
    assert (await _conv(quiet_core, chat)).voice_replies is None
