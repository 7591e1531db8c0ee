"""What a citizen's chat client does besides sending messages: open a chat, read it back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.web_sessions import new_session_id
from bot.engine.messages import Reply
from bot.services.delivery import Delivery
from bot.storage.models import Conversation, Message
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

# The bot's greeting for a chat (ConversationEngine.greet): the replies it queues.
Greeter = Callable[[UnitOfWork, Conversation, dict[str, Any]], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class ChatPage:
    """Messages of a chat after a sequence number, and the chat's last sequence number."""

    messages: list[tuple[Message, dict[str, Any]]]
    last_seq: int


@dataclass(frozen=True, slots=True)
class OpenedChat:
    """A chat just opened: its id (the secret that gives access) and what the bot said."""

    chat_id: str
    page: ChatPage


async def open_chat(
    uows: UnitOfWorkFactory, channel: str, greeter: Greeter, delivery: Delivery
) -> OpenedChat:
    """Create a chat on ``channel``, greeted with the menu, and return it."""
    chat_id = new_session_id()
    async with uows() as uow:
        conv = await uow.conversations.lock(channel, chat_id)
        await _greet(uow, conv, greeter, delivery)
        await uow.commit()
    page = await read_chat(uows, channel, chat_id, after=0, directions=("in", "out"))
    assert page is not None
    return OpenedChat(chat_id, page)


async def greet_if_new(
    uows: UnitOfWorkFactory, channel: str, chat_id: str, greeter: Greeter, delivery: Delivery
) -> ChatPage | None:
    """Greet a chat that has no message yet; return its whole history (None: no such chat).

    Asking twice greets once: a chat with any message, greeting included, is left as it is.
    """
    async with uows() as uow:
        if await uow.conversations.find(channel, chat_id) is None:
            return None
        conv = await uow.conversations.lock(channel, chat_id)
        if await _greet(uow, conv, greeter, delivery):
            await uow.commit()
    return await read_chat(uows, channel, chat_id, after=0, directions=("in", "out"))


async def _greet(uow: UnitOfWork, conv: Conversation, greeter: Greeter, delivery: Delivery) -> bool:
    """Queue the greeting in a chat that is still empty; return whether it did."""
    if conv.last_seq:
        return False
    state = uow.conversations.read_state(conv)
    replies = await greeter(uow, conv, state)
    for reply in replies:
        await delivery.deliver(uow, conv, reply)
    last = replies[-1] if replies else None
    state["buttons"] = [[b.id, b.label] for b in last.buttons] if last else []
    uow.conversations.write_state(conv, state)
    return True


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
