"""A photo sent while waiting for a person: "sudah kami simpan" only when it was stored
(issue 15, finding 7)."""

from __future__ import annotations

import secrets

from bot.core import Core
from bot.engine.messages import Inbound, InboundKind
from tests.console.support import jpeg
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation, history

KEPT = "foto Bapak/Ibu sudah kami simpan"


async def _queued(core: Core) -> ChatDriver:
    chat = ChatDriver(core)
    await chat.say("petugas")
    return chat


async def _stored_photos(core: Core, chat: ChatDriver) -> int:
    conv = await conversation(core, chat)
    return sum(1 for message, _ in await history(core, conv.id) if message.blob_id is not None)


async def test_a_photo_that_was_stored_is_said_to_be_kept(core: Core) -> None:
    chat = await _queued(core)
    await chat.photo(jpeg())
    assert KEPT in chat.text
    assert await _stored_photos(core, chat) == 1


async def test_an_unreadable_photo_is_not_said_to_be_kept(core: Core) -> None:
    chat = await _queued(core)
    await chat.photo(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert KEPT not in chat.text
    assert "tidak bisa dibuka" in chat.text or "belum bisa" in chat.text
    assert await _stored_photos(core, chat) == 0


async def test_a_photo_too_large_to_fetch_is_not_said_to_be_kept(core: Core) -> None:
    chat = await _queued(core)
    await chat.send(Inbound(chat.channel, chat.chat_id, secrets.token_hex(8), InboundKind.PHOTO,
                            photo_too_large=True))  # fmt: skip
    assert KEPT not in chat.text
    assert "terlalu besar" in chat.text
    assert await _stored_photos(core, chat) == 0
