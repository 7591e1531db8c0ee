"""What a citizen's chat client does besides sending messages: open a chat, read it back."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.storage.models import Message
from bot.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ChatPage:
    """Messages of a chat after a sequence number, and the chat's last sequence number."""

    messages: list[tuple[Message, dict[str, Any]]]
    last_seq: int


async def open_chat(uows: UnitOfWorkFactory, channel: str) -> str:
    """Create a chat on ``channel`` and return its id, the secret that gives access to it."""
    chat_id = secrets.token_urlsafe(24)
    async with uows() as uow:
        await uow.conversations.lock(channel, chat_id)
        await uow.commit()
    return chat_id


async def chat_exists(uows: UnitOfWorkFactory, channel: str, chat_id: str) -> bool:
    """Tell whether the chat was opened."""
    async with uows() as uow:
        return await uow.conversations.find(channel, chat_id) is not None


async def read_chat(
    uows: UnitOfWorkFactory,
    channel: str,
    chat_id: str,
    *,
    after: int,
    directions: Sequence[str] = ("out",),
) -> ChatPage | None:
    """Return the messages after sequence ``after`` (by default what the bot and agents said)."""
    async with uows() as uow:
        conv = await uow.conversations.find(channel, chat_id)
        if conv is None:
            return None
        history = await uow.conversations.history(conv.id, after=after, directions=directions)
        return ChatPage(history, conv.last_seq)
