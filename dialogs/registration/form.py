"""The registration form's building blocks: the draft being filled, its slots, their answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.engine.messages import Button, InboundKind
from bot.services.registration_drafts import photo_kinds
from bot.storage.models import Registration
from dialogs.base import Turn

PHOTO_KINDS = ("ktp", "selfie")


class Stage(StrEnum):
    """The registration steps that are not a question of the form (those are slot names)."""

    CONSENT = "consent"
    SUMMARY = "summary"
    EDIT = "edit"
    READ = "ktp-read"  # "this is what your KTP says, right?" after a photo sent first


@dataclass
class Form:
    """The draft being filled and its decrypted fields."""

    reg: Registration
    data: dict[str, Any]
    documents: set[str] = field(default_factory=set)

    @property
    def helper(self) -> bool:
        """Tell whether the person in the chat registers someone else (a family member)."""
        return bool((self.reg.flags or {}).get("helper"))

    @property
    def who(self) -> str:
        """Return the catalog's ``$helper`` selector: "yes" when helping, else "no"."""
        return helper_word(self.helper)

    def has(self, slot: str) -> bool:
        """Tell whether a slot already has an answer."""
        return slot in self.documents if slot in PHOTO_KINDS else slot in self.data


def offers_reading(turn: Turn) -> bool:
    """Tell whether a KTP photo sent before the questions can be read and offered."""
    return turn.services.settings.ktp_ocr_offer and turn.services.photos.reads_text


def helper_word(helper: bool) -> str:
    """Return the ``$helper`` selector the catalog words its messages by."""
    return "yes" if helper else "no"


@dataclass(frozen=True, slots=True)
class Filled:
    """A valid answer, with extra notes (catalog keys) to tell the citizen."""

    value: Any
    notes: tuple[str, ...] = ()
    # Other fields the same answer fills (a kelurahan typed at the kecamatan step).
    also: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Invalid:
    """A refused answer: what was wrong (catalog key) and optional way-out buttons."""

    key: str
    args: dict[str, object] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    # A refused photo says what to do in one bubble with the example, not the whole prompt.
    image_url: str | None = None
    ask_again: bool = True


Outcome = Filled | Invalid | None  # None: the slot asked a follow-up itself
Asker = Callable[[Turn, Form], Awaitable[None]]
Acceptor = Callable[[Turn, Form], Awaitable[Outcome]]


@dataclass(frozen=True, slots=True)
class Slot:
    """One question of the form: how to ask it and how to read the answer."""

    name: str
    kind: InboundKind
    ask: Asker
    accept: Acceptor


async def open_form(turn: Turn, reg: Registration) -> Form:
    """Return the form of ``reg``: its fields and the photos it holds."""
    documents = await photo_kinds(turn.uow, reg)
    return Form(reg=reg, data=turn.services.registrations.data(turn.uow, reg), documents=documents)
