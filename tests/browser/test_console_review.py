"""The verifier console in headless Chromium: sign in, decide with the keyboard alone, see the
citizen's web chat receive the outcome, and download the XLSX recap."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import build_app
from bot.core import Core
from bot.storage.models import Registration
from bot.storage.types import utcnow
from tests.browser.kit import launch_browser, require_chromium, watch_errors
from tests.console.support import NIK, PASSWORD, add_user, seed_queue, seed_registration
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg

pytestmark = pytest.mark.browser


@asynccontextmanager
async def serve(core: Core) -> AsyncIterator[str]:
    """Serve the real app in-process on a free port; yield its base URL."""
    async with TestServer(build_app(core.settings, core=core), host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


async def _sign_in(page: object, base: str) -> None:
    await page.goto(f"{base}/console/")  # type: ignore[attr-defined]
    await page.wait_for_url(f"{base}/console/login")  # type: ignore[attr-defined]
    await page.focus("#username")  # type: ignore[attr-defined]
    await page.keyboard.type("siti")  # type: ignore[attr-defined]
    await page.focus("#password")  # type: ignore[attr-defined]
    await page.keyboard.type(PASSWORD)  # type: ignore[attr-defined]
    await page.keyboard.press("Enter")  # type: ignore[attr-defined]
    await page.wait_for_url(f"{base}/console/")  # type: ignore[attr-defined]


async def test_reject_with_the_keyboard_notifies_the_web_chat_and_shows_in_the_xlsx(
    core: Core,
) -> None:
    require_chromium()
    await add_user(core, "siti", "verifier")
    async with serve(core) as base, aiohttp.ClientSession() as http:
        async with http.post(f"{base}/webchat/api/sessions") as resp:
            session_id = (await resp.json())["session_id"]
        oldest = await seed_registration(
            core, chat_id=session_id, submitted_at=utcnow() - timedelta(hours=26),
            images={"ktp": good_ktp_jpeg(NIK), "selfie": good_selfie_jpeg()},
        )  # fmt: skip
        newer = await seed_queue(core, 2, start_hours_ago=3)
        async with launch_browser() as browser:
            page = await browser.new_page(accept_downloads=True)
            errors = watch_errors(page)
            await _sign_in(page, base)
            await page.goto(f"{base}/console/queue")
            row = page.locator(f"tr[data-reference='{oldest.reference}']")
            assert await row.get_attribute("class") == "overdue"
            await page.focus("#start-review")
            await page.keyboard.press("Enter")
            await page.wait_for_url(f"{base}/console/registrations/{oldest.id}")
            assert await page.text_content("#field-nik") == NIK
            for image in ("#img-ktp", "#img-selfie"):
                loaded = await page.eval_on_selector(image, "img => img.naturalWidth")
                assert loaded > 0, image
            await page.keyboard.press("r")
            assert await page.is_visible("#reasons")
            await page.keyboard.press("1")
            assert await page.is_checked("#reason-1")
            await page.keyboard.press("Enter")
            await page.wait_for_url(f"{base}/console/registrations/{newer[0].id}")
            flash = await page.text_content(".flash.ok")
            assert flash and f"{oldest.reference} ditolak" in flash

            url = f"{base}/webchat/api/sessions/{session_id}/messages?after=0"
            async with http.get(url) as resp:
                replies = (await resp.json())["replies"]
            assert len(replies) == 2  # the greeting the chat opened with, then the decision
            replies = replies[1:]
            assert oldest.reference in replies[0]["text"]
            assert "foto KTP buram" in replies[0]["text"]
            assert [b["id"] for b in replies[0]["buttons"]] == ["reg:resubmit", "agent"]

            await page.goto(f"{base}/console/reports")
            assert await page.is_visible("#chart-daily")
            async with page.expect_download() as info:
                await page.click("#download-xlsx")
            download = await info.value
            assert download.suggested_filename.endswith(".xlsx")
            data = await asyncio.to_thread(Path(await download.path()).read_bytes)
            book = load_workbook(io.BytesIO(data), read_only=True)
            assert errors == []
    summary = list(book["Ringkasan"].iter_rows(values_only=True))
    assert summary[-1][:5] == ("Total", 3, 0, 1, 2)
    days = list(book["Per hari"].iter_rows(values_only=True))[1:]
    assert sum(row[1] for row in days) == 3 and sum(row[3] for row in days) == 1
    rows = {r[0]: r for r in list(book["Daftar permintaan"].iter_rows(values_only=True))[1:]}
    assert rows[oldest.reference][3:5] == ("Ditolak", "Foto KTP buram")
    assert rows[oldest.reference][6] == "Ya"  # decided after the 24-hour deadline
    assert {rows[s.reference][3] for s in newer} == {"Menunggu verifikasi"}


async def test_a_queue_of_twenty_is_cleared_with_the_keyboard_alone(core: Core) -> None:
    require_chromium()
    await add_user(core, "siti", "verifier")
    queue = await seed_queue(core, 20)
    async with serve(core) as base, launch_browser() as browser:
        page = await browser.new_page()
        errors = watch_errors(page)
        await _sign_in(page, base)
        await page.focus("text=Mulai verifikasi")
        await page.keyboard.press("Enter")
        started = time.perf_counter()
        for i, seeded in enumerate(queue):
            await page.wait_for_url(f"{base}/console/registrations/{seeded.id}")
            if i % 2 == 0:
                keys = ["a", "Enter"]
            elif i == 3:
                keys = ["r", "7"]
            else:
                keys = ["r", str(1 + i % 6), "Enter"]
            for key in keys:
                await page.keyboard.press(key)
            if i == 3:
                assert await page.evaluate("document.activeElement.id") == "note"
                await page.keyboard.type("Foto terbalik")
                await page.keyboard.press("Enter")
        await page.wait_for_url(f"{base}/console/queue")
        elapsed = time.perf_counter() - started
        text = await page.text_content("main")
        assert text and "Semua permintaan sudah diperiksa" in text
        assert errors == []
    async with core.uow() as uow:
        regs = (await uow.session.execute(select(Registration).order_by(Registration.id))).scalars()
        decided = [(r.status, r.reject_reason, r.decision_note) for r in regs]
        messages = [
            len(await uow.conversations.history(s.conversation_id, directions=("out",)))
            for s in queue
        ]
    assert [status for status, _, _ in decided] == ["approved", "rejected"] * 10
    assert decided[3] == ("rejected", "other", "Foto terbalik")
    assert decided[1][1] == "ktp_unreadable" and decided[5][1] == "not_ktp"
    assert messages == [1] * 20
    assert elapsed < 60, f"20 decisions took {elapsed:.1f}s"
