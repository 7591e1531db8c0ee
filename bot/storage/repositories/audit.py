"""The append-only audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
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

    async def count_since(
        self, action: str, since: datetime, *, ip: str | None, actor_name: str | None = None
    ) -> int:
        """Count entries of ``action`` from ``ip`` (and ``actor_name``) since ``since``."""
        stmt = select(func.count()).where(
            AuditEntry.action == action, AuditEntry.at >= since, AuditEntry.ip == ip
        )
        if actor_name is not None:
            stmt = stmt.where(AuditEntry.actor_name == actor_name)
        return await self._s.scalar(stmt) or 0

    async def search(
        self,
        *,
        actor: str | None,
        action: str | None,
        since: datetime | None,
        until: datetime | None,
        page: int,
        per_page: int,
    ) -> Page[AuditEntry]:
        """Return a page of entries, newest first, matching every filter given."""
        stmt = select(AuditEntry)
        if actor:
            stmt = stmt.where(func.lower(AuditEntry.actor_name) == actor.strip().lower())
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        if since:
            stmt = stmt.where(AuditEntry.at >= since)
        if until:
            stmt = stmt.where(AuditEntry.at < until)
        stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        return await page_of(self._s, stmt, page=page, per_page=per_page)

    async def actions(self) -> list[str]:
        """Return every action recorded so far."""
        stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
        return list((await self._s.execute(stmt)).scalars())
