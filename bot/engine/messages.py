"""Channel-neutral messages: what a dialog receives and what it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class InboundKind(StrEnum):
    """What a citizen sent, independent of the channel."""

    TEXT = "text"
    BUTTON = "button"
    PHOTO = "photo"
    CONTACT = "contact"
    LOCATION = "location"
    VOICE = "voice"
    STICKER = "sticker"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a citizen, already translated out of its channel's format.

    ``message_id`` is unique per channel (Telegram ``update_id``, WhatsApp ``wamid``,
    a web-chat client id); the engine drops a second delivery of the same id.
    """

    channel: str
    chat_id: str
    message_id: str
    kind: InboundKind
    text: str = ""
    button_id: str | None = None
    photo: bytes | None = None
    photo_too_large: bool = False
    contact_phone: str | None = None
    # The phone number the channel itself vouches for (WhatsApp sender), if any.
    channel_phone: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A choice the citizen can tap; ``id`` comes back as ``Inbound.button_id``."""

    id: str
    label: str


# Reply.extra flags for voice notes (see bot.speech): VOICE marks a text reply whose voice note
# follows it (the citizen asked for voice on every message); VOICE_NOTE marks a reply that is
# sent as the voice note of its text only (push channels send audio, no text).
VOICE = "voice"
VOICE_NOTE = "voice_note"


@dataclass(frozen=True, slots=True)
class Template:
    """A pre-approved WhatsApp template used outside the 24-hour window."""

    name: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to show a citizen: text, optional choices, optional picture."""

    text: str
    buttons: tuple[Button, ...] = ()
    image_url: str | None = None
    ask_contact: bool = False
    template: Template | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Serialise for storage in the outbox or message history."""
        data: dict[str, Any] = {"text": self.text}
        if self.buttons:
            data["buttons"] = [{"id": b.id, "label": b.label} for b in self.buttons]
        if self.image_url:
            data["image_url"] = self.image_url
        if self.ask_contact:
            data["ask_contact"] = True
        if self.template:
            data["template"] = {"name": self.template.name, "params": list(self.template.params)}
        if self.extra:
            data["extra"] = self.extra
        return data

    @property
    def is_voice_note(self) -> bool:
        """Tell whether this reply is sent as the voice note of its text."""
        return bool(self.extra.get(VOICE_NOTE))

    def voice_note(self) -> Reply:
        """Return the voice note that follows this reply: its text, spoken, without choices."""
        return Reply(text=self.text, extra={VOICE_NOTE: True})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """Rebuild a reply stored with :meth:`to_dict`."""
        template = data.get("template")
        return cls(
            text=data["text"],
            buttons=tuple(Button(b["id"], b["label"]) for b in data.get("buttons", ())),
            image_url=data.get("image_url"),
            ask_contact=bool(data.get("ask_contact", False)),
            template=Template(template["name"], tuple(template["params"])) if template else None,
            extra=dict(data.get("extra", {})),
        )
