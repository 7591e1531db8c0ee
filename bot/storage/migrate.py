"""Bring the database schema up to date with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
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
