"""Measure how much a block of code grows this process at its peak (Linux only).

``tracemalloc`` does not see Pillow's or libjpeg's buffers (they are plain ``malloc``), so the
resident set is measured instead: freed heap memory is first given back to the system
(``malloc_trim``), the kernel's high-water mark is reset (``/proc/self/clear_refs``), and the
growth is the high-water mark reached inside the block minus the resident size before it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

MB = 1024 * 1024
_STATUS = Path("/proc/self/status")


@dataclass
class Growth:
    """The peak growth of the resident set inside a ``peak_growth`` block, in bytes."""

    bytes: int = 0

    @property
    def mb(self) -> float:
        """Return the growth in MiB."""
        return self.bytes / MB


def _status(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    assert match, field
    return int(match.group(1)) * 1024


def _trim() -> None:
    gc.collect()
    # Not glibc: freed memory may stay resident, and the growth reads low.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pytest.skip("cannot reset the resident set's high-water mark here")


@contextmanager
def peak_growth() -> Iterator[Growth]:
    """Yield a ``Growth`` filled, after the block, with how far the process grew at its peak."""
    if not sys.platform.startswith("linux"):
        pytest.skip("peak memory is measured through Linux's /proc")
    _trim()
    _reset_peak()
    before = _status("VmRSS")
    growth = Growth()
    try:
        yield growth
    finally:
        growth.bytes = max(0, _status("VmHWM") - before)
