"""The database lost mid-work: nothing half-done, nothing asked again, nothing sent twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.core import Core
from bot.engine.messages import Inbound, InboundKind
from bot.storage.models import Message, OutboxItem
from bot.storage.repositories.outbox import Outbox
from tests.engine.test_outbox import _push
from tests.support.chat import ChatDriver


def connection_lost() -> OperationalError:
    """Return what SQLAlchemy raises when PostgreSQL's connection is cut mid-query."""
    return OperationalError("SELECT 1", {}, ConnectionError("connection was closed"))


async def test_a_turn_cut_off_from_the_database_is_left_for_redelivery(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    before = await _messages(core)

    async def cut(*args: object, **kwargs: object) -> None:
        raise connection_lost()

    monkeypatch.setattr(core.services.registrations, "start_draft", cut)
    tap = Inbound("web", chat.chat_id, "tap-1", InboundKind.BUTTON, button_id="consent:yes")
    with pytest.raises(OperationalError):
        await core.handle(tap)  # the channel answers non-2xx; the platform sends it again
    assert await _messages(core) == before  # no apology, the tap not taken: it comes again

    monkeypatch.undo()
    result = await core.handle(tap)
    assert not result.duplicate
    assert "nama lengkap" in result.replies[-1].text


async def _messages(core: Core) -> int:
    async with core.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Message)) or 0)


async def test_a_sent_message_whose_record_fails_once_is_not_sent_again(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = _push(core)
    chat = ChatDriver(core, channel="push")
    await chat.say("bantuan")
    mark_all_sent = Outbox.mark_all_sent
    failures = [connection_lost()]

    async def flaky(self: Outbox, *args: object) -> None:
        if failures:
            raise failures.pop()
        await mark_all_sent(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Outbox, "mark_all_sent", flaky)
    while await core.outbox.drain_once():
        pass
    assert not failures  # the dispatcher did meet the lost connection when recording
    async with core.uow() as uow:
        statuses = list((await uow.session.execute(select(OutboxItem.status))).scalars())
    assert statuses and set(statuses) == {"sent"}
    assert len(sender.sent) == len(statuses)  # each once: none waits to be sent again
