"""A turn's new rows are encrypted once a flush gives them their ids, and always before commit.

Issue 16: the history messages and outbox items of a turn are inserted together instead of one
flush each; their ciphertexts stay bound to their own row ids.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.core import Core
from bot.engine.messages import Reply
from bot.storage.models import Message, OutboxItem


async def test_rows_added_without_a_flush_are_stored_encrypted_and_bound(any_core: Core) -> None:
    async with any_core.uow() as uow:
        conv = await uow.conversations.lock("telegram", "777001")
        body = {"text": "Siti Aminah"}
        first = await uow.conversations.append(
            conv, direction="in", author="citizen", kind="text", body=body
        )
        body["text"] = "changed after it was written"  # the history keeps what was appended
        second = await uow.conversations.append(
            conv, direction="out", author="bot", kind="text", body={"text": "Terima kasih"}
        )
        item = await uow.outbox.enqueue(conv, Reply(text="Terima kasih"), message_seq=second.seq)
        assert first.id is None and item.id is None  # nothing flushed yet
        await uow.commit()

    async with any_core.uow() as uow:
        stored = (await uow.session.execute(select(Message).order_by(Message.seq))).scalars()
        assert [m.body_enc != b"" for m in stored] == [True, True]
        history = await uow.conversations.history(conv.id)
        assert [body for _, body in history] == [{"text": "Siti Aminah"}, {"text": "Terima kasih"}]
        [queued] = (await uow.session.execute(select(OutboxItem))).scalars()
        assert uow.outbox.payload(queued).text == "Terima kasih"
        assert uow.outbox.address(queued) == "777001"


async def test_a_query_in_the_turn_flushes_and_seals_what_came_before(any_core: Core) -> None:
    async with any_core.uow() as uow:
        conv = await uow.conversations.lock("telegram", "777002")
        message = await uow.conversations.append(
            conv, direction="in", author="citizen", kind="text", body={"text": "status"}
        )
        # A dialog's query autoflushes: the row gets its id and its ciphertext at once.
        history = await uow.conversations.history(conv.id)
        assert message.id is not None and message.body_enc != b""
        assert [body for _, body in history] == [{"text": "status"}]
        await uow.commit()
