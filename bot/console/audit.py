"""Search the append-only audit log (the SOP's Log pada Aplikasi Helpdesk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from bot.services.decisions import day_bounds
from bot.storage.models import AuditEntry
from bot.storage.uow import UnitOfWork

PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit entries to show."""

    actor: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A page of audit entries, newest first."""

    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def _where(stmt: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.actor:
        stmt = stmt.where(func.lower(AuditEntry.actor_name) == flt.actor.strip().lower())
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    low, high = day_bounds(flt.date_from, flt.date_to)
    if low:
        stmt = stmt.where(AuditEntry.at >= low)
    if high:
        stmt = stmt.where(AuditEntry.at < high)
    return stmt


async def search(uow: UnitOfWork, flt: AuditFilter, page: int = 1) -> AuditPage:
    """Return one page of matching entries, newest first."""
    total = await uow.session.scalar(_where(select(func.count(AuditEntry.id)), flt)) or 0
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(page, 1), pages)
    stmt = _where(select(AuditEntry), flt).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    rows = await uow.session.execute(stmt.offset((page - 1) * PER_PAGE).limit(PER_PAGE))
    return AuditPage(entries=list(rows.scalars()), total=total, page=page, pages=pages)


async def actions(uow: UnitOfWork) -> list[str]:
    """Return every action recorded so far, for the filter list."""
    stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list((await uow.session.execute(stmt)).scalars())
