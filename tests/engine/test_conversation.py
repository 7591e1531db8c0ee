"""The engine's guarantees: one effect per message id, no half-written state on failure."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.core import Core
from bot.engine.messages import Inbound, InboundKind
from bot.storage.models import Message, Registration
from tests.support.chat import ChatDriver


async def test_failing_dialog_keeps_message_rolls_back_effects_and_apologises(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")

    async def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    # Consent creates a citizen and a draft, then the dialog fails half-way.
    monkeypatch.setattr(core.services.registrations, "start_draft", explode)
    await chat.tap("consent:yes")
    assert "gangguan" in chat.text
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Registration)) == 0
        conv = await uow.conversations.find("web", chat.chat_id)
        assert conv is not None and conv.step == "consent" and conv.citizen_id is None
        inbound = await uow.session.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
    assert inbound == 2  # the citizen's tap is kept in the history
    monkeypatch.undo()
    await chat.send(
        Inbound("web", chat.chat_id, "again", InboundKind.BUTTON, button_id="consent:yes")
    )
    assert "nama lengkap" in chat.text


async def test_concurrent_messages_of_one_chat_are_processed_one_at_a_time(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    same = [Inbound("web", chat.chat_id, f"dup-{n % 2}", InboundKind.TEXT, text="Siti Aminah")
            for n in range(6)]  # fmt: skip
    results = await asyncio.gather(*(any_core.handle(i) for i in same))
    assert sum(not r.duplicate for r in results) == 2
    async with any_core.uow() as uow:
        conv = await uow.conversations.find("web", chat.chat_id)
        assert conv is not None
        seqs = list(
            (await uow.session.execute(
                select(Message.seq).where(Message.conversation_id == conv.id)
            )).scalars()
        )  # fmt: skip
    assert sorted(seqs) == list(range(1, len(seqs) + 1))
