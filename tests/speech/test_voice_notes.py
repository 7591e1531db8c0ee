"""Voice notes are real OGG/Opus speech, made once per text, never in the text's way."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

import pytest

from bot.config import Settings
from bot.crypto import Cipher, derive_key
from bot.speech import SpeechService, build_speech
from bot.speech.cache import SUFFIX, VoiceCache
from bot.speech.synth import Programs
from tests.speech.audio import assert_voice_note, needs_speech

NIK_TEXT = "NIK Bapak/Ibu 3671014101800001. Nama: SITI AMINAH. Benar?"
PROMPT = "Silakan ketik nama lengkap sesuai KTP."


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path, "secret_key": "s" * 48}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _counting_espeak(tmp_path: Path) -> tuple[Programs, Path]:
    """Return programs whose espeak-ng notes every run in a file, then runs the real one."""
    real = Programs.find()
    calls = tmp_path / "espeak-calls"
    wrapper = tmp_path / "espeak-ng"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{real.espeak}" "$@"\n')
    wrapper.chmod(0o755)
    return Programs(str(wrapper), real.opusenc), calls


def _runs(calls: Path) -> int:
    return len(calls.read_text().splitlines()) if calls.exists() else 0


@needs_speech
async def test_a_note_is_indonesian_speech_in_ogg_opus(tmp_path: Path) -> None:
    speech = build_speech(_settings(tmp_path))
    audio = await speech.voice_note(NIK_TEXT)
    assert audio is not None
    decoded = assert_voice_note(audio, min_seconds=5.0)  # sixteen digits take their time
    assert decoded.seconds < 40


@needs_speech
async def test_a_second_note_of_the_same_text_does_not_run_espeak_again(tmp_path: Path) -> None:
    programs, calls = _counting_espeak(tmp_path)
    speech = build_speech(_settings(tmp_path / "data"), programs=programs)
    first = await speech.voice_note(PROMPT)
    second = await speech.voice_note(PROMPT)
    assert first is not None and second == first
    assert _runs(calls) == 1 and speech.synthesized == 1
    # Another worker (a fresh service on the same data folder) finds it on disk.
    other = build_speech(_settings(tmp_path / "data"), programs=programs)
    assert await other.voice_note(PROMPT) == first
    assert _runs(calls) == 1


@needs_speech
async def test_asked_at_once_a_text_is_synthesized_once(tmp_path: Path) -> None:
    programs, calls = _counting_espeak(tmp_path)
    speech = build_speech(_settings(tmp_path / "data"), programs=programs)
    notes = await asyncio.gather(*(speech.voice_note(PROMPT) for _ in range(5)))
    assert len({n for n in notes if n}) == 1 and _runs(calls) == 1


@needs_speech
async def test_the_disk_cache_shows_neither_the_text_nor_the_audio(tmp_path: Path) -> None:
    speech = build_speech(_settings(tmp_path))
    audio = await speech.voice_note(NIK_TEXT)
    assert audio is not None
    [stored] = list((tmp_path / "speech").iterdir())
    assert stored.name.endswith(SUFFIX) and len(stored.name) == 64 + len(SUFFIX)
    data = stored.read_bytes()
    assert b"OggS" not in data and b"OpusHead" not in data  # encrypted
    assert "3671" not in stored.name and audio not in data
    assert (tmp_path / "speech").stat().st_mode & 0o077 == 0  # the folder is the service's own
    # With another secret key the file is unreadable: it is dropped, not served.
    other = build_speech(_settings(tmp_path, secret_key="t" * 48))
    assert other._cache.get(stored.name.removesuffix(SUFFIX)) is None
    assert not stored.exists()


def test_the_cache_drops_notes_past_their_age_and_the_oldest_past_its_size(
    tmp_path: Path,
) -> None:
    cache = VoiceCache(
        b"k" * 32, Cipher(derive_key("secret", "speech-cache")), tmp_path,
        memory_bytes=2_500, disk_bytes=2_500, max_age=3600,
    )  # fmt: skip
    for n in range(4):
        cache.put(f"{n:064x}", bytes([n]) * 1000)
        path = tmp_path / f"{n:064x}{SUFFIX}"
        os.utime(path, (time.time() - 100 + n, time.time() - 100 + n))
    cache.sweep()
    kept = sorted(p.name[:64] for p in tmp_path.iterdir())
    assert kept == [f"{n:064x}" for n in (2, 3)]  # the two newest fit in 2 500 bytes
    assert cache.get(f"{0:064x}") is None  # out of memory too (2 500 bytes hold two)
    old = tmp_path / f"{3:064x}{SUFFIX}"
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    cache._memory.clear()
    assert cache.get(f"{3:064x}") is None and not old.exists()


async def test_without_espeak_ng_there_is_no_note_and_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    speech = build_speech(_settings(tmp_path), programs=Programs(None, "/usr/bin/opusenc"))
    assert not speech.enabled
    assert await speech.voice_note(PROMPT) is None


async def test_switched_off_there_is_no_note(tmp_path: Path) -> None:
    speech = build_speech(_settings(tmp_path, voice=False))
    assert not speech.enabled and await speech.voice_note(PROMPT) is None


async def test_a_synthesis_over_the_time_bound_is_given_up_and_logged_without_the_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    slow = tmp_path / "espeak-ng"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    speech = build_speech(
        _settings(tmp_path / "data", voice_timeout_seconds=0.5),
        programs=Programs(str(slow), "/usr/bin/opusenc"),
    )
    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        assert await speech.voice_note(NIK_TEXT) is None
    assert time.monotonic() - started < 3
    assert "voice note skipped" in caplog.text
    assert "3671" not in caplog.text and "SITI" not in caplog.text


async def test_a_failing_espeak_gives_no_note(tmp_path: Path) -> None:
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    broken.chmod(0o755)
    speech = build_speech(_settings(tmp_path / "data"), programs=Programs(str(broken), "/bin/true"))
    assert await speech.voice_note(PROMPT) is None


def test_the_service_is_built_without_running_anything(tmp_path: Path) -> None:
    speech = build_speech(_settings(tmp_path))
    assert isinstance(speech, SpeechService)
    assert not (tmp_path / "speech").exists()  # the cache folder appears with the first note
