"""Outlet configuration: one YAML file per outlet, strictly validated.

Every problem is reported as one line naming the file, the key, the bad value and what is
allowed; nothing here prints a traceback for a user's mistake. String values may use
``${VAR}`` or ``${VAR:-default}`` to read the environment (secrets, fixture ports).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import re
import sys
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urljoin, urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
# Reserved names that can never reach a real outlet (RFC 2606 / RFC 6761).
_UNREACHABLE_TLDS = ("invalid", "example", "test", "local", "localhost")

COMMENT_PLATFORMS = (
    "wordpress",
    "wpdiscuz",
    "tagdiv",
    "disqus",
    "viafoura",
    "coral",
    "openweb",
    "facebook",
    "discourse",
    "giscus",
    "utterances",
    "hyvor",
    "remark42",
    "commento",
    "isso",
    "cusdis",
    "gitalk",
    "vuukle",
    "graphcomment",
    "intensedebate",
    "phpbb",
    "fluxbb",
    "vbulletin",
    "smf",
    "mybb",
    "xenforo",
    "invision",
    "vanilla",
    "substack",
    "reddit",
    "stackexchange",
    "jsonld",
    "none",
)


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression ({exc})") from None
    return value


Regex = Annotated[str, AfterValidator(_regex)]


def check_url(value: str, *, relative_ok: bool = False) -> str:
    """Reject URLs no crawler could fetch: bad scheme, missing or malformed host."""
    value = value.strip()
    parts = urlsplit(value)
    if relative_ok and not parts.scheme and not parts.netloc:
        if not value.startswith("/"):
            raise ValueError("a relative URL must start with '/'")
        return value
    if parts.scheme not in ("http", "https"):
        raise ValueError("URL scheme must be http or https")
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError("URL has no host name")
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise ValueError("URL has an invalid port") from None
    if _is_ip(host) or host == "localhost":
        return value
    if not _HOSTNAME.match(host) or "." not in host:
        raise ValueError("host name is not a fully qualified domain name")
    if host.rsplit(".", 1)[-1] in _UNREACHABLE_TLDS:
        raise ValueError("host is under a reserved top-level domain that cannot be reached")
    return value


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _config_url(value: str) -> str:
    return check_url(value, relative_ok=True)


# A URL in config: absolute, or a path relative to the outlet's home page.
ConfigUrl = Annotated[str, AfterValidator(_config_url)]


@cache
def known_setting_names() -> frozenset[str]:
    """Names of every Scrapy setting and every setting newsarchive defines."""
    from crawler.defaults import NEWSARCHIVE_SETTINGS

    return frozenset(_scrapy_setting_names() | set(NEWSARCHIVE_SETTINGS))


#: A name a module assigns at its top level (``NAME = ...``, ``NAME: type = ...``).
_ASSIGNED = re.compile(r"^([A-Z][A-Z0-9_]*)[ \t]*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


def _scrapy_setting_names() -> set[str]:
    """The names Scrapy's ``default_settings`` module assigns, read from its source when
    Scrapy is not imported yet: importing the package costs 0.17 s, and commands that
    load outlets without crawling (``extract``, ``outlets``) need none of it (a test
    checks the names read are the module's)."""
    source = None
    if "scrapy.settings.default_settings" not in sys.modules:
        spec = importlib.util.find_spec("scrapy")  # finds the package, imports nothing
        if spec is not None and spec.origin is not None:
            source = Path(spec.origin).parent / "settings" / "default_settings.py"
    if source is None or not source.is_file():
        from scrapy.settings import default_settings

        return {n for n in dir(default_settings) if n.isupper()}
    return set(_ASSIGNED.findall(source.read_text(encoding="utf-8")))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Section(_Strict):
    """A listing page whose links lead to articles, followed through its pagination."""

    url: ConfigUrl
    link_pattern: Regex | None = Field(
        default=None, description="Regex searched in article link URLs; default: articles.allow"
    )
    next_page: str = Field(
        default="a[rel~=next]::attr(href), a.next::attr(href), link[rel=next]::attr(href)",
        description="CSS selector (with ::attr) of the next-page link",
    )
    max_pages: int = Field(default=5, ge=1, le=1000)


class Discovery(_Strict):
    """Where article URLs come from."""

    feeds: list[ConfigUrl] = []
    sitemaps: list[ConfigUrl] = []
    robots_sitemaps: bool = True
    sections: list[Section] = []
    home: bool = True


class ArticleRules(_Strict):
    """Which discovered URLs are articles: regexes searched in the full URL."""

    allow: list[Regex] = []
    deny: list[Regex] = []


class Politeness(_Strict):
    """Per-outlet overrides of the crawl's politeness settings."""

    delay: float | None = Field(default=None, ge=0, le=3600)
    concurrency: int | None = Field(default=None, ge=1, le=32)


class Network(_Strict):
    """Network safety policy for this outlet."""

    allow_private: bool = Field(
        default=False, description="Allow loopback/private/link-local addresses (fixtures)"
    )
    follow_offsite_redirects: bool = False


class Comments(_Strict):
    """Hints for the comment-thread extractor."""

    platform: Literal[COMMENT_PLATFORMS] | None = None  # type: ignore[valid-type]


class Outlet(_Strict):
    """One news outlet, as configured in config/outlets/<name>.yaml."""

    name: str
    display_name: str = Field(min_length=1)
    home: str
    allowed_domains: list[str] = []
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
    discovery: Discovery = Discovery()
    articles: ArticleRules = ArticleRules()
    max_age_days: float | None = Field(default=None, gt=0)
    politeness: Politeness = Politeness()
    network: Network = Network()
    comments: Comments = Comments()
    tags: list[str] = []
    fixture: Literal["wordpress", "tagdiv"] | None = Field(
        default=None, description="served by the project's fixture site of this kind"
    )
    settings: dict[str, Any] = Field(
        default={}, description="Scrapy/newsarchive setting overrides for this outlet's crawl"
    )
    spider: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
        description="module:Class of an OutletSpider subclass for outlets that need code",
    )
    source_file: str | None = Field(default=None, exclude=True)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.match(_SLUG, v):
            raise ValueError("must be a slug: lowercase letters, digits, '-' and '_' (max 63)")
        return v

    @field_validator("settings")
    @classmethod
    def _settings(cls, v: dict[str, Any]) -> dict[str, Any]:
        known = known_setting_names()
        unknown = sorted(k for k in v if k not in known)
        if unknown:
            raise ValueError(
                f"unknown setting(s) {', '.join(unknown)}: use Scrapy or newsarchive setting"
                " names (see README, 'Settings')"
            )
        return v

    @field_validator("home")
    @classmethod
    def _home(cls, v: str) -> str:
        return check_url(v)

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        out = []
        for d in v:
            d = d.lower().strip()
            if not (_is_ip(d) or d == "localhost" or _HOSTNAME.match(d)):
                raise ValueError(f"{d!r} is not a domain name (no scheme, path or port)")
            out.append(d)
        return out

    @model_validator(mode="after")
    def _private_hosts(self) -> Outlet:
        if self.network.allow_private:
            return self
        host = urlsplit(self.home).hostname or ""
        if host == "localhost" or (_is_ip(host) and not ipaddress.ip_address(host).is_global):
            raise ValueError(
                f"home {self.home!r} is a private address but network.allow_private is false"
            )
        return self

    @property
    def domains(self) -> list[str]:
        """Allowed domains, defaulting to the home page's host."""
        return self.allowed_domains or [urlsplit(self.home).hostname or ""]

    def absolute(self, url: str) -> str:
        """Resolve a config URL (maybe relative to the home page) to an absolute URL."""
        return urljoin(self.home, url)
