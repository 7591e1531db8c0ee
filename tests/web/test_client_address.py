"""The client address: forwarding headers believed only from trusted proxies."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from bot.domain.addresses import address_block
from bot.web.client_address import resolve_client

LOOPBACK = (ip_network("127.0.0.0/8"), ip_network("::1/128"))
PROXIES = (*LOOPBACK, ip_network("10.0.0.0/8"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "forwarded", "expected"),
    [
        ("198.51.100.9", ["203.0.113.7"], [], "198.51.100.9"),  # untrusted peer: header ignored
        ("127.0.0.1", ["203.0.113.7"], [], "203.0.113.7"),
        ("127.0.0.1", [], [], "127.0.0.1"),
        # The client wrote the left part itself; the proxy appended what it saw.
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7"], [], "203.0.113.7"),
        ("127.0.0.1", ["6.6.6.6", "203.0.113.7"], [], "203.0.113.7"),
        ("10.0.0.2", ["203.0.113.7, 10.0.0.5"], [], "203.0.113.7"),  # two proxies
        ("127.0.0.1", ["garbage, 203.0.113.7"], [], "203.0.113.7"),
        ("127.0.0.1", ["203.0.113.7, unknown"], [], "127.0.0.1"),  # nothing known past it
        ("127.0.0.1", ["203.0.113.7:4711"], [], "203.0.113.7"),
        ("127.0.0.1", ["[2001:db8::7]:4711"], [], "2001:db8::7"),
        ("::ffff:127.0.0.1", ["203.0.113.7"], [], "203.0.113.7"),  # dual-stack socket
        ("::1", [], ['for="[2001:db8::7]:4711";proto=https'], "2001:db8::7"),
        ("127.0.0.1", [], ["for=6.6.6.6, for=203.0.113.7;by=10.0.0.1"], "203.0.113.7"),
        ("127.0.0.1", ["203.0.113.7"], ["for=6.6.6.6"], "203.0.113.7"),  # X-Forwarded-For wins
        (None, ["203.0.113.7"], [], None),
    ],
)
def test_client_address_believes_only_trusted_proxies(
    peer: str | None, forwarded_for: list[str], forwarded: list[str], expected: str | None
) -> None:
    assert resolve_client(peer, forwarded_for, forwarded, PROXIES) == expected


def test_with_no_trusted_proxies_the_peer_is_the_client() -> None:
    assert resolve_client("127.0.0.1", ["203.0.113.7"], [], ()) == "127.0.0.1"


@pytest.mark.parametrize(
    ("address", "block"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:0:7::1", "2001:db8:0:7::/64"),
        ("2001:db8:0:7:ffff:1:2:3", "2001:db8:0:7::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        (None, "unknown"),
    ],
)
def test_a_client_holds_its_address_or_its_ipv6_slash_64(address: str | None, block: str) -> None:
    assert address_block(address) == block
