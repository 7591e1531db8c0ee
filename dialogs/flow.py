"""What the router knows of a dialog: flows it hands turns to, and triggers that start things.

A flow is a dialog with steps (registration, the FAQ, erasing one's data); while a
conversation is in it (``conv.flow``), every turn that is not a global command goes to it.
A trigger is what starts a dialog from any step: a global command (a typed word or an
understood intent) and the button ids that mean the same. A new flow is one module that
builds a :class:`DialogFlow` and one line in :mod:`dialogs.flows`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from dialogs import menu
from dialogs.base import Turn

Action = Callable[[Turn], Awaitable[None]]


class FlowName(StrEnum):
    """The flows a conversation can be in (stored in ``conversations.flow``)."""

    REGISTRATION = "registration"
    FAQ = "faq"
    PRIVACY = "privacy"


class Command(StrEnum):
    """The global commands: understood at any step, typed (catalog ``keywords-*``) or inferred."""

    MENU = "menu"
    CANCEL = "cancel"
    HELP = "help"
    REGISTER = "register"
    REGISTER_OTHER = "register-other"  # someone else: the family member she helps
    STATUS = "status"
    FAQ = "faq"
    AGENT = "agent"
    MYDATA = "mydata"
    ERASE = "erase"
    CONTINUE = "continue"
    LISTEN = "listen"
    VOICE_ON = "voice-on"
    VOICE_OFF = "voice-off"


@dataclass(frozen=True, slots=True)
class Trigger:
    """Start ``action`` on a global command and on any of ``buttons``, whatever the step."""

    action: Action
    command: Command | None = None
    buttons: tuple[str, ...] = ()


class Flow(Protocol):
    """A dialog with steps, registered with the router."""

    @property
    def name(self) -> FlowName:
        """Return the flow's name as stored on the conversation."""
        ...

    @property
    def triggers(self) -> tuple[Trigger, ...]:
        """Return the commands and buttons that start the flow (or one of its actions)."""
        ...

    async def handle(self, turn: Turn) -> None:
        """Answer a turn of a conversation in this flow."""
        ...

    async def reprompt(self, turn: Turn) -> None:
        """Ask the current step again (after help, a status check, a helpdesk hand-back)."""
        ...

    async def cancel(self, turn: Turn) -> None:
        """Leave the flow on the citizen's "batal"."""
        ...

    def photo_kind(self, step: str | None) -> str | None:
        """Return which photo the flow waits for at ``step``, if any."""
        ...


async def show_menu(turn: Turn) -> None:
    """Leave the flow for the main menu without the greeting."""
    menu.show(turn, greet=False)


def no_photo(step: str | None) -> str | None:
    """Wait for no photo at any step."""
    return None


@dataclass(frozen=True, slots=True)
class DialogFlow:
    """A :class:`Flow` made of a dialog module's functions."""

    name: FlowName
    handle: Action
    reprompt: Action
    triggers: tuple[Trigger, ...] = ()
    cancel: Action = show_menu
    photo_kind: Callable[[str | None], str | None] = no_photo
