"""Who answers a conversation: the bot, nobody yet (waiting for a person), or a person."""

from __future__ import annotations

from enum import StrEnum


class ChatMode(StrEnum):
    """The helpdesk state of a conversation (stored as its value)."""

    BOT = "bot"
    QUEUED = "queued"
    AGENT = "agent"
