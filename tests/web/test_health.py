"""/readyz: ready only with the database up, its schema current, and Redis up when configured."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer
from alembic.script import ScriptDirectory

from bot.app import build_app
from bot.config import Settings
from bot.core import Core, build_core
from bot.storage.migrate import alembic_config, head_revisions, upgrade
from tests.conftest import migrated_core
from tests.support.redis import redis_prefix, redis_url

MakeSettings = Callable[..., Settings]


async def _ready(core: Core) -> tuple[int, dict[str, object]]:
    async with TestClient(TestServer(build_app(core.settings, core=core))) as client:
        resp = await client.get("/readyz")
        return resp.status, await resp.json()


def _previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    (head,) = head_revisions()
    down = script.get_revision(head).down_revision
    assert isinstance(down, str)
    return down


@pytest.fixture
async def bare_core(settings_factory: MakeSettings, database_url: str) -> AsyncIterator[Core]:
    """Yield a core on an empty database (SQLite, then PostgreSQL) that nobody migrated."""
    core = build_core(settings_factory(database_url=database_url), ocr=False)
    yield core
    await core.db.dispose()


async def test_a_migrated_database_is_ready(any_core: Core) -> None:
    status, body = await _ready(any_core)
    assert status == 200
    assert body == {"status": "ready", "database": "ok", "schema": "ok", "problems": []}


async def test_an_outdated_schema_is_not_ready(bare_core: Core) -> None:
    previous = _previous_revision()
    await upgrade(bare_core.db.engine, bare_core.keys, revision=previous)
    status, body = await _ready(bare_core)
    assert status == 503
    assert body["status"] == "not ready" and body["problems"] == ["schema"]
    assert body["database"] == "ok"
    assert f"at {previous}" in str(body["schema"]) and "tlive-bot migrate" in str(body["schema"])
    await upgrade(bare_core.db.engine, bare_core.keys)
    assert (await _ready(bare_core))[0] == 200  # migrating makes it ready, no restart


async def test_a_database_never_migrated_is_not_ready(bare_core: Core) -> None:
    status, body = await _ready(bare_core)
    assert status == 503 and body["problems"] == ["schema"]
    assert str(body["schema"]).startswith("not migrated")


async def test_an_unreachable_database_is_not_ready(settings_factory: MakeSettings) -> None:
    # Nothing listens on port 1: connections are refused at once.
    settings = settings_factory(database_url="postgresql+asyncpg://tlive@127.0.0.1:1/tlive")
    core = build_core(settings, ocr=False)
    try:
        status, body = await _ready(core)
    finally:
        await core.db.dispose()
    assert status == 503
    assert body == {
        "status": "not ready", "database": "unreachable", "schema": "unknown",
        "problems": ["database"],
    }  # fmt: skip


async def test_redis_is_checked_when_configured(
    settings_factory: MakeSettings, sqlite_url: str
) -> None:
    async with redis_prefix():  # skipped, or failed in CI, when Redis is not there
        settings = settings_factory(database_url=sqlite_url, redis_url=redis_url())
        core = await migrated_core(settings)
        try:
            status, body = await _ready(core)
        finally:
            await core.db.dispose()
    assert status == 200 and body["redis"] == "ok"


async def test_an_unreachable_redis_is_not_ready(
    settings_factory: MakeSettings, sqlite_url: str
) -> None:
    settings = settings_factory(database_url=sqlite_url, redis_url="redis://127.0.0.1:1/0")
    core = await migrated_core(settings)
    try:
        status, body = await _ready(core)
    finally:
        await core.db.dispose()
    assert status == 503
    assert body["redis"] == "unreachable" and body["problems"] == ["redis"]
    assert body["database"] == "ok"
