"""Delivery marks a bot message to be heard when the citizen asked for voice on every message."""

from __future__ import annotations

from bot.engine.messages import VOICE, Button, Reply, Template
from bot.services.delivery import Delivery
from bot.storage.models import Conversation

REMINDER = Reply(
    "Pendaftaran Tangerang LIVE belum selesai.",
    buttons=(Button("resume", "▶️ Lanjutkan"),),
    template=Template("pengingat_pendaftaran"),
)


def _chat(voice_replies: bool | None) -> Conversation:
    return Conversation(channel="telegram", voice_replies=voice_replies)


def test_a_reminder_with_its_whatsapp_template_is_spoken_to_her_too() -> None:
    [spoken] = Delivery(voice=True).spoken(_chat(True), [REMINDER])
    assert spoken.extra.get(VOICE) is True
    assert spoken.template == REMINDER.template and spoken.buttons == REMINDER.buttons


def test_nothing_is_spoken_without_her_setting_or_without_speech() -> None:
    assert Delivery(voice=True).spoken(_chat(False), [REMINDER]) == [REMINDER]
    assert Delivery(voice=True).spoken(_chat(None), [REMINDER]) == [REMINDER]
    assert Delivery(voice=False).spoken(_chat(True), [REMINDER]) == [REMINDER]


def test_a_voice_note_and_an_empty_message_get_no_note_of_their_own() -> None:
    delivery = Delivery(voice=True)
    note = REMINDER.voice_note()
    assert delivery.spoken(_chat(True), [note, Reply(" ")]) == [note, Reply(" ")]
