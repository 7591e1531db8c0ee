"""Rasa language understanding: confident intents become commands; outages change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import Settings
from tests.conftest import migrated_core
from tests.support.chat import ChatDriver


class RasaStandIn:
    """Answers ``POST /model/parse`` like a Rasa server, from a table of texts."""

    def __init__(self, intents: dict[str, tuple[str, float]]) -> None:
        self.intents = intents
        self.status = 200
        self.seen: list[str] = []

    async def parse(self, request: web.Request) -> web.Response:
        text = (await request.json())["text"]
        self.seen.append(text)
        name, confidence = self.intents.get(text, ("nlu_fallback", 0.3))
        body: dict[str, Any] = {"text": text, "intent": {"name": name, "confidence": confidence},
                                "entities": [], "intent_ranking": []}  # fmt: skip
        return web.json_response(body, status=self.status)


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[RasaStandIn, str]]:
    stand_in = RasaStandIn({
        # Phrases the built-in FAQ does not answer, so the words go on to Rasa.
        "yg tadi itu aja deh": ("daftar", 0.93),
        "pengen ngobrol ama orang": ("human_handoff", 0.88),
        "hmm entahlah": ("daftar", 0.41),
    })  # fmt: skip
    app = web.Application()
    app.router.add_post("/model/parse", stand_in.parse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield stand_in, str(server.make_url("")).rstrip("/")
    await server.close()


async def _chat(settings_factory: Any, sqlite_url: str, rasa_url: str) -> ChatDriver:
    settings: Settings = settings_factory(database_url=sqlite_url, rasa_url=rasa_url)
    return ChatDriver(await migrated_core(settings))


async def test_confident_intent_starts_the_matching_flow(
    settings_factory: Any, sqlite_url: str, rasa: tuple[RasaStandIn, str]
) -> None:
    chat = await _chat(settings_factory, sqlite_url, rasa[1])
    await chat.say("yg tadi itu aja deh")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]
    await chat.say("menu")
    await chat.say("pengen ngobrol ama orang")
    assert "petugas" in chat.text
    await chat.core.services.intents.close()  # type: ignore[union-attr]
    await chat.core.db.dispose()


async def test_unsure_intent_or_rasa_down_falls_back_to_the_menu(
    settings_factory: Any, sqlite_url: str, rasa: tuple[RasaStandIn, str]
) -> None:
    stand_in, url = rasa
    chat = await _chat(settings_factory, sqlite_url, url)
    await chat.say("hmm entahlah")
    assert "consent:yes" not in chat.buttons and "agent" in chat.buttons
    stand_in.status = 500
    await chat.say("yg tadi itu aja deh")
    assert "consent:yes" not in chat.buttons and "agent" in chat.buttons
    await chat.core.services.intents.close()  # type: ignore[union-attr]
    await chat.core.db.dispose()


async def test_nothing_is_sent_to_rasa_inside_a_form(
    settings_factory: Any, sqlite_url: str, rasa: tuple[RasaStandIn, str]
) -> None:
    stand_in, url = rasa
    chat = await _chat(settings_factory, sqlite_url, url)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    assert stand_in.seen == []
    await chat.core.services.intents.close()  # type: ignore[union-attr]
    await chat.core.db.dispose()
