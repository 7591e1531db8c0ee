"""The web chat speaks: a play button on every bot bubble with ``audio_url``, and replies marked
``voice: true`` played by themselves when the browser allows it (else their button asks for a
tap). The API is the scripted stand-in; the sound is real OGG/Opus made here with espeak-ng and
opusenc, and the browser must decode it.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from typing import Any

import pytest
from playwright.async_api import expect

from bot.engine.messages import Reply
from bot.i18n import Catalog

from .kit import launch_browser, serve, watch_errors
from .phone import open_phone
from .scripted_chat import ScriptedChat

pytestmark = pytest.mark.browser

PLAYER_STATE = """() => {
  const p = document.getElementById("player");
  return { src: p.currentSrc, paused: p.paused, duration: p.duration, time: p.currentTime,
           preload: p.preload, error: p.error && p.error.code };
}"""
PLAYING = "() => !document.getElementById('player').paused"
NEAR_THE_END = (
    "() => { const p = document.getElementById('player'); p.currentTime = p.duration - 0.2; }"
)


@pytest.fixture(scope="module")
def ogg(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A short Indonesian sentence as OGG/Opus, made as the voice feature makes it."""
    if not (shutil.which("espeak-ng") and shutil.which("opusenc")):
        pytest.skip("espeak-ng and opusenc are needed: apt-get install espeak-ng opus-tools")
    folder = tmp_path_factory.mktemp("voice")
    wav, out = folder / "pesan.wav", folder / "pesan.ogg"
    sentence = "Langkah lima dari delapan. Bapak atau Ibu tinggal di kecamatan mana?"
    subprocess.run(["espeak-ng", "-v", "id", "-w", str(wav), sentence], check=True, timeout=60)
    subprocess.run(["opusenc", "--quiet", str(wav), str(out)], check=True, timeout=60)
    data = out.read_bytes()
    assert data[:4] == b"OggS" and b"OpusHead" in data[:100]
    return data


async def test_a_bubble_with_sound_plays_it_when_its_button_is_tapped(
    ogg: bytes, browser: Any
) -> None:
    t = Catalog().text
    chat = ScriptedChat(voice=True, audio=ogg)
    async with serve(chat.app()) as url:
        page, _ = await open_phone(browser, url, width=360)
        errors = watch_errors(page)
        listen = page.locator(".msg.bot .listen")
        await expect(listen).to_have_count(1)
        await expect(listen).to_have_accessible_name(t("webchat-listen"))
        # Nothing is fetched or played before a tap: the history is never read aloud again.
        await page.wait_for_timeout(500)
        state = await page.evaluate(PLAYER_STATE)
        assert state["paused"] and state["preload"] == "none" and chat.audio_requests == []
        await listen.click()
        await page.wait_for_function(PLAYING)
        await expect(listen).to_have_accessible_name(t("webchat-listen-stop"))
        await expect(listen).to_have_class("listen playing")
        state = await page.evaluate(PLAYER_STATE)
        assert state["src"].endswith("/audio/1.ogg") and state["error"] is None
        assert state["duration"] > 2  # the browser decoded the OGG/Opus: a real sentence
        assert chat.audio_requests == ["1.ogg"]
        # A second tap stops it.
        await listen.click()
        await expect(listen).to_have_accessible_name(t("webchat-listen"))
        assert (await page.evaluate(PLAYER_STATE))["paused"]
        # Played to the end, the button is back to "listen".
        await listen.click()
        await page.wait_for_function(PLAYING)
        await page.wait_for_function("() => isFinite(document.getElementById('player').duration)")
        await page.evaluate(NEAR_THE_END)
        await expect(listen).to_have_class("listen", timeout=5_000)
        await expect(listen).to_have_accessible_name(t("webchat-listen"))
        assert errors == []


async def test_a_voice_reply_plays_by_itself_after_she_taps_a_button(
    ogg: bytes, browser: Any
) -> None:
    chat = ScriptedChat(voice=True, audio=ogg)
    async with serve(chat.app()) as url:
        page, _ = await open_phone(browser, url, width=360)
        errors = watch_errors(page)
        await page.locator(".choice").first.click()
        answer = page.locator(".msg.bot").nth(1)
        await expect(answer.locator(".listen")).to_have_class("listen playing")
        await page.wait_for_function(PLAYING)
        state = await page.evaluate(PLAYER_STATE)
        assert state["src"].endswith("/audio/3.ogg"), state  # 1 greeting, 2 her tap, 3 reply
        assert chat.audio_requests == ["3.ogg"]
        # After a reload the history is silent; its play buttons stay.
        await page.reload()
        await expect(page.locator(".msg.bot .listen")).to_have_count(2)
        await page.wait_for_timeout(500)
        assert (await page.evaluate(PLAYER_STATE))["paused"]
        assert chat.audio_requests == ["3.ogg"]
        assert errors == []


async def test_a_voice_reply_the_browser_will_not_start_asks_for_a_tap(ogg: bytes) -> None:
    # Chrome's rule for sites the person has not used before: sound only after a tap.
    chat = ScriptedChat(audio=ogg)
    chat.later.append(Reply("Halo, saya petugas Budi.", extra={"voice": True}))
    policy = "--autoplay-policy=document-user-activation-required"
    async with serve(chat.app()) as url, launch_browser(extra_args=[policy]) as browser:
        page, _ = await open_phone(browser, url, width=360)
        errors = watch_errors(page)
        # No tap on the page: an agent's voiced message arrives by polling. Wait on the
        # server's side: Playwright's own queries into the page count as a user's tap.
        for _ in range(150):
            if not chat.later:
                break
            await asyncio.sleep(0.1)
        assert not chat.later, "the page never polled"
        await asyncio.sleep(1.0)
        listen = page.locator(".msg.bot .listen")
        await expect(listen).to_have_count(1)
        await expect(listen).to_have_class("listen attention")
        assert (await page.evaluate(PLAYER_STATE))["paused"]
        await listen.click()  # her tap plays it
        await page.wait_for_function(PLAYING)
        await expect(listen).to_have_class("listen playing")
        assert errors == []


async def test_a_sound_that_cannot_be_played_says_so_and_leaves_the_text(
    browser: Any,
) -> None:
    t = Catalog().text
    chat = ScriptedChat(voice=True, audio=b"not audio at all")
    async with serve(chat.app()) as url:
        page, _ = await open_phone(browser, url, width=360)
        await page.locator(".msg.bot .listen").click()
        await expect(page.locator("#status-text")).to_have_text(t("webchat-listen-failed"))
        listen = page.locator(".msg.bot .listen")
        await expect(listen).to_have_accessible_name(t("webchat-listen"))
        await expect(page.locator(".choice").first).to_be_enabled()  # the chat goes on
        await expect(page.locator("#status")).to_be_hidden(timeout=10_000)
