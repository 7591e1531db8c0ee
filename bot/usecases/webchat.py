"""What a citizen does in the web chat besides sending messages: open a chat, read it back."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from bot.storage.models import Message
from bot.storage.uow import UnitOfWorkFactory

CHANNEL = "web"


@dataclass(frozen=True, slots=True)
class ChatPage:
    """Messages of a web chat after a sequence number, and the chat's last sequence number."""

    messages: list[tuple[Message, dict[str, Any]]]
    last_seq: int


async def open_chat(uows: UnitOfWorkFactory) -> str:
    """Create a web chat and return its id, the secret that gives access to it."""
    chat_id = secrets.token_urlsafe(24)
    async with uows() as uow:
        await uow.conversations.lock(CHANNEL, chat_id)
        await uow.commit()
    return chat_id


async def chat_exists(uows: UnitOfWorkFactory, chat_id: str) -> bool:
    """Tell whether a web chat with this id was opened."""
    async with uows() as uow:
        return await uow.conversations.find(CHANNEL, chat_id) is not None


async def read_chat(uows: UnitOfWorkFactory, chat_id: str, after: int) -> ChatPage | None:
    """Return what was said after ``after``: everything on a first load, else the bot's side."""
    async with uows() as uow:
        conv = await uow.conversations.find(CHANNEL, chat_id)
        if conv is None:
            return None
        # A first load shows the whole chat; later polls only what the bot or an agent sent.
        directions = ("in", "out") if after == 0 else ("out",)
        history = await uow.conversations.history(conv.id, after=after, directions=directions)
        return ChatPage(history, conv.last_seq)
