"""Read metadata from HTML markup: ``<meta>`` tags, links, ``<html lang>``, visible headline,
bylines and ``<time>`` elements. Which names feed which field is data in
:mod:`crawler.extract.patterns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from functools import cached_property
from typing import Any, ClassVar, NamedTuple

from lxml import etree, html

from crawler.comments.dates import MONTHS
from crawler.extract.document import xpath as compiled
from crawler.extract.normalize import normalize_authors
from crawler.extract.patterns import (
    BYLINE_PREFIX,
    BYLINE_XPATHS,
    HEADLINE_XPATHS,
    MAX_BYLINES,
    META_MULTI,
    META_NAMES,
    SHOWN_DATE,
    SHOWN_DATE_MAX_NODE,
    SHOWN_DATE_NODE_REACH,
    SHOWN_DATE_REACH,
    SHOWN_DATE_SKIP,
    SHOWN_UPDATE_LABEL,
    TIME_XPATHS,
    TWITTER_AUTHOR_LABEL,
)

#: Longest byline text we consider (characters); longer hits are whole blocks, not bylines.
MAX_BYLINE_CHARS = 120
#: How many ``<h1>`` elements we consider as headline candidates.
MAX_H1 = 5
#: Lower headings whose whole text is ``$title`` (see :func:`headline_element`).
_TITLED_HEADING = "//body//*[self::h2 or self::h3 or self::legend][normalize-space(.)=$title]"
_LINKS_HOME = "boolean(descendant-or-self::a[@href='/' or @href='./'] or ancestor::a[@href='/'])"


#: A text node of separators only ("·", "|", "•", "—") between a byline's date and name.
_SEPARATORS_ONLY = re.compile(r"\s*[·•|\u2013\u2014-]\s*")
#: What separates a byline's pieces in one node ("Jane Roe | Senior Writer | March 3").
_BYLINE_SEGMENT = re.compile(r"\s*[|·•]\s*|\s+[\u2013\u2014-]\s+")
#: Words of the labels that stand before a date ("Last Updated", "Posted On", "Popular
#: Days"): a text with one is no byline's name.
_DATE_LABEL_WORDS = frozenset(
    ("updated", "modified", "published", "posted", "date", "dated", "days", "time",
     "reviewed", "edited", "released", "last", "popular", "on")
)  # fmt: skip
#: "in Publication" after a name (Medium's "Jane Roe in Towards Data Science").
_MEDIUM_TAIL = re.compile(r"\s+in(?:\s+.*)?$")


def meta_index(tree: html.HtmlElement) -> dict[str, list[str]]:
    """``{lowercased name/property/itemprop/http-equiv: [content, ...]}`` in page order."""
    index: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or meta.get("value") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                index.setdefault(key, []).append(content)
    return index


def from_meta(index: dict[str, list[str]]) -> dict[str, Any]:
    """Per-field values from the meta index (lists for :data:`META_MULTI` fields)."""
    out: dict[str, Any] = {}
    for field, names in META_NAMES.items():
        if field in META_MULTI:
            values = [v for name in names for v in index.get(name, [])]
            if values:
                out[field] = values
            continue
        for name in names:
            if index.get(name):
                out[field] = index[name][0]
                break
    return out


def node_text(element: Any) -> str:
    """Whitespace-collapsed text of an element or attribute value."""
    if isinstance(element, str):
        return " ".join(element.split())
    if isinstance(element, html.HtmlElement):
        if element.tag == "meta":
            return " ".join((element.get("content") or "").split())
        text = element.text_content()
        if element.find(".//br") is not None or (len(element) and _CASE_JOIN.search(text)):
            # "WEEKEND<br>CODING", "Alternatives<span class=block>Top ...": two words
            return " ".join(_text_with_breaks(element).split())
        return " ".join(text.split())
    return ""


#: A small letter followed by a capital: where two elements' texts may touch ("The Best
#: Alternatives<span class="block">Top Tools"), each shown on a line of its own.
_CASE_JOIN = re.compile(r"[a-z][A-Z]")


def _text_with_breaks(element: html.HtmlElement) -> str:
    """The text of ``element`` with a space for every ``<br>`` and where two nodes' texts
    touch with a small letter before a capital (and no comments' text)."""
    pieces: list[str] = []

    def add(text: str) -> None:
        if pieces and pieces[-1][-1:].islower() and text[:1].isupper():
            pieces.append(" ")
        pieces.append(text)

    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                pieces.append(" ")
            elif isinstance(node.tag, str) and node.text:
                add(node.text)
        elif node is not element and node.tail:
            add(node.tail)
    return "".join(pieces)


def headlines(tree: html.HtmlElement) -> list[str]:
    """Visible headline candidates in :data:`HEADLINE_XPATHS` order, deduplicated."""
    seen: list[str] = []
    for expression in HEADLINE_XPATHS:
        for element in compiled(expression)(tree)[:3]:
            if compiled(_LINKS_HOME)(element):  # the site's name, linked to its home page
                continue
            text = node_text(element)
            if text and text not in seen:
                seen.append(text)
    return seen


def byline_text(element: Any) -> str:
    """Text of a byline element; where two elements' texts touch with no space between
    them ("Jane Roe" + "Co-founder" rendered as two blocks), a ``·`` separates them."""
    if not isinstance(element, html.HtmlElement):
        return node_text(element)
    text = ""
    for piece in element.itertext():
        if text and piece and text[-1].isalnum() and piece[0].isalnum():
            text += " · "
        text += piece
    return " ".join(text.split())


def bylines(tree: html.HtmlElement) -> list[str]:
    """Raw byline strings from the first :data:`BYLINE_XPATHS` query that finds any with
    a name in it (an author widget's "View more posts" link is no reason to stop)."""
    for expression in BYLINE_XPATHS:
        found = [byline_text(e) for e in compiled(expression)(tree)[:10]]
        found = [t for t in found if t and len(t) <= MAX_BYLINE_CHARS and normalize_authors([t])]
        if found:
            return found[:MAX_BYLINES]
    return []


def time_values(tree: html.HtmlElement) -> list[str]:
    """Machine-readable publication dates from ``<time>``/microdata, best first."""
    for expression in TIME_XPATHS:
        found = [node_text(v) for v in compiled(expression)(tree)[:3]]
        found = [v for v in found if v]
        if found:
            return found
    return []


def shown_day(match: re.Match[str]) -> str | None:
    """ISO day of a :data:`SHOWN_DATE` match, ``None`` when it is no calendar day or, in
    numbers ("12.12.2025", "31/01/2025"), when the month could come first or second
    ("3/4/2025": US pages write the month first, most others the day)."""
    if match.group("year4"):
        one, two = int(match.group("num1")), int(match.group("num2"))
        if one != two and max(one, two) <= 12:
            return None
        day, month = (one, two) if one > 12 or one == two else (two, one)
        year = match.group("year4")
    else:
        year = match.group("year") or match.group("year2") or match.group("year3")
        name = (match.group("mon") or match.group("mon2") or "").lower()
        month = MONTHS.get(name[:3], 0) if name else int(match.group("month3"))
        day = int(match.group("day") or match.group("day2") or match.group("day3"))
    try:
        return date(int(year), month, day).isoformat()
    except ValueError:
        return None


def readings(match: re.Match[str]) -> tuple[str, ...]:
    """The calendar days a :data:`SHOWN_DATE` match in numbers whose month could come
    first or second may be ("02-12-2025": 2 December or 12 February); ``()`` for others."""
    if not match.group("year4"):
        return ()
    one, two, year = int(match.group("num1")), int(match.group("num2")), int(match.group("year4"))
    if one == two or max(one, two) > 12:
        return ()
    return (date(year, two, one).isoformat(), date(year, one, two).isoformat())


def resolved_day(
    match: re.Match[str], elsewhere: Callable[[], set[str]], month_first: bool
) -> str | None:
    """:func:`shown_day`, a date in numbers whose order is open settled by the days the
    page writes otherwise (``elsewhere()``, see :func:`named_days`) where one of its two
    readings is among them and the other not, else month first where ``month_first``
    (American English), else ``None``."""
    day = shown_day(match)
    if day is None and (either := readings(match)):
        written = [d for d in either if d in elsewhere()]
        day = written[0] if len(written) == 1 else (either[1] if month_first else None)
    return day


def named_days(tree: html.HtmlElement) -> set[str]:
    """The days the page writes with a month's name or as ISO dates, in its text (its
    scripts' too: a JSON-LD ``datePublished``) or a ``<time datetime>``: what settles a
    date in numbers whose order is open."""
    text = " ".join(tree.itertext())  # text_content() runs "News" into "December"
    days = {
        day
        for match in SHOWN_DATE.finditer(text)
        if not match.group("year4") and (day := shown_day(match))
    }
    for value in compiled("//time/@datetime")(tree):
        days.add(str(value).strip()[:10])
    return days


_PUBLISHED_LABEL = re.compile(
    r"^(?:published|post time|posted|publication date|date published)\s*(?:on\b)?\s*:?\s*",
    re.IGNORECASE,
)
#: The words that start a publication label, as pages write them at the start of a text.
_LABEL_WORDS = ("Published", "PUBLISHED", "Posted", "POSTED", "Post time", "Publication date")
_TAG = re.compile(r"<[^>]*>")


def labelled_dates(
    source: str, elsewhere: Callable[[], set[str]] = set, month_first: bool = False
) -> list[str]:
    """The days the page (``source``: its HTML) labels as its publication anywhere, a
    label starting a text ("Published August 13, 2025", "<b>Post time:</b>
    01-14-2025"), in page order, a date in numbers read as :func:`resolved_day` reads it.
    Read from the HTML with a few substring searches: an XPath over every text node took
    12 ms a page."""
    found: list[tuple[int, str]] = []
    for word in _LABEL_WORDS:
        at = source.find(word)
        while at != -1:
            before = source[max(0, at - 100) : at].rstrip()
            # the start of an element's text (a <br> continues one: a quoted byline)
            if before.endswith(">") and not before[before.rfind("<") :].lower().startswith("<br"):
                text = " ".join(_TAG.sub(" ", source[at : at + 200]).split())
                label = _PUBLISHED_LABEL.match(text)
                match = SHOWN_DATE.match(text, label.end()) if label else None
                if match is not None and (day := resolved_day(match, elsewhere, month_first)):
                    found.append((at, day))
            at = source.find(word, at + len(word))
    return [day for _, day in sorted(found)]


def _headline_h1(h1s: list[html.HtmlElement], titles: list[Any]) -> html.HtmlElement | None:
    """The ``<h1>`` of ``h1s`` that is the article's headline: of those of two words or
    more that are no link home (a masthead's site name, often beside the day's date), the
    first whose text one of the page's ``titles`` (``<title>``, ``og:title``) contains,
    else ``None`` (see :func:`headline_element`)."""
    h1s = [h for h in h1s if len(node_text(h).split()) > 1 and not compiled(_LINKS_HOME)(h)]
    known = " ".join(str(t) for t in titles if t).casefold()
    return next((h for h in h1s if node_text(h).casefold() in known), None)


def headline_element(
    tree: html.HtmlElement, h1s: list[html.HtmlElement], titles: list[Any]
) -> html.HtmlElement | None:
    """The element that shows the article's headline: the :func:`_headline_h1`; where no
    ``<h1>`` carries one of the page's ``titles``, the first lower heading (``<h2>``,
    ``<h3>``, ``<legend>``) whose text is one of them (a blog theme whose ``<h1>`` is the
    site's name and whose post titles are ``<h2>``, with ``<h1>`` section heads in the
    post) where it comes before those ``<h1>``; else the first ``<h1>`` of two words or
    more that is no link home."""
    h1 = _headline_h1(h1s, titles)
    if h1 is not None:
        return h1
    first = next(
        (h for h in h1s if len(node_text(h).split()) > 1 and not compiled(_LINKS_HOME)(h)),
        None,
    )
    for title in dict.fromkeys(" ".join(str(t).split()) for t in titles if t):
        if len(title.split()) > 1:
            found = compiled(_TITLED_HEADING)(tree, title=title)
            if found and (first is None or _precedes(tree, found[0], first)):
                return found[0]
    return first


def _precedes(tree: html.HtmlElement, one: html.HtmlElement, other: html.HtmlElement) -> bool:
    """Whether ``one`` comes before ``other`` in ``tree``'s document order."""
    for element in tree.iter():
        if element is one or element is other:
            return element is one
    return False


def _texts_after(h1: html.HtmlElement) -> Iterator[str]:
    """The text nodes after ``h1`` in document order (its own text excluded). A walk from
    the headline on, stopped by the caller: an XPath ``following::`` query walked the whole
    rest of the page."""
    node: html.HtmlElement | None = h1
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from _walk_texts(sibling)
        node = node.getparent()


def _texts_before(h1: html.HtmlElement) -> list[str]:
    """The text nodes before ``h1`` inside its grandparent (the article's header, not the
    site's masthead), in document order."""
    scope = h1.getparent()
    if scope is None:
        return []
    scope = scope.getparent() if scope.getparent() is not None else scope
    return list(_walk_texts(scope, stop=h1))


def _walk_texts(root: html.HtmlElement, stop: html.HtmlElement | None = None) -> Iterator[str]:
    """Text and tail nodes of ``root`` and its tail in document order, up to ``stop``
    (``root``'s tail not read then), text in :data:`SHOWN_DATE_SKIP` elements left out."""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if element is stop:
            return
        if event == "end":
            if element.tail and (stop is None or element is not root):
                yield element.tail
        elif not isinstance(element.tag, str) or element.tag in SHOWN_DATE_SKIP:
            walker.skip_subtree()
        elif element.text:
            yield element.text


class Neighbourhood(NamedTuple):
    """The text nodes next to the headline (see :func:`_neighbourhood`)."""

    after: list[str]
    before: list[str]
    #: How many of ``after`` lie within the reach with every node counted whole.
    near: int


def _neighbourhood(h1: html.HtmlElement) -> Neighbourhood:
    """The non-blank text nodes next to the headline, whitespace collapsed, in document
    order: those after it within reach (a block repeated for another screen size counts
    once, a node for at most :data:`SHOWN_DATE_NODE_REACH` characters), and those before
    it within reach."""
    reach_after, reach_before = SHOWN_DATE_REACH
    after: list[str] = []
    offset, whole, near, seen = 0, 0, 0, set()
    for raw in _texts_after(h1):
        text = " ".join(raw.split())
        if not text or text in seen:  # a block repeated for another screen size
            continue
        seen.add(text)
        after.append(text)
        near += whole <= reach_after
        whole += len(text) + 1
        offset += min(len(text), SHOWN_DATE_NODE_REACH) + 1
        if offset > reach_after:
            break
    nodes = [text for text in (" ".join(raw.split()) for raw in _texts_before(h1)) if text]
    offset, first = 0, len(nodes)
    for n in range(len(nodes) - 1, -1, -1):
        offset += len(nodes[n]) + 1
        if offset > reach_before:
            break
        first = n
    return Neighbourhood(after, nodes[first:], near)


def neighbourhood(
    tree: html.HtmlElement, h1s: list[html.HtmlElement], titles: list[Any]
) -> Neighbourhood:
    """:func:`_neighbourhood` of the headline (:func:`headline_element` of ``tree``,
    ``h1s`` and ``titles``); empty without one."""
    h1 = headline_element(tree, h1s, titles)
    return _neighbourhood(h1) if h1 is not None else Neighbourhood([], [], 0)


def _near_headline(after: list[str], before: list[str]) -> Iterator[tuple[str, str]]:
    """``(text, the text before it)`` of the text nodes next to the headline (``after``
    and ``before`` it, see :func:`_neighbourhood`): after it first, then before it,
    nearest first."""
    for n, text in enumerate(after):
        yield text, after[n - 1] if n else ""
    for n in range(len(before) - 1, -1, -1):
        yield before[n], before[n - 1] if n else ""


#: ``<html lang>`` values whose dates in numbers put the month first ("3/4/2025": March 4).
MONTH_FIRST_LANGS = frozenset({"en", "en-us"})


def shown_dates(
    texts: Neighbourhood, elsewhere: Callable[[], set[str]] = set, month_first: bool = False
) -> list[tuple[str, str]]:
    """Dates shown next to the headline (see :func:`neighbourhood`), ``(ISO day,
    "published" | "modified")`` in the order of :func:`_near_headline`; "modified" where
    an update label precedes the date. A date in numbers counts only below the headline
    and within the reach counted whole (``texts.near``): above it, it is more often the
    day's date in a masthead or a print edition's ("Ausgabe vom 26.04.2024", the evening
    before's article; fundus -2 pages without this), and further down a broadcast's or a
    ticker entry's. One whose day and month could be swapped ("02-12-2025") counts where
    the page writes one of its two days otherwise, and not the other (``elsewhere()``:
    the days it writes with a month's name or as ISO dates, see :func:`named_days`);
    else, on a page in American or unspecified English (``month_first``: ``lang`` "en"
    or "en-US"), with the month first, as the US writes it."""
    found: list[tuple[str, str]] = []
    for n, (text, previous) in enumerate(_near_headline(texts.after, texts.before)):
        if len(text) > SHOWN_DATE_MAX_NODE:
            continue
        for match in SHOWN_DATE.finditer(text):
            if match.group("year4") and n >= min(len(texts.after), texts.near):
                continue
            day = resolved_day(match, elsewhere, month_first)
            if day is not None:
                label = f"{previous} {text[: match.start()]}"
                kind = "modified" if SHOWN_UPDATE_LABEL.search(label) else "published"
                found.append((day, kind))
    return found


def dated_bylines(texts: list[str]) -> list[str]:
    """Where a byline's name sits beside a date shown under the headline: the text node
    just before the date ("Jane Roe" / "March 3, 2025"), the first piece of the date's
    own node where a bar or bullet sets it off ("Jane Roe | Senior Writer | March 3,
    2025"), and the node after the date where a separator or a byline label of its own
    comes between ("March 3, 2025" / "·" / "Jane Roe", "Written by:" / "Jane Roe"). Raw
    candidates, nearest the date first: the caller keeps those that look like people's
    names. ``texts``: those after the headline (see :func:`neighbourhood`); text above it
    (kickers, breadcrumbs, categories) is not read."""
    found: list[str] = []
    for n, text in enumerate(texts):
        match = SHOWN_DATE.search(text) if len(text) <= SHOWN_DATE_MAX_NODE else None
        if match is None:
            continue
        pieces = _BYLINE_SEGMENT.split(text[: match.start()])
        if len(pieces) > 1:
            found.append(pieces[0])
        elif not pieces[0].strip() and n and not SHOWN_DATE.search(texts[n - 1]):
            found.append(texts[n - 1])
        following = texts[n + 1 : n + 3]
        if len(following) == 2 and (
            _SEPARATORS_ONLY.fullmatch(following[0]) or _byline_label(following[0])
        ):
            found.append(following[1])
    return [
        name
        for name in (_MEDIUM_TAIL.sub("", t).strip(" ,") for t in found)
        if name
        and not name.endswith((":", "."))
        and not _DATE_LABEL_WORDS.intersection(name.casefold().split())
    ]


def _byline_label(text: str) -> bool:
    """Whether ``text`` is only a byline's leading words ("Written by:", "Von")."""
    match = BYLINE_PREFIX.match(text + " ")
    return match is not None and match.end() >= len(text)


def labelled_authors(index: dict[str, list[str]]) -> list[str]:
    """Names from ``twitter:labelN``/``twitter:dataN`` pairs labelled "Written by" (the
    reading-time card many WordPress SEO plugins emit)."""
    names = []
    for n in range(1, 5):
        labels = index.get(f"twitter:label{n}", [])
        if labels and TWITTER_AUTHOR_LABEL.fullmatch(labels[0].strip()):
            names.extend(index.get(f"twitter:data{n}", [])[:1])
    return names


def extract(tree: html.HtmlElement, source: str = "") -> dict[str, Any]:
    """Everything this module reads, keyed by field (``headlines``/``bylines`` are lists;
    ``bylines`` and ``times`` are read when first asked for); ``source``: the page's
    HTML, where the caller has it (read for ``labelled_dates`` only)."""
    index = meta_index(tree)
    out = from_meta(index)
    # the publication as a <meta> tag states it, microdata's itemprop=datePublished aside
    tagged = (name for name in META_NAMES["published"] if name != "datepublished")
    out["published_tag"] = next((index[name][0] for name in tagged if index.get(name)), None)
    if not out.get("authors") and (labelled := labelled_authors(index)):
        out["authors"] = labelled
    canonical = compiled("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")(
        tree
    )
    if canonical and str(canonical[0]).strip():
        out["canonical_link"] = str(canonical[0]).strip()
    lang = tree.get("lang") or tree.get("xml:lang")
    if lang and lang.strip():
        out["html_lang"] = lang.strip()
    out["headlines"] = headlines(tree)
    h1s = compiled("//h1")(tree)[:MAX_H1]
    # an <h1> that links to the home page is the site's name (a blog theme's logo)
    shown = [h for h in h1s if not compiled(_LINKS_HOME)(h)]
    out["h1s"] = [t for t in (node_text(h) for h in shown) if t]
    titles = compiled("//head/title")(tree)
    if titles:
        out["html_title"] = node_text(titles[0])
    return Marks(tree, out, h1s, source)


def _forum_posts(tree: html.HtmlElement) -> tuple[list[Any], bool] | None:
    """The posts of a forum thread page and whether it is the thread's first page, as
    the comment thread's forum adapters read them
    (:func:`crawler.comments.extract.forum_posts`)."""
    from crawler.comments.extract import forum_posts

    return forum_posts(tree)


def _forum_author(marks: Marks) -> str | None:
    """The opening post's author on a forum thread's first page."""
    found = marks.get("forum_posts")
    if not found or not found[1]:
        return None
    return str(found[0][0].get("author") or "") or None


class Marks(dict[str, Any]):
    """The values :func:`extract` read, plus ``bylines``, ``times`` and ``shown_dates`` read
    from the tree on first use: they are the last sources of their fields, and their
    queries test every block's text (about 1 ms a page where no earlier query finds a
    byline)."""

    _tree: html.HtmlElement
    _h1s: list[html.HtmlElement]
    _source: str
    _LAZY: ClassVar[dict[str, Callable[[Marks], Any]]] = {
        "bylines": lambda marks: bylines(marks._tree),
        "times": lambda marks: time_values(marks._tree),
        "neighbourhood": lambda marks: neighbourhood(
            marks._tree, marks._h1s, [marks.get("html_title"), marks.get("title")]
        ),
        "shown_dates": lambda marks: shown_dates(
            marks.get("neighbourhood"), lambda: marks.named_days, marks.month_first
        ),
        "dated_bylines": lambda marks: dated_bylines(marks.get("neighbourhood").after),
        "labelled_dates": lambda marks: labelled_dates(
            marks._source, lambda: marks.named_days, marks.month_first
        ),
        "forum_posts": lambda marks: _forum_posts(marks._tree),
        # a forum thread as microdata declares it (or a forum engine's page)
        "discussion": lambda marks: bool(
            compiled("//*[contains(@itemtype, 'DiscussionForumPosting')]")(marks._tree)
            or marks.get("forum_posts")
        ),
        "forum_author": _forum_author,
    }

    def __init__(
        self,
        tree: html.HtmlElement,
        values: dict[str, Any],
        h1s: list[html.HtmlElement],
        source: str = "",
    ) -> None:
        super().__init__(values)
        self._tree, self._h1s, self._source = tree, h1s, source

    @property
    def month_first(self) -> bool:
        """Whether the page's dates in numbers put the month first (its ``lang``)."""
        return str(self.get("html_lang") or "").lower() in MONTH_FIRST_LANGS

    @cached_property
    def named_days(self) -> set[str]:
        """:func:`named_days` of the page, read once."""
        return named_days(self._tree)

    def _load(self, key: str) -> None:
        if key in self._LAZY and not super().__contains__(key):
            self[key] = self._LAZY[key](self)

    def get(self, key: str, default: Any = None) -> Any:
        self._load(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._load(key)
        return super().__getitem__(key)
