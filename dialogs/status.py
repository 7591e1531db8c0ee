"""Cek status: where the citizen's request stands, and what to do next."""

from __future__ import annotations

from bot.engine.messages import Button
from bot.i18n import format_datetime
from bot.services.notifications import rejection_args
from bot.services.registration import Status
from dialogs import menu
from dialogs.base import AGENT, RESUME, Turn
from dialogs.flow import Command, Trigger
from dialogs.registration import RESUBMIT


async def show(turn: Turn) -> None:
    """Tell the citizen the state of their latest request."""
    services = turn.services.registrations
    reg = await services.latest(turn.uow, turn.conv)
    extra: list[Button] = [turn.button(RESUME, "btn-resume")] if turn.conv.flow else []
    if reg is None:
        turn.say("status-none", buttons=[turn.button(menu.REGISTER, "btn-register"), *extra])
    elif reg.status == Status.DRAFT:
        turn.say(
            "status-draft",
            reference=reg.reference,
            buttons=[turn.button(menu.REGISTER, "btn-continue-registration")],
        )
    elif reg.status == Status.SUBMITTED:
        submitted = reg.submitted_at or turn.now
        turn.say(
            "status-submitted",
            reference=reg.reference,
            since=format_datetime(turn.catalog, submitted),
            deadline=format_datetime(turn.catalog, services.deadline(submitted)),
            overdue="yes" if services.deadline(submitted) < turn.now else "no",
            buttons=[*extra, *menu.buttons(turn)[2:]],
        )
    elif reg.status == Status.APPROVED:
        turn.say(
            "status-approved",
            reference=reg.reference,
            when=format_datetime(turn.catalog, reg.decided_at or turn.now),
            buttons=menu.buttons(turn)[2:],
        )
    else:
        turn.say(
            "status-rejected",
            reference=reg.reference,
            **rejection_args(turn.catalog, reg),
            buttons=[
                turn.button(RESUBMIT, "btn-resubmit"),
                turn.button(AGENT, "btn-agent"),
            ],
        )


TRIGGERS = (Trigger(show, Command.STATUS, (menu.STATUS,)),)
