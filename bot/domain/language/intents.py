"""What free text asks for, whoever understood it (the built-in words or a Rasa model)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Understood:
    """A global command or an FAQ entry that free text asks for, with the things it names.

    Exactly one of ``command`` (a :class:`dialogs.flow.Command` value: "register", "status", …)
    and ``faq_id`` is set. ``entities`` maps an entity name ("reference") to the value typed.
    """

    command: str | None = None
    faq_id: str | None = None
    entities: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.command is None) == (self.faq_id is None):
            raise ValueError("an understood text names one command or one FAQ entry")
