"""Dialect-specific statement helpers every repository shares: upserts and row locks."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def upsert(session: AsyncSession, table: Any) -> Any:
    """Return a dialect-specific INSERT that supports ON CONFLICT."""
    dialect = session.bind.dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def for_update(
    session: AsyncSession, stmt: Any, *, skip_locked: bool = False, of: Any = None
) -> Any:
    """Lock the selected rows (of the table ``of`` only, if given) for this transaction.

    The one way to lock a row. SQLite has no row locks; its writers are already serialised by
    the unit of work.
    """
    if session.bind.dialect.name != "postgresql":
        return stmt
    return stmt.with_for_update(skip_locked=skip_locked, of=of)
