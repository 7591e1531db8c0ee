"""Bicara dengan petugas: put the citizen in the helpdesk queue."""

from __future__ import annotations

from bot.storage.types import utcnow
from dialogs.base import RESUME, Turn


async def request(turn: Turn, reason: str = "asked") -> None:
    """Queue the conversation for a helpdesk agent and tell the citizen what happens next."""
    conv = turn.conv
    if conv.mode == "bot":
        conv.mode = "queued"
        conv.handoff_reason = reason
        conv.queued_at = utcnow()
    position = await turn.services.handoff.queue_position(turn.uow, conv)
    hours = turn.services.handoff.hours_text(turn.catalog, turn.now)
    buttons = [turn.button(RESUME, "btn-resume")] if conv.flow else []
    turn.say("handoff-queued", position=position, hours=hours, buttons=buttons)
