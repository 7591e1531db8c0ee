"""The contract between the outbox dispatcher and each channel's sender."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.engine.messages import Reply


class SendError(Exception):
    """A send failed; ``retry_after`` (seconds) says when to try again, None = never."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who to deliver to, with what the channel needs to choose a message form."""

    chat_id: str
    # When the citizen last wrote to us; WhatsApp needs it for the 24-hour window.
    last_inbound_at: datetime | None = None


class ChannelSender(Protocol):
    """Deliver neutral replies on one channel."""

    channel: str

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        """Send ``reply``; return the channel's message id, or raise :class:`SendError`."""
        ...
