"""Voice notes of bot messages: prepared, made once per text, never in the text's way."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.config import Settings
from bot.crypto import Cipher, derive_key
from bot.speech.cache import VoiceCache
from bot.speech.synth import Programs, SynthesisError, Synthesizer
from bot.speech.text import speakable

log = logging.getLogger(__name__)

# The MIME type of every note, for uploads and HTTP answers.
MIME_TYPE = "audio/ogg"
FILENAME = "suara.ogg"


class SpeechService:
    """Make the voice note of a message, from the cache when it was made before.

    A note that cannot be made (no espeak-ng, a failure, over the time bound) is None: the
    caller has sent the text already and leaves the note out. Log lines never carry the text.
    """

    def __init__(self, synthesizer: Synthesizer, cache: VoiceCache, voice: str, *,
                 enabled: bool = True) -> None:  # fmt: skip
        self._synth = synthesizer
        self._cache = cache
        self._voice = voice
        self._enabled = enabled
        # Notes being made right now, so two asks for one text share one synthesis.
        self._pending: dict[str, asyncio.Future[bytes | None]] = {}
        self.synthesized = 0

    @property
    def enabled(self) -> bool:
        """Tell whether voice notes are switched on and the programs are installed."""
        return self._enabled and self._synth.programs.available

    async def voice_note(self, text: str) -> bytes | None:
        """Return the OGG/Opus note of ``text``, or None when there is none to give."""
        if not self.enabled:
            return None
        spoken = speakable(text)
        if not spoken:
            return None
        key = self._cache.key(self._voice, spoken)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            audio = await self._make(spoken)
            if audio is not None:
                self._cache.put(key, audio)
            future.set_result(audio)
            return audio
        finally:
            if not future.done():  # cancelled while waiting: the others must not hang
                future.set_result(None)
            self._pending.pop(key, None)

    async def _make(self, spoken: str) -> bytes | None:
        try:
            audio = await self._synth.synthesize(spoken)
        except SynthesisError as exc:
            log.warning("voice note skipped: %s", exc)
            return None
        self.synthesized += 1
        return audio


def build_speech(settings: Settings, *, programs: Programs | None = None) -> SpeechService:
    """Build the speech service from settings: espeak-ng's voice, the time bound, the cache."""
    programs = programs or Programs.find()
    if settings.voice and not programs.available:
        log.warning("voice notes off: install the Debian packages espeak-ng and opus-tools")
    cache = VoiceCache(
        derive_key(settings.secret_key, "speech-cache-name"),
        Cipher(derive_key(settings.secret_key, "speech-cache")),
        Path(settings.data_dir) / "speech",
    )
    synthesizer = Synthesizer(programs, settings.voice_name, settings.voice_timeout_seconds)
    return SpeechService(synthesizer, cache, settings.voice_name, enabled=settings.voice)
