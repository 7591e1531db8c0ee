"""The verification queue: submitted and decided registrations as reviewers and reports see them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Row,
    Select,
    and_,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Registration, ReviewPark
from bot.storage.repositories.desk import flag_raised, matching
from bot.storage.repositories.paging import Page, page_of
from bot.storage.repositories.sql import for_update, upsert

_REVIEWED = ("submitted", "approved", "rejected")
_NIK_LOCKS = 17  # the advisory lock class of "a NIK being submitted" (PostgreSQL)


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
        reference: str | None = None,
        hashes: dict[str, str] | None = None,
        flags: Collection[str] = (),
    ) -> Page[Registration]:
        """Return a page of requests: waiting ones oldest first, decided ones newest first.

        ``status`` is one status or ``all``; ``since``/``until`` bound the submission time.
        With ``reference`` or ``hashes`` (keyed hash column → value) only the requests that
        match one of them; with ``flags`` only those where one of these flags is raised.
        """
        stmt = select(Registration)
        if reference is not None or hashes:
            stmt = matching(stmt, reference=reference, hashes=hashes)
        if flags:
            stmt = stmt.where(or_(*(flag_raised(self._s, key) for key in flags)))
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

    async def waiting(self) -> int:
        """Count the requests waiting for a decision."""
        stmt = select(func.count(Registration.id)).where(Registration.status == "submitted")
        return await self._s.scalar(stmt) or 0

    async def waiting_counts(
        self, *, overdue_before: datetime, soon_before: datetime, flags: Collection[str]
    ) -> dict[str, int]:
        """Count the waiting requests: all, sent before ``overdue_before`` (overdue), sent
        before ``soon_before`` but not overdue (due soon), and with one of ``flags`` raised.

        One pass over the waiting requests (the flags are read from the rows anyway), not
        one count each: on a job-fair day there are tens of thousands.
        """
        sent = Registration.submitted_at
        stmt = select(
            func.count(),
            func.count().filter(sent < overdue_before),
            func.count().filter(sent >= overdue_before, sent < soon_before),
            func.count().filter(or_(*(flag_raised(self._s, f) for f in flags))),
        ).where(Registration.status == "submitted")
        waiting, overdue, due_soon, flagged = (await self._s.execute(stmt)).one()
        return {"waiting": waiting, "overdue": overdue, "due_soon": due_soon, "flagged": flagged}

    async def decided_since(self, since: datetime) -> dict[str, int]:
        """Count the decisions taken since ``since``, per resulting status."""
        stmt = (
            select(Registration.status, func.count(Registration.id))
            .where(Registration.decided_at >= since)
            .group_by(Registration.status)
        )
        return {status: count for status, count in (await self._s.execute(stmt)).all()}

    async def next_candidates(
        self, reviewer: str, now: datetime, *, skip: Collection[int] = (), limit: int = 5
    ) -> list[int]:
        """Return waiting requests nobody but ``reviewer`` holds, in the order to offer them.

        The oldest first, except that the ones ``reviewer`` parked (skipped) come after all the
        others, the longest parked first; ``skip`` leaves out ids already tried.
        """
        parked = and_(ReviewPark.registration_id == Registration.id,
                      ReviewPark.reviewer == reviewer)  # fmt: skip
        stmt = (
            select(Registration.id)
            .outerjoin(ReviewPark, parked)
            .where(Registration.status == "submitted", _claimable(reviewer, now))
            .order_by(
                case((ReviewPark.id.is_(None), 0), else_=1), ReviewPark.parked_at,
                Registration.submitted_at, Registration.id,
            )
            .limit(limit)
        )  # fmt: skip
        if skip:
            stmt = stmt.where(Registration.id.not_in(list(skip)))
        return list((await self._s.execute(stmt)).scalars())

    async def try_claim(
        self, registration_id: int, reviewer: str, now: datetime, until: datetime
    ) -> bool:
        """Claim a waiting request unless someone else holds it; tell whether it is ours now.

        One conditional UPDATE: of two reviewers racing for the same row, the database lets
        exactly one through (PostgreSQL re-checks the condition once the winner commits).
        """
        stmt = (
            update(Registration)
            .where(
                Registration.id == registration_id,
                Registration.status == "submitted",
                _claimable(reviewer, now),
            )
            .values(claimed_by=reviewer, claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        result = cast(CursorResult[Any], await self._s.execute(stmt))
        return result.rowcount == 1

    async def release_all(self, reviewer: str, now: datetime) -> list[Registration]:
        """Release every unexpired claim ``reviewer`` holds; return the requests released."""
        stmt = select(Registration).where(
            Registration.claimed_by == reviewer, Registration.claimed_until > now
        )
        held = list((await self._s.execute(for_update(self._s, stmt))).scalars())
        for reg in held:
            reg.claimed_by = None
            reg.claimed_until = None
        return held

    async def park(self, registration_id: int, reviewer: str, now: datetime) -> None:
        """Remember that ``reviewer`` skipped a request (once; a second skip changes nothing)."""
        stmt = (
            upsert(self._s, ReviewPark)
            .values(registration_id=registration_id, reviewer=reviewer, parked_at=now)
            .on_conflict_do_nothing(index_elements=["registration_id", "reviewer"])
        )
        await self._s.execute(stmt)

    async def unpark(self, registration_id: int, reviewer: str | None = None) -> None:
        """Forget a request's parks: ``reviewer``'s, or everyone's (it was decided)."""
        stmt = delete(ReviewPark).where(ReviewPark.registration_id == registration_id)
        if reviewer is not None:
            stmt = stmt.where(ReviewPark.reviewer == reviewer)
        await self._s.execute(stmt)

    async def parked_by(self, reviewer: str, registration_ids: Collection[int]) -> set[int]:
        """Return which of ``registration_ids`` ``reviewer`` has parked."""
        if not registration_ids:
            return set()
        stmt = select(ReviewPark.registration_id).where(
            ReviewPark.reviewer == reviewer, ReviewPark.registration_id.in_(list(registration_ids))
        )
        return set((await self._s.execute(stmt)).scalars())

    async def serialise_nik(self, nik_hash: str) -> None:
        """Make transactions sending the same NIK wait for each other (until this one ends).

        So two requests with one NIK sent at the same moment still see each other. SQLite's
        writers already queue one after the other.
        """
        if self._s.bind.dialect.name != "postgresql":
            return
        await self._s.execute(
            select(func.pg_advisory_xact_lock(_NIK_LOCKS, func.hashtext(nik_hash)))
        )

    async def same_nik(
        self, nik_hash: str, *, exclude: int, statuses: Collection[str]
    ) -> list[Registration]:
        """Return the other requests with this keyed NIK hash in ``statuses``, oldest first."""
        stmt = (
            select(Registration)
            .where(
                Registration.nik_hash == nik_hash,
                Registration.id != exclude,
                Registration.status.in_(list(statuses)),
            )
            .order_by(Registration.submitted_at, Registration.id)
        )
        return list((await self._s.execute(stmt)).scalars())

    async def conversation_of(self, registration_id: int) -> int | None:
        """Return the id of the conversation a registration came from (without loading it)."""
        stmt = select(Registration.conversation_id).where(Registration.id == registration_id)
        return await self._s.scalar(stmt)

    async def cohort(self, since: datetime, until: datetime) -> list[Row[Any]]:
        """Return the reviewed requests submitted in ``[since, until)``, oldest first.

        Each row: reference, submitted_at, decided_at, status, reject_reason, kecamatan,
        channel, age_group, decided_by (a ``user:<id>``/``token:<id>`` key; no personal data).
        """
        stmt = (
            select(
                Registration.reference, Registration.submitted_at, Registration.decided_at,
                Registration.status, Registration.reject_reason, Registration.kecamatan,
                Registration.channel, Registration.age_group, Registration.decided_by,
            )
            .where(Registration.status.in_(_REVIEWED))
            .order_by(Registration.submitted_at, Registration.id)
        )  # fmt: skip
        return list((await self._s.execute(_submitted_between(stmt, since, until))).all())


def _claimable(reviewer: str, now: datetime) -> ColumnElement[bool]:
    """Match requests nobody but ``reviewer`` holds (no claim, or an expired one)."""
    return or_(
        Registration.claimed_by.is_(None),
        Registration.claimed_by == reviewer,
        Registration.claimed_until.is_(None),
        Registration.claimed_until <= now,
    )


def _submitted_between(
    stmt: Select[Any], since: datetime | None, until: datetime | None
) -> Select[Any]:
    if since:
        stmt = stmt.where(Registration.submitted_at >= since)
    if until:
        stmt = stmt.where(Registration.submitted_at < until)
    return stmt
