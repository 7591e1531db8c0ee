"""The public web chat API against abuse (issue 15): photo bombs, floods, oversized forms.

A 106 KB 5000×4990 RGBA PNG sent anonymously grew the worker by ~480 MB (four at once: 1.9 GB),
and nothing but the proxy limited how fast one client could post. Memory is measured on the
resident set of this process, which runs the app (tests/support/memory.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.core import Core
from bot.web.ratelimit import (
    THROTTLE,
    Action,
    Rate,
    WebchatLimits,
    WebchatThrottle,
    address_key,
)
from tests.photos import factory
from tests.support.memory import peak_growth

NIK = "3671014501900001"
# The registration up to the KTP photo, as in tests/e2e/test_webchat_registration.py.
TO_KTP_STEP: tuple[dict[str, str], ...] = (
    {"text": "halo"},
    {"button": "menu:register"},
    {"button": "consent:yes"},
    {"text": "Siti Aminah"},
    {"text": NIK},
    {"button": "birth:yes"},
    {"text": "0812 3456 7890"},
    {"button": "kec:cipondoh"},
    {"button": "kel:petir"},
)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    app = build_app(core.settings, core=core)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


Limited = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def limited(core: Core) -> AsyncIterator[Limited]:
    """Return a maker of clients of an app whose throttle has the given limits."""
    started: list[TestClient] = []

    async def make(clock: FakeClock | None = None, **rates: object) -> TestClient:
        app = build_app(core.settings, core=core)
        limits = WebchatLimits(**rates)  # type: ignore[arg-type]
        app[THROTTLE] = WebchatThrottle(limits, clock=clock or time.monotonic)
        test_client = TestClient(TestServer(app))
        await test_client.start_server()
        started.append(test_client)
        return test_client

    yield make
    for test_client in started:
        await test_client.close()


async def _open(client: TestClient, **headers: str) -> str:
    resp = await client.post("/webchat/api/sessions", headers=headers)
    assert resp.status == 201, await resp.text()
    return str((await resp.json())["session_id"])


def _url(sid: str) -> str:
    return f"/webchat/api/sessions/{sid}/messages"


async def _at_ktp_step(client: TestClient) -> str:
    sid = await _open(client)
    for body in TO_KTP_STEP:
        resp = await client.post(_url(sid), json=body)
        assert resp.status == 200, await resp.text()
    return sid


async def _send_photo(client: TestClient, sid: str, data: bytes) -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("photo", data, filename="ktp.png", content_type="image/png")
    return await client.post(_url(sid), data=form)


def _texts(body: dict[str, object]) -> str:
    return "\n".join(r["text"] for r in body["replies"])  # type: ignore[attr-defined, index]


# --------------------------------------------------------------------------- photo bombs


async def test_png_bomb_at_the_ktp_step_is_refused_kindly_fast_and_without_memory(
    client: TestClient, core: Core
) -> None:
    sid = await _at_ktp_step(client)
    bomb = factory.rgba_png_bomb()
    with peak_growth() as growth:
        started = time.perf_counter()
        resp = await _send_photo(client, sid, bomb)
        elapsed = time.perf_counter() - started
        body = await resp.json()
    assert resp.status == 200
    assert core.catalog.text("photo-too-many-pixels") in _texts(body)
    assert elapsed < 2.0
    assert growth.mb < 30, growth.mb


async def test_huge_jpeg_at_the_ktp_step_is_refused_kindly_without_memory(
    client: TestClient, core: Core
) -> None:
    sid = await _at_ktp_step(client)
    for bomb in (factory.jpeg_bomb(60_000, 60_000), factory.progressive_jpeg_bomb(8000, 8000)):
        with peak_growth() as growth:
            body = await (await _send_photo(client, sid, bomb)).json()
        assert core.catalog.text("photo-too-many-pixels") in _texts(body)
        assert growth.mb < 30, growth.mb


async def test_four_bombs_at_once_stay_far_under_the_budget(client: TestClient, core: Core) -> None:
    sessions = [await _at_ktp_step(client) for _ in range(4)]
    bomb = factory.rgba_png_bomb()
    with peak_growth() as growth:
        responses = await asyncio.gather(*(_send_photo(client, sid, bomb) for sid in sessions))
        bodies = [await resp.json() for resp in responses]
    refusal = core.catalog.text("photo-too-many-pixels")
    assert all(refusal in _texts(body) for body in bodies)
    assert growth.mb < 100, growth.mb


async def test_real_phone_photo_still_goes_through(client: TestClient) -> None:
    sid = await _at_ktp_step(client)
    photo = factory.large_jpeg("ktp")  # 4000×3000, as a phone camera takes it
    with peak_growth() as growth:
        body = await (await _send_photo(client, sid, photo)).json()
    assert "selfie" in _texts(body).lower()
    assert growth.mb < 100, growth.mb


# --------------------------------------------------------------------------- rate limits


async def test_one_session_posting_too_fast_gets_429_with_retry_after_and_a_kind_message(
    limited: Limited, core: Core
) -> None:
    clock = FakeClock()
    client = await limited(clock, session_writes=Rate(burst=3, per_minute=6))
    sid = await _open(client)
    for n in range(3):
        assert (await client.post(_url(sid), json={"text": f"halo {n}"})).status == 200
    resp = await client.post(_url(sid), json={"text": "halo lagi"})
    assert resp.status == 429
    assert resp.headers["Retry-After"] == "10"  # one message every 10 s
    assert resp.headers["Cache-Control"] == "no-store"
    assert (await resp.json())["error"] == core.catalog.text("webchat-error-too-many", seconds=10)
    clock.now += 10  # waiting as told is enough: the refused request was not charged
    assert (await client.post(_url(sid), json={"text": "halo lagi"})).status == 200


async def test_another_session_is_not_slowed_by_a_fast_one(limited: Limited) -> None:
    client = await limited(session_writes=Rate(burst=2, per_minute=1))
    fast, calm = await _open(client), await _open(client)
    for _ in range(2):
        await client.post(_url(fast), json={"text": "halo"})
    assert (await client.post(_url(fast), json={"text": "halo"})).status == 429
    assert (await client.post(_url(calm), json={"text": "halo"})).status == 200


async def test_photos_count_as_several_messages(limited: Limited) -> None:
    client = await limited(session_writes=Rate(burst=10, per_minute=1), photo_cost=5)
    sid = await _open(client)
    photo = factory.good_ktp_jpeg()
    assert (await _send_photo(client, sid, photo)).status == 200
    assert (await _send_photo(client, sid, photo)).status == 200
    assert (await _send_photo(client, sid, photo)).status == 429


async def test_polling_has_its_own_allowance(limited: Limited) -> None:
    client = await limited(session_writes=Rate(burst=1, per_minute=1), session_reads=Rate(3, 1))
    sid = await _open(client)
    await client.post(_url(sid), json={"text": "halo"})
    assert (await client.post(_url(sid), json={"text": "halo"})).status == 429
    for _ in range(3):
        assert (await client.get(_url(sid), params={"after": "1"})).status == 200
    resp = await client.get(_url(sid), params={"after": "1"})
    assert resp.status == 429 and int(resp.headers["Retry-After"]) >= 1


async def test_one_address_opening_many_chats_gets_429(limited: Limited, core: Core) -> None:
    client = await limited(address_opens=Rate(burst=2, per_minute=1))
    await _open(client)
    await _open(client)
    resp = await client.post("/webchat/api/sessions")
    assert resp.status == 429
    assert resp.headers["Retry-After"] == "60"
    assert (await resp.json())["error"] == core.catalog.text("webchat-error-too-many", seconds=60)


async def test_one_address_is_limited_across_its_sessions(limited: Limited) -> None:
    client = await limited(address_writes=Rate(burst=4, per_minute=1))
    first, second = await _open(client), await _open(client)
    for sid in (first, first, second, second):
        assert (await client.post(_url(sid), json={"text": "halo"})).status == 200
    assert (await client.post(_url(second), json={"text": "halo"})).status == 429
    third = await _open(client)  # a fresh session does not escape its address's limit
    assert (await client.post(_url(third), json={"text": "halo"})).status == 429


async def test_clients_behind_the_trusted_proxy_are_limited_apart(limited: Limited) -> None:
    # The test client connects from 127.0.0.1, which TLIVE_TRUSTED_PROXIES trusts by default.
    client = await limited(address_opens=Rate(burst=1, per_minute=1))
    await _open(client, **{"X-Forwarded-For": "203.0.113.7"})
    await _open(client, **{"X-Forwarded-For": "203.0.113.8"})
    resp = await client.post("/webchat/api/sessions", headers={"X-Forwarded-For": "203.0.113.7"})
    assert resp.status == 429


async def test_unknown_sessions_are_limited_by_address_before_any_lookup(
    limited: Limited,
) -> None:
    client = await limited(address_writes=Rate(burst=2, per_minute=1))
    statuses = [
        (await client.post(_url(f"nope{n}"), json={"text": "halo"})).status for n in range(3)
    ]
    assert statuses == [404, 404, 429]


def test_an_ipv6_client_is_counted_by_its_64() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:198.51.100.4") == address_key("198.51.100.4") == "198.51.100.4"
    assert address_key(None) == "unknown"


def test_default_limits_let_a_person_register_at_her_pace() -> None:
    clock = FakeClock()
    throttle = WebchatThrottle(clock=clock)
    # A registration: 12 messages and 2 photos within a minute, polling every 3 s throughout.
    for n in range(14):
        photo = n in (9, 10)
        assert throttle.charge(Action.WRITE, address="10.0.0.1", session="s1", photo=photo) == 0
        assert throttle.charge(Action.READ, address="10.0.0.1", session="s1") == 0
        clock.now += 3
        assert throttle.charge(Action.READ, address="10.0.0.1", session="s1") == 0
