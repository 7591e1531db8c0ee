"""An automated accessibility audit of the web chat page: axe-core in headless Chromium.

axe-core is vendored under ``tests/browser/vendor/axe-core`` (no CDN, nothing downloaded at test
time) and injected into the page through the DevTools protocol, which the page's CSP does not
govern, so the page is audited with its real CSP in force. Every rule axe runs by default
(WCAG 2.0/2.1/2.2 A and AA and best practices) is checked; a serious or critical violation fails,
and so does any other violation not listed in ``ACCEPTED`` with its reason.

Audited: the greeting on the real service, and on the scripted API the long kecamatan list (also
filtered to nothing), the KTP and selfie photo steps, bubbles with a play button (one of them
asking for a tap), at 360 px and at 320 px with 130 % text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from bot.app import build_app
from bot.core import Core
from bot.i18n import Catalog

from .kit import serve, watch_errors
from .phone import open_phone
from .scripted_chat import ScriptedChat

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
FAILING_IMPACTS = ("serious", "critical")
# Violations of lower impact that are accepted, with the reason. Empty: none are.
ACCEPTED: dict[str, str] = {}

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}"""


def axe_source() -> str:
    """Return the vendored axe-core, checked against the recorded release."""
    source = (VENDOR / "axe.min.js").read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, "axe.min.js changed: see README"
    return source.decode("utf-8")


async def audit(page: Any) -> list[dict[str, Any]]:
    """Run axe on the page as it is now; return the violations that fail the audit."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    violations: list[dict[str, Any]] = await page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] not in ACCEPTED]


def test_the_vendored_axe_is_the_recorded_release() -> None:
    source = axe_source()
    assert source.startswith(f"/*! axe v{AXE_VERSION}")
    assert (VENDOR / "LICENSE").is_file() and "Mozilla Public License" in (
        VENDOR / "LICENSE"
    ).read_text(encoding="utf-8")


async def test_the_greeting_on_the_real_service_passes_the_audit(core: Core, browser: Any) -> None:
    async with serve(build_app(core.settings, core=core)) as url:
        page, _ = await open_phone(browser, url, width=360)
        errors = watch_errors(page)
        await expect(page.locator(".choice").first).to_be_enabled()
        assert await page.get_attribute("html", "lang") == "id"
        assert await audit(page) == []
        assert errors == []


@pytest.mark.parametrize(("width", "text_percent"), [(360, 100), (320, 130)])
async def test_the_long_list_and_the_photo_steps_pass_the_audit(
    browser: Any, tmp_path: Path, width: int, text_percent: int
) -> None:
    chat = ScriptedChat()
    photo = tmp_path / "photo.png"
    from .test_chat_page_small_phone import png

    png(photo)
    async with serve(chat.app()) as url:
        page, _ = await open_phone(browser, url, width=width, text_percent=text_percent)
        errors = watch_errors(page)
        await expect(page.locator(".choice").first).to_be_enabled()
        assert await audit(page) == [], "greeting"
        await page.locator(".choice").first.click()
        grid = page.locator(".choices.long")
        await expect(grid.locator(".choice").first).to_be_enabled()
        assert await audit(page) == [], "kecamatan list"
        await grid.get_by_role("searchbox").fill("tidak ada")
        await expect(grid.locator(".none")).to_be_visible()
        assert await audit(page) == [], "kecamatan list filtered to nothing"
        await grid.get_by_role("searchbox").fill("")
        await grid.locator(".choice").first.click()
        await expect(page.locator(".choices.long")).to_have_count(2)
        await page.locator(".choices.long").last.locator(".choice").first.click()
        await expect(page.locator("#photo-row")).to_be_visible()
        assert await audit(page) == [], "KTP photo step"
        await page.set_input_files("#gallery", str(photo))
        await expect(page.locator("#camera")).to_have_attribute("capture", "user")
        await expect(page.locator("#send")).to_be_enabled()
        assert await audit(page) == [], "selfie photo step"
        assert errors == []


async def test_bubbles_with_a_play_button_pass_the_audit(browser: Any, tmp_path: Path) -> None:
    chat = ScriptedChat(voice=True)
    async with serve(chat.app()) as url:
        page, _ = await open_phone(browser, url, width=360)
        errors = watch_errors(page)
        listen = page.get_by_role("button", name=Catalog().text("webchat-listen"))
        await expect(listen).to_have_count(1)
        # A play button asking for a tap (the browser refused to start the sound by itself).
        await page.evaluate("() => document.querySelector('.listen').classList.add('attention')")
        assert await audit(page) == []
        assert errors == []


async def answer_until_the_kecamatan_list(page: Any) -> None:
    """Walk the real registration dialog up to the kecamatan list, whatever it asks first."""
    typed = {
        "nama lengkap": "Siti Aminah",
        "NIK": "3671014501900001",
        "tanggal lahir": "05-01-1990",
        "nomor HP": "081234567890",
    }
    for _ in range(20):
        await expect(page.locator("#send")).to_be_enabled()  # the last answer is drawn
        if await page.locator(".choices.long button[data-id^='kec:']").count():
            return
        live = page.locator(".choices").last.locator(".choice:enabled")
        ids = [await b.get_attribute("data-id") or "" for b in await live.all()]
        yes = next((i for i in ids if i.endswith((":yes", ":self", ":agree"))), None)
        before = await page.locator(".msg.me").count()
        if yes:
            await page.locator(f".choices button[data-id='{yes}']").last.click()
        else:
            said = await page.locator(".msg.bot .text").last.inner_text()
            answer = next((a for k, a in typed.items() if k.casefold() in said.casefold()), None)
            assert answer, f"no answer for: {said}"
            await page.locator("#text").fill(answer)
            await page.locator("#text").press("Enter")
        await expect(page.locator(".msg.me")).to_have_count(before + 1)
    raise AssertionError("the kecamatan list never came")


async def test_the_real_long_list_and_photo_step_pass_the_audit(core: Core, browser: Any) -> None:
    from tests.photos.factory import good_ktp_jpeg

    async with serve(build_app(core.settings, core=core)) as url:
        page, _ = await open_phone(browser, url, width=360)
        errors = watch_errors(page)
        await page.locator(".choices button[data-id='menu:register']").click()
        await answer_until_the_kecamatan_list(page)
        grid = page.locator(".choices.long").last
        await expect(grid.locator(".choice")).to_have_count(13)
        await expect(grid.locator(".num")).to_have_count(13)
        assert await audit(page) == [], "kecamatan list"
        await grid.get_by_role("searchbox").fill("cipondoh")
        await grid.get_by_role("searchbox").press("Enter")
        kelurahan = page.locator(".choices.long").last.locator("button[data-id^='kel:']")
        await expect(kelurahan.first).to_be_enabled()
        await kelurahan.first.click()
        # The server says the chat waits for the KTP: rear camera.
        await expect(page.locator("#photo-row")).to_be_visible()
        await expect(page.locator("#camera")).to_have_attribute("capture", "environment")
        assert await audit(page) == [], "KTP photo step"
        await page.set_input_files(
            "#gallery",
            files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": good_ktp_jpeg()}],
        )
        await expect(page.locator("#camera")).to_have_attribute("capture", "user", timeout=20_000)
        await expect(page.locator("#photo-row")).to_be_visible()
        assert await audit(page) == [], "selfie photo step"
        assert errors == []
