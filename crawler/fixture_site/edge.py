"""Edge-case behaviours of the "wordpress" fixture outlet.

Each name in :data:`crawler.fixture_site.builder.ARTICLE_EDGES` (plus
``not_found`` and ``gone``) owns an article-shaped path; :class:`EdgeCases`
turns a request for it into the misbehaving response described in the
package docstring. ``rate_limited`` and ``flaky`` are stateful (first request
fails, later ones succeed); :meth:`EdgeCases.reset` forgets that state.
"""

from __future__ import annotations

import gzip
import logging
import math
import threading
import zlib
from collections.abc import Callable, Iterator

import brotli

from crawler.fixture_site.model import Article, SiteModel
from crawler.fixture_site.render_wordpress import CP1252_META, article_page, simple_page
from crawler.fixture_site.response import Response, html

logger = logging.getLogger(__name__)

_STREAM_BLOCK = 64 * 1024
_BOMB_FACTOR = 10


def _gzip(data: bytes) -> bytes:
    """Deterministic gzip (mtime 0)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


class EdgeCases:
    """Stateful producer of edge-case responses for one site."""

    def __init__(self, model: SiteModel, huge_bytes: int) -> None:
        """Remember the model and size limits; nothing is rendered yet."""
        self.model = model
        self.huge_bytes = huge_bytes
        self._lock = threading.Lock()
        self._hits: dict[str, int] = {}
        self._bomb: bytes | None = None
        self.by_path = {path: name for name, path in model.edge_paths.items()}
        self._handlers: dict[str, Callable[[Article], Response]] = {
            "gzip": self._gzip,
            "brotli": self._brotli,
            "chunked": self._chunked,
            "charset_meta": self._charset_meta,
            "rate_limited": self._rate_limited,
            "flaky": self._flaky,
            "huge": self._huge,
            "gzip_bomb": self._gzip_bomb,
            "truncated_gzip": self._truncated_gzip,
        }

    def reset(self) -> None:
        """Forget first-request state of ``rate_limited`` and ``flaky``."""
        with self._lock:
            self._hits.clear()

    def _hit(self, name: str) -> int:
        """Count a request for ``name``; return how many came before it."""
        with self._lock:
            seen = self._hits.get(name, 0)
            self._hits[name] = seen + 1
            return seen

    def respond(self, path: str) -> Response | None:
        """Response for an edge-case article path, ``None`` if ``path`` is not one."""
        name = self.by_path.get(path)
        if name == "not_found":
            return html(simple_page(self.model, "Page not found", "Nothing here.", "error404"), 404)
        if name == "gone":
            return html(simple_page(self.model, "Gone", "This story was removed.", "error410"), 410)
        handler = self._handlers.get(name or "")
        if handler is None:
            return None
        return handler(self.model.edge_articles[name or ""])

    def _page(self, article: Article) -> bytes:
        """The normal UTF-8 article page bytes."""
        return article_page(self.model, article).encode("utf-8")

    def _gzip(self, article: Article) -> Response:
        """Always gzip-encoded, whatever Accept-Encoding says."""
        return Response(200, _gzip(self._page(article)), headers=[("Content-Encoding", "gzip")])

    def _brotli(self, article: Article) -> Response:
        """Always brotli-encoded."""
        body = brotli.compress(self._page(article))
        return Response(200, body, headers=[("Content-Encoding", "br")])

    def _chunked(self, article: Article) -> Response:
        """Sent with ``Transfer-Encoding: chunked`` in (at least) four chunks."""
        data = self._page(article)
        size = max(1, math.ceil(len(data) / 4))

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(data), size):
                yield data[start : start + size]

        return Response(200, stream=chunks)

    def _charset_meta(self, article: Article) -> Response:
        """windows-1252 bytes, charset declared only by ``<meta http-equiv>``."""
        page = article_page(self.model, article, charset_tag=CP1252_META)
        return Response(200, page.encode("cp1252"), content_type="text/html")

    def _rate_limited(self, article: Article) -> Response:
        """429 with ``Retry-After: 1`` on the first request, the article afterwards."""
        if self._hit("rate_limited") == 0:
            page = simple_page(self.model, "Too Many Requests", "Slow down.", "error429")
            return Response(429, page.encode("utf-8"), headers=[("Retry-After", "1")])
        return Response(200, self._page(article))

    def _flaky(self, article: Article) -> Response:
        """500 on the first request, the article afterwards."""
        if self._hit("flaky") == 0:
            page = simple_page(self.model, "Internal Server Error", "Try again.", "error500")
            return Response(500, page.encode("utf-8"))
        return Response(200, self._page(article))

    def _split_page(self, article: Article) -> tuple[bytes, bytes]:
        """Article page bytes split right before ``</main>`` (where padding goes)."""
        page = self._page(article)
        cut = page.index(b"</main>")
        return page[:cut], page[cut:]

    def _huge(self, article: Article) -> Response:
        """An article padded past ``huge_bytes``, streamed with a Content-Length."""
        head, tail = self._split_page(article)
        unit = f'<p class="filler">{article.paragraphs[0]}</p>\n'.encode()
        repeats = max(1, math.ceil((self.huge_bytes - len(head) - len(tail)) / len(unit)) + 1)
        per_block = max(1, _STREAM_BLOCK // len(unit))

        def chunks() -> Iterator[bytes]:
            yield head
            for start in range(0, repeats, per_block):
                yield unit * min(per_block, repeats - start)
            yield tail

        return Response(200, stream=chunks, length=len(head) + len(unit) * repeats + len(tail))

    def bomb_bytes(self) -> bytes:
        """The gzip bomb body (built once): > 10 x ``huge_bytes`` of spaces when inflated."""
        with self._lock:
            if self._bomb is None:
                head, tail = self._split_page(self.model.edge_articles["gzip_bomb"])
                packer = zlib.compressobj(9, zlib.DEFLATED, 31)
                parts = [packer.compress(head)]
                remaining = _BOMB_FACTOR * self.huge_bytes + 1
                block = b" " * (1 << 20)
                while remaining > 0:
                    parts.append(packer.compress(block[: min(remaining, len(block))]))
                    remaining -= len(block)
                parts += [packer.compress(tail), packer.flush()]
                self._bomb = b"".join(parts)
                logger.debug("built gzip bomb of %s bytes", len(self._bomb))
            return self._bomb

    def _gzip_bomb(self, article: Article) -> Response:
        """Small on the wire, enormous once decoded."""
        return Response(200, self.bomb_bytes(), headers=[("Content-Encoding", "gzip")])

    def _truncated_gzip(self, article: Article) -> Response:
        """A gzip stream cut in half; Content-Length matches the truncated body."""
        data = _gzip(self._page(article))
        return Response(200, data[: len(data) // 2], headers=[("Content-Encoding", "gzip")])
