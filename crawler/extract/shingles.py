"""Word-shingle multisets: how much of one text another holds, and how repetitive a text is."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")

Shingles = Counter[tuple[str, ...]]


def tokens(text: str) -> list[str]:
    """Casefolded word tokens."""
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = 4) -> Shingles:
    """Multiset of word ``size``-shingles (a shorter text is one shingle)."""
    words = tokens(text)
    if 0 < len(words) < size:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def share_in(part: Shingles, whole: Shingles) -> float:
    """Share of ``part``'s shingles that ``whole`` holds (multiset)."""
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def repeated_share(found: Shingles) -> float:
    """Share of the shingles that repeat an earlier one (0 for an empty text)."""
    total = sum(found.values())
    return 1 - len(found) / total if total else 0.0
