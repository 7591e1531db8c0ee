"""The models in ``bot/storage/models/`` and the schema the migrations build agree."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.core import Core
from bot.storage.models import Base


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return [
        diff
        for diff in compare_metadata(context, Base.metadata)
        # Alembic's own bookkeeping table is not a model.
        if not (diff[0] == "remove_table" and diff[1].name == "alembic_version")
    ]


async def test_the_migrated_schema_has_every_table_column_and_index_of_the_models(
    any_core: Core,
) -> None:
    async with any_core.db.engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []
