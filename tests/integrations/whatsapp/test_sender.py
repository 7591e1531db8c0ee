"""The sender: 24-hour window, templates, error handling and rate limiting."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.config import Settings
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Button, Reply, Template
from bot.engine.ratelimit import RateLimiter
from bot.i18n import Catalog
from integrations.whatsapp.graph import GraphClient
from integrations.whatsapp.sender import WhatsAppSender
from tests.integrations.whatsapp.conftest import CITIZEN, make_settings
from tests.standins.graph_api import GraphApiStandIn

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
APPROVED = Template("verifikasi_disetujui", ("TL-2025-000042",))
DECISION = Reply("Pendaftaran Anda disetujui. Nomor: TL-2025-000042", template=APPROVED)


class SpyLimiter(RateLimiter):
    """A limiter that remembers pauses."""

    def __init__(self) -> None:
        super().__init__(rate=1000, per_key_interval=0.0)
        self.pauses: list[float] = []

    def pause(self, seconds: float) -> None:
        """Record and apply a pause."""
        self.pauses.append(seconds)


@pytest.fixture
def limiter() -> SpyLimiter:
    """Return a limiter that records pauses."""
    return SpyLimiter()


@pytest.fixture
def sender(
    client: GraphClient, settings: Settings, catalog: Catalog, limiter: SpyLimiter
) -> WhatsAppSender:
    """Return a sender whose clock stands at ``NOW``."""
    return WhatsAppSender(
        client, settings=settings, catalog=catalog, limiter=limiter, clock=lambda: NOW
    )


def _recipient(hours_ago: float | None) -> Recipient:
    last = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    return Recipient(chat_id=CITIZEN, last_inbound_at=last)


async def test_inside_window_sends_rendered_message(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    reply = Reply("Apakah Anda setuju?", (Button("y", "Setuju"), Button("n", "Tidak")))
    wamid = await sender.send(_recipient(1), reply)
    [payload] = graph.messages
    assert payload["type"] == "interactive"
    assert wamid is not None and wamid.startswith("wamid.")
    assert graph.rejected == []


async def test_inside_window_prefers_free_text_even_with_a_template(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    await sender.send(_recipient(23), DECISION)
    assert [m["type"] for m in graph.messages] == ["text"]


@pytest.mark.parametrize("hours_ago", [None, 24.5, 72])
async def test_outside_window_sends_the_template(
    sender: WhatsAppSender, graph: GraphApiStandIn, hours_ago: float | None
) -> None:
    wamid = await sender.send(_recipient(hours_ago), DECISION)
    assert wamid
    [payload] = graph.messages
    assert payload["type"] == "template"
    assert payload["template"] == {
        "name": "verifikasi_disetujui",
        "language": {"code": "id"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "TL-2025-000042"}]}
        ],
    }


async def test_window_has_a_safety_margin(sender: WhatsAppSender, graph: GraphApiStandIn) -> None:
    await sender.send(_recipient(23.99), DECISION)
    assert graph.templates


async def test_template_language_comes_from_settings(
    client: GraphClient, graph: GraphApiStandIn, catalog: Catalog
) -> None:
    settings = make_settings(graph.api_base, whatsapp_template_language="en_US")
    sender = WhatsAppSender(client, settings=settings, catalog=catalog, clock=lambda: NOW)
    await sender.send(_recipient(None), DECISION)
    assert graph.templates[0]["template"]["language"] == {"code": "en_US"}


async def test_outside_window_without_template_is_a_permanent_error(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    with pytest.raises(SendError) as caught:
        await sender.send(_recipient(30), Reply("Halo lagi"))
    assert caught.value.retry_after is None
    assert "24-hour" in str(caught.value)
    assert graph.messages == []


async def test_reengagement_error_falls_back_to_the_template(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    graph.fail_next(400, 131047)
    wamid = await sender.send(_recipient(2), DECISION)
    assert wamid
    assert [m["type"] for m in graph.messages] == ["template"]


async def test_reengagement_error_without_template_is_permanent(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    graph.fail_next(400, 131047)
    with pytest.raises(SendError) as caught:
        await sender.send(_recipient(2), Reply("Halo"))
    assert caught.value.retry_after is None
    assert graph.messages == []


async def test_throughput_limit_pauses_and_retries_with_backoff(
    sender: WhatsAppSender, graph: GraphApiStandIn, limiter: SpyLimiter
) -> None:
    graph.fail_next(400, 130429, times=2)
    with pytest.raises(SendError) as first:
        await sender.send(_recipient(1), Reply("Halo"))
    with pytest.raises(SendError) as second:
        await sender.send(_recipient(1), Reply("Halo"))
    assert first.value.retry_after is not None and first.value.retry_after > 0
    assert second.value.retry_after is not None
    assert second.value.retry_after > first.value.retry_after
    assert limiter.pauses == [first.value.retry_after, second.value.retry_after]
    assert await sender.send(_recipient(1), Reply("Halo"))
    assert len(graph.messages) == 1


@pytest.mark.parametrize("code", [80007, 131048])
async def test_account_limits_pause_everything(
    sender: WhatsAppSender, graph: GraphApiStandIn, limiter: SpyLimiter, code: int
) -> None:
    graph.fail_next(400, code)
    with pytest.raises(SendError) as caught:
        await sender.send(_recipient(1), Reply("Halo"))
    assert caught.value.retry_after
    assert limiter.pauses == [caught.value.retry_after]


async def test_pair_limit_retries_this_chat_only(
    sender: WhatsAppSender, graph: GraphApiStandIn, limiter: SpyLimiter
) -> None:
    graph.fail_next(400, 131056)
    with pytest.raises(SendError) as caught:
        await sender.send(_recipient(1), Reply("Halo"))
    assert caught.value.retry_after
    assert limiter.pauses == []


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (500, 131000, True),
        (503, 2, True),
        (401, 190, True),
        (400, 100, False),
        (400, 131026, False),
    ],
)
async def test_error_classification(
    sender: WhatsAppSender, graph: GraphApiStandIn, status: int, code: int, retryable: bool
) -> None:
    graph.fail_next(status, code)
    with pytest.raises(SendError) as caught:
        await sender.send(_recipient(1), Reply("Halo"))
    assert (caught.value.retry_after is not None) is retryable


async def test_network_failure_is_retryable(settings: Settings, catalog: Catalog) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = GraphClient(f"http://127.0.0.1:{port}/v21.0", "t", "1")
    async with aiohttp.ClientSession() as session:
        client.bind(session)
        sender = WhatsAppSender(client, settings=settings, catalog=catalog, clock=lambda: NOW)
        with pytest.raises(SendError) as caught:
            await sender.send(_recipient(1), Reply("Halo"))
    assert caught.value.retry_after


async def test_unbound_session_is_retryable(settings: Settings, catalog: Catalog) -> None:
    client = GraphClient(settings.whatsapp_api_base, "t", "1")
    sender = WhatsAppSender(client, settings=settings, catalog=catalog, clock=lambda: NOW)
    with pytest.raises(SendError) as caught:
        await sender.send(_recipient(1), Reply("Halo"))
    assert caught.value.retry_after


async def test_multi_part_retry_does_not_resend_delivered_parts(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    reply = Reply("Siap kirim foto?", (Button("y", "Siap"),), image_url="/static/contoh-ktp.jpg")
    graph.messages.clear()
    # First part goes out, the second fails temporarily.
    original = graph._take_failure
    calls = {"n": 0}

    def fail_second(endpoint: str) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            graph.fail_next(500, 131000)
        return original(endpoint)

    graph._take_failure = fail_second  # type: ignore[method-assign]
    with pytest.raises(SendError):
        await sender.send(_recipient(1), reply)
    assert [m["type"] for m in graph.messages] == ["image"]
    wamid = await sender.send(_recipient(1), reply)
    assert [m["type"] for m in graph.messages] == ["image", "interactive"]
    assert wamid
    # A later, successful repeat of the same reply is sent in full again.
    await sender.send(_recipient(1), reply)
    assert [m["type"] for m in graph.messages] == ["image", "interactive"] * 2


async def test_per_chat_gap_is_respected(
    client: GraphClient, settings: Settings, catalog: Catalog, graph: GraphApiStandIn
) -> None:
    sender = WhatsAppSender(
        client,
        settings=settings,
        catalog=catalog,
        limiter=RateLimiter(80, per_key_interval=0.05),
        clock=lambda: NOW,
    )
    start = time.monotonic()
    for n in range(4):
        await sender.send(_recipient(1), Reply(f"pesan {n}"))
    assert time.monotonic() - start >= 0.15
    assert len(graph.messages) == 4


async def test_bsuid_chat_is_addressed_by_recipient(
    sender: WhatsAppSender, graph: GraphApiStandIn
) -> None:
    bsuid = "ID.1502576394655843"
    recipient = Recipient(chat_id=bsuid, last_inbound_at=NOW - timedelta(hours=1))
    assert await sender.send(recipient, Reply("Halo"))
    assert await sender.send(Recipient(chat_id=bsuid), DECISION)
    sent = graph.messages_to(bsuid)
    assert [m["type"] for m in sent] == ["text", "template"]
    assert all("to" not in m and m["recipient"] == bsuid for m in sent)
