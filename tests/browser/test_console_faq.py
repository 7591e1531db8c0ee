"""The FAQ editor in headless Chromium: citizens' refused questions reach the unanswered inbox;
an admin turns one into a new entry and another into a paraphrase, checks them in the try-it
box, and the citizens' next questions are answered — all well under a minute."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.core import Core
from tests.browser.kit import launch_browser, require_chromium, watch_errors
from tests.console.support import PASSWORD, add_user

pytestmark = pytest.mark.browser
ANSWER = "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el dari Disdukcapil."


@asynccontextmanager
async def serve(core: Core) -> AsyncIterator[str]:
    """Serve the real app in-process on a free port; yield its base URL."""
    async with TestServer(build_app(core.settings, core=core), host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


class Citizen:
    """A citizen asking in the web chat's Tanya menu."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http = http
        self.base = base
        self.url = ""

    async def open(self) -> None:
        """Start a chat and open the FAQ (Tanya)."""
        async with self.http.post(f"{self.base}/webchat/api/sessions") as resp:
            self.url = (
                f"{self.base}/webchat/api/sessions/{(await resp.json())['session_id']}/messages"
            )
        await self.send(text="halo")
        await self.send(button="menu:faq")

    async def send(self, **body: str) -> str:
        """Send one message; return the bot's replies as one text."""
        async with self.http.post(self.url, json=body) as resp:
            replies: list[dict[str, Any]] = (await resp.json())["replies"]
        return "\n".join(r["text"] for r in replies)


async def test_an_admin_turns_unanswered_questions_into_answers(core: Core) -> None:
    require_chromium()
    await add_user(core, "rina", "admin")
    async with serve(core) as base, aiohttp.ClientSession() as http:
        citizen = Citizen(http, base)
        await citizen.open()
        for question in ("paspor bisa?", "apakah ada versi web nya"):
            await citizen.send(text=question)  # not answered: refused or unsure, recorded

        async with launch_browser() as browser:
            page = await browser.new_page()
            errors = watch_errors(page)
            started = time.monotonic()
            await page.goto(f"{base}/console/faq")
            await page.fill("#username", "rina")
            await page.fill("#password", PASSWORD)
            await page.press("#password", "Enter")
            await page.wait_for_url(f"{base}/console/faq")
            await page.click("#faq-inbox-link")
            await page.wait_for_url(f"{base}/console/faq/unanswered")

            # A new entry from the passport question, prefilled from the inbox.
            paspor = page.locator("section.inbox-group", has_text="paspor bisa?")
            await paspor.locator("a.button").click()
            await page.wait_for_url(f"{base}/console/faq/new?from=*")
            assert await page.input_value("#f-question") == "paspor bisa?"
            await page.fill("#f-id", "daftar-paspor")
            await page.fill("#f-category", "pendaftaran")
            await page.fill("#f-paraphrases", "daftar pake paspor bisa ga\nkalo pake paspor gmn")
            await page.fill("#f-answer", ANSWER)
            await page.check("#f-published")
            await page.click("#faq-save")
            await page.wait_for_url(f"{base}/console/faq/daftar-paspor")
            assert "dibuat" in (await page.text_content(".flash.ok") or "")

            # The web question becomes a paraphrase of an existing entry, in one click.
            await page.goto(f"{base}/console/faq/unanswered")
            web = page.locator("section.inbox-group", has_text="versi web")
            await web.locator("select").select_option("unduh-aplikasi")
            await web.locator("button.primary").click()
            await page.wait_for_url(f"{base}/console/faq/unanswered")
            assert "unduh-aplikasi" in (await page.text_content(".flash.ok") or "")
            assert await page.is_visible("#inbox-empty")

            # The try-it box shows the bot's new answer as the admin types.
            await page.goto(f"{base}/console/faq")
            await page.fill("#faq-try-text", "paspor bisa?")
            answered = page.locator("#try-published[data-outcome='answer']")
            await answered.wait_for()
            assert await answered.get_attribute("data-faq-id") == "daftar-paspor"
            elapsed = time.monotonic() - started

            # Trying an unsaved edit on the entry's page, next to what is published.
            await page.goto(f"{base}/console/faq/daftar-paspor")
            await page.fill("#f-paraphrases", "daftar pake paspor bisa ga\nkitas bisa buat daftar")
            await page.fill("#faq-draft-text", "kitas bisa buat daftar")
            await page.click("#faq-draft-try-btn")
            await page.locator("#try-form[data-outcome='answer']").wait_for()
            assert errors == []

        assert elapsed < 60, elapsed
        assert ANSWER in await citizen.send(text="paspor bisa?")
        await citizen.send(button="faq:helpful")
        await citizen.send(button="menu:faq")
        web_answer = await citizen.send(text="apakah ada versi web nya")
        assert core.services.faq.entry("unduh-aplikasi").answer in web_answer  # type: ignore[union-attr]
    print(f"unanswered → answered from the console in {elapsed:.1f} s")
