"""Stored sentence-encoder vectors of FAQ texts, by key (model and text hashed together)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import FaqTextVector

# Keys looked up per query; SQLite allows 32,766 bound parameters, PostgreSQL 65,535.
_CHUNK = 5000


class FaqVectors:
    """Vectors of FAQ texts: read when an index is built, added for texts new to it."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def known(self, keys: Collection[str]) -> dict[str, bytes]:
        """Return the stored vectors among ``keys``."""
        wanted = list(keys)
        out: dict[str, bytes] = {}
        for i in range(0, len(wanted), _CHUNK):
            stmt = select(FaqTextVector.key, FaqTextVector.vector).where(
                FaqTextVector.key.in_(wanted[i : i + _CHUNK])
            )
            out.update((key, vector) for key, vector in (await self._s.execute(stmt)).all())
        return out

    async def add(self, model: str, vectors: Mapping[str, bytes]) -> int:
        """Store the vectors not stored yet; return how many were added."""
        present = await self.known(vectors.keys())
        fresh = [
            FaqTextVector(key=key, model=model, vector=vector)
            for key, vector in vectors.items()
            if key not in present
        ]
        self._s.add_all(fresh)
        return len(fresh)
