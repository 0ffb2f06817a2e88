"""Lenient date parsing for feeds and sitemaps (RFC 822/1123 and ISO 8601 / W3C datetime)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz

logger = logging.getLogger(__name__)

_ISO_RE = re.compile(
    r"""^(?P<y>\d{4})(?:-(?P<mo>\d{1,2})(?:-(?P<d>\d{1,2}))?)?
    (?:[T\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?
    \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_TZ_TAIL_RE = re.compile(
    r"(?:(?P<sign>[+-])(?P<hh>\d{2}):(?P<mm>\d{2})|(?P<name>[A-Za-z]{2,5}))\s*$"
)

# Zones that email.utils does not know (it knows UT/UTC/GMT/Z and the US ones).
_EXTRA_ZONES: dict[str, str] = {
    "WET": "+0000", "WEST": "+0100", "BST": "+0100", "IST": "+0530", "CET": "+0100",
    "CEST": "+0200", "MET": "+0100", "MEST": "+0200", "EET": "+0200", "EEST": "+0300",
    "MSK": "+0300", "HKT": "+0800", "SGT": "+0800", "JST": "+0900", "KST": "+0900",
    "AWST": "+0800", "ACST": "+0930", "ACDT": "+1030", "AEST": "+1000", "AEDT": "+1100",
    "NZST": "+1200", "NZDT": "+1300", "AKST": "-0900", "AKDT": "-0800", "HST": "-1000",
}  # fmt: skip


def parse_date(value: str | None) -> datetime | None:
    """Parse a feed/sitemap date into an aware ``datetime``; None when unparseable.

    Accepts ISO 8601 / W3C datetime (``2024-05-01``, ``2024-05-01T10:00+02:00``,
    ``2024-05-01T10:00:00.123Z``, ``+0200`` offsets) and RFC 822/1123 dates (named zones,
    missing weekday, two-digit years). Values without a zone are taken as UTC. Never raises.
    """
    if not value:
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    try:
        match = _ISO_RE.match(text)
        if match is not None:
            return _from_iso(match)
        return _from_rfc822(text)
    except (ValueError, OverflowError, TypeError, IndexError):
        logger.debug("unparseable date %r", text)
        return None


def _from_iso(match: re.Match[str]) -> datetime:
    """Build a datetime from an :data:`_ISO_RE` match."""
    groups = match.groupdict()
    fraction = (groups["f"] or "0")[:6].ljust(6, "0")
    return datetime(
        int(groups["y"]),
        int(groups["mo"] or 1),
        int(groups["d"] or 1),
        int(groups["h"] or 0),
        int(groups["mi"] or 0),
        int(groups["s"] or 0),
        int(fraction),
        tzinfo=_iso_zone(groups["tz"]),
    )


def _iso_zone(tz: str | None) -> timezone:
    """Turn ``Z`` / ``+hh:mm`` / ``+hhmm`` / ``+hh`` (or nothing) into a ``timezone``."""
    if tz is None or tz.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(sign * timedelta(minutes=minutes))


def _from_rfc822(text: str) -> datetime | None:
    """Parse an RFC 822/1123-ish date via ``email.utils`` after normalizing the zone."""
    tail = _TZ_TAIL_RE.search(text)
    if tail is not None:
        if tail.group("sign"):
            text = f"{text[: tail.start()]}{tail['sign']}{tail['hh']}{tail['mm']}"
        elif (name := tail.group("name").upper()) in _EXTRA_ZONES:
            text = f"{text[: tail.start()]}{_EXTRA_ZONES[name]}"
    parsed = parsedate_tz(text)
    if parsed is None:
        return None
    offset = parsed[9] or 0
    return datetime(*parsed[:6], tzinfo=timezone(timedelta(seconds=offset)))
