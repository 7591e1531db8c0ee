"""Rasa language understanding drives the real dialogs; slow, failing or garbage Rasa changes
nothing the citizen sees beyond a bounded wait, and a Rasa that keeps failing is left alone."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from bot.core import Core
from integrations.rasa import BreakerState, RasaIntents
from tests.conftest import migrated_core
from tests.integrations.rasa.standin import Mode, RasaStandIn, intent, rasa_server, retrieval
from tests.support.chat import ChatDriver
from tests.support.registration import stored, walk_to_ktp_step

CONSENT = ["consent:more", "consent:yes", "consent:family", "consent:no"]
ANSWERS = {
    # Phrases the built-in words and FAQ do not take as these, so only Rasa can route them.
    "yg tadi itu aja deh": intent("daftar", 0.93),
    "pengen ngobrol ama orang": intent("human_handoff", 0.88),
    "hmm entahlah": intent("daftar", 0.41),
    "soal duit2an nih": retrieval("biaya", 0.91),
    "yang kemarin gmn ya kak": intent(
        "cek_status", 0.9, entities=[{"entity": "reference", "value": "tl-zzzzzz"}]
    ),
    "apus aja semuanya": intent("hapus_data", 0.95),
}


@pytest.fixture
async def stand_in() -> AsyncIterator[RasaStandIn]:
    async with rasa_server(RasaStandIn(ANSWERS)) as server:
        yield server


@pytest.fixture
async def make_core(
    settings_factory: Any, database_url: str
) -> AsyncIterator[Any]:
    built: list[Core] = []

    async def make(url: str, **overrides: Any) -> Core:
        settings: Settings = settings_factory(database_url=database_url, rasa_url=url,
                                              **overrides)  # fmt: skip
        core = await migrated_core(settings)
        built.append(core)
        return core

    yield make
    for core in built:
        await core.services.intents.close()  # type: ignore[union-attr]
        await core.db.dispose()


def _rasa(core: Core) -> RasaIntents:
    intents = core.services.intents
    assert isinstance(intents, RasaIntents)
    return intents


def _count(core: Core, outcome: str) -> float:
    return core.metrics.rasa.labels(outcome)._value.get()


async def test_confident_intents_start_the_same_dialogs_as_the_built_in_words(
    make_core: Any, stand_in: RasaStandIn
) -> None:
    core = await make_core(stand_in.url)
    chat = ChatDriver(core)
    await chat.say("yg tadi itu aja deh")
    assert [b.id for r in chat.replies for b in r.buttons] == CONSENT
    await chat.say("menu")
    await chat.say("pengen ngobrol ama orang")
    assert "petugas" in chat.text
    assert _count(core, "understood") == 2


async def test_a_retrieval_intent_answers_that_faq_entry_and_asks_whether_it_helped(
    make_core: Any, stand_in: RasaStandIn
) -> None:
    core = await make_core(stand_in.url)
    chat = ChatDriver(core)
    await chat.say("soal duit2an nih")
    entry = core.services.faq.entry("biaya")
    assert entry is not None and entry.answer in chat.text
    assert "faq:helpful" in [b.id for r in chat.replies for b in r.buttons]


async def test_status_with_a_reference_entity_shows_only_the_chats_own_requests(
    make_core: Any, stand_in: RasaStandIn
) -> None:
    core = await make_core(stand_in.url)
    chat = ChatDriver(core)
    await chat.say("yang kemarin gmn ya kak")
    assert core.catalog.text("status-none") in chat.text
    # Another chat's request under the named reference is never shown: only her own.
    other = ChatDriver(core)
    await walk_to_ktp_step(other)
    others_ref = (await stored(core)).reference
    stand_in.answers["yang kemarin gmn ya kak"]["entities"][0]["value"] = others_ref.lower()
    await chat.say("yang kemarin gmn ya kak")
    assert others_ref not in chat.text and core.catalog.text("status-none") in chat.text
    await other.say("menu")
    await other.say("yang kemarin gmn ya kak")
    assert others_ref in other.text


async def test_erase_intent_asks_before_deleting(make_core: Any, stand_in: RasaStandIn) -> None:
    core = await make_core(stand_in.url)
    chat = ChatDriver(core)
    await chat.say("apus aja semuanya")
    assert core.catalog.text("privacy-confirm-erase") in chat.text
    assert "privacy:erase-yes" in [b.id for r in chat.replies for b in r.buttons]
    assert _count(core, "understood") == 1


async def test_below_the_confidence_setting_the_built_in_matcher_decides(
    make_core: Any, stand_in: RasaStandIn
) -> None:
    strict = ChatDriver(await make_core(stand_in.url))
    await strict.say("hmm entahlah")  # 0.41 < 0.7: the built-in matcher shows the menu
    assert "consent:yes" not in [b.id for r in strict.replies for b in r.buttons]
    assert "agent" in [b.id for r in strict.replies for b in r.buttons]
    lenient = ChatDriver(await make_core(stand_in.url, rasa_confidence=0.4))
    await lenient.say("hmm entahlah")
    assert [b.id for r in lenient.replies for b in r.buttons] == CONSENT


async def test_nothing_is_sent_to_rasa_for_an_answer_to_the_current_step(
    make_core: Any, stand_in: RasaStandIn
) -> None:
    chat = ChatDriver(await make_core(stand_in.url))
    await chat.say("daftar")  # the built-in words know it: Rasa is asked first all the same
    asked = len(stand_in.seen)
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    assert stand_in.seen[asked:] == []


@pytest.mark.parametrize("mode", [Mode.SLOW, Mode.FAILING, Mode.GARBAGE])
async def test_a_slow_failing_or_garbled_rasa_leaves_the_built_in_matcher_to_answer_in_time(
    make_core: Any, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with rasa_server(RasaStandIn(ANSWERS, mode)) as rasa:
        core = await make_core(rasa.url, rasa_timeout_ms=300)
        chat = ChatDriver(core)
        started = time.perf_counter()
        await chat.say("mau daftar dong min")  # the built-in words: registration
        elapsed = time.perf_counter() - started
        assert [b.id for r in chat.replies for b in r.buttons] == CONSENT
        assert rasa.calls == 1
        # The 300 ms bound plus the turn's own work (well under a second on a busy machine).
        assert elapsed < 0.3 + 1.5
        outcome = "timeout" if mode is Mode.SLOW else "error"
        assert _count(core, outcome) == 1
    ours = [r.getMessage() for r in caplog.records
            if r.name.split(".")[0] in ("bot", "dialogs", "integrations", "aiohttp")]  # fmt: skip
    assert ours and not any("daftar dong" in line for line in ours)


async def test_the_breaker_opens_after_repeated_failures_and_tries_again_after_the_cool_down(
    make_core: Any,
) -> None:
    async with rasa_server(RasaStandIn(ANSWERS, Mode.FAILING)) as rasa:
        core = await make_core(
            rasa.url, rasa_breaker_failures=3, rasa_breaker_cooldown_seconds=0.5
        )
        chat = ChatDriver(core)
        for _ in range(3):
            await chat.say("yg tadi itu aja deh")
            assert "consent:yes" not in [b.id for r in chat.replies for b in r.buttons]
        assert rasa.calls == 3 and _rasa(core).breaker.state is BreakerState.OPEN
        await chat.say("yg tadi itu aja deh")
        await chat.say("hmm entahlah")
        assert rasa.calls == 3  # open: Rasa is not called, the built-in matcher answers
        assert _count(core, "skipped") == 2
        await asyncio.sleep(0.6)
        assert _rasa(core).breaker.state is BreakerState.HALF_OPEN
        rasa.mode = Mode.GOOD  # Rasa is back: the probe succeeds and closes the breaker
        await chat.say("yg tadi itu aja deh")
        assert rasa.calls == 4 and _rasa(core).breaker.state is BreakerState.CLOSED
        assert [b.id for r in chat.replies for b in r.buttons] == CONSENT


async def test_a_failed_probe_opens_the_breaker_for_another_cool_down(make_core: Any) -> None:
    async with rasa_server(RasaStandIn(ANSWERS, Mode.FAILING)) as rasa:
        core = await make_core(
            rasa.url, rasa_breaker_failures=1, rasa_breaker_cooldown_seconds=0.3
        )
        chat = ChatDriver(core)
        await chat.say("yg tadi itu aja deh")
        assert _rasa(core).breaker.state is BreakerState.OPEN
        await asyncio.sleep(0.35)
        await chat.say("yg tadi itu aja deh")  # the probe fails
        assert rasa.calls == 2 and _rasa(core).breaker.state is BreakerState.OPEN
        await chat.say("yg tadi itu aja deh")
        assert rasa.calls == 2


async def test_a_named_reference_picks_one_of_several_own_requests_by_words_or_by_rasa(
    make_core: Any, stand_in: RasaStandIn
) -> None:
    from sqlalchemy import select

    from bot.storage.models import Registration
    from tests.support.registration import answer_questions, send_photos

    core = await make_core(stand_in.url)
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await answer_questions(chat)
    await send_photos(chat)
    await chat.tap("summary:send")
    await chat.tap("reg:another")
    await chat.tap("consent:yes")  # her mother's request, a draft beside her own sent one
    async with core.uow() as uow:
        rows = await uow.session.execute(select(Registration).order_by(Registration.id))
        own, mothers = [(r.reference, r.status) for r in rows.scalars()]
    assert (own[1], mothers[1]) == ("submitted", "draft")
    await chat.say("menu")
    await chat.say("cek status")
    assert own[0] in chat.text and mothers[0] in chat.text
    await chat.say(f"cek status {own[0].lower()}")  # the built-in words
    assert own[0] in chat.text and mothers[0] not in chat.text
    stand_in.answers["yang ibu gmn ya kak"] = intent(
        "cek_status", 0.9, entities=[{"entity": "reference", "value": mothers[0]}]
    )
    await chat.say("menu")
    await chat.say("yang ibu gmn ya kak")  # Rasa's entity
    assert chat.text == core.catalog.text("status-draft", reference=mothers[0])
