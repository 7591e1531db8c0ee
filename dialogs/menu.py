"""The main menu: greeting and the four big choices."""

from __future__ import annotations

from bot.engine.messages import Button
from dialogs.base import Turn


def buttons(turn: Turn) -> list[Button]:
    """Return the main menu's choices."""
    return [
        turn.button("menu:register", "btn-register"),
        turn.button("menu:status", "btn-status"),
        turn.button("menu:faq", "btn-faq"),
        turn.button("agent", "btn-agent"),
    ]


def show(turn: Turn, *, greet: bool = True) -> None:
    """Leave any flow and show the menu."""
    turn.go(None)
    turn.say("menu-greeting" if greet else "menu-prompt", buttons=buttons(turn))
