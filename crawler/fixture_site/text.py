"""Seeded generator of invented text for the fixture outlet.

Every word, name and title is assembled from syllables drawn from a
``random.Random`` instance, so output is fully determined by the seed and no
real publisher's text is ever reproduced. A handful of plain English function
words are mixed in so paragraphs read like prose to boilerplate strippers.
"""

from __future__ import annotations

import random
import re
import unicodedata


def _w(spec: str) -> tuple[str, ...]:
    """Split a space-separated word list."""
    return tuple(spec.split())


_ONSETS = _w("b d f g k l m n p r s t v z br dr st tr sk pl")
_VOWELS = _w("a e i o u ae io ou")
_CODAS = ("", "", "", "n", "r", "s", "l", "k", "m", "th")
_FUNCTION_WORDS = _w(
    "the a of and to in on for with after over new its as by from says plan council report"
)
_TITLE_VERBS = _w("backs rejects unveils delays expands questions opens reviews")
_TITLE_NOUNS = _w("plan project budget study festival harbour reform survey archive")
#: Accented words, all encodable in windows-1252 (used by the charset edge case).
ACCENTED_WORDS = _w("café naïve déjà façade fiancée crème señora Zürich résumé")
#: Windows-1252 specific punctuation (bytes 0x93, 0x94, 0x96, 0x85, 0x80).
CP1252_PUNCT = ("\u201c", "\u201d", "\u2013", "\u2026", "\u20ac")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return a WordPress-like ASCII slug (``[a-z0-9-]+``) for ``text``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-") or "post"


class TextGenerator:
    """Produce invented words, names, titles and paragraphs from one RNG."""

    def __init__(self, rng: random.Random, vocabulary_size: int = 1500) -> None:
        """Build a per-seed vocabulary of invented words using ``rng``."""
        self.rng = rng
        words = {self._invent_word() for _ in range(vocabulary_size)}
        self.vocabulary: list[str] = sorted(words)
        self._prose = self.vocabulary + list(_FUNCTION_WORDS) * 12

    def _invent_word(self, min_syllables: int = 1, max_syllables: int = 3) -> str:
        """Return one invented lowercase word."""
        rng = self.rng
        count = rng.randint(min_syllables, max_syllables)
        parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(count)]
        return "".join(parts) + rng.choice(_CODAS)

    def word(self) -> str:
        """Return one word from the invented vocabulary."""
        return self.rng.choice(self.vocabulary)

    def words(self, count: int) -> list[str]:
        """Return ``count`` invented vocabulary words (no function words)."""
        return self.rng.choices(self.vocabulary, k=count)

    def person_name(self) -> str:
        """Return an invented ``First Last`` name."""
        first = self._invent_word(2, 2).capitalize()
        last = self._invent_word(2, 3).capitalize()
        return f"{first} {last}"

    def title(self) -> str:
        """Return an invented headline of 6-9 words."""
        rng = self.rng
        subject = " ".join(w.capitalize() for w in self.words(rng.randint(1, 2)))
        tail = self.rng.choices(self._prose, k=rng.randint(2, 4))
        return f"{subject} {rng.choice(_TITLE_VERBS)} {' '.join(tail)} {rng.choice(_TITLE_NOUNS)}"

    def sentence(self, min_words: int = 8, max_words: int = 18, accented: float = 0.0) -> str:
        """Return one sentence; ``accented`` is the chance to insert an accented word."""
        rng = self.rng
        words = rng.choices(self._prose, k=rng.randint(min_words, max_words))
        if accented and rng.random() < accented:
            words.insert(rng.randrange(len(words)), rng.choice(ACCENTED_WORDS))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!"))

    def paragraph(
        self, min_sentences: int = 3, max_sentences: int = 6, accented: float = 0.0
    ) -> str:
        """Return one paragraph of invented sentences."""
        count = self.rng.randint(min_sentences, max_sentences)
        return " ".join(self.sentence(accented=accented) for _ in range(count))

    def cp1252_paragraph(self) -> str:
        """Return a paragraph rich in windows-1252 specific characters."""
        rng = self.rng
        quote = f"\u201c{self.sentence(4, 8)[:-1]}\u201d"
        first, second = rng.choice(ACCENTED_WORDS), rng.choice(ACCENTED_WORDS)
        extra = f"{first} \u2013 {second}\u2026 {rng.randint(2, 90)}\u20ac"
        return f"{self.sentence(accented=1.0)} {quote} {extra} {self.sentence(accented=1.0)}"
