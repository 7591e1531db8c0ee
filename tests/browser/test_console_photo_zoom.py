"""Zooming the KTP on the review page (1366×768, headless Chromium) stays inside its frame.

The selfie and the page do not move; every corner of the card (Nama and NIK sit top left) can
be reached by dragging, the wheel and the keys; turning keeps the whole card in view.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.core import Core
from tests.browser.kit import launch_browser, require_chromium, watch_errors
from tests.console.support import NIK, PASSWORD, add_user, seed_registration
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


@asynccontextmanager
async def serve(core: Core) -> AsyncIterator[str]:
    """Serve the real app in-process on a free port; yield its base URL."""
    async with TestServer(build_app(core.settings, core=core), host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


async def _box(page: Any, selector: str) -> dict[str, float]:
    box = await page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " width: r.width, height: r.height}; }",
    )
    return dict(box)


async def _settle(page: Any) -> None:
    await page.wait_for_timeout(250)  # the transform's .15 s transition


async def test_zooming_the_ktp_stays_in_its_frame_and_reaches_every_corner(core: Core) -> None:
    require_chromium()
    await add_user(core, "siti", "verifier")
    seeded = await seed_registration(
        core, images={"ktp": good_ktp_jpeg(NIK), "selfie": good_selfie_jpeg()}
    )
    shots = os.environ.get("TLIVE_SCREENSHOTS")
    async with serve(core) as base, launch_browser() as browser:
        page = await browser.new_page(viewport=LAPTOP)
        errors = watch_errors(page)
        await page.goto(f"{base}/console/login")
        await page.fill("#username", "siti")
        await page.fill("#password", PASSWORD)
        await page.press("#password", "Enter")
        await page.wait_for_url(f"{base}/console/")
        await page.goto(f"{base}/console/registrations/{seeded.id}")
        await page.wait_for_function(
            "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        )
        frame = await _box(page, "#img-ktp >> xpath=..")
        selfie = await _box(page, "#img-selfie")
        fitted = await _box(page, "#img-ktp")

        for _ in range(2):  # Perbesar twice: three times as large
            await page.click("button[data-zoom='img-ktp']")
        await _settle(page)
        zoomed = await _box(page, "#img-ktp")
        assert zoomed["width"] > 2.5 * fitted["width"]
        assert await _box(page, "#img-ktp >> xpath=..") == frame  # the frame keeps its size
        assert await _box(page, "#img-selfie") == selfie  # the selfie does not move
        assert selfie["right"] <= LAPTOP["width"]
        wide = await page.evaluate("document.documentElement.scrollWidth")
        assert wide <= LAPTOP["width"]

        # Dragging far right and down brings the card's top-left corner into the frame, no further.
        mid_x = (frame["left"] + frame["right"]) / 2
        mid_y = (frame["top"] + frame["bottom"]) / 2
        await page.mouse.move(mid_x, mid_y)
        await page.mouse.down()
        await page.mouse.move(mid_x + 2000, mid_y + 2000, steps=5)
        await page.mouse.up()
        await _settle(page)
        corner = await _box(page, "#img-ktp")
        assert abs(corner["left"] - frame["left"]) <= 1 and abs(corner["top"] - frame["top"]) <= 1
        if shots:
            await asyncio.to_thread(Path(shots).mkdir, parents=True, exist_ok=True)
            await page.screenshot(path=str(Path(shots, "laptop-zoom-top-left.png")))

        # The keys reach the opposite corner; 0 puts the card back as it was.
        await page.focus("#img-ktp >> xpath=..")
        for _ in range(40):
            await page.keyboard.press("ArrowRight")
            await page.keyboard.press("ArrowDown")
        await _settle(page)
        far = await _box(page, "#img-ktp")
        assert abs(far["right"] - frame["right"]) <= 1
        assert abs(far["bottom"] - frame["bottom"]) <= 1
        await page.keyboard.press("0")
        await _settle(page)
        assert await _box(page, "#img-ktp") == fitted

        # The wheel zooms toward the pointer without scrolling the page.
        scroll_before = await page.evaluate("window.scrollY")
        await page.mouse.move(frame["left"] + 40, frame["top"] + 40)
        await page.mouse.wheel(0, -300)
        await _settle(page)
        wheeled = await _box(page, "#img-ktp")
        assert wheeled["width"] > fitted["width"] * 1.2
        assert await page.evaluate("window.scrollY") == scroll_before
        await page.keyboard.press("0")

        # Turned a quarter, the whole card still fits in the frame.
        await page.click("button[data-rotate='img-ktp']")
        await _settle(page)
        turned = await _box(page, "#img-ktp")
        assert turned["height"] > turned["width"]
        assert turned["top"] >= frame["top"] - 1 and turned["bottom"] <= frame["bottom"] + 1
        assert turned["left"] >= frame["left"] - 1 and turned["right"] <= frame["right"] + 1
        assert errors == []
