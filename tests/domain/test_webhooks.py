"""The outbound event's rules: URLs allowed, what a scope lets through, the body, the backoff."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest

from bot.domain.webhooks import (
    EventType,
    Scope,
    WebhookUrlError,
    backoff,
    body_of,
    check_url,
    cloud_event,
    parse_events,
    scoped,
    signature_header,
)
from integrations.citysystems.verify import verify_signature

DATA = {"reference": "TL-7KQ4M9", "status": "approved", "nik": "3671014501900001", "name": "SITI"}


@pytest.mark.parametrize(
    "url",
    ["https://dukcapil.tangerangkota.go.id/hooks", "http://127.0.0.1:9000/x", "http://localhost/a",
     "http://[::1]:8000/"],
)  # fmt: skip
def test_https_and_plain_http_to_this_machine_are_allowed(url: str) -> None:
    assert check_url(url, allow_http=False) == url


@pytest.mark.parametrize(
    ("url", "code"),
    [("ftp://example.org/x", "url_scheme"), ("javascript:alert(1)", "url_scheme"),
     ("file:///etc/passwd", "url_scheme"), ("", "url_invalid"), ("https://a b/", "url_invalid"),
     ("http://10.0.0.5/hook", "url_plain_http"),
     ("https://user:pw@example.org/", "url_credentials"),
     ("https://example.org:99999/", "url_invalid"), ("https://" + "a" * 600, "url_invalid")],
)  # fmt: skip
def test_other_urls_are_refused_with_a_reason(url: str, code: str) -> None:
    with pytest.raises(WebhookUrlError) as refused:
        check_url(url, allow_http=False)
    assert refused.value.code == code


def test_a_setting_allows_plain_http_to_other_hosts() -> None:
    assert check_url("http://10.0.0.5/hook", allow_http=True) == "http://10.0.0.5/hook"


def test_status_scope_never_carries_nik_or_name() -> None:
    assert scoped(DATA, Scope.STATUS) == {"reference": "TL-7KQ4M9", "status": "approved"}
    assert scoped(DATA, Scope.IDENTITY) == DATA


def test_events_all_or_named_and_unknown_refused() -> None:
    assert parse_events(["all"]) == list(EventType)
    assert parse_events([]) == list(EventType)
    assert parse_events(["handoff.requested", "registration.approved"]) == [
        EventType.REGISTRATION_APPROVED, EventType.HANDOFF_REQUESTED,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        parse_events(["registration.deleted"])


def test_body_is_a_cloudevent_signed_so_the_receiver_verifies_it() -> None:
    at = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    envelope = cloud_event("e-1", EventType.REGISTRATION_APPROVED, "TL-7KQ4M9", at, DATA)
    body = body_of(envelope)
    parsed = json.loads(body)
    assert parsed["specversion"] == "1.0" and parsed["id"] == "e-1"
    assert parsed["type"] == "id.go.tangerangkota.live.registration.approved"
    assert parsed["time"] == "2026-12-05T09:30:00Z" and parsed["subject"] == "TL-7KQ4M9"
    assert parsed["datacontenttype"] == "application/json" and parsed["data"] == DATA
    header = signature_header("whsec_abc", 1_800_000_000, body)
    assert verify_signature("whsec_abc", body, header, now=1_800_000_000)


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    delays = [backoff(n, base=2.0, cap=100.0, rng=rng) for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        full = min(100.0, 2.0 * 2 ** (n - 1))
        assert full / 2 <= delay <= full
    assert len({round(backoff(3, base=2.0, cap=100.0, rng=rng), 6) for _ in range(20)}) > 1
