"""A message another follows in the same turn keeps its choices under itself on Telegram."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.engine.messages import Button, Reply
from bot.i18n import Catalog
from integrations.telegram.sender import keyboard_for

READ_MORE = (Button("consent:more", "📄 Baca selengkapnya"),)


def test_a_followed_message_gets_an_inline_keyboard_and_the_last_a_reply_keyboard() -> None:
    catalog = Catalog()
    followed = Reply("Persetujuan …", READ_MORE, extra={"followed": True})
    assert isinstance(keyboard_for(followed, catalog), InlineKeyboardMarkup)
    assert isinstance(keyboard_for(Reply("Persetujuan …", READ_MORE), catalog), ReplyKeyboardMarkup)
