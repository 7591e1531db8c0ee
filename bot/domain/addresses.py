"""IP addresses as headers and sockets write them, and the block one client holds."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address


def parse_address(raw: str) -> IPAddress | None:
    """Return the IP in a header hop or peer name (brackets, port and quotes allowed)."""
    text = raw.strip().strip('"')
    if text.startswith("["):  # [2001:db8::1]:4711
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # 203.0.113.7:4711
        text = text.partition(":")[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # a dual-stack socket's view of an IPv4 peer
    return address


def address_block(address: str | None) -> str:
    """Return the block one client holds: the address, or for IPv6 its /64."""
    parsed = parse_address(address or "")
    if parsed is None:
        return (address or "unknown")[:64]
    if isinstance(parsed, IPv6Address):
        # One subscriber or host gets a whole /64; counting single addresses would let it
        # rotate through 2^64 of them.
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
