"""Data saya / hapus data: citizens see and delete what is held about them (UU PDP)."""

from __future__ import annotations

from bot.domain.nik import mask_nik
from bot.i18n import format_datetime
from bot.services.privacy import erase_citizen, held_data
from dialogs import menu
from dialogs.base import MENU, Turn
from dialogs.flow import Command, DialogFlow, FlowName, Trigger, show_menu

CONFIRM = "confirm-erase"
ERASE = "privacy:erase"
ERASE_YES = "privacy:erase-yes"


async def show(turn: Turn) -> None:
    """List what is held about the citizen."""
    held = await held_data(turn.uow, turn.conv)
    if not held.registrations and held.consent_given_at is None:
        turn.say("privacy-nothing", messages=held.messages, buttons=menu.buttons(turn))
        return
    lines = []
    for reg, data in held.registrations:
        lines.append(
            turn.t(
                "privacy-registration",
                reference=reg.reference,
                status=turn.t(f"privacy-status-{reg.status}"),
                name=str(data.get("full_name", "-")),
                nik=mask_nik(str(data["nik"])) if data.get("nik") else "-",
                phone=str(data.get("phone", "-")),
                place=f"{data.get('kelurahan', '-')}, {data.get('kecamatan', '-')}",
            )
        )
    turn.say(
        "privacy-summary",
        registrations="\n".join(lines),
        photos=len(held.documents),
        consent=format_datetime(turn.catalog, held.consent_given_at)
        if held.consent_given_at
        else "-",
        days=turn.services.settings.retention_days,
        buttons=[turn.button(ERASE, "btn-erase"), turn.button(MENU, "btn-menu")],
    )


async def ask_erase(turn: Turn) -> None:
    """Ask for confirmation before deleting everything."""
    turn.go(FlowName.PRIVACY, CONFIRM)
    turn.say(
        "privacy-confirm-erase",
        buttons=[
            turn.button(ERASE_YES, "btn-erase-yes"),
            turn.button(MENU, "btn-cancel"),
        ],
    )


async def handle(turn: Turn) -> None:
    """Carry out a confirmed deletion."""
    if turn.choice() == ERASE_YES:
        await erase_citizen(turn.uow, turn.conv)
        turn.go(None)
        turn.say("privacy-erased", buttons=[turn.button(MENU, "btn-menu")])
        return
    menu.show(turn, greet=False)


FLOW = DialogFlow(
    FlowName.PRIVACY,
    handle=handle,
    reprompt=show_menu,
    triggers=(Trigger(show, Command.MYDATA), Trigger(ask_erase, Command.ERASE, (ERASE,))),
)
