"""Comment dates: keep what the page states, as ISO 8601.

Machine-readable values (``datetime``/``content`` attributes, ISO strings) are
kept verbatim. Human dates are converted only when unambiguous: WordPress's
English default (``March 3, 2024 at 9:05 am``), German forms (``3. März 2024 um
10:15``, ``03.03.2024, 10:15``). Output then has minute precision and no offset
(``2024-03-03T09:05``), because the page states none. Anything else (relative
dates like "1 Monat her") gives ``None``.
"""

from __future__ import annotations

import re

#: Month names (lower case) of the languages we convert, to month numbers.
MONTHS: dict[str, int] = {
    name: number
    for names in (
        "january february march april may june july august september october november december",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "jan feb mar apr may jun jul aug sep oct nov dec",
        "jän feb mär apr mai jun jul aug sep okt nov dez",
    )
    for number, name in enumerate(names.split(), start=1)
}

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_TIME = r"(?:\s*(?:at|um|,|-|\u2013)?\s*(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_PATTERNS = (
    re.compile(
        r"(?P<mon>[a-zäé]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME, re.I
    ),
    re.compile(r"(?P<d>\d{1,2})\.?\s+(?P<mon>[a-zäé]+)\.?,?\s+(?P<y>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>\d{4})" + _TIME, re.I),
)


def _hour(match: re.Match[str]) -> int | None:
    """24-hour clock hour of ``match`` (``None`` without a time)."""
    if match.group("h") is None:
        return None
    hour = int(match.group("h"))
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour


def _month(match: re.Match[str]) -> int | None:
    """Month number from a name or a numeric group."""
    groups = match.groupdict()
    if groups.get("mo"):
        return int(groups["mo"])
    return MONTHS.get((groups.get("mon") or "").lower())


def _from_match(match: re.Match[str]) -> str | None:
    """ISO text of a human-date match, ``None`` when out of range."""
    month, day, year = _month(match), int(match.group("d")), int(match.group("y"))
    if month is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    hour = _hour(match)
    if hour is None or hour > 23 or int(match.group("m")) > 59:
        return date
    return f"{date}T{hour:02d}:{match.group('m')}"


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 text for a stated date, or ``None`` (see the module docs)."""
    if not value:
        return None
    text = " ".join(value.split())
    iso = _ISO.search(text)
    if iso is not None:
        return iso.group(0)
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match is not None:
            converted = _from_match(match)
            if converted is not None:
                return converted
    return None
