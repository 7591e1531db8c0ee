"""Console sessions: the database keeps only the hash of the cookie's token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ConsoleSession, User


class ConsoleSessions:
    """Signed-in console sessions."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def drop_dead(self, user_id: int, now: datetime) -> None:
        """Delete a user's ended and expired sessions."""
        await self._s.execute(
            delete(ConsoleSession).where(
                ConsoleSession.user_id == user_id,
                or_(ConsoleSession.ended_at.is_not(None), ConsoleSession.expires_at < now),
            )
        )

    def add(self, session: ConsoleSession) -> ConsoleSession:
        """Stage a new session."""
        self._s.add(session)
        return session

    async def with_user(self, token_hash: str) -> tuple[ConsoleSession, User] | None:
        """Return the session stored under ``token_hash`` and its user."""
        stmt = (
            select(ConsoleSession, User)
            .join(User, User.id == ConsoleSession.user_id)
            .where(ConsoleSession.token_hash == token_hash)
        )
        found = (await self._s.execute(stmt)).first()
        return None if found is None else (found[0], found[1])

    async def end(self, token_hash: str, now: datetime) -> None:
        """End the open session stored under ``token_hash``."""
        await self._s.execute(
            update(ConsoleSession)
            .where(ConsoleSession.token_hash == token_hash, ConsoleSession.ended_at.is_(None))
            .values(ended_at=now)
        )

    async def end_for_user(self, user_id: int, now: datetime, *, keep: int | None = None) -> None:
        """End every open session of a user except session ``keep``."""
        stmt = update(ConsoleSession).where(
            ConsoleSession.user_id == user_id, ConsoleSession.ended_at.is_(None)
        )
        if keep is not None:
            stmt = stmt.where(ConsoleSession.id != keep)
        await self._s.execute(stmt.values(ended_at=now))
