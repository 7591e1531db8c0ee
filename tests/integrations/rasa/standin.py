"""A stand-in Rasa NLU server on 127.0.0.1: good, slow, failing or answering garbage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from enum import StrEnum
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


class Mode(StrEnum):
    """How the stand-in answers ``POST /model/parse``."""

    GOOD = "good"
    SLOW = "slow"  # answers only when released (long after any sane timeout)
    FAILING = "failing"  # HTTP 500
    GARBAGE = "garbage"  # HTTP 200 with a body that is no Rasa answer


class RasaStandIn:
    """Answers ``POST /model/parse`` like a Rasa server, from a table of texts."""

    def __init__(self, answers: dict[str, dict[str, Any]], mode: Mode = Mode.GOOD) -> None:
        self.answers = answers
        self.mode = mode
        self.calls = 0
        self.seen: list[str] = []
        self.release = asyncio.Event()
        self.url = ""

    async def parse(self, request: web.Request) -> web.StreamResponse:
        self.calls += 1
        if self.mode is Mode.FAILING:
            return web.json_response({"error": "model not loaded"}, status=500)
        text = (await request.json())["text"]
        self.seen.append(text)
        if self.mode is Mode.SLOW:
            with suppress(TimeoutError):
                await asyncio.wait_for(self.release.wait(), 10)
        if self.mode is Mode.GARBAGE:
            return web.Response(text="<html>502 Bad Gateway</html>", content_type="text/html")
        body = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3},
                "entities": [], "intent_ranking": []}  # fmt: skip
        body.update(self.answers.get(text, {}))
        return web.json_response(body)


def intent(name: str, confidence: float, **extra: Any) -> dict[str, Any]:
    """Return the part of a parse answer that names an intent (and entities, a selector)."""
    return {"intent": {"name": name, "confidence": confidence}, **extra}


def retrieval(entry: str, confidence: float) -> dict[str, Any]:
    """Return a parse answer for the retrieval intent ``faq/<entry>`` as Rasa 3 gives it."""
    response = {
        "intent_response_key": f"faq/{entry}", "confidence": confidence,
        "responses": [{"text": "…"}], "utter_action": f"utter_faq/{entry}",
    }  # fmt: skip
    return {
        "intent": {"name": "faq", "confidence": confidence},
        "response_selector": {
            "all_retrieval_intents": ["faq"], "faq": {"response": response, "ranking": []},
        },
    }


@asynccontextmanager
async def rasa_server(stand_in: RasaStandIn) -> AsyncIterator[RasaStandIn]:
    """Serve the stand-in on 127.0.0.1 for the duration of the block."""
    app = web.Application()
    app.router.add_post("/model/parse", stand_in.parse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    stand_in.url = str(server.make_url("")).rstrip("/")
    try:
        yield stand_in
    finally:
        stand_in.release.set()
        await server.close()
