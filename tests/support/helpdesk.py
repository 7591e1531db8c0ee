"""Helpers for helpdesk tests: agents, citizens who ask for a person, reading the history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core import Core
from bot.services.accounts import Actor, Role
from bot.storage.models import AuditEntry, Conversation, OutboxItem
from tests.support.chat import ChatDriver

PASSWORD = "rahasia-sekali-123"


async def agent(core: Core, name: str, role: str = "agent") -> Actor:
    """Create a console account and return it as the actor the service expects."""
    user = await core.account_cases.create_user(name, PASSWORD, role)
    return Actor(type="user", id=str(user.id), name=user.username, role=Role(role))


async def at_nik_step(chat: ChatDriver) -> None:
    """Walk a citizen into registration up to the NIK question."""
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    assert "NIK" in chat.text


async def conversation(core: Core, chat: ChatDriver) -> Conversation:
    """Return the citizen's conversation row as stored now."""
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        return conv


async def history(core: Core, conv_id: int, after: int = 0) -> list[tuple[Any, dict[str, Any]]]:
    """Return (message, body) pairs of every direction, notes included."""
    async with core.uow() as uow:
        return await uow.conversations.history(
            conv_id, after=after, directions=("in", "out", "note")
        )


async def audit_actions(core: Core) -> list[str]:
    """Return the audit log's actions, oldest first."""
    async with core.uow() as uow:
        rows = await uow.session.execute(select(AuditEntry.action).order_by(AuditEntry.id))
        return list(rows.scalars())


async def outbox(core: Core, conv_id: int) -> list[OutboxItem]:
    """Return the conversation's outbox items, oldest first."""
    async with core.uow() as uow:
        rows = await uow.session.execute(
            select(OutboxItem).where(OutboxItem.conversation_id == conv_id).order_by(OutboxItem.id)
        )
        return list(rows.scalars())
