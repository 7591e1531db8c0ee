"""``tlive-bot rasa-actions`` as a city runs it: its own process, the service's settings."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.integrations.rasa.test_action_server import call
from tests.support.service import ROOT, Service, free_port

SENDER = "warga-qpx9z"


async def test_the_command_serves_the_actions_and_stops_cleanly_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    service = Service({"TLIVE_DATABASE_URL": database_url, "TLIVE_SECRET_KEY": "k" * 40,
                       "TLIVE_HELPDESK_PHONE": "021-5555-1234"}, tmp_path / "data")  # fmt: skip
    service.data_dir.mkdir(parents=True)
    done = await asyncio.to_thread(service.cli, "migrate")
    assert done.returncode == 0, done.stderr
    port = free_port()
    log = (tmp_path / "actions.log").open("wb")
    process = subprocess.Popen(  # noqa: ASYNC220 - returns at once; waiting is async
        [sys.executable, "-m", "bot.cli", "rasa-actions", "--port", str(port)],
        env=service.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            deadline = time.monotonic() + 90
            while True:
                assert process.poll() is None, (tmp_path / "actions.log").read_text()
                try:
                    async with http.get(f"{base}/health") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                assert time.monotonic() < deadline, "the action server did not start"
                await asyncio.sleep(0.3)
            async with http.post(f"{base}/webhook",
                                 json=call("action_handoff_to_agent", SENDER)) as resp:  # fmt: skip
                assert resp.status == 200
                texts = [r["text"] for r in (await resp.json())["responses"]]
        assert "petugas" in texts[0] and "021-5555-1234" in "\n".join(texts)
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 30)
        log.close()
    assert code == 0, (tmp_path / "actions.log").read_text()
    assert SENDER not in (tmp_path / "actions.log").read_text()  # no chat id in a log line
