"""What the benchmarks share: a scratch database, a core with a counting channel, a citizen's
scripted input and her NIK.

Imported as ``bench._support`` by scripts run as ``python bench/X.py`` (each puts the
repository root on ``sys.path`` first).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config import load_settings
from bot.core import Core, build_core
from bot.engine.channels import Recipient
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.storage.migrate import upgrade
from tests.support.postgres import temporary_database


@contextmanager
def scratch_database(postgres: bool, tmp: str) -> Iterator[str]:
    """Yield a fresh, empty database so every run starts from the same state.

    SQLite in ``tmp``, or a throw-away PostgreSQL database on ``TLIVE_TEST_POSTGRES_URL``.
    """
    if not postgres:
        yield f"sqlite+aiosqlite:///{tmp}/bench.db"
        return
    with temporary_database() as url:
        yield url


def nik_of(number: int) -> str:
    """Return a valid, distinct Kota Tangerang NIK for citizen ``number`` (a woman born in 1990)."""
    day, serial = 41 + number // 9999 % 31, number % 9999 + 1  # day 41–71: a woman's 1–31
    return f"367101{day:02d}0190{serial:04d}"


def scripted(channel: str, chat_id: str, update_id: str, kind: InboundKind, value: str) -> Inbound:
    """Return a citizen's input: ``value`` is the text, the button id or the shared phone."""
    return Inbound(
        channel, chat_id, update_id, kind,
        text=value if kind is InboundKind.TEXT else "",
        button_id=value if kind is InboundKind.BUTTON else None,
        contact_phone=value if kind is InboundKind.CONTACT else None,
    )  # fmt: skip


class CountingSender:
    """A push channel that sends nowhere and counts."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.sent = 0

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        """Count the message; return a fresh message id."""
        self.sent += 1
        return str(self.sent)


async def counting_core(url: str, tmp: str, sender: CountingSender) -> Core:
    """Return a migrated core (no OCR, no voice) whose replies go through the outbox to ``sender``.

    Its channel is a push channel, as Telegram and WhatsApp are in production.
    """
    settings = load_settings(secret_key="b" * 40, database_url=url, data_dir=Path(tmp), voice=False)
    core = build_core(settings, ocr=False)
    await upgrade(core.db.engine)
    await core.services.faq.reload()
    core.outbox.add_sender(sender)
    core.services.delivery.push_channels.add(sender.channel)
    return core
