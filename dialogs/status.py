"""Cek status: where the citizen's requests stand, and what to do next.

One chat may register several people (a helper registers her mother after herself): with
more than one request, each is listed with its reference, a short name and where it stands.
"""

from __future__ import annotations

from bot.domain.references import read_reference
from bot.engine.messages import Button
from bot.i18n import format_datetime
from bot.services.notifications import status_text
from bot.services.registration import Status
from bot.storage.models import Registration
from dialogs import menu
from dialogs.base import AGENT, MENU, RESUME, Turn
from dialogs.flow import Command, Trigger


async def show(turn: Turn) -> None:
    """Tell the citizen the state of her request, or of each when the chat has several."""
    services = turn.services.registrations
    requests = await services.requests(turn.uow, turn.conv)
    # A reference she named ("cek status TL-7KQ4M9", a Rasa entity) picks one of her own.
    named = read_reference(turn.entities.get("reference", ""))
    requests = [r for r in requests if r.reference == named] or requests
    if len(requests) > 1:
        _list(turn, requests)
        return
    reg = requests[0] if requests else None
    extra: list[Button] = [turn.button(RESUME, "btn-resume")] if turn.conv.flow else []
    # Outside the form, a sent request can be followed by a family member's.
    other = [] if turn.conv.flow else [turn.button(menu.REGISTER_OTHER, "btn-register-other")]
    if reg is None:
        turn.say("status-none", buttons=[turn.button(menu.REGISTER, "btn-register"), *extra])
        return
    text = _text(turn, reg)
    if reg.status == Status.DRAFT:
        buttons = [turn.button(menu.REGISTER, "btn-continue-registration")]
    elif reg.status == Status.SUBMITTED:
        buttons = [*extra, *other, *menu.buttons(turn)[2:]][:3]
        if await late_in_peak(turn, reg):
            # Peak mode (a job fair): said honestly, as the SOP allows the deadline to slip.
            text += "\n" + turn.t("status-peak")
    elif reg.status == Status.APPROVED:
        buttons = [*other, *menu.buttons(turn)[2:]][:3]
    else:
        buttons = [turn.button(menu.RESUBMIT, "btn-resubmit"), turn.button(AGENT, "btn-agent")]
    turn.say_text(text, buttons=buttons)


def _list(turn: Turn, requests: list[Registration]) -> None:
    """List every request of the chat, newest first, with what can be done next."""
    registrations = turn.services.registrations
    lines = []
    for reg in requests:
        data = registrations.data(turn.uow, reg)
        deadline = registrations.deadline(reg.submitted_at or turn.now)
        lines.append(
            turn.t(
                "status-list-line",
                reference=reg.reference,
                name=short_name(data.get("full_name", "")),
                status=reg.status,
                deadline=format_datetime(turn.catalog, deadline),
                reason=turn.t(f"reject-reason-{reg.reject_reason or 'other'}"),
            )
        )
    statuses = {reg.status for reg in requests}
    buttons: list[Button] = []
    if turn.conv.flow:
        buttons.append(turn.button(RESUME, "btn-resume"))
    elif Status.DRAFT in statuses:
        buttons.append(turn.button(menu.REGISTER, "btn-continue-registration"))
    if Status.REJECTED in statuses:
        buttons.append(turn.button(menu.RESUBMIT, "btn-resubmit"))
    if not turn.conv.flow and Status.DRAFT not in statuses:
        buttons.append(turn.button(menu.REGISTER_OTHER, "btn-register-other"))
    buttons += [turn.button(AGENT, "btn-agent"), turn.button(MENU, "btn-menu")]
    turn.say(
        "status-list",
        count=len(requests),
        requests="\n".join(lines),
        buttons=buttons[:3],
    )


def short_name(full_name: str) -> str:
    """Return a name short enough to tell requests apart, not to identify: "Siti A."."""
    words = [w for w in full_name.split() if any(c.isalpha() for c in w)]
    if not words:
        return "-"
    first = words[0].capitalize()
    return f"{first} {words[1][0].upper()}." if len(words) > 1 else first


def already_sent(turn: Turn, reg: Registration) -> bool:
    """Answer "daftar" from a citizen whose request is sent: its status, never the form again.

    Returns whether it answered (a request waiting or approved); a draft or a rejected request
    goes on to the form. "Daftarkan orang lain" is offered: she may be registering family.
    """
    other = turn.button(menu.REGISTER_OTHER, "btn-register-other")
    if reg.status == Status.SUBMITTED:
        turn.go(None)
        buttons = [turn.button(menu.STATUS, "btn-status"), other, turn.button(AGENT, "btn-agent")]
        turn.say_text(_text(turn, reg, "status-register-again"), buttons=buttons)
        return True
    if reg.status == Status.APPROVED:
        turn.go(None)
        buttons = [other, *menu.registered_buttons(turn)[1:]]
        turn.say_text(_text(turn, reg, "status-register-again"), buttons=buttons)
        return True
    return False


async def late_in_peak(turn: Turn, reg: Registration) -> bool:
    """Tell whether, in peak mode, this waiting request is forecast to miss its deadline."""
    watch = turn.services.peak
    if watch is None or reg.submitted_at is None or reg.submitted_at + watch.sla < turn.now:
        return False  # already late: the message says so anyway
    return (await watch.read(turn.uow, turn.now)).late(reg.submitted_at, watch.sla)


def _text(turn: Turn, reg: Registration, family: str = "status") -> str:
    """Return what the status says of one request; an approved one says how to get the app."""
    services = turn.services
    return status_text(turn.catalog, services.settings, services.registrations, reg, turn.now,
                       family=family)  # fmt: skip


TRIGGERS = (Trigger(show, Command.STATUS, (menu.STATUS,)),)
