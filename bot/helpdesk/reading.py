"""What agents read about helpdesk chats: the queue, a chat's history, the citizen's state.

Read models shared by the console (pages and live streams) and the API. Personal data is kept
to what an agent needs: NIKs, mobile numbers and dates (birth dates) in the history are masked,
and the registration shows the masked NIK only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.chat_mode import ChatMode
from bot.domain.masking import mask_personal
from bot.domain.nik import mask_nik
from bot.helpdesk.hold import Holder, is_mine
from bot.storage.models import Conversation, Message, OutboxItem
from bot.storage.uow import UnitOfWork

HISTORY_LIMIT = 500
QUEUE_LIMIT = 200
PREVIEW_CHARS = 80


@dataclass(frozen=True, slots=True)
class Preview:
    """The citizen's latest message as the queue shows it: who, what kind, the start, masked."""

    name: str | None
    kind: str
    text: str

    @classmethod
    def of(cls, message: Message, body: dict[str, Any]) -> Preview:
        """Describe the latest inbound message, its NIKs, numbers and dates masked."""
        text = " ".join(mask_text(str(body.get("text") or "")).split())
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1].rstrip() + "…"
        return cls(name=body.get("from_name") or None, kind=message.kind, text=text)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One chat in the helpdesk queue or held by an agent."""

    id: int
    channel: str
    mode: ChatMode
    reason: str | None
    queued_at: datetime | None
    holder_name: str | None
    mine: bool
    last_inbound_at: datetime | None
    last_seq: int
    preview: Preview | None = None

    @classmethod
    def of(cls, conv: Conversation, holder: Holder, preview: Preview | None = None) -> QueueEntry:
        """Describe a conversation as ``holder`` sees it in the queue."""
        return cls(
            id=conv.id, channel=conv.channel, mode=conv.mode, reason=conv.handoff_reason,
            queued_at=conv.queued_at, holder_name=conv.holder_name, mine=is_mine(conv, holder),
            last_inbound_at=conv.last_inbound_at, last_seq=conv.last_seq or 0, preview=preview,
        )  # fmt: skip

    def wait(self, now: datetime) -> timedelta | None:
        """Return how long the citizen has been waiting for a person."""
        return now - self.queued_at if self.queued_at else None


@dataclass(frozen=True, slots=True)
class DeliveryState:
    """How far a message sent on a push channel got: pending, sent, delivered, read, failed."""

    state: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One message of a chat as an agent sees it (NIKs, phone numbers and dates masked)."""

    seq: int
    direction: str  # in | out | note
    author: str  # citizen | bot | agent | system
    author_name: str | None
    kind: str
    text: str
    buttons: tuple[str, ...]
    has_media: bool
    created_at: datetime
    delivery: DeliveryState | None


@dataclass(frozen=True, slots=True)
class CitizenState:
    """Where the citizen stands: the conversation's step and their latest registration."""

    flow: str | None
    step: str | None
    reference: str | None
    status: str | None
    full_name: str | None
    nik_masked: str | None
    kecamatan: str | None
    kelurahan: str | None
    documents: tuple[str, ...]
    submitted_at: datetime | None = None
    reject_reason: str | None = None


def mask_text(text: str) -> str:
    """Mask every NIK, mobile number and date in a text."""
    return mask_personal(text)


async def queue(uow: UnitOfWork, holder: Holder) -> list[QueueEntry]:
    """Return the caller's own chats, then waiting ones (oldest first), then others' (admins)."""
    rows = await uow.helpdesk.queue(None if holder.admin else holder.key, QUEUE_LIMIT)
    latest = await uow.conversations.last_inbound([conv.id for conv in rows])
    entries = [
        QueueEntry.of(conv, holder, Preview.of(*latest[conv.id]) if conv.id in latest else None)
        for conv in rows
    ]
    rank = {True: 0, False: 2}
    return sorted(
        entries, key=lambda e: rank[e.mine] if e.mode == ChatMode.AGENT else 1
    )  # sorted() is stable: each group stays oldest first


async def history(uow: UnitOfWork, conv: Conversation, *, after: int = 0) -> list[HistoryEntry]:
    """Return the chat's messages after ``after``, notes included, with delivery states."""
    start = max(after, (conv.last_seq or 0) - HISTORY_LIMIT)
    rows = await uow.conversations.history(conv.id, after=start, directions=("in", "out", "note"))
    names = await uow.helpdesk.usernames(
        {m.author_user_id for m, _ in rows if m.author_user_id is not None}
    )
    deliveries = await delivery_states(uow, conv.id, [m.seq for m, _ in rows])
    return [
        _history_entry(m, names.get(m.author_user_id or 0), body, deliveries.get(m.seq))
        for m, body in rows
    ]


def _history_entry(
    message: Message, name: str | None, body: dict[str, Any], delivery: DeliveryState | None
) -> HistoryEntry:
    buttons = tuple(mask_text(str(b.get("label", ""))) for b in body.get("buttons", ()))
    return HistoryEntry(
        seq=message.seq, direction=message.direction, author=message.author, author_name=name,
        kind=message.kind, text=mask_text(str(body.get("text") or "")), buttons=buttons,
        has_media=message.blob_id is not None, created_at=message.created_at,
        delivery=delivery,
    )  # fmt: skip


async def delivery_states(
    uow: UnitOfWork, conversation_id: int, seqs: list[int] | None = None
) -> dict[int, DeliveryState]:
    """Return how far each queued message got; the latest attempt (e.g. a template) counts."""
    if seqs is not None and not seqs:
        return {}
    states: dict[int, DeliveryState] = {}
    for item in await uow.helpdesk.outbox_items(conversation_id, seqs):
        assert item.message_seq is not None
        earlier = states.get(item.message_seq)
        state = _state(item)
        error = item.last_error if state.state == "failed" else None
        states[item.message_seq] = DeliveryState(
            state.state, error or (earlier.error if earlier else None)
        )
    return states


def _state(item: OutboxItem) -> DeliveryState:
    if item.status == "failed" or item.delivery_status == "failed":
        return DeliveryState("failed", item.last_error)
    if item.status == "pending":
        return DeliveryState("pending")
    if item.delivery_status in ("delivered", "read"):
        return DeliveryState(item.delivery_status)
    return DeliveryState("sent")


async def citizen_state(uow: UnitOfWork, conv: Conversation) -> CitizenState:
    """Return the conversation's step and the citizen's latest registration (NIK masked)."""
    reg = await uow.registrations.latest_for_citizen(conv.citizen_id) if conv.citizen_id else None
    data: dict[str, Any] = uow.registrations.read_data(reg) if reg else {}
    documents = tuple(await uow.helpdesk.document_kinds(reg.id)) if reg is not None else ()
    nik = data.get("nik")
    return CitizenState(
        flow=conv.flow, step=conv.step, reference=reg.reference if reg else None,
        status=reg.status if reg else None, full_name=data.get("full_name"),
        nik_masked=mask_nik(nik) if nik else None, kecamatan=data.get("kecamatan"),
        kelurahan=data.get("kelurahan"), documents=documents,
        submitted_at=reg.submitted_at if reg else None,
        reject_reason=reg.reject_reason if reg else None,
    )  # fmt: skip
