"""Proactive messages to citizens: verification decisions."""

from __future__ import annotations

from bot.config import Settings
from bot.engine.messages import Button, Reply, Template
from bot.i18n import Catalog
from bot.services.registration import Status
from bot.storage.models import Registration


def decision_reply(catalog: Catalog, settings: Settings, reg: Registration) -> Reply:
    """Tell a citizen the outcome of their request, with what to do next."""
    if reg.status == Status.APPROVED:
        return Reply(
            text=catalog.text("decision-approved", reference=reg.reference),
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


def rejection_args(catalog: Catalog, reg: Registration) -> dict[str, str]:
    """Return why a request was rejected and how to fix it, in the citizen's words."""
    reason = reg.reject_reason or "other"
    note = reg.decision_note
    return {
        "reason": catalog.text(f"reject-reason-{reason}"),
        "fix": catalog.text(f"reject-fix-{reason}"),
        "note": catalog.text("decision-note", note=note) if note else "",
    }
