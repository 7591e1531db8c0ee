"""Ciphertexts bound to their row, and every row holding them read in batches (for rekey)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.crypto import row_context
from bot.storage.repositories.sql import for_update


def bound(row: Any, column: str) -> bytes:
    """Return the associated data of ``row.column``: its table, row id and column name.

    A ciphertext copied to another row or column then fails to decrypt. The row must have its
    id already, so a new row is flushed before its ciphertexts are made (see
    :func:`seal_after_flush`).
    """
    if row.id is None:
        raise ValueError(f"{row.__tablename__} row has no id yet: flush before encrypting")
    return row_context(row.__tablename__, row.id, column)


_PENDING = "tlive_pending_ciphertexts"


def seal_after_flush(
    session: AsyncSession, row: Any, column: str, seal: Callable[[], bytes]
) -> None:
    """Set ``row.column`` to ``seal()`` as soon as a flush has given the new row its id.

    Saves a flush per new row: the rows of a turn are inserted together (one INSERT per table)
    when the session next flushes — at the latest when it commits — and their ciphertexts then
    follow as one batched UPDATE in the same commit. A row rolled back is simply dropped.
    """
    sync = session.sync_session
    pending = sync.info.get(_PENDING)
    if pending is None:
        pending = sync.info[_PENDING] = []
        event.listen(sync, "after_flush_postexec", _seal_flushed)
    pending.append((row, column, seal))


def _seal_flushed(session: Session, _context: object) -> None:
    """Make the ciphertexts of the rows that have their ids now; a commit flushes them too."""
    waiting = []
    for row, column, seal in session.info.get(_PENDING, ()):
        if row.id is None:
            waiting.append((row, column, seal))
        else:
            setattr(row, column, seal())
    session.info[_PENDING] = waiting


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
