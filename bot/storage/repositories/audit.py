"""The append-only audit trail (a burst of refused sign-ins is one entry whose count grows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    AuditEntry,
)
from bot.storage.repositories.paging import Page, page_of
from bot.storage.types import utcnow


class AuditLog:
    """The append-only audit trail."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def record(
        self,
        action: str,
        *,
        actor_type: str,
        actor_id: str | None = None,
        actor_name: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        details: dict[str, Any] | None = None,
        ip: str | None = None,
    ) -> None:
        """Append one entry."""
        self._s.add(
            AuditEntry(
                at=utcnow(), actor_type=actor_type, actor_id=actor_id, actor_name=actor_name,
                action=action, target_type=target_type, target_id=target_id,
                details=details or {}, ip=ip,
            )
        )  # fmt: skip

    async def open_burst(
        self, action: str, *, actor_type: str, actor_name: str | None, ip: str | None,
        details: dict[str, Any],
    ) -> int:  # fmt: skip
        """Append the entry that reports a burst of refused attempts; return its id."""
        entry = AuditEntry(at=utcnow(), actor_type=actor_type, actor_name=actor_name,
                           action=action, details=details, ip=ip)  # fmt: skip
        self._s.add(entry)
        await self._s.flush()
        return entry.id

    async def count_burst(self, entry_id: int, count: int) -> None:
        """Raise a burst entry's count: the one change ever made to an entry."""
        # One row per burst keeps a flood of refused guesses from burying the log; only the
        # count of a *_blocked entry moves, nothing else about any entry does.
        entry = await self._s.get(AuditEntry, entry_id)
        if entry is not None and entry.action.endswith("_blocked"):
            entry.details = {**entry.details, "count": count}

    async def search(
        self,
        *,
        actor: str | None,
        action: str | None,
        since: datetime | None,
        until: datetime | None,
        page: int,
        per_page: int,
        target: str | None = None,
    ) -> Page[AuditEntry]:
        """Return a page of entries, newest first, matching every filter given."""
        stmt = _matching(actor, action, since, until, target)
        return await page_of(self._s, stmt, page=page, per_page=per_page)

    async def export(
        self,
        *,
        actor: str | None,
        action: str | None,
        since: datetime | None,
        until: datetime | None,
        target: str | None,
        limit: int,
    ) -> list[AuditEntry]:
        """Return up to ``limit`` matching entries, newest first (for a download)."""
        stmt = _matching(actor, action, since, until, target).limit(limit)
        return list((await self._s.execute(stmt)).scalars())

    async def actions(self) -> list[str]:
        """Return every action recorded so far."""
        stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
        return list((await self._s.execute(stmt)).scalars())


def _matching(
    actor: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    target: str | None,
) -> Select[tuple[AuditEntry]]:
    """Select the entries matching every filter given, newest first."""
    stmt = select(AuditEntry)
    if actor:
        # Account names are lower case; an API token's is matched as typed or in lower case.
        # Plain equality keeps the (actor_name, at) index usable.
        typed = actor.strip()
        stmt = stmt.where(AuditEntry.actor_name.in_({typed, typed.lower()}))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if target:
        # What an entry is about: a request's reference however typed ("tl-7kq4m9"), or
        # another target (an account, a token) as written.
        wanted = target.strip()
        stmt = stmt.where(AuditEntry.target_id.in_({wanted, wanted.upper()}))
    if since:
        stmt = stmt.where(AuditEntry.at >= since)
    if until:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
