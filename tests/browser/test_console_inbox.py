"""The agent's inbox in headless Chromium: an opt-in alert when a citizen starts waiting, the
last words in the queue, and the reply box in view under a long history."""

from __future__ import annotations

from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.core import Core
from tests.browser.kit import launch_browser, watch_errors
from tests.browser.phone import shots_dir
from tests.console.support import PASSWORD, add_user
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

BOXES = """() => [window.innerHeight, window.scrollY,
  JSON.stringify(document.getElementById("composer").getBoundingClientRect())]"""
COMPOSER_IN_VIEW = """() => {
  const box = document.getElementById("composer").getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


async def test_an_agent_is_alerted_when_a_citizen_starts_waiting_and_replies_in_view(
    core: Core,
) -> None:
    await add_user(core, "siti", "agent")
    async with (
        TestServer(build_app(core.settings, core=core), host="127.0.0.1") as server,
        launch_browser() as browser,
    ):
        base = str(server.make_url("")).rstrip("/")
        context = await browser.new_context(viewport={"width": 1366, "height": 768})
        await context.grant_permissions(["notifications"], origin=base)
        agent = await context.new_page()
        errors = watch_errors(agent)
        await agent.goto(f"{base}/console/login")
        await agent.fill("#username", "siti")
        await agent.fill("#password", PASSWORD)
        await agent.press("#password", "Enter")
        await agent.wait_for_url(f"{base}/console/")
        await agent.goto(f"{base}/console/chats")
        await agent.wait_for_selector("#live[data-state='live']")
        await agent.check("#queue-alert")  # her click also lets the page make a sound
        sounded = await agent.evaluate("window.tliveAlerts || 0")

        citizen = ChatDriver(core, channel="telegram", display_name="Bu Aminah")
        await citizen.say("halo")
        await citizen.say("sy mau ngomong sama orang aja")
        row = agent.locator("#queue-rows tr[data-mode='queued']")
        await row.wait_for()
        assert "Bu Aminah" in (await row.text_content() or "")
        await agent.wait_for_function(f"() => (window.tliveAlerts || 0) > {sounded}")
        await agent.screenshot(path=str(shots_dir(core.settings.data_dir) / "console-queue.png"))
        # The choice is kept on this device.
        await agent.reload()
        assert await agent.is_checked("#queue-alert")

        await row.get_by_role("button", name="Ambil chat").click()
        await agent.wait_for_url(f"{base}/console/chats/*")
        for n in range(40):
            await citizen.say(
                f"pesan ke-{n} dari warga yang panjang sekali supaya riwayatnya penuh"
            )
        conv = await conversation(core, citizen)
        await agent.goto(f"{base}/console/chats/{conv.id}")
        await agent.wait_for_selector("#composer:not([hidden])")
        assert await agent.evaluate(COMPOSER_IN_VIEW), await agent.evaluate(BOXES)
        await agent.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        await agent.wait_for_function("() => window.scrollY > 0")
        assert await agent.evaluate(COMPOSER_IN_VIEW), await agent.evaluate(BOXES)
        await agent.screenshot(path=str(shots_dir(core.settings.data_dir) / "console-inbox.png"))
        assert errors == []
