"""The real /chat page on the real service, in headless Chromium: menu, consent, questions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.core import Core
from tests.browser.kit import launch_browser, watch_errors
from tests.photos.factory import good_ktp_jpeg

pytestmark = pytest.mark.browser


@pytest.fixture
async def server(core: Core) -> AsyncIterator[TestServer]:
    test_server = TestServer(build_app(core.settings, core=core), host="127.0.0.1")
    await test_server.start_server()
    yield test_server
    await test_server.close()


async def test_citizen_taps_through_menu_and_answers_first_questions(
    server: TestServer, tmp_path: Path
) -> None:
    photo = tmp_path / "ktp.jpg"
    photo.write_bytes(good_ktp_jpeg())
    async with launch_browser() as browser:
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        errors = watch_errors(page)
        await page.goto(str(server.make_url("/chat")))
        # The page opens greeted, its menu ready; "halo" greets again with a newer menu.
        await page.locator(".choices .choice:enabled").first.wait_for()
        await page.fill("#text", "halo")
        await page.press("#text", "Enter")
        await page.locator(".choices").nth(1).wait_for()
        newest = page.locator(".choices").last
        await newest.get_by_role("button", name="Daftar akun").click()
        await page.locator("button[data-id='consent:yes']").click()
        await page.get_by_text("nama lengkap", exact=False).last.wait_for()
        await page.fill("#text", "Siti Aminah")
        await page.press("#text", "Enter")
        await page.get_by_text("Ketik NIK", exact=False).last.wait_for()
        await page.fill("#text", "3671014501900001")
        await page.press("#text", "Enter")
        await page.get_by_text("5 Januari 1990", exact=False).last.wait_for()
        await page.locator("button[data-id='birth:yes']").click()
        await page.get_by_text("Langkah 4 dari 8", exact=False).last.wait_for()
        await page.reload()  # a citizen who leaves and comes back keeps the conversation
        await page.get_by_text("Langkah 4 dari 8", exact=False).last.wait_for()
        await page.fill("#text", "1")  # not a phone number: explained, asked again
        await page.press("#text", "Enter")
        await page.get_by_text("belum benar", exact=False).last.wait_for()
        await page.set_input_files("#gallery", str(photo))  # a photo where text is expected
        await page.get_by_text("perlu jawaban yang diketik", exact=False).last.wait_for()
        assert errors == []
