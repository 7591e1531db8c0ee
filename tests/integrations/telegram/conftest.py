"""Fixtures for the Telegram channel tests: the Bot API stand-in, a bot, a fake core."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiogram import Bot
from PIL import Image

from bot.config import Settings
from bot.engine.channels import ChannelSender
from bot.engine.messages import Inbound
from bot.engine.ports import ChannelContext, HandleResult
from bot.i18n import Catalog
from integrations.telegram.install import make_bot
from tests.standins.telegram_api import TelegramStandin


@dataclass
class FakeCore:
    """Record what the channel hands to the core; fail or dawdle on demand."""

    inbounds: list[Inbound] = field(default_factory=list)
    senders: list[ChannelSender] = field(default_factory=list)
    fail_times: int = 0
    fail_ids: set[str] = field(default_factory=set)
    delay: float = 0.0
    active: int = 0
    max_active: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_inbound(self, inbound: Inbound) -> HandleResult:
        """Store ``inbound`` unless told to fail; report repeats as duplicates."""
        if self.fail_times > 0 or inbound.message_id in self.fail_ids:
            self.fail_times = max(0, self.fail_times - 1)
            raise RuntimeError("database unavailable")
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.active -= 1
        duplicate = any(i.message_id == inbound.message_id for i in self.inbounds)
        self.inbounds.append(inbound)
        self._changed.set()
        return HandleResult(duplicate=duplicate)

    def texts(self, chat_id: int | str) -> list[str]:
        """Return the texts handled for one chat, in order."""
        return [i.text for i in self.inbounds if i.chat_id == str(chat_id)]

    async def wait_for(self, n: int, seconds: float = 10.0) -> list[Inbound]:
        """Wait until ``n`` inbounds were handled."""
        async with asyncio.timeout(seconds):
            while len(self.inbounds) < n:
                await self._changed.wait()
                self._changed.clear()
        return self.inbounds


def make_context(settings: Settings, catalog: Catalog, core: FakeCore) -> ChannelContext:
    """Build the minimal context the core would pass, around ``core``."""

    async def record_delivery(
        channel: str, message_id: str, status: str, error: str | None
    ) -> None:
        return None

    return ChannelContext(
        settings=settings,
        catalog=catalog,
        handle_inbound=core.handle_inbound,
        add_sender=core.senders.append,
        record_delivery=record_delivery,
    )


@pytest.fixture
async def standin() -> AsyncIterator[TelegramStandin]:
    """Run the Bot API stand-in."""
    async with TelegramStandin() as server:
        yield server


@pytest.fixture
def settings(standin: TelegramStandin, tmp_path: Path) -> Settings:
    """Settings for long polling against the stand-in."""
    return Settings(
        data_dir=tmp_path,
        telegram_token=standin.token,
        telegram_api_base=standin.api_base,
        public_url=None,
    )


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Bot]:
    """A bot talking to the stand-in."""
    bot = make_bot(settings)
    yield bot
    await bot.session.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The Indonesian catalog."""
    return Catalog()


@pytest.fixture
def core() -> FakeCore:
    """A core that records inbounds."""
    return FakeCore()


def jpeg(
    width: int = 1600, height: int = 1200, color: tuple[int, int, int] = (30, 90, 160)
) -> bytes:
    """Make a JPEG picture."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="JPEG", quality=85)
    return out.getvalue()


@pytest.fixture(scope="session")
def photo() -> bytes:
    """A 1600×1200 JPEG."""
    return jpeg()
