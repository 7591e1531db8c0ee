"""The main menu: greeting and the four big choices."""

from __future__ import annotations

from bot.engine.messages import Button
from dialogs.base import AGENT, Turn

# The menu's button ids; the dialogs they open listen for them (see their triggers).
REGISTER = "menu:register"
STATUS = "menu:status"
FAQ = "menu:faq"


def buttons(turn: Turn) -> list[Button]:
    """Return the main menu's choices."""
    return [
        turn.button(REGISTER, "btn-register"),
        turn.button(STATUS, "btn-status"),
        turn.button(FAQ, "btn-faq"),
        turn.button(AGENT, "btn-agent"),
    ]


def show(turn: Turn, *, greet: bool = True) -> None:
    """Leave any flow and show the menu."""
    turn.go(None)
    turn.say("menu-greeting" if greet else "menu-prompt", buttons=buttons(turn))
