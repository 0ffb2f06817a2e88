"""Text decoded the wrong way (UTF-8 read as windows-1252) is repaired in the record."""

# ruff: noqa: RUF001, RUF002 - typographic quotes are what the tests are about

from __future__ import annotations

from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html
from scrapy.http import HtmlResponse

from crawler.charset import decoded
from crawler.extract import extract_article
from crawler.extract.mojibake import SIGNS, repair, suspect
from crawler.extract_command import html_text
from crawler.middlewares.charset import as_written, misdeclared_single_byte, misdeclared_utf8
from crawler.records import build_record
from tests.extract.pages import URL, page

ENTRY = '<div class="entry-content">'

TITLE = "Café owners’ guide — naïve questions"
SENTENCE = "The café’s owner said the “new bridge” cost £5 million — twice the estimate."
CONTEXT = {"outlet": "t", "fetched_at": "2026-01-01T00:00:00Z", "status": 200, "warc": None}


def twice(text: str) -> str:
    """``text`` as a wrong decoding leaves it ("’" -> "â€™"): its UTF-8 bytes read as
    windows-1252, the bytes that leaves undefined as latin-1 (as browsers read them)."""

    def char(byte: int) -> str:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(byte)

    return "".join(char(b) for b in text.encode("utf-8"))


def test_text_a_cms_stored_decoded_the_wrong_way_is_repaired() -> None:
    source = page(title=twice(TITLE)).replace(ENTRY, f"{ENTRY}<p>{twice(SENTENCE)}</p>")
    assert "â€™" in source and "Ã©" in source
    record = build_record(source, URL, CONTEXT)
    assert record["title"] == TITLE
    assert SENTENCE in str(record["text"])
    assert "â€" not in str(record["text"]) and "Ã" not in str(record["text"])


def test_text_decoded_as_latin1_is_repaired_too() -> None:
    # read as latin-1, a closing quote leaves "â" and two C1 controls a browser hides
    # ("donâ\x80\x99t"), and an emoji "ð\x9f..."
    sentence = "The owner’s “new bridge” cost five million — twice what the town expected."
    latin1 = sentence.encode("utf-8").decode("latin-1")
    assert "â\x80" in latin1 and not suspect(latin1.replace("â\x80", ""))
    source = page().replace(
        ENTRY, f"{ENTRY}<p>{latin1}</p><p>{'😀 '.encode().decode('latin-1')}ok</p>"
    )
    text = str(build_record(source, URL, CONTEXT)["text"])
    assert sentence in text and "😀 ok" in text


def test_a_utf8_page_served_under_a_western_charset_is_read_as_written() -> None:
    # the server says ISO-8859-1, the bytes are UTF-8: every non-ASCII letter would come
    # out as two or three, and windows-1252's undefined bytes (in "”") as U+FFFD
    body = page(title=TITLE).replace(ENTRY, f"{ENTRY}<p>{SENTENCE}</p>").encode("utf-8")
    for charset in ("ISO-8859-1", "windows-1252"):
        served = HtmlResponse(
            URL, body=body, headers={"Content-Type": f"text/html; charset={charset}"}
        )
        assert misdeclared_utf8(served)
        assert SENTENCE in as_written(served).text
        assert html_text([("Content-Type", f"text/html; charset={charset}")], body) == body.decode()
    # text really written in windows-1252 stays so
    western = page().replace(ENTRY, f"{ENTRY}<p>café naïve</p>").encode("cp1252")
    served = HtmlResponse(
        URL, body=western, headers={"Content-Type": "text/html; charset=windows-1252"}
    )
    assert not misdeclared_utf8(served) and "café naïve" in as_written(served).text


def test_a_western_page_declared_utf8_is_read_as_windows_1252() -> None:
    # an old site's text under a template's <meta charset="utf-8">: read as UTF-8, every
    # accented letter would be U+FFFD
    text = "Le café naïve, déjà vu à l’hôtel"
    body = page(title=TITLE).replace(ENTRY, f"{ENTRY}<p>{text}</p>")
    body = body.replace("<head>", '<head><meta charset="utf-8">').encode("cp1252")
    for headers in ({}, {"Content-Type": "text/html; charset=utf-8"}):
        served = HtmlResponse(URL, body=body, headers=headers)
        assert served.encoding == "utf-8" and "\ufffd" in served.text
        assert misdeclared_single_byte(served) and not misdeclared_utf8(served)
        assert text in as_written(served).text
    assert text in str(html_text([], body))
    # a UTF-8 page with one damaged byte keeps its UTF-8
    damaged = page().replace(ENTRY, f"{ENTRY}<p>{text}</p>").encode("utf-8") + b"\xe9"
    served = HtmlResponse(URL, body=damaged, headers={"Content-Type": "text/html; charset=utf-8"})
    assert not misdeclared_single_byte(served) and as_written(served) is served


def test_accented_text_that_is_not_mojibake_is_left_alone() -> None:
    # "Ã" and "Â" are letters of their own in Portuguese and Romanian capitals
    text = "SÃO PAULO and BÂRLAD: the café’s “naïve” façade, 20 °C, £5, ½ price."
    source = page().replace(ENTRY, f"{ENTRY}<p>{text}</p>")
    assert suspect(source)
    tree = html.document_fromstring(source)
    assert repair(tree, source) == 0
    assert text in str(extract_article(source, URL)["text"])


def test_pages_without_a_sign_are_passed_over() -> None:
    source = page()
    assert not suspect(source)
    assert repair(html.document_fromstring(source), source) == 0


def test_the_crawl_middleware_reads_such_pages_as_utf8_and_counts_them() -> None:
    from scrapy import Request
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.charset import CharsetSniffMiddleware

    crawler = get_crawler(settings_dict={"CHARSET_SNIFF_ENABLED": True})  # the add-on's default
    middleware = CharsetSniffMiddleware.from_crawler(crawler)
    body = page(title=TITLE).encode("utf-8")
    served = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    read = middleware.process_response(Request(URL), served)
    assert isinstance(read, HtmlResponse) and TITLE in read.text and read.body == body
    assert crawler.stats is not None and crawler.stats.get_value("charset/utf8_misdeclared") == 1
    western = page(title="Café").encode("cp1252")
    served = HtmlResponse(URL, body=western, headers={"Content-Type": "text/html; charset=utf-8"})
    read = middleware.process_response(Request(URL), served)
    assert isinstance(read, HtmlResponse) and "Café" in read.text and read.body == western
    assert crawler.stats.get_value("charset/single_byte_misdeclared") == 1
    ascii_page = HtmlResponse(URL, body=page().encode(), headers={"Content-Type": "text/html"})
    assert middleware.process_response(Request(URL), ascii_page) is ascii_page
    with pytest.raises(NotConfigured):
        CharsetSniffMiddleware.from_crawler(
            get_crawler(settings_dict={"CHARSET_SNIFF_ENABLED": False})
        )


def test_strings_lxml_would_refuse_are_left_as_they_are() -> None:
    # a control character the HTML parser let through: the repaired string cannot go back
    source = '<li id="comment-0" class="">\x1f\x80Â</li><p>caf\x1fÃ©</p>'
    tree = html.document_fromstring(source)
    repair(tree, source)  # no ValueError
    assert build_record(source, URL, CONTEXT)["extraction_status"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*"abc é’”—\x00\x1f\x80\x9d<&", *SIGNS, "Ã©", "â€™"]), max_size=40))
def test_repair_never_raises_and_leaves_sign_free_pages_alone(parts: list[str]) -> None:
    text = "".join(parts)
    source = f"<html><body><p title='{escape(text)}'>{escape(text)}</p></body></html>"
    tree = html.document_fromstring(source.replace("\x00", ""))
    before = html.tostring(tree)
    changed = repair(tree, source)
    if not suspect(source):
        assert changed == 0 and html.tostring(tree) == before


def _crawl_reading(headers: list[tuple[str, str]], body: bytes) -> tuple[str, str] | None:
    """``(encoding, text)`` as the crawl reads a response: Scrapy's, then the middleware's."""
    try:
        read = as_written(HtmlResponse(URL, headers=headers, body=body))
        return read.encoding, read.text
    except (UnicodeDecodeError, LookupError):
        return None


def _extract_reading(headers: list[tuple[str, str]], body: bytes) -> tuple[str, str] | None:
    try:
        return decoded(headers, body)
    except (UnicodeDecodeError, LookupError):
        return None


_WORDS = ["café", "naïve", "l’hôtel", "Ünïcödé", "日本語", "Ελληνικά", "plain", "€5"]
_CODECS = ["utf-8", "cp1252", "latin-1", "shift_jis", "utf-16", "koi8-r", "gb18030"]
_LABELS = ["utf-8", "UTF8", "iso-8859-1", "windows-1252", "latin1", "shift_jis", "utf-16",
           "gbk", "koi8-r", "no-such-charset", ""]  # fmt: skip


def _served(words: list[str], codec: str, header: str, meta: str, bom: bool) -> tuple[
    list[tuple[str, str]], bytes
]:  # fmt: skip
    head = f'<meta charset="{meta}">' if meta else ""
    source = (
        f"<html><head>{head}<title>t</title></head><body><p>{' '.join(words)}</p></body></html>"
    )
    body = source.encode(codec, "replace")
    if bom and codec == "utf-8":
        body = b"\xef\xbb\xbf" + body
    content_type = f"text/html; charset={header}" if header else "text/html"
    return [("Server", "test"), ("Content-Type", content_type)], body


def test_the_extract_command_decodes_pages_as_the_crawl_does() -> None:
    # declared, misdeclared both ways, undeclared, a BOM against the header, UTF-16,
    # an unknown label: the extract command's reading (no Scrapy) is the crawl's
    cases = [
        _served(_WORDS, codec, header, meta, bom)
        for codec in _CODECS
        for header, meta in [("", ""), (codec, ""), ("", codec), ("iso-8859-1", ""),
                             ("utf-8", ""), ("", "utf-8"), ("no-such-charset", "utf-8")]
        for bom in (False, True)
    ]  # fmt: skip
    cases.append(([], page().encode("ascii")))
    # a header given twice: the last one counts (in any case of its name)
    repeated = [
        ("content-type", "text/html; charset=koi8-r"),
        ("CONTENT-TYPE", "text/html; charset=shift_jis"),
    ]
    cases.append((repeated, "日本語".encode("shift_jis")))
    assert len({_crawl_reading(*case) for case in cases}) > 10  # the cases differ
    for headers, body in cases:
        assert _extract_reading(headers, body) == _crawl_reading(headers, body), (headers, body)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS) | st.text(max_size=12), max_size=6),
    codec=st.sampled_from(_CODECS),
    header=st.sampled_from(_LABELS),
    meta=st.sampled_from(_LABELS),
    bom=st.booleans(),
    noise=st.binary(max_size=16),
)
def test_extract_and_crawl_decode_any_page_alike(
    words: list[str], codec: str, header: str, meta: str, bom: bool, noise: bytes
) -> None:
    headers, body = _served(words, codec, header, meta, bom)
    body += noise  # stray bytes in no charset at all
    assert _extract_reading(headers, body) == _crawl_reading(headers, body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Ã", "Â", "â", "€", "ð", "Ÿ", "\x80", "\x9f", "a", " ", "é"])))
def test_suspect_is_a_search_for_the_signs(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert suspect(text) is any(sign in text for sign in SIGNS)
