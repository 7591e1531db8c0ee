"""The agent directory: who may hold helpdesk chats (active agents and admins)."""

from __future__ import annotations

from bot.helpdesk.hold import HelpdeskError
from bot.services.accounts import Role
from bot.storage.models import User
from bot.storage.uow import UnitOfWork

AGENT_ROLES = (Role.AGENT, Role.ADMIN)


async def agents(uow: UnitOfWork) -> list[User]:
    """Return the active accounts a chat may be transferred to, by username."""
    return await uow.helpdesk.active_users(AGENT_ROLES)


async def agent_named(uow: UnitOfWork, username: str) -> User:
    """Return the active agent or admin with this username; refuse anyone else."""
    user = await uow.helpdesk.user_named(username.strip().lower())
    if user is None or not user.active or user.role not in AGENT_ROLES:
        raise HelpdeskError("no_such_agent")
    return user
