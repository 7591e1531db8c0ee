"""Migration 0011 creates exactly the webhook tables the models describe (SQLite, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage.migrate import upgrade
from bot.storage.models import Base

TABLES = ("webhook_endpoints", "webhook_deliveries")


def _tables_of(diff: Any) -> set[str]:
    """Return the table names a diff entry (or a list of them) touches."""
    if isinstance(diff, list):
        return set().union(*(_tables_of(d) for d in diff))
    found: set[str] = set()
    for part in diff:
        table = getattr(part, "table", None)
        name = getattr(table, "name", None) or getattr(part, "name", None)
        if isinstance(part, str) and part in TABLES:
            found.add(part)
        elif isinstance(name, str):
            found.add(name)
    return found


async def test_the_webhook_tables_match_the_models(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        await upgrade(engine)

        def compare(connection: Connection) -> list[Any]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))

        async with engine.connect() as conn:
            diff = await conn.run_sync(compare)
    finally:
        await engine.dispose()
    ours = [d for d in diff if _tables_of(d) & set(TABLES)]
    assert ours == []
