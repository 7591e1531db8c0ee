"""Citizen- and console-facing text from the Fluent catalog under ``locales/``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "id"


class MissingMessageError(KeyError):
    """Raised when code asks for a message id the catalog does not define."""


class Catalog:
    """One locale's messages, loaded from every ``*.ftl`` file in its folder."""

    def __init__(self, locale: str = DEFAULT_LOCALE, root: Path = LOCALES_DIR) -> None:
        self.locale = locale
        # Isolation marks (U+2068/U+2069) confuse old phones and plain-text channels.
        self._bundle = FluentBundle([locale], use_isolating=False)
        folder = root / locale
        files = sorted(folder.glob("*.ftl"))
        if not files:
            raise FileNotFoundError(f"no .ftl files in {folder}")
        for path in files:
            self._bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))

    def has(self, key: str) -> bool:
        """Tell whether the catalog defines ``key``."""
        return self._bundle.has_message(key)

    def text(self, key: str, /, **args: object) -> str:
        """Format message ``key`` with ``args``; raise if the key is unknown."""
        if not self._bundle.has_message(key):
            raise MissingMessageError(key)
        message = self._bundle.get_message(key)
        if message.value is None:
            raise MissingMessageError(key)
        value, errors = self._bundle.format_pattern(message.value, _fluent_args(args))
        if errors:
            raise ValueError(f"message {key!r}: {errors[0]}")
        return value

    def attribute(self, key: str, attr: str, /, **args: object) -> str:
        """Format attribute ``attr`` of message ``key`` (e.g. a button label)."""
        message = self._bundle.get_message(key)
        pattern = message.attributes.get(attr)
        if pattern is None:
            raise MissingMessageError(f"{key}.{attr}")
        value, errors = self._bundle.format_pattern(pattern, _fluent_args(args))
        if errors:
            raise ValueError(f"message {key}.{attr}: {errors[0]}")
        return value


def _fluent_args(args: Mapping[str, object]) -> dict[str, object]:
    return {k: (v if isinstance(v, int | float) else str(v)) for k, v in args.items()}


WIB = timezone(timedelta(hours=7), "WIB")


def format_date(catalog: Catalog, value: date) -> str:
    """Write a date the Indonesian way, e.g. ``17 Agustus 1975``."""
    return f"{value.day} {catalog.text(f'month-{value.month}')} {value.year}"


def format_datetime(catalog: Catalog, value: datetime) -> str:
    """Write a moment in Jakarta time, e.g. ``29 November 2026 pukul 14.05 WIB``."""
    local = value.astimezone(WIB)
    return catalog.text(
        "datetime-format", date=format_date(catalog, local.date()), time=local.strftime("%H.%M")
    )
