"""WhatsApp hears the bot: an uploaded audio/ogg (Opus) and an audio message, once each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import VOICE_NOTE, Button, Reply
from bot.i18n import Catalog
from bot.speech import build_speech
from integrations.whatsapp.graph import GraphClient
from integrations.whatsapp.render import render_reply
from integrations.whatsapp.sender import WhatsAppSender
from tests.integrations.whatsapp.conftest import CITIZEN, Env, running_service
from tests.speech.audio import assert_voice_note, needs_speech
from tests.standins.graph_api import GraphApiStandIn, button_ids

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
INSIDE = Recipient(CITIZEN, NOW - timedelta(hours=1))
OUTSIDE = Recipient(CITIZEN, NOW - timedelta(hours=30))
NOTE = Reply("Silakan ketik NIK Bapak/Ibu, 16 angka.", extra={VOICE_NOTE: True})
LISTEN = Button("voice:listen", "🔊 Dengarkan")


def _sender(
    client: GraphClient, settings: Settings, catalog: Catalog, tmp_path: Path, **speech: object
) -> WhatsAppSender:
    voice = build_speech(settings.model_copy(update={"data_dir": tmp_path, **speech}))
    return WhatsAppSender(
        client, settings=settings, catalog=catalog, clock=lambda: NOW,
        make_voice=voice.voice_note,
    )  # fmt: skip


@needs_speech
async def test_a_voice_note_is_uploaded_as_ogg_opus_and_sent_as_an_audio_message(
    client: GraphClient, settings: Settings, catalog: Catalog, graph: GraphApiStandIn,
    tmp_path: Path,
) -> None:  # fmt: skip
    sender = _sender(client, settings, catalog, tmp_path)
    wamid = await sender.send(INSIDE, NOTE)
    [(media_id, mime, data)] = graph.uploads
    assert mime == "audio/ogg"
    assert_voice_note(data, min_seconds=2.0)
    [message] = graph.messages
    assert message["type"] == "audio" and message["audio"] == {"id": media_id, "voice": True}
    assert len(data) <= 512 * 1024  # WhatsApp shows a play button up to 512 KB
    assert wamid == graph.message_ids[0] and graph.rejected == []


@needs_speech
async def test_a_common_note_is_uploaded_once_and_sent_each_time(
    client: GraphClient, settings: Settings, catalog: Catalog, graph: GraphApiStandIn,
    tmp_path: Path,
) -> None:  # fmt: skip
    sender = _sender(client, settings, catalog, tmp_path)
    await sender.send(INSIDE, NOTE)
    await sender.send(INSIDE, NOTE)
    assert len(graph.uploads) == 1
    assert [m["type"] for m in graph.messages] == ["audio", "audio"]


@needs_speech
async def test_a_failed_upload_is_retried_by_the_outbox_without_sending_anything(
    client: GraphClient, settings: Settings, catalog: Catalog, graph: GraphApiStandIn,
    tmp_path: Path,
) -> None:  # fmt: skip
    sender = _sender(client, settings, catalog, tmp_path)
    graph.fail_next(500, 1, endpoint="upload")
    with pytest.raises(SendError) as failed:
        await sender.send(INSIDE, NOTE)
    assert failed.value.retry_after is not None and graph.messages == []
    await sender.send(INSIDE, NOTE)
    assert [m["type"] for m in graph.messages] == ["audio"]


async def test_outside_the_24_hour_window_a_voice_note_is_skipped(
    client: GraphClient, settings: Settings, catalog: Catalog, graph: GraphApiStandIn,
    tmp_path: Path,
) -> None:  # fmt: skip
    sender = _sender(client, settings, catalog, tmp_path)
    assert await sender.send(OUTSIDE, NOTE) is None
    assert graph.uploads == [] and graph.messages == []


async def test_a_note_that_cannot_be_made_is_skipped(
    client: GraphClient, settings: Settings, catalog: Catalog, graph: GraphApiStandIn,
    tmp_path: Path,
) -> None:  # fmt: skip
    sender = _sender(client, settings, catalog, tmp_path, voice_timeout_seconds=0.001)
    assert await sender.send(INSIDE, NOTE) is None
    assert graph.uploads == [] and graph.messages == []


def _ids(reply: Reply, catalog: Catalog) -> tuple[str, list[str]]:
    [*_, last] = render_reply(reply, CITIZEN, catalog=catalog, listen=LISTEN)
    kind = last["interactive"]["type"] if last["type"] == "interactive" else last["type"]
    return kind, button_ids([last])


def test_dengarkan_joins_one_or_two_buttons_and_short_lists_only(catalog: Catalog) -> None:
    two = (Button("a:yes", "Ya"), Button("a:no", "Tidak"))
    assert _ids(Reply("Benar?", two), catalog) == ("button", ["a:yes", "a:no", "voice:listen"])
    three = (*two, Button("a:more", "Lainnya"))
    # A fourth would turn three buttons into a list: the message keeps its form.
    assert _ids(Reply("Setuju?", three), catalog) == ("button", ["a:yes", "a:no", "a:more"])
    five = tuple(Button(f"m:{n}", f"Pilihan {n}") for n in range(5))
    assert _ids(Reply("Pilih:", five), catalog) == ("list", [*(b.id for b in five), LISTEN.id])
    ten = tuple(Button(f"m:{n}", f"Pilihan {n}") for n in range(10))
    assert _ids(Reply("Pilih:", ten), catalog) == ("list", [b.id for b in ten])
    assert _ids(Reply("Silakan ketik nama lengkap."), catalog) == ("text", [])


# --- Through the real service: webhook in, the outbox, the Graph API stand-in out ---


@pytest.fixture
async def env(tmp_path: Path, graph: GraphApiStandIn) -> AsyncIterator[Env]:
    """Run the whole service on SQLite with WhatsApp pointed at the stand-in."""
    async with running_service(tmp_path, graph) as running:
        yield running


@needs_speech
async def test_dengarkan_on_whatsapp_answers_with_an_uploaded_voice_note(
    env: Env, graph: GraphApiStandIn
) -> None:
    citizen = env.citizen()
    await citizen.text("halo")
    heard = await citizen.text("dengarkan")
    [audio] = heard
    assert audio["type"] == "audio"
    [(media_id, mime, data)] = graph.uploads
    assert audio["audio"] == {"id": media_id, "voice": True} and mime == "audio/ogg"
    assert_voice_note(data, min_seconds=3.0)


@needs_speech
async def test_with_voice_on_each_whatsapp_message_is_followed_by_its_note(
    env: Env, graph: GraphApiStandIn
) -> None:
    citizen = env.citizen()
    await citizen.text("halo")
    answer = await citizen.tap("voice:on")
    assert [m["type"] for m in answer] == ["interactive", "audio"]
    answer = await citizen.text("status")
    assert [m["type"] for m in answer][-1] == "audio"
    assert len(graph.uploads) == 2 and graph.rejected == []
