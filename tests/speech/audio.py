"""Decode voice notes the way a player would, to check what the bot really sends."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pytest
import soundfile

from bot.speech.synth import Programs

# Speech needs both Debian packages (espeak-ng, opus-tools); `make test` installs them as root.
needs_speech = pytest.mark.skipif(
    not Programs.find().available, reason="espeak-ng or opusenc (opus-tools) not installed"
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """What a decoder finds in a voice note."""

    container: str
    codec: str
    channels: int
    sample_rate: int
    seconds: float
    peak: float


def decode(audio: bytes) -> Decoded:
    """Decode OGG audio fully with libsndfile and describe it."""
    with soundfile.SoundFile(io.BytesIO(audio)) as sound:
        samples = sound.read(dtype="float32")
        return Decoded(
            container=sound.format, codec=sound.subtype, channels=sound.channels,
            sample_rate=sound.samplerate, seconds=sound.frames / sound.samplerate,
            peak=float(np.abs(samples).max()) if samples.size else 0.0,
        )  # fmt: skip


def assert_voice_note(audio: bytes, *, min_seconds: float = 1.0) -> Decoded:
    """Check ``audio`` is a real OGG/Opus voice note with speech in it; return its details."""
    decoded = decode(audio)
    assert decoded.container == "OGG" and decoded.codec == "OPUS", decoded
    assert decoded.channels == 1
    # Opus decodes at 8, 12, 16, 24 or 48 kHz; libsndfile picks the one nearest espeak-ng's.
    assert decoded.sample_rate in (8000, 12000, 16000, 24000, 48000)
    assert decoded.seconds >= min_seconds, decoded
    assert decoded.peak > 0.05, "the note is silent"
    return decoded
