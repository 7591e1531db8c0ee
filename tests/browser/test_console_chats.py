"""The helpdesk in two headless Chromium pages: a citizen on the real /chat page asks for a
person; an agent in the console sees the chat appear without reloading, takes it, exchanges
messages and photos, hands back (the bot asks the same step again), and after a second request
closes it; the citizen's rating is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.core import Core
from bot.storage.models import Rating
from tests.browser.kit import launch_browser, require_chromium, watch_errors
from tests.console.support import PASSWORD, add_user, jpeg
from tests.photos.factory import GOOD_NIK

pytestmark = pytest.mark.browser
NAME = "Siti Aminah"


@asynccontextmanager
async def serve(core: Core) -> AsyncIterator[str]:
    """Serve the real app in-process on a free port; yield its base URL."""
    async with TestServer(build_app(core.settings, core=core), host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


async def _say(page: object, text: str) -> None:
    await page.fill("#text", text)  # type: ignore[attr-defined]
    await page.press("#text", "Enter")  # type: ignore[attr-defined]


async def test_agent_takes_a_web_chat_in_the_console_and_gives_it_back(
    core: Core, tmp_path: Path
) -> None:
    require_chromium()
    await add_user(core, "siti", "agent")
    citizen_photo, agent_photo = tmp_path / "ktp.jpg", tmp_path / "contoh.jpg"
    citizen_photo.write_bytes(jpeg((200, 120, 90), (320, 200)))
    agent_photo.write_bytes(jpeg((20, 90, 160), (320, 200)))
    async with serve(core) as base, launch_browser() as browser:
        agent = await browser.new_page()
        citizen = await browser.new_page(viewport={"width": 360, "height": 740})
        errors = watch_errors(agent)
        citizen_errors = watch_errors(citizen)

        await agent.goto(f"{base}/console/login")
        await agent.fill("#username", "siti")
        await agent.fill("#password", PASSWORD)
        await agent.press("#password", "Enter")
        await agent.wait_for_url(f"{base}/console/")
        await agent.click("a[href='/console/chats'] >> nth=0")
        await agent.wait_for_url(f"{base}/console/chats")
        await agent.wait_for_selector("#live[data-state='live']")
        await agent.evaluate("window.__notReloaded = true")

        # The citizen, mid-registration, asks for a person.
        await citizen.goto(f"{base}/chat")
        await _say(citizen, "daftar")
        await citizen.locator("button[data-id='consent:yes']").click()
        await citizen.get_by_text("nama lengkap", exact=False).last.wait_for()
        await _say(citizen, NAME)
        await citizen.get_by_text("Langkah 2 dari 8", exact=False).last.wait_for()
        await _say(citizen, "petugas")
        await citizen.get_by_text("Antrean Bapak/Ibu: nomor 1", exact=False).last.wait_for()

        # It shows up in the agent's queue live, with the reason; then the agent takes it.
        row = agent.locator("#queue-rows tr[data-mode='queued']")
        await row.wait_for()
        assert "warga meminta petugas" in (await row.text_content() or "")
        assert await agent.evaluate("window.__notReloaded === true")
        await row.get_by_role("button", name="Ambil chat").click()
        await agent.wait_for_url(f"{base}/console/chats/*")
        assert "Anda memegang chat ini" in (await agent.text_content("#chat-status") or "")
        assert "Langkah 2 dari 8" in (await agent.text_content("#history") or "")
        await citizen.get_by_text("Petugas helpdesk sudah bergabung", exact=False).wait_for()

        # Messages both ways, without reloading either page.
        await agent.evaluate("window.__notReloaded = true")
        await agent.fill("#reply-text", "Halo Bu Siti, ada yang bisa saya bantu?")
        await agent.click("#send-btn")
        await agent.locator("#history li.agent", has_text="Halo Bu Siti").wait_for()
        bubble = citizen.locator(".msg.bot", has_text="Halo Bu Siti")
        await bubble.wait_for(timeout=15_000)
        assert (await bubble.locator(".who").text_content()) == "Petugas"

        await _say(citizen, "NIK saya ditolak terus, ini KTP saya")
        await agent.locator("#history li.citizen", has_text="NIK saya ditolak").wait_for()
        await citizen.set_input_files("#gallery", str(citizen_photo))
        their_photo = agent.locator("#history li.citizen img.chat-photo")
        await their_photo.wait_for()
        await agent.wait_for_function(
            "document.querySelector('#history li.citizen img.chat-photo').naturalWidth > 0"
        )

        await agent.fill("#reply-text", "Foto contoh yang benar:")
        await agent.set_input_files("#reply-photo", str(agent_photo))
        await agent.click("#send-btn")
        picture = citizen.locator(".msg.bot img.picture").last
        await picture.wait_for(timeout=15_000)
        await citizen.wait_for_function(
            "[...document.querySelectorAll('.msg.bot img.picture')].pop().naturalWidth > 0"
        )
        assert await agent.evaluate("window.__notReloaded === true")

        # Hand back: the bot asks the NIK again, and the form goes on.
        await agent.click("#release-btn")
        await agent.wait_for_url(f"{base}/console/chats")
        flash = await agent.text_content(".flash.ok")
        assert flash and "dikembalikan ke asisten" in flash
        await citizen.get_by_text("kembali dilayani asisten", exact=False).wait_for(timeout=15_000)
        await citizen.get_by_text("Langkah 2 dari 8", exact=False).last.wait_for()
        await _say(citizen, GOOD_NIK)
        await citizen.get_by_text("Langkah 3 dari 8", exact=False).last.wait_for()

        # A second request is closed; the citizen rates it.
        await _say(citizen, "petugas")
        await agent.locator("#queue-rows tr[data-mode='queued']").wait_for()
        await agent.get_by_role("button", name="Ambil chat").click()
        await agent.wait_for_url(f"{base}/console/chats/*")
        await agent.click("#close-btn")
        await agent.wait_for_url(f"{base}/console/chats")
        rate = citizen.locator("button[data-id='rate:4']")
        await rate.wait_for(timeout=15_000)
        await rate.click()
        await citizen.get_by_text("Terima kasih atas penilaian", exact=False).wait_for()
        assert errors == [] and citizen_errors == []
    async with core.uow() as uow:
        rating = (await uow.session.execute(select(Rating))).scalar_one()
    assert rating.score == 4 and rating.agent_id is not None
