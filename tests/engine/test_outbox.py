"""The outbox: order per chat, retries after errors, permanent failures, no loss."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from bot.core import Core
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Reply
from bot.storage.models import OutboxItem
from tests.support.chat import ChatDriver

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


class FakeSender:
    """A push channel that records sends and fails on demand."""

    channel = "push"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failures: list[SendError] = []

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((recipient.chat_id, reply.text))
        return f"ext-{len(self.sent)}"


def _push(core: Core) -> FakeSender:
    sender = FakeSender()
    core.outbox.add_sender(sender)
    core.services.delivery.push_channels.add("push")
    return sender


async def _statuses(core: Core) -> list[str]:
    async with core.uow() as uow:
        return list((await uow.session.execute(select(OutboxItem.status))).scalars())


async def test_replies_to_push_channels_are_sent_in_order(any_core: Core) -> None:
    sender = _push(any_core)
    chat = ChatDriver(any_core, channel="push")
    await chat.say("menu")
    await chat.say("bantuan")
    while await any_core.outbox.drain_once():
        pass
    assert [text for _, text in sender.sent] == await _texts(any_core, chat)
    assert set(await _statuses(any_core)) == {"sent"}


async def _texts(core: Core, chat: ChatDriver) -> list[str]:
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        history = await uow.conversations.history(conv.id, directions=("out",))
    return [body["text"] for _, body in history]


async def test_retryable_error_keeps_message_and_later_messages_wait(core: Core) -> None:
    sender = _push(core)
    sender.failures.append(SendError("429", retry_after=0.0))
    chat = ChatDriver(core, channel="push")
    await chat.say("menu")
    await chat.say("bantuan")
    assert await core.outbox.drain_once() == 1  # only the chat's oldest is tried
    assert sender.sent == []
    async with core.uow() as uow:
        await uow.session.execute(OutboxItem.__table__.update().values(next_attempt_at=LONG_AGO))
        await uow.commit()
    while await core.outbox.drain_once():
        pass
    assert len(sender.sent) == 2 and sender.sent[0][1].startswith("Halo")


async def test_permanent_error_marks_failed_and_moves_on(core: Core) -> None:
    sender = _push(core)
    sender.failures.append(SendError("blocked by user", retry_after=None))
    chat = ChatDriver(core, channel="push")
    await chat.say("menu")
    await chat.say("bantuan")
    while await core.outbox.drain_once():
        pass
    assert sorted(await _statuses(core)) == ["failed", "sent"]


async def test_dispatcher_run_wakes_up_on_new_replies(core: Core) -> None:
    sender = _push(core)
    task = asyncio.create_task(core.outbox.run(poll=30))
    try:
        await ChatDriver(core, channel="push").say("menu")
        for _ in range(100):
            if sender.sent:
                break
            await asyncio.sleep(0.02)
        assert sender.sent
    finally:
        task.cancel()
