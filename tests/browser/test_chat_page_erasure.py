"""The real /chat page: after "hapus data" it keeps chatting under a new session id."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.core import Core
from tests.browser.kit import launch_browser, watch_errors

pytestmark = pytest.mark.browser
SESSION = "tlive.webchat.session"


@pytest.fixture
async def server(core: Core) -> AsyncIterator[TestServer]:
    test_server = TestServer(build_app(core.settings, core=core), host="127.0.0.1")
    await test_server.start_server()
    yield test_server
    await test_server.close()


async def test_the_page_takes_the_new_session_id_after_erasure(server: TestServer) -> None:
    async with launch_browser() as browser:
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        errors = watch_errors(page)
        await page.goto(str(server.make_url("/chat")))
        await page.locator(".choices .choice:enabled").first.wait_for()
        old = await page.evaluate(f"localStorage.getItem('{SESSION}')")
        await page.fill("#text", "hapus data")
        await page.press("#text", "Enter")
        await page.locator("button[data-id='privacy:erase-yes']").click()
        await page.get_by_text("sudah dihapus", exact=False).last.wait_for()
        new = await page.evaluate(f"localStorage.getItem('{SESSION}')")
        assert new and new != old
        await page.reload()  # she comes back: the chat goes on under the new id
        await page.get_by_text("sudah dihapus", exact=False).last.wait_for()
        await page.fill("#text", "menu")
        await page.press("#text", "Enter")
        await page.locator(".choices .choice:enabled").last.wait_for()
        assert await page.evaluate(f"localStorage.getItem('{SESSION}')") == new
        assert errors == []
        gone = await page.evaluate(
            f"fetch('/webchat/api/sessions/{old}/messages').then((r) => r.status)"
        )
        assert gone == 404  # the old id opens nothing
