"""Replies another message follows in the same turn are marked, for channels that need it."""

from __future__ import annotations

from bot.core import Core
from tests.support.chat import ChatDriver


async def test_the_engine_marks_every_reply_with_choices_but_the_last(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    *before, last = chat.replies
    assert len(before) >= 1 and any(r.buttons for r in before)
    assert all(r.extra.get("followed") for r in before if r.buttons)
    assert not last.extra.get("followed")
