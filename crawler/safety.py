"""Network safety: refuse requests to loopback, private, link-local and cloud-metadata
addresses unless an outlet's config allows private addresses.

Two checks cover every path to a socket:

* :class:`SafeResolver` (Scrapy's ``DNS_RESOLVER``) checks the address a host name
  actually resolves to, at connection time, so a DNS answer that changes between checks
  (rebinding) or a redirect to an internal name cannot slip through;
* :class:`crawler.middlewares.safety.AddressSafetyMiddleware` checks IP-literal URLs
  (which never reach a resolver) and, after the fact, the peer address Scrapy reports
  for each response (defence in depth for download handlers that resolve on their own).

Which host names may resolve to private addresses is process-wide (the resolver is), and
filled in by spiders whose outlet has ``network.allow_private: true``.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import threading
from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

# Cloud instance-metadata endpoints: refused even where private addresses are allowed.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)

_lock = threading.Lock()
_private_ok_hosts: set[str] = set()
# Host name -> refusal message of the resolver; Scrapy reports a refused lookup as a
# plain DNS failure, so spiders look the reason up here (bounded: one entry per host).
_refused_hosts: dict[str, str] = {}


def refusal_for_host(host: str) -> str | None:
    """The resolver's refusal message for ``host``, if it refused one of its answers."""
    with _lock:
        return _refused_hosts.get(host.lower())


def allow_private_hosts(hosts: Iterable[str]) -> None:
    """Let these host names (and their subdomains) resolve to private addresses."""
    with _lock:
        _private_ok_hosts.update(h.lower().strip(".") for h in hosts)


def private_allowed(host: str) -> bool:
    """Whether ``host`` belongs to an outlet that allows private addresses."""
    host = host.lower().strip(".")
    with _lock:
        return any(host == h or host.endswith("." + h) for h in _private_ok_hosts)


@functools.lru_cache(maxsize=4096)
def blocked_reason(address: str) -> str | None:
    """Why ``address`` must not be contacted by default, or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for attribute, reason in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_private", "a private address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, attribute):
            return reason
    return None if ip.is_global else "a non-global address"


def refusal(host: str, address: str) -> str | None:
    """The refusal message for connecting to ``address`` for ``host``, or None if allowed."""
    reason = blocked_reason(address)
    if reason is None:
        return None
    if reason != "a cloud metadata address" and private_allowed(host):
        return None
    return (
        f"refused {host} -> {address}: {reason}; set network.allow_private in the outlet"
        " config to crawl it"
    )


class SafeResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers that point at private addresses."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._check, name)
        return deferred

    @staticmethod
    def _check(address: Any, name: str) -> Any:
        message = refusal(name, str(address))
        if message is not None:
            with _lock:
                _refused_hosts[name.lower()] = message
            logger.warning("%s", message)
            raise DNSLookupError(message)
        return address
