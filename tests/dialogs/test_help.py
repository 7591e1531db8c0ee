""" "bantuan" tells how to use the bot, how to hear it, and how to reach a person."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.config import Settings
from bot.core import Core
from tests.conftest import migrated_core
from tests.support.chat import ChatDriver


@pytest.fixture
async def helpdesk_core(
    settings_factory: Callable[..., Settings], sqlite_url: str
) -> AsyncIterator[Core]:
    """A core whose helpdesk has a phone, a WhatsApp number and Saturday hours."""
    settings = settings_factory(
        database_url=sqlite_url, helpdesk_phone="(021) 5588 1234",
        helpdesk_whatsapp="0812 9000 1234", helpdesk_hours="07:30-15:00", helpdesk_days="1-6",
    )  # fmt: skip
    built = await migrated_core(settings)
    yield built
    await built.db.dispose()


async def test_help_gives_the_helpdesk_phone_whatsapp_and_opening_hours(
    helpdesk_core: Core,
) -> None:
    chat = ChatDriver(helpdesk_core)
    await chat.say("hai")
    await chat.say("bantuan")
    [reply] = chat.replies
    assert "(021) 5588 1234" in reply.text
    assert "0812 9000 1234" in reply.text
    assert "Senin–Sabtu, pukul 07.30–15.00 WIB" in reply.text
    assert '"dengarkan"' in reply.text  # how to hear a message
    assert chat.buttons == ["agent", "menu", "voice:on"]


async def test_help_without_helpdesk_numbers_still_gives_the_hours(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("tolong")
    text = chat.text
    assert "Telepon" not in text and "WhatsApp helpdesk" not in text
    assert "Senin–Jumat, pukul 08.00–16.00 WIB" in text  # the defaults


async def test_help_in_the_middle_of_a_step_offers_to_go_on_and_to_switch_voice_off(
    core: Core,
) -> None:
    chat = ChatDriver(core)
    await chat.say("hai")
    await chat.tap("voice:on")
    await chat.say("daftar")
    await chat.say("bantuan")
    assert chat.buttons == ["resume", "agent", "menu", "voice:off"]
