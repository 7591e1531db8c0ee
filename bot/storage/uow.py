"""The unit of work: one transaction, committed only when asked, rolled back otherwise."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.domain.events import Event, EventBus
from bot.storage.db import Database
from bot.storage.repositories import (
    ApiTokens,
    AuditLog,
    Citizens,
    ConsoleSessions,
    Conversations,
    Documents,
    EncryptedRows,
    FaqEntries,
    FaqVectors,
    HelpdeskRepository,
    LoginThrottles,
    OperationalFigures,
    Outbox,
    PersonalData,
    Receipts,
    Registrations,
    ReviewQueue,
    ScheduledJobs,
    Users,
    Webhooks,
)
from bot.storage.repositories.desk import DeskRepository


class UnitOfWork:
    """Open a transaction and give repositories that share it; repositories never commit."""

    session: AsyncSession

    def __init__(self, db: Database, keys: Keyring, bus: EventBus) -> None:
        self._db = db
        self._keys = keys
        self._bus = bus
        self._committed = False
        self._events: list[Event] = []

    async def __aenter__(self) -> Self:
        if self._db.write_lock is not None:
            await self._db.write_lock.acquire()
        self.session = self._db.sessions()
        await self.session.begin()
        self.conversations = Conversations(self.session, self._keys)
        self.receipts = Receipts(self.session, self._keys)
        self.registrations = Registrations(self.session, self._keys)
        self.documents = Documents(self.session, self._keys)
        self.outbox = Outbox(self.session, self._keys)
        self.audit = AuditLog(self.session)
        self.users = Users(self.session)
        self.tokens = ApiTokens(self.session)
        self.console_sessions = ConsoleSessions(self.session)
        self.login_throttles = LoginThrottles(self.session)
        self.citizens = Citizens(self.session)
        self.review_queue = ReviewQueue(self.session)
        self.desk = DeskRepository(self.session, self._keys)
        self.personal_data = PersonalData(self.session)
        self.encrypted_rows = EncryptedRows(self.session)
        self.faq = FaqEntries(self.session)
        self.faq_vectors = FaqVectors(self.session)
        self.helpdesk = HelpdeskRepository(self.session)
        self.operations = OperationalFigures(self.session)
        self.jobs = ScheduledJobs(self.session)
        self.webhooks = Webhooks(self.session, self._keys)
        return self

    def publish(self, event: Event) -> None:
        """Announce ``event`` to the subscribers once this unit has committed."""
        self._events.append(event)

    async def commit(self) -> None:
        """Make everything done in this unit permanent; subscribers hear of it on exit."""
        await self.session.commit()
        self._committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None and not self._committed:
                await self.session.rollback()
            # Closing discards an uncommitted transaction too, but leaves what was loaded
            # readable (a rollback would expire it), so read-only units can return rows.
            await self.session.close()
        finally:
            if self._db.write_lock is not None:
                self._db.write_lock.release()
        # After the lock is released, so a subscriber may open a unit of its own.
        events, self._events = self._events, []
        if self._committed and events:
            await self._bus.dispatch(events)


class UnitOfWorkFactory:
    """Make units of work bound to one database and keyring."""

    def __init__(self, db: Database, keys: Keyring, bus: EventBus | None = None) -> None:
        self.db = db
        self.keys = keys
        self.bus = bus or EventBus()

    def __call__(self) -> UnitOfWork:
        """Return a new, not yet opened, unit of work."""
        return UnitOfWork(self.db, self.keys, self.bus)
