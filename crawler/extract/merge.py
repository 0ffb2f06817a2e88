"""Merge the metadata sources into one value per field.

Precedence (first source with a usable value wins; see the report table in the README):

============ ===============================================================================
field        sources, best first
============ ===============================================================================
title        JSON-LD ``headline`` stated again as ``alternativeHeadline`` (a CMS's declared
             headline: fundus title 0.814 -> 0.841, no other page changes) >
             ``headline`` of a metadata title whose ``<h1>`` adds a kicker ("Kicker: Headline")
             > visible ``<h1>`` that agrees with a metadata title (dashes and Markdown
             emphasis aside: wcxb title +1 page) > JSON-LD ``headline`` >
             meta titles (``headline``, then ``og:title`` ...) > first ``<h1>`` > ``<title>`` >
             trafilatura; an ``<h1>`` linked to the home page is the site's name, not a
             candidate, and a ``<br>`` in a headline separates words (wcxb title +3 pages);
             a JSON-LD headline that is the page's ``<title>`` as it stands ("Headline |
             Site", an SEO title) gives way to a single ``<h1>`` that says something else
             (wcxb title 0.822 -> 0.834, no page worse); a short last segment after a bar
             or a spaced dash ("Headline | Opinion", "Headline - Infographic") is cut
             (:func:`without_label_tail`, wcxb +7 pages, none worse); the headline an
             ``<h1>`` and a metadata title share after different kickers ("Kicker - X",
             "Other kicker: X") is X (fundus +1 page, none worse); a headline of the
             site's name only is none, one in a script without spaces is one (wcxb
             forums title +2 pages); a JSON-LD ``headline`` of 100 characters or more
             that another title continues was cut by an SEO plugin: the whole one
             stands in for it (wcxb +1 page); a first or last segment that names the site
             (``og:site_name``, or a part of the host name: "| Acme" on getacme.com) is
             cut from all but trafilatura's; where another of the page's titles is the
             chosen one without its double quotation marks (a CMS that drops them from its
             JSON-LD or og:title), that one (fundus title 0.845 -> 0.853, wcxb unchanged)
authors      JSON-LD ``author`` (people before organisations) > meta ``author``,
             ``article:author``, ``parsely-author``, ``sailthru.author``, ``dc.creator`` ... >
             the opening post's author on a forum thread's first page (the comment
             table's forum engines; an account name, kept as written: wcxb forums
             0.437 -> 0.689, no page worse, the article sets unchanged) > trafilatura >
             visible byline (``itemprop=author``, ``rel=author``, ``.byline``,
             "Written by" text or label, author-archive links; see ``BYLINE_XPATHS``)
             (trafilatura's byline finder before ours: fundus authors 0.868 -> 0.878,
             wcxb 0.733 -> 0.741 on the dev sets); names that only name the site
             (``og:site_name``, the host) give way to a later source's people's names
             (wcxb 0.801 -> 0.804, fundus unchanged) and are dropped beside other names
             (fundus 0.889 -> 0.892); so does a JSON-LD author that is only organisations
             (and its name repeated in meta tags); the site's names include its host
             ("mdr.de") and names whose initials are its brand label ("Deutsche Welle"
             on dw.com): fundus 0.896 -> 0.907 with the label-and-text byline
             ("<strong>Autorin/Autor</strong> Name") and German author archives;
             last, a person's name beside the date shown under the headline in no
             byline markup ("Jane Roe · March 3, 2025", see ``markup.dated_bylines``:
             wcxb 0.8285 -> 0.8382, six pages better, none worse, fundus unchanged)
published    the date shown next to the headline (not labelled "Updated") where none of the
             dates shown there is the published or modified day of the sources that follow
             > JSON-LD ``datePublished`` > meta ``article:published_time``,
             ``parsely-pub-date``, ``sailthru.date``, ``pubdate``, ``date``, ``dc.date`` ...
             > ``<time datetime>`` (``itemprop=datePublished``, ``pubdate``, inside
             ``<article>``) > trafilatura (a shown date that disagrees with the metadata:
             wcxb date 0.845 -> 0.871, fundus unchanged on the dev sets); an earlier shown
             published day also wins where the metadata's published day is its modified
             day, stated or shown as the update (wcxb 0.871 -> 0.874); where neither
             JSON-LD, meta tags nor ``<time>`` declare the publication, the day shown
             next to the headline, even as the update, wins over trafilatura's guess,
             and a text block repeated for another screen size counts once towards the
             reach (wcxb 0.874 -> 0.882, none worse); a day in numbers counts below the
             headline where day and month cannot be swapped (wcxb 0.883 -> 0.885); where
             only structured data states the publication (JSON-LD ``datePublished``,
             microdata ``itemprop=datePublished``: no ``<meta>`` tag such as
             ``article:published_time``) and none of the days shown by the headline is
             its day, the day shown wins, an update's too ("Updated Dec 4, 2025"; not on
             forum threads): wcxb 0.885 -> 0.910, 19 pages better, 2 worse, fundus and
             forums unchanged; where JSON-LD and a ``<meta>`` tag disagree, the one whose
             day is shown by the headline (wcxb 0.910 -> 0.912, none worse); a text node
             counts for at most 100 characters of the reach (wcxb 0.912 -> 0.915); over
             all of these, a republished article's note "This article was originally
             published on ..." (``article.originally_published``: wcxb 0.915 -> 0.917);
             a day in numbers whose order is open is settled by the page's other
             writings of it, else month first in American English (0.917 -> 0.920); where
             the published day looks rewritten, an earlier day labelled "Published"
             anywhere on the page (0.920 -> 0.921), as where nothing declares it and
             the headline shows no day (0.921 -> 0.923)
modified     JSON-LD ``dateModified`` > meta ``article:modified_time``, ``og:updated_time`` ...
language     ``<html lang>`` > JSON-LD ``inLanguage`` > meta ``og:locale``,
             ``content-language`` ... > trafilatura
description  JSON-LD ``description`` > meta ``og:description``, ``description`` ... > trafilatura
section      JSON-LD ``articleSection`` > meta ``article:section``, ``parsely-section`` ... >
             trafilatura categories
tags         JSON-LD ``keywords`` > meta ``article:tag``, ``parsely-tags``, ``news_keywords``,
             ``keywords``, ``tags`` ... > trafilatura tags (from the page's tag links)
canonical    ``<link rel=canonical>`` > ``og:url`` ... > JSON-LD ``mainEntityOfPage``/``url``
image        JSON-LD ``image`` > ``og:image``, ``twitter:image`` ... > trafilatura image
============ ===============================================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.normalize import (
    absolute_url,
    clean_text,
    normalize_authors,
    normalize_date,
    normalize_language,
    normalize_tags,
    uninvert_name,
)

#: Longest plausible headline in words (longer ``<h1>`` are teasers or whole blocks).
MAX_HEADLINE_WORDS = 40
#: A person's name as bylines write it: two to four capitalised words.
_PERSON = re.compile(r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){1,3}")
#: Between a title and the site's name: a bar, dash or bullet between spaces, or (CJK
#: typography, no spaces) a full-width bar, "\u4e28" or the Hangul letter "\u3163" used as
#: one (no page of the dev sets changes with these; titles of Japanese, Chinese and Korean
#: outlets carry them: "Headline\uff5cSite").
_TITLE_SEPARATORS = re.compile(
    r"\s+(?:\||-|\u2013|\u2014|::|·|•|»|/)\s+|\s*[\uff5c\u4e28\u3163]\s*"
)


def fold(value: str) -> str:
    """Comparison form of a title: NFKC, casefolded, whitespace-collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


_DASHES = str.maketrans("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-------")


def _loose(value: str) -> str:
    """:func:`fold`, with every dash a hyphen and Markdown's emphasis marks gone: an
    ``<h1>`` confirmed by a metadata title that types "-" for its "\u2013" or keeps the
    CMS's "*Title*" is the headline as the page shows it."""
    return fold(value).translate(_DASHES).replace("*", "")


def first(*values: Any) -> Any:
    """The first value that is neither ``None`` nor empty."""
    return first_of(values)


def first_of(values: Iterable[Any]) -> Any:
    """The first value that is neither ``None`` nor empty, consuming no further."""
    return next((v for v in values if v not in (None, "", [])), None)


def strip_site_name(title: str, site_name: str | None, url: str) -> str:
    """Drop a leading or trailing ``| Site Name`` segment when it names the site (and the
    site's tagline after it: "Headline - Site | Gyms near you")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    host = (urlsplit(url).hostname or "") if url else ""
    labels = {label for label in host.split(".") if len(label) > 3}

    def names_site(part: str) -> bool:
        folded = fold(part).replace(" ", "")
        return bool(site_name and fold(site_name).replace(" ", "") == folded) or any(
            label in folded or (len(folded) > 3 and folded in label) for label in labels
        )

    separators = list(_TITLE_SEPARATORS.finditer(title))
    if names_site(parts[-1]):
        return title[: separators[-1].start()]
    if (  # "Headline - Site | Site's tagline", the headline the longest part
        len(parts) > 2
        and names_site(parts[-2])
        and max(len(p) for p in parts[:-2]) > max(len(parts[-1]), len(parts[-2]))
    ):
        return title[: separators[-2].start()]
    if names_site(parts[0]):
        return title[separators[0].end() :]
    return title


#: Words of the labels of a page's controls ("Open Menu Close Menu" in an ``<h1>``).
_CONTROL_WORDS = frozenset(
    ("open", "close", "menu", "toggle", "navigation", "nav", "search", "skip", "to", "main",
     "content", "show", "hide", "back", "top", "main-menu")
)  # fmt: skip


def _controls_only(text: str) -> bool:
    return all(word in _CONTROL_WORDS for word in text.casefold().split())


def _plausible_headline(text: str, site: Callable[[], str | None], html_title: str | None) -> bool:
    """An ``<h1>`` that could be the headline: not a logo, counter or the site name
    (``site()``: the site's name, read last)."""
    words = len(text.split())
    if words == 1 and len(text) >= 6 and not text.isascii() and text.upper() == text.lower():
        words = 2  # a headline in a script without spaces or capitals ("促进航天技术...")
    if not 2 <= words <= MAX_HEADLINE_WORDS or _controls_only(text):
        return False
    key = fold(text)
    parts = [fold(p) for p in _TITLE_SEPARATORS.split(html_title)] if html_title else []
    # the last segment of "Headline | Site": the site's name, unless it is the longest part
    tail = parts[-1] if len(parts) > 1 and parts[-1] != max(parts, key=len) else None
    if key == tail:
        return False
    name = site()
    return key != (fold(name) if name else None)


_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def _seo_title(
    ld_title: str, html_title: str | None, h1: str, site: Callable[[], str | None], url: str
) -> bool:
    """Whether the JSON-LD headline is the page's ``<title>`` as it stands ("Headline |
    Site", an SEO title) and says something else than the ``<h1>``: the ``<h1>`` is then
    the headline (wcxb: the gold takes the ``<h1>`` on 33 of 39 such pages, the metadata
    title on none). An ``<h1>`` that only adds a kicker or differs in its quote marks is
    the same headline."""
    if not html_title or fold(ld_title) != fold(html_title):
        return False
    if not _TITLE_SEPARATORS.search(html_title):
        return False
    shown = fold(h1).translate(_QUOTES)
    meant = fold(strip_site_name(ld_title, site(), url)).translate(_QUOTES)
    return shown not in meant and meant not in shown


#: Most words of a trailing "| Label" cut from a title, and the least share of the title's
#: words the part before it must have (twice the label's).
MAX_LABEL_WORDS = 4
_BAR = re.compile(r"\s+\|\s+")


#: Most words of a trailing "- Label" (a spaced dash) cut from a title: headlines use
#: dashes themselves ("Wann sie sind - und wie das Wetter wird").
MAX_DASH_LABEL_WORDS = 2
_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")


#: A link aggregator's source host and comment count after a story's title ("... Jobs
#: (latimes.com) 87").
_SOURCE_TAIL = re.compile(r"\s*\((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\)\s*\d*$")


def without_label_tail(title: str | None) -> str | None:
    """``title`` without an aggregator's "(host.tld) 87" tail and without a short last
    segment after a bar or a spaced dash: "Headline | Opinion", "Headline | Top 19
    Companies", "Headline - Infographic" (a section or an SEO subtitle; wcxb gold cuts a
    bar's on 5 of 7 titles, keeping the 2 whose last segment is as long as a headline).
    A bar's label has at most :data:`MAX_LABEL_WORDS` words, a dash's
    :data:`MAX_DASH_LABEL_WORDS` words of letters only (not "- 2025", not a quote after
    the dash); the part before it at least twice as many words, not ending in a colon (a
    quote follows)."""
    if not title:
        return title
    title = _SOURCE_TAIL.sub("", title) or title
    for separator, most in ((_BAR, MAX_LABEL_WORDS), (_DASH, MAX_DASH_LABEL_WORDS)):
        found = list(separator.finditer(title))
        if not found:
            continue
        head, tail = title[: found[-1].start()], title[found[-1].end() :]
        words = len(tail.split())
        if separator is _DASH and not tail.replace(" ", "").isalpha():
            continue
        if words <= most and len(head.split()) >= 2 * words and not head.endswith(":"):
            return head
    return title


#: Between a kicker and the headline: a spaced dash or bar, or a colon.
_KICKER_SEPARATOR = re.compile(r"\s+[-\u2013\u2014|]\s+|:\s+")
_KICKER_END = re.compile(r"(?:\s+[-\u2013\u2014|]|:)\s*$")


def _shared_headline(h1: str, metas: list[str]) -> str | None:
    """The part after a kicker that ``h1`` and a metadata title share when their kickers
    differ ("Eskalation im Nahen Osten - «Quote»" and "Angriff auf Israel: «Quote»": less
    than half the words of the shorter kicker in common): at least four words after a
    kicker of at most eight."""
    for match in _KICKER_SEPARATOR.finditer(h1):
        tail = h1[match.end() :]
        if len(tail.split()) < 4 or len(h1[: match.start()].split()) > 8:
            continue
        kicker = _words(h1[: match.start()])
        for meta in metas:
            head = meta[: len(meta) - len(tail)]
            if fold(meta).endswith(fold(tail)) and _KICKER_END.search(head):
                other = _words(head)
                if kicker and other and 2 * len(kicker & other) < min(len(kicker), len(other)):
                    return tail
    return None


#: A mark between a kicker and its headline: a spaced slash, bar or dash, or a colon.
_KICKER_MARK = re.compile(r"\s+[/|\u2013\u2014-]\s+|:\s+")


def _punctuated(h1: str, meta: str) -> bool:
    """Whether ``meta`` is ``h1`` with a mark where ``h1`` has only a space: an ``<h1>``
    whose kicker and headline are two elements ("Nationale Demo" "Der 9. Juli naht ...")
    beside its metadata title "Nationale Demo / Der 9. Juli naht ..."."""
    key = fold(h1)
    return any(
        fold(meta[: mark.start()] + " " + meta[mark.end() :]) == key
        for mark in _KICKER_MARK.finditer(meta)
    )


def _words(text: str) -> set[str]:
    """The folded words of ``text``, as a set."""
    return set(re.findall(r"\w+", fold(text)))


#: Length from which a JSON-LD ``headline`` may have been cut short: SEO plugins cut it to
#: the 110 characters search engines take ("... Find Solutions (Including").
TRUNCATED_HEADLINE_CHARS = 100


def _untruncated(headline: str | None, others: list[str | None]) -> str | None:
    """The longer title that a JSON-LD ``headline`` of :data:`TRUNCATED_HEADLINE_CHARS` or
    more is the start of (cut mid-title by an SEO plugin); None when it is not cut."""
    if not headline or len(headline) < TRUNCATED_HEADLINE_CHARS:
        return None
    key = fold(headline)
    for other in others:
        if other and len(other) > len(headline) and fold(other).startswith(key):
            return other
    return None


#: Double quotation marks a CMS keeps in one title field and drops from another.
_QUOTE_MARKS = re.compile('["\u201c\u201d\u201e]')


def choose_title(
    ld: dict[str, Any], markup: dict[str, Any], traf: Mapping[str, Any], url: str
) -> str | None:
    """Apply the title precedence from the module docstring; where another of the page's
    titles is the chosen one without its double quotation marks (a CMS that drops them
    from its JSON-LD or its og:title: ``"Quote" ... headline`` beside ``Quote ...
    headline``), that one (the dev sets' gold takes the unquoted form on all three pages
    that have both, in either source)."""
    title = _precedence_title(ld, markup, traf, url)
    if not title or not _QUOTE_MARKS.search(title):
        return title
    bare = " ".join(_QUOTE_MARKS.sub("", title).split())
    sources = (ld.get("title"), markup.get("title"), *markup.get("h1s", []))
    found = (clean_text(source) for source in sources)
    return next((text for text in found if text == bare), title)


def _precedence_title(
    ld: dict[str, Any], markup: dict[str, Any], traf: Mapping[str, Any], url: str
) -> str | None:
    """The title by the precedence from the module docstring (trafilatura's values are
    read only where the page's own give no answer: they are computed at first use)."""
    own_site = clean_text(markup.get("site_name"))
    site = cache(lambda: own_site or clean_text(traf.get("sitename")))
    html_title = clean_text(markup.get("html_title"))
    whole = _untruncated(clean_text(ld.get("title")), [clean_text(markup.get("title")), html_title])
    if whole:
        ld = {**ld, "title": strip_site_name(whole, own_site, url)}
    own = [m for m in (clean_text(ld.get("title")), clean_text(markup.get("title")), html_title)
           if m]  # fmt: skip
    traf_title = cache(lambda: clean_text(traf.get("title")))

    def metas(count: int | None = None) -> list[str]:
        """The metadata titles, best first (trafilatura's last), at most ``count``."""
        if count is not None and len(own) >= count:
            return own[:count]
        extra = traf_title()
        return [*own, extra][:count] if extra else own[:count]

    # visible text, but a page can show an entity escaped twice ("SQL &#x26; AI")
    shown = (clean_text(h) for h in markup.get("h1s", []))
    h1s = [h for h in shown if h and _plausible_headline(h, site, html_title)]
    restated = clean_text(ld.get("title")) if ld.get("headline_restated") else None
    if restated:  # the CMS's declared headline, whatever the page's <h1> shows
        return strip_site_name(restated, site(), url)
    for h1 in h1s:  # "Kicker Headline" as two elements, "Kicker / Headline" in metadata
        for meta in metas(2):
            if _punctuated(h1, meta):
                return meta
    for h1 in h1s:  # "Kicker: Headline" on the page, "Headline" in metadata
        for meta in metas(2):
            if len(meta) > 10 and fold(h1).endswith(fold(meta)) and fold(h1) != fold(meta):
                return meta
    for h1 in h1s:  # a visible headline confirmed by metadata
        key = _loose(h1)
        if any(_loose(m) == key or _loose(m).startswith(key) for m in own):
            return strip_site_name(str(h1), site(), url)
        extra = traf_title()
        if extra and (_loose(extra) == key or _loose(extra).startswith(key)):
            return strip_site_name(str(h1), site(), url)
    for h1 in h1s:  # "Kicker: Headline" on the page, "Headline" in metadata
        for meta in metas(2):
            if len(meta) > 10 and fold(h1).endswith(fold(meta)):
                return meta
    for h1 in h1s:  # "Kicker - Headline" on the page, "Other kicker: Headline" in metadata
        shared = _shared_headline(h1, metas(2))
        if shared:
            return shared
    ld_title = clean_text(ld.get("title"))
    if len(h1s) == 1 and (not ld_title or _seo_title(ld_title, html_title, h1s[0], site, url)):
        return strip_site_name(str(h1s[0]), site(), url)
    for candidate in (ld.get("title"), markup.get("title")):
        text = clean_text(candidate)
        if text:
            return strip_site_name(text, site(), url)
    headlines = [h for h in markup.get("headlines") or [] if h]
    if headlines and _plausible_headline(str(headlines[0]), site, html_title):
        return str(headlines[0])
    if html_title:
        stripped = strip_site_name(html_title, site(), url)
        if stripped:
            return stripped
    last: str | None = traf_title()
    return last


def _account_names(values: list[str]) -> list[str]:
    """Forum account names as written ("paulb203", "slow-poke"), whitespace collapsed:
    no person's name to clean (:func:`normalize_authors` drops names with digits)."""
    return [" ".join(v.split()) for v in values if v.strip()]


def choose_authors(
    ld: dict[str, Any], markup: dict[str, Any], traf: Mapping[str, Any], url: str = ""
) -> list[str]:
    """Apply the author precedence: the first source yielding a name wins (each source
    is read only when the ones before it gave nothing). Names that only name the site
    itself (its ``og:site_name`` or its host: "Usa Today" on usatoday.com) are what a
    CMS fills in when nobody is credited: they give way to a later source whose names
    all look like people's ("Given Family", two to four capitalised words, or a short
    name in a script without capitals: "山田太郎"), and are
    dropped from a list that names others too. So does a JSON-LD ``author`` that names
    only organisations."""
    # (the source, how its values become names)
    sources: tuple[tuple[Callable[[], Any], Callable[[list[str]], list[str]]], ...] = (
        (lambda: ld.get("authors") or [], normalize_authors),
        (lambda: [uninvert_name(str(v)) for v in markup.get("authors") or []], normalize_authors),
        (lambda: [markup.get("forum_author") or ""], _account_names),
        (lambda: _traf_authors(traf.get("author")), normalize_authors),
        (lambda: markup.get("bylines") or [], normalize_authors),
        (
            lambda: [
                n for n in normalize_authors(markup.get("dated_bylines") or []) if _personal(n)
            ],
            normalize_authors,
        ),
    )
    site = _site_keys(markup.get("site_name"), url)
    if ld.get("authors_organisations"):  # the organisation, named again in meta tags
        site |= {_key(str(name)) for name in ld.get("authors") or []}
    fallback: list[str] = []
    for number, (source, as_names) in enumerate(sources):
        names = as_names([str(v) for v in source() if isinstance(v, str)])
        if not names or (fallback and not all(_personal(n) for n in names)):
            continue
        people = [n for n in names if not _names_site(n, site)]  # the site beside others
        if people and not (number == 0 and ld.get("authors_organisations")):
            return people
        fallback = fallback or people or names
    return fallback


def _personal(name: str) -> bool:
    """Whether ``name`` looks like a person's: two to four capitalised words, or in a
    script without capitals (Japanese, Chinese, Korean ...) a short run of letters."""
    if _PERSON.fullmatch(name):
        return True
    letters = name.replace(" ", "")
    return letters.isalpha() and name == name.upper() == name.lower() and 2 <= len(letters) <= 8


def _key(value: str) -> str:
    """Letters and digits of ``value``, casefolded ("USA Today" -> "usatoday")."""
    return "".join(c for c in value.casefold() if c.isalnum())


_SECOND_LEVEL = frozenset({"co", "ac", "or", "ne", "go", "gv", "gc"})


def _names_site(name: str, site: set[str]) -> bool:
    """Whether ``name`` is one of the ``site`` keys, or of several words whose initials
    are one ("Deutsche Welle" on dw.com)."""
    words = name.split()
    if len(words) < 2:
        return _key(name) in site
    return _key(name) in site or "".join(w[0] for w in words).casefold() in site


def _site_keys(site_name: Any, url: str) -> set[str]:
    """:func:`_key` forms of the site's name: ``og:site_name``, the host's labels and the
    host itself ("mdr.de")."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.split(".")[:-1] if label not in ("www", "m", "blog")]
    keys = {_key(label) for label in labels if len(label) > 2}
    keys.add(_key(" ".join(reversed(labels))))
    keys.add(_key(host.removeprefix("www.")))
    # a two-letter brand label for initials ("dw"), not a second-level domain ("co")
    keys |= {label for label in labels if len(label) == 2 and label not in _SECOND_LEVEL}
    if isinstance(site_name, str):
        keys.add(_key(site_name))
    return keys - {""}


def _traf_authors(value: Any) -> list[str]:
    return [value.replace(";", ",")] if isinstance(value, str) else []


def choose_dates(
    ld: dict[str, Any], markup: dict[str, Any], traf: Mapping[str, Any]
) -> tuple[str | None, str | None]:
    """``(published, modified)`` per the precedence table (``<time>`` values are read only
    when the metadata gave no date, trafilatura's guess only when nothing declares one
    and no date is shown next to the headline)."""

    def declarations() -> Iterator[Any]:
        yield ld.get("published")
        yield markup.get("published")
        yield from markup.get("times", [])

    declared = first_of(normalize_date(v) for v in declarations())
    modified = first(normalize_date(ld.get("modified")), normalize_date(markup.get("modified")))
    shown = markup.get("shown_dates") or []
    if declared is None and shown:
        # nothing declares the publication: the date the page shows by its headline, even
        # as its update, is the page's own date, over trafilatura's guess (a day as well)
        return next((day for day, kind in shown if kind == "published"), shown[0][0]), modified
    if declared is None and (days_labelled := markup.get("labelled_dates")):
        # nor by the headline: a day the page labels as published, over trafilatura's guess
        return days_labelled[0], modified
    published = declared or normalize_date(traf.get("date"))
    # the page's visible date over a publication only scripts and microdata state
    if (
        published
        and shown
        and all(day != published[:10] for day, _ in shown)
        and _only_in_structured_data(ld, markup, published)
    ):
        return next((d for d, k in shown if k == "published"), shown[0][0]), modified
    # JSON-LD and a <meta> tag disagree: the one whose day the page shows by the headline
    tag = normalize_date(markup.get("published_tag"))
    days = {day for day, _ in shown}
    if published and tag and tag[:10] in days and published[:10] not in days:
        return tag, modified

    def labelled() -> list[str]:  # read only where the metadata's date looks rewritten
        return list(markup.get("labelled_dates") or [])

    return shown_published(published, modified, shown, labelled), modified


def _only_in_structured_data(ld: dict[str, Any], markup: dict[str, Any], published: str) -> bool:
    """Whether ``published`` is stated only as structured data, JSON-LD ``datePublished``
    or microdata ``itemprop=datePublished``, and in no ``<meta>`` tag of the kind
    OpenGraph and news CMSs write (``article:published_time``, ``parsely-pub-date`` ...),
    on a page that is no forum thread (whose structured dates are its posts'). Such a
    date is often the post's first draft; the page shows another, an update or a
    republication (see :func:`choose_dates`)."""
    structured = normalize_date(ld.get("published")) or normalize_date(markup.get("published"))
    return (
        structured == published
        and normalize_date(markup.get("published_tag")) is None
        and not ld.get("discussion")
        and not markup.get("discussion")
    )


def shown_published(
    published: str | None,
    modified: str | None,
    shown: list[tuple[str, str]],
    labelled: Callable[[], list[str]] = list,
) -> str | None:
    """The publication date the page shows next to its headline, where it contradicts the
    metadata: none of the shown days is the metadata's published or modified day (a CMS
    that rewrites ``datePublished`` on every save, a template date, a UTC timestamp of a
    post the page dates the day before). It is a day without a time, as shown. Where the
    metadata's published day looks rewritten (:func:`_rewritten`) and the headline shows
    no earlier day, an earlier day the page labels as published elsewhere
    (``labelled()``: "Published August 13, 2025" under the article) is the publication."""
    stated = {value[:10] for value in (published, modified) if value}
    if published and _rewritten(published[:10], (modified or "")[:10], shown):
        earlier = [day for day, kind in shown if kind == "published" and day < published[:10]]
        earlier = earlier or [day for day in labelled() if day < published[:10]]
        if earlier:
            return earlier[0]
    if any(day in stated for day, _ in shown):
        return published
    return next((day for day, kind in shown if kind == "published"), published)


def _rewritten(published: str, modified: str, shown: list[tuple[str, str]]) -> bool:
    """Whether the metadata's published day is its modified day, stated or shown as the
    update ("Updated Oct 28" beside a ``datePublished`` of Oct 28): a CMS that rewrites
    ``datePublished`` on every save, so an earlier date the page shows as published is
    the publication (wcxb date 0.871 -> 0.874, fundus unchanged)."""
    return published == modified or (published, "modified") in shown


def merge(
    ld: dict[str, Any], markup: dict[str, Any], traf: Mapping[str, Any], url: str
) -> dict[str, Any]:
    """All metadata fields of the record, normalised. ``traf`` (trafilatura's metadata,
    computed at first use) is read only for fields the page's own sources leave empty."""
    published, modified = choose_dates(ld, markup, traf)
    canonical = first(markup.get("canonical_link"), markup.get("canonical"), ld.get("canonical"))
    return {
        "title": without_label_tail(choose_title(ld, markup, traf, url)),
        "authors": choose_authors(ld, markup, traf, url),
        "published": published,
        "modified": modified,
        "language": _lookup(
            ((markup, "html_lang"), (ld, "language"), (markup, "language"), (traf, "language")),
            normalize_language,
        ),
        "description": _lookup(
            ((ld, "description"), (markup, "description"), (traf, "description")), clean_text
        ),
        "section": _lookup(((ld, "section"), (markup, "section")), clean_text)
        or _first_category(traf),
        "tags": _tags(ld.get("tags") or markup.get("tags") or traf.get("tags") or []),
        "canonical_url": absolute_url(canonical, url),
        "image": absolute_url(
            _lookup(((ld, "image"), (markup, "image"), (traf, "image")), lambda v: v), url
        ),
    }


def _lookup(pairs: Iterable[tuple[Mapping[str, Any], str]], convert: Callable[[Any], Any]) -> Any:
    """The first usable ``convert(source[key])`` of ``pairs``, reading no further."""
    return first_of(convert(source.get(key)) for source, key in pairs)


def _first_category(traf: Mapping[str, Any]) -> str | None:
    categories = traf.get("categories") or []
    return clean_text(categories[0]) if categories else None


def _tags(source: Any) -> list[str]:
    if isinstance(source, list):
        return normalize_tags([str(t) for t in source if isinstance(t, str)])
    return normalize_tags([str(source)])
