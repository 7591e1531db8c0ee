"""The router's tables: a flow is registered once, its triggers and steps reach it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.chat_mode import ChatMode
from bot.engine.messages import Inbound, InboundKind
from bot.i18n import Catalog
from bot.storage.models import Conversation
from bot.storage.types import utcnow
from dialogs.base import MENU, Turn
from dialogs.flow import Command, DialogFlow, FlowName, Trigger
from dialogs.flows import other_triggers, registered_flows
from dialogs.router import COMMAND_WORDS, Router


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def _turn(catalog: Catalog, inbound: Inbound, flow: str | None, step: str | None) -> Turn:
    conv = Conversation(channel="web", chat_key="c", mode=ChatMode.BOT, flow=flow, step=step)
    none: Any = None  # the tables are consulted before any service or storage is touched
    return Turn(
        inbound=inbound, conv=conv, state={}, uow=none, services=none, catalog=catalog,
        now=utcnow(),
    )  # fmt: skip


def _text(text: str) -> Inbound:
    return Inbound("web", "c", "m", InboundKind.TEXT, text=text)


def _noted(seen: list[str], name: str) -> Any:
    async def action(turn: Turn) -> None:
        seen.append(name)

    return action


async def test_a_registered_flow_gets_its_turns_its_trigger_and_its_photo_steps(
    catalog: Catalog,
) -> None:
    seen: list[str] = []
    flow = DialogFlow(
        FlowName.PRIVACY,
        handle=_noted(seen, "handle"),
        reprompt=_noted(seen, "reprompt"),
        triggers=(Trigger(_noted(seen, "start"), Command.ERASE, ("privacy:erase",)),),
        cancel=_noted(seen, "cancel"),
        photo_kind=lambda step: "selfie" if step == "photo" else None,
    )
    router = Router(catalog, [flow])
    await router.handle(_turn(catalog, _text("jawaban"), FlowName.PRIVACY, "ask"))
    await router.handle(_turn(catalog, _text("hapus data"), None, None))
    button = Inbound("web", "c", "m", InboundKind.BUTTON, button_id="privacy:erase")
    await router.handle(_turn(catalog, button, None, None))
    await router.handle(_turn(catalog, _text("batal"), FlowName.PRIVACY, "ask"))
    await router.resume(_turn(catalog, _text(""), FlowName.PRIVACY, "ask"))
    assert seen == ["handle", "start", "start", "cancel", "reprompt"]
    assert router.photo_kind(FlowName.PRIVACY, "photo") == "selfie"
    assert router.photo_kind(FlowName.PRIVACY, "ask") is None
    assert router.photo_kind(None, "photo") is None


def test_a_flow_name_or_a_button_claimed_twice_is_refused(catalog: Catalog) -> None:
    flow = DialogFlow(FlowName.FAQ, handle=_noted([], "h"), reprompt=_noted([], "r"))
    with pytest.raises(ValueError, match="twice"):
        Router(catalog, [flow, flow])
    clash = DialogFlow(
        FlowName.FAQ, handle=_noted([], "h"), reprompt=_noted([], "r"),
        triggers=(Trigger(_noted([], "s"), buttons=(MENU,)),),
    )  # fmt: skip
    with pytest.raises(ValueError, match="two triggers"):
        Router(catalog, [clash])


def test_the_service_wires_every_global_command(catalog: Catalog) -> None:
    router = Router(catalog, registered_flows(), other_triggers())
    assert set(router._commands) == set(COMMAND_WORDS)  # each command word leads somewhere
    assert {flow.name for flow in registered_flows()} == set(FlowName)
