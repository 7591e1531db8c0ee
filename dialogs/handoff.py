"""Bicara dengan petugas: the helpdesk queue, what reaches an agent, and the rating afterwards."""

from __future__ import annotations

from bot.engine.messages import InboundKind
from bot.helpdesk.desk import RATING_PREFIX
from dialogs.base import RESUME, Turn

LEAVE = "handoff:leave"
# Failing one registration step this often calls a person (the form uses the same limit).
FAILURE_LIMIT = 3


async def request(turn: Turn, reason: str | None = None) -> None:
    """Queue the conversation for a helpdesk agent and tell the citizen what happens next."""
    await escalate(turn, reason or _reason(turn), key="handoff-queued")


async def escalate(turn: Turn, reason: str, *, key: str, offer_resume: bool = True) -> None:
    """Queue the conversation (if not already waiting) and say ``key`` with place and hours."""
    helpdesk = turn.services.helpdesk
    await helpdesk.enqueue(turn.uow, turn.conv, reason, turn.now)
    position = await helpdesk.queue_position(turn.uow, turn.conv)
    buttons = [turn.button(RESUME, "btn-resume")] if turn.conv.flow and offer_resume else []
    buttons.append(turn.button(LEAVE, "btn-leave-queue"))
    turn.say(key, position=position, hours=helpdesk.hours_text(turn.now), buttons=buttons)


def _reason(turn: Turn) -> str:
    """Tell why the citizen asks: after an FAQ miss, after repeated failures, or just asked."""
    if turn.conv.flow == "faq":
        return "faq"
    failures: dict[str, int] = turn.state.get("failures", {})
    if turn.conv.step and failures.get(turn.conv.step, 0) >= FAILURE_LIMIT:
        return "failures"
    return "asked"


def asks_for_person(turn: Turn) -> bool:
    """Tell whether free text asks for a person ("tolong sambungkan ke petugas")."""
    words = f" {_normal(turn.text)} "

    def mentions(key: str) -> bool:
        return any(f" {_normal(w)} " in words for w in turn.t(key).split(","))

    return mentions("keywords-person") and mentions("keywords-person-ask")


async def voice(turn: Turn) -> None:
    """Answer a voice note: the bot cannot listen, so a person is called."""
    await escalate(turn, "voice", key="handoff-voice")


async def relay(turn: Turn) -> None:
    """Keep what the citizen sends while an agent holds the chat; the bot stays silent."""
    if turn.inbound.kind is InboundKind.PHOTO:
        await keep_photo(turn)


async def keep_photo(turn: Turn) -> str:
    """Store the photo of this message for the agent; return what to tell the citizen.

    That is ``handoff-photo-kept`` only when the photo was stored, else why it was not.
    """
    if turn.inbound.photo_too_large:
        return "photo-too-big"
    if turn.message is None or not turn.inbound.photo:
        return "photo-check-failed"
    photo = turn.prechecked
    if photo is None or photo.kind != "chat":
        photo = await turn.services.helpdesk.clean_photo(turn.inbound.photo)
    if await turn.services.helpdesk.keep_photo(turn.uow, turn.message, photo):
        return "handoff-photo-kept"
    return photo.problems[0].key if photo.problems else "photo-check-failed"


async def leave(turn: Turn) -> None:
    """Take the citizen out of the queue at their request."""
    if turn.services.helpdesk.withdraw(turn.conv):
        turn.say("handoff-left")


def solved(turn: Turn) -> None:
    """Withdraw a call for help made after repeated failures once the step succeeds."""
    if turn.conv.handoff_reason == "failures" and turn.services.helpdesk.withdraw(turn.conv):
        turn.say("handoff-withdrawn")


async def rate(turn: Turn) -> None:
    """Record the citizen's 1–5 rating of a closed helpdesk chat, once."""
    choice = turn.choice() or ""
    pending = turn.state.pop("rating", None)
    score = choice.removeprefix(RATING_PREFIX)
    if not isinstance(pending, dict) or not score.isdigit() or not 1 <= int(score) <= 5:
        return
    await turn.services.helpdesk.record_rating(turn.uow, turn.conv, pending, int(score))
    turn.say("handoff-rated")


def _normal(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())
