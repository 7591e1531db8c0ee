"""Ciphertexts bound to their row, and every row holding them read in batches (for rekey)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import row_context
from bot.storage.repositories.sql import for_update


def bound(row: Any, column: str) -> bytes:
    """Return the associated data of ``row.column``: its table, row id and column name.

    A ciphertext copied to another row or column then fails to decrypt. The row must have its
    id already, so a new row is flushed before its ciphertexts are made.
    """
    if row.id is None:
        raise ValueError(f"{row.__tablename__} row has no id yet: flush before encrypting")
    return row_context(row.__tablename__, row.id, column)


class EncryptedRows:
    """Walk a table by id, one batch at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def batch(self, model: type[Any], *, after: int, limit: int) -> list[Any]:
        """Return up to ``limit`` rows of ``model`` with an id above ``after``, by id, locked.

        Locked, so a message handled meanwhile does not have its new dialog state overwritten
        by the re-encrypted old one.
        """
        stmt = select(model).where(model.id > after).order_by(model.id).limit(limit)
        return list((await self._s.execute(for_update(self._s, stmt))).scalars())
