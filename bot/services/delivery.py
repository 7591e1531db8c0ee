"""Deliver bot and agent messages: into the history, and onto the outbox for push channels."""

from __future__ import annotations

from bot.domain.events import MessagesQueued
from bot.engine.messages import Reply
from bot.storage.models import Conversation, Message
from bot.storage.uow import UnitOfWork


class Delivery:
    """Record outgoing messages and queue them for channels that push (Telegram, WhatsApp).

    Pull channels (web chat, terminal) read new messages from the history instead.
    """

    def __init__(self) -> None:
        self.push_channels: set[str] = set()

    async def deliver(
        self,
        uow: UnitOfWork,
        conv: Conversation,
        reply: Reply,
        *,
        author: str = "bot",
        author_user_id: int | None = None,
        kind: str = "text",
        blob_id: int | None = None,
    ) -> Message:
        """Store ``reply`` in the conversation and queue it if its channel pushes."""
        message = await uow.conversations.append(
            conv, direction="out", author=author, kind=kind, body=reply.to_dict(),
            author_user_id=author_user_id,
        )  # fmt: skip
        message.blob_id = blob_id
        if conv.channel in self.push_channels:
            await uow.outbox.enqueue(conv, reply, message_seq=message.seq)
            uow.publish(MessagesQueued(conv.channel))
        return message
