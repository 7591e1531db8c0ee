"""The real /chat page greets on opening: greeting and menu before any typing, once per chat."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import expect

from bot.app import build_app
from bot.core import Core
from tests.browser.kit import launch_browser, watch_errors

pytestmark = pytest.mark.browser
# Where to keep the screenshots for a person to look at (default: the test's temp dir).
SHOTS = os.environ.get("TLIVE_SCREENSHOTS")


@pytest.fixture
async def server(core: Core) -> AsyncIterator[TestServer]:
    test_server = TestServer(build_app(core.settings, core=core), host="127.0.0.1")
    await test_server.start_server()
    yield test_server
    await test_server.close()


def _words(text: str) -> str:
    """Text without its emoji: a browser without an emoji font shows the words only."""
    return " ".join("".join(c if c.isalnum() or c in "!.,?/-" else " " for c in text).split())


def _labels(core: Core) -> list[str]:
    t = core.catalog.text
    return [_words(t(k)) for k in ("btn-register", "btn-status", "btn-faq", "btn-agent")]


async def test_the_chat_opens_greeted_and_a_reload_keeps_one_greeting(
    server: TestServer, core: Core, tmp_path: Path
) -> None:
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    greeting_first_line = _words(core.catalog.text("menu-greeting").splitlines()[0])
    async with launch_browser() as browser:
        context = await browser.new_context(viewport={"width": 360, "height": 740})
        page = await context.new_page()
        page.set_default_timeout(10_000)
        errors = watch_errors(page)
        await page.goto(str(server.make_url("/chat")))
        # Nothing typed: the greeting and its four buttons are there, the buttons usable.
        bubble = page.locator(".msg.bot .text")
        await expect(bubble).to_have_count(1)
        await expect(bubble.first).to_contain_text(greeting_first_line)
        choices = page.locator(".choices .choice .label")
        await expect(choices).to_contain_text(_labels(core))  # among others (voice)
        for choice in await page.locator(".choices .choice").all():
            await expect(choice).to_be_visible()
            await expect(choice).to_be_enabled()
        await expect(page.locator(".msg.me")).to_have_count(0)
        await page.screenshot(path=str(shots / "chat-opened.png"))
        for _ in range(3):  # a returning visitor: her history, never a second greeting
            await page.reload()
            await expect(page.locator(".choices .label")).to_contain_text(_labels(core))
            await expect(page.locator(".msg.bot .text")).to_have_count(1)
            await expect(page.locator("#status")).to_be_hidden()
        await page.screenshot(path=str(shots / "chat-reloaded.png"))
        # She taps the greeting's first button: the menu works, and the reload shows it all.
        await page.get_by_role("button", name=_labels(core)[0]).click()
        await page.locator("button[data-id='consent:yes']").wait_for()
        await page.reload()
        await page.locator("button[data-id='consent:yes']").wait_for()
        await expect(page.locator(".msg.me .text")).to_contain_text([_labels(core)[0]])
        texts = await page.locator(".msg.bot .text").all_inner_texts()
        assert sum(greeting_first_line in t for t in texts) == 1
        await page.screenshot(path=str(shots / "chat-after-tap.png"), full_page=True)
        async with core.uow() as uow:
            from sqlalchemy import func, select

            from bot.storage.models import Conversation

            count = await uow.session.scalar(select(func.count()).select_from(Conversation))
        assert count == 1  # one visitor, one chat, however often she reloaded
        # A new visitor gets a chat of her own, greeted too.
        other = await browser.new_context(viewport={"width": 360, "height": 740})
        second = await other.new_page()
        await second.goto(str(server.make_url("/chat")))
        await expect(second.locator(".choices .label")).to_contain_text(_labels(core))
        assert errors == []
