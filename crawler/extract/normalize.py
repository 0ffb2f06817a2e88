"""Normalise raw metadata values: dates, author names, languages, URLs, short texts.

Dates keep what the page states: an offset stays that offset (``Z`` is written ``+00:00``),
a date without a time stays a date (``2024-05-03``), and a time without an offset stays
naive (``2024-05-03T23:30:00``: we do not guess the zone). Nothing is ever converted to
another zone, so the calendar day is the page's own.
"""

from __future__ import annotations

import html as html_lib
import re
import warnings
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from dateutil import parser as date_parser

from crawler.extract.patterns import (
    AUTHOR_DATE_TAIL,
    AUTHOR_NOISE,
    AUTHOR_REVIEWER,
    AUTHOR_ROLE,
    AUTHOR_SEPARATORS,
    AUTHOR_TAIL,
    BYLINE_PREFIX,
    EMAIL,
    HANDLE,
    INNER_BYLINE,
    INVERTED_NAME,
    MAX_NAME_WORDS,
    NAME_CREDENTIAL,
    NAME_STRIP,
    PARENTHESES,
)

_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?"
    r"(?:\s|$|[^\d:])"
)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_DOTTED_DAY_FIRST = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")
#: Plausible publication years: older or later values are placeholders or typos.
MIN_YEAR, MAX_YEAR = 1990, 2100
_SENTINELS = (datetime(1904, 2, 29, 1, 2, 3), datetime(1908, 3, 30, 4, 5, 6))


#: A Markdown heading mark a CMS left at the start of a value ("## Title").
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


#: Characters that only guide a renderer (soft hyphen, zero-width space, word joiner, byte
#: order mark): "Paläs\u00adti\u00adnenser" is "Palästinenser" to a reader and to a search.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def clean_text(value: object) -> str | None:
    """Unescaped, whitespace-collapsed text, without a leading Markdown heading mark or
    invisible formatting characters; ``None`` when empty or not text."""
    if not isinstance(value, str):
        return None
    text = " ".join(html_lib.unescape(value).translate(_INVISIBLE).split())
    text = _MARKDOWN_HEADING.sub("", text)
    return text or None


def _offset(raw: str | None) -> str:
    """``+HH:MM`` from ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``; ``""`` when absent."""
    if not raw:
        return ""
    if raw == "Z":
        return "+00:00"
    digits = raw[1:].replace(":", "").ljust(4, "0")
    return f"{raw[0]}{digits[:2]}:{digits[2:4]}"


def _iso(value: str) -> str | None:
    """Normalise an ISO-8601-like string, keeping date-only and the stated offset."""
    match = _ISO.match(value + " ")
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        datetime(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None:
        return f"{year}-{month}-{day}"
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        return None
    return f"{year}-{month}-{day}T{int(hour):02d}:{minute}:{second or '00'}{_offset(offset)}"


def _free_form(value: str) -> str | None:
    """Parse human-written dates with dateutil; date-only unless a time is really given."""
    day_first = bool(_DOTTED_DAY_FIRST.match(value))
    try:
        with warnings.catch_warnings():  # unknown zone names: parsed naive, not an error
            warnings.simplefilter("ignore")
            first, second = (
                date_parser.parse(value, default=d, dayfirst=day_first, fuzzy=True)
                for d in _SENTINELS
            )
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    if first.date() != second.date():
        return None  # the day itself was not stated
    if first.time() != second.time():
        return str(first.date().isoformat())
    return str(first.isoformat(timespec="seconds"))


def normalize_date(value: object) -> str | None:
    """ISO 8601 as the page states it (see module docstring); ``None`` if unusable."""
    text = clean_text(value if not isinstance(value, int | float) else str(int(value)))
    if not text or len(text) > 80:
        return None
    if _EPOCH.match(text):
        seconds = int(text[:10])
        result: str | None = datetime.fromtimestamp(seconds, UTC).isoformat()
    else:
        result = _iso(text) or _free_form(text)
    if result and MIN_YEAR <= int(result[:4]) <= MAX_YEAR:
        return result
    return None


def _without_role(piece: str) -> str:
    """``piece`` without a trailing role ("Jane Roe Senior Writer" -> "Jane Roe"), except
    a team byline, where the role is the name ("Our Editors", "SFist Contributor"; not
    "Review Editor", a role after a word that is no name either)."""
    piece = AUTHOR_TAIL.sub("", piece)
    bare = AUTHOR_ROLE.sub("", piece).strip(NAME_STRIP)
    if bare and len(bare.split()) == 1 and len(piece.split()) > 1 and not AUTHOR_NOISE.match(bare):
        return piece.strip(NAME_STRIP)
    return bare


def _without_avatar(name: str) -> str:
    """``"CM Craig McCarthy"`` (an avatar's initials run into the name) -> the name."""
    first, _, rest = name.partition(" ")
    initials = "".join(w[0] for w in rest.split() if w)
    return rest if len(rest.split()) > 1 and first.isupper() and first == initials.upper() else name


def _without_credentials(name: str) -> str:
    """``"Cara Roe RN"`` -> ``"Cara Roe"`` (see :data:`NAME_CREDENTIAL`)."""
    while len(name.split()) > 2 and (match := NAME_CREDENTIAL.search(name)):
        token = match.group(1)
        if not (token.isupper() or token.replace(".", "") in _MIXED_CASE_CREDENTIALS):
            break
        name = name[: match.start()]
    return name


_MIXED_CASE_CREDENTIALS = frozenset({"PhD", "PharmD", "PsyD", "EdD", "Esq"})


def _split_names(value: str) -> list[str]:
    """Pieces of one raw author string, with prefixes, emails, roles, credentials and
    reviewers removed."""
    text = EMAIL.sub(" ", PARENTHESES.sub(" ", clean_text(value) or ""))
    text = " ".join(HANDLE.sub(" ", text).split())
    if text.lower().startswith(("http://", "https://", "www.")):
        return []
    text = AUTHOR_REVIEWER.sub("", INNER_BYLINE.sub("", text))
    pieces = []
    for piece in AUTHOR_SEPARATORS.split(BYLINE_PREFIX.sub("", text)):
        piece = _without_role(BYLINE_PREFIX.sub("", piece))
        piece = AUTHOR_DATE_TAIL.sub("", piece).strip(NAME_STRIP)
        piece = _without_credentials(_without_avatar(piece))
        if piece and not AUTHOR_NOISE.match(piece):
            pieces.append(piece)
    return pieces


def _plausible_name(name: str) -> bool:
    """Rejects sentences, numbers and single characters."""
    words = name.split()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and len(name) > 1
        and not any(ch.isdigit() for ch in name)
        and "://" not in name
    )


def normalize_authors(values: list[str]) -> list[str]:
    """Split, clean and deduplicate (case-insensitively, first spelling kept) author names."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        for name in _split_names(value):
            if name.isupper() and len(name) > 4:
                name = name.title()
            key = name.casefold()
            if _plausible_name(name) and key not in seen:
                seen.add(key)
                names.append(name)
    initials = {"".join(w[0] for w in n.split()).upper() for n in names if len(n.split()) > 1}
    return [n for n in names if n not in initials]  # "NB" beside "Nicole Burke": an avatar


def uninvert_name(value: str) -> str:
    """``"Brazil, Rachel"`` (one surname, then given names) becomes ``"Rachel Brazil"``."""
    match = INVERTED_NAME.match(value.strip())
    return f"{match.group(2)} {match.group(1)}" if match else value


def normalize_language(value: object) -> str | None:
    """Primary language subtag, lowercased (``en-US`` and ``en_US`` give ``en``)."""
    text = clean_text(value)
    if not text:
        return None
    primary = re.split(r"[-_,;\s]", text)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def absolute_url(value: object, base: str) -> str | None:
    """``value`` resolved against ``base``; ``None`` unless it is an http(s) URL."""
    text = clean_text(value)
    if not text:
        return None
    try:
        resolved = urljoin(base, text)
        scheme = urlsplit(resolved).scheme
    except ValueError:
        return None
    return resolved if scheme in ("http", "https") else None


def normalize_tags(values: list[str]) -> list[str]:
    """Comma-split, cleaned, deduplicated tags in page order."""
    tags: list[str] = []
    for value in values:
        for piece in str(value).split(","):
            tag = clean_text(piece)
            if tag and tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
    return tags
