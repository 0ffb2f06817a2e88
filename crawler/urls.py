"""URL canonicalization for deduplication.

Two URLs that name the same article must canonicalize to the same string: host case,
default ports, fragments, percent-encoding and query order, and tracking parameters
added by feeds, newsletters and social sites (utm_*, fbclid, gclid, ...) are normalised
away. The path keeps its case and trailing slash (servers distinguish them).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only track the reader's path to the page, never select content.
# Prefix families end with "_"; the list follows common link-cleaning rule sets.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ncid", "ito",
        "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid",
        "wt.mc_id", "at_medium", "at_campaign", "spm", "share", "ref_src", "smid",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "ns_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MULTI_SLASH = re.compile(r"/{2,}")


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter name is a known tracking parameter."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize(url: str) -> str:
    """The canonical form of ``url`` used as its identity in the crawl."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_param(k)
        ]
    )
    path = _MULTI_SLASH.sub("/", parts.path) or "/"
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")), keep_fragments=False)


def host_in_domains(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of ``domains`` or a subdomain of one (ports ignored)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)
