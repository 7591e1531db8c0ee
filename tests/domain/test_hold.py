"""The hold as a pure state machine: each transition sets the hold's columns together."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.chat_mode import ChatMode
from bot.helpdesk import hold
from bot.helpdesk.hold import HelpdeskError, Holder
from bot.storage.models import Conversation
from bot.storage.types import utcnow

SITI = Holder("user:1", "siti", 1, admin=False)
BUDI = Holder("user:2", "budi", 2, admin=False)
BOSS = Holder("user:3", "kepala", 3, admin=True)
NOW = utcnow()


def _chat(mode: ChatMode = ChatMode.BOT) -> Conversation:
    return Conversation(id=7, channel="web", chat_key="c", mode=mode)


def _held(by: Holder = SITI) -> Conversation:
    conv = _chat()
    assert hold.enqueue(conv, "asked", NOW)
    for name, value in hold.claiming(by, NOW).columns.items():
        setattr(conv, name, value)  # what the repository's conditional update does
    return conv


def _columns(conv: Conversation) -> tuple[object, ...]:
    return (conv.mode, conv.handoff_reason, conv.queued_at, conv.holder, conv.holder_name,
            conv.agent_id)  # fmt: skip


def test_enqueue_and_withdraw_only_move_from_their_mode() -> None:
    conv = _chat()
    assert hold.enqueue(conv, "failures", NOW)
    assert _columns(conv) == (ChatMode.QUEUED, "failures", NOW, None, None, None)
    assert not hold.enqueue(conv, "asked", NOW)  # already waiting: keeps its place and reason
    assert hold.withdraw(conv)
    assert _columns(conv) == (ChatMode.BOT, None, None, None, None, None)
    assert not hold.withdraw(conv)


def test_claim_is_judged_after_the_conditional_update() -> None:
    move = hold.claiming(SITI, NOW)
    assert move.source is ChatMode.QUEUED and move.columns["mode"] is ChatMode.AGENT
    conv = _held(SITI)
    assert hold.claimed(conv, SITI, won=True)
    assert not hold.claimed(conv, SITI, won=False)  # one's own chat again: harmless
    with pytest.raises(HelpdeskError) as taken:
        hold.claimed(conv, BUDI, won=False)
    assert (taken.value.code, taken.value.status) == ("taken", 409)
    with pytest.raises(HelpdeskError) as not_queued:
        hold.claimed(_chat(), BUDI, won=False)
    assert not_queued.value.code == "not_queued"


def test_transfer_keeps_the_queue_data_and_refuses_the_wrong_people() -> None:
    conv = _held(SITI)
    with pytest.raises(HelpdeskError) as stranger:
        hold.transfer(conv, BUDI, BOSS, NOW)
    assert stranger.value.code == "not_holder"
    with pytest.raises(HelpdeskError) as same:
        hold.transfer(conv, SITI, SITI, NOW)
    assert same.value.code == "same_agent"
    hold.transfer(conv, SITI, BUDI, NOW)
    assert _columns(conv) == (ChatMode.AGENT, "asked", NOW, "user:2", "budi", 2)
    waiting = _chat()
    hold.enqueue(waiting, "voice", NOW)
    with pytest.raises(HelpdeskError):
        hold.transfer(waiting, SITI, BUDI, NOW)  # only admins assign a waiting chat
    hold.transfer(waiting, BOSS, BUDI, NOW)
    assert waiting.mode is ChatMode.AGENT and waiting.holder == "user:2"


def test_hand_back_and_close_end_the_hold_admins_too() -> None:
    conv = _held(SITI)
    with pytest.raises(HelpdeskError) as stranger:
        hold.hand_back(conv, BUDI)
    assert stranger.value.code == "not_holder"
    assert hold.close(conv, BOSS) == 1  # the agent the citizen may rate
    assert _columns(conv) == (ChatMode.BOT, None, None, None, None, None)
    with pytest.raises(HelpdeskError) as not_held:
        hold.close(conv, SITI)
    assert not_held.value.code == "not_held"


def test_requeue_keeps_the_citizens_place() -> None:
    conv = _held(SITI)
    move = hold.requeuing(NOW + timedelta(hours=1))
    assert move.source is ChatMode.AGENT
    for name, value in move.columns.items():
        setattr(conv, name, value)
    hold.requeued(conv, NOW + timedelta(hours=1))
    assert _columns(conv) == (ChatMode.QUEUED, "asked", NOW, None, None, None)


def test_who_sees_a_chat() -> None:
    conv = _held(SITI)
    assert hold.visible_to(conv, SITI) and hold.visible_to(conv, BOSS)
    assert not hold.visible_to(conv, BUDI)
    assert hold.is_mine(conv, SITI) and not hold.is_mine(conv, BOSS)
