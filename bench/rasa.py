"""Benchmark: what Rasa costs a citizen's free-text turn, and what a slow or dead Rasa costs.

Times whole turns (free text outside any flow, through the real engine on SQLite) with: no
Rasa; a stand-in Rasa answering at once; one that never answers (the time bound applies); one
answering HTTP 500 (the breaker opens after TLIVE_RASA_BREAKER_FAILURES). And the action
server's ``POST /webhook`` round trip for each of the four actions.

    .venv/bin/python bench/rasa.py [--turns 40] [--timeout-ms 800]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import load_settings
from bot.core import Core
from integrations.rasa.server import start_action_server
from tests.conftest import migrated_core
from tests.integrations.rasa.standin import Mode, RasaStandIn, intent, rasa_server
from tests.integrations.rasa.test_action_server import call
from tests.support.chat import ChatDriver

TEXTS = ["yg tadi itu aja deh", "hmm entahlah", "soal itu gimana ya kak", "pengen nanya dikit"]
ANSWERS = {"yg tadi itu aja deh": intent("bantuan", 0.93)}


async def _core(data: Path, name: str, rasa_url: str | None, timeout_ms: int) -> Core:
    settings = load_settings(
        data_dir=data / name, secret_key="bench-" + "x" * 40, face_comparison=False,
        database_url=f"sqlite+aiosqlite:///{data / name}.db", rasa_url=rasa_url,
        rasa_timeout_ms=timeout_ms,
    )  # fmt: skip
    return await migrated_core(settings)


async def _turns(core: Core, turns: int) -> list[float]:
    chat = ChatDriver(core)
    await chat.say("menu")  # the chat exists: first-contact work is not measured
    times = []
    for i in range(turns):
        started = time.perf_counter()
        await chat.say(TEXTS[i % len(TEXTS)])
        times.append(time.perf_counter() - started)
        await chat.say("menu")
    return times


def _row(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{label:<44} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {ms[-1]:7.1f} ms")  # fmt: skip


async def main(turns: int, timeout_ms: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        for mode, label in ((Mode.GOOD, "Rasa answering at once"),
                            (Mode.SLOW, f"Rasa never answering ({timeout_ms} ms bound)"),
                            (Mode.FAILING, "Rasa failing (HTTP 500, breaker opens)")):  # fmt: skip
            async with rasa_server(RasaStandIn(ANSWERS, mode)) as rasa:
                core = await _core(data, mode.value, rasa.url, timeout_ms)
                times = await _turns(core, turns)
                _row(label, times)
                print(f"{'':<44} Rasa called {rasa.calls} times for {turns} turns")
                await core.services.intents.close()  # type: ignore[union-attr]
                await core.db.dispose()
        core = await _core(data, "none", None, timeout_ms)
        _row("no Rasa (built-in matcher only)", await _turns(core, turns))
        await core.db.dispose()
        core = await _core(data, "actions", None, timeout_ms)
        server = await start_action_server(core, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.port}/webhook"
        async with aiohttp.ClientSession() as session:
            for action in ("action_check_registration_status", "action_answer_faq",
                           "action_start_registration", "action_handoff_to_agent"):  # fmt: skip
                times: list[float] = []
                for i in range(turns):
                    body: dict[str, Any] = call(action, f"bench-{i}", "daftarnya bayar gak")
                    started = time.perf_counter()
                    async with session.post(url, json=body) as resp:
                        assert resp.status == 200, await resp.text()
                        await resp.read()
                    times.append(time.perf_counter() - started)
                _row(f"POST /webhook {action}", times)
        await server.close()
        await core.db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--timeout-ms", type=int, default=800)
    args = parser.parse_args()
    asyncio.run(main(args.turns, args.timeout_ms))
