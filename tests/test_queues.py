"""The disk queue: requests go to disk and come back as Scrapy's own queue gives them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler

from crawler import queues


class _Spider(scrapy.Spider):
    name = "queue-test"

    def parse_article(self, response: Any) -> None: ...

    def failed(self, failure: Any) -> None: ...

    # an alias: Scrapy names it by the first name in sorted order ("a_parse")
    a_parse = parse_article


class _Other:
    def parse_article(self, response: Any) -> None: ...


@pytest.fixture
def spider() -> _Spider:
    return _Spider()


def _requests(spider: _Spider) -> list[scrapy.Request]:
    return [
        scrapy.Request("https://news.example/a", callback=spider.parse_article,
                       errback=spider.failed, cb_kwargs={"item": {"url": "x"}}, priority=3),
        scrapy.Request("https://news.example/b"),
        scrapy.Request("https://news.example/c", callback=spider.a_parse),
        scrapy.FormRequest("https://news.example/d", formdata={"q": "1"}, callback=spider.failed),
    ]  # fmt: skip


def test_request_dicts_are_scrapys(spider: _Spider) -> None:
    for request in _requests(spider):
        before = (request.callback, request.errback)
        assert queues.request_to_dict(request, spider) == request.to_dict(spider=spider)
        assert (request.callback, request.errback) == before  # the request is unchanged


def test_callbacks_the_table_lacks_are_left_to_scrapy(spider: _Spider) -> None:
    # a bound method of the spider's class on another instance: Scrapy names it anyway
    other_instance = _Spider()
    request = scrapy.Request("https://news.example/e", callback=other_instance.parse_article)
    assert queues.request_to_dict(request, spider) == request.to_dict(spider=spider)
    # not a method of the spider at all, and NO_CALLBACK: unserializable, as in Scrapy
    for callback in (_Other().parse_article, NO_CALLBACK):
        request = scrapy.Request("https://news.example/f", callback=callback)
        with pytest.raises(ValueError):
            request.to_dict(spider=spider)
        with pytest.raises(ValueError):
            queues.request_to_dict(request, spider)


def test_disk_queue_round_trip(spider: _Spider, tmp_path: Path) -> None:
    crawler = get_crawler(_Spider)
    crawler.spider = spider
    queue = queues.PickleLifoDiskQueue.from_crawler(crawler, str(tmp_path / "q"))
    requests = _requests(spider)
    for request in requests:
        queue.push(request)
    popped = [queue.pop() for _ in requests]
    assert queue.pop() is None
    queue.close()
    for original, back in zip(reversed(requests), popped, strict=True):
        assert back is not None
        assert back.to_dict(spider=spider) == original.to_dict(spider=spider)
        assert back.callback == original.callback
        assert type(back) is type(original)
    assert (
        request_from_dict(requests[0].to_dict(spider=spider), spider=spider).errback
        == spider.failed
    )


def test_the_add_on_uses_it() -> None:
    from crawler.defaults import SCRAPY_SETTINGS

    assert SCRAPY_SETTINGS["SCHEDULER_DISK_QUEUE"] == "crawler.queues.PickleLifoDiskQueue"
