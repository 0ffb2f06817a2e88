"""robots.txt enforcement that holds every request waiting for the file, not just one.

Scrapy 2.19's RobotsTxtMiddleware lets all requests that arrive while robots.txt is
being fetched wait on one Deferred, converting it to a future per waiter; the first
conversion consumes the result, so later waiters receive None and are let through
unchecked (seen with concurrent start requests to a disallowed path). Here each waiter
gets its own Deferred chained to the shared one, so every request sees the parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.robotstxt import RobotParser


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware whose pending robots.txt result reaches every waiter."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine: Deferred[RobotParser | None] = Deferred()

        def relay(result: Any) -> Any:
            mine.callback(result)
            return result  # leave the result for the next waiter

        pending.addBoth(relay)
        return await maybe_deferred_to_future(mine)
