"""The web chat on an old, small phone: 320 and 360 px wide, normal and 130 % text size.

Each walk goes greeting → 13 kecamatan → 16 kelurahan → KTP photo → selfie → reference, on the
real page against the scripted API (``scripted_chat``), and at every step measures what a citizen
sees (``phone.PROBE``): no sideways scrolling, a one-line header, buttons at least 44 px tall,
nothing cut off, the reference on one line. The screenshots are kept for a person to look at:
set TLIVE_SCREENSHOTS=/some/dir (default: the test's temporary directory). How 130 % text is
emulated is explained in ``tests/browser/phone.py``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from bot.domain.wilayah import KECAMATAN, kelurahan_of
from bot.i18n import Catalog

from .kit import serve, watch_errors
from .phone import open_phone, problems, shots_dir
from .scripted_chat import REFERENCE, STATIC, ScriptedChat

pytestmark = pytest.mark.browser

SIZE_KEY = "tlive.webchat.textsize"
# About a second each on "Slow 3G" (400 kbit/s): 60 KB is 1.2 s.
EXAMPLE_BUDGET_BYTES = 60_000
# A function, not a string: the page's CSP forbids eval, which a string predicate would need.
PICTURES_LOADED = """() => {
  const pictures = [...document.querySelectorAll("img.picture")];
  return pictures.length > 0 && pictures.every((i) => i.complete && i.naturalWidth > 0);
}"""


@pytest.fixture
async def scripted() -> AsyncIterator[tuple[ScriptedChat, str]]:
    chat = ScriptedChat()
    async with serve(chat.app()) as url:
        yield chat, url


def png(path: Path) -> bytes:
    """Return a small real picture to send as a photo."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (180, 200, 230)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


async def root_font_px(page: Any) -> float:
    """Return the page's root font size in CSS px."""
    size = await page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    return float(size.removesuffix("px"))


async def check(page: Any, shots: Path, name: str, font_px: float) -> None:
    """Screenshot the page as it is and assert it reads well at this size."""
    await page.wait_for_timeout(150)  # pictures decoded, scrolling settled
    await page.screenshot(path=str(shots / f"{name}.png"))
    assert await root_font_px(page) == pytest.approx(font_px, abs=0.05), name
    assert await problems(page) == [], name


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("text_percent", [100, 130])
async def test_registration_reads_well_on_a_small_phone(
    scripted: tuple[ScriptedChat, str], browser: Any, tmp_path: Path, width: int, text_percent: int
) -> None:
    chat, url = scripted
    t = Catalog().text
    shots = shots_dir(tmp_path)
    tag = f"{width}px-{text_percent}pct"
    # html { font-size: 125% } of the default font: 16 px → 20 px; 21 px (130 %) → 26.25 px.
    font_px = 1.25 * round(16 * text_percent / 100)
    page, context = await open_phone(browser, url, width=width, text_percent=text_percent)
    errors = watch_errors(page)
    photo = tmp_path / "photo.png"
    png(photo)

    # Greeted on opening; no photo buttons before a photo step.
    await expect(page.locator(".choice")).to_have_count(4)
    await expect(page.locator("#photo-row")).to_be_hidden()
    await check(page, shots, f"{tag}-1-greeting", font_px)

    # The 13 kecamatan: a two-column grid, numbered, with a filter box.
    await page.locator(".choice").first.click()
    grid = page.locator(".choices.long").last
    await expect(grid.locator(".choice")).to_have_count(len(KECAMATAN))
    await expect(grid.get_by_role("searchbox")).to_be_visible()
    first, second = [await grid.locator(".choice").nth(i).bounding_box() for i in (0, 1)]
    assert first and second
    assert first["y"] == pytest.approx(second["y"], abs=1) and second["x"] > first["x"] + 40
    await expect(grid.locator(".choice").first).to_have_text(f"1. {next(iter(KECAMATAN))}")
    await check(page, shots, f"{tag}-2-kecamatan", font_px)

    # Karawaci's 16 kelurahan.
    await grid.get_by_role("button", name="Karawaci").click()
    grid = page.locator(".choices.long").last
    await expect(grid.locator(".choice")).to_have_count(len(kelurahan_of("Karawaci")))
    await check(page, shots, f"{tag}-3-kelurahan", font_px)

    # The KTP step: its example picture, the rear camera.
    await grid.locator(".choice").first.click()
    await expect(page.locator("#photo-row")).to_be_visible()
    await expect(page.locator("#camera")).to_have_attribute("capture", "environment")
    await page.wait_for_function(PICTURES_LOADED)
    await check(page, shots, f"{tag}-4-ktp", font_px)

    # The selfie step: the front camera.
    await page.set_input_files("#gallery", str(photo))
    await expect(page.locator("#camera")).to_have_attribute("capture", "user")
    await expect(page.locator("#photo-row")).to_be_visible()
    await page.wait_for_function(PICTURES_LOADED)
    await check(page, shots, f"{tag}-5-selfie", font_px)

    # Submitted: the reference whole on one line, the photo buttons gone.
    await page.set_input_files("#gallery", str(photo))
    await expect(page.locator("#log .ref")).to_have_text(REFERENCE)
    await expect(page.locator("#photo-row")).to_be_hidden()
    await check(page, shots, f"{tag}-6-submitted", font_px)

    # The largest A+ step still fits at 100 % system text.
    if text_percent == 100:
        while await page.locator("#text-bigger").is_enabled():
            await page.locator("#text-bigger").click()
        await check(page, shots, f"{tag}-7-largest-text", font_px * 1.3)
    assert [p.get("button") for p in chat.posts if "button" in p][:1] == ["register"]
    assert t("webchat-title") in await page.title()
    assert errors == []
    await context.close()


async def test_text_size_control_is_kept_on_this_device(
    scripted: tuple[ScriptedChat, str], browser: Any
) -> None:
    _, url = scripted
    page, _ = await open_phone(browser, url, width=360)
    errors = watch_errors(page)
    await expect(page.locator(".choice")).to_have_count(4)
    t = Catalog().text
    bigger = page.get_by_role("button", name=t("webchat-text-bigger"))
    smaller = page.get_by_role("button", name=t("webchat-text-smaller"))
    header_before = await page.locator("header").bounding_box()
    assert await root_font_px(page) == 20
    await bigger.click()
    await bigger.click()
    assert await root_font_px(page) == pytest.approx(26)
    assert await page.evaluate(f"() => localStorage.getItem('{SIZE_KEY}')") == "1.3"
    # The header keeps its size, so the control does not move under her finger.
    assert await page.locator("header").bounding_box() == header_before
    await page.reload()
    await expect(page.locator(".choice")).to_have_count(4)
    assert await root_font_px(page) == pytest.approx(26)
    for _ in range(5):
        if await smaller.is_enabled():
            await smaller.click()
    await expect(smaller).to_be_disabled()
    assert await root_font_px(page) == pytest.approx(17)
    # Junk in the stored size: the normal size.
    await page.evaluate(f"() => localStorage.setItem('{SIZE_KEY}', 'besar sekali')")
    await page.reload()
    await expect(page.locator(".choice")).to_have_count(4)
    assert await root_font_px(page) == 20
    assert errors == []


async def test_long_list_narrows_as_she_types_and_enter_picks_the_one_left(
    scripted: tuple[ScriptedChat, str], browser: Any
) -> None:
    chat, url = scripted
    page, _ = await open_phone(browser, url, width=360)
    errors = watch_errors(page)
    t = Catalog().text
    await page.locator(".choice").first.click()
    grid = page.locator(".choices.long")
    await expect(grid.locator(".choice")).to_have_count(13)
    search = grid.get_by_role("searchbox", name=t("webchat-filter-label"))
    await search.fill("kar")
    await expect(grid.locator(".choice:visible .label")).to_have_text(["Karang Tengah", "Karawaci"])
    await search.fill("KARANGTENGAH")  # case and spaces do not matter
    await expect(grid.locator(".choice:visible .label")).to_have_text(["Karang Tengah"])
    await search.fill("8")  # the number on the button
    await expect(grid.locator(".choice:visible")).to_have_text(["8. Karawaci"])
    await search.fill("zzz")
    await expect(grid.locator(".choice:visible")).to_have_count(0)
    await expect(grid.locator(".none")).to_have_text(t("webchat-filter-none"))
    await search.fill("cipon")
    await expect(grid.locator(".none")).to_be_hidden()
    await search.press("Enter")
    await expect(page.locator(".msg.me .text").last).to_have_text("Cipondoh")
    assert chat.posts[-1]["button"] == "kec:cipondoh"
    # Answered: the list shrinks to her choice, the filter is gone; the new list is live.
    old = page.locator(".choices.long").first
    await expect(old.locator(".choice:visible")).to_have_text(["5. Cipondoh"])
    await expect(old.get_by_role("searchbox")).to_be_hidden()
    await expect(page.locator(".choices.long").last.locator(".choice").first).to_be_enabled()
    # After a reload the answered list is left out; her answer below it says what she chose.
    await page.reload()
    await expect(page.locator(".choices.long:visible")).to_have_count(1)
    mine = await page.locator(".msg.me .text").all_inner_texts()
    assert len(mine) == 2 and t("btn-register").endswith(mine[0]) and mine[1] == "Cipondoh"
    assert errors == []


async def test_buttons_are_numbered_where_the_bot_says_to_type_the_number(
    scripted: tuple[ScriptedChat, str], browser: Any, tmp_path: Path
) -> None:
    chat, url = scripted
    page, _ = await open_phone(browser, url, width=360)
    errors = watch_errors(page)
    t = Catalog().text
    assert "ketik angkanya" in t("menu-greeting")
    menu = page.locator(".choices").first.locator(".choice")
    await expect(menu).to_have_count(4)
    labels = [t(k) for k in ("btn-register", "btn-status", "btn-faq", "btn-agent")]
    texts = await menu.all_inner_texts()
    assert [s.split(" ", 1)[0] for s in texts] == ["1.", "2.", "3.", "4."]
    # Her own bubble shows the label, not the number (an emoji the phone lacks left out).
    await menu.nth(0).click()
    await expect(page.locator(".msg.me .text")).to_have_count(1)
    assert labels[0].endswith(await page.locator(".msg.me .text").inner_text())
    await page.locator(".choices.long .choice").nth(7).click()  # Karawaci
    await expect(page.locator(".choices.long")).to_have_count(2)
    await page.locator(".choices.long").last.locator(".choice").first.click()
    await expect(page.locator(".msg.me")).to_have_count(3)
    # The KTP step's single button: no "ketik angkanya", a short list: no number.
    switch = page.locator(".choices").last.locator(".choice")
    await expect(switch).to_have_count(1)
    assert await switch.locator(".num").count() == 0
    assert t("btn-use-resi").endswith(await switch.inner_text())  # its emoji may be left out
    assert errors == []
    assert chat.posts[0]["button"] == "register"


async def test_photo_buttons_show_only_on_photo_steps_with_the_right_camera(
    scripted: tuple[ScriptedChat, str], browser: Any, tmp_path: Path
) -> None:
    _, url = scripted
    page, _ = await open_phone(browser, url, width=360)
    errors = watch_errors(page)
    photo = tmp_path / "photo.png"
    png(photo)
    row = page.locator("#photo-row")
    await expect(page.locator(".choice")).to_have_count(4)
    await expect(row).to_be_hidden()
    await page.locator(".choice").first.click()
    await expect(page.locator(".choices.long")).to_have_count(1)
    await expect(row).to_be_hidden()
    await page.locator(".choices.long .choice").first.click()
    await expect(page.locator(".choices.long")).to_have_count(2)
    await page.locator(".choices.long").last.locator(".choice").first.click()
    await expect(row).to_be_visible()
    await expect(page.locator("#camera")).to_have_attribute("capture", "environment")
    await expect(page.locator("#gallery")).not_to_have_attribute("capture", "user")
    # Switching to the receipt keeps the chat waiting for a photo of it.
    await page.locator(".choices").last.locator(".choice").first.click()
    await expect(page.locator(".msg.me")).to_have_count(4)
    await expect(row).to_be_visible()
    await page.set_input_files("#gallery", str(photo))
    await expect(page.locator("#camera")).to_have_attribute("capture", "user")
    # A reload in the middle of the selfie step: the history's last reply still asks for it.
    await page.reload()
    await expect(page.locator(".msg.me")).to_have_count(5)
    await expect(row).to_be_visible()
    await expect(page.locator("#camera")).to_have_attribute("capture", "user")
    # A typed question answered without a photo request hides them.
    await page.locator("#text").fill("apa itu selfie?")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.me")).to_have_count(6)
    await expect(row).to_be_hidden()
    await page.reload()
    await expect(page.locator(".msg.me")).to_have_count(6)
    await expect(row).to_be_hidden()
    assert errors == []


async def test_pictures_are_lazy_with_their_size_reserved(
    scripted: tuple[ScriptedChat, str], browser: Any
) -> None:
    _, url = scripted
    page, _ = await open_phone(browser, url, width=360)
    errors = watch_errors(page)

    # The server may say the size up front (image_width/height); the page then reserves it.
    async def sized(route: Any) -> None:
        response = await route.fetch()
        body = await response.json()
        for reply in body.get("replies", []):
            if reply.get("image_url"):
                reply |= {"image_width": 800, "image_height": 576}
        await route.fulfill(response=response, body=json.dumps(body))

    await expect(page.locator(".choice")).to_have_count(4)
    await page.locator(".choice").first.click()
    await page.locator(".choices.long .choice").first.click()
    await expect(page.locator(".choices.long")).to_have_count(2)
    await page.route("**/messages", sized)
    await page.locator(".choices.long").last.locator(".choice").first.click()
    picture = page.locator("img.picture")
    await expect(picture).to_have_count(1)
    assert await picture.get_attribute("loading") == "lazy"
    assert await picture.get_attribute("width") == "800"
    assert await picture.get_attribute("height") == "576"
    await page.unroute("**/messages")
    # Without a size from the server the picture's own size is set once it has loaded.
    await page.reload()
    await page.wait_for_function(PICTURES_LOADED)
    await expect(page.locator("img.picture")).to_have_attribute("width", "800")
    await expect(page.locator("img.picture")).to_have_attribute("height", "576")
    assert errors == []


def test_example_pictures_are_small_enough_for_slow_3g() -> None:
    pictures = sorted((STATIC / "examples").glob("*.jpg"))
    assert pictures
    sizes = {p.name: p.stat().st_size for p in pictures}
    assert all(size <= EXAMPLE_BUDGET_BYTES for size in sizes.values()), sizes


async def test_emoji_the_phone_cannot_draw_are_left_out_of_labels(
    scripted: tuple[ScriptedChat, str], browser: Any
) -> None:
    _, url = scripted
    page, _ = await open_phone(browser, url, width=360)
    errors = watch_errors(page)
    # U+1FC00 is in the range kept for future emoji: no font anywhere can draw it yet, like 🪪
    # (Unicode 14) on Android 7. U+2714 ✔ is drawn by the common fonts (DejaVu, Roboto).
    future = "\U0001fc00"

    async def with_emoji(route: Any) -> None:
        response = await route.fetch()
        body = await response.json()
        body["replies"][-1]["buttons"] = [
            {"id": "a", "label": f"{future} Pakai KTP-el"},
            {"id": "b", "label": "\u2714 Setuju"},
            {"id": "c", "label": future},
        ]
        body["replies"][-1]["text"] = f"Tekan tombol kamera {future}, lalu kirim."
        await route.fulfill(response=response, body=json.dumps(body))

    await expect(page.locator(".choice")).to_have_count(4)
    await page.route("**/messages", with_emoji)
    await page.locator(".choice").first.click()
    labels = page.locator(".choices").last.locator(".label")
    await expect(labels).to_have_text(["Pakai KTP-el", "\u2714 Setuju", future])
    said = page.locator(".msg.bot .text").last
    await expect(said).to_have_text("Tekan tombol kamera, lalu kirim.")
    assert errors == []
