"""Read the append-only audit log (the SOP's Log pada Aplikasi Helpdesk); nothing edits it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.days import day_bounds
from bot.storage.models import AuditEntry
from bot.storage.repositories.paging import Page
from bot.storage.uow import UnitOfWorkFactory

PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit entries to show (dates are inclusive WIB days)."""

    actor: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class AuditView:
    """A page of matching entries, newest first, and every action known for the filter."""

    page: Page[AuditEntry]
    actions: list[str]


async def audit_log(uow_factory: UnitOfWorkFactory, flt: AuditFilter, page: int = 1) -> AuditView:
    """Return one page of the entries matching ``flt``."""
    since, until = day_bounds(flt.date_from, flt.date_to)
    async with uow_factory() as uow:
        found = await uow.audit.search(
            actor=flt.actor, action=flt.action, since=since, until=until, page=page,
            per_page=PER_PAGE,
        )  # fmt: skip
        return AuditView(found, await uow.audit.actions())
