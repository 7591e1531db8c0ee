"""Compare secrets someone sent (CSRF tokens, link keys, signatures) with the expected ones."""

from __future__ import annotations

import hmac


def same_secret(given: str, expected: str) -> bool:
    """Tell whether ``given`` equals ``expected``, in constant time, whatever characters it has."""
    # compare_digest refuses str with non-ASCII characters (a TypeError, so a 500): compare the
    # bytes instead. surrogatepass also encodes the lone surrogates undecodable headers become.
    return hmac.compare_digest(_bytes(given), _bytes(expected))


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")
