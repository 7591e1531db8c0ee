"""The receivers' verification function: a good signature passes, forged or expired ones fail."""

from __future__ import annotations

import time

from bot.domain.webhooks import signature_header
from integrations.citysystems.verify import verify_signature

SECRET = "whsec_rahasia-kota"
BODY = b'{"specversion":"1.0","id":"abc","type":"id.go.tangerangkota.live.registration.approved"}'
NOW = 1_800_000_000


def test_a_fresh_signature_over_the_exact_body_passes() -> None:
    assert verify_signature(SECRET, BODY, signature_header(SECRET, NOW, BODY), now=NOW + 10)
    now = int(time.time())
    assert verify_signature(SECRET, BODY, signature_header(SECRET, now, BODY))


def test_a_changed_body_or_another_secret_fails() -> None:
    header = signature_header(SECRET, NOW, BODY)
    assert not verify_signature(SECRET, BODY.replace(b"approved", b"rejected"), header, now=NOW)
    assert not verify_signature("whsec_other", BODY, header, now=NOW)
    forged = signature_header("whsec_guess", NOW, BODY)
    assert not verify_signature(SECRET, BODY, forged, now=NOW)


def test_a_signature_outside_the_five_minute_window_fails() -> None:
    header = signature_header(SECRET, NOW, BODY)
    assert verify_signature(SECRET, BODY, header, now=NOW + 300)
    assert not verify_signature(SECRET, BODY, header, now=NOW + 301)  # replayed later
    assert not verify_signature(SECRET, BODY, header, now=NOW - 301)  # from the future


def test_a_timestamp_moved_forward_breaks_the_signature() -> None:
    header = signature_header(SECRET, NOW, BODY).replace(f"t={NOW}", f"t={NOW + 3600}")
    assert not verify_signature(SECRET, BODY, header, now=NOW + 3600)


def test_malformed_headers_fail_without_raising() -> None:
    for header in ("", "v1=abc", f"t={NOW}", "t=x,v1=y", "garbage", f"t={NOW},v1="):
        assert not verify_signature(SECRET, BODY, header, now=NOW)


def test_any_of_several_signatures_may_match() -> None:
    good = signature_header(SECRET, NOW, BODY).split("v1=")[1]
    assert verify_signature(SECRET, BODY, f"t={NOW},v1=deadbeef,v1={good}", now=NOW)
