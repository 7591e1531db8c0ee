"""Voice notes kept by a keyed hash of their text: in memory, and encrypted on disk.

A note may say a citizen's name or NIK (a summary read aloud), so the cache never shows what
it holds: a file is named by an HMAC of the voice and the text (not guessable without the
secret key, and equal texts share one note) and its bytes are AES-GCM encrypted, bound to that
name. Both tiers are bounded by size and age; an old note is simply made again. Deleting the
folder at any time is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import time
from collections import OrderedDict
from pathlib import Path

from cryptography.exceptions import InvalidTag

from bot.crypto import Cipher

log = logging.getLogger(__name__)

MEMORY_BYTES = 16 * 1024 * 1024
DISK_BYTES = 256 * 1024 * 1024
# A day: a common prompt is made again at most once a day (~60 ms of CPU), and a note that
# reads out a name or a NIK (a summary) is gone a day after it was last made.
MAX_AGE_SECONDS = 24 * 3600
SUFFIX = ".ogg.enc"
# The disk is swept once every this many writes (a directory listing, not per write).
SWEEP_EVERY = 50


class VoiceCache:
    """Remember voice notes by keyed hash, bounded in bytes and age."""

    def __init__(
        self,
        hash_key: bytes,
        cipher: Cipher,
        folder: Path | None,
        *,
        memory_bytes: int = MEMORY_BYTES,
        disk_bytes: int = DISK_BYTES,
        max_age: float = MAX_AGE_SECONDS,
    ) -> None:
        self._hash_key = hash_key
        self._cipher = cipher
        self._folder = folder
        self._memory: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._memory_used = 0
        self._memory_bytes = memory_bytes
        self._disk_bytes = disk_bytes
        self._max_age = max_age
        self._writes = 0

    def key(self, voice: str, text: str) -> str:
        """Return the name a note of ``text`` in ``voice`` is kept under (reveals neither)."""
        message = f"{voice}\x00{text}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()

    def get(self, key: str) -> bytes | None:
        """Return the note kept under ``key``, or None."""
        now = time.time()
        held = self._memory.get(key)
        if held is not None:
            if now - held[0] <= self._max_age:
                self._memory.move_to_end(key)
                return held[1]
            self._forget(key)
        audio = self._read(key, now)
        if audio is not None:
            self._remember(key, audio, now)
        return audio

    def put(self, key: str, audio: bytes) -> None:
        """Keep ``audio`` under ``key``."""
        now = time.time()
        self._remember(key, audio, now)
        self._write(key, audio)

    def _remember(self, key: str, audio: bytes, now: float) -> None:
        if len(audio) > self._memory_bytes:
            return
        self._forget(key)
        self._memory[key] = (now, audio)
        self._memory_used += len(audio)
        while self._memory_used > self._memory_bytes:
            _, (_, old) = self._memory.popitem(last=False)
            self._memory_used -= len(old)

    def _forget(self, key: str) -> None:
        held = self._memory.pop(key, None)
        if held is not None:
            self._memory_used -= len(held[1])

    def _path(self, key: str) -> Path | None:
        return None if self._folder is None else self._folder / f"{key}{SUFFIX}"

    def _read(self, key: str, now: float) -> bytes | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            if now - path.stat().st_mtime > self._max_age:
                path.unlink(missing_ok=True)
                return None
            return self._cipher.decrypt(path.read_bytes(), context=key.encode())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, InvalidTag) as exc:  # unreadable, or another key's file
            log.warning("speech cache: dropping an unreadable note (%s)", type(exc).__name__)
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            return None

    def _write(self, key: str, audio: bytes) -> None:
        path = self._path(key)
        if path is None or self._folder is None:
            return
        try:
            self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(self._cipher.encrypt(audio, context=key.encode()))
            temporary.replace(path)  # another worker reading it sees all or nothing
        except OSError as exc:
            log.warning("speech cache: could not keep a note on disk (%s)", exc.strerror)
            return
        self._writes += 1
        if self._writes % SWEEP_EVERY == 1:
            self.sweep()

    def sweep(self) -> None:
        """Delete notes older than the age bound, then the oldest until under the size bound."""
        if self._folder is None or not self._folder.is_dir():
            return
        now = time.time()
        kept: list[tuple[float, int, Path]] = []
        for path in self._folder.glob(f"*{SUFFIX}"):
            try:
                stat = path.stat()
            except OSError:
                continue
            if now - stat.st_mtime > self._max_age:
                path.unlink(missing_ok=True)
            else:
                kept.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):
            if total <= self._disk_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
