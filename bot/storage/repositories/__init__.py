"""Repositories: load and store rows inside a unit of work; they never commit.

One module per aggregate; every query of the service lives in this package.
"""

from bot.storage.repositories.audit import AuditLog
from bot.storage.repositories.conversations import Conversations
from bot.storage.repositories.documents import Documents
from bot.storage.repositories.helpdesk import HelpdeskRepository
from bot.storage.repositories.outbox import Outbox
from bot.storage.repositories.receipts import Receipts
from bot.storage.repositories.registrations import Registrations

__all__ = [
    "AuditLog",
    "Conversations",
    "Documents",
    "HelpdeskRepository",
    "Outbox",
    "Receipts",
    "Registrations",
]
