"""Shared fixtures: settings, databases (SQLite and PostgreSQL) and a migrated core."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.core import Core, build_core
from bot.storage.migrate import upgrade
from tests.support.postgres import temporary_database

SECRET = "test-secret-" + "x" * 40


@pytest.fixture
def settings_factory(tmp_path: Path) -> Iterator[object]:
    """Return a function that makes settings for an isolated data directory."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {"data_dir": tmp_path / "data", "secret_key": SECRET}
        # The face comparison (~1 CPU-s a registration, after the test's own work) only where
        # it is tested: tests/photos/test_faces_*.py turn it on.
        values["face_comparison"] = False
        # Reading the KTP in a RapidOCR process (~3 CPU-s, ~500 MB) only where it is tested.
        values["ktp_ocr"] = "off"
        values.update(overrides)
        return load_settings(**values)

    yield make


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh database URL: a SQLite file, then a throw-away PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'tlive.db'}"
        return
    with temporary_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return a fresh SQLite database URL."""
    return f"sqlite+aiosqlite:///{tmp_path / 'tlive.db'}"


async def migrated_core(settings: Settings) -> Core:
    """Build a core on a freshly migrated database with the default FAQ loaded."""
    from bot.services.faq import seed_default

    core = build_core(settings, ocr=False)
    await upgrade(core.db.engine)
    await seed_default(core.uow)
    await core.services.faq.reload()
    return core


@pytest.fixture
async def core(settings_factory: object, sqlite_url: str) -> AsyncIterator[Core]:
    """Yield a migrated core on SQLite."""
    built = await migrated_core(settings_factory(database_url=sqlite_url))  # type: ignore[operator]
    yield built
    await built.db.dispose()


@pytest.fixture
async def any_core(settings_factory: object, database_url: str) -> AsyncIterator[Core]:
    """Yield a migrated core on SQLite and on PostgreSQL."""
    built = await migrated_core(settings_factory(database_url=database_url))  # type: ignore[operator]
    yield built
    await built.db.dispose()


@pytest.fixture
async def ocr_core(settings_factory: object, sqlite_url: str) -> AsyncIterator[Core]:
    """Yield a migrated core on SQLite that reads the NIK off KTP photos (Tesseract)."""
    from bot.services.faq import seed_default

    built = build_core(settings_factory(database_url=sqlite_url), ocr=True)  # type: ignore[operator]
    await upgrade(built.db.engine)
    await seed_default(built.uow)
    await built.services.faq.reload()
    yield built
    await built.db.dispose()


def random_id() -> str:
    """Return a random message id."""
    return secrets.token_hex(8)


__all__ = ["SECRET", "migrated_core", "os", "random_id"]
