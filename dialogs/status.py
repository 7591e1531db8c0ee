"""Cek status: where the citizen's request stands, and what to do next."""

from __future__ import annotations

from bot.engine.messages import Button
from bot.i18n import format_datetime
from bot.services.notifications import rejection_args
from bot.services.registration import Status
from bot.storage.models import Registration
from dialogs import menu
from dialogs.base import AGENT, RESUME, Turn
from dialogs.flow import Command, Trigger


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
        _submitted(turn, reg, "status-submitted", buttons=[*extra, *menu.buttons(turn)[2:]])
    elif reg.status == Status.APPROVED:
        _approved(turn, reg, "status-approved", buttons=menu.buttons(turn)[2:])
    else:
        turn.say(
            "status-rejected",
            reference=reg.reference,
            **rejection_args(turn.catalog, reg),
            buttons=[
                turn.button(menu.RESUBMIT, "btn-resubmit"),
                turn.button(AGENT, "btn-agent"),
            ],
        )


def already_sent(turn: Turn, reg: Registration) -> bool:
    """Answer "daftar" from a citizen whose request is sent: its status, never the form again.

    Returns whether it answered (a request waiting or approved); a draft or a rejected request
    goes on to the form.
    """
    if reg.status == Status.SUBMITTED:
        turn.go(None)
        _submitted(turn, reg, "status-register-again-submitted", menu.registered_buttons(turn))
        return True
    if reg.status == Status.APPROVED:
        turn.go(None)
        _approved(turn, reg, "status-register-again-approved", menu.registered_buttons(turn)[1:])
        return True
    return False


def _submitted(turn: Turn, reg: Registration, key: str, buttons: list[Button]) -> None:
    services = turn.services.registrations
    submitted = reg.submitted_at or turn.now
    deadline = services.deadline(submitted)
    turn.say(
        key,
        reference=reg.reference,
        since=format_datetime(turn.catalog, submitted),
        deadline=format_datetime(turn.catalog, deadline),
        overdue="yes" if deadline < turn.now else "no",
        buttons=buttons,
    )


def _approved(turn: Turn, reg: Registration, key: str, buttons: list[Button]) -> None:
    turn.say(
        key,
        reference=reg.reference,
        when=format_datetime(turn.catalog, reg.decided_at or turn.now),
        buttons=buttons,
    )


TRIGGERS = (Trigger(show, Command.STATUS, (menu.STATUS,)),)
