"""The client's address: one answer for login throttling, the questionnaire-code throttle, the
audit log and consent records.

Behind a reverse proxy every request comes from the proxy, and the client's own address is in
X-Forwarded-For, which anyone can also send. So the header is believed only when the request
comes from a proxy listed in `TRUSTED_PROXIES`, and only as far as trusted proxies wrote it:
reading from the right, the first address that is not a trusted proxy is the client. An
address the client put at the left is never reached while an untrusted hop is in between.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# The address of the request this thread serves, for code that has no request (audit entries
# written by services); set and reset by `RequestScopeMiddleware`.
current_address: ContextVar[str | None] = ContextVar("current_address", default=None)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(text: str) -> Address | None:
    text = text.strip()
    # "[2001:db8::1]:443" and "203.0.113.7:51000" as some proxies write them.
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as text, or None when the connection gives none."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            # A hop a trusted proxy would not write: stop at the last address we can vouch for.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
