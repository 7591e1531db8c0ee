"""Turn helpdesk read models into what the console's chat pages and live streams show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.console.render import short_datetime
from bot.domain.chat_mode import ChatMode
from bot.helpdesk.hold import Holder, is_mine
from bot.helpdesk.reading import CitizenState, DeliveryState, HistoryEntry, Preview, QueueEntry
from bot.i18n import Catalog
from bot.services.registration import Status
from bot.storage.models import Conversation
from bot.storage.types import utcnow


def channel_label(catalog: Catalog, channel: str) -> str:
    """Name a channel."""
    key = f"console-channel-{channel}"
    return catalog.text(key) if catalog.has(key) else channel


def reason_label(catalog: Catalog, reason: str | None) -> str:
    """Say why a chat was escalated."""
    key = f"console-chats-reason-{reason}"
    return catalog.text(key) if reason and catalog.has(key) else "–"


def queue_item(catalog: Catalog, entry: QueueEntry) -> dict[str, Any]:
    """Describe one queue row for the page and its live updates."""
    if entry.mode == ChatMode.QUEUED:
        status = catalog.text("console-chats-status-queued")
    elif entry.mine:
        status = catalog.text("console-chats-status-mine")
    else:
        status = catalog.text("console-chats-status-held", agent=entry.holder_name or "-")
    return {
        "id": entry.id, "url": f"/console/chats/{entry.id}", "mode": entry.mode,
        "mine": entry.mine, "channel": channel_label(catalog, entry.channel),
        "reason": reason_label(catalog, entry.reason), "status": status,
        "queued_at": entry.queued_at.isoformat() if entry.queued_at else None,
        "last_inbound": short_datetime(entry.last_inbound_at),
        "name": entry.preview.name if entry.preview else None,
        "preview": preview_label(catalog, entry.preview) if entry.preview else "",
    }  # fmt: skip


def preview_label(catalog: Catalog, preview: Preview) -> str:
    """Return the latest message's start, or what it was when it had no text (a photo)."""
    if preview.text:
        return preview.text
    key = f"console-chats-preview-{preview.kind}"
    return catalog.text(key) if catalog.has(key) else ""


def chat_state(catalog: Catalog, conv: Conversation, holder: Holder) -> dict[str, Any]:
    """Describe who has the chat now, for the page's controls and status line."""
    mine = is_mine(conv, holder)
    if conv.mode == ChatMode.QUEUED:
        label = catalog.text(
            "console-chats-state-queued", reason=reason_label(catalog, conv.handoff_reason)
        )
    elif mine:
        label = catalog.text("console-chats-state-mine")
    elif conv.mode == ChatMode.AGENT:
        label = catalog.text("console-chats-state-held", agent=conv.holder_name or "-")
    else:
        label = catalog.text("console-chats-state-bot")
    return {
        "mode": conv.mode, "mine": mine, "admin": holder.admin, "label": label,
        "queued_at": conv.queued_at.isoformat() if conv.queued_at else None,
    }  # fmt: skip


def author_label(catalog: Catalog, entry: HistoryEntry) -> str:
    """Name who wrote a message."""
    if entry.direction == "note":
        if entry.author == "system":
            return catalog.text("console-chats-author-system-note")
        return catalog.text("console-chats-author-note", agent=entry.author_name or "-")
    if entry.author == "agent":
        return catalog.text("console-chats-author-agent", agent=entry.author_name or "-")
    key = f"console-chats-author-{entry.author}"
    return catalog.text(key) if catalog.has(key) else entry.author


def delivery_item(catalog: Catalog, state: DeliveryState | None) -> dict[str, Any] | None:
    """Describe how far a sent message got."""
    if state is None:
        return None
    label = catalog.text(f"console-chats-delivery-{state.state}")
    if state.state == "failed" and state.error:
        label = catalog.text("console-chats-delivery-failed-because", error=state.error)
    return {"state": state.state, "label": label}


def message_item(catalog: Catalog, conv_id: int, entry: HistoryEntry) -> dict[str, Any]:
    """Describe one history message for the page and its live updates."""
    text = entry.text
    if not text and entry.kind in ("photo", "voice", "sticker", "location", "unsupported"):
        text = catalog.text(f"console-chats-kind-{entry.kind}")
    return {
        "seq": entry.seq, "direction": entry.direction, "author": entry.author,
        "who": author_label(catalog, entry), "text": text, "buttons": list(entry.buttons),
        "media": f"/console/chats/{conv_id}/media/{entry.seq}" if entry.has_media else None,
        "at": short_datetime(entry.created_at),
        "delivery": delivery_item(catalog, entry.delivery),
    }  # fmt: skip


def deadline(
    citizen: CitizenState, due: Callable[[datetime], datetime], now: datetime | None = None
) -> dict[str, Any] | None:
    """Return when a request waiting for its verifier must be decided, and whether it is late."""
    if citizen.status != Status.SUBMITTED or citizen.submitted_at is None:
        return None
    at = due(citizen.submitted_at)
    return {"at": short_datetime(at), "overdue": at < (now or utcnow())}
