"""Deliver bot and agent messages: into the history, and onto the outbox for push channels."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.events import MessagesQueued
from bot.engine.annotate import speakable
from bot.engine.messages import VOICE, Reply
from bot.storage.models import Conversation, Message
from bot.storage.uow import UnitOfWork


class Delivery:
    """Record outgoing messages and queue them for channels that push (Telegram, WhatsApp).

    Pull channels (web chat, terminal) read new messages from the history instead.
    """

    def __init__(self, *, voice: bool = False) -> None:
        self.push_channels: set[str] = set()
        # Voice notes can be made (settings.voice and espeak-ng installed).
        self.voice = voice

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
        """Store ``reply`` in the conversation and queue it if its channel pushes.

        A bot message to a citizen who asked for voice on every message is marked so (the web
        chat plays it); on a push channel its voice note follows as an outbox item of its own,
        so a retry of one never sends the other twice.
        """
        if author == "bot":
            [reply] = self.spoken(conv, [reply])
        message = await uow.conversations.append(
            conv, direction="out", author=author, kind=kind, body=reply.to_dict(),
            author_user_id=author_user_id,
        )  # fmt: skip
        message.blob_id = blob_id
        if conv.channel in self.push_channels:
            await uow.outbox.enqueue(conv, reply, message_seq=message.seq)
            if reply.extra.get(VOICE):
                await uow.outbox.enqueue(conv, reply.voice_note())
            uow.publish(MessagesQueued(conv.channel))
        return message

    def speaks_to(self, conv: Conversation) -> bool:
        """Tell whether the citizen asked for a voice note after every message, and can get one."""
        return self.voice and bool(conv.voice_replies)

    def spoken(self, conv: Conversation, replies: list[Reply]) -> list[Reply]:
        """Return ``replies`` marked to be heard when the citizen asked for voice.

        A turn's replies come marked by the engine (``bot.engine.annotate``); this marks what
        the bot says outside a turn. A reply with a WhatsApp template (a reminder, a decision)
        is spoken too: inside the 24-hour window its note goes out like any other, outside it
        the sender skips the note.
        """
        if not self.speaks_to(conv):
            return replies
        return [
            replace(r, extra={**r.extra, VOICE: True})
            if speakable(r) and not r.extra.get(VOICE)
            else r
            for r in replies
        ]
