"""The Graph API stand-in is as strict as Meta, so passing tests mean something."""

from __future__ import annotations

import copy
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.engine.ports import ChannelContext
from bot.i18n import Catalog
from integrations.whatsapp import WEBHOOK_PATH, install
from integrations.whatsapp.sender import WhatsAppSender
from tests.integrations.whatsapp.conftest import CITIZEN, FakeCore, make_settings
from tests.standins.graph_api import GraphApiStandIn, PayloadInvalid, validate_message

BUTTONS: dict[str, Any] = {
    "messaging_product": "whatsapp",
    "recipient_type": "individual",
    "to": CITIZEN,
    "type": "interactive",
    "interactive": {
        "type": "button",
        "body": {"text": "Setuju?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "y", "title": "Ya"}},
                {"type": "reply", "reply": {"id": "n", "title": "Tidak"}},
            ]
        },
    },
}
LIST: dict[str, Any] = {
    "messaging_product": "whatsapp",
    "to": CITIZEN,
    "type": "interactive",
    "interactive": {
        "type": "list",
        "body": {"text": "Pilih kecamatan"},
        "action": {
            "button": "Pilih",
            "sections": [
                {
                    "title": "Kecamatan",
                    "rows": [{"id": f"k{n}", "title": f"K{n}"} for n in range(10)],
                }
            ],
        },
    },
}


def _with(base: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    payload = copy.deepcopy(base)
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return payload


def test_valid_payloads_pass() -> None:
    validate_message(BUTTONS)
    validate_message(LIST)


@pytest.mark.parametrize(
    "payload",
    [
        _with(BUTTONS, ["interactive", "action", "buttons", 0, "reply", "title"], "x" * 21),
        _with(BUTTONS, ["interactive", "action", "buttons", 1, "reply", "title"], "Ya"),
        _with(BUTTONS, ["interactive", "action", "buttons", 1, "reply", "id"], "y"),
        _with(
            BUTTONS,
            ["interactive", "action", "buttons"],
            BUTTONS["interactive"]["action"]["buttons"] * 2,
        ),
        _with(BUTTONS, ["interactive", "body", "text"], "x" * 1025),
        _with(BUTTONS, ["interactive", "body", "text"], ""),
        _with(BUTTONS, ["messaging_product"], "sms"),
        _with(BUTTONS, ["to"], "not-a-number"),
        _with(LIST, ["interactive", "action", "sections", 0, "rows", 0, "title"], "x" * 25),
        _with(LIST, ["interactive", "action", "sections", 0, "rows", 0, "description"], "x" * 73),
        _with(
            LIST,
            ["interactive", "action", "sections", 0, "rows"],
            [{"id": f"k{n}", "title": "K"} for n in range(11)],
        ),
        _with(LIST, ["interactive", "action", "button"], "Pilih salah satu kecamatan"),
        {
            "messaging_product": "whatsapp",
            "to": CITIZEN,
            "type": "text",
            "text": {"body": "x" * 4097},
        },
        {
            "messaging_product": "whatsapp",
            "to": CITIZEN,
            "type": "text",
            "text": {"body": "x"},
            "image": {},
        },
        {
            "messaging_product": "whatsapp",
            "to": CITIZEN,
            "type": "template",
            "template": {
                "name": "verifikasi_ditolak",
                "language": {"code": "id"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": "baris\nbaru"}]}
                ],
            },
        },
    ],
)
def test_invalid_payloads_are_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(PayloadInvalid):
        validate_message(payload)


async def test_messages_endpoint_needs_token_and_answers_like_meta(
    graph: GraphApiStandIn,
) -> None:
    url = f"{graph.api_base}/{graph.phone_number_id}/messages"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=BUTTONS) as response:
            assert response.status == 401
            assert (await response.json())["error"]["code"] == 190
        headers = {"Authorization": f"Bearer {graph.token}"}
        async with session.post(url, json=BUTTONS, headers=headers) as response:
            body = await response.json()
        assert body["messaging_product"] == "whatsapp"
        assert body["contacts"] == [{"input": CITIZEN, "wa_id": CITIZEN}]
        assert body["messages"][0]["id"].startswith("wamid.")
        bad = _with(BUTTONS, ["interactive", "action", "buttons", 0, "reply", "title"], "x" * 30)
        async with session.post(url, json=bad, headers=headers) as response:
            assert response.status == 400
            error = (await response.json())["error"]
            assert error["code"] == 100
            assert "button title" in error["error_data"]["details"]
    assert graph.messages == [BUTTONS]
    assert len(graph.rejected) == 1


async def test_install_registers_routes_sender_and_session(
    graph: GraphApiStandIn, catalog: Catalog
) -> None:
    core = FakeCore()
    app = web.Application()
    ctx = ChannelContext(
        settings=make_settings(graph.api_base),
        catalog=catalog,
        handle_inbound=core.handle_inbound,
        add_sender=core.add_sender,
        record_delivery=core.record_delivery,
    )
    sender = install(app, ctx)
    assert core.senders == [sender]
    assert isinstance(sender, WhatsAppSender)
    assert sender.channel == "whatsapp"
    methods = {(r.method, r.resource.canonical) for r in app.router.routes() if r.resource}
    assert ("GET", WEBHOOK_PATH) in methods
    assert ("POST", WEBHOOK_PATH) in methods
    assert len(app.cleanup_ctx) == 1


def test_install_refuses_without_configuration(catalog: Catalog) -> None:
    core = FakeCore()
    settings = make_settings("http://127.0.0.1:1/v21.0", whatsapp_token=None)
    ctx = ChannelContext(
        settings=settings,
        catalog=catalog,
        handle_inbound=core.handle_inbound,
        add_sender=core.add_sender,
        record_delivery=core.record_delivery,
    )
    with pytest.raises(ValueError, match="TLIVE_WHATSAPP"):
        install(web.Application(), ctx)
