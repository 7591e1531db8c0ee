"""Drive a conversation through the real engine, as a channel would."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from bot.core import Core
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.engine.ports import HandleResult


@dataclass
class ChatDriver:
    """A simulated citizen on one chat; keeps the replies of the last turn."""

    core: Core
    channel: str = "web"
    chat_id: str = field(default_factory=lambda: secrets.token_hex(6))
    channel_phone: str | None = None
    display_name: str | None = None  # the profile name a channel sends (Telegram, WhatsApp)
    replies: tuple[Reply, ...] = ()
    inputs: int = 0
    typed: list[str] = field(default_factory=list)  # the texts typed, in order

    async def send(self, inbound: Inbound) -> HandleResult:
        """Send any inbound message and remember the replies."""
        result = await self.core.handle(inbound)
        self.replies = result.replies
        self.inputs += 1
        if result.new_chat_id:  # like the web chat page: erasure gave the chat a new id
            self.chat_id = result.new_chat_id
        return result

    def _inbound(self, kind: InboundKind, **values: object) -> Inbound:
        return Inbound(
            self.channel, self.chat_id, secrets.token_hex(8), kind,
            channel_phone=self.channel_phone, display_name=self.display_name,
            **values,  # type: ignore[arg-type]
        )  # fmt: skip

    async def say(self, text: str) -> tuple[Reply, ...]:
        """Type a text."""
        self.typed.append(text)
        await self.send(self._inbound(InboundKind.TEXT, text=text))
        return self.replies

    async def tap(self, button_id: str) -> tuple[Reply, ...]:
        """Tap a button that the last replies offered (fails if it was not offered)."""
        offered = [b.id for r in self.replies for b in r.buttons]
        assert button_id in offered, f"{button_id!r} not offered; offered: {offered}"
        await self.send(self._inbound(InboundKind.BUTTON, button_id=button_id))
        return self.replies

    async def photo(self, data: bytes) -> tuple[Reply, ...]:
        """Send a photo."""
        await self.send(self._inbound(InboundKind.PHOTO, photo=data))
        return self.replies

    @property
    def text(self) -> str:
        """Return all reply texts of the last turn joined."""
        return "\n".join(r.text for r in self.replies)

    @property
    def buttons(self) -> list[str]:
        """Return the button ids of the last turn."""
        return [b.id for r in self.replies for b in r.buttons]
