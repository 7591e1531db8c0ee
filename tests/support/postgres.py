"""Throw-away PostgreSQL databases for tests (skipped, or failed in CI, when unreachable)."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    """Return the URL of the maintenance database tests may create databases from."""
    return os.environ.get("TLIVE_TEST_POSTGRES_URL", DEFAULT_URL)


async def _execute(sql: str) -> None:
    import asyncpg

    url = make_url(admin_url())
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password,
        database=url.database, timeout=5,
    )  # fmt: skip
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _run_admin(sql: str) -> None:
    # A thread of its own, so this works from sync fixtures and from inside async tests alike.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _execute(sql)).result()


@contextmanager
def temporary_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = "tlive_test_" + secrets.token_hex(6)
    try:
        _run_admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        reason = f"PostgreSQL not reachable at {admin_url()}: {exc}"
        if os.environ.get("TLIVE_TEST_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        _run_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
