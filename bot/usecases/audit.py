"""Read the append-only audit log (the SOP's Log pada Aplikasi Helpdesk); nothing edits it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from bot.domain.days import day_bounds, today_wib
from bot.i18n import Catalog
from bot.services.accounts import Actor
from bot.services.excel_csv import write_csv
from bot.storage.models import AuditEntry
from bot.storage.repositories.paging import Page
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory

PER_PAGE = 100
EXPORT_LIMIT = 100_000  # entries in one download (narrow the filter for more)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit entries to show (dates are inclusive WIB days)."""

    actor: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    reference: str | None = None  # what the entry is about: a request's reference, mostly


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
            per_page=PER_PAGE, target=flt.reference,
        )  # fmt: skip
        return AuditView(found, await uow.audit.actions())


async def audit_csv(
    uow_factory: UnitOfWorkFactory, flt: AuditFilter, actor: Actor, catalog: Catalog, *,
    ip: str | None,
) -> tuple[bytes, str]:  # fmt: skip
    """Return the entries matching ``flt`` (newest first, up to EXPORT_LIMIT) as CSV, and a
    file name; the export itself is audited."""
    since, until = day_bounds(flt.date_from, flt.date_to)
    async with uow_factory() as uow:
        entries = await uow.audit.export(
            actor=flt.actor, action=flt.action, since=since, until=until, target=flt.reference,
            limit=EXPORT_LIMIT,
        )  # fmt: skip
        uow.audit.record(
            "audit.exported", actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
            target_type="audit", ip=ip,
            details={"entries": len(entries), "actor": flt.actor, "action": flt.action,
                     "reference": flt.reference,
                     "from": flt.date_from.isoformat() if flt.date_from else None,
                     "to": flt.date_to.isoformat() if flt.date_to else None},
        )  # fmt: skip
        await uow.commit()
    columns = ("at", "actor", "actor-type", "action", "target", "details", "ip")
    header = [catalog.text(f"console-audit-col-{name}") for name in columns]
    rows = [
        [e.at, e.actor_name, e.actor_type, e.action, e.target_id,
         json.dumps(e.details, ensure_ascii=False, sort_keys=True), e.ip]
        for e in entries
    ]  # fmt: skip
    return write_csv([header, *rows]), f"log-helpdesk_{today_wib(utcnow()).isoformat()}.csv"
