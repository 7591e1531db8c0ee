"""Where the FAQ keeps files it can always rebuild (uncompressed model weights, stems).

``TLIVE_MODEL_CACHE`` if set, else ``$XDG_CACHE_HOME/tlive-bot`` (``~/.cache/tlive-bot``).
Everything here is a cache: deleting the directory only makes the next start slower, and a
directory that cannot be written is simply not used.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Return the directory for the FAQ's rebuildable files."""
    explicit = os.environ.get("TLIVE_MODEL_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tlive-bot"


def write_atomically(target: Path, data: bytes) -> bool:
    """Write a cache file whole or not at all; return whether it was written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError:
        return False
    return True
