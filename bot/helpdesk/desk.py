"""The helpdesk as the citizen meets it: the queue, the hours, photos kept, notices, ratings.

Used inside the conversation engine's unit of work (dialogs, the caller commits) and by the
helpdesk use cases for what the citizen is told.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.engine.messages import Button, Reply, Template
from bot.helpdesk import hold
from bot.helpdesk.hours import HelpdeskHours
from bot.helpdesk.media import MediaVault
from bot.i18n import Catalog
from bot.services import webhooks
from bot.services.delivery import Delivery
from bot.services.photos import CheckedPhoto
from bot.storage.models import Conversation, Message
from bot.storage.uow import UnitOfWork

RATING_PREFIX = "rate:"
SCORES = range(1, 6)


class Changes:
    """Wake live views in this worker at once; other workers notice on their next poll."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Tell every waiting view that something changed."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Wait for the next change, at most ``seconds``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)


class HelpdeskService:
    """Queue citizens for a person, keep what they send an agent, tell them what happens."""

    def __init__(
        self, settings: Settings, catalog: Catalog, media: MediaVault, delivery: Delivery
    ) -> None:
        self._settings = settings
        self._catalog = catalog
        self._delivery = delivery
        self.media = media
        self.hours = HelpdeskHours(settings.helpdesk_hours, settings.helpdesk_days)
        self.changes = Changes()

    # --- the citizen's side (inside the conversation engine's transaction) -------------------

    async def enqueue(
        self, uow: UnitOfWork, conv: Conversation, reason: str, now: datetime
    ) -> bool:
        """Put a bot conversation in the queue; False when it already waits or is held.

        A new call for help is also announced to the city's systems (``handoff.requested``),
        in the same transaction.
        """
        if not hold.enqueue(conv, reason, now):
            return False
        await webhooks.handoff_requested(uow, conv, reason, now)
        return True

    def withdraw(self, conv: Conversation) -> bool:
        """Take a waiting conversation out of the queue; False unless it was waiting."""
        return hold.withdraw(conv)

    async def queue_position(self, uow: UnitOfWork, conv: Conversation) -> int:
        """Return the 1-based place of a waiting conversation."""
        if conv.queued_at is None:
            return 1
        return await uow.helpdesk.queue_position(conv.queued_at)

    def hours_text(self, now: datetime) -> str:
        """Say when someone will answer (now, or when the helpdesk opens)."""
        return self.hours.text(self._catalog, now)

    async def clean_photo(self, data: bytes) -> CheckedPhoto:
        """Decode a photo for an agent and re-encode it without metadata (in a thread)."""
        return await self.media.clean(data)

    async def keep_photo(self, uow: UnitOfWork, message: Message, photo: CheckedPhoto) -> bool:
        """Store a citizen's photo for the agent, encrypted, linked to its history message."""
        return await self.media.keep(uow, message, photo)

    async def record_rating(
        self, uow: UnitOfWork, conv: Conversation, pending: dict[str, Any], score: int
    ) -> None:
        """Store the citizen's 1–5 rating of a closed helpdesk chat."""
        agent_id = pending.get("agent_id")
        uow.helpdesk.add_rating(conv.id, agent_id if isinstance(agent_id, int) else None, score)
        uow.audit.record(
            "chat.rated", actor_type="citizen", actor_id=str(conv.citizen_id or ""),
            target_type="conversation", target_id=str(conv.id), details={"score": score},
        )  # fmt: skip

    def rating_buttons(self) -> list[Button]:
        """Return the 1–5 rating choices."""
        return [
            Button(f"{RATING_PREFIX}{n}", self._catalog.text(f"handoff-rate-{n}")) for n in SCORES
        ]

    # --- what the helpdesk itself says (for the agents' use cases) ----------------------------

    def agent_template(self) -> Template:
        """Return the WhatsApp template agent messages fall back to outside the 24-hour window."""
        return Template(self._settings.whatsapp_template_agent_reply)

    async def tell(
        self, uow: UnitOfWork, conv: Conversation, key: str, *, template: bool = False,
        **args: object,
    ) -> None:  # fmt: skip
        """Send the citizen a notice from the helpdesk (not from an agent)."""
        reply = Reply(
            text=self._catalog.text(key, **args),
            template=self.agent_template() if template else None,
        )
        await self._delivery.deliver(uow, conv, reply, author="system")

    def rating_request(self) -> Reply:
        """Return the message asking the citizen to rate a closed chat."""
        return Reply(
            text=self._catalog.text("handoff-done-rate"), buttons=tuple(self.rating_buttons())
        )

    async def system_note(
        self, uow: UnitOfWork, conv: Conversation, key: str, **args: object
    ) -> None:
        """Add a note about the chat itself (transfers, returns to the queue) for agents."""
        await uow.conversations.append(conv, direction="note", author="system", kind="text",
                                       body={"text": self._catalog.text(key, **args)})  # fmt: skip
