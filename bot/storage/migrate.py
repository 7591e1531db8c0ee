"""Bring the database schema up to date with Alembic."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.crypto import Keyring

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Where a revision that converts stored data finds the service's keys (``config.attributes``).
KEYRING = "keyring"


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(
    engine: AsyncEngine, keys: Keyring | None = None, *, revision: str = "heads"
) -> None:
    """Apply every pending migration on ``engine`` (up to ``revision``).

    ``keys`` are needed by revisions that re-encrypt or hash stored data; an empty database
    needs none.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    config.attributes[KEYRING] = keys

    def _upgrade(connection: object) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """Return the newest revision(s) of the packaged migrations (read once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


async def current_revisions(engine: AsyncEngine) -> frozenset[str]:
    """Return the revision(s) the database's schema is at (empty when never migrated)."""

    def _current(connection: Connection) -> frozenset[str]:
        return frozenset(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
