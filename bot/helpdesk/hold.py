"""The hold: who answers a chat (the bot, nobody yet, an agent) and how that changes.

An explicit state machine over :class:`ChatMode`. Every transition lives here and sets the
hold's columns of a conversation together (mode, handoff_reason, queued_at, holder, holder_name,
agent_id, agent_seen_at), so they cannot disagree; no other code assigns them. Pure: no I/O.

    bot ──enqueue──▶ queued ──claim──▶ agent ──transfer──▶ agent
     ▲                │  ▲                │
     └──withdraw──────┘  └─requeue (idle)─┤
     ▲                                    │
     └──────────── hand back / close ─────┘

Two transitions must be decided by the database itself, because two workers may race for the
same row: ``claim`` and ``requeue``. For them this module gives a :class:`Move` (the mode the row
must still be in, and the columns to set) that the repository runs as one conditional UPDATE.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from bot.domain.chat_mode import ChatMode
from bot.services.accounts import Actor, Role
from bot.usecases.errors import Refused

if TYPE_CHECKING:
    from bot.storage.models import Conversation, User

REASONS = ("asked", "faq", "failures", "voice")
MAX_REASON = 32


class HelpdeskError(Refused):
    """A refused helpdesk action; ``code`` names the reason (API error, catalog key suffix)."""

    statuses: ClassVar[Mapping[str, int]] = {
        "not_found": 404, "forbidden": 403, "taken": 409, "not_queued": 409, "not_held": 409,
        "not_holder": 409, "same_agent": 409, "empty": 422, "photo_refused": 422,
        "canned_not_found": 422, "canned_empty": 422, "no_such_agent": 422,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Holder:
    """Who may hold a chat: a console user or an API token, as stored on the conversation."""

    key: str  # "user:<id>" or "token:<id>"
    name: str
    user_id: int | None
    admin: bool

    @classmethod
    def of(cls, actor: Actor) -> Holder:
        """Return the holder identity of an acting user or token."""
        user_id = int(actor.id) if actor.type == "user" and actor.id else None
        return cls(f"{actor.type}:{actor.id}", actor.name[:64], user_id, actor.role == Role.ADMIN)

    @classmethod
    def of_user(cls, user: User) -> Holder:
        """Return the holder identity of a console account (a transfer's target)."""
        return cls(f"user:{user.id}", user.username, user.id, user.role == Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Move:
    """A transition the database decides: run only while the row is still in ``source``."""

    source: ChatMode
    columns: Mapping[str, Any]


# --- what each side may see and do ----------------------------------------------------------


def visible_to(conv: Conversation, holder: Holder) -> bool:
    """Tell whether an agent may read a chat: queued, theirs, or any for admins."""
    return holder.admin or conv.mode == ChatMode.QUEUED or conv.holder == holder.key


def is_mine(conv: Conversation, holder: Holder) -> bool:
    """Tell whether ``holder`` holds the chat now."""
    return conv.mode == ChatMode.AGENT and conv.holder == holder.key


def require_held(conv: Conversation, holder: Holder, *, admin_may: bool) -> None:
    """Refuse unless ``holder`` holds the chat (or is an admin, when ``admin_may``)."""
    if conv.mode != ChatMode.AGENT:
        raise HelpdeskError("not_held")
    if conv.holder != holder.key and not (admin_may and holder.admin):
        raise HelpdeskError("not_holder")


def require_transferable(conv: Conversation, by: Holder) -> None:
    """Refuse unless ``by`` holds the chat, or is an admin and it is held or waiting."""
    held = conv.mode == ChatMode.AGENT and (conv.holder == by.key or by.admin)
    if not held and not (conv.mode == ChatMode.QUEUED and by.admin):
        raise HelpdeskError("not_holder" if conv.mode == ChatMode.AGENT else "not_held")


# --- the citizen's transitions (no refusal: asking twice changes nothing) -------------------


def enqueue(conv: Conversation, reason: str, now: datetime) -> bool:
    """bot → queued; False when the chat already waits or is held."""
    if conv.mode != ChatMode.BOT:
        return False
    _set(conv, ChatMode.QUEUED, reason=reason[:MAX_REASON], queued_at=now)
    return True


def withdraw(conv: Conversation) -> bool:
    """queued → bot; False unless the chat was waiting."""
    if conv.mode != ChatMode.QUEUED:
        return False
    _set(conv, ChatMode.BOT)
    return True


# --- the agents' transitions -----------------------------------------------------------------


def claiming(holder: Holder, now: datetime) -> Move:
    """queued → agent, as the conditional update that lets exactly one racing agent win."""
    return Move(ChatMode.QUEUED, {
        "mode": ChatMode.AGENT, "holder": holder.key, "holder_name": holder.name,
        "agent_id": holder.user_id, "agent_seen_at": now, "updated_at": now,
    })  # fmt: skip


def claimed(conv: Conversation, holder: Holder, *, won: bool) -> bool:
    """Judge a claim after its update: True when newly taken, False when already one's own."""
    if won:
        return True
    if is_mine(conv, holder):
        return False
    raise HelpdeskError("taken" if conv.mode == ChatMode.AGENT else "not_queued")


def transfer(conv: Conversation, by: Holder, to: Holder, now: datetime) -> None:
    """agent|queued → agent held by ``to`` (the queue's reason and time are kept)."""
    require_transferable(conv, by)
    if conv.holder == to.key:
        raise HelpdeskError("same_agent")
    conv.mode, conv.holder, conv.holder_name = ChatMode.AGENT, to.key, to.name
    conv.agent_id, conv.agent_seen_at = to.user_id, now


def hand_back(conv: Conversation, holder: Holder) -> None:
    """agent → bot: the bot answers again."""
    require_held(conv, holder, admin_may=True)
    _set(conv, ChatMode.BOT)


def close(conv: Conversation, holder: Holder) -> int | None:
    """agent → bot after the chat is done; return the agent the citizen may rate."""
    require_held(conv, holder, admin_may=True)
    agent_id = conv.agent_id
    _set(conv, ChatMode.BOT)
    return agent_id


def seen(conv: Conversation, holder: Holder, now: datetime) -> None:
    """Note that the holder is active on the chat (the idle clock starts again)."""
    if conv.holder == holder.key:
        conv.agent_seen_at = now


def presence(now: datetime) -> Move:
    """Note that an agent is present on every chat they hold (a live page is open)."""
    return Move(ChatMode.AGENT, {"agent_seen_at": now})


# --- the helpdesk's own transition -----------------------------------------------------------


def requeuing(now: datetime) -> Move:
    """agent → queued for an abandoned hold, as a conditional update (workers sweep at once)."""
    return Move(ChatMode.AGENT, {
        "mode": ChatMode.QUEUED, "holder": None, "holder_name": None, "agent_id": None,
        "updated_at": now,
    })  # fmt: skip


def requeued(conv: Conversation, now: datetime) -> None:
    """Finish a requeue: the citizen keeps their place in the queue."""
    conv.queued_at = conv.queued_at or now


def _set(
    conv: Conversation,
    mode: ChatMode,
    *,
    reason: str | None = None,
    queued_at: datetime | None = None,
) -> None:
    """Enter the bot or the queue: nobody holds the chat there."""
    conv.mode, conv.handoff_reason, conv.queued_at = mode, reason, queued_at
    conv.holder = conv.holder_name = None
    conv.agent_id = None
