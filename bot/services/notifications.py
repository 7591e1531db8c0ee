"""Messages to citizens about their request: decisions, where it stands, how to use the app."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.engine.messages import Button, Reply, Template
from bot.i18n import Catalog, format_datetime
from bot.services.registration import RegistrationService, Status
from bot.storage.models import Registration


def decision_reply(catalog: Catalog, settings: Settings, reg: Registration) -> Reply:
    """Tell a citizen the outcome of their request, with what to do next."""
    if reg.status == Status.APPROVED:
        approved = catalog.text("decision-approved", reference=reg.reference)
        how_to = catalog.text("app-how-to", **app_args(settings, reg))
        return Reply(
            text=f"{approved}\n{how_to}",
            buttons=(Button("menu", catalog.text("btn-menu")),),
            template=Template(settings.whatsapp_template_approved, (reg.reference,)),
        )
    args = rejection_args(catalog, reg)
    return Reply(
        text=catalog.text("decision-rejected", reference=reg.reference, **args),
        buttons=(
            Button("reg:resubmit", catalog.text("btn-resubmit")),
            Button("agent", catalog.text("btn-agent")),
        ),
        template=Template(settings.whatsapp_template_rejected, (reg.reference, args["reason"])),
    )


def status_text(
    catalog: Catalog,
    settings: Settings,
    registrations: RegistrationService,
    reg: Registration,
    now: datetime,
    *,
    family: str = "status",
) -> str:
    """Return what "cek status" says of one request (``family``: "status-register-again" too)."""
    key = f"{family}-{reg.status}"
    if reg.status == Status.SUBMITTED:
        submitted = reg.submitted_at or now
        deadline = registrations.deadline(submitted)
        return catalog.text(
            key, reference=reg.reference,
            since=format_datetime(catalog, submitted),
            deadline=format_datetime(catalog, deadline),
            overdue="yes" if deadline < now else "no",
        )  # fmt: skip
    if reg.status == Status.APPROVED:
        when = format_datetime(catalog, reg.decided_at or now)
        approved = catalog.text(key, reference=reg.reference, when=when)
        return f"{approved}\n{catalog.text('app-how-to', **app_args(settings, reg))}"
    if reg.status == Status.REJECTED:
        return catalog.text(key, reference=reg.reference, **rejection_args(catalog, reg))
    return catalog.text(key, reference=reg.reference)


def app_args(settings: Settings, reg: Registration) -> dict[str, str]:
    """Return what the "how to get the app and log in" text needs: the link, and whose it is."""
    helper = bool((reg.flags or {}).get("helper"))
    return {"url": settings.app_download_url, "helper": "yes" if helper else "no"}


def rejection_args(catalog: Catalog, reg: Registration) -> dict[str, str]:
    """Return why a request was rejected and how to fix it, in the citizen's words."""
    reason = reg.reject_reason or "other"
    note = reg.decision_note
    return {
        "reason": catalog.text(f"reject-reason-{reason}"),
        "fix": catalog.text(f"reject-fix-{reason}"),
        "note": catalog.text("decision-note", note=note) if note else "",
    }
