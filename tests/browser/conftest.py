"""Fixtures of the browser tests: one headless Chromium per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.browser.kit import launch_browser


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Yield a fresh headless Chromium (the test skips, or fails in CI, without one)."""
    async with launch_browser() as b:
        yield b
