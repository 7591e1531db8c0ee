"""The verification queue: submitted and decided registrations as reviewers and reports see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Registration
from bot.storage.repositories.paging import Page, page_of

_REVIEWED = ("submitted", "approved", "rejected")


class ReviewQueue:
    """Queries over the registrations that reached the verifiers."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def page(
        self,
        *,
        status: str,
        kecamatan: str | None = None,
        channel: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> Page[Registration]:
        """Return a page of requests: waiting ones oldest first, decided ones newest first.

        ``status`` is one status or ``all``; ``since``/``until`` bound the submission time.
        """
        stmt = select(Registration)
        if status == "all":
            stmt = stmt.where(Registration.status.in_(_REVIEWED))
        else:
            stmt = stmt.where(Registration.status == status)
        if kecamatan:
            stmt = stmt.where(Registration.kecamatan == kecamatan)
        if channel:
            stmt = stmt.where(Registration.channel == channel)
        stmt = _submitted_between(stmt, since, until)
        if status == "submitted":
            stmt = stmt.order_by(Registration.submitted_at, Registration.id)
        else:
            stmt = stmt.order_by(Registration.submitted_at.desc(), Registration.id.desc())
        return await page_of(self._s, stmt, page=page, per_page=per_page)

    async def waiting(self, *, submitted_before: datetime | None = None) -> int:
        """Count the requests waiting for a decision (submitted before a moment, if given)."""
        stmt = select(func.count(Registration.id)).where(Registration.status == "submitted")
        if submitted_before is not None:
            stmt = stmt.where(Registration.submitted_at < submitted_before)
        return await self._s.scalar(stmt) or 0

    async def decided_since(self, since: datetime) -> dict[str, int]:
        """Count the decisions taken since ``since``, per resulting status."""
        stmt = (
            select(Registration.status, func.count(Registration.id))
            .where(Registration.decided_at >= since)
            .group_by(Registration.status)
        )
        return {status: count for status, count in (await self._s.execute(stmt)).all()}

    async def next_waiting(
        self, reviewer: str, now: datetime, *, after: Registration | None = None
    ) -> int | None:
        """Return the oldest waiting request nobody but ``reviewer`` holds (past ``after``)."""
        stmt = (
            select(Registration.id)
            .where(
                Registration.status == "submitted",
                or_(
                    Registration.claimed_by.is_(None),
                    Registration.claimed_by == reviewer,
                    Registration.claimed_until.is_(None),
                    Registration.claimed_until <= now,
                ),
            )
            .order_by(Registration.submitted_at, Registration.id)
            .limit(1)
        )
        if after is not None and after.submitted_at is not None:
            stmt = stmt.where(
                or_(
                    Registration.submitted_at > after.submitted_at,
                    and_(
                        Registration.submitted_at == after.submitted_at,
                        Registration.id > after.id,
                    ),
                )
            )
        return await self._s.scalar(stmt)

    async def conversation_of(self, registration_id: int) -> int | None:
        """Return the id of the conversation a registration came from (without loading it)."""
        stmt = select(Registration.conversation_id).where(Registration.id == registration_id)
        return await self._s.scalar(stmt)

    async def cohort(self, since: datetime, until: datetime) -> list[Row[Any]]:
        """Return the reviewed requests submitted in ``[since, until)``, oldest first.

        Each row: reference, submitted_at, decided_at, status, reject_reason, kecamatan,
        channel, age_group (no personal data).
        """
        stmt = (
            select(
                Registration.reference, Registration.submitted_at, Registration.decided_at,
                Registration.status, Registration.reject_reason, Registration.kecamatan,
                Registration.channel, Registration.age_group,
            )
            .where(Registration.status.in_(_REVIEWED))
            .order_by(Registration.submitted_at, Registration.id)
        )  # fmt: skip
        return list((await self._s.execute(_submitted_between(stmt, since, until))).all())


def _submitted_between(
    stmt: Select[Any], since: datetime | None, until: datetime | None
) -> Select[Any]:
    if since:
        stmt = stmt.where(Registration.submitted_at >= since)
    if until:
        stmt = stmt.where(Registration.submitted_at < until)
    return stmt
