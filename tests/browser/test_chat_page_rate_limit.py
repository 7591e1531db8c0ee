"""The real /chat page when the web chat API says "too many" (429): kind words, then it resends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.core import Core
from bot.web.ratelimit import THROTTLE, Rate, WebchatLimits, WebchatThrottle
from tests.browser.kit import launch_browser, watch_errors

pytestmark = pytest.mark.browser


@pytest.fixture
async def server(core: Core) -> AsyncIterator[TestServer]:
    app = build_app(core.settings, core=core)
    # One message at once, then one every 2 s: the page's second quick message must wait.
    app[THROTTLE] = WebchatThrottle(WebchatLimits(session_writes=Rate(burst=1, per_minute=30)))
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    yield test_server
    await test_server.close()


async def test_page_shows_the_wait_message_and_sends_again_by_itself(
    server: TestServer, core: Core
) -> None:
    async with launch_browser() as browser:
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        errors = watch_errors(page)
        await page.goto(str(server.make_url("/chat")))
        await page.locator(".choices .choice:enabled").first.wait_for()
        await page.fill("#text", "halo")
        await page.press("#text", "Enter")
        await page.locator(".choices").nth(1).wait_for()
        await page.fill("#text", "daftar")
        await page.press("#text", "Enter")
        wait_text = core.catalog.text("webchat-error-too-many", seconds=2)
        await page.get_by_text(wait_text).wait_for()
        # After the 2 s the server asked for, the same message goes through on its own.
        await page.get_by_text("Daftar akun", exact=False).last.wait_for()
        await page.locator("#status").wait_for(state="hidden")
        # Chromium logs each 429 as a failed resource; nothing else may go wrong.
        assert [e for e in errors if "status of 429" not in e] == []
