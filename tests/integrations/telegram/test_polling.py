"""Long polling against the stand-in: order per chat, retries, offsets, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot
from aiogram.utils.backoff import BackoffConfig

from integrations.telegram.receiver import Poller, UpdateHandler
from tests.integrations.telegram.conftest import FakeCore
from tests.standins.telegram_api import TelegramStandin

FAST = BackoffConfig(min_delay=0.05, max_delay=0.2, factor=2.0, jitter=0.0)
ALICE, BUDI = 1001, 1002

RunPoller = Callable[..., Poller]


@pytest.fixture
async def run_poller(bot: Bot, core: FakeCore) -> AsyncIterator[RunPoller]:
    """Start pollers in the background; stop them when the test ends."""
    tasks: list[asyncio.Task[None]] = []

    def start(**options: object) -> Poller:
        poller = Poller(UpdateHandler(bot, core.handle_inbound), timeout=1, backoff=FAST, **options)  # type: ignore[arg-type]
        tasks.append(asyncio.create_task(poller.run()))
        return poller

    yield start
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_each_chat_in_order_different_chats_concurrently(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    core.delay = 0.05
    for n in range(5):
        standin.push_text(ALICE, f"alice {n}")
        standin.push_text(BUDI, f"budi {n}")
    run_poller()
    await core.wait_for(10)
    assert core.texts(ALICE) == [f"alice {n}" for n in range(5)]
    assert core.texts(BUDI) == [f"budi {n}" for n in range(5)]
    assert core.max_active == 2  # two chats at once, never two messages of one chat


async def test_updates_out_of_order_in_a_batch_are_handled_by_update_id(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    second = standin.text_update(ALICE, "kedua")
    first = standin.text_update(ALICE, "pertama")
    first["update_id"], second["update_id"] = 500, 501
    standin.push_update(second)
    standin.push_update(first)
    run_poller()
    await core.wait_for(2)
    assert core.texts(ALICE) == ["pertama", "kedua"]


async def test_duplicate_update_ids_are_passed_to_the_core(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    raw = standin.text_update(ALICE, "1234567890123456")
    standin.push_update(raw)
    standin.push_update(dict(raw))
    run_poller()
    await core.wait_for(2)
    assert [i.message_id for i in core.inbounds] == [f"u{raw['update_id']}"] * 2


async def test_a_failed_update_is_fetched_again_and_keeps_its_chat_in_order(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    a1 = standin.push_text(ALICE, "a1")
    standin.push_text(BUDI, "b1")
    standin.push_text(ALICE, "a2")
    core.fail_ids.add(f"u{a1}")
    run_poller()
    await core.wait_for(1)
    await standin.wait_for_call("getUpdates", 3)  # a1 fetched again, still failing
    assert core.texts(ALICE) == []
    core.fail_ids.clear()
    await core.wait_for(3)
    assert core.texts(ALICE) == ["a1", "a2"]
    assert core.texts(BUDI) == ["b1"]  # not handled twice although fetched again
    await standin.wait_for_idle()


async def test_an_update_failing_every_attempt_is_skipped(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    poison = standin.push_text(ALICE, "racun")
    standin.push_text(ALICE, "berikutnya")
    core.fail_ids.add(f"u{poison}")
    run_poller(give_up_after=0.2)
    await core.wait_for(1)
    assert core.texts(ALICE) == ["berikutnya"]
    await standin.wait_for_idle()


async def test_network_errors_and_429_on_getupdates_back_off_and_recover(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    standin.fail_next("getUpdates", 502, times=2)
    standin.fail_next("getUpdates", 429, retry_after=1)
    standin.push_text(ALICE, "halo")
    run_poller()
    await core.wait_for(1)
    statuses = [call.status for call in standin.calls_of("getUpdates")]
    assert statuses[:4] == [502, 502, 429, 200]


async def test_unparseable_update_does_not_stall_polling(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    standin.push_update({"update_id": standin.next_update_id(), "message": {"chat": "?"}})
    standin.push_text(ALICE, "halo")
    run_poller()
    await core.wait_for(1)
    await standin.wait_for_idle()
    assert core.texts(ALICE) == ["halo"]


async def test_long_poll_waits_for_new_updates(
    standin: TelegramStandin, core: FakeCore, run_poller: RunPoller
) -> None:
    run_poller()
    await standin.wait_for_call("getUpdates")
    await asyncio.sleep(0.2)
    standin.push_text(ALICE, "baru")
    await core.wait_for(1, seconds=2)
    assert core.texts(ALICE) == ["baru"]


async def test_shutdown_confirms_what_was_handled(
    standin: TelegramStandin, bot: Bot, core: FakeCore
) -> None:
    last = standin.push_text(ALICE, "halo")
    poller = Poller(UpdateHandler(bot, core.handle_inbound), timeout=1, backoff=FAST)
    task = asyncio.create_task(poller.run())
    await core.wait_for(1)
    await asyncio.sleep(0.05)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert standin.calls_of("getUpdates")[-1].params["offset"] == str(last + 1)
    assert standin.queue == []
