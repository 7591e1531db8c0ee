"""The Rasa action server's four actions, with rasa-sdk's CollectingDispatcher and Tracker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from bot.core import Core, build_core
from bot.domain.chat_mode import ChatMode
from integrations.rasa.server import build_executor
from tests.conftest import migrated_core
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, stored, walk_to_ktp_step

ACTIONS = {"action_check_registration_status", "action_answer_faq", "action_start_registration",
           "action_handoff_to_agent"}  # fmt: skip


@pytest.fixture
async def make_core(settings_factory: Any, database_url: str) -> AsyncIterator[Any]:
    built: list[Core] = []

    async def make(**overrides: Any) -> Core:
        core = await migrated_core(settings_factory(database_url=database_url, **overrides))
        built.append(core)
        return core

    yield make
    for core in built:
        await core.db.dispose()


def tracker(
    sender: str, text: str = "", slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None, **message: Any,
) -> Tracker:  # fmt: skip
    """Return a tracker as Rasa sends it: the sender, its slots and the latest message."""
    latest = {"text": text, "intent": {"name": "x", "confidence": 0.9},
              "entities": entities or [], "message_id": "m-" + sender, **message}  # fmt: skip
    return Tracker(sender, slots or {}, latest, [], False, None, {}, "action_listen")


async def run(executor: ActionExecutor, name: str, tr: Tracker) -> tuple[list[str], list[Any]]:
    """Run one action as the executor does; return what it said and the events."""
    dispatcher = CollectingDispatcher()
    events = await executor.actions[name](dispatcher, tr, {})
    return [m["text"] for m in dispatcher.messages], events


async def registered_draft(core: Core, sender: str) -> str:
    """Register up to the KTP photo from the Rasa sender's chat; return the reference."""
    chat = ChatDriver(core, channel=core.settings.rasa_sender_channel, chat_id=sender)
    await walk_to_ktp_step(chat)
    return (await stored(core)).reference


async def test_the_executor_serves_the_four_actions(make_core: Any) -> None:
    executor = build_executor(await make_core())
    assert {a.name for a in executor.list_actions()} == ACTIONS


async def test_status_for_the_sender_whose_chat_registered(make_core: Any) -> None:
    core = await make_core()
    reference = await registered_draft(core, "sender-owner")
    executor = build_executor(core)
    said, _ = await run(executor, "action_check_registration_status", tracker("sender-owner"))
    assert said == [core.catalog.text("status-draft", reference=reference)]
    # Her own reference, typed in any case, picks the same request.
    own = tracker("sender-owner", slots={"reference": reference.lower()})
    said, _ = await run(executor, "action_check_registration_status", own)
    assert said == [core.catalog.text("status-draft", reference=reference)]


async def test_a_reference_alone_tells_a_stranger_nothing(make_core: Any) -> None:
    core = await make_core()
    reference = await registered_draft(core, "sender-owner")
    executor = build_executor(core)
    said, _ = await run(executor, "action_check_registration_status", tracker(
        "sender-stranger", entities=[{"entity": "reference", "value": reference}]))  # fmt: skip
    assert said == [core.catalog.text("rasa-status-need-proof", reference=reference)]
    said, _ = await run(executor, "action_check_registration_status", tracker("sender-stranger"))
    assert said == [core.catalog.text("rasa-status-need-reference")]


async def test_the_reference_with_the_nik_ending_proves_it_and_wrong_guesses_are_limited(
    make_core: Any,
) -> None:
    core = await make_core()
    reference = await registered_draft(core, "sender-owner")
    executor = build_executor(core)
    name = "action_check_registration_status"
    right = {"reference": reference, "nik_akhir": NIK[-4:]}
    said, events = await run(executor, name, tracker("sender-other", slots=right))
    assert said == [core.catalog.text("status-draft", reference=reference)]
    assert events == [SlotSet("nik_akhir", None)]  # the proof is not kept in Rasa's tracker
    not_found = [core.catalog.text("rasa-status-not-found")]
    wrong = {"reference": reference, "nik_akhir": "9999"}
    nobody = {"reference": "TL-ZZZZZZ", "nik_akhir": NIK[-4:]}
    # A wrong pair and an unknown reference get the same answer: no oracle for references.
    assert (await run(executor, name, tracker("s", slots=nobody)))[0] == not_found
    # Counted in the database: another action server process (its own executor) shares it.
    other_process = build_executor(core)
    for guessing in (executor, executor, executor, other_process, other_process):
        assert (await run(guessing, name, tracker("s", slots=wrong)))[0] == not_found
    said, _ = await run(executor, name, tracker("s", slots=right))
    assert said == [core.catalog.text("rasa-status-too-many")]
    # Per reference: another one is still answered.
    assert (await run(other_process, name, tracker("s", slots=nobody)))[0] == not_found


async def test_faq_answers_the_named_entry_or_the_matcher_and_offers_the_helpdesk_when_unsure(
    make_core: Any,
) -> None:
    core = await make_core(helpdesk_phone="021-5555-1234")
    executor = build_executor(core)
    selector = {"faq": {"response": {"intent_response_key": "faq/biaya", "confidence": 0.9}}}
    # The matcher alone would answer "syarat-dokumen": the entry Rasa named wins.
    said, _ = await run(executor, "action_answer_faq",
                        tracker("s1", "syaratnya apa aja", response_selector=selector))  # fmt: skip
    entry = core.services.faq.entry("biaya")
    assert entry is not None and said == [entry.answer]
    said, _ = await run(executor, "action_answer_faq", tracker("s1", "qwzx plorb vrrn"))
    assert said[0] == core.catalog.text("rasa-faq-unsure")
    assert "021-5555-1234" in said[1]
    async with core.uow() as uow:
        assert await uow.faq.count_unanswered() == 1


async def test_start_registration_gives_the_configured_ways(make_core: Any) -> None:
    core = await make_core(public_url="https://asisten.tangerangkota.go.id",
                           telegram_bot_username="TangerangLiveBot",
                           whatsapp_number="+6281100001111")  # fmt: skip
    said, _ = await run(build_executor(core), "action_start_registration", tracker("s1"))
    text = said[0]
    assert "https://asisten.tangerangkota.go.id/chat" in text
    assert "https://t.me/TangerangLiveBot" in text and "https://wa.me/6281100001111" in text
    bare = await make_core(helpdesk_whatsapp="0811-222-333")
    said, _ = await run(build_executor(bare), "action_start_registration", tracker("s1"))
    assert core.catalog.text("rasa-register-none") in said[0] and "0811-222-333" in said[0]


async def test_handoff_queues_the_senders_chat_for_an_agent(make_core: Any) -> None:
    core = await make_core(helpdesk_phone="021-5555-1234")
    executor = build_executor(core)
    said, _ = await run(executor, "action_handoff_to_agent", tracker("sender-help"))
    assert "petugas" in said[0] and "021-5555-1234" in "\n".join(said)
    async with core.uow() as uow:
        conv = await uow.conversations.find(core.settings.rasa_sender_channel, "sender-help")
        assert conv is not None and conv.mode == ChatMode.QUEUED
        assert await uow.helpdesk.queue_position(conv.queued_at) == 1  # type: ignore[arg-type]


async def test_handoff_without_a_sender_or_a_database_says_how_to_reach_the_helpdesk(
    make_core: Any, settings_factory: Any
) -> None:
    core = await make_core(helpdesk_whatsapp="0811-222-333")
    unavailable = core.catalog.text("rasa-handoff-unavailable")
    said, _ = await run(build_executor(core), "action_handoff_to_agent", tracker(""))
    assert said[0] == unavailable and "0811-222-333" in said[1]
    broken = build_core(settings_factory(
        helpdesk_whatsapp="0811-222-333", database_url="sqlite+aiosqlite:////nonexistent/d/x.db"
    ), ocr=False)  # fmt: skip
    said, _ = await run(build_executor(broken), "action_handoff_to_agent", tracker("s9"))
    assert said[0] == unavailable and "0811-222-333" in said[1]
    await broken.db.dispose()


async def test_status_and_faq_during_a_database_outage_say_how_to_reach_the_helpdesk(
    make_core: Any, settings_factory: Any
) -> None:
    core = await make_core()
    await core.db.dispose()
    broken = build_core(settings_factory(
        helpdesk_phone="021-5555-1234", database_url="sqlite+aiosqlite:////nonexistent/d/x.db"
    ), ocr=False)  # fmt: skip
    executor = build_executor(broken)
    proof = {"reference": "TL-7KQ4M9", "nik_akhir": "0001"}
    name = "action_check_registration_status"
    said, events = await run(executor, name, tracker("s1", slots=proof))
    assert said[0] == broken.catalog.text("rasa-unavailable") and "021-5555-1234" in said[1]
    assert events == [SlotSet("nik_akhir", None)]
    said, _ = await run(executor, "action_answer_faq", tracker("s1", "qwzx plorb vrrn"))
    assert said[0] == broken.catalog.text("rasa-unavailable")
    await broken.db.dispose()
