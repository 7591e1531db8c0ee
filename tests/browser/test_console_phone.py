"""Every console page on a phone (390×844) and a tablet (768×1024, 1024×768) in headless
Chromium: nothing scrolls sideways.

Screenshots go to ``TLIVE_SCREENSHOTS`` (a directory) when it is set, to look at them.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.core import Core
from bot.storage.models import FaqEntryRow
from bot.storage.types import utcnow
from tests.browser.kit import launch_browser, require_chromium, watch_errors
from tests.console.support import PASSWORD, add_user, seed_registration
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
LANDSCAPE = {"width": 1024, "height": 768}
NIK = "3671014501900001"

# Which elements stick out, to say what to fix when the page is too wide.
_TOO_WIDE = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > limit + 1)
    .slice(0, 8)
    .map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${
      Math.round(el.getBoundingClientRect().right)}`);
}"""


@asynccontextmanager
async def serve(core: Core) -> AsyncIterator[str]:
    """Serve the real app in-process on a free port; yield its base URL."""
    async with TestServer(build_app(core.settings, core=core), host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


async def _seed(core: Core) -> tuple[int, int, int]:
    """Fill the pages: requests with every flag, a chat waiting for a person, a FAQ entry."""
    images = {"ktp": good_ktp_jpeg(NIK), "selfie": good_selfie_jpeg()}
    flags: dict[str, object] = {
        "nik_outside_city": True, "birth_date_mismatch": True, "ocr_nik_mismatch": True,
        "duplicate_nik": True, "ktp_warnings": ["ktp-glare"], "selfie_warnings": ["selfie-dark"],
    }  # fmt: skip
    first = await seed_registration(
        core, submitted_at=utcnow() - timedelta(hours=30), flags=flags, images=images,
        full_name="RADEN AYU SITI AMINAH KUSUMAWARDHANI BINTI MUHAMMAD",
    )  # fmt: skip
    # What the KTP photo says, one digit misread: the review page shows the NIK digit by digit.
    async with core.uow() as uow:
        reg = await uow.registrations.get(first.id)
        assert reg is not None
        data = uow.registrations.read_data(reg)
        data["ocr"] = {"nik": NIK[:9] + "9" + NIK[10:], "full_name": data["full_name"],
                       "birth_date": "1990-01-05"}  # fmt: skip
        uow.registrations.write_data(reg, data)
        await uow.commit()
    for hours in (20, 5, 1):
        await seed_registration(core, submitted_at=utcnow() - timedelta(hours=hours),
                                flags=flags, images=images)  # fmt: skip
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.tap("agent")
    conv = await conversation(core, chat)
    async with core.uow() as uow:
        faq_id = await uow.session.scalar(select(FaqEntryRow.id).limit(1))
    assert faq_id is not None
    return first.id, conv.id, faq_id


@pytest.mark.parametrize(
    "screen", [PHONE, TABLET, LANDSCAPE], ids=["phone", "tablet", "tablet-landscape"]
)
async def test_every_console_page_fits_a_phone_without_sideways_scrolling(
    core: Core, screen: dict[str, int]
) -> None:
    require_chromium()
    await add_user(core, "siti", "admin")
    registration_id, conv_id, faq_id = await _seed(core)
    pages = {
        "home": "/console/",
        "queue": "/console/queue?status=all",
        "review": f"/console/registrations/{registration_id}",
        "chats": "/console/chats",
        "chat": f"/console/chats/{conv_id}",
        "faq": "/console/faq",
        "faq-edit": f"/console/faq/{faq_id}",
        "faq-unanswered": "/console/faq/unanswered",
        "reports": "/console/reports",
        "audit": "/console/audit",
        "users": "/console/users",
        "tokens": "/console/tokens",
        "account": "/console/account",
    }
    shots = os.environ.get("TLIVE_SCREENSHOTS")
    async with serve(core) as base, launch_browser() as browser:
        page = await browser.new_page(viewport=screen, device_scale_factor=1)
        errors = watch_errors(page)
        await page.goto(f"{base}/console/login")
        await page.fill("#username", "siti")
        await page.fill("#password", PASSWORD)
        await page.press("#password", "Enter")
        await page.wait_for_url(f"{base}/console/")
        wide: dict[str, object] = {}
        for name, path in pages.items():
            await page.goto(base + path)
            await page.wait_for_load_state("load")
            scroll, inner = await page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if shots:
                await asyncio.to_thread(Path(shots).mkdir, parents=True, exist_ok=True)
                shot = Path(shots, f"{screen['width']}-{name}.png")
                await page.screenshot(path=str(shot), full_page=True)
            if scroll > inner:
                wide[name] = (scroll, await page.evaluate(_TOO_WIDE))
            if name == "review":
                # The decision bar, with every reason, stays in the window at any scroll.
                await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                bar = await page.eval_on_selector(
                    "#decision-bar", "b => [b.getBoundingClientRect().bottom, innerHeight]"
                )
                assert bar[0] <= bar[1] + 1, f"decision bar below the window: {bar}"
                assert await page.is_visible("#reason-7")
        assert wide == {}, "\n".join(f"{k}: {v}" for k, v in wide.items())
        assert errors == []
