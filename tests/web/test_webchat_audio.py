"""The web chat API lets each bot message be heard: ``audio_url``, and ``voice`` to play now."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.config import Settings
from bot.core import Core
from bot.speech.synth import Programs
from tests.conftest import migrated_core
from tests.speech.audio import assert_voice_note, needs_speech


async def _client(core: Core) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_app(core.settings, core=core))) as test_client:
        yield test_client


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    async for test_client in _client(core):
        yield test_client


@pytest.fixture
async def quiet_client(
    settings_factory: Callable[..., Settings], sqlite_url: str
) -> AsyncIterator[TestClient]:
    """A web chat whose voice notes are switched off (TLIVE_VOICE=false)."""
    core = await migrated_core(settings_factory(database_url=sqlite_url, voice=False))
    async for test_client in _client(core):
        yield test_client
    await core.db.dispose()


async def _open(client: TestClient) -> tuple[str, dict[str, object]]:
    resp = await client.post("/webchat/api/sessions")
    body = await resp.json()
    return body["session_id"], body


async def _say(client: TestClient, sid: str, **message: str) -> list[dict[str, object]]:
    resp = await client.post(f"/webchat/api/sessions/{sid}/messages", json=message)
    assert resp.status == 200
    return (await resp.json())["replies"]


@needs_speech
async def test_every_bot_reply_can_be_fetched_as_ogg_opus_by_its_session(
    client: TestClient,
) -> None:
    sid, opened = await _open(client)
    [greeting] = opened["replies"]  # type: ignore[misc]
    url = greeting["audio_url"]
    assert url == f"/webchat/api/sessions/{sid}/messages/1/audio"
    assert "voice" not in greeting  # heard on a tap, not played at once
    resp = await client.get(url)
    assert resp.status == 200 and resp.content_type == "audio/ogg"
    assert "private" in resp.headers["Cache-Control"]
    assert_voice_note(await resp.read(), min_seconds=3.0)
    # The replies of a turn and the history read back carry it too.
    replies = await _say(client, sid, text="bantuan")
    assert all(r["audio_url"].endswith(f"/messages/{r['seq']}/audio") for r in replies)
    history = await (await client.get(f"/webchat/api/sessions/{sid}/messages?after=0")).json()
    bot_said = [r for r in history["replies"] if r["from"] == "bot"]
    assert bot_said and all("audio_url" in r for r in bot_said)
    assert not any("audio_url" in r for r in history["replies"] if r["from"] == "citizen")


@needs_speech
async def test_another_session_cannot_fetch_the_audio(client: TestClient) -> None:
    sid, _ = await _open(client)
    other, _ = await _open(client)
    assert (await client.get(f"/webchat/api/sessions/{sid}/messages/1/audio")).status == 200
    # The other chat's seq 1 is its own greeting; a message it does not have is not found.
    assert (await client.get(f"/webchat/api/sessions/{other}/messages/2/audio")).status == 404
    assert (await client.get("/webchat/api/sessions/not-a-session/messages/1/audio")).status == 404
    for seq in ("0", "-1", "abc", "99999999999"):
        resp = await client.get(f"/webchat/api/sessions/{sid}/messages/{seq}/audio")
        assert resp.status == 404, seq


@needs_speech
async def test_a_citizens_own_message_has_no_audio(client: TestClient) -> None:
    sid, _ = await _open(client)
    await _say(client, sid, text="halo")  # seq 2 is hers
    assert (await client.get(f"/webchat/api/sessions/{sid}/messages/2/audio")).status == 404


@needs_speech
async def test_dengarkan_answers_with_a_reply_to_play_now(client: TestClient) -> None:
    sid, opened = await _open(client)
    [reply] = await _say(client, sid, text="dengarkan")
    assert reply["voice"] is True
    assert reply["text"] == opened["replies"][0]["text"]  # type: ignore[index]
    resp = await client.get(reply["audio_url"])
    assert_voice_note(await resp.read(), min_seconds=3.0)


@needs_speech
async def test_with_voice_on_every_reply_is_played(client: TestClient) -> None:
    sid, _ = await _open(client)
    replies = await _say(client, sid, button="voice:on")
    assert replies and all(r["voice"] is True for r in replies)
    replies = await _say(client, sid, text="status")
    assert replies and all(r["voice"] is True for r in replies)
    replies = await _say(client, sid, text="tanpa suara")
    assert not any(r.get("voice") for r in replies) and all("audio_url" in r for r in replies)


async def test_when_speech_fails_the_audio_answers_503_and_the_chat_goes_on(
    client: TestClient, core: Core
) -> None:
    core.services.speech._synth.programs = Programs("/bin/false", "/bin/false")
    sid, opened = await _open(client)
    url = opened["replies"][0]["audio_url"]  # type: ignore[index]
    resp = await client.get(url)
    assert resp.status == 503
    assert "suara" in (await resp.json())["error"]
    assert await _say(client, sid, text="bantuan")


async def test_switched_off_there_is_no_audio_url_and_no_audio(quiet_client: TestClient) -> None:
    sid, opened = await _open(quiet_client)
    assert "audio_url" not in opened["replies"][0]  # type: ignore[index]
    resp = await quiet_client.get(f"/webchat/api/sessions/{sid}/messages/1/audio")
    assert resp.status == 404
