"""Every citizen-facing string draws on an old phone: no emoji newer than Android 7 knows."""

from __future__ import annotations

from pathlib import Path

import pytest

LOCALES = Path(__file__).resolve().parents[1] / "locales" / "id"
# Android 7 (still common among older citizens' phones) draws the emoji of Unicode 9 and
# earlier. Newer ones (🪪 is Unicode 14) come out as an empty box, on a button most of all.
_NEWER_THAN_UNICODE_9 = (
    (0x1F6D3, 0x1F6DF),  # transport symbols from Unicode 10 on
    (0x1F6F7, 0x1F6FF),
    (0x1F90C, 0x1F90F),
    (0x1F93F, 0x1F93F),
    (0x1F94C, 0x1F94F),
    (0x1F95F, 0x1F97F),
    (0x1F992, 0x1F9FF),  # most of Supplemental Symbols and Pictographs
    (0x1FA70, 0x1FAFF),  # Symbols and Pictographs Extended-A (🪪 🫶 …)
)


def _too_new(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _NEWER_THAN_UNICODE_9)


@pytest.mark.parametrize("path", sorted(LOCALES.glob("*.ftl")), ids=lambda p: p.name)
def test_catalog_uses_only_emoji_an_old_android_phone_draws(path: Path) -> None:
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(_too_new(c) for c in line)
    ]
    assert not found, "\n".join(found)


def test_the_check_knows_the_identification_card_emoji() -> None:
    assert _too_new("🪪") and _too_new("🥲") and not _too_new("📄") and not _too_new("🗑")
