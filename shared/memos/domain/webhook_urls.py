"""Whether a webhook URL is safe to call: http(s), and never into the server's own network.

A webhook makes the server send requests to a URL a user chose, so a URL pointing at loopback,
a private or link-local network, carrier-grade NAT, multicast or reserved space, or a cloud
metadata endpoint would turn the service against the network it runs in. The hostname is
resolved (through an injectable resolver, so tests need no DNS) and *every* address it
resolves to must be public; an IP literal is checked as it is. Delivery must check the address
it actually connects to again (:func:`is_forbidden_address`), since DNS can change in between.

Messages follow Memos' ``plugin/webhook/validate.go``; the blocked ranges are a superset of
Memos' (which misses CGNAT, multicast, reserved space and IPv4 inside IPv6 forms).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    Resolver = Callable[[str], Sequence[str]]
    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH: Final = 2048
ALLOWED_SCHEMES: Final = frozenset({"http", "https"})
FORBIDDEN_ADDRESS: Final = "webhook URL must not resolve to a reserved or private IP address"

# Besides what ``ipaddress`` already classes as private, loopback, link-local, multicast,
# reserved or unspecified (and so never "global").
_EXTRA_BLOCKED: Final = tuple(
    ipaddress.ip_network(network)
    for network in (
        "100.64.0.0/10",  # carrier-grade NAT (shared address space)
        "169.254.169.254/32",  # cloud metadata (AWS, GCP, Azure, ...)
        "fd00:ec2::254/128",  # AWS metadata over IPv6
        "fec0::/10",  # IPv6 site-local: deprecated, yet still routed inside some networks
        "0.0.0.0/8",  # "this network"
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "255.255.255.255/32",  # broadcast
    )
)
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def check_webhook_url(
    raw: str, resolve: Resolver = resolve_host, *, allow_loopback: bool = False
) -> str:
    """The trimmed URL when it is safe to deliver to; INVALID_ARGUMENT naming the problem.
    ``allow_loopback`` (tests and local development only) lets loopback addresses through."""
    url = raw.strip()
    if not url:
        raise InvalidArgumentError("webhook URL is required")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidArgumentError(f"invalid webhook URL: longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        raise InvalidArgumentError(f"invalid webhook URL: {error}") from None
    if not parts.scheme:
        raise InvalidArgumentError(f"invalid webhook URL: {url} is not an absolute URL")
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise InvalidArgumentError(
            f'webhook URL must use http or https scheme, got "{parts.scheme}"'
        )
    if not host:
        raise InvalidArgumentError(f"invalid webhook URL: {url} has no host")
    for address in _addresses_of(host, resolve):
        if is_forbidden_address(address) and not (allow_loopback and address.is_loopback):
            raise InvalidArgumentError(FORBIDDEN_ADDRESS)
    return url


def is_forbidden_address(address: str | IPAddress) -> bool:
    """Whether a webhook may not be delivered to this address."""
    ip = ipaddress.ip_address(address.split("%")[0]) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None and is_forbidden_address(embedded):
            return True
    if any(ip in network for network in _EXTRA_BLOCKED if network.version == ip.version):
        return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _addresses_of(host: str, resolve: Resolver) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    unresolvable = InvalidArgumentError(f"webhook URL hostname could not be resolved: {host}")
    try:
        resolved = list(resolve(host))
    except (OSError, UnicodeError):
        raise unresolvable from None
    addresses: list[IPAddress] = []
    for address in resolved:
        try:
            addresses.append(ipaddress.ip_address(address.split("%")[0]))
        except ValueError:
            raise unresolvable from None
    if not addresses:
        raise unresolvable
    return addresses
