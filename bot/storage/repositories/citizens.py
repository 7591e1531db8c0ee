"""Citizens and the consents they gave (or withdrew) for their data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Citizen, Consent
from bot.storage.types import utcnow


class Citizens:
    """Citizens and their consents."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, citizen_id: int) -> Citizen | None:
        """Return a citizen by id."""
        return await self._s.get(Citizen, citizen_id)

    async def new(self) -> Citizen:
        """Create a citizen so its id becomes known."""
        citizen = Citizen(created_at=utcnow())
        self._s.add(citizen)
        await self._s.flush()
        return citizen

    def add_consent(self, consent: Consent) -> Consent:
        """Record a consent."""
        self._s.add(consent)
        return consent

    async def consent_given_at(
        self, citizen_id: int, purpose: str | None = None
    ) -> datetime | None:
        """Return when the citizen's latest standing consent (for ``purpose``) was given."""
        stmt = select(Consent.given_at).where(
            Consent.citizen_id == citizen_id, Consent.withdrawn_at.is_(None)
        )
        if purpose is not None:
            stmt = stmt.where(Consent.purpose == purpose)
        return await self._s.scalar(stmt.order_by(Consent.id.desc()).limit(1))

    async def withdraw_consents(self, citizen_id: int, now: datetime) -> None:
        """Withdraw every standing consent of a citizen."""
        await self._s.execute(
            update(Consent)
            .where(Consent.citizen_id == citizen_id, Consent.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
        )
