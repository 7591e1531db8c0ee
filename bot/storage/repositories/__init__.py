"""Repositories: load and store rows inside a unit of work; they never commit.

One module per aggregate; every query of the service lives in this package.
"""

from bot.storage.repositories.accounts import ApiTokens, Users
from bot.storage.repositories.audit import AuditLog
from bot.storage.repositories.citizens import Citizens
from bot.storage.repositories.conversations import Conversations
from bot.storage.repositories.documents import Documents
from bot.storage.repositories.encrypted import EncryptedRows
from bot.storage.repositories.faq import FaqEntries
from bot.storage.repositories.faq_vectors import FaqVectors
from bot.storage.repositories.helpdesk import HelpdeskRepository
from bot.storage.repositories.jobs import ScheduledJobs
from bot.storage.repositories.login_throttles import LoginThrottles
from bot.storage.repositories.operations import OperationalFigures
from bot.storage.repositories.outbox import Outbox
from bot.storage.repositories.privacy import PersonalData
from bot.storage.repositories.queue import ReviewQueue
from bot.storage.repositories.receipts import Receipts
from bot.storage.repositories.registrations import Registrations
from bot.storage.repositories.sessions import ConsoleSessions
from bot.storage.repositories.webhooks import Webhooks

__all__ = [
    "ApiTokens",
    "AuditLog",
    "Citizens",
    "ConsoleSessions",
    "Conversations",
    "Documents",
    "EncryptedRows",
    "FaqEntries",
    "FaqVectors",
    "HelpdeskRepository",
    "LoginThrottles",
    "OperationalFigures",
    "Outbox",
    "PersonalData",
    "Receipts",
    "Registrations",
    "ReviewQueue",
    "ScheduledJobs",
    "Users",
    "Webhooks",
]
