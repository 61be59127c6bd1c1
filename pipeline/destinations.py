"""Where the crawler may connect: no loopback, private or link-local address by surprise.

A page, a redirect or a robots.txt can point the crawler at `http://127.0.0.1:6379/`, at a
host on the crawler's own network, or at the cloud metadata service on 169.254.169.254;
each such request is a probe of a network the site's owner cannot see. So before every hop
the host is resolved as the connection would resolve it (a name, or spellings such as
`http://2852039166/` that only the resolver turns into 169.254.169.254), and every address
is classed. A hop is refused when an address falls in a non-public class that none of the
source's own hosts is in: a source published on an intranet (or the tests' sites on
127.0.0.1) still reaches its own kind of address, and nothing else private.

The check runs just before the request; the HTTP client resolves the name again when it
connects, so a name whose DNS answer changes in between is not caught here.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

from pipeline.errors import FetchError
from pipeline.scope import UrlParts

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DestinationRefusedError(FetchError):
    """A URL's host resolves to an address the source may not reach."""


def address_class(address: IPAddress) -> str | None:
    """'loopback', 'link-local', 'private' or 'non-public' for such an address; None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if not address.is_global or address.is_multicast:
        return "non-public"
    return None


class Destinations:
    """Resolves hosts (once per run) and judges hops against a source's own hosts."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout  # seconds a lookup may take; then the connection decides
        self._classes: dict[str, frozenset[str | None]] = {}

    async def classes(self, host: str, port: int) -> frozenset[str | None]:
        """The classes of the addresses `host` resolves to (empty if it does not resolve:
        the connection then fails with its own reason)."""
        known = self._classes.get(host)
        if known is not None:
            return known
        try:
            found: Iterable[IPAddress] = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            found = await _resolve(host, port, self.timeout)
        classes = frozenset(address_class(a) for a in found)
        self._classes[host] = classes
        return classes

    async def home(self, urls: Iterable[str]) -> frozenset[str | None]:
        """The non-public classes a source's own hosts fall into."""
        classes: set[str | None] = set()
        for url in urls:
            parts = UrlParts.of(url)
            if parts is not None:
                classes |= await self.classes(parts.host, parts.port)
        return frozenset(c for c in classes if c is not None)

    async def check(self, url: str, home: frozenset[str | None], what: str = "") -> None:
        """Raise DestinationRefusedError if `url`'s host resolves outside what `home` allows."""
        parts = UrlParts.of(url)
        if parts is None:
            return
        classes = await self.classes(parts.host, parts.port)
        refused = sorted(c for c in classes if c is not None and c not in home)
        if refused:
            lead = f"{what} " if what else ""
            raise DestinationRefusedError(
                f"{lead}{url} refused: {parts.host} is a {' and '.join(refused)} address, "
                "and the source's own sites are not"
            )


async def _resolve(host: str, port: int, timeout: float) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, TimeoutError):
        return []
    found = []
    for _family, _type, _proto, _name, sockaddr in infos:
        try:
            found.append(ipaddress.ip_address(str(sockaddr[0]).split("%")[0]))
        except ValueError:
            continue
    return found
