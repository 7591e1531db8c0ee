"""Turn prepared text into an OGG/Opus voice note with espeak-ng and opusenc, time-bounded.

Why these two programs: both are Debian packages (``espeak-ng``, ``opus-tools``) that work
offline, and the pair streams WAV through a pipe: ``opusenc`` is Xiph's reference Opus
encoder, resamples espeak-ng's 22 050 Hz itself and writes the OGG/Opus that Telegram's
``sendVoice``, WhatsApp's ``audio`` messages and browsers' ``<audio>`` all play. The other
option, ``soundfile`` (libsndfile), would add a Python dependency and still need a resampler
to reach a rate Opus accepts. Each synthesis runs as two child processes of this one: the
event loop only waits on pipes, a time bound kills them, and the text goes on stdin, so it
never shows in a process list.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Slower than espeak-ng's 175 words a minute: the listeners are often older citizens.
WORDS_PER_MINUTE = 150
# Speech needs little: 24 kbit/s mono Opus is clear and keeps a 30 s note near 90 kB.
BITRATE_KBPS = 24
# Only so many syntheses at once per worker: each takes a CPU for a fraction of a second.
MAX_PARALLEL = 2
MAX_TEXT = 2000


class SynthesisError(Exception):
    """Speech could not be made (program missing, failed, or too slow)."""


@dataclass(frozen=True, slots=True)
class Programs:
    """Where espeak-ng and opusenc are; None when the package is not installed."""

    espeak: str | None
    opusenc: str | None

    @classmethod
    def find(cls) -> Programs:
        """Look both programs up on PATH."""
        return cls(shutil.which("espeak-ng"), shutil.which("opusenc"))

    @property
    def available(self) -> bool:
        """Tell whether both programs were found."""
        return bool(self.espeak and self.opusenc)


class Synthesizer:
    """Speak text in one espeak-ng voice and encode it as OGG/Opus, within a time bound."""

    def __init__(self, programs: Programs, voice: str, timeout: float) -> None:
        self.programs = programs
        self._voice = voice
        self._timeout = timeout
        self._slots = asyncio.Semaphore(MAX_PARALLEL)

    async def synthesize(self, text: str) -> bytes:
        """Return OGG/Opus audio of ``text``, or raise :class:`SynthesisError`."""
        if not self.programs.available:
            raise SynthesisError("espeak-ng or opusenc is not installed")
        async with self._slots:
            try:
                return await asyncio.wait_for(self._run(text[:MAX_TEXT]), self._timeout)
            except TimeoutError:
                raise SynthesisError(f"speech took over {self._timeout:g} s") from None

    async def _run(self, text: str) -> bytes:
        assert self.programs.espeak and self.programs.opusenc
        espeak = opus = None
        try:
            espeak = await asyncio.create_subprocess_exec(
                self.programs.espeak, "-v", self._voice, "-s", str(WORDS_PER_MINUTE),
                "--stdin", "--stdout",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            wav, _ = await espeak.communicate(text.encode())
            if espeak.returncode != 0 or not wav:
                raise SynthesisError(f"espeak-ng exited with {espeak.returncode}")
            opus = await asyncio.create_subprocess_exec(
                self.programs.opusenc, "--quiet", "--speech", "--bitrate", str(BITRATE_KBPS),
                "--downmix-mono", "-", "-",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            ogg, _ = await opus.communicate(wav)
            if opus.returncode != 0 or not ogg.startswith(b"OggS"):
                raise SynthesisError(f"opusenc exited with {opus.returncode}")
            return ogg
        except OSError as exc:
            raise SynthesisError(f"could not start the speech programs ({exc.strerror})") from None
        finally:
            # Cancelled by the time bound: leave no child running.
            for process in (espeak, opus):
                if process is not None and process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                    await process.wait()
