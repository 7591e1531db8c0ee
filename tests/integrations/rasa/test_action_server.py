"""The action server over HTTP: rasa-sdk's endpoint on 127.0.0.1, called as Rasa calls it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.core import Core
from bot.domain.chat_mode import ChatMode
from integrations.rasa.server import ActionServer, start_action_server
from tests.conftest import migrated_core
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, stored, walk_to_ktp_step

DOMAIN = {
    "version": "3.1", "intents": ["cek_status", "tanya", "daftar", "petugas"],
    "entities": ["reference", "nik_akhir"],
    "slots": {"reference": {"type": "text", "mappings": [{"type": "from_entity",
                                                         "entity": "reference"}]}},
    "responses": {}, "actions": ["action_check_registration_status"], "forms": {},
}  # fmt: skip


@pytest.fixture
async def served(
    settings_factory: Any, database_url: str
) -> AsyncIterator[tuple[Core, ActionServer]]:
    core = await migrated_core(settings_factory(
        database_url=database_url, public_url="https://asisten.example.go.id",
        helpdesk_phone="021-5555-1234",
    ))  # fmt: skip
    server = await start_action_server(core, "127.0.0.1", 0)
    yield core, server
    await server.close()
    await core.db.dispose()


def call(action: str, sender: str, text: str = "", **tracker: Any) -> dict[str, Any]:
    """Return the body Rasa Open Source 3.6 posts to the action endpoint."""
    latest = {"intent": {"name": "cek_status", "confidence": 0.93}, "entities": [],
              "text": text, "message_id": "2f1c0e6b9d", "metadata": {},
              "intent_ranking": [{"name": "cek_status", "confidence": 0.93}]}  # fmt: skip
    latest.update(tracker.pop("latest", {}))
    return {
        "next_action": action, "sender_id": sender, "version": "3.6.20", "domain": DOMAIN,
        "tracker": {
            "sender_id": sender, "slots": tracker.pop("slots", {}), "latest_message": latest,
            "latest_event_time": 1733400000.0, "followup_action": None, "paused": False,
            "events": [{"event": "action", "timestamp": 1733399999.0, "name": "action_listen"},
                       {"event": "user", "timestamp": 1733400000.0, "text": text,
                        "parse_data": latest}],
            "latest_input_channel": "rest", "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }  # fmt: skip


async def post(server: ActionServer, body: dict[str, Any]) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.post(
        f"http://127.0.0.1:{server.port}/webhook", json=body
    ) as resp:
        return resp.status, await resp.json()


async def test_the_four_actions_answer_over_http(served: tuple[Core, ActionServer]) -> None:
    core, server = served
    chat = ChatDriver(core, channel=core.settings.rasa_sender_channel, chat_id="4471")
    await walk_to_ktp_step(chat)
    reference = (await stored(core)).reference

    status, body = await post(server, call("action_check_registration_status", "4471"))
    assert status == 200
    assert [r["text"] for r in body["responses"]] == [
        core.catalog.text("status-draft", reference=reference)
    ]
    status, body = await post(server, call(
        "action_check_registration_status", "someone-else",
        slots={"reference": reference, "nik_akhir": NIK[-4:]},
    ))  # fmt: skip
    assert status == 200 and reference in body["responses"][0]["text"]
    assert {"event": "slot", "name": "nik_akhir", "value": None} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in body["events"]
    ]

    selector = {"faq": {"response": {"intent_response_key": "faq/biaya"}}}
    # The matcher alone would answer "syarat-dokumen": the entry Rasa named wins.
    status, body = await post(server, call(
        "action_answer_faq", "4471", "syaratnya apa aja", latest={"response_selector": selector}
    ))  # fmt: skip
    entry = core.services.faq.entry("biaya")
    assert status == 200 and entry is not None
    assert body["responses"][0]["text"] == entry.answer

    status, body = await post(server, call("action_start_registration", "4471"))
    assert status == 200 and "https://asisten.example.go.id/chat" in body["responses"][0]["text"]

    status, body = await post(server, call("action_handoff_to_agent", "9000"))
    assert status == 200 and "021-5555-1234" in "\n".join(r["text"] for r in body["responses"])
    async with core.uow() as uow:
        conv = await uow.conversations.find(core.settings.rasa_sender_channel, "9000")
        assert conv is not None and conv.mode == ChatMode.QUEUED


async def test_the_endpoint_lists_its_actions_and_refuses_what_it_cannot_run(
    served: tuple[Core, ActionServer],
) -> None:
    _, server = served
    base = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/actions") as resp:
            names = {a["name"] for a in await resp.json()}
        assert names == {"action_check_registration_status", "action_answer_faq",
                         "action_start_registration", "action_handoff_to_agent"}  # fmt: skip
        async with session.get(f"{base}/health") as resp:
            assert resp.status == 200
    status, body = await post(server, call("action_order_pizza", "1"))
    assert status == 404 and body["action_name"] == "action_order_pizza"
    no_domain = call("action_start_registration", "1")
    del no_domain["domain"]
    status, _ = await post(server, no_domain)
    # Without a domain yet, rasa-sdk asks Rasa to send it (449), as any action server does.
    assert status == 449


async def test_a_second_server_in_the_same_process_starts_after_the_first_stops(
    served: tuple[Core, ActionServer],
) -> None:
    core, first = served
    await first.close()
    second = await start_action_server(core, "127.0.0.1", 0)
    try:
        status, _ = await post(second, call("action_start_registration", "1"))
        assert status == 200
    finally:
        await second.close()
