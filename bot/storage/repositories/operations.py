"""The figures an operator watches: what waits in the outbox and in the queues, and for how long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.chat_mode import ChatMode
from bot.storage.models import Conversation, OutboxItem, Registration


@dataclass(frozen=True, slots=True)
class Backlog:
    """How many items wait, and since when the oldest of them waits (None when none does)."""

    count: int
    oldest: datetime | None


class OperationalFigures:
    """Counts and oldest timestamps, each one indexed query, for the metrics at scrape time."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def outbox_pending(self) -> dict[str, Backlog]:
        """Return the messages not yet sent (or given up) per channel."""
        stmt = (
            select(OutboxItem.channel, func.count(), func.min(OutboxItem.created_at))
            .where(OutboxItem.status == "pending")
            .group_by(OutboxItem.channel)
        )
        rows = (await self._s.execute(stmt)).all()
        return {channel: Backlog(count, oldest) for channel, count, oldest in rows}

    async def verification_waiting(self, deadline: datetime) -> tuple[Backlog, int]:
        """Return the requests waiting for a decision, and how many came before ``deadline``.

        One pass over the waiting requests: on a job-fair day there are tens of thousands.
        """
        stmt = select(
            func.count(),
            func.min(Registration.submitted_at),
            func.count().filter(Registration.submitted_at < deadline),
        ).where(Registration.status == "submitted")
        count, oldest, overdue = (await self._s.execute(stmt)).one()
        return Backlog(count or 0, oldest), overdue or 0

    async def helpdesk_queued(self) -> Backlog:
        """Return the chats waiting for a helpdesk agent."""
        stmt = select(func.count(), func.min(Conversation.queued_at)).where(
            Conversation.mode == ChatMode.QUEUED
        )
        count, oldest = (await self._s.execute(stmt)).one()
        return Backlog(count or 0, oldest)
