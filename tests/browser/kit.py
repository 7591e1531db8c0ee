"""Shared helpers for every browser test: find Debian's Chromium and launch it headless.

Use::

    from tests.browser.kit import launch_browser  # or ``from .kit import ...`` in this package

    @pytest.mark.browser
    async def test_page() -> None:
        async with launch_browser() as browser:
            page = await browser.new_page()
            errors = watch_errors(page)
            ...
            assert errors == []

Playwright's bundled browsers are never downloaded: the tests use the system ``chromium``
package (``apt-get install chromium``) and skip when it is missing.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

CHROMIUM_PATH = os.environ.get("TLIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SKIP_REASON = "Debian chromium not installed: apt-get install chromium"


def chromium_available() -> bool:
    """Tell whether the system Chromium and the Python Playwright package are both present."""
    path = Path(CHROMIUM_PATH)
    return (
        path.is_file()
        and os.access(path, os.X_OK)
        and importlib.util.find_spec("playwright") is not None
    )


def require_chromium() -> None:
    """Skip the calling test when Chromium (or Playwright) is missing."""
    if not chromium_available():
        # CI installs Chromium (make test, as root); there a missing browser is a failure.
        if os.environ.get("TLIVE_TEST_REQUIRE_BROWSER"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)


@asynccontextmanager
async def launch_browser(
    *, extra_args: Sequence[str] = (), **launch_options: Any
) -> AsyncIterator[Browser]:
    """Launch headless Chromium with a throw-away profile and home; close it on exit.

    Skips the test when Chromium is not installed. ``extra_args`` are added to the command line
    (e.g. ``--autoplay-policy=...``); other keyword arguments go to ``chromium.launch`` (e.g.
    ``slow_mo=100``).
    """
    require_chromium()
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="tlive-chromium-") as home:
        # Playwright already gives every launch a fresh --user-data-dir; a private HOME and
        # XDG dirs keep crash reports, caches and font config out of the real home too.
        env = {
            **os.environ,
            "HOME": home,
            "XDG_CONFIG_HOME": str(Path(home, ".config")),
            "XDG_CACHE_HOME": str(Path(home, ".cache")),
        }
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM_PATH,
                args=[*CHROMIUM_ARGS, *extra_args],
                headless=True,
                env=env,
                **launch_options,
            )
            try:
                yield browser
            finally:
                await browser.close()


def watch_errors(page: Page) -> list[str]:
    """Collect uncaught page errors and console errors of ``page`` into the returned list."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    return errors


@asynccontextmanager
async def serve(app: web.Application, path: str = "/chat") -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 for the browser and yield the address of ``path``."""
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url(path))
    finally:
        await server.close()
