"""``tlive-bot rasa-actions`` as a city runs it: its own process, the service's settings."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.integrations.rasa.test_action_server import call
from tests.support.service import Service

SENDER = "warga-qpx9z"


async def test_the_command_serves_the_actions_and_stops_cleanly_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    service = Service({"TLIVE_DATABASE_URL": database_url, "TLIVE_SECRET_KEY": "k" * 40,
                       "TLIVE_HELPDESK_PHONE": "021-5555-1234"}, tmp_path / "data",
                      ("-m", "bot.cli", "rasa-actions"))  # fmt: skip
    service.command += ["--port", str(service.port)]
    service.ready_path = "/health"
    await service.start()  # migrates first, as a city does
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{service.url}/webhook", json=call("action_handoff_to_agent", SENDER)
            ) as resp,
        ):
            assert resp.status == 200
            texts = [r["text"] for r in (await resp.json())["responses"]]
        assert "petugas" in texts[0] and "021-5555-1234" in "\n".join(texts)
    finally:
        code = await service.stop()  # SIGTERM
    assert code == 0, service.log()
    assert SENDER not in service.log()  # no chat id in a log line
