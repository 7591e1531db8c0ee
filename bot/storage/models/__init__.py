"""The database schema (Alembic migrations under ``bot/storage/migrations`` own it).

One module per part of the service; every table is importable from here.
"""

from __future__ import annotations

from bot.storage.models.base import NAMING, Base, BigId
from bot.storage.models.chats import Citizen, Conversation, InboundReceipt, Message, OutboxItem
from bot.storage.models.faq import FaqEntryRow, FaqTextVector, FaqUnanswered, FaqVersion
from bot.storage.models.operations import AppState, ScheduledJob, WebhookDelivery, WebhookEndpoint
from bot.storage.models.registrations import (
    Consent,
    Document,
    PhotoHash,
    Registration,
    ReviewNote,
    ReviewPark,
    VaultBlob,
)
from bot.storage.models.staff import (
    ApiToken,
    AuditEntry,
    CannedAnswer,
    ConsoleSession,
    LoginThrottle,
    Rating,
    User,
)

__all__ = [
    "NAMING",
    "ApiToken",
    "AppState",
    "AuditEntry",
    "Base",
    "BigId",
    "CannedAnswer",
    "Citizen",
    "Consent",
    "ConsoleSession",
    "Conversation",
    "Document",
    "FaqEntryRow",
    "FaqTextVector",
    "FaqUnanswered",
    "FaqVersion",
    "InboundReceipt",
    "LoginThrottle",
    "Message",
    "OutboxItem",
    "PhotoHash",
    "Rating",
    "Registration",
    "ReviewNote",
    "ReviewPark",
    "ScheduledJob",
    "User",
    "VaultBlob",
    "WebhookDelivery",
    "WebhookEndpoint",
]
