"""Check an Asisten Tangerang LIVE event on the receiving side (copy this file; stdlib only).

Every event is POSTed with the header ``X-Tlive-Signature: t=<unix seconds>,v1=<hex>`` where
``<hex>`` is HMAC-SHA256 over ``f"{t}.{raw body}"`` with the endpoint's secret. Accept it only
when the signature matches and ``t`` is within five minutes of your clock (a replayed old
request is refused); then de-duplicate on the body's ``id`` (a retry carries the same ``id``).

    from verify import verify_signature
    if not verify_signature(SECRET, raw_body, request.headers.get("X-Tlive-Signature", "")):
        return 400
"""

from __future__ import annotations

import hashlib
import hmac
import time

REPLAY_WINDOW_SECONDS = 300


def verify_signature(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance: int = REPLAY_WINDOW_SECONDS,
    now: float | None = None,
) -> bool:
    """Tell whether ``header`` signs the raw ``body`` with ``secret`` within the replay window."""
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)  # several during a secret change: any may match
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return any(hmac.compare_digest(expected, c) for c in candidates)
