"""Every row holding ciphertext, read in batches (re-encryption after a key rotation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


class EncryptedRows:
    """Walk a table by id, one batch at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def batch(self, model: type[Any], *, after: int, limit: int) -> list[Any]:
        """Return up to ``limit`` rows of ``model`` with an id above ``after``, by id."""
        stmt = select(model).where(model.id > after).order_by(model.id).limit(limit)
        return list((await self._s.execute(stmt)).scalars())
