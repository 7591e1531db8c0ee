"""Every ciphertext is bound to its table, row and column: moved anywhere else it does not decrypt.

Issue 15, finding 7: the associated data was constant per table, so someone with write access to
the database could swap two citizens' encrypted fields and the service would read them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from bot.core import Core
from bot.storage.models import Conversation, Document, Message, OutboxItem, Registration
from bot.storage.uow import UnitOfWork
from tests.engine.test_outbox import FakeSender
from tests.support.chat import ChatDriver
from tests.support.registration import register_until_summary

Read = Callable[[UnitOfWork, Any], Awaitable[object] | object]


async def _rows(uow: UnitOfWork, model: type[Any]) -> list[Any]:
    return list((await uow.session.execute(select(model).order_by(model.id))).scalars())


async def _history(uow: UnitOfWork, message: Message) -> object:
    return await uow.conversations.history(message.conversation_id, after=message.seq - 1)


async def _document(uow: UnitOfWork, document: Document) -> object:
    return await uow.documents.read(document)


async def _swap_blob(uow: UnitOfWork) -> tuple[Document, Document]:
    first, second = (await _rows(uow, Document))[:2]
    blobs = {d.blob_id: await uow.helpdesk.blob(d.blob_id) for d in (first, second)}
    blobs[second.blob_id].ciphertext = blobs[first.blob_id].ciphertext  # type: ignore[union-attr]
    return first, second


# (what is copied, model, column copied from the first row to the second, how it is read)
CASES: list[tuple[str, type[Any], str, str, Read]] = [
    ("dialog state", Conversation, "state_enc", "state_enc",
     lambda uow, row: uow.conversations.read_state(row)),
    ("chat id", Conversation, "chat_id_enc", "chat_id_enc",
     lambda uow, row: uow.conversations.address(row)),
    ("message", Message, "body_enc", "body_enc", _history),
    ("outbox payload", OutboxItem, "payload_enc", "payload_enc",
     lambda uow, row: uow.outbox.payload(row)),
    ("outbox chat id", OutboxItem, "chat_id_enc", "chat_id_enc",
     lambda uow, row: uow.outbox.address(row)),
    ("personal fields", Registration, "data_enc", "data_enc",
     lambda uow, row: uow.registrations.read_data(row)),
]  # fmt: skip


async def _two_citizens(core: Core) -> None:
    core.outbox.add_sender(FakeSender())
    core.services.delivery.push_channels.add("push")
    for _ in range(2):
        chat = ChatDriver(core, channel="push")
        await register_until_summary(chat)
    while await core.outbox.drain_once():
        pass


async def _reads(uow: UnitOfWork, read: Read, row: Any) -> bool:
    try:
        result = read(uow, row)
        if isinstance(result, Awaitable):
            await result
    except (InvalidTag, ValueError):
        return False
    return True


async def test_a_ciphertext_copied_to_another_row_or_column_does_not_decrypt(
    any_core: Core,
) -> None:
    await _two_citizens(any_core)
    readable_after_copy = []
    for name, model, source, target, read in CASES:
        async with any_core.uow() as uow:
            first, second = (await _rows(uow, model))[:2]
            assert await _reads(uow, read, second), f"{name}: unreadable before the copy"
            setattr(second, target, getattr(first, source))
            if await _reads(uow, read, second):
                readable_after_copy.append(name)
    async with any_core.uow() as uow:
        first, second = await _swap_blob(uow)
        assert await _reads(uow, _document, first)
        if await _reads(uow, _document, second):
            readable_after_copy.append("document image")
    async with any_core.uow() as uow:
        item = (await _rows(uow, OutboxItem))[0]
        item.chat_id_enc = item.payload_enc  # another column of the same row
        if await _reads(uow, lambda u, row: u.outbox.address(row), item):
            readable_after_copy.append("outbox payload as chat id")
    assert readable_after_copy == []
