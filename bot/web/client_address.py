"""The client's address: the TCP peer, or what a trusted reverse proxy says it forwarded.

Behind the reverse proxy every request comes from the proxy, so the lockout and the audit log
need the address the proxy saw. Forwarding headers are believed only from the peers in
``TLIVE_TRUSTED_PROXIES``; anyone else could write them.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network

from aiohttp import web

from bot.core import CORE
from bot.domain.addresses import IPAddress, parse_address

Networks = Sequence[IPv4Network | IPv6Network]
# More hops than any real chain of proxies; the rest of a longer header is ignored.
_MAX_HOPS = 16


def client_address(request: web.Request) -> str | None:
    """Return the address of whoever sent ``request`` (the one function for it)."""
    return resolve_client(
        request.remote,
        request.headers.getall("X-Forwarded-For", []),
        request.headers.getall("Forwarded", []),
        request.config_dict[CORE].settings.trusted_proxy_networks,
    )


def resolve_client(
    peer: str | None, forwarded_for: Sequence[str], forwarded: Sequence[str], trusted: Networks
) -> str | None:
    """Return the client address from the peer and its forwarding headers."""
    address = parse_address(peer or "")
    if address is None:
        return peer or None
    # Proxies append: walk from the peer leftwards while each hop is a trusted proxy. The first
    # hop a trusted proxy reports from outside is the client; anything left of it was written
    # by that client and could say anything.
    hops = _hops(forwarded_for, forwarded) if _is_trusted(address, trusted) else []
    for raw in reversed(hops[-_MAX_HOPS:]):
        hop = parse_address(raw)
        if hop is None:  # "unknown", an obfuscated name or garbage: nothing further is known
            break
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return str(address)


def _hops(forwarded_for: Sequence[str], forwarded: Sequence[str]) -> list[str]:
    # X-Forwarded-For is what nginx and Caddy write; Forwarded (RFC 7239) only when it is absent.
    if forwarded_for:
        return [hop for line in forwarded_for for hop in line.split(",")]
    hops = []
    for element in (e for line in forwarded for e in line.split(",")):
        for pair in element.split(";"):
            name, _, value = pair.partition("=")
            if name.strip().lower() == "for":
                hops.append(value)
    return hops


def _is_trusted(address: IPAddress, trusted: Networks) -> bool:
    return any(address in network for network in trusted)
